"""The window's "What changed" (its sentences the core's, a Page selected from one by the
keyboard) and "Briefing of all Pages" (whatever is selected)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from engage_desktop.core import changes
from engage_desktop.ui.changes_dialog import PAGE_ID_ROLE
from engage_desktop.ui.main_window import actions

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))


def _sentences(dialog) -> list[str]:
    return [dialog.model.item(row).text() for row in range(dialog.model.rowCount())]


def test_what_changed_lists_the_cores_sentences_and_selects_a_page(qtbot, window) -> None:
    assert window.changes_action.shortcut().toString() == "Ctrl+G"
    assert any("changes_action" in group for group in actions.TOOLBAR)
    window.changes_action.trigger()
    dialog = window.changes_dialog
    qtbot.waitExposed(dialog)
    expected = changes.what_changed(window.store)
    assert _sentences(dialog) == [change.sentence for change in expected]
    assert dialog.list.accessibleName() == "What changed"
    assert dialog.model.item(0).data(Qt.ItemDataRole.AccessibleTextRole) == expected[0].sentence
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "what-changed-dialog.png"))
    # by the keyboard: down to the third sentence, Enter selects its Page in the table
    qtbot.waitUntil(dialog.list.hasFocus)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter chose a Page; it did not close the list
    assert window.selected_page_ids() == [expected[2].page_id]
    # a Page hidden by the filter is shown again to be selected
    window.filter.setText("no such Page")
    dialog.list.clicked.emit(dialog.model.index(0, 0))
    assert window.filter.text() == ""
    assert window.selected_page_ids() == [expected[0].page_id]
    # opening it again brings the same list forward
    assert window.open_what_changed() is dialog


def test_the_open_list_is_read_again_after_the_data_changes(qtbot, window) -> None:
    dialog = window.open_what_changed()
    first = dialog.model.item(0).data(PAGE_ID_ROLE)
    window.store.set_token_status([first], "needs_reconnect", "the password was changed")
    window.after_data_changed()
    reconnect = [dialog.model.item(row).text() for row in range(dialog.model.rowCount())
                 if "needs reconnecting (the password was changed)" in
                 dialog.model.item(row).text()]
    assert len(reconnect) == 1
    dialog.close()
    qtbot.waitUntil(lambda: window.changes_dialog is None)


def test_briefing_of_all_pages_ignores_the_selection(qtbot, window, tmp_path: Path) -> None:
    assert window.briefing_action.shortcut().toString() == "Ctrl+B"
    assert any("briefing_action" in items for _, items in actions.MENUS)
    window.select_row(0)
    assert len(window.selected_page_ids()) == 1
    seen = []

    def run(dialog) -> int:
        seen.append(dialog)
        dialog.ask_path = lambda suggested: tmp_path / suggested.name
        dialog.save()
        return 0

    window.run_export_dialog = run
    assert window.briefing_action.isEnabled()
    window.briefing_action.trigger()
    [dialog] = seen
    assert dialog.current_what() == "briefing" and dialog.page_ids == []
    [saved] = dialog.saved
    assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF")
    every = [row.page.id for row in window.model.light.rows]
    assert [row.page.id for row in dialog.briefing_for_export().rows] == every
    if shutil.which("pdftotext"):
        import subprocess

        text = subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "What changed" in text and f"{len(every)} Pages" in text
