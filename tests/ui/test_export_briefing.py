"""The one-page briefing: A4 as PDF and PNG, the traffic light in shape, word and colour, the
chart, the notes; from the renderer and the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from engage_desktop.core.demo import write_demo
from engage_desktop.core.engagement import Status
from engage_desktop.core.exporting.files import ExportError
from engage_desktop.core.store import open_store
from engage_desktop.ui import briefing, theme

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))


def _colours(image: QImage, step: int = 1) -> set[str]:
    return {image.pixelColor(x, y).name() for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)}


def test_the_png_briefing_is_an_a4_page_with_every_status(demo, tmp_path: Path) -> None:
    content = briefing.briefing_content(demo, title="Facebook Pages: November")
    assert [row.status for row in content.rows][:1] == [Status.RED]  # worst first
    [path] = briefing.export_briefing(content, tmp_path / "briefing.png")
    page = QImage(str(path))
    assert abs(page.width() / page.height() - 210 / 297) < 0.002  # A4 portrait
    assert round(page.dotsPerMeterX() * 0.0254) == 192
    found = _colours(page, step=1)
    for status in (Status.RED, Status.AMBER, Status.GREEN, Status.NO_DATA):
        assert theme.EXPORT.status[status] in found, status
    assert page.pixelColor(5, 5).name() == "#ffffff"
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "briefing.png")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (.ci/run "
                                                                "installs it)")
def test_the_pdf_briefing_renders_as_one_a4_page(demo, tmp_path: Path) -> None:
    ids = [page.id for page in demo.pages()][:3]
    [path] = briefing.export_briefing(briefing.briefing_content(demo, ids), tmp_path / "b.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    assert fields["Pages"].strip() == "1" and "595 x 842" in fields["Page size"]  # A4
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)
    page = QImage(str(tmp_path / "page.png"))
    assert len(_colours(page, step=2)) > 50
    shutil.copy(tmp_path / "page.png", ARTIFACTS / "briefing-pdf-page.png")


def test_briefing_refusals(demo, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no followed Page"):
        briefing.briefing_content(demo, ["404"])
    content = briefing.briefing_content(demo)
    with pytest.raises(ExportError, match="PDF or PNG"):
        briefing.export_briefing(content, tmp_path / "b.docx")
    assert list(tmp_path.iterdir()) == []


def test_export_briefing_from_the_command_line(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    with open_store(db) as store:
        write_demo(store)
    out = tmp_path / "briefing.pdf"
    result = run_cli("--db", str(db), "export", "briefing", "--title", "Pages in November",
                     "--out", str(out), env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True,
                              check=True)
        assert "Pages in November" in info.stdout  # the title given
