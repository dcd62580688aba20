"""The Export dialog: a chart of the selected Pages (PNG, SVG or PDF, at a slide, document,
square or custom size, with an optional title of the officer's own), the briefing (A4 pages, PDF
or PNG, of the selected Pages or, with none selected, of every followed Page: what the dialog
starts on then), or the data as CSV (the traffic light, or the selected Pages' daily series).

The chart and the briefing can draw the steadier line (each line its 7-day average, the daily
values faint behind it): on by default for the briefing, off for charts unless chosen.

The chart and the briefing are previewed as they will be drawn (the same painting, at a
smaller resolution), again shortly after the title or size changes. Save asks where, suggests
a name from the Pages and the date, and says in the dialog what was saved or why it could not
be; the dialog stays open so that the same chart can be saved in another format. The choices
(what, the chart's and the briefing's formats and steadier lines, size, the custom size and
the folder) are remembered for the next export.

Its parts: ``contents`` what is exported and its writing, ``choices`` the form of choices,
``preview`` the preview, ``dialog`` the dialog that puts them together and saves.
"""

from engage_desktop.ui.export_dialog.choices import (
    AVERAGE_CHOICES,
    BRIEFING_FORMATS,
    BRIEFING_SIZE,
    DEFAULT_CUSTOM,
    FORMAT_CHOICES,
    FORMATS,
    SIZES,
    WHATS,
    Chosen,
    ExportChoices,
)
from engage_desktop.ui.export_dialog.contents import EVERY_PAGE, NO_SELECTION, ExportContents
from engage_desktop.ui.export_dialog.dialog import FILTERS, ExportDialog
from engage_desktop.ui.export_dialog.preview import (
    PREVIEW_BOX,
    PREVIEW_DELAY_MS,
    PREVIEW_STYLE,
    ExportPreview,
)

__all__ = [
    "AVERAGE_CHOICES", "BRIEFING_FORMATS", "BRIEFING_SIZE", "DEFAULT_CUSTOM", "EVERY_PAGE",
    "FILTERS", "FORMATS", "FORMAT_CHOICES", "NO_SELECTION", "PREVIEW_BOX", "PREVIEW_DELAY_MS",
    "PREVIEW_STYLE", "SIZES", "WHATS", "Chosen", "ExportChoices", "ExportContents",
    "ExportDialog", "ExportPreview",
]
