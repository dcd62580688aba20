"""Importing files from the window: the Import action, dropping files on the window, and the
preview dialog's questions, counts and Import button."""

from __future__ import annotations

import codecs
import os
from datetime import date, datetime, time
from pathlib import Path

import pytest
from factories import page, reading
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QToolBar
from window_helpers import click_import, import_settled

from engage_desktop.core.errors import EngageError
from engage_desktop.core.importing import Importer, Order
from engage_desktop.core.timeutil import UK
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import fitting
from engage_desktop.ui.import_dialog import ImportDialog
from engage_desktop.ui.traffic_model import PAGE

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))


def generic_csv(folder: Path, name: str = "readings.csv") -> Path:
    path = folder / name
    path.write_text("Date,Followers,Talking about\n"
                    "01/03/2024,200,3\n"
                    "02/03/2024,201,4\n"
                    "13/03/2024,205,lots\n"  # day 13: the dates are day first
                    "14/03/2024,206,5\n", encoding="utf-8")
    return path


def ambiguous_csv(folder: Path) -> Path:
    path = folder / "ambiguous.csv"
    path.write_text("Date,Followers,Talking about\n01/03/2024,200,3\n02/03/2024,201,4\n",
                    encoding="utf-8")
    return path


def mbs_metric_file(folder: Path, name: str = "Content interactions.csv") -> Path:
    """A Meta Business Suite metric export as Meta writes it: UTF-16-LE with a BOM."""
    lines = ['sep=,', '"Content interactions"', '"Date","Primary"',
             '"2025-08-01T00:00:00","20"', '"2025-08-02T00:00:00","25"',
             '"2025-08-03T00:00:00","30"']
    text = "\r\n".join(lines) + "\r\n"
    path = folder / name
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return path


@pytest.fixture
def window(open_window, store):
    return open_window(store, (1200, 760))


def _dialog(qtbot, store, paths, parent=None) -> ImportDialog:
    ui_app.application()
    dialog = ImportDialog(store, paths, parent)
    qtbot.addWidget(dialog)
    import_settled(qtbot, dialog)
    return dialog


def _questions(dialog: ImportDialog) -> str:
    return dialog.questions.text.text() if dialog.questions.isVisibleTo(dialog) else ""


def _type_page(qtbot, dialog: ImportDialog, name: str) -> None:
    dialog.page.setFocus()
    dialog.page.lineEdit().clear()
    qtbot.keyClicks(dialog.page.lineEdit(), name)
    import_settled(qtbot, dialog)  # previewed once typing stops


def _save(widget, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    widget.grab().save(str(ARTIFACTS / f"{name}.png"))


def test_the_preview_shows_the_format_counts_and_skipped_rows(qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [generic_csv(tmp_path)])
    dialog.show()
    details, sample = dialog.file_tabs[0]
    text = details.toPlainText()
    assert "Spreadsheet (date and audience columns)" in text
    assert "CSV (UTF-8)" in text
    assert "“Talking about” → talking about" in text
    assert "4 rows read, 3 to import, 1 skipped" in text
    assert "Line 4: talking about: 'lots' is not a number" in text
    assert "01 Mar 2024 to 14 Mar 2024" in text
    assert sample.rowCount() == 4 and sample.columnCount() == 3
    assert sample.item(0, 0).text() == "01/03/2024"
    # no Page named in the file: a question, said in words, and no Import yet
    assert "Needs an answer:" in _questions(dialog)
    assert "do not say which Page" in _questions(dialog)
    assert "--page" not in _questions(dialog)
    assert not dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "&Import"

    _type_page(qtbot, dialog, "Kelderby Parks")
    assert not dialog.questions.isVisibleTo(dialog)
    assert dialog.import_button.isEnabled()
    overview = dialog.overview.toPlainText()
    assert "Kelderby Parks — a new Page" in overview
    assert "3 new, 0 changed, 0 unchanged" in overview
    assert "Ready to import 3 changes for 1 Page (1 new)" in dialog.summary.text()


def test_import_from_the_window_writes_readings_and_shows_the_new_page(
        qtbot, window, store, tmp_path) -> None:
    path = generic_csv(tmp_path)
    assert window.stack.currentIndex() == 0  # the empty state
    seen = []

    def run(dialog: ImportDialog) -> int:
        seen.append(dialog)
        dialog.show()
        assert not dialog.import_button.isEnabled()
        _type_page(qtbot, dialog, "Kelderby Parks")
        click_import(qtbot, dialog)
        return dialog.result()

    window.run_import_dialog = run
    assert window.import_files([path]) is True
    assert seen and seen[0].imported is not None
    [page_id] = [p.id for p in store.pages() if p.name == "Kelderby Parks"]
    series = store.daily_series(page_id, date(2024, 3, 1), date(2024, 3, 31))
    assert [(d.day, d.followers, d.talking_about) for d in series] == [
        (date(2024, 3, 1), 200, 3), (date(2024, 3, 2), 201, 4), (date(2024, 3, 14), 206, 5)]
    # the traffic light now has the Page, and the window left its empty state
    names = [window.proxy.index(r, PAGE).data() for r in range(window.proxy.rowCount())]
    assert names == ["Kelderby Parks"]
    assert window.stack.currentIndex() == 1
    assert [series.name for series in window.charts.series] == ["Kelderby Parks"]

    # the same file again changes nothing, so there is nothing to import
    again = _dialog(qtbot, store, [path])
    _type_page(qtbot, again, "Kelderby Parks")
    assert "0 new, 0 changed, 3 unchanged" in again.overview.toPlainText()
    assert "Nothing to import" in again.summary.text()
    assert not again.import_button.isEnabled()


def test_enter_while_typing_shows_the_preview_before_importing(qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [generic_csv(tmp_path)])
    dialog.show()
    qtbot.keyClicks(dialog.page.lineEdit(), "Kelderby Parks")
    qtbot.keyClick(dialog.page.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=300)  # sooner than the pause
    assert dialog.isVisible() and store.pages() == []  # previewed, not imported
    assert "Kelderby Parks — a new Page" in dialog.overview.toPlainText()
    qtbot.keyClicks(dialog.page.lineEdit(), " East")  # and Import before the preview caught up
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    import_settled(qtbot, dialog)
    assert dialog.isVisible() and store.pages() == []
    assert "Kelderby Parks East — a new Page" in dialog.overview.toPlainText()
    qtbot.keyClick(dialog.page.lineEdit(), Qt.Key.Key_Return)
    import_settled(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)  # (queued close)
    assert [p.name for p in store.pages()] == ["Kelderby Parks East"]


def test_cancelling_imports_nothing(qtbot, window, store, tmp_path) -> None:
    window.run_import_dialog = lambda dialog: (dialog.reject(), dialog.result())[1]
    assert window.import_files([generic_csv(tmp_path)]) is False
    assert store.pages() == []


def test_a_meta_business_suite_file_asks_for_todays_followers(qtbot, store, tmp_path) -> None:
    store.upsert_pages([page("111", "Kelderby Borough Council")])
    dialog = _dialog(qtbot, store, [mbs_metric_file(tmp_path)])
    dialog.show()
    assert "Meta Business Suite metric export" in dialog.file_tabs[0][0].toPlainText()
    assert "CSV (UTF-16)" in dialog.file_tabs[0][0].toPlainText()
    dialog.page.setCurrentIndex(dialog.page.findText("Kelderby Borough Council"))
    dialog.refresh_preview()
    import_settled(qtbot, dialog)
    assert dialog.options().page == "111"
    assert "no follower total for Kelderby Borough Council" in _questions(dialog)
    assert "Follower total, above" in _questions(dialog)
    assert not dialog.import_button.isEnabled()
    dialog.followers.setValue(4200)
    dialog.refresh_preview()
    import_settled(qtbot, dialog)
    assert dialog.import_button.isEnabled()
    overview = dialog.overview.toPlainText()
    assert "Kelderby Borough Council — already in the database" in overview
    assert "Insights values: 3 new" in overview
    assert "today's total of 4,200 followers, as given" in overview
    click_import(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(store.insights("111", "page_post_engagements")) == 3


def test_ambiguous_dates_ask_for_the_order_until_one_is_chosen(qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [ambiguous_csv(tmp_path)])
    dialog.show()
    _type_page(qtbot, dialog, "Kelderby Libraries")
    asked = _questions(dialog)
    assert "Needs an answer:" in asked and "day/month/year (UK)" in asked
    assert "(Date order, above)" in asked and "--dates" not in asked
    assert not dialog.import_button.isEnabled()
    dialog.dates.setCurrentIndex(dialog.dates.findData(Order.MONTH_FIRST))
    import_settled(qtbot, dialog)
    assert not _questions(dialog)
    assert "03 Jan 2024 to 03 Feb 2024" in dialog.overview.toPlainText()
    dialog.dates.setCurrentIndex(dialog.dates.findData(Order.DAY_FIRST))
    import_settled(qtbot, dialog)
    assert "01 Mar 2024 to 02 Mar 2024" in dialog.overview.toPlainText()
    assert dialog.import_button.isEnabled()


def test_days_with_synced_readings_are_kept_unless_replacing_is_ticked(
        qtbot, store, tmp_path) -> None:
    store.upsert_pages([page("222", "Kelderby Parks")])
    store.add_readings([reading("222", datetime.combine(date(2024, 3, 2), time(10), UK),
                                 199, 9)])
    dialog = _dialog(qtbot, store, [generic_csv(tmp_path)])
    dialog.page.setCurrentIndex(dialog.page.findText("Kelderby Parks"))
    dialog.refresh_preview()
    import_settled(qtbot, dialog)
    overview = dialog.overview.toPlainText()
    assert "2 new, 0 changed" in overview
    assert "1 day already has a reading synced from Facebook: the synced reading is kept" \
        in overview
    qtbot.mouseClick(dialog.replace, Qt.MouseButton.LeftButton)  # re-previews at once
    import_settled(qtbot, dialog)
    assert dialog.options().replace_synced
    assert "1 day with a synced reading: the imported numbers replace it" in \
        dialog.overview.toPlainText()
    assert "3 changes" in dialog.summary.text()


def test_a_failed_import_is_shown_in_the_dialog(qtbot, store, tmp_path, monkeypatch) -> None:
    def fail(self, progress=None, cancel=None):
        raise EngageError("The database is locked by another program.",
                          "Close the other program and try again.")

    monkeypatch.setattr(Importer, "commit", fail)
    dialog = _dialog(qtbot, store, [generic_csv(tmp_path)])
    dialog.show()
    _type_page(qtbot, dialog, "Kelderby Parks")
    click_import(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible()
    shown = dialog.error.text.text()
    assert "Import failed" in shown and "locked by another program" in shown
    assert "Close the other program" in shown


def test_a_file_that_cannot_be_read_says_why(qtbot, store, tmp_path) -> None:
    notes = tmp_path / "notes.csv"
    notes.write_text("Shopping\nmilk\neggs\n", encoding="utf-8")
    dialog = _dialog(qtbot, store, [notes])
    assert "Cannot read notes.csv:" in _questions(dialog)
    assert "not a format Engage Desktop knows" in dialog.overview.toPlainText()
    assert not dialog.import_button.isEnabled()


def _mime(paths: list[Path]) -> QMimeData:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return data


def test_dropping_files_on_the_window_opens_the_import_dialog(qtbot, window, tmp_path) -> None:
    files = [generic_csv(tmp_path), mbs_metric_file(tmp_path)]
    opened: list[ImportDialog] = []
    window.run_import_dialog = lambda dialog: (opened.append(dialog), 0)[1]
    assert window.acceptDrops()
    data = _mime(files)
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(window.rect().center(), actions, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(window.rect().center()), actions, data,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: len(opened) == 1)
    assert opened[0].paths == files

    web = QMimeData()
    web.setUrls([QUrl("https://example.org/export.csv")])
    enter = QDragEnterEvent(window.rect().center(), actions, web, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert not enter.isAccepted()


def test_ctrl_i_chooses_files_then_opens_the_dialog(qtbot, window, tmp_path,
                                                    monkeypatch) -> None:
    path = generic_csv(tmp_path)
    asked = []

    def choose(parent, caption, folder, filters):
        asked.append(filters)
        return [str(path)], filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    opened: list[ImportDialog] = []
    window.run_import_dialog = lambda dialog: (opened.append(dialog), 0)[1]
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.import_action in window.findChild(QToolBar, "main-toolbar").actions()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert asked and "*.csv" in asked[0] and "*.xlsx" in asked[0] and "(*)" in asked[0]
    assert [d.paths for d in opened] == [[path]]
    assert window.settings.value("import/folder") == str(tmp_path)


def test_the_empty_state_mentions_importing(window) -> None:
    texts = [label.text() for label in window.stack.widget(0).findChildren(QLabel)]
    assert any("Meta Business Suite" in t and "Ctrl+I" in t and "drag" in t for t in texts)
    assert window.import_button.isEnabled()


def test_every_input_has_a_name_and_a_label(qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [generic_csv(tmp_path)])
    for widget in (dialog.page, dialog.followers, dialog.dates, dialog.replace, dialog.summary,
                   dialog.tabs, dialog.overview, dialog.import_button, *dialog.file_tabs[0]):
        assert widget.accessibleName(), widget
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    assert {dialog.page, dialog.followers, dialog.dates} <= buddies
    assert dialog.followers.value() == 0 and dialog.options().followers is None
    assert dialog.followers.text() == "Not given"


def test_screenshot_of_the_preview(qtbot, store, tmp_path) -> None:
    store.upsert_pages([page("111", "Kelderby Borough Council"),
                        page("222", "Kelderby Parks")])
    store.add_readings([reading("222", datetime.combine(date(2024, 3, 2), time(10), UK),
                                 199, 9)])
    dialog = _dialog(qtbot, store, [generic_csv(tmp_path), mbs_metric_file(tmp_path)])
    dialog.show()
    qtbot.waitExposed(dialog)
    _save(dialog, "import-questions")
    dialog.page.setCurrentIndex(dialog.page.findText("Kelderby Parks"))
    dialog.followers.setValue(1250)
    dialog.refresh_preview()
    import_settled(qtbot, dialog)
    assert dialog.import_button.isEnabled()
    qtbot.wait(20)
    _save(dialog, "import-preview")
    dialog.tabs.setCurrentIndex(1)
    qtbot.wait(20)
    _save(dialog, "import-file")
    dialog.tabs.setCurrentIndex(2)
    qtbot.wait(20)
    _save(dialog, "import-file-mbs")
    # its own size (it does not grow with what it shows), within the screen (800 wide here)
    assert dialog.height() == 650 and dialog.width() <= 900
    assert fitting.available_area(dialog).contains(dialog.frameGeometry())


def unnamed_columns_csv(folder: Path) -> Path:
    """A spreadsheet whose column titles the importer does not know."""
    path = folder / "council.csv"
    path.write_text("When,Fans count,People talking\n"
                    "01/03/2024,1500,12\n"
                    "13/03/2024,1510,15\n", encoding="utf-8")
    return path


def _choose(qtbot, dialog: ImportDialog, file: int, column: str, text: str) -> None:
    """Choose what ``column`` of file ``file`` holds, as the officer would."""
    combo = dialog.column_sections[file].combos[column.lower()]
    assert combo.accessibleName() == f"Column {column} holds"
    combo.setCurrentIndex(combo.findText(text))
    import_settled(qtbot, dialog)


def _shown(dialog: ImportDialog, file: int = 0) -> dict[str, str]:
    section = dialog.column_sections[file]
    return {section.titles[key]: combo.currentText() for key, combo in section.combos.items()}


def test_choosing_the_columns_of_an_unknown_spreadsheet_imports_it(
        qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [unnamed_columns_csv(tmp_path)])
    dialog.show()
    section = dialog.column_sections[0]
    assert section.isVisibleTo(dialog.tabs.widget(1)) and section.title() == "Columns"
    assert "not a format Engage Desktop knows" in _questions(dialog)
    assert "(Columns, on the file tab)" in _questions(dialog)
    assert _shown(dialog) == {"When": "(not used)", "Fans count": "(not used)",
                              "People talking": "(not used)"}
    combo = section.combos["fans count"]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "(not used)", "Date", "Followers", "Likes", "Talking about", "Page name", "Page ID"]
    buddies = {label.buddy() for label in section.findChildren(QLabel) if label.buddy()}
    assert set(section.combos.values()) <= buddies

    _choose(qtbot, dialog, 0, "When", "Date")
    assert dialog.previewed_options.columns == {"When": "date"}
    assert "not a format Engage Desktop knows" in _questions(dialog)  # no numbers chosen yet
    _choose(qtbot, dialog, 0, "Fans count", "Likes")
    _choose(qtbot, dialog, 0, "People talking", "Talking about")
    assert dialog.previewed_options.columns == {
        "When": "date", "Fans count": "fans", "People talking": "talking_about"}
    assert "Cannot read" not in _questions(dialog)
    details = dialog.file_tabs[0][0].toPlainText()
    assert "Spreadsheet (date and audience columns)" in details
    assert "“Fans count” → Page likes" in details
    # the choices survive the previews (and the rows are not built twice)
    assert _shown(dialog) == {"When": "Date", "Fans count": "Likes",
                              "People talking": "Talking about"}
    assert len(section.findChildren(type(combo))) == 3

    _type_page(qtbot, dialog, "Kelderby Town Council")
    assert _shown(dialog)["Fans count"] == "Likes"
    assert dialog.preview.ready and dialog.import_button.isEnabled()
    assert "2 new, 0 changed" in dialog.overview.toPlainText()
    click_import(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    [page_id] = [p.id for p in store.pages()]
    series = store.daily_series(page_id, date(2024, 3, 1), date(2024, 3, 31))
    assert [(d.day, d.followers, d.fans, d.talking_about) for d in series] == [
        (date(2024, 3, 1), None, 1500, 12), (date(2024, 3, 13), None, 1510, 15)]


def test_the_automatic_columns_show_and_a_column_can_be_left_out(
        qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [generic_csv(tmp_path)])
    dialog.show()
    section = dialog.column_sections[0]
    assert not section.isHidden()
    assert _shown(dialog) == {"Date": "Date", "Followers": "Followers",
                              "Talking about": "Talking about"}
    _type_page(qtbot, dialog, "Kelderby Parks")
    assert "3 to import, 1 skipped" in dialog.file_tabs[0][0].toPlainText()

    _choose(qtbot, dialog, 0, "Talking about", "(not used)")  # previews again at once
    assert dialog.previewed_options.columns == {"Talking about": "ignore"}
    details = dialog.file_tabs[0][0].toPlainText()
    assert "“Talking about” →" not in details
    assert "4 rows read, 4 to import, 0 skipped" in details  # "lots" is no longer read
    assert _shown(dialog)["Talking about"] == "(not used)"
    assert dialog.import_button.isEnabled()
    click_import(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    rows = store.conn.execute(
        "SELECT followers, talking_about FROM readings ORDER BY taken_at").fetchall()
    assert [tuple(row) for row in rows] == [(200, None), (201, None), (205, None), (206, None)]


def test_choosing_a_field_for_one_column_frees_the_column_that_had_it(
        qtbot, store, tmp_path) -> None:
    path = tmp_path / "two-dates.csv"
    path.write_text("Day,Date,Followers\n2024-03-01,13/03/2024,5\n", encoding="utf-8")
    dialog = _dialog(qtbot, store, [path, mbs_metric_file(tmp_path)])
    assert _shown(dialog) == {"Day": "Date", "Date": "(not used)", "Followers": "Followers"}
    assert dialog.column_sections[1].isHidden()  # a Meta file: its columns are fixed
    _choose(qtbot, dialog, 0, "Date", "Date")
    assert _shown(dialog) == {"Day": "(not used)", "Date": "Date", "Followers": "Followers"}
    assert dialog.previewed_options.columns == {"Day": "ignore", "Date": "date"}
    assert "13 Mar 2024" in dialog.file_tabs[0][0].toPlainText()
    # Import asked for before the latest choice was previewed previews it instead
    dialog.column_choices["Followers"] = "ignore"
    dialog.do_import()
    import_settled(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.previewed_options.columns["Followers"] == "ignore"
    assert store.pages() == []


def test_screenshot_of_the_column_choices(qtbot, store, tmp_path) -> None:
    dialog = _dialog(qtbot, store, [unnamed_columns_csv(tmp_path)])
    dialog.show()
    qtbot.waitExposed(dialog)
    _choose(qtbot, dialog, 0, "When", "Date")
    _choose(qtbot, dialog, 0, "Fans count", "Likes")
    _type_page(qtbot, dialog, "Kelderby Town Council")
    dialog.tabs.setCurrentIndex(1)
    qtbot.wait(20)
    _save(dialog, "import-columns")
    # its own size (it does not grow with what it shows), within the screen (800 wide here)
    assert dialog.height() == 650 and dialog.width() <= 900
    assert fitting.available_area(dialog).contains(dialog.frameGeometry())
