"""The window on the officer's screen and keyboard: a saved geometry that no longer fits is
brought inside the available area, the menus hold every action with a shortcut and a
mnemonic, columns can be hidden (and stay hidden), the selected Page's problem is in words
under the table, and every control has an accessible name."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QByteArray, QPoint, QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QMenu,
    QTabBar,
    QWidget,
)

from engage_desktop.core.store import open_store
from engage_desktop.ui import fitting, theme
from engage_desktop.ui.main_window import MainWindow, settings_for
from engage_desktop.ui.main_window import actions as window_actions
from engage_desktop.ui.main_window.state import GEOMETRY, PREFERRED_SIZE
from engage_desktop.ui.traffic_model import ESSENTIAL, FOLLOWERS, KIND, PAGE, TREND


def _window(qtbot, db: Path, folder: Path) -> MainWindow:
    store = open_store(db)
    window = MainWindow(store, theme.LIGHT, settings_for(folder / "settings.ini"))
    qtbot.addWidget(window)
    return window


def _saved(folder: Path, geometry: QByteArray | bytes | str) -> None:
    settings = settings_for(folder / "settings.ini")
    settings.setValue(GEOMETRY.key, geometry)  # as found in the file, however garbled
    settings.sync()


def _geometry_of(x: int, y: int, width: int, height: int, maximised: bool = False) -> QByteArray:
    """A geometry as Qt saves it, from a window that was at that place and size."""
    widget = QWidget()
    widget.setGeometry(x, y, width, height)
    if maximised:
        widget.setWindowState(Qt.WindowState.WindowMaximized)
    saved = widget.saveGeometry()
    widget.deleteLater()
    return saved


def _fits(window: QWidget) -> bool:
    return fitting.available_area(window).contains(window.frameGeometry())


def test_first_window_fits_the_screen(qtbot, demo_path: Path, tmp_path: Path) -> None:
    window = _window(qtbot, demo_path, tmp_path)
    window.show()
    qtbot.waitExposed(window)
    assert _fits(window)
    # the preferred size, or less on a smaller screen (offscreen's is 800 wide)
    assert window.size().boundedTo(PREFERRED_SIZE) == window.size()
    room = fitting.available_area(window).size() - fitting.FRAME_ALLOWANCE
    if room.width() >= PREFERRED_SIZE.width() and room.height() >= PREFERRED_SIZE.height():
        assert window.size() == PREFERRED_SIZE
    window.store.close()


@pytest.mark.parametrize("geometry", [
    (2500, 1400, 2400, 1500),  # a bigger monitor, since unplugged
    (-5000, -3000, 900, 700),  # off to the left and above
    (100, 100, 100_000, 100_000),  # huge
    (-10, -10, 10, 10),  # tiny and negative
], ids=["unplugged-monitor", "negative", "huge", "tiny"])
def test_a_saved_geometry_that_does_not_fit_is_brought_onto_the_screen(
        qtbot, demo_path: Path, tmp_path: Path, geometry: tuple[int, int, int, int]) -> None:
    _saved(tmp_path, _geometry_of(*geometry))
    window = _window(qtbot, demo_path, tmp_path)
    window.show()
    qtbot.waitExposed(window)
    assert _fits(window)
    assert window.width() >= window.minimumSizeHint().width()
    window.store.close()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=80) | st.text(max_size=40))
def test_a_garbled_saved_geometry_opens_at_the_default(qtbot, demo_path: Path, tmp_path: Path,
                                                       garbage) -> None:
    _saved(tmp_path, QByteArray(garbage) if isinstance(garbage, bytes) else garbage)
    window = _window(qtbot, demo_path, tmp_path)
    try:
        assert fitting.available_area(window).contains(
            QRect(window.pos(), window.size() + fitting.FRAME_ALLOWANCE))
    finally:
        window.store.close()
        window.deleteLater()


def test_every_action_is_in_a_menu_with_a_shortcut_and_a_mnemonic(window) -> None:
    menus = window.menuBar().actions()
    assert [menu.text() for menu in menus] == ["&File", "&View", "&Pages", "&Tools", "&Help"]
    in_menus = set()
    for title in menus:
        menu = title.menu()
        items = [item for item in menu.actions() if not item.isSeparator()]
        in_menus |= set(items)
        keys = [_mnemonic(item.text()) for item in items]
        assert None not in keys, (title.text(), [item.text() for item in items])
        assert len(keys) == len(set(keys)), (title.text(), keys)  # no duplicate in a menu
    titles = [_mnemonic(menu.text()) for menu in menus]
    # nor among the titles, nor with the window's own Alt keys (Chart, Data, Reset view)
    others = [_mnemonic(window.charts.tabs.tabText(i)) for i in range(window.charts.tabs.count())]
    others.append(_mnemonic(window.charts.reset_button.text()))
    assert len(set(titles)) == len(titles) and not set(titles) & set(others)
    for spec in window_actions.ACTIONS:
        action = getattr(window, spec.attribute)
        assert action in in_menus, spec.attribute
        assert not action.shortcut().isEmpty(), spec.attribute
    assert window.copy_action in in_menus
    # explicitly set: QKeySequence.StandardKey.Preferences is empty on Windows and Linux
    assert window.settings_action.shortcut() == QKeySequence("Ctrl+,")
    assert window.sync_log_action.shortcut() == QKeySequence("Ctrl+L")
    # and no two actions share a shortcut
    shortcuts = [getattr(window, s.attribute).shortcut().toString()
                 for s in window_actions.ACTIONS]
    assert len(shortcuts) == len(set(shortcuts))


def _mnemonic(text: str) -> str | None:
    at = text.replace("&&", "").find("&")
    return None if at < 0 else text.replace("&&", "")[at + 1].lower()


def test_sync_log_opens_from_its_shortcut(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(w.windowTitle() == "Sync log" and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    for widget in QApplication.topLevelWidgets():
        if widget.windowTitle() == "Sync log":
            widget.close()


def test_essential_columns_come_first_and_others_can_be_hidden(qtbot, demo_path: Path,
                                                               tmp_path: Path) -> None:
    window = _window(qtbot, demo_path, tmp_path)
    header = window.table.horizontalHeader()
    assert [header.logicalIndex(v) for v in range(len(ESSENTIAL))] == list(ESSENTIAL)
    menu = window.column_menu()
    names = [action.text() for action in menu.actions()]
    assert "Page column" not in names and "Status column" not in names
    kind = window.column_actions[KIND]
    assert kind.isChecked() and not window.table.isColumnHidden(KIND)
    kind.trigger()  # as from the header's menu, or View > Columns
    assert window.table.isColumnHidden(KIND)
    window.store.close()
    # remembered for the next window
    again = _window(qtbot, demo_path, tmp_path)
    assert again.table.isColumnHidden(KIND) and not again.column_actions[KIND].isChecked()
    assert not again.table.isColumnHidden(FOLLOWERS)
    again.column_actions[KIND].trigger()
    assert not again.table.isColumnHidden(KIND)
    again.store.close()


def test_essential_columns_show_without_scrolling_in_a_laptop_sized_window(window,
                                                                           qtbot) -> None:
    window.resize(1093 - 16, 614 - 40)  # 1366×768 at 125 %, less the title bar
    qtbot.waitUntil(lambda: window.table.viewport().width() < 700)
    header = window.table.horizontalHeader()
    right = header.sectionViewportPosition(TREND) + header.sectionSize(TREND)
    assert right <= window.table.viewport().width()
    # a long name is elided, not given all the room
    assert header.sectionSize(PAGE) <= window.table.fontMetrics().horizontalAdvance("x" * 32)


def test_details_line_says_the_selected_pages_status_in_words(window, qtbot) -> None:
    window.select_row(0)
    row = window.model.rows[window.proxy.mapToSource(window.proxy.index(0, 0)).row()]
    text = window.details.text()
    assert text.startswith(f"{row.page.name}: {row.status.word}.")
    assert row.assessment.reason in text
    assert window.details.accessibleName() == "Selected Page details"
    assert window.details.accessibleDescription() == text
    window.select_row(3)
    assert window.details.text() != text


def test_the_table_and_chart_show_a_frame_when_they_have_the_keyboard(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.focus_table()
    table_frame, details_frame, single_frame, _ = window.focus_frames
    qtbot.waitUntil(table_frame.isVisible)
    assert table_frame.geometry() == window.table.rect()
    picture = window.table.grab().toImage()
    highlight = window.palette().highlight().color().rgb()
    assert picture.pixel(QPoint(picture.width() // 2, 0)) == highlight
    window.focus_chart()
    qtbot.waitUntil(single_frame.isVisible)
    assert not table_frame.isVisible() and not details_frame.isVisible()


def test_every_control_has_an_accessible_name(window) -> None:
    window.select_row(0)
    assert unnamed_controls(window) == []


def unnamed_controls(root: QWidget) -> list[str]:
    """The controls the keyboard reaches in ``root`` that a screen reader cannot name."""
    return [f"{type(w).__name__} {w.objectName()!r} {getattr(w, 'text', lambda: '')()!r}"
            for w in root.findChildren(QWidget)
            if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(root)
            and not isinstance(w, QMenu) and not w.accessibleName()
            and not _named_by_text(w) and not _viewport(w) and not _named_by_parent(w)]


def _named_by_parent(widget: QWidget) -> bool:
    """A spin box's or an editable combo box's own line edit (screen readers name the control
    it belongs to), or a tab bar (named by its tabs' texts)."""
    parent = widget.parentWidget()
    if isinstance(widget, QTabBar):
        return all(widget.tabText(i).replace("&", "").strip() for i in range(widget.count()))
    edits = isinstance(parent, QAbstractSpinBox | QComboBox) and parent.lineEdit() is widget
    return edits and bool(parent.accessibleName())


def _viewport(widget: QWidget) -> bool:
    """A scroll area's viewport: screen readers see the view it belongs to."""
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def _named_by_text(widget: QWidget) -> bool:
    """Buttons are named by their own text (Qt gives it to screen readers)."""
    text = getattr(widget, "text", None)
    return callable(text) and bool(str(text()).replace("&", "").strip()) \
        and type(widget).__name__ in ("QPushButton", "QToolButton", "QCheckBox",
                                      "QRadioButton")


def test_tab_order_follows_the_layout(window, qtbot) -> None:
    """Left to right, top to bottom: the filter, the date range (and its dates when custom),
    the traffic light, the details line under it, then the chart's tabs and the chart."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.range.setCurrentIndex(len(window_ranges()) - 1)  # Custom…: the dates appear
    qtbot.waitUntil(lambda: window.start.isVisible() and window.end.isVisible())
    window.filter.setFocus()
    order = []
    for _ in range(8):
        order.append(QApplication.focusWidget())
        window.focusNextChild()
    expected = [window.filter, window.range, window.start, window.end, window.table,
                window.details, window.charts.tabs.tabBar(), window.charts.layout_widget]
    assert order == expected, [w.accessibleName() for w in order]


def window_ranges():
    from engage_desktop.ui.main_window import RANGES

    return RANGES


@pytest.mark.parametrize("scheme", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_links_are_readable_in_both_schemes(scheme: theme.Theme) -> None:
    from PySide6.QtGui import QPalette

    palette = theme.palette(scheme)
    link = palette.color(QPalette.ColorRole.Link).name()
    for background in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        assert theme.contrast(link, palette.color(background).name()) >= 4.5
