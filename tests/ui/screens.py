"""The window and every dialog on a real screen, as an officer's laptop shows them: run under
Xvfb with the xcb platform and a QT_SCALE_FACTOR (test_screens.py does), it opens each one,
measures it against the screen's available area, saves a picture of the whole screen to
``artifacts/screen-<label>-<scheme>-<name>.png`` and prints what it measured as JSON lines.

    QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 xvfb-run -a -s "-screen 0 1366x768x24" \\
        python tests/ui/screens.py 1366x768@125 light
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))  # tests/ (keyrings.py)

import keyring
from keyrings import MemoryKeyring
from PySide6.QtCore import QByteArray, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QWidget,
)

from engage_desktop.core.demo import write_demo
from engage_desktop.core.errors import DatabaseError
from engage_desktop.core.store import open_store
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import theme
from engage_desktop.ui.main_window import MainWindow, settings_for
from engage_desktop.ui.main_window.state import GEOMETRY
from engage_desktop.ui.operations import InlineQueue
from engage_desktop.ui.traffic_model import ESSENTIAL

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))


def settle(app: QApplication, rounds: int = 8) -> None:
    for _ in range(rounds):
        app.processEvents()


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def buttons_of(dialog: QWidget) -> list[QAbstractButton]:
    return [button for box in dialog.findChildren(QDialogButtonBox)
            for button in box.buttons() if button.isVisible()]


def measure(app: QApplication, name: str, widget: QWidget, label: str, scheme: str) -> dict:
    """Where ``widget`` and its buttons are on screen, against the available area; saves the
    screen's picture."""
    settle(app)
    # the static QGuiApplication calls, never widget.screen() (see ui/fitting.available_area)
    screen = QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    buttons = {button.text().replace("&", ""):
               rect(QRect(button.mapToGlobal(button.rect().topLeft()), button.size()))
               for button in buttons_of(widget)}
    shot = screen.grabWindow(0)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"screen-{label.replace('@', '-')}-{scheme}-{name}.png"
    shot.save(str(path))
    return {"name": name, "frame": rect(widget.frameGeometry()), "available": rect(area),
            "buttons": buttons, "picture": str(path)}


def main(label: str, scheme_name: str) -> None:
    keyring.set_keyring(MemoryKeyring())
    app = ui_app.application()
    scheme = theme.DARK if scheme_name == "dark" else theme.LIGHT
    app.setPalette(theme.palette(scheme))
    folder = Path(tempfile.mkdtemp(prefix="engage-screens-"))
    db = folder / "demo.sqlite"
    with open_store(db) as store:
        write_demo(store)
    store = open_store(db)
    settings = settings_for(folder / "settings.ini")
    # a window state saved on a much bigger monitor, since unplugged
    big = QWidget()
    big.setGeometry(2500, 1400, 2400, 1500)
    GEOMETRY.set(settings, big.saveGeometry())
    settings.sync()
    window = MainWindow(store, scheme, settings)
    window.set_theme(scheme)
    window.show()
    window.load_charts()
    window.select_row(0)
    window.activateWindow()
    settle(app, 20)
    window.focus_table()
    settle(app, 20)
    results = []
    shown = measure(app, "window", window, label, scheme_name)
    header = window.table.horizontalHeader()
    viewport = window.table.viewport().width()
    shown["essential_right"] = max(header.sectionViewportPosition(column)
                                   + header.sectionSize(column) for column in ESSENTIAL)
    shown["table_viewport"] = viewport
    shown["menu_bar"] = rect(QRect(window.menuBar().mapToGlobal(window.menuBar().rect()
                                                                .topLeft()),
                                   window.menuBar().size()))
    results.append(shown)

    csv = folder / "readings.csv"
    csv.write_text("Date,Followers,Talking about\n01/03/2024,200,3\n14/03/2024,206,5\n",
                   encoding="utf-8")
    page_ids = window.selected_page_ids()
    missing = folder / "moved away" / "engage.sqlite"
    try:
        open_store(missing, create=False)
    except DatabaseError as error:
        missing_error = error
    today = date.today()
    from engage_desktop.core import alerts
    from engage_desktop.ui.alerts_dialog import AlertsDialog
    from engage_desktop.ui.changes_dialog import WhatChangedDialog
    from engage_desktop.ui.connect_dialog import ConnectDialog
    from engage_desktop.ui.database_dialog import UnusableDatabaseDialog
    from engage_desktop.ui.export_dialog import ExportDialog
    from engage_desktop.ui.help_dialogs import AboutDialog, ShortcutsDialog
    from engage_desktop.ui.import_dialog import ImportDialog
    from engage_desktop.ui.note_dialog import NoteDialog
    from engage_desktop.ui.page_actions import PageDescriptionDialog
    from engage_desktop.ui.publish_dialog import PublishDialog
    from engage_desktop.ui.settings_dialog import SettingsDialog
    from engage_desktop.ui.sync_log import SyncLogDialog

    def alerts_dialog() -> AlertsDialog:
        alerts.record_after_sync(store)  # what a sync of the demo data would find
        return AlertsDialog(store, window.select_page, window.show_alert_count, window)

    dialogs = {
        "alerts": alerts_dialog,
        "import": lambda: ImportDialog(store, [csv], window),
        "export": lambda: ExportDialog(store, page_ids, today - timedelta(days=90), today,
                                       settings, window),
        "connect": lambda: ConnectDialog(store, InlineQueue(), window),
        "settings": lambda: SettingsDialog(store, window.model.light, InlineQueue(),
                                           settings, window),
        "note": lambda: NoteDialog(store, today, [(page_ids[0], "Page")], None, page_ids[0],
                                   window),
        "page-description": lambda: PageDescriptionDialog(store.page(page_ids[0]), store, window),
        "sync-log": lambda: SyncLogDialog(store, window),
        "shortcuts": lambda: ShortcutsDialog(window),
        "about": lambda: AboutDialog(store.path, window),
        "database": lambda: UnusableDatabaseDialog(missing, missing_error, window),
        "what-changed": lambda: WhatChangedDialog(window.what_changed(), window.select_page,
                                                  window),
        "briefing": lambda: ExportDialog(store, [], today - timedelta(days=90), today,
                                         settings, window, what="briefing"),
        "publish": lambda: PublishDialog(store.path, InlineQueue(), settings, window),
    }
    for name, make in dialogs.items():
        dialog: QDialog = make()
        dialog.show()
        QTest.qWait(700)  # previews are drawn after a pause, again once resized (Export)
        settle(app, 12)
        results.append(measure(app, name, dialog, label, scheme_name))
        dialog.close()
        dialog.deleteLater()
        settle(app)
    # the first window an officer sees: no Pages yet, and what to do
    window.close()
    empty_store = open_store(folder / "empty.sqlite")
    empty = MainWindow(empty_store, scheme, settings_for(folder / "empty.ini"))
    empty.show()
    QTest.qWait(300)
    results.append(measure(app, "window-empty", empty, label, scheme_name))
    empty.close()
    empty_store.close()
    for result in results:
        print(json.dumps(result), flush=True)
    window.close()
    store.close()
    GEOMETRY.set(settings, QByteArray())
    ui_app.exit_now(0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
