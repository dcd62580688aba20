"""The import dialog's "Answers for the importer": the Page for files that name none, a follower
total and its day, the date order, the Audience export's day, the year dates start in, and
whether imported numbers replace synced ones; read together as the importer's options."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from engage_desktop.core.importing import ImportOptions, Order
from engage_desktop.core.models import Page

DATE_ORDERS = (("Not needed / ask", None),
               ("Day first (UK: 01/03/2024 = 1 March)", Order.DAY_FIRST),
               ("Month first (US: 03/01/2024 = 1 March)", Order.MONTH_FIRST))
REPLACE_TEXT = "Imported numbers &replace synced ones for the same day"
NOT_GIVEN = "Not given"


def _left(widget: QWidget) -> QHBoxLayout:
    """``widget`` at its own width, on the left of its row."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


class DayEdit(QDateEdit):
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


class AnswersBox(QGroupBox):
    """The answers the importer may need. A change of choice calls ``now``; typing (a Page
    name, a total, a day) calls ``later``, and Enter in the Page box calls ``entered`` once
    the dialog has seen the key (so that the same key press never imports what the preview
    has not shown)."""

    def __init__(self, pages: Sequence[Page], today: date, now: Callable[[], None],
                 later: Callable[[], None], entered: Callable[[], None]) -> None:
        super().__init__("Answers for the importer")
        self.today = today
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.page = QComboBox()
        self.page.setEditable(True)
        self.page.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.page.setAccessibleName("Page")
        self.page.setAccessibleDescription(
            "The Page for files that do not name one: choose an existing Page or type the "
            "name of a new one.")
        for page in sorted(pages, key=lambda p: p.name.lower()):
            self.page.addItem(page.name, page.id)
        self.page.setCurrentIndex(-1)
        self.page.lineEdit().setPlaceholderText(
            "Only for files that do not name their Page: choose one, or type a new name")
        self.page.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.page.currentTextChanged.connect(later)
        self.page.lineEdit().returnPressed.connect(lambda: QTimer.singleShot(0, entered))
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
        self.followers.valueChanged.connect(later)
        followers_label = QLabel("&Follower total:")
        followers_label.setBuddy(self.followers)
        self.followers_on = QDateEdit(QDate(today))
        self.followers_on.setCalendarPopup(True)
        self.followers_on.setDisplayFormat("d MMM yyyy")
        self.followers_on.setDateRange(QDate(2004, 2, 4), QDate(today))
        self.followers_on.setAccessibleName("Day of the follower total")
        self.followers_on.setAccessibleDescription(
            "The day the follower total was read: today unless you change it.")
        self.followers_on.setToolTip(self.followers_on.accessibleDescription())
        self.followers_on.dateChanged.connect(later)
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
        self.dates.currentIndexChanged.connect(now)
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

        # asked only of some files: shown once the importer asks (see show_asked)
        self.on = DayEdit(today)
        self.on.setAccessibleName("Day of the follower total in the Audience export")
        self.on.setAccessibleDescription(
            "Which day the Audience export's follower total is from: the file does not say.")
        self.on.setToolTip(self.on.accessibleDescription())
        self.on.dateChanged.connect(later)
        on_label = QLabel("Audience &total's day:")
        on_label.setBuddy(self.on)
        form.addRow(on_label, _left(self.on))
        self.year = QSpinBox()
        self.year.setRange(2003, today.year)  # 2003: not given
        self.year.setSpecialValueText(NOT_GIVEN)
        self.year.setValue(2003)
        self.year.setMinimumWidth(120)
        self.year.setAccessibleName("Year the dates start in")
        self.year.setAccessibleDescription(
            "The year of the first date in files whose dates have no year (such as 12 Feb); "
            "later dates move on a year where they pass from December into January.")
        self.year.setToolTip(self.year.accessibleDescription())
        self.year.valueChanged.connect(later)
        year_label = QLabel("&Year dates start in:")
        year_label.setBuddy(self.year)
        form.addRow(year_label, _left(self.year))
        self.form = form
        self.asked_rows = {"on": on_label, "year": year_label}
        for label in self.asked_rows.values():
            form.setRowVisible(label, False)

        self.replace = QCheckBox(REPLACE_TEXT)
        self.replace.setAccessibleName(REPLACE_TEXT.replace("&", ""))
        self.replace.setAccessibleDescription(
            "Unticked, a day that already has a reading synced from Facebook keeps it.")
        self.replace.toggled.connect(now)
        form.addRow("", self.replace)

    def options(self, columns: dict[str, str]) -> ImportOptions:
        """The answers as the importer's options, with the officer's ``columns`` choices."""
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
                             columns=dict(columns),  # a copy: kept as previewed
                             replace_synced=self.replace.isChecked(), on=self.on.day(),
                             year=year if year != self.year.minimum() else None)

    def show_asked(self, needs: set[str]) -> None:
        """Show the inputs for the answers only some files need once the importer asks for
        them (and keep them, so that the answer can be changed)."""
        for need, label in self.asked_rows.items():
            if need in needs and not self.form.isRowVisible(label):
                self.form.setRowVisible(label, True)
