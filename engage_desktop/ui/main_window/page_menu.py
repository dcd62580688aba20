"""What can be done with one Page from the window: its menu (right-click or the menu key on
its row, or Actions for the selected Page), and what the menu's items do: edit its
description, reconnect, stop following it, forget it (its token removed, in the background)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.operations import Operation
from engage_desktop.ui.traffic_model import PAGE_ID_ROLE

if TYPE_CHECKING:
    from engage_desktop.ui.main_window.shell import MainWindow


class PageMenu(QObject):
    """The Page menu of ``window``'s traffic light; each change refreshes the window. The
    description dialog runs through ``window.run_description_dialog`` (tests replace
    it)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.table.customContextMenuRequested.connect(self.menu_at)

    def page_menu(self, page_id: str):
        """The menu of what can be done with a Page (tests trigger its actions)."""
        from engage_desktop.ui import page_actions

        window = self.window
        page = window.store.page(page_id)
        return page_actions.page_menu(
            window, page,
            stop_following=lambda: self.stop_following(page_id),
            forget=lambda: self.forget_page(page_id),
            reconnect=window.open_connect,
            edit_description=lambda: self.edit_page_description(page_id),
            read_only=window.read_only_reason)

    def menu_at(self, position) -> None:
        """The menu of the Page at ``position`` in the table (or the current one)."""
        table = self.window.table
        index = table.indexAt(position)
        if not index.isValid():
            index = table.currentIndex()
        if not index.isValid():
            return
        menu = self.page_menu(index.data(PAGE_ID_ROLE))
        menu.exec(table.viewport().mapToGlobal(position))
        menu.deleteLater()

    def open_page_menu(self) -> None:
        """The menu of the selected Page, under its row (as the menu key shows it)."""
        window = self.window
        index = window.traffic.current_index()
        if not index.isValid():
            window.statusBar().showMessage("Select a Page first (Ctrl+1 goes to the table).",
                                           8000)
            return
        window.table.scrollTo(index)
        self.menu_at(window.table.visualRect(index).bottomLeft())

    def stop_following(self, page_id: str) -> None:
        window = self.window
        if window.refuse_when_read_only("stop following a Page"):
            return
        page = window.store.page(page_id)
        window.store.set_followed([page_id], False)
        window.after_data_changed()
        back = ("import its files again" if page.kind == "imported"
                else "connect or follow it again")
        window.statusBar().showMessage(
            f"Stopped following {page.name}; its history is kept ({back} to bring it back).",
            10000)

    def forget_page(self, page_id: str, *, confirm: Callable | None = None) -> bool:
        """Stop following a Page and remove its token (after the officer confirms)."""
        from engage_desktop.ui import page_actions

        window = self.window
        if window.refuse_when_read_only("forget a Page"):
            return False
        page = window.store.page(page_id)
        if not (confirm or page_actions.confirm_forget)(window, page):
            return False
        status = window.statusBar()
        return (Operation("forget", functools.partial(page_actions.forget_work,
                                                      window.store.path, page_id),
                          parent=window, then=f"forget {page.name}")
                .success(lambda names: (
                    window.after_data_changed(),
                    status.showMessage(f"Forgot {', '.join(names)}: its token is "
                                       "removed and it is no longer followed.", 10000)))
                .failure(lambda error: status.showMessage(
                    error_words(error, f"Could not forget {page.name}:"), 15000))
                .run(window.runner))

    def edit_page_description(self, page_id: str) -> bool:
        from engage_desktop.ui import page_actions

        window = self.window
        if window.refuse_when_read_only("change a Page's description"):
            return False
        page = window.store.page(page_id)
        dialog = page_actions.PageDescriptionDialog(page, window.store, window)  # it saves on OK
        try:
            if window.run_description_dialog(dialog) != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        window.refresh()
        return True
