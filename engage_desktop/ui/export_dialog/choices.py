"""The Export dialog's choices: what to export, the chart's or the briefing's format, size,
title and steadier line, with the note saying what can be exported and why not. The form keeps
the chart's and the briefing's choices apart (each kept while the other shows), restores them
from the window's preferences and remembers them for the next export; ``chosen()`` is what is
chosen now, as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.ui import briefing, preferences, rendering
from engage_desktop.ui.export_dialog.contents import NO_SELECTION, ExportContents, error_text
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


def _size(preset: str) -> str:
    output = rendering.PRESETS[preset]
    return f"{output.width} × {output.height}"


SIZES = ((f"Slide ({_size('slide')})", "slide"),
         (f"Document: 16 cm at 300 dpi ({_size('document')})", "document"),
         (f"Square ({_size('square')})", "square"),
         ("Custom size", "custom"))
BRIEFING_SIZE = "A4 pages, portrait"
DEFAULT_CUSTOM = (preferences.EXPORT_WIDTH.default, preferences.EXPORT_HEIGHT.default)


@dataclass(frozen=True)
class Chosen:
    """What the form shows chosen, as plain values."""

    what: str  # a key of WHATS
    file_format: str  # "png", "svg", "pdf" or "csv"
    title: str  # typed, without the spaces around it: empty for the default title
    chart_average: bool  # the chart draws the steadier line
    briefing_average: bool  # the briefing's chart draws it
    preset: str | None  # a key of SIZES (None while the briefing is shown)
    width: int  # the custom size's, in pixels
    height: int

    def output(self) -> rendering.Output:
        """The chosen size (raises ExportError for a custom size that cannot be drawn)."""
        if self.preset == "custom":
            return rendering.custom(self.width, self.height)
        return rendering.PRESETS[self.preset]


class ExportChoices(QWidget):
    """The left of the Export dialog: what to export, the note under it and the chart's (or
    the briefing's) options. ``changed`` is emitted when a choice changes what is exported."""

    changed = Signal()

    def __init__(self, contents: ExportContents, settings: QSettings,
                 opening_what: str | None) -> None:
        super().__init__()
        self.contents = contents
        self.settings = settings
        self.opening_what = opening_what
        self.custom_size = DEFAULT_CUSTOM  # width, height: shown when "Custom size" is chosen
        # The format chosen for the chart and for the briefing, each kept while the other shows
        self.formats = {what: chosen.default for what, (_, chosen) in FORMAT_CHOICES.items()}
        # Whether the chart and the briefing draw the steadier line (7-day averages)
        self.averages = {what: chosen.default for what, chosen in AVERAGE_CHOICES.items()}
        self._what_chosen = False  # the officer chose what to export in this dialog
        self._build()

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
        self.setLayout(left)
        self.setFixedWidth(310)
        left.setContentsMargins(0, 0, 0, 0)

        self.what.currentIndexChanged.connect(self._what_changed)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.width_box.valueChanged.connect(self._custom_changed)
        self.height_box.valueChanged.connect(self._custom_changed)
        self.title.textChanged.connect(self._changed)
        self.average.toggled.connect(self._average_changed)

    # What is chosen -------------------------------------------------------------------------

    def current_what(self) -> str:
        return self.what.currentData()

    def current_format(self) -> str:
        return self.format.currentData() if self.current_what() in FORMAT_CHOICES else "csv"

    def chosen(self) -> Chosen:
        return Chosen(self.current_what(), self.current_format(), self.title.text().strip(),
                      self.averages["chart"], self.averages["briefing"],
                      self.preset.currentData(), self.width_box.value(),
                      self.height_box.value())

    def usable(self) -> bool:
        """Whether what is chosen can be saved."""
        what = self.current_what()
        return what in ("status", "briefing") or (
            self.contents.content is not None if what == "chart"
            else bool(self.contents.page_ids))

    # Changes --------------------------------------------------------------------------------

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
        self.update_fields()

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
        self.update_fields()
        self.changed.emit()

    def update_fields(self) -> None:
        """Enable what can be used, and say why the rest cannot."""
        contents = self.contents
        what = self.current_what()
        chart = what == "chart"
        brief = what == "briefing"
        name = "Briefing" if brief else "Chart"
        self.chart_options.setTitle(name)
        self.chart_options.setAccessibleName(f"{name} options")
        self.chart_options.setEnabled((chart and contents.content is not None) or brief)
        custom = self.preset.currentData() == "custom"
        # the briefing is always an A4 page: its size is not chosen
        for field, enabled in ((self.preset, not brief), (self.width_box, custom and not brief),
                               (self.height_box, custom and not brief)):
            field.setEnabled(enabled)
            self.labels[field].setEnabled(enabled)
        self.preset.setToolTip("The briefing is always on A4 pages." if brief else "")
        self.title.setAccessibleName(f"{name} title")
        heading = (briefing.DEFAULT_TITLE if brief
                   else contents.content.heading if contents.content is not None else "")
        self.title.setPlaceholderText(heading)
        self.title.setToolTip(tooltip(f"Empty: “{heading}”") if heading else "")
        if brief:
            note = contents.describe_briefing()
        elif not contents.page_ids:
            note = (f"{NO_SELECTION}: only the traffic light and the briefing of every Page "
                    "can be exported now.")
        elif contents.content_error is not None and chart:
            note = error_text(contents.content_error)
        else:
            note = ""
        self.note.setText(note)
        self.note.setVisible(bool(note))

    # Kept for the next export ---------------------------------------------------------------

    def restore(self) -> None:
        """The choices of the last export (what the dialog was opened on, if it was)."""
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
        if not self.contents.page_ids:
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
        if (self.contents.page_ids and self.opening_what is None) or self._what_chosen:
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
