"""Notes from the chart: right-click a day, add a note for that Page or for all Pages, edit or
delete it; against real demo data in SQLite, on the offscreen platform."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialog, QGraphicsSceneHoverEvent, QLabel, QMenu

from engage_desktop.core.models import Note
from engage_desktop.ui.charts import note_line
from engage_desktop.ui.main_window import MainWindow
from engage_desktop.ui.note_dialog import ALL_PAGES, NEEDS_TEXT, NoteDialog
from engage_desktop.ui.plain import markup
from engage_desktop.ui.traffic_model import PAGE_ID_ROLE

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))




def _page_id(window: MainWindow, row: int) -> str:
    return window.proxy.index(row, 0).data(PAGE_ID_ROLE)


def _chart(window: MainWindow, qtbot, row: int) -> str:
    """Chart the Page in ``row`` of the traffic light; its id."""
    window.select_row(row)
    qtbot.waitUntil(lambda: len(window.charts.plots) == 3)
    return _page_id(window, row)


def _scene_pos(window: MainWindow, day: date, plot: int = 0) -> QPointF:
    """Where ``day`` is on a plot of the chart (half way up)."""
    view = window.charts.plots[plot].vb
    low, high = view.viewRange()[1]
    return view.mapViewToScene(QPointF(day.toordinal(), (low + high) / 2))


def _quiet_day(window: MainWindow) -> date:
    """A day in the middle of the chart with no note within a few weeks of it."""
    points = window.charts.series[0].points
    for point in points[len(points) // 2:] + points[:len(points) // 2]:
        if all(abs((n.day - point.day).days) > 30 for n in window.charts.notes):
            return point.day
    raise AssertionError("no day without notes")


def _menu(window: MainWindow, day: date) -> QMenu:
    return window.charts.note_menu(_scene_pos(window, day))


def _texts(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions()]


def _action(menu: QMenu, starts: str):
    [action] = [a for a in menu.actions() if a.text().startswith(starts)]
    return action


def _drawn(window: MainWindow, plot: int = 0) -> dict[int, str | None]:
    """The notes drawn on a plot: the day of each dashed line and, on the top plot, the note
    as the list under the chart shows it, found by the number on its marker."""
    chart = window.charts.chart
    lines = chart._note_lines[plot]
    days = {round(x) for x in lines.xData} if lines.isVisible() else set()
    if plot:
        return dict.fromkeys(days)
    listed = [window.charts.notes_list.item(row).text()
              for row in range(window.charts.notes_list.count())]
    drawn = {}
    for _, text, group in chart.markers.boxes:
        for number, note in group:
            low, _, high = text.partition("–")  # "3", or "3–5" for notes sharing a marker
            assert int(low) <= number <= int(high or low)
            [line] = [line for line in listed if line.startswith(f"[{number}] ")]
            drawn[note.day.toordinal()] = line.split("] ", 1)[1]
    assert set(drawn) == days, "each note's line has a marker, and each marker a line"
    return drawn


def _driving(window: MainWindow, qtbot, drive: Callable[[NoteDialog], None]) -> list:
    """Run the note dialog with ``drive`` instead of exec; the dialogs seen."""
    seen: list[NoteDialog] = []

    def run(dialog: NoteDialog) -> int:
        seen.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        drive(dialog)
        return dialog.result()

    window.run_note_dialog = run
    return seen


def _type(qtbot, dialog: NoteDialog, text: str) -> None:
    dialog.text.clear()
    qtbot.keyClicks(dialog.text, text)


def test_a_note_added_from_the_chart_menu_is_stored_and_drawn(window, qtbot) -> None:
    page_id = _chart(window, qtbot, 0)
    day = _quiet_day(window)
    menu = _menu(window, day)
    assert _texts(menu)[0] == f"&Add a note on {day.day} {day:%b %Y}…"
    assert not any(text.startswith("Edit note") for text in _texts(menu))

    def drive(dialog: NoteDialog) -> None:
        assert dialog.windowTitle() == "Add a note" and dialog.delete_button is None
        assert dialog.chosen_day() == day
        assert dialog.chosen_page_id() == page_id, "for the Page charted"
        assert dialog.pages.currentText() == window.charts.series[0].name
        assert not dialog.ok_button.isEnabled()
        _type(qtbot, dialog, "Storm Bert: road closures")
        assert dialog.ok_button.isEnabled()
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)  # Enter adds it

    seen = _driving(window, qtbot, drive)
    with qtbot.waitSignal(window.charts.note_requested) as requested:
        menu.actions()[0].trigger()
    menu.deleteLater()
    assert requested.args == [day, None]
    assert seen and seen[0].outcome == "added"
    [note] = window.store.notes(day, day, [page_id])
    assert (note.page_id, note.day, note.text) == (page_id, day, "Storm Bert: road closures")
    assert note in window.charts.notes
    label = f"{day.day} {day:%b %Y}: Storm Bert: road closures"
    assert _drawn(window)[day.toordinal()] == label  # marked above the plots, and listed
    assert _drawn(window, 2)[day.toordinal()] is None  # the line alone below it
    assert window.statusBar().currentMessage() == "Note added."
    # a note for one Page is not drawn on another Page's chart
    _chart(window, qtbot, 1)
    assert day.toordinal() not in _drawn(window)


def test_a_note_for_all_pages_shows_on_another_pages_chart_too(window, qtbot) -> None:
    _chart(window, qtbot, 0)
    day = _quiet_day(window)

    def drive(dialog: NoteDialog) -> None:
        dialog.pages.setCurrentIndex(dialog.pages.findText(ALL_PAGES))
        assert dialog.chosen_page_id() is None
        _type(qtbot, dialog, "Polling day & count")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    _driving(window, qtbot, drive)
    assert window.edit_note(day) == "added"
    [note] = [n for n in window.store.notes(day, day, []) if n.page_id is None]
    assert note.text == "Polling day & count"
    for row in (1, 2):
        _chart(window, qtbot, row)
        assert _drawn(window)[day.toordinal()] == f"{day.day} {day:%b %Y}: Polling day & count"
    # and in a comparison, where a new note is for all Pages by default
    window.table.selectAll()
    qtbot.waitUntil(lambda: len(window.charts.plots) == 1)
    assert _drawn(window)[day.toordinal()].endswith("Polling day & count")
    menu = _menu(window, day)
    # the ampersand is shown, not taken as a shortcut key
    assert "Edit note: " f"{day.day} {day:%b}, all Pages: Polling day && count…" in _texts(menu)
    menu.deleteLater()
    seen = _driving(window, qtbot, lambda dialog: dialog.reject())
    window.edit_note(day + timedelta(days=1))
    assert seen[0].chosen_page_id() is None and seen[0].outcome is None


def test_a_note_is_edited_and_deleted_from_the_menu(window, qtbot) -> None:
    page_id = _chart(window, qtbot, 0)
    day = _quiet_day(window)
    window.store.add_note(day, "Storm week", page_id)
    window.redraw_charts()
    # right-clicking a day or two away still finds it
    menu = _menu(window, day + timedelta(days=2))
    edit = _action(menu, "Edit note")
    assert edit.text() == f"Edit note: {day.day} {day:%b}: Storm week…"
    assert _texts(menu)[0].startswith(f"&Add a note on {(day + timedelta(days=2)).day} ")

    def change(dialog: NoteDialog) -> None:
        assert dialog.windowTitle() == "Edit note"
        assert dialog.text.text() == "Storm week" and dialog.chosen_page_id() == page_id
        assert dialog.delete_button is not None and dialog.delete_button.isVisible()
        _type(qtbot, dialog, "Storm Bert: bins suspended")
        dialog.day.setDate(dialog.day.date().addDays(1))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    seen = _driving(window, qtbot, change)
    with qtbot.waitSignal(window.charts.note_requested) as requested:
        edit.trigger()
    menu.deleteLater()
    assert requested.args[0] == day and isinstance(requested.args[1], Note)
    assert seen[0].outcome == "saved"
    moved = day + timedelta(days=1)
    [note] = window.store.notes(day - timedelta(days=5), day + timedelta(days=5),
                                      [page_id])
    assert (note.day, note.text, note.page_id) == (moved, "Storm Bert: bins suspended", page_id)
    drawn = _drawn(window)
    assert drawn[moved.toordinal()] == f"{moved.day} {moved:%b %Y}: Storm Bert: bins suspended"
    assert day.toordinal() not in drawn

    menu = _menu(window, moved)
    _driving(window, qtbot, lambda dialog: qtbot.mouseClick(dialog.delete_button,
                                                            Qt.MouseButton.LeftButton))
    _action(menu, "Edit note").trigger()
    menu.deleteLater()
    assert window.store.notes(day - timedelta(days=5), day + timedelta(days=5)) == []
    assert moved.toordinal() not in _drawn(window)
    assert window.statusBar().currentMessage() == "Note deleted."


def test_a_note_with_no_text_or_already_there_is_refused(window, qtbot) -> None:
    page_id = _chart(window, qtbot, 0)
    day = _quiet_day(window)
    window.store.add_note(day, "Open day", page_id)
    dialog = NoteDialog(window.store, day, [(page_id, "Libraries")], page_id=page_id,
                        parent=window)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.ok_button.isEnabled()
    assert dialog.hint.text() == NEEDS_TEXT  # said in words, not only by a disabled button
    qtbot.keyClicks(dialog.text, "   ")
    assert not dialog.ok_button.isEnabled() and dialog.hint.text() == NEEDS_TEXT
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0 and dialog.outcome is None
    # the same note again: said in the dialog, which stays open with what was typed
    _type(qtbot, dialog, "Open day")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.outcome is None
    assert "That note is already there" in dialog.hint.text()
    assert [n.text for n in window.store.notes(day, day, [page_id])] == ["Open day"]
    assert dialog.text.maxLength() == 200
    dialog.reject()
    dialog.deleteLater()


def test_the_menu_offers_the_day_under_the_pointer(window, qtbot) -> None:
    _chart(window, qtbot, 0)
    points = window.charts.series[0].points
    for point in (points[1], points[len(points) // 2], points[-2]):
        for plot in range(3):  # each stacked plot reads the same day
            assert window.charts.day_at(_scene_pos(window, point.day, plot)) == point.day
    # a real right-click: the chart's menu, with Copy chart after the notes
    day = points[len(points) // 3].day
    view = window.charts.layout_widget
    shown: list[tuple[list[str], QPoint]] = []
    window.charts.run_menu = lambda menu, where: shown.append((_texts(menu), where))
    position = view.viewport().mapTo(view, view.mapFromScene(_scene_pos(window, day)))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse,
                              view.viewport().mapFrom(view, position),
                              view.mapToGlobal(position))
    QApplication.sendEvent(view.viewport(), event)
    [(texts, where)] = shown
    assert texts[0] == f"&Add a note on {day.day} {day:%b %Y}…"
    assert texts[-2:] == ["", "&Copy chart"]  # after a separator
    assert where == view.mapToGlobal(position)
    assert window.copy_action in view.actions()
    # outside the plots (the keyboard's menu key), the day last shown
    last = window.date_range()[1]
    assert window.charts.day_at(QPointF(-50, -50)) is None
    menu = window.charts.note_menu(QPointF(-50, -50))
    assert _texts(menu)[0] == f"&Add a note on {last.day} {last:%b %Y}…"
    menu.deleteLater()


def test_screenshot_of_the_note_dialog(window, qtbot) -> None:
    page_id = _chart(window, qtbot, 0)
    day = _quiet_day(window)
    window.store.add_note(day, "Storm Bert: road closures, bins suspended", page_id)
    [note] = window.store.notes(day, day, [page_id])
    pages = [(s.page_id, s.name) for s in window.charts.series]
    dialog = NoteDialog(window.store, day, pages, note, parent=window)
    dialog.show()
    qtbot.waitExposed(dialog)
    # every field has a label that moves the focus to it (Alt+letter) and a name
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    assert buddies == {dialog.day, dialog.pages, dialog.text}
    assert all(w.accessibleName() for w in (dialog.day, dialog.pages, dialog.text,
                                            dialog.delete_button, dialog.hint))
    assert dialog.focusWidget() is dialog.text
    assert dialog.pages.itemText(0) == ALL_PAGES and dialog.pages.itemData(0) is None
    assert dialog.day.displayFormat() == "dd MMM yyyy" and dialog.day.calendarPopup()
    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "note-dialog.png"))
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.outcome is None
    dialog.deleteLater()


def test_notes_close_together_share_markers_that_never_overlap_and_are_listed(window,
                                                                             qtbot) -> None:
    page_id = _chart(window, qtbot, 0)
    points = window.charts.series[0].points
    start = points[len(points) // 2].day
    days = [start + timedelta(days=offset) for offset in (0, 1, 1, 2, 3, 5, 8, 13, 40)]
    for number, day in enumerate(days):
        window.store.add_note(day, f"Event {number}: " + "long words " * 12, page_id)
    window.redraw_charts()
    charts = window.charts
    notes = sorted(charts.notes, key=lambda note: (note.day, note.id))
    markers = charts.chart.markers
    strip = markers.sceneBoundingRect()
    rects = markers.marker_rects()
    for number, rect in enumerate(rects):
        assert strip.adjusted(-0.5, -0.5, 0.5, 0.5).contains(rect)
        assert not any(rect.intersects(other) for other in rects[number + 1:])
    assert len(rects) < len(notes), "notes a day apart share a marker"
    assert sorted(n for _, _, group in markers.boxes for n, _ in group) == list(
        range(1, len(notes) + 1))
    # each marker says which notes it stands for, in its tooltip
    hover = QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverMove)
    hover.setScenePos(markers.marker_rects()[0].center())
    hover.setPos(markers.boxes[0][0].center())
    markers.scene().sendEvent(markers, hover)
    assert markers.toolTip() == "\n".join(note_line(n, note) for n, note in markers.boxes[0][2])
    assert markers.toolTip().startswith("[1] ")
    # the list under the chart, numbered as the markers; Enter edits the note chosen
    listed = charts.notes_list
    assert listed.isVisible() and listed.count() == len(notes)
    assert listed.item(2).text().startswith(f"[3] {notes[2].day.day} {notes[2].day:%b %Y}: ")
    seen = _driving(window, qtbot, lambda dialog: dialog.reject())
    listed.setFocus()
    listed.setCurrentRow(4)
    with qtbot.waitSignal(charts.note_requested) as requested:
        qtbot.keyClick(listed, Qt.Key.Key_Return)
    assert requested.args == [notes[4].day, notes[4]]
    assert seen[0].windowTitle() == "Edit note" and seen[0].text.text() == notes[4].text
    # zoomed in on the first days: the notes in view, numbered again as the list shows them
    charts.plots[0].vb.setXRange(start.toordinal() - 1, start.toordinal() + 3, padding=0)
    # the window draws the days
    qtbot.waitUntil(lambda: not window.chart_area.zoom_timer.isActive())
    markers = charts.chart.markers
    assert sorted(n for _, _, group in markers.boxes for n, _ in group) == [1, 2, 3, 4, 5]
    assert [listed.item(row).text().split(": ", 2)[1] for row in range(listed.count())] == [
        "Event 0", "Event 1", "Event 2", "Event 3", "Event 4"]
    rects = markers.marker_rects()
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_a_page_with_no_rate_has_no_figures_in_the_legend_not_a_sample(window, qtbot) -> None:
    window.table.selectAll()
    qtbot.waitUntil(lambda: len(window.charts.plots) == 1)
    legend = window.charts.legend.text().replace("&nbsp;", " ")
    entries = window.charts.compare.legend_entries()
    for look, name, drawn in entries:
        sample = f"<span style='color:{look.colour}'>{look.sample_text}</span> {markup(name)}"
        assert (sample in legend) is drawn, name
    assert [name for _, name, drawn in entries if not drawn] == ["Kelderby Adult Social Care"]
    assert "<i>Kelderby Adult Social Care: no figures</i>" in legend
