"""The import dialog's inputs for the answers only some files need: the day of an Audience
export's follower total, the year of dates written without one, and the day of a follower
total given by hand."""

from __future__ import annotations

import codecs
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialog, QLabel
from window_helpers import click_import, import_settled

from engage_desktop.core.timeutil import from_utc_text, uk_day, utc_now
from engage_desktop.ui import app as ui_app
from engage_desktop.ui.import_dialog import ImportDialog
from engage_desktop.ui.import_dialog.answers import DayEdit

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))


def audience_export(folder: Path) -> Path:
    lines = ["sep=,", '"Facebook followers"', '"FB_PAGE FOLLOW UNIQUE_USERS"', '"4347"', "",
             '"Instagram followers"', '"IG_USER FOLLOW UNIQUE_USERS"', '"1210"', "",
             '"Top cities"', '"City","Value"', '"Kelderby, England","42.5"']
    path = folder / "Audience.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    return path


def yearless_sheet(folder: Path) -> Path:
    path = folder / "kept by hand.csv"
    path.write_text("Date,Followers,Talking about\n30 Dec,200,3\n31 Dec,201,4\n1 Jan,202,5\n",
                    encoding="utf-8")
    return path


def follows_file(folder: Path) -> Path:
    lines = ["sep=,", '"Facebook follows"', '"Date","Primary"']
    lines += [f'"2025-01-{d:02d}T00:00:00","3"' for d in range(10, 16)]
    path = folder / "Follows.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    return path


def _dialog(qtbot, store, paths) -> ImportDialog:
    ui_app.application()
    dialog = ImportDialog(store, paths)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    import_settled(qtbot, dialog)
    return dialog


def _questions(dialog: ImportDialog) -> str:
    """The questions shown, as a screen reader gives them (plain text)."""
    return (dialog.questions.text.accessibleDescription()
            if dialog.questions.isVisibleTo(dialog) else "")


def _label_of(dialog: ImportDialog, widget) -> str:
    (label,) = [label for label in dialog.findChildren(QLabel) if label.buddy() is widget]
    return label.text()


def _followers(store) -> list[tuple[date, int]]:
    return [(uk_day(from_utc_text(taken)), followers) for taken, followers in store.conn.execute(
        "SELECT taken_at, followers FROM readings ORDER BY taken_at")]


def _save(qtbot, widget, name: str) -> None:
    qtbot.wait(20)  # laid out again after the preview, as on screen
    ARTIFACTS.mkdir(exist_ok=True)
    widget.grab().save(str(ARTIFACTS / f"{name}.png"))


def test_the_audience_exports_day_is_asked_for_and_imported(qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [audience_export(tmp_path)])
    assert dialog.on.isVisibleTo(dialog)  # asked: shown
    assert not dialog.year.isVisibleTo(dialog)  # not asked: hidden
    assert dialog.on.text() == "Not given" and dialog.options().on is None
    assert dialog.on.accessibleName() == "Day of the follower total in the Audience export"
    assert _label_of(dialog, dialog.on) == "Audience &total's day:"
    assert "Which day is this follower total from?" in _questions(dialog)
    assert "Audience total's day, above" in _questions(dialog)
    _save(qtbot, dialog, "import-audience-asks-day")

    dialog.page.setEditText("Kelderby Museum")
    dialog.on.setDate(QDate(2025, 1, 15))
    import_settled(qtbot, dialog)  # previewed once the answer settles
    assert dialog.options().on == date(2025, 1, 15)
    assert dialog.import_button.isEnabled(), _questions(dialog)
    assert dialog.on.isVisibleTo(dialog)  # answered: still there to be changed
    assert "Meta Business Suite Audience export" in dialog.file_tabs[0][0].toPlainText()
    _save(qtbot, dialog, "import-audience-answered")
    click_import(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _followers(store) == [(date(2025, 1, 15), 4347)]


def test_the_day_starts_from_today_when_stepped_from_not_given(qtbot, store,
                                                               tmp_path) -> None:
    dialog = _dialog(qtbot, store, [audience_export(tmp_path)])
    dialog.on.setFocus()
    qtbot.keyClick(dialog.on, Qt.Key.Key_Up)
    assert dialog.on.day() == uk_day(utc_now())
    qtbot.keyClick(dialog.on, Qt.Key.Key_Down)  # then the keys step the day
    assert dialog.on.day() is not None and dialog.on.day() != uk_day(utc_now())


@pytest.mark.parametrize("today", [date(2026, 12, 1), date(2027, 3, 1), date(2026, 11, 18)])
def test_the_keys_step_whole_days_across_the_start_of_a_month(qtbot, today) -> None:
    edit = DayEdit(today)
    qtbot.addWidget(edit)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Down)  # from "not given": today
    assert edit.day() == today
    qtbot.keyClick(edit, Qt.Key.Key_Up)  # never after today
    assert edit.day() == today
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.day() == today - timedelta(days=1)
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.day() == today


def test_the_calendar_opens_on_this_month_not_on_the_not_given_mark(qtbot, store,
                                                                    tmp_path) -> None:
    dialog = _dialog(qtbot, store, [audience_export(tmp_path)])
    arrow = QPoint(dialog.on.width() - 6, dialog.on.height() // 2)  # the drop-down arrow
    qtbot.mouseClick(dialog.on, Qt.MouseButton.LeftButton, pos=arrow)
    qtbot.waitUntil(dialog.on.calendarWidget().isVisible)
    assert dialog.on.day() == uk_day(utc_now())
    calendar = dialog.on.calendarWidget()
    today = uk_day(utc_now())
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    if calendar.window().isVisible():
        calendar.window().close()


def test_the_year_of_dates_without_one_is_asked_for(qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [yearless_sheet(tmp_path)])
    assert dialog.year.isVisibleTo(dialog) and not dialog.on.isVisibleTo(dialog)
    assert dialog.year.text() == "Not given" and dialog.options().year is None
    assert dialog.year.accessibleName() == "Year the dates start in"
    assert "which year do they start in?" in _questions(dialog)
    assert "Year the dates start in, above" in _questions(dialog)
    dialog.page.setEditText("Kelderby Youth Service")
    dialog.year.setValue(2024)
    dialog.refresh_preview()
    import_settled(qtbot, dialog)
    assert dialog.import_button.isEnabled(), _questions(dialog)
    assert "30 Dec 2024 to 01 Jan 2025" in dialog.overview.toPlainText()
    click_import(qtbot, dialog)
    assert [day for day, _ in _followers(store)] == [date(2024, 12, 30), date(2024, 12, 31),
                                                     date(2025, 1, 1)]


def test_a_follower_total_has_its_day(qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [follows_file(tmp_path)])
    assert dialog.followers_on.date().toPython() == uk_day(utc_now())  # today unless changed
    assert dialog.followers_on.accessibleName() == "Day of the follower total"
    assert _label_of(dialog, dialog.followers_on) == "&on"
    assert "Follower total, above" in _questions(dialog) or "Page, above" in _questions(dialog)
    dialog.page.setEditText("Kelderby Museum")
    assert not dialog.followers_on.isEnabled()  # a day for a total: once there is one
    dialog.followers.setValue(2000)
    assert dialog.followers_on.isEnabled()
    dialog.followers_on.setDate(QDate(2025, 1, 16))
    dialog.refresh_preview()
    import_settled(qtbot, dialog)
    assert dialog.options().followers_on == date(2025, 1, 16)
    assert dialog.import_button.isEnabled(), _questions(dialog)
    assert "the total of 2,000 followers on 16 Jan 2025, as given" in \
        dialog.overview.toPlainText()
    _save(qtbot, dialog, "import-followers-dated")
    click_import(qtbot, dialog)
    assert (date(2025, 1, 16), 2000) in _followers(store)


def test_nothing_extra_is_shown_for_files_that_ask_nothing_more(qtbot, store,
                                                                tmp_path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Date,Followers\n13/03/2024,200\n14/03/2024,201\n", encoding="utf-8")
    dialog = _dialog(qtbot, store, [sheet])
    assert not dialog.on.isVisibleTo(dialog) and not dialog.year.isVisibleTo(dialog)
    options = dialog.options()
    assert options.on is None and options.year is None and options.followers_on is None
