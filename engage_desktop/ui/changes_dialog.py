"""The "What changed" window: the core's sentences (:mod:`engage_desktop.core.changes`), most
urgent first, as plain text in a list. Activating one (Enter, a click or a double-click) selects
its Page in the traffic light, so its chart is beside the sentence."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from engage_desktop.core import changes
from engage_desktop.core.changes import Change
from engage_desktop.ui import plain
from engage_desktop.ui.sentence_list import SentencesDialog, sentence_item

PAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


class WhatChangedDialog(SentencesDialog):
    """Beside the window (not modal); ``select_page`` is called with the Page ID of an
    activated sentence."""

    def __init__(self, found: list[Change], select_page: Callable[[str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(changes.HEADING, changes.SCOPE,
                         "One sentence a change, most urgent first. Press Enter on one to "
                         "select its Page in the traffic light.", 760, self._activated, parent)
        self.select_page = select_page
        self.show_changes(found)

    def show_changes(self, found: list[Change]) -> None:
        """Show ``found`` (again, after a sync or an import), the first one current."""
        items = []
        for change in found:
            # names from Meta, shown as written
            item = sentence_item(plain.one_line(change.sentence), change.sentence, change.name)
            item.setData(change.page_id, PAGE_ID_ROLE)
            item.setData(change.kind.value, KIND_ROLE)
            items.append(item)
        self.show_items(items, changes.NOTHING)

    def _activated(self, index) -> None:
        page_id = index.data(PAGE_ID_ROLE)
        if page_id:
            self.select_page(page_id)
