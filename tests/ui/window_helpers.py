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
