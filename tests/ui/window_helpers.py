"""The main window as the window tests open it."""

from __future__ import annotations

from pathlib import Path

from engage_desktop.core.store import open_store
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import theme
from engage_desktop.ui.main_window import MainWindow, settings_for


def shown_window(qtbot, db: Path, folder: Path, size: tuple[int, int] = (1500, 850)):
    """The main window on ``db`` (its settings in ``folder``), shown with its charts loaded;
    close its store after."""
    ui_app.application()
    store = open_store(db)
    main = MainWindow(store, theme.LIGHT, settings_for(folder / "settings.ini"))
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
