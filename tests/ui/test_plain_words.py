"""No command line meets an officer: every text of the window and of each dialog (labels,
buttons, tooltips, accessible names, menus, table cells), with problems a sync of an earlier
version left in the database, is free of "engage-desktop …" and "--options". Only the daily
sync's commands in Settings are commands, on purpose, to copy into Task Scheduler or cron."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from engage_desktop.core.models import SyncError
from engage_desktop.ui.changes_dialog import WhatChangedDialog
from engage_desktop.ui.connect_dialog import ConnectDialog
from engage_desktop.ui.export_dialog import ExportDialog
from engage_desktop.ui.help_dialogs import AboutDialog, ShortcutsDialog
from engage_desktop.ui.import_dialog import ImportDialog
from engage_desktop.ui.note_dialog import NoteDialog
from engage_desktop.ui.operations import InlineQueue
from engage_desktop.ui.page_actions import PageDescriptionDialog
from engage_desktop.ui.settings_dialog import SettingsDialog
from engage_desktop.ui.sync_log import SyncLogDialog

COMMAND = re.compile(r"engage-desktop\s+[a-z]|(?<!\S)--[a-z]|ENGAGE_DB", re.IGNORECASE)


def _model_texts(view: QAbstractItemView) -> list[str]:
    model: QAbstractItemModel = view.model()
    top = QModelIndex()
    columns = 1 if isinstance(view, QListView) else model.columnCount(top)
    texts = []
    for column in range(columns):
        texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
    for row in range(model.rowCount(top)):
        for column in range(columns):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                texts.append(str(model.index(row, column).data(role) or ""))
    return texts


def texts_of(root: QWidget, exempt: tuple[QWidget, ...] = ()) -> list[str]:
    """Every text a person or a screen reader can get from ``root`` and its children."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if widget in exempt:
            continue
        texts += [widget.toolTip(), widget.statusTip(), widget.whatsThis(),
                  widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QLineEdit):
            texts += [widget.placeholderText(), widget.text()]
        if isinstance(widget, QPlainTextEdit):
            texts += [widget.placeholderText(), widget.toPlainText()]
        if isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += _model_texts(widget)
        for action in widget.actions():
            texts += [action.text(), action.toolTip(), action.statusTip()]
            if action.menu() is not None:
                texts += [item.text() for item in action.menu().actions()]
    return texts


def _commands(texts: list[str]) -> list[str]:
    return [text for text in texts if COMMAND.search(text)]


def _old_sync_with_cli_hints(window) -> None:
    """A sync run as an earlier version recorded it: its hints name command lines."""
    store = window.store
    page = window.model.rows[0].page.id
    run = store.start_sync_run("v27.0")
    store.finish_sync_run(
        run, "partial", pages_ok=1, pages_failed=1, requests=3,
        message="1 Page not synced. Connect one: engage-desktop connect --token-stdin",
        errors_=[SyncError(page, "no_token", "No token is kept for this Page. Reconnect: "
                           "engage-desktop connect --token-stdin")])
    window.after_data_changed()


def _every_dialog(window, qtbot, folder: Path) -> list:
    """Each of the window's dialogs on its selected Page, shown, Settings last."""
    csv = folder / "readings.csv"
    csv.write_text("Date,Followers,Talking about\n01/03/2024,200,3\n", encoding="utf-8")
    ids = window.selected_page_ids()
    today = date.today()
    store = window.store
    dialogs = [
        ImportDialog(store, [csv], window),
        ExportDialog(store, ids, today - timedelta(days=28), today, window.settings, window),
        ConnectDialog(store, InlineQueue(), window),
        NoteDialog(store, today, [(ids[0], "Page")], None, ids[0], window),
        PageDescriptionDialog(store.page(ids[0]), store, window),
        SyncLogDialog(store, window),
        ShortcutsDialog(window),
        AboutDialog(store.path, window),
        WhatChangedDialog(window.what_changed(), window.select_page, window),
        SettingsDialog(store, window.model.light, InlineQueue(), window.settings, window),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
    return dialogs


def test_the_window_and_every_dialog_say_no_command_line(window, qtbot, tmp_path: Path) -> None:
    _old_sync_with_cli_hints(window)
    window.select_row(0)
    assert "Connect… (Ctrl+K)" in window.details.text()  # the problem, in window words
    found = _commands([*texts_of(window), window.statusBar().currentMessage()])
    assert found == []

    *made, settings = _every_dialog(window, qtbot, tmp_path)
    for dialog in made:
        assert _commands(texts_of(dialog)) == [], dialog.windowTitle()
    # the daily sync's commands are the one place a command is meant to be
    assert _commands(texts_of(settings, exempt=tuple(settings.schedule_commands))) == []
    assert all(COMMAND.search(box.toPlainText()) for box in settings.schedule_commands)
    log = made[5]
    assert "Connect… (Ctrl+K)" in log.details.toPlainText()


def test_every_control_of_every_dialog_has_an_accessible_name(window, qtbot,
                                                              tmp_path: Path) -> None:
    from test_window_fits import unnamed_controls

    window.select_row(0)
    found: set[tuple[str, str]] = set()
    for dialog in _every_dialog(window, qtbot, tmp_path):
        tabs = dialog.findChildren(QTabWidget)
        for tab_widget in tabs:  # every tab's controls, each tab shown in turn
            for index in range(tab_widget.count()):
                tab_widget.setCurrentIndex(index)
                found.update((dialog.windowTitle(), u) for u in unnamed_controls(dialog))
        found.update((dialog.windowTitle(), u) for u in unnamed_controls(dialog))
    assert sorted(found) == [], "\n".join(map(str, sorted(found)))
