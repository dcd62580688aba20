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
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core import traffic_light, wording
from engage_desktop.core.engagement import Status
from engage_desktop.core.errors import EngageError
from engage_desktop.core.exporting import data
from engage_desktop.core.exporting.files import ExportError
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.ui import briefing, fitting, plain, preferences, rendering
from engage_desktop.ui import theme as themes
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.plain import tooltip

WHATS = (("Chart", "chart"), ("Briefing: A4 pages", "briefing"),
         ("Data: traffic light (CSV)", "status"), ("Data: daily series (CSV)", "series"))
FORMATS = (("PNG image", "png"), ("SVG drawing (vector)", "svg"), ("PDF document", "pdf"))
BRIEFING_FORMATS = (("PDF document", "pdf"), ("PNG image (192 dpi)", "png"))
# What offers which formats, the first the default, and the setting that remembers the choice
FORMAT_CHOICES = {"chart": (FORMATS, preferences.CHART_FORMAT),
                  "briefing": (BRIEFING_FORMATS, preferences.BRIEFING_FORMAT)}
# The steadier line's default for each, and the setting that remembers the choice
AVERAGE_CHOICES = {"chart": preferences.CHART_AVERAGE,
                   "briefing": preferences.BRIEFING_AVERAGE}
FILTERS = {"png": "PNG images (*.png)", "svg": "SVG drawings (*.svg)",
           "pdf": "PDF documents (*.pdf)", "csv": "CSV files (*.csv)"}


def _size(preset: str) -> str:
    output = rendering.PRESETS[preset]
    return f"{output.width} × {output.height}"


SIZES = ((f"Slide ({_size('slide')})", "slide"),
         (f"Document: 16 cm at 300 dpi ({_size('document')})", "document"),
         (f"Square ({_size('square')})", "square"),
         ("Custom size", "custom"))
NO_SELECTION = "Select one or more Pages in the traffic light first"
BRIEFING_SIZE = "A4 pages, portrait"
EVERY_PAGE = "No Page is selected, so the briefing covers every followed Page, worst first."
PREVIEW_DELAY_MS = 250  # the preview is drawn again once typing or spinning pauses
PREVIEW_BOX = (440, 300)  # the largest the preview is shown, in pixels
DEFAULT_CUSTOM = (preferences.EXPORT_WIDTH.default, preferences.EXPORT_HEIGHT.default)
PREVIEW_STYLE = "QLabel {{ background: {background}; padding: 12px; }}"
# Characters that Windows, macOS or Linux refuse in a file name
_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def _file_name(text: str) -> str:
    """``text`` usable as a file name on every system (a Page called "A/B" is "A-B")."""
    return _UNSAFE_NAME.sub("-", text).strip(" .") or "export"




def _error_text(exc: EngageError) -> str:
    return error_words(exc, "Cannot export:")


class ExportDialog(QDialog):
    """Export a chart of ``page_ids`` from ``first`` to ``last``, or the data as CSV."""

    def __init__(self, store: Store, page_ids: list[str], first: date, last: date,
                 settings: QSettings, parent: QWidget | None = None, *,
                 what: str | None = None) -> None:
        """``what`` opens the dialog on that export (a key of WHATS) instead of the last one
        chosen."""
        super().__init__(parent)
        self.opening_what = what
        self.store = store
        self.page_ids = list(page_ids)
        self.first = first
        self.last = last
        self.settings = settings
        self.custom_size = DEFAULT_CUSTOM  # width, height: shown when "Custom size" is chosen
        # The format chosen for the chart and for the briefing, each kept while the other shows
        self.formats = {what: chosen.default for what, (_, chosen) in FORMAT_CHOICES.items()}
        # Whether the chart and the briefing draw the steadier line (7-day averages)
        self.averages = {what: chosen.default for what, chosen in AVERAGE_CHOICES.items()}
        self.saved: list[Path] = []  # every file written, newest last
        # Where to save: the suggested path in, the chosen path (None: cancelled) out.
        # Tests replace it, so that no file dialog opens.
        self.ask_path: Callable[[Path], Path | None] = self._ask_path
        self._what_chosen = False  # the officer chose what to export in this dialog
        self._rendering = False
        names = {page.id: page.name for page in store.pages()}
        self.names = [names.get(pid, pid) for pid in self.page_ids]
        self.content: rendering.ChartContent | None = None
        self.content_error: EngageError | None = None
        if self.page_ids:
            try:
                self.content = rendering.chart_content(store, self.page_ids, first, last)
            except EngageError as exc:
                self.content_error = exc
        # The briefing, made when first shown or saved
        self.briefing: briefing.BriefingContent | None = None
        self.briefing_error: EngageError | None = None

        self.setWindowTitle("Export")
        self.setAccessibleName("Export")
        self.setAccessibleDescription(
            "Save a chart of the selected Pages as PNG, SVG or PDF, a one-page briefing as PDF "
            "or PNG, or the data as CSV.")
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.timeout.connect(self.render_preview)
        self._build()
        self._restore()
        self._update()
        self.resize(820, 560)
        self.preview_timer.start(0)  # once the dialog is on screen

    # Layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.what = QComboBox()
        for text, key in WHATS:
            self.what.addItem(text, key)
        self.what.setAccessibleName("What to export")
        self.what.activated.connect(self._chosen)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Note")
        self.note.setTextFormat(Qt.TextFormat.PlainText)

        self.format = QComboBox()  # filled for the chart or the briefing
        self.preset = QComboBox()
        for text, key in SIZES:
            self.preset.addItem(text, key)
        self.preset.setAccessibleName("Chart size")
        self.preset.setPlaceholderText(BRIEFING_SIZE)  # shown, greyed, for the briefing
        self.kept_preset = 0  # the chart's size while the briefing is shown
        self.preset.setAccessibleDescription(
            "For SVG and PDF, the size sets the chart's shape and the size of its text.")
        self.width_box = QSpinBox()
        self.height_box = QSpinBox()
        for box, name in ((self.width_box, "width"), (self.height_box, "height")):
            box.setRange(rendering.MIN_SIDE, rendering.MAX_SIDE)
            box.setSingleStep(10)
            box.setSuffix(" px")
            box.setAccelerated(True)
            box.setAccessibleName(f"Custom {name} in pixels")
        self.title = QLineEdit()
        self.title.setAccessibleDescription("Leave empty for the title shown as a hint.")
        self.title.setClearButtonEnabled(True)
        self.average = QCheckBox("Steadier &line: 7-day average")
        self.average.setAccessibleName("Steadier line: 7-day average")
        self.average.setAccessibleDescription(
            "Draw each line as its average over the last 7 days, with the daily values faint "
            "behind it: the trend reads at a glance, the daily ups and downs are still shown.")
        self.average.setToolTip(self.average.accessibleDescription())

        top = QFormLayout()
        top.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        what_label = QLabel("&Export:")
        what_label.setBuddy(self.what)
        top.addRow(what_label, self.what)

        self.chart_options = QGroupBox("Chart")
        self.chart_options.setAccessibleName("Chart options")
        form = QFormLayout(self.chart_options)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: dict[QWidget, QLabel] = {}
        for text, field in (("&Format:", self.format), ("Si&ze:", self.preset),
                            ("&Width:", self.width_box), ("Hei&ght:", self.height_box),
                            ("&Title:", self.title)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
            self.labels[field] = label
        form.addRow(self.average)

        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.note)
        left.addWidget(self.chart_options)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(310)
        left.setContentsMargins(0, 0, 0, 0)

        self.preview = plain.label()
        self.preview.setAccessibleName("Preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setWordWrap(True)
        self.preview.setMinimumSize(*PREVIEW_BOX)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        preview_box = QGroupBox("Preview")
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.preview)

        body = QHBoxLayout()
        body.addWidget(left_widget)
        body.addWidget(preview_box, 1)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Export result")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()

        self.save_button = QPushButton("&Save…")
        self.save_button.setAccessibleName("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        fitting.fit_dialog(self)

        self.what.currentIndexChanged.connect(self._what_changed)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.width_box.valueChanged.connect(self._custom_changed)
        self.height_box.valueChanged.connect(self._custom_changed)
        self.title.textChanged.connect(self._changed)
        self.average.toggled.connect(self._average_changed)

    # State ----------------------------------------------------------------------------------

    def current_what(self) -> str:
        return self.what.currentData()

    def current_format(self) -> str:
        return self.format.currentData() if self.current_what() in FORMAT_CHOICES else "csv"

    def output(self) -> rendering.Output:
        """The chosen size (raises ExportError for a custom size that cannot be drawn)."""
        key = self.preset.currentData()
        if key == "custom":
            return rendering.custom(self.width_box.value(), self.height_box.value())
        return rendering.PRESETS[key]

    def chart_for_export(self) -> rendering.ChartContent:
        if self.content is None:
            raise self.content_error or ExportError(NO_SELECTION + ".")
        title = self.title.text().strip() or None
        return dataclasses.replace(self.content, title=title, average=self.averages["chart"])

    def briefing_for_export(self) -> briefing.BriefingContent:
        """The briefing of the selected Pages, or of every followed Page with none selected
        (raises ExportError when there is nothing to brief on)."""
        if self.briefing is None and self.briefing_error is None:
            try:
                self.briefing = briefing.briefing_content(self.store, self.page_ids or None)
            except EngageError as exc:
                self.briefing_error = exc
        if self.briefing is None:
            raise self.briefing_error or ExportError("There are no Pages to brief on.")
        title = self.title.text().strip() or briefing.DEFAULT_TITLE
        chart = self.briefing.chart
        if chart is not None:
            chart = dataclasses.replace(chart, average=self.averages["briefing"])
        return dataclasses.replace(self.briefing, title=title, chart=chart)

    def _chosen(self) -> None:
        self._what_chosen = True

    def _what_changed(self) -> None:
        self._show_average()
        self._fill_formats()
        self._show_size()
        self._changed()

    def _show_size(self) -> None:
        """For the briefing, show its size (an A4 page) instead of the chart's, which is kept
        and shown again for the chart."""
        brief = self.current_what() == "briefing"
        if brief and self.preset.currentIndex() >= 0:
            self.kept_preset = self.preset.currentIndex()
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(-1)
            self.preset.blockSignals(False)
            for box in (self.width_box, self.height_box):
                box.blockSignals(True)
                box.setSpecialValueText("–")  # shown at the minimum
                box.setValue(box.minimum())
                box.blockSignals(False)
        elif not brief and self.preset.currentIndex() < 0:
            for box in (self.width_box, self.height_box):
                box.setSpecialValueText("")
            self.preset.setCurrentIndex(self.kept_preset)  # and its size shown again

    def _fill_formats(self) -> None:
        """Offer the formats of what is chosen (the chart's while data is chosen), with the
        one last chosen for it."""
        what = self.current_what()
        kind = what if what in FORMAT_CHOICES else "chart"
        formats = FORMAT_CHOICES[kind][0]
        if [self.format.itemData(i) for i in range(self.format.count())] != [
                key for _, key in formats]:
            self.format.blockSignals(True)
            self.format.clear()
            for text, key in formats:
                self.format.addItem(text, key)
            self.format.blockSignals(False)
        self.format.blockSignals(True)
        self.format.setCurrentIndex(max(self.format.findData(self.formats[kind]), 0))
        self.format.blockSignals(False)
        if kind == "briefing":
            self.format.setAccessibleName("Briefing format")
            self.format.setAccessibleDescription(
                "PDF to print or send; PNG for Word, PowerPoint and email. Both are an A4 page.")
        else:
            self.format.setAccessibleName("Chart format")
            self.format.setAccessibleDescription(
                "PNG for Word, PowerPoint and social posts; SVG and PDF stay sharp at any size.")

    def _line_kind(self) -> str:
        """Whose steadier line the check box shows: the briefing's, or the chart's."""
        return "briefing" if self.current_what() == "briefing" else "chart"

    def _show_average(self) -> None:
        """The check box ticked as chosen for what is shown (the chart's while data is)."""
        self.average.blockSignals(True)
        self.average.setChecked(self.averages[self._line_kind()])
        self.average.blockSignals(False)

    def _average_changed(self, checked: bool) -> None:
        self.averages[self._line_kind()] = checked
        self._changed()

    def _format_changed(self) -> None:
        what = self.current_what()
        if what in FORMAT_CHOICES:
            self.formats[what] = self.format.currentData()
        self._update()

    def _preset_changed(self) -> None:
        """Show the size in pixels: a preset's, or the custom size (kept while a preset is
        chosen)."""
        key = self.preset.currentData()
        width, height = self.custom_size if key == "custom" else (
            rendering.PRESETS[key].width, rendering.PRESETS[key].height)
        for box, value in ((self.width_box, width), (self.height_box, height)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self._changed()

    def _custom_changed(self) -> None:
        if self.preset.currentData() == "custom":
            self.custom_size = (self.width_box.value(), self.height_box.value())
        self._changed()

    def _changed(self) -> None:
        self.status.hide()  # a result said before the change no longer applies
        self._update()
        self.preview_timer.start(PREVIEW_DELAY_MS)

    def _update(self) -> None:
        """Enable what can be used, and say why the rest cannot."""
        what = self.current_what()
        chart = what == "chart"
        brief = what == "briefing"
        name = "Briefing" if brief else "Chart"
        self.chart_options.setTitle(name)
        self.chart_options.setAccessibleName(f"{name} options")
        self.chart_options.setEnabled((chart and self.content is not None) or brief)
        custom = self.preset.currentData() == "custom"
        # the briefing is always an A4 page: its size is not chosen
        for field, enabled in ((self.preset, not brief), (self.width_box, custom and not brief),
                               (self.height_box, custom and not brief)):
            field.setEnabled(enabled)
            self.labels[field].setEnabled(enabled)
        self.preset.setToolTip("The briefing is always on A4 pages." if brief else "")
        self.title.setAccessibleName(f"{name} title")
        heading = (briefing.DEFAULT_TITLE if brief
                   else self.content.heading if self.content is not None else "")
        self.title.setPlaceholderText(heading)
        self.title.setToolTip(tooltip(f"Empty: “{heading}”") if heading else "")
        if brief:
            note = self._describe_briefing()
        elif not self.page_ids:
            note = (f"{NO_SELECTION}: only the traffic light and the briefing of every Page "
                    "can be exported now.")
        elif self.content_error is not None and chart:
            note = _error_text(self.content_error)
        else:
            note = ""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        usable = what in ("status", "briefing") or (
            self.content is not None if chart else bool(self.page_ids))
        self.save_button.setEnabled(usable)

    def _describe_briefing(self) -> str:
        """Which Pages the briefing covers."""
        if not self.page_ids:
            return EVERY_PAGE
        pages = (f"the selected Page, {self.names[0]}" if len(self.names) == 1
                 else f"the {len(self.names)} selected Pages")
        if len(self.names) > briefing.FIRST_PAGE_ROWS:
            pages += (f" (the first {briefing.FIRST_PAGE_ROWS} on the first page, the others "
                      "on the pages after it)")
        return f"The briefing covers {pages}. Its chart shows the last 12 months."

    def _restore(self) -> None:
        def choose(combo: QComboBox, preference: preferences.Preference[str]) -> None:
            combo.setCurrentIndex(max(combo.findData(preference.get(self.settings)), 0))

        for what, (formats, preference) in FORMAT_CHOICES.items():
            chosen = preference.get(self.settings)
            self.formats[what] = (chosen if chosen in {k for _, k in formats}
                                  else preference.default)
        for what, preference in AVERAGE_CHOICES.items():
            self.averages[what] = preference.get(self.settings)
        choose(self.what, preferences.EXPORT_WHAT)
        choose(self.preset, preferences.EXPORT_PRESET)
        size = (preferences.EXPORT_WIDTH.get(self.settings),
                preferences.EXPORT_HEIGHT.get(self.settings))
        self.custom_size = tuple(min(max(side, rendering.MIN_SIDE), rendering.MAX_SIDE)
                                 for side in size)
        self._preset_changed()
        if not self.page_ids:
            # The traffic light and the briefing (of every Page) need no Pages: the chart and
            # series are shown greyed
            model = self.what.model()
            if isinstance(model, QStandardItemModel):
                for key in ("chart", "series"):
                    item = model.item(self.what.findData(key))
                    item.setEnabled(False)
                    item.setToolTip(NO_SELECTION)
            # with nothing selected, the briefing of every Page is what is wanted
            self.what.setCurrentIndex(self.what.findData("briefing"))
        if self.opening_what is not None:
            self.what.setCurrentIndex(self.what.findData(self.opening_what))
        self._fill_formats()
        self._show_size()
        self._show_average()

    def remember(self) -> None:
        """Keep the choices for the next export."""
        # not the briefing shown because nothing is selected, nor the one opened on purpose
        if (self.page_ids and self.opening_what is None) or self._what_chosen:
            preferences.EXPORT_WHAT.set(self.settings, self.current_what())
        for what, (_, preference) in FORMAT_CHOICES.items():
            preference.set(self.settings, self.formats[what])
        for what, preference in AVERAGE_CHOICES.items():
            preference.set(self.settings, self.averages[what])
        preferences.EXPORT_PRESET.set(self.settings, self.preset.itemData(
            self.preset.currentIndex() if self.preset.currentIndex() >= 0 else self.kept_preset))
        preferences.EXPORT_WIDTH.set(self.settings, self.custom_size[0])
        preferences.EXPORT_HEIGHT.set(self.settings, self.custom_size[1])
        self.settings.sync()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.current_what() in FORMAT_CHOICES:
            self.preview_timer.start(PREVIEW_DELAY_MS)  # drawn again to fit

    def done(self, result: int) -> None:
        self.preview_timer.stop()
        self.remember()
        super().done(result)

    # Preview --------------------------------------------------------------------------------

    def render_preview(self) -> None:
        """Draw the preview: the chart or the briefing as it will be saved, or what the CSV
        file holds."""
        if self._rendering:  # drawing lets events through: a change then draws again
            self.preview_timer.start(PREVIEW_DELAY_MS)
            return
        self.preview_timer.stop()
        what = self.current_what()
        if what == "briefing":
            self._preview_briefing()
            return
        if what != "chart":
            self._show_preview_text(self._describe_data(what))
            return
        try:
            content = self.chart_for_export()
            output = self.output()
        except EngageError as exc:
            self._show_preview_text(_error_text(exc) if self.page_ids else NO_SELECTION + ".")
            return
        box_width = max(self.preview.width() - 26, 200)
        box_height = max(self.preview.height() - 26, 120)
        scale = min(box_width / output.width, box_height / output.height)
        ratio = self.devicePixelRatioF()
        small = dataclasses.replace(output, width=max(round(output.width * scale * ratio), 1),
                                    height=max(round(output.height * scale * ratio), 1))
        image = self._rendered(lambda: rendering.chart_image(content, small))
        if image is None:
            return
        self._show_preview_image(
            image, ratio, f"The chart “{content.heading}”, {output.width} × {output.height} "
            "pixels.")

    def _preview_briefing(self) -> None:
        try:
            content = self.briefing_for_export()
        except EngageError as exc:
            self._show_preview_text(_error_text(exc))
            return
        page = briefing.PAGE
        box_width = max(self.preview.width() - 26, 120)
        box_height = max(self.preview.height() - 26, 170)
        ratio = self.devicePixelRatioF()
        scale = min(box_width / page.width(), box_height / page.height()) * ratio
        image = self._rendered(lambda: briefing.briefing_image(content, scale))
        if image is None:
            return
        pages = self._pages_named() if self.page_ids else "every followed Page"
        count = briefing.page_count(content)
        sheets = "one A4 page" if count == 1 else f"{count} A4 pages (the first shown)"
        self._show_preview_image(
            image, ratio, f"The briefing “{content.title}”, {sheets} on {pages}.")

    def _rendered(self, render: Callable[[], QImage]) -> QImage | None:
        """The preview ``render`` draws, or None with what went wrong shown in its place."""
        self._rendering = True
        try:
            return render()
        except EngageError as exc:
            self._show_preview_text(_error_text(exc))
            return None
        finally:
            self._rendering = False

    def _pages_named(self) -> str:
        """The one selected Page's name, or how many are selected: "3 Pages"."""
        return self.names[0] if len(self.names) == 1 else f"{len(self.names)} Pages"

    def _show_preview_image(self, image: QImage, ratio: float, description: str) -> None:
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        # the white page on grey, so that its edges show as the file's
        self.preview.setStyleSheet(PREVIEW_STYLE.format(background="palette(mid)"))
        self.preview.setPixmap(pixmap)
        self.preview.setAccessibleDescription(description)

    def _show_preview_text(self, text: str) -> None:
        self.preview.setPixmap(QPixmap())
        self.preview.setStyleSheet(PREVIEW_STYLE.format(background="palette(base)"))
        self.preview.setText(text)
        self.preview.setAccessibleDescription(text)

    def _describe_data(self, what: str) -> str:
        if what == "status":
            return ("The traffic light as it is now: one row per Page, worst first.\n\n"
                    "Columns: " + ", ".join(data.STATUS_COLUMNS) + ".")
        if not self.page_ids:
            return NO_SELECTION + "."
        return (f"Daily readings of {self._pages_named()} from {wording.day(self.first)} to "
                f"{wording.day(self.last)}: the last reading of each UK day (days "
                "without one are left out).\n\nColumns: " + ", ".join(data.SERIES_COLUMNS)
                + ".\n\nThe file can be imported back.")

    # Saving ---------------------------------------------------------------------------------

    def suggested_name(self) -> str:
        what = self.current_what()
        if what == "status":
            return _file_name(f"traffic light {uk_day(utc_now()).isoformat()}.csv")
        if what == "series":
            return _file_name(f"series {self.last.isoformat()}.csv")
        if what == "briefing":
            return _file_name(f"briefing {uk_day(utc_now()).isoformat()}.{self.current_format()}")
        return _file_name(f"{self._pages_named()} talking {self.last.isoformat()}."
                          f"{self.current_format()}")

    def folder(self) -> Path:
        saved = preferences.EXPORT_FOLDER.get(self.settings)
        if saved and Path(saved).is_dir():
            return Path(saved)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def _ask_path(self, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "Export", str(suggested),
                                              FILTERS[self.current_format()])
        return Path(name) if name else None

    def save(self) -> Path | None:
        """Ask where and write the export there; the saved path, or None."""
        suffix = "." + self.current_format()
        chosen = self.ask_path(self.folder() / self.suggested_name())
        if chosen is None:
            return None
        path = Path(chosen)
        # The file dialog has already asked whether to replace a file of the chosen name, so
        # that file is replaced (force). A path from ask_path is treated the same way, as tests
        # do. A name without the format's ending gets it, and that file was never asked about:
        # it is not replaced.
        force = True
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
            force = False
        preferences.EXPORT_FOLDER.set(self.settings, str(path.parent))
        self.save_button.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = self._write(path, force)
        except EngageError as exc:
            self._show_status(_error_text(exc), error=True)
            return None
        finally:
            QApplication.restoreOverrideCursor()
            self._update()
        self.saved.append(path)
        self.remember()
        more = (f" and {len(written) - 1} more pages beside it ({written[1].name}…)"
                if len(written) > 1 else "")
        self._show_status(f"Saved {path}{more}", error=False)
        return path

    def _write(self, path: Path, force: bool) -> list[Path]:
        """Write the export; the files written (a PNG briefing has one a page)."""
        what = self.current_what()
        if what == "status":
            data.write_status(traffic_light.build(self.store), path, force=force)
        elif what == "series":
            if not self.page_ids:
                raise ExportError(NO_SELECTION + ".")
            data.write_series(self.store, self.page_ids, self.first, self.last, path,
                              force=force)
        elif what == "briefing":
            return briefing.export_briefing(self.briefing_for_export(), path, force=force)
        else:
            rendering.export_chart(self.chart_for_export(), self.output(), path,
                                   self.current_format(), force=force)
        return [path]

    def _show_status(self, text: str, *, error: bool) -> None:
        colour = themes.current().status[Status.RED if error else Status.GREEN]
        self.status.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.status.setText(text)
        self.status.setAccessibleDescription(text)
        self.status.show()
