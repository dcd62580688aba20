"""Chart exports: PNG at every preset with its resolution, SVG and PDF painted through Qt,
text that grows with the output, and the refusals, from the renderer and the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from engage_desktop.core.demo import write_demo
from engage_desktop.core.engagement import Status
from engage_desktop.core.exporting.files import ExportError
from engage_desktop.core.store import open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.ui import rendering, theme

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))
TODAY = uk_day(utc_now())


def _ids(store, *names: str) -> list[str]:
    by_name = {page.name: page.id for page in store.pages()}
    return [by_name[name] for name in names]


def _content(store, names=("Kelderby Borough Council",), days=365):
    return rendering.chart_content(store, _ids(store, *names), TODAY - timedelta(days=days - 1),
                                   TODAY)


def _colours(image: QImage, step: int = 2) -> set[str]:
    return {image.pixelColor(x, y).name() for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)}


@pytest.mark.parametrize("preset", ["slide", "document", "square"])
def test_png_presets_have_their_size_resolution_white_corners_and_bands(
        demo, tmp_path: Path, preset: str) -> None:
    output = rendering.PRESETS[preset]
    path = rendering.export_chart(_content(demo), output, tmp_path / f"chart-{preset}.png")
    image = QImage(str(path))
    assert (image.width(), image.height()) == (output.width, output.height)
    assert round(image.dotsPerMeterX() * 0.0254) == round(output.dpi)
    for x, y in ((0, 0), (image.width() - 1, 0), (0, image.height() - 1),
                 (image.width() - 1, image.height() - 1)):
        assert image.pixelColor(x, y).name() == "#ffffff"
    found = _colours(image, step=1)
    for status in (Status.RED, Status.AMBER, Status.GREEN):
        assert theme.EXPORT.bands[status] in found, status
    assert len(found) > 100  # not blank
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / f"export-{preset}.png")


def test_a_comparison_has_each_pages_colour(demo, tmp_path: Path) -> None:
    names = ("Kelderby Borough Council", "Kelderby Libraries", "Kelderby Youth Service",
             "Visit Kelderby", "Kelderby Elections")
    path = rendering.export_chart(_content(demo, names), rendering.PRESETS["slide"],
                                  tmp_path / "compare.png")
    found = _colours(QImage(str(path)), step=1)
    assert set(theme.EXPORT.series[:5]) <= found
    shutil.copy(path, ARTIFACTS / "export-compare.png")


def test_the_same_chart_at_twice_the_size_is_the_same_picture_twice_as_large(
        demo, tmp_path: Path) -> None:
    """Text, lines and markers grow with the output: scaled down, the large one matches."""
    content = _content(demo)
    small = rendering.chart_image(content, rendering.custom(800, 500))
    large = rendering.chart_image(content, rendering.custom(1600, 1000))
    halved = large.scaled(800, 500, Qt.AspectRatioMode.IgnoreAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)
    differ = sum(
        abs(small.pixelColor(x, y).lightness() - halved.pixelColor(x, y).lightness()) > 60
        for x in range(0, 800, 2) for y in range(0, 500, 2))
    assert differ / (400 * 250) < 0.03
    # and the dark (text and line) pixels of the large one are about four times as many
    dark_small = sum(small.pixelColor(x, y).lightness() < 100
                     for x in range(800) for y in range(0, 500))
    dark_large = sum(large.pixelColor(x, y).lightness() < 100
                     for x in range(1600) for y in range(0, 1000))
    assert 3.0 < dark_large / dark_small < 5.0


def test_svg_is_well_formed_with_the_title_and_labels_as_text(demo, tmp_path: Path) -> None:
    path = rendering.export_chart(_content(demo), rendering.PRESETS["document"],
                                  tmp_path / "chart.svg")
    root = ET.parse(path).getroot()
    texts = " ".join("".join(element.itertext()) for element in root.iter()
                     if element.tag.endswith("text"))
    assert "Kelderby Borough Council: is anyone talking?" in texts
    for label in ("Followers", "Talking about", "Per 1,000 followers", "Source: Facebook"):
        assert label in texts, label


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (.ci/run "
                                                                "installs it)")
def test_pdf_renders_to_a_page_with_the_chart(demo, tmp_path: Path) -> None:
    path = rendering.export_chart(_content(demo), rendering.PRESETS["document"],
                                  tmp_path / "chart.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)
    page = QImage(str(tmp_path / "page.png"))
    assert abs(page.width() - 16 / 2.54 * 150) < 3  # 16 cm wide
    found = _colours(page, step=1)
    assert len(found) > 100
    assert page.pixelColor(0, 0).name() == "#ffffff"
    shutil.copy(tmp_path / "page.png", ARTIFACTS / "export-pdf-page.png")


def test_refusals_leave_nothing_behind(demo, tmp_path: Path) -> None:
    content = _content(demo)
    target = tmp_path / "chart.png"
    target.write_text("an earlier chart")
    with pytest.raises(ExportError, match="already exists"):
        rendering.export_chart(content, rendering.PRESETS["slide"], target)
    assert target.read_text() == "an earlier chart"
    with pytest.raises(ExportError, match="too large"):
        rendering.custom(50_000, 20_000)
    with pytest.raises(ExportError, match="PNG, SVG or PDF"):
        rendering.export_chart(content, rendering.PRESETS["slide"], tmp_path / "chart.gif")
    with pytest.raises(ExportError, match="no Page"):
        rendering.chart_content(demo, ["404"], TODAY - timedelta(days=30), TODAY)
    with pytest.raises(ExportError, match="no readings"):
        rendering.chart_content(demo, _ids(demo, "Kelderby Libraries"),
                                TODAY + timedelta(days=30), TODAY + timedelta(days=60))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]


def test_export_chart_from_the_command_line_needs_no_display(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    with open_store(db) as store:
        write_demo(store)
        ids = _ids(store, "Kelderby Libraries", "Visit Kelderby")
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = tmp_path / "libraries.png"
    result = subprocess.run(
        [sys.executable, "-m", "engage_desktop", "--db", str(db), "export", "chart",
         "--page", *ids, "--range", "3m", "--size", "1200x700", "--title", "Libraries",
         "--out", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).size().toTuple() == (1200, 700)
    again = run_cli("--db", str(db), "export", "chart", "--page", *ids, "--out", str(out))
    assert again.returncode == 1 and "--force" in again.stderr


def test_copy_chart_puts_a_high_resolution_picture_on_the_clipboard(qtbot, tmp_path: Path,
                                                                     demo) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from engage_desktop.ui.main_window import MainWindow, settings_for

    window = MainWindow(demo, theme.LIGHT, settings_for(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    window.show()
    window.load_charts()
    window.select_row(2)
    QGuiApplication.clipboard().clear()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.charts.layout_widget.setFocus()
    qtbot.waitUntil(window.charts.layout_widget.hasFocus)
    QTest.keyClick(window.charts.layout_widget, Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not QGuiApplication.clipboard().image().isNull())
    image = QGuiApplication.clipboard().image()
    output = rendering.PRESETS["document"]
    assert (image.width(), image.height()) == (output.width, output.height)
    assert round(image.dotsPerMeterX() * 0.0254) == 300  # pastes 16 cm wide
    assert "Copied the chart" in window.statusBar().currentMessage()
    window.table.clearSelection()
    assert window.copy_chart() is False
    assert "Nothing copied" in window.statusBar().currentMessage()
