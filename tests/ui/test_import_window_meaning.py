"""The import dialog's file tabs say what the importer made of each file: the order its dates
were read in and why, an Instagram block left out, a classic export's columns in one line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from export_shapes import days_from, mbs_blocks, write_classic

from engage_desktop.ui import app as ui_app
from engage_desktop.ui.import_dialog import ImportDialog


def test_file_tabs_say_date_order_notes_and_columns_kept(qtbot, store, tmp_path: Path) -> None:
    classic = write_classic(tmp_path / "Facebook Insights Data Export - Museum.csv",
                            days_from(date(2014, 2, 1), 20), columns=2700)
    blocks = mbs_blocks(tmp_path / "Follows.csv", [
        ("Follows", dict.fromkeys(days_from(date(2024, 2, 1), 5), 3)),
        ("Instagram follows", dict.fromkeys(days_from(date(2024, 2, 1), 30), 9))], sep="\t")
    ui_app.application()
    dialog = ImportDialog(store, [classic, blocks])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.page.setFocus()
    qtbot.keyClicks(dialog.page.lineEdit(), "Kelderby Museum")
    dialog.followers.setValue(900)
    qtbot.waitUntil(lambda: dialog.can_import())
    classic_tab = dialog.file_tabs[0][0].toPlainText()
    assert "Date order:\nDates read month-first: 2/13/2014 settles it" in classic_tab
    assert "“Weekly People Talking About This” → talking about" in classic_tab
    assert "more columns kept as Insights values" in classic_tab
    assert "breakdown columns (by city, country, age, paid or organic…)" in classic_tab
    assert len(classic_tab) < 2000  # not a wall of 2,700 column titles
    # what will change says it too, beside the file
    assert "Instagram block skipped: 30 rows" in dialog.overview.toPlainText()
    blocks_tab = dialog.file_tabs[1][0].toPlainText()
    assert "Instagram block skipped: 30 rows" in blocks_tab
    assert ("“Follows” does not say Facebook or Instagram: read as Facebook data of Kelderby "
            "Museum") in blocks_tab
