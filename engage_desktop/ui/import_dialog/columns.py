"""A file's "Columns" section in the import dialog: what each column of a spreadsheet holds, as
the importer guessed it or the officer chose it (the choices are shared by every file, as the
command line's --column)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.importing.formats import (  # the importer's own header matching
    GENERIC_HEADERS,
    header_map,
    norm,
)
from engage_desktop.core.importing.importer import FileReport
from engage_desktop.ui import plain
from engage_desktop.ui.plain import mnemonic_safe, tooltip

# What a spreadsheet column can hold, as offered on a file's tab ("ignore": not read)
COLUMN_FIELDS = (("(not used)", "ignore"), ("Date", "date"), ("Followers", "followers"),
                 ("Likes", "fans"), ("Talking about", "talking_about"),
                 ("Page name", "page_name"), ("Page ID", "page_id"))
LABEL_WIDTH = 150  # the widest a column title is shown beside its choice, in pixels
COLUMN_FORMATS = ("generic", "")  # spreadsheets, and files not recognised: columns choosable


def columns_used(header: Sequence[str], choices: dict[str, str]) -> dict[str, str]:
    """Normalised header -> field, as the importer reads a spreadsheet with these columns
    and these choices (for files it has not read, so that the automatic guesses show)."""
    found = header_map(tuple(header), GENERIC_HEADERS, choices)
    used: dict[str, str] = {}
    for index, field in found.items():
        used.setdefault(norm(header[index]), field)
    return used


class ColumnCombo(QComboBox):
    """A column's choice: the mouse wheel scrolls the list of columns past it, and changes
    it only once it has the focus (each change previews the files again)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ColumnChoices(QGroupBox):
    """A file's "Columns" section: what each column holds, one row per column title.

    The rows are built once per set of titles and only refilled after that, so that a fresh
    preview keeps the widgets (and the focus) where they are."""

    def __init__(self, file_name: str, choices: dict[str, str],
                 chosen: Callable[[], None]) -> None:
        super().__init__("Columns")
        self.setAccessibleName(f"Columns of {file_name}")
        # the officer's column choices, for every file: column title -> field (as --column)
        self.choices = choices
        self.chosen = chosen  # called once the officer has chosen (to preview again)
        self.titles: dict[str, str] = {}  # normalised title -> the title as written
        self.combos: dict[str, QComboBox] = {}  # normalised title -> its choice
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(4)
        hint = QLabel("Choose what each column holds:")
        hint.setWordWrap(True)
        outer.addWidget(hint)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner = QWidget()
        self.form = QFormLayout(self.inner)
        self.form.setContentsMargins(0, 0, 4, 0)
        self.form.setVerticalSpacing(4)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.scroll.setWidget(self.inner)
        outer.addWidget(self.scroll, 1)
        self.setMinimumWidth(300)
        self.setMaximumWidth(380)
        self.hide()

    def show_report(self, report: FileReport) -> None:
        """Show the columns of the file as the last preview read it."""
        if not report.header:
            # not read far enough to know its columns this time (a question about its
            # dates): the section stays as it was, so a choice can still be changed back
            return
        if report.format not in COLUMN_FORMATS:
            self.hide()
            return
        used = ({norm(title): field for title, field in report.mapping.items()}
                if report.format else columns_used(report.header, self.choices))
        self.set_columns(report.header, used)
        self.setVisible(bool(self.combos))

    def set_columns(self, header: Sequence[str], used: dict[str, str]) -> None:
        """Show ``header``'s columns, each with the field in ``used`` (normalised title ->
        field) or "(not used)"."""
        titles: dict[str, str] = {}
        for title in header:
            key = norm(title)
            if key:  # a column without a title cannot be named, so cannot be chosen
                titles.setdefault(key, title.strip())
        if titles != self.titles:
            self._build(titles)
        for key, combo in self.combos.items():
            index = combo.findData(used.get(key, "ignore"))
            combo.blockSignals(True)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
            self._describe(key)

    def _build(self, titles: dict[str, str]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)  # deletes the row's label and combo
        self.titles = titles
        self.combos = {}
        for key, title in titles.items():
            combo = ColumnCombo()
            for text, field in COLUMN_FIELDS:
                combo.addItem(text, field)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setToolTip(tooltip(f"What the column “{title}” holds"))
            combo.currentIndexChanged.connect(
                lambda _index, title=title, combo=combo: self.choose(title,
                                                                     combo.currentData()))
            label = plain.label()
            # a long title is shortened in the middle (in full in its tooltip): wrapped
            # labels in a scrolling form get clipped
            shown = label.fontMetrics().elidedText(f"{title}:", Qt.TextElideMode.ElideMiddle,
                                                   LABEL_WIDTH)
            label.setText(mnemonic_safe(shown))  # a buddy's label: & marks its shortcut
            label.setToolTip(tooltip(title))
            label.setBuddy(combo)
            self.combos[key] = combo
            self.form.addRow(label, combo)

    def _describe(self, key: str) -> None:
        combo = self.combos[key]
        title = self.titles[key]
        combo.setAccessibleName(f"Column {title} holds")
        combo.setAccessibleDescription(
            f"The column “{title}” holds {combo.currentText().lower()}"
            if combo.currentData() != "ignore" else f"The column “{title}” is not used")

    def shown(self) -> dict[str, str]:
        """Column title -> the field shown for it ("ignore" when not used)."""
        return {self.titles[key]: combo.currentData() for key, combo in self.combos.items()}

    def choose(self, title: str, field: str) -> None:
        """The officer chose what a column of this file holds: preview again.

        A field comes from one column, so a column of this file that showed the same field
        is then not used. "(not used)" is kept as a choice only for a column the importer
        would otherwise read by its title."""
        if field != "ignore":
            for other, shown in self.shown().items():
                if shown == field and norm(other) != norm(title):
                    self._set_choice(other, "ignore")
        self._set_choice(title, field)
        # shown at once, even when the file cannot be read again (a question about dates)
        self.set_columns(tuple(self.titles.values()),
                         columns_used(tuple(self.titles.values()), self.choices))
        self.chosen()

    def _set_choice(self, title: str, field: str) -> None:
        key = norm(title)
        for chosen in [t for t in self.choices if norm(t) == key]:
            del self.choices[chosen]
        if field != "ignore" or key in GENERIC_HEADERS:
            self.choices[title] = field
