"""The import preview: what each file holds and what importing it would change, the answers
the importer needs, and the Import button once the preview is clean.

Every change to an answer runs a fresh preview (nothing is written); Import writes exactly
what the last preview showed, in one transaction. Both run in the background on the dialog's
task runner, with their progress in words and a Stop button: the dialog answers while a large
file is read, a change of answer restarts the preview, and closing the dialog stops the job
and waits for it.
"""

from __future__ import annotations

import functools
import html
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.engagement import Status
from engage_desktop.core.errors import EngageError
from engage_desktop.core.importing import (
    ImportBlockedError,
    ImportCancelledError,
    Importer,
    ImportOptions,
    ImportProgress,
    Order,
    Preview,
)
from engage_desktop.core.importing.formats import (  # the importer's own header matching
    FORMAT_NAMES,
    GENERIC_HEADERS,
    _header_map,
    _norm,
)
from engage_desktop.core.importing.importer import FileReport, PagePlan
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.core.wording import counted, padded_days
from engage_desktop.ui import fitting, plain
from engage_desktop.ui import theme as themes
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.operations import Operation, OperationQueue
from engage_desktop.ui.plain import mnemonic_safe, tooltip
from engage_desktop.ui.words import in_window

DATE_ORDERS = (("Not needed / ask", None),
               ("Day first (UK: 01/03/2024 = 1 March)", Order.DAY_FIRST),
               ("Month first (US: 03/01/2024 = 1 March)", Order.MONTH_FIRST))
REPLACE_TEXT = "Imported numbers &replace synced ones for the same day"
FIELD_NAMES = {"date": "date", "followers": "followers", "fans": "Page likes",
               "talking_about": "talking about", "page_name": "Page name",
               "page_id": "Page ID", "post_id": "post ID", "published": "publish time",
               "interactions": "interactions", "reactions": "reactions",
               "comments": "comments", "shares": "shares"}
# Where in this dialog each of the importer's questions is answered
WHERE_ANSWERED = {"page": " (Page, above)", "dates": " (Date order, above)",
                  "followers": " (Follower total, above)",
                  "on": " (Audience total's day, above)",
                  "year": " (Year the dates start in, above)"}
NOT_GIVEN = "Not given"
REFRESH_DELAY_MS = 400  # typing in the Page or follower box previews once typing pauses
# What a spreadsheet column can hold, as offered on a file's tab ("ignore": not read)
COLUMN_FIELDS = (("(not used)", "ignore"), ("Date", "date"), ("Followers", "followers"),
                 ("Likes", "fans"), ("Talking about", "talking_about"),
                 ("Page name", "page_name"), ("Page ID", "page_id"))
LABEL_WIDTH = 150  # the widest a column title is shown beside its choice, in pixels
COLUMN_FORMATS = ("generic", "")  # spreadsheets, and files not recognised: columns choosable
WHERE_COLUMNS = " (Columns, on the file tab)"
ACTIVITY_DELAY_MS = 250  # a job quicker than this shows no progress bar (no flicker)
PREVIEWING, IMPORTING = "import preview", "import"  # the dialog's jobs (their threads' names)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _columns_used(header: Sequence[str], choices: dict[str, str]) -> dict[str, str]:
    """Normalised header -> field, as the importer reads a spreadsheet with these columns
    and these choices (for files it has not read, so that the automatic guesses show)."""
    found = _header_map(tuple(header), GENERIC_HEADERS, choices)
    used: dict[str, str] = {}
    for index, field in found.items():
        used.setdefault(_norm(header[index]), field)
    return used


class _ColumnCombo(QComboBox):
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


def _left(widget: QWidget) -> QHBoxLayout:
    """``widget`` at its own width, on the left of its row."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


class _DayEdit(QDateEdit):
    """A day the officer must give (nothing is assumed): "Not given" until chosen. Opening the
    calendar, or stepping with the keys or wheel, starts from today rather than from the
    "not given" mark."""

    UNSET = QDate(2003, 12, 31)  # before Facebook: stands for "not given"

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = QDate(today)
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        self.setDateRange(self.UNSET, self.today)
        self.setSpecialValueText(NOT_GIVEN)
        self.setDate(self.UNSET)
        self.setMinimumWidth(160)
        self.calendarWidget().window().installEventFilter(self)  # (made here, once)

    def day(self) -> date | None:
        return None if self.date() == self.UNSET else self.date().toPython()

    def _from_today(self) -> None:
        if self.date() == self.UNSET:
            self.setDate(self.today)
            self.calendarWidget().setSelectedDate(self.today)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self._from_today()  # the calendar opens on this month, not on December 2003
        return False

    def stepBy(self, steps: int) -> None:
        if self.date() == self.UNSET:
            self._from_today()
        elif self.currentSection() == QDateEdit.Section.DaySection:
            # whole days, across the month's end (Qt's day section stops at the 1st)
            self.setDate(min(max(self.date().addDays(steps), self.UNSET), self.today))
        else:
            super().stepBy(steps)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        if self.date() == self.UNSET:  # either way starts from today
            return (QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
                    | QAbstractSpinBox.StepEnabledFlag.StepDownEnabled)
        if self.currentSection() != QDateEdit.Section.DaySection:
            return super().stepEnabled()
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.date() > self.UNSET:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        if self.date() < self.today:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        return flags


class ColumnChoices(QGroupBox):
    """A file's "Columns" section: what each column holds, one row per column title.

    The rows are built once per set of titles and only refilled after that, so that a fresh
    preview keeps the widgets (and the focus) where they are."""

    def __init__(self, file_name: str, choose: Callable[[str, str], None]) -> None:
        super().__init__("Columns")
        self.setAccessibleName(f"Columns of {file_name}")
        self.choose = choose  # called with (column title, field) when the officer chooses
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

    def set_columns(self, header: Sequence[str], used: dict[str, str]) -> None:
        """Show ``header``'s columns, each with the field in ``used`` (normalised title ->
        field) or "(not used)"."""
        titles: dict[str, str] = {}
        for title in header:
            key = _norm(title)
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
            combo = _ColumnCombo()
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


class ImportSession:
    """The dialog's own connection to the database, for its jobs on the operation queue's threads
    (plain Python, no Qt object): opened by the first job there, handed from one job to the
    next (one at a time, so a preview's scratch tables are still there when Import writes
    it), and closed with the dialog, which drops them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store: Store | None = None
        self.importer: Importer | None = None  # the last preview's

    def preview(self, paths: list[Path], options: ImportOptions, report: Callable,
                cancel: threading.Event) -> Preview:
        if self.store is None:
            self.store = open_store(self.path, create=False, any_thread=True)
        self.importer = Importer(self.store, paths, options)
        return self.importer.preview(progress=report, cancel=cancel)

    def commit(self, preview: Preview, report: Callable, cancel: threading.Event) -> Preview:
        importer = self.importer
        if importer is None or importer.preview_result is not preview:
            raise ImportBlockedError("The files were previewed again since this preview.",
                                     "Wait for the preview to finish, then import.")
        return importer.commit(progress=report, cancel=cancel)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store = self.importer = None


class ImportDialog(QDialog):
    """Preview files for import, ask what the importer needs, and import on request."""

    def __init__(self, store: Store, paths: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.paths = [Path(p) for p in paths]
        self.preview: Preview | None = None
        self.imported: Preview | None = None  # the committed preview, after Import
        self.previewed_options: ImportOptions | None = None
        # The jobs: one at a time on the dialog's own runner (a sync may run beside them),
        # each on the dialog's own connection
        self.runner = OperationQueue()
        self.runner.setParent(self)
        self.runner.busy_changed.connect(self._runner_busy)
        self.session = ImportSession(store.path)
        self.task: Operation | None = None  # the job under way
        self._reading: ImportOptions | None = None  # the answers the preview under way reads
        self._again = False  # preview again once the job under way has stopped
        self._closing = False
        self.stopped = ""  # "preview" or "import" when the officer stopped it
        self._words = ""  # the job's progress, in words
        self._latest: tuple[Preview, ImportOptions] | None = None  # a preview to show
        # the officer's column choices, for every file: column title -> field (as --column)
        self.column_choices: dict[str, str] = {}
        self.theme = getattr(parent, "theme", None) or themes.current()
        names = ", ".join(p.name for p in self.paths[:3]) + (
            f" and {len(self.paths) - 3} more" if len(self.paths) > 3 else "")
        self.setWindowTitle(f"Import {names}")
        self.setAccessibleName("Import files")
        self.setAccessibleDescription(
            "A preview of what importing these files would change. Nothing is written until "
            "you choose Import.")
        self.setSizeGripEnabled(True)
        self.resize(900, 650)
        self.setMinimumSize(640, 480)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_DELAY_MS)
        self.refresh_timer.timeout.connect(self.refresh_preview)
        self.activity_timer = QTimer(self)
        self.activity_timer.setSingleShot(True)
        self.activity_timer.setInterval(ACTIVITY_DELAY_MS)
        self.activity_timer.timeout.connect(self._show_activity)

        layout = QVBoxLayout(self)
        self.answers = self._answers()
        layout.addWidget(self.answers)
        self.questions = self._banner("questions", "Needs an answer", Status.AMBER)
        layout.addWidget(self.questions)
        self.error = self._banner("error", "Import failed", Status.RED)
        layout.addWidget(self.error)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Preview")
        self.tabs.setDocumentMode(True)
        self.overview = self._browser("What will change")
        self.tabs.addTab(self.overview, "&What will change")
        self.file_tabs: list[tuple[QTextBrowser, QTableWidget]] = []
        self.column_sections: list[ColumnChoices] = []
        for number, path in enumerate(self.paths):
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 6, 0, 0)
            details = self._browser(f"Details of {path.name}")
            sample = QTableWidget()
            sample.setAccessibleName(f"First rows of {path.name}")
            sample.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            sample.setTabKeyNavigation(False)
            sample.setAlternatingRowColors(True)
            sample.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            sample.horizontalHeader().setSectionResizeMode(
                QHeaderView.ResizeMode.ResizeToContents)
            sample.verticalHeader().hide()
            sample.verticalHeader().setDefaultSectionSize(sample.fontMetrics().height() + 8)
            sample_label = QLabel("First rows of &data:")
            sample_label.setBuddy(sample)
            columns = ColumnChoices(
                path.name, lambda title, field, number=number: self.choose_column(
                    number, title, field))
            top = QHBoxLayout()
            top.addWidget(details, 1)
            top.addWidget(columns)
            page_layout.addLayout(top, 3)
            page_layout.addWidget(sample_label)
            page_layout.addWidget(sample, 2)
            self.tabs.addTab(page, mnemonic_safe(path.name))
            self.tabs.setTabToolTip(self.tabs.count() - 1, tooltip(str(path)))
            self.file_tabs.append((details, sample))
            self.column_sections.append(columns)
        layout.addWidget(self.tabs, 1)

        self.summary = plain.label()
        self.summary.setAccessibleName("Import summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.import_button.setAccessibleName("Import")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        # a job's progress (its words are the summary's) and its Stop button
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Preview progress")
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(120)
        self.stop_button = QPushButton("&Stop")
        self.stop_button.setAccessibleName("Stop the preview")
        self.stop_button.clicked.connect(self.stop)
        self.again_button = QPushButton("Preview &again")
        self.again_button.setAccessibleName("Preview again")
        self.again_button.setToolTip(tooltip("Read the files again with the answers above"))
        self.again_button.clicked.connect(self.refresh_preview)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        for widget in (self.progress, self.stop_button, self.again_button):
            bottom.addWidget(widget)
            widget.hide()
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        fitting.fit_dialog(self)

        self.refresh_preview()
        self.page.setFocus()

    # Building --------------------------------------------------------------------------------

    def _answers(self) -> QGroupBox:
        box = QGroupBox("Answers for the importer")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.page = QComboBox()
        self.page.setEditable(True)
        self.page.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.page.setAccessibleName("Page")
        self.page.setAccessibleDescription(
            "The Page for files that do not name one: choose an existing Page or type the "
            "name of a new one.")
        for page in sorted(self.store.pages(), key=lambda p: p.name.lower()):
            self.page.addItem(page.name, page.id)
        self.page.setCurrentIndex(-1)
        self.page.lineEdit().setPlaceholderText(
            "Only for files that do not name their Page: choose one, or type a new name")
        self.page.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.page.currentTextChanged.connect(self._changed_later)
        # Enter previews a typed name at once (after the dialog has seen the key, so that
        # the same key press never imports what the preview has not shown)
        self.page.lineEdit().returnPressed.connect(
            lambda: QTimer.singleShot(0, self._refresh_if_changed))
        page_label = QLabel("&Page:")
        page_label.setBuddy(self.page)
        form.addRow(page_label, self.page)

        self.followers = QSpinBox()
        self.followers.setRange(0, 2_000_000_000)
        self.followers.setSpecialValueText("Not given")
        self.followers.setGroupSeparatorShown(True)
        self.followers.setAccessibleName("Follower total")
        self.followers.setAccessibleDescription(
            "A follower total, for files that hold none (Meta Business Suite metric files), "
            "on the day beside it. Zero means not given.")
        self.followers.setToolTip(self.followers.accessibleDescription())
        self.followers.setMinimumWidth(160)
        self.followers.valueChanged.connect(self._changed_later)
        followers_label = QLabel("&Follower total:")
        followers_label.setBuddy(self.followers)
        self.today = uk_day(utc_now())
        self.followers_on = QDateEdit(QDate(self.today))
        self.followers_on.setCalendarPopup(True)
        self.followers_on.setDisplayFormat("d MMM yyyy")
        self.followers_on.setDateRange(QDate(2004, 2, 4), QDate(self.today))
        self.followers_on.setAccessibleName("Day of the follower total")
        self.followers_on.setAccessibleDescription(
            "The day the follower total was read: today unless you change it.")
        self.followers_on.setToolTip(self.followers_on.accessibleDescription())
        self.followers_on.dateChanged.connect(self._changed_later)
        self.followers_on.setEnabled(False)  # a day for a total: once there is one
        self.followers.valueChanged.connect(
            lambda value: self.followers_on.setEnabled(value > 0))
        followers_on_label = QLabel("&on")
        followers_on_label.setBuddy(self.followers_on)

        self.dates = QComboBox()
        self.dates.setAccessibleName("Date order")
        self.dates.setAccessibleDescription(
            "How to read dates such as 01/03/2024 when a file's dates could be either way.")
        for text, order in DATE_ORDERS:
            self.dates.addItem(text, order)
        self.dates.currentIndexChanged.connect(self.refresh_preview)
        dates_label = QLabel("&Date order:")
        dates_label.setBuddy(self.dates)

        row = QHBoxLayout()
        row.addWidget(self.followers)
        row.addWidget(followers_on_label)
        row.addWidget(self.followers_on)
        row.addSpacing(24)
        row.addWidget(dates_label)
        row.addWidget(self.dates, 1)
        form.addRow(followers_label, row)

        # asked only of some files: shown once the importer asks (see _show_asked)
        self.on = _DayEdit(self.today)
        self.on.setAccessibleName("Day of the follower total in the Audience export")
        self.on.setAccessibleDescription(
            "Which day the Audience export's follower total is from: the file does not say.")
        self.on.setToolTip(self.on.accessibleDescription())
        self.on.dateChanged.connect(self._changed_later)
        on_label = QLabel("Audience &total's day:")
        on_label.setBuddy(self.on)
        form.addRow(on_label, _left(self.on))
        self.year = QSpinBox()
        self.year.setRange(2003, self.today.year)  # 2003: not given
        self.year.setSpecialValueText(NOT_GIVEN)
        self.year.setValue(2003)
        self.year.setMinimumWidth(120)
        self.year.setAccessibleName("Year the dates start in")
        self.year.setAccessibleDescription(
            "The year of the first date in files whose dates have no year (such as 12 Feb); "
            "later dates move on a year where they pass from December into January.")
        self.year.setToolTip(self.year.accessibleDescription())
        self.year.valueChanged.connect(self._changed_later)
        year_label = QLabel("&Year dates start in:")
        year_label.setBuddy(self.year)
        form.addRow(year_label, _left(self.year))
        self.answers_form = form
        self.asked_rows = {"on": on_label, "year": year_label}
        for label in self.asked_rows.values():
            form.setRowVisible(label, False)

        self.replace = QCheckBox(REPLACE_TEXT)
        self.replace.setAccessibleName(REPLACE_TEXT.replace("&", ""))
        self.replace.setAccessibleDescription(
            "Unticked, a day that already has a reading synced from Facebook keeps it.")
        self.replace.toggled.connect(self.refresh_preview)
        form.addRow("", self.replace)
        return box

    def _banner(self, name: str, title: str, status: Status) -> QFrame:
        frame = QFrame()
        frame.setObjectName(name)
        colour = self.theme.status[status]
        frame.setStyleSheet(f"QFrame#{name} {{ border: 2px solid {colour}; border-radius: 4px; "
                            f"background: {self.theme.bands.get(status, 'palette(base)')}; }}")
        row = QHBoxLayout(frame)
        row.setContentsMargins(8, 6, 8, 6)
        icon = QLabel()
        kind = (QStyle.StandardPixmap.SP_MessageBoxWarning if status is Status.AMBER
                else QStyle.StandardPixmap.SP_MessageBoxCritical)
        icon.setPixmap(QApplication.style().standardIcon(kind).pixmap(24, 24))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QLabel()
        text.setObjectName(f"{name}-text")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setStyleSheet(f"color: {self.theme.text};")
        text.setAccessibleName(title)
        row.addWidget(icon)
        row.addWidget(text, 1)
        frame.text = text  # type: ignore[attr-defined]
        frame.hide()
        return frame

    def _browser(self, name: str) -> QTextBrowser:
        browser = QTextBrowser()
        browser.setAccessibleName(name)
        browser.setOpenLinks(False)
        browser.setTabChangesFocus(True)
        browser.setFrameShape(QFrame.Shape.NoFrame)
        return browser

    # Previewing ------------------------------------------------------------------------------

    def options(self) -> ImportOptions:
        text = self.page.currentText().strip()
        page: str | None = None
        if text:
            index = self.page.findText(text, Qt.MatchFlag.MatchFixedString)
            page = self.page.itemData(index) if index >= 0 else text
        followers = self.followers.value() or None
        followers_on = self.followers_on.date().toPython()
        year = self.year.value()
        return ImportOptions(page=page, followers=followers,
                             followers_on=None if followers_on == self.today else followers_on,
                             dates=self.dates.currentData(),
                             columns=dict(self.column_choices),  # a copy: kept as previewed
                             replace_synced=self.replace.isChecked(), on=self.on.day(),
                             year=year if year != self.year.minimum() else None)

    def choose_column(self, number: int, title: str, field: str) -> None:
        """The officer chose what a column of file ``number`` holds: preview again.

        A field comes from one column, so a column of this file that showed the same field
        is then not used. "(not used)" is kept as a choice only for a column the importer
        would otherwise read by its title."""
        section = self.column_sections[number]
        if field != "ignore":
            for other, shown in section.shown().items():
                if shown == field and _norm(other) != _norm(title):
                    self._set_choice(other, "ignore")
        self._set_choice(title, field)
        # shown at once, even when the file cannot be read again (a question about dates)
        section.set_columns(tuple(section.titles.values()),
                            _columns_used(tuple(section.titles.values()), self.column_choices))
        self.refresh_preview()

    def _set_choice(self, title: str, field: str) -> None:
        key = _norm(title)
        for chosen in [t for t in self.column_choices if _norm(t) == key]:
            del self.column_choices[chosen]
        if field != "ignore" or key in GENERIC_HEADERS:
            self.column_choices[title] = field

    def _changed_later(self) -> None:
        self.refresh_timer.start()

    def _refresh_if_changed(self) -> None:
        if self.refresh_timer.isActive():
            self.refresh_preview()

    @property
    def busy(self) -> bool:
        """A preview or an import is under way (or a preview waits to start)."""
        return self.task is not None or self._again

    def refresh_preview(self) -> None:
        """Preview again, in the background, with the answers as they are now (writes
        nothing). A preview under way with other answers is stopped, and this one starts
        as soon as it has."""
        self.refresh_timer.stop()
        if self._closing:
            return
        task = self.task
        if task is None:
            self._start_preview()
        elif task.name == PREVIEWING and self.options() != self._reading:
            self._again = True
            task.cancel()
            self._words = "Reading the files again with the new answers…"
            self._show_activity()
        # (while importing, the answers cannot change)

    def _start_preview(self) -> None:
        self._again = False
        self.stopped = ""
        self.error.hide()
        self._reading = options = self.options()
        self._words = "Reading the files…"
        self._start(Operation(PREVIEWING, functools.partial(
            self.session.preview, list(self.paths), options)),
            functools.partial(self._previewed, options), self._preview_failed)
        if self.preview is None:  # (a preview shown stays until the next one is ready)
            self.overview.setHtml(self._overview_html())

    def _start(self, task: Operation, succeeded: Callable, failed: Callable) -> None:
        task.progress(self._progress).success(succeeded).failure(failed).ends(self._task_ended)
        self.task = task
        if self.progress.isHidden():  # (shown already when a preview restarts)
            self.activity_timer.start()
        started = self.runner.start(task)  # the dialog's runner runs nothing else
        assert started, "the import dialog's runner was busy"
        self._show_activity()

    def stop(self) -> None:
        """Stop the preview or import under way (Stop): nothing is written."""
        if self.task is not None:
            self._again = False
            self.task.cancel()  # (Stop stays enabled: disabled, it would pass the focus on)
            self._words = "Stopping…"
            self._show_activity()

    def _progress(self, step: ImportProgress) -> None:
        if self.task is None or self.task.cancel_event.is_set():
            return  # stopping: its last reports are not news
        self._words = str(step)
        if step.step == "reading" and step.files > 1:
            self.progress.setRange(0, step.files)  # how many files are read
            self.progress.setValue(step.number - 1)
        else:
            self.progress.setRange(0, 0)  # busy: a file's length in rows is not known
        self._show_activity()

    def _previewed(self, options: ImportOptions, preview: Preview) -> None:
        if self._again or self._closing:
            return  # finished as it was stopped: a newer preview is coming
        self._latest = (preview, options)  # shown, all at once, when the job has ended

    def _preview_failed(self, error: Exception) -> None:
        if self._again or self._closing:
            return
        self.preview = None
        if isinstance(error, ImportCancelledError):
            self.stopped = "preview"
        elif isinstance(error, EngageError):
            self._show_error("The files could not be previewed", error)
        else:
            self._unexpected("preview", error)

    def _unexpected(self, what: str, error: Exception) -> None:
        """A bug: said in the dialog, then raised (so that it is reported, never hidden)."""
        self._show_error(f"The {what} stopped on an unexpected problem", EngageError(
            f"{type(error).__name__} in Engage Desktop.", "Nothing was written. Please "
            "report this problem."))
        raise error

    def _task_ended(self) -> None:
        self.task = None
        latest, self._latest = self._latest, None
        if self._closing or self._again:
            return  # (a preview with newer answers starts once the runner is free)
        if latest is not None:
            self.preview, self.previewed_options = latest
        self.activity_timer.stop()
        self._show()

    def _runner_busy(self, busy: bool) -> None:
        if not busy:  # once everyone has heard that the runner is free
            QTimer.singleShot(0, self, self._runner_free)

    def _runner_free(self) -> None:
        """Start the preview asked for meanwhile, or close after an import."""
        if self._closing or self.task is not None:
            return
        if self.imported is not None:
            self.accept()
        elif self._again:
            self._start_preview()

    def _show_activity(self) -> None:
        """The job under way, if any: its words in the summary, a progress bar and Stop
        (once it has taken a moment), and the answers locked while importing."""
        task = self.task
        working = task is not None or self._again
        importing = task is not None and task.name == IMPORTING
        late = working and not self.activity_timer.isActive()
        self.progress.setVisible(late)
        again = not working and self.stopped == "preview"
        if again and self.stop_button.hasFocus():
            self.again_button.show()
            self.again_button.setFocus()  # the keyboard stays where it was
        self.stop_button.setVisible(late)
        self.again_button.setVisible(again)
        self.progress.setAccessibleName("Import progress" if importing else "Preview progress")
        self.stop_button.setAccessibleName("Stop the import" if importing
                                           else "Stop the preview")
        self.stop_button.setToolTip(tooltip(
            "Stop importing: nothing is written" if importing else
            "Stop reading the files: nothing is written, and the dialog stays open"))
        self.answers.setEnabled(not importing)
        for section in self.column_sections:
            section.setEnabled(not importing)
        enabled = not working and self.can_import()
        if not enabled and self.import_button.hasFocus():
            # not onto the next button, Cancel, which Enter would then press: onto the
            # preview, where what Import would write is shown
            self.tabs.setFocus()
        self.import_button.setEnabled(enabled)
        if working:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
        text = self._words if working else self._summary()
        self.summary.setText(text)
        self.summary.setAccessibleDescription(text)
        self.progress.setAccessibleDescription(text if working else "")

    def needs_answers(self) -> list[str]:
        """The questions and file problems, as shown (each starts with what it is)."""
        if self.preview is None:
            return []
        lines = [f"Needs an answer: {q}{WHERE_ANSWERED.get(q.need, '')}"
                 for q in self.preview.questions]
        lines += [f"Cannot read {report.path.name}: {report.problem}"
                  + (WHERE_COLUMNS if not section.isHidden() else "")
                  for report, section in zip(self.preview.files, self.column_sections,
                                             strict=True) if report.problem]
        return lines

    def can_import(self) -> bool:
        return bool(self.preview and self.preview.ready and self.preview.changes > 0)

    def _show_columns(self, section: ColumnChoices, report: FileReport) -> None:
        if not report.header:
            # not read far enough to know its columns this time (a question about its
            # dates): the section stays as it was, so a choice can still be changed back
            return
        if report.format not in COLUMN_FORMATS:
            section.hide()
            return
        used = ({_norm(title): field for title, field in report.mapping.items()}
                if report.format else _columns_used(report.header, self.column_choices))
        section.set_columns(report.header, used)
        section.setVisible(bool(section.combos))

    def _show_asked(self) -> None:
        """Show the inputs for the answers only some files need once the importer asks for
        them (and keep them, so that the answer can be changed)."""
        needs = self.preview.needs if self.preview else set()
        for need, label in self.asked_rows.items():
            if need in needs and not self.answers_form.isRowVisible(label):
                self.answers_form.setRowVisible(label, True)

    def _show(self) -> None:
        preview = self.preview
        self._show_asked()
        for report, section in zip(preview.files if preview else [], self.column_sections,
                                   strict=False):
            self._show_columns(section, report)
        lines = self.needs_answers()
        if lines:
            self.questions.text.setText("<br>".join(  # type: ignore[attr-defined]
                "<b>{}:</b> {}".format(*map(html.escape, line.split(": ", 1)))
                for line in lines))
            self.questions.text.setAccessibleDescription(  # type: ignore[attr-defined]
                " ".join(lines))
        self.questions.setVisible(bool(lines))
        self._show_activity()
        self.overview.setHtml(self._overview_html())
        for index, (details, sample) in enumerate(self.file_tabs):
            report = preview.files[index] if preview else None
            details.setHtml(self._file_html(report) if report else "")
            self._fill_sample(sample, report)
            name = mnemonic_safe(self.paths[index].name)
            self.tabs.setTabText(index + 1, f"⚠ {name}" if report and report.problem
                                 else name)

    def _summary(self) -> str:
        preview = self.preview
        if self.stopped == "preview":
            return "Preview stopped: choose Preview again, or change an answer, to read the files."
        if preview is None:
            return "Nothing can be imported until the files can be read."
        if self.stopped == "import":
            return "Import stopped: nothing was written. Choose Import to import after all."
        if not preview.ready:
            return "Answer the questions above to see what would be imported."
        if preview.changes == 0:
            return ("Nothing to import: every number in these files is already in the "
                    "database (or a synced one is kept).")
        new = sum(1 for plan in preview.pages if plan.new)
        pages = counted(len(preview.pages), "Page") + (f" ({new} new)" if new else "")
        return (f"Ready to import {counted(preview.changes, 'change')} for {pages}. Nothing "
                "is written until you choose Import.")

    def _overview_html(self) -> str:
        preview = self.preview
        if preview is None and self.busy:
            return ("<p>The files are being read. What importing them would change is shown "
                    "here once they have been read; the answers above can be changed "
                    "meanwhile.</p>")
        if preview is None and self.stopped:
            return "<p>The preview was stopped before the files had been read.</p>"
        if preview is None:
            return ""
        parts = []
        if preview.pages:
            parts.append("<h3>Pages</h3>")
            parts.extend(self._page_html(plan) for plan in preview.pages)
        elif not any(r.problem for r in preview.files):
            parts.append("<p>The Pages these numbers are for are not settled yet: see the "
                         "questions above.</p>")
        parts.append("<h3>Files</h3><ul>")
        for report in preview.files:
            name = html.escape(report.path.name)
            if report.problem:
                parts.append(f"<li><b>{name}</b>: cannot be imported "
                             f"({html.escape(report.problem)})</li>")
                continue
            kind = html.escape(FORMAT_NAMES.get(report.format, report.format))
            notes = "".join(f"<br>{html.escape(note)}." for note in report.notes)
            parts.append(f"<li><b>{name}</b>: {kind}. {self._rows_text(report)}; "
                         f"{padded_days(report.first_day, report.last_day)}.{notes}</li>")
        parts.append("</ul>")
        return "".join(parts)

    def _page_html(self, plan: PagePlan) -> str:
        status = "a new Page" if plan.new else "already in the database"
        lines = []
        readings = plan.readings_new + plan.readings_changed + plan.readings_unchanged
        if readings or plan.readings_synced_kept or plan.readings_synced_replaced:
            lines.append(f"Daily readings (followers, likes, talking about): "
                         f"{plan.readings_new:,} new, {plan.readings_changed:,} changed, "
                         f"{plan.readings_unchanged:,} unchanged.")
        if plan.readings_synced_kept:
            lines.append(f"{counted(plan.readings_synced_kept, 'day')} already "
                         f"{'has' if plan.readings_synced_kept == 1 else 'have'} a reading "
                         "synced from Facebook: the synced reading is kept (tick “Imported "
                         "numbers replace synced ones” to use the file's instead).")
        if plan.readings_synced_replaced:
            lines.append(f"{counted(plan.readings_synced_replaced, 'day')} with a synced "
                         "reading: the imported numbers replace it.")
        insights = plan.insights_new + plan.insights_changed + plan.insights_unchanged
        if insights or plan.insights_synced_kept:
            lines.append(f"Insights values: {plan.insights_new:,} new, "
                         f"{plan.insights_changed:,} changed, "
                         f"{plan.insights_unchanged:,} unchanged"
                         + (f", {plan.insights_synced_kept:,} synced ones kept"
                            if plan.insights_synced_kept else "") + ".")
        lines.append(f"Dates: {padded_days(plan.first_day, plan.last_day)}.")
        if plan.followers_from:
            lines.append(f"Follower totals (not in the files) come from "
                         f"{html.escape(plan.followers_from)}.")
        items = "".join(f"<li>{line}</li>" for line in lines)
        return (f"<p><b>{html.escape(plan.name)}</b> — {status}"
                f"{'' if plan.changes else ' (nothing changes)'}</p><ul>{items}</ul>")

    @staticmethod
    def _rows_text(report: FileReport) -> str:
        return (f"{counted(report.rows_read, 'row')} read, {report.rows_used:,} to import, "
                f"{report.skipped:,} skipped")

    def _file_html(self, report: FileReport) -> str:
        parts = [f"<h3>{html.escape(report.path.name)}</h3>",
                 f"<p style='color:gray'>{html.escape(str(report.path.parent))}</p>"]
        if report.problem:
            parts.append(f"<p><b>Cannot be imported:</b> "
                         f"{html.escape(report.problem)}</p>")
        rows = []
        if report.format:
            rows.append(("Format", FORMAT_NAMES.get(report.format, report.format)))
        if report.container:
            rows.append(("File type", report.container))
        if report.mapping:
            rows.append(("Columns", _columns_text(report.mapping)))
        if report.breakdowns_left_out or report.columns_ignored:
            rows.append(("Not kept", _left_out_text(report)))
        if report.format:
            rows.append(("Rows", self._rows_text(report)))
            rows.append(("Dates", padded_days(report.first_day, report.last_day)))
        if report.date_order:
            rows.append(("Date order", report.date_order[0].upper() + report.date_order[1:]))
        rows += [("Note", note) for note in report.notes]
        if rows:
            parts.append("<table cellspacing='0' cellpadding='3'>" + "".join(
                f"<tr><td><b>{label}:</b></td><td>{html.escape(text)}</td></tr>"
                for label, text in rows) + "</table>")
        if report.skips:
            parts.append("<p><b>Skipped rows:</b></p><ul>" + "".join(
                f"<li>Line {skip.line:,}: {html.escape(skip.reason)}</li>"
                for skip in report.skips) + "</ul>")
            more = report.skipped - len(report.skips)
            if more > 0:
                parts.append(f"<p>… and {counted(more, 'more skipped row')} not listed.</p>")
        return "".join(parts)

    @staticmethod
    def _fill_sample(table: QTableWidget, report: FileReport | None) -> None:
        rows = report.sample if report else []
        header = list(report.header) if report else []
        # (a file not recognised has no rows here, but its titles still show)
        width = max((len(row) for row in rows), default=len(header))
        # fitted to their contents once, when filled: fitting every column again as each
        # title is set took minutes for a classic export's 2,700 columns
        titles = table.horizontalHeader()
        titles.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(width)
        table.setHorizontalHeaderLabels(
            [header[i] if i < len(header) and header[i].strip() else _column_letter(i)
             for i in range(width)])
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(cell))
        titles.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    # Importing -------------------------------------------------------------------------------

    def _show_error(self, title: str, error: EngageError) -> None:
        text = f"<b>{html.escape(title)}:</b> {html.escape(in_window(error.message))}"
        if error.hint:
            text += f"<br>{html.escape(in_window(error.hint))}"
        self.error.text.setText(text)  # type: ignore[attr-defined]
        self.error.text.setAccessibleDescription(  # type: ignore[attr-defined]
            error_words(error, f"{title}:"))
        self.error.show()

    def do_import(self) -> None:
        """Write what the preview shows, in the background, then close; a failure is shown
        here instead."""
        previewing = self.task is not None and self.task.name == PREVIEWING
        shown = self._reading if previewing else self.previewed_options
        if self.refresh_timer.isActive() or self.options() != shown:
            # An answer changed (Enter pressed while typing a Page name or a total) and the
            # preview does not show it yet: show it first, never import what was not shown.
            self.refresh_preview()
            return
        if self.busy or not self.can_import():
            return
        self.error.hide()
        self.stopped = ""
        self._words = "Importing: " + str(ImportProgress("writing"))
        self._start(Operation(IMPORTING, functools.partial(self.session.commit, self.preview)),
                    self._import_done, self._import_failed)

    def _import_done(self, preview: Preview) -> None:
        self.imported = preview  # the dialog closes once the runner is free

    def _import_failed(self, error: Exception) -> None:
        if self._closing:
            return
        if isinstance(error, ImportCancelledError):
            self.stopped = "import"
        elif isinstance(error, EngageError):
            self._show_error("Import failed", error)
        else:
            self._unexpected("import", error)

    # Closing ---------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing (Import, Cancel, Escape, the window's close button): the job under way is
        stopped and waited for, and the dialog's connection closed."""
        self._finish()
        if self.imported is not None:
            result = QDialog.DialogCode.Accepted  # written before the stop came: say so
        super().done(result)

    def closeEvent(self, event) -> None:
        self._finish()  # (done() is not called for a dialog never shown)
        super().closeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DeferredDelete:
            self._finish()  # deleted without being closed: its job must not outlive it
        return super().event(event)

    def _finish(self) -> None:
        if self._closing:
            return
        self._closing = True
        self._again = False
        self.refresh_timer.stop()
        self.activity_timer.stop()
        # (a job whose thread has ended may still have its last signals on their way)
        if (self.runner.busy or self.task is not None) and not self.runner.stop():
            return  # still running after a minute: it keeps the connection until it ends
        self.session.close()


def _left_out_text(report: FileReport) -> str:
    parts = []
    if report.breakdowns_left_out:
        parts.append(f"{counted(report.breakdowns_left_out, 'breakdown column')} (by city, "
                     "country, age, paid or organic…): only Page-level figures are kept")
    if report.columns_ignored:
        parts.append(f"{counted(report.columns_ignored, 'column')} with no meaning here")
    return "; ".join(parts)


COLUMNS_NAMED = 8  # Insights columns named on a file's tab; beyond this, counted


def _columns_text(mapping: dict[str, str]) -> str:
    """Which column became what: every column that gives a reading, date or Page, and the
    Insights columns by name while they are few (a classic export has dozens)."""
    named = [(column, field) for column, field in mapping.items() if field in FIELD_NAMES]
    insights = [(column, field) for column, field in mapping.items()
                if field not in FIELD_NAMES]
    text = "; ".join(f"“{column}” → {FIELD_NAMES[field]}" for column, field in named)
    if len(insights) <= COLUMNS_NAMED:
        return "; ".join(filter(None, [text, *(f"“{column}” → Insights: {field}"
                                                for column, field in insights)]))
    return "; ".join(filter(None, [text, f"{counted(len(insights), 'more column')} kept as "
                                         "Insights values"]))
