"""The briefing of many Pages: further A4 pages with the table continuing under its header,
What changed on the first page (its sentences as the core writes them), one PNG a page, and
awkward Pages that still lay out."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from factories import page, reading
from PySide6.QtGui import QImage

from engage_desktop.core import changes
from engage_desktop.core.demo import write_demo
from engage_desktop.core.exporting.files import ExportError
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import utc_now
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import briefing

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="needs poppler-utils (.ci/run installs it)")


@pytest.fixture
def many(tmp_path: Path) -> Store:
    """40 demo Pages over 90 days, and awkward ones: a 200-letter name (its figures stale),
    one reading, no followers, and 35 Pages without readings (more changes than the briefing
    lists)."""
    ui_app.application()
    store = open_store(tmp_path / "many.sqlite")
    write_demo(store, pages=40, days=90)
    now = utc_now()
    store.upsert_pages([page("long", "Kelderby" + "x" * 192), page("one", "One Reading"),
                        page("zero", "No Followers"),
                        *(page(f"e{n:02}", f"Empty {n:02}") for n in range(35))])
    store.add_readings([reading("long", now - timedelta(days=20), 500, 4),
                         reading("one", now - timedelta(hours=2), 1000, 30),
                         reading("zero", now - timedelta(hours=2), 0, 0)])
    yield store
    store.close()


def _text(pdf: Path) -> list[str]:
    """Each page's words, whitespace made single spaces."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    out = unicodedata.normalize("NFKC", out)  # the PDF's ligatures ("ﬁ") as letters
    return [re.sub(r"\s+", " ", sheet) for sheet in out.split("\f") if sheet.strip()]


@needs_poppler
def test_many_pages_continue_with_the_table_header(many: Store, tmp_path: Path) -> None:
    content = briefing.briefing_content(many)
    assert len(content.rows) == 78
    [pdf] = briefing.export_briefing(content, tmp_path / "all.pdf")
    sheets = _text(pdf)
    count = briefing.page_count(content)
    assert len(sheets) == count >= 3
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(rf"Pages:\s+{count}\b", info.stdout)
    first = sheets[0]
    assert "78 Pages" in first and f"page 1 of {count}" in first
    continued_on = int(re.search(r"The table continues on page (\d+) with the other 66 "
                                 r"Pages\.", first).group(1))
    # every Page once in the tables, the worst twelve on the first page, in order
    listed = []
    for number, sheet in enumerate(sheets[continued_on - 1:], start=continued_on):
        assert "Status Page Followers Talking about Per 1,000 Trend" in sheet  # the header
        assert f"page {number} of {count}" in sheet
        span = re.search(r"Traffic light, continued: Pages (\d+) to (\d+) of 78", sheet)
        listed.append((int(span.group(1)), int(span.group(2))))
    assert listed[0][0] == 13 and listed[-1][1] == 78
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(listed))
    for row in content.rows[:12]:
        assert row.page.name[:20] in first


@needs_poppler
def test_what_changed_is_the_cores_and_says_what_it_left_out(many: Store,
                                                             tmp_path: Path) -> None:
    content = briefing.briefing_content(many)
    expected = changes.what_changed(many)
    assert content.changes == expected  # every Page is briefed on: all of its changes
    assert len(expected) > briefing.MAX_CHANGES
    [pdf] = briefing.export_briefing(content, tmp_path / "all.pdf")
    words = " ".join(_text(pdf))
    for change in expected[:briefing.MAX_CHANGES]:
        # wrapped lines join with a space; a 200-letter name breaks anywhere
        assert re.sub(r"\s+", "", change.sentence) in re.sub(r"\s+", "", words)
    left = expected[briefing.MAX_CHANGES:]
    assert f"And {len(left)} more:" in words
    assert "What changed lists them all." in words
    # the long name is wrapped, never cut
    assert any("x" * 192 in change.sentence for change in expected[:briefing.MAX_CHANGES])


def test_a_selection_gets_only_its_own_changes(many: Store) -> None:
    every = changes.what_changed(many)
    chosen = sorted({change.page_id for change in every})[:2]
    content = briefing.briefing_content(many, chosen)
    assert content.changes == [change for change in every if change.page_id in chosen]


def test_the_png_briefing_is_one_image_a_page(many: Store, tmp_path: Path) -> None:
    content = briefing.briefing_content(many)
    count = briefing.page_count(content)
    (tmp_path / "all-2.png").write_bytes(b"an older export")
    with pytest.raises(ExportError, match=r"all-2\.png already exists"):
        briefing.export_briefing(content, tmp_path / "all.png")
    assert not (tmp_path / "all.png").exists()  # nothing half written
    written = briefing.export_briefing(content, tmp_path / "all.png", force=True)
    assert [p.name for p in written] == ["all.png"] + [f"all-{n}.png"
                                                       for n in range(2, count + 1)]
    for path in written:
        image = QImage(str(path))
        assert image.width() == round(briefing.PAGE.width() * briefing.PNG_SCALE)
        assert image.height() == round(briefing.PAGE.height() * briefing.PNG_SCALE)


@needs_poppler
def test_the_demo_briefing_is_one_page_with_what_changed(demo, tmp_path: Path) -> None:
    content = briefing.briefing_content(demo)
    assert briefing.page_count(content) == 1
    [pdf] = briefing.export_briefing(content, tmp_path / "demo.pdf")
    [sheet] = _text(pdf)
    assert "What changed" in sheet and "Kelderby Youth Service turned red: 15 people per" \
        in sheet
    assert "page 1 of" not in sheet
    subprocess.run(["pdftoppm", "-gray", "-r", "80", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "grey")], check=True)
    grey = QImage(str(tmp_path / "grey.png"))
    assert grey.width() > 600
