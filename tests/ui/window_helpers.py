"""The main window as the window tests open it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from engage_desktop.core.store import Store, open_store
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import theme
from engage_desktop.ui.main_window import MainWindow, settings_for

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from engage_desktop.ui.operations import OperationQueue


def shown_window(qtbot, db: Path | Store, folder: Path, size: tuple[int, int] = (1500, 850), *,
                 settings: QSettings | None = None, runner: OperationQueue | None = None):
    """The main window on ``db`` (a database file, or a store already open), its settings in
    ``folder`` unless given, its background tasks run by ``runner`` if given, shown with its
    charts loaded; the caller closes the store after."""
    ui_app.application()
    store = open_store(db) if isinstance(db, Path) else db
    main = MainWindow(store, theme.LIGHT, settings if settings is not None
                      else settings_for(folder / "settings.ini"))
    if runner is not None:
        main.runner = runner
    qtbot.addWidget(main)
    main.resize(*size)
    main.show()
    main.load_charts()
    qtbot.waitExposed(main)
    return main


def import_settled(qtbot, dialog, timeout: int = 5000) -> None:
    """Wait for the import dialog's preview (or import) running in the background, and any
    still to start."""
    qtbot.waitUntil(lambda: not dialog.busy and not dialog.refresh_timer.isActive(),
                    timeout=timeout)


def click_import(qtbot, dialog) -> None:
    """Choose Import, and wait for it to finish: an import that went ahead closes the dialog
    once its runner is free, just after the job ends (a queued call), so wait for that too."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    import_settled(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.imported is None
                    or dialog.result() == QDialog.DialogCode.Accepted)
