"""Chart exports: PNG at every preset with its resolution, SVG and PDF painted through Qt,
text that grows with the output, and the refusals, from the renderer and the command line."""

from __future__ import annotations

import dataclasses
import math
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pyqtgraph as pg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from engage_desktop.core.demo import write_demo
from engage_desktop.core.engagement import Status
from engage_desktop.core.exporting.files import ExportError
from engage_desktop.core.models import Note
from engage_desktop.core.store import open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.ui import briefing, charts, rendering, theme
from engage_desktop.ui.charts import MAX_COMPARED

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


# Notes that never collide -----------------------------------------------------------------

LONG = "Flood warnings, road closures, bins suspended and the fete moved indoors; " * 3


def _crowded(content: rendering.ChartContent, days: list[int]) -> rendering.ChartContent:
    """``content`` with a note on each of ``days`` (days after its first), every one long."""
    notes = [Note(9000 + number, None, content.first + timedelta(days=day),
                        f"Note {number}: {LONG}") for number, day in enumerate(days)]
    return dataclasses.replace(content, notes=notes)


def _inside(rect: QRectF, outer: QRectF) -> bool:
    return outer.adjusted(-0.5, -0.5, 0.5, 0.5).contains(rect)


def _check_notes_fit(composition: rendering.Composition, notes: int) -> None:
    image = QRectF(0, 0, composition.size.width(), composition.size.height())
    markers = composition.chart.markers
    rects = markers.marker_rects()
    for number, rect in enumerate(rects):
        assert _inside(rect, image), f"marker {number} {rect} leaves the picture"
        for other in rects[number + 1:]:
            assert not rect.intersects(other), f"markers overlap: {rect} {other}"
    numbers = sorted(n for _, _, group in markers.boxes for n, _ in group)
    assert numbers == list(range(1, notes + 1)), "each note has its number on a marker"
    for _, text, group in markers.boxes:
        assert text == (str(group[0][0]) if len(group) == 1
                        else f"{group[0][0]}–{group[-1][0]}")
    # everything laid out (legend, the list of notes, key, footer) is inside the picture
    layout = composition.widget.ci.layout
    for index in range(layout.count()):
        item = layout.itemAt(index).graphicsItem()
        assert _inside(item.sceneBoundingRect(), image), type(item).__name__


NEARBY = [0, 364, *(200 + day for day in (0, 1, 1, 2, 4, 5, 9, 10, 11, 30, 31, 33, 60, 61, 62))]
SIXTY_IN_A_QUARTER = [250 + (day * 3) // 2 for day in range(60)]


@pytest.mark.parametrize("preset", ["slide", "document", "square"])
@pytest.mark.parametrize("pages", [1, 8])
@pytest.mark.parametrize("days", [NEARBY, SIXTY_IN_A_QUARTER], ids=["nearby", "sixty"])
def test_many_notes_on_nearby_days_get_markers_that_never_overlap_or_leave_the_picture(
        demo, preset: str, pages: int, days: list[int]) -> None:
    names = [page.name for page in demo.pages()][:pages]
    composition = rendering.Composition(_crowded(_content(demo, names), days),
                                        rendering.PRESETS[preset])
    try:
        _check_notes_fit(composition, len(days))
        listed = composition.notes_label.text.split("<br>")
        most = int(composition.size.height() // 150)
        assert len(listed) == most, "as many lines as there is room for"
        assert listed[0].startswith("[1] ") and listed[-1].startswith(f"[{most}–{len(days)}]")
        assert f"{len(days) + 1 - most} more notes" in listed[-1]
    finally:
        composition.close()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.integers(0, 364), min_size=1, max_size=60))
def test_any_notes_get_markers_that_fit_in_the_briefings_chart(demo, days: list[int]) -> None:
    """As the briefing draws its chart: no frame, the notes listed by the briefing itself."""
    names = [page.name for page in demo.pages()][:8]
    width = briefing.PAGE.width() - 2 * briefing.MARGIN
    output = rendering.Output(round(width), 330, width / rendering.LAYOUT_DPI)
    composition = rendering.Composition(_crowded(_content(demo, names), sorted(days)), output,
                                        framed=False, listed_notes=False)
    try:
        _check_notes_fit(composition, len(days))
        assert composition.notes_label is None
    finally:
        composition.close()


# Readable in grey ---------------------------------------------------------------------------

def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB colour (D65)."""
    rgb = QColor(colour)
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
              for c in (rgb.redF(), rgb.greenF(), rgb.blueF())]
    x = (0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2]) / 0.95047
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    z = (0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]) / 1.08883
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


@pytest.mark.parametrize("scheme", [theme.LIGHT, theme.DARK])
def test_the_series_colours_are_distinct_and_stand_out_on_every_band(scheme) -> None:
    colours = scheme.series
    assert len(colours) >= briefing.CHART_PAGES, "the briefing's lines each have a colour"
    for number, colour in enumerate(colours):
        for behind in (scheme.background, *scheme.bands.values()):
            assert theme.contrast(colour, behind) >= 3.0, (colour, behind)
        for other in colours[number + 1:]:
            assert math.dist(_lab(colour), _lab(other)) > 25, f"{colour} looks like {other}"


def test_no_two_compared_lines_share_a_dash_pattern_and_marker() -> None:
    looks = [charts.series_look(theme.EXPORT, number) for number in range(MAX_COMPARED)]
    assert len({look.symbol for look in looks}) == MAX_COMPARED
    assert len({(look.colour, look.dash) for look in looks}) == MAX_COMPARED
    status_shapes = {"■", "▲", "●", "○"}
    assert not {look.glyph for look in looks[:briefing.CHART_PAGES]} & status_shapes, \
        "the briefing's lines have markers unlike the statuses' shapes"


def _grey_sample(look, style, scale: float = 3.0) -> QImage:
    """A legend's sample as printed: at 300 dpi (about 3 pixels to the layout pixel), grey."""
    sample = rendering.LineSample(look, style, 12)
    image = QImage(round(sample.size.width() * scale), round(sample.size.height() * scale),
                   QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.scale(scale, scale)
    sample.paint(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_Grayscale8)


def test_in_grey_every_legend_sample_differs_and_a_page_with_no_line_has_none(qapp) -> None:
    style = rendering.PRESETS["document"].style
    samples = [_grey_sample(charts.series_look(theme.EXPORT, number), style)
               for number in range(MAX_COMPARED)]
    for number, sample in enumerate(samples):
        for other in samples[number + 1:]:
            ink = differ = 0
            for x in range(sample.width()):
                for y in range(sample.height()):
                    one, two = sample.pixelColor(x, y).value(), other.pixelColor(x, y).value()
                    ink += min(one, two) < 200
                    differ += abs(one - two) > 60
            # a fifth of the ink differs (the first and seventh: solid against long-short)
            assert differ / ink > 0.2, f"sample {number} looks like another in grey"
    blank = _grey_sample(None, style)
    assert {blank.pixelColor(x, y).name() for x in range(blank.width())
            for y in range(blank.height())} == {"#ffffff"}


def test_a_page_with_no_rate_is_named_with_no_figures_not_a_line(demo) -> None:
    names = ("Kelderby Adult Social Care", "Kelderby Libraries", "Visit Kelderby")
    composition = rendering.Composition(_content(demo, names), rendering.PRESETS["document"])
    try:
        legend = next(item for item in composition.widget.ci.items
                      if isinstance(item, pg.LegendItem))
        entries = [(sample.look, label.text) for sample, label in legend.items]
        assert entries[0] == (None, "Kelderby Adult Social Care: no figures")
        assert [look.number for look, _ in entries[1:]] == [1, 2]
        assert [text for _, text in entries[1:]] == list(names[1:])
    finally:
        composition.close()


# Vector files with their strokes' widths in them ---------------------------------------------

_MATRIX = re.compile(r"matrix\(([^)]*)\)")


def _strokes(path: Path) -> list[tuple[str, float]]:
    """Each stroked shape's colour and width as drawn: the group's stroke width scaled by its
    transform (a width scaled unevenly is refused: that is a ribbon)."""
    drawn = []
    for group in ET.parse(path).getroot().iter("{http://www.w3.org/2000/svg}g"):
        shapes = [child for child in group if child.tag.split("}")[1] in ("path", "polyline")]
        if not shapes or group.get("stroke", "none") == "none":
            continue
        a, b, c, d, _, _ = (float(v) for v in _MATRIX.match(group.get("transform")).group(1)
                            .split(","))
        assert abs(b) < 1e-9 and abs(c) < 1e-9 and abs(abs(a) - abs(d)) < 1e-6, \
            f"a stroke scaled unevenly: {group.get('transform')}"
        drawn.append((group.get("stroke"), float(group.get("stroke-width")) * abs(a)))
    return drawn


@pytest.mark.parametrize("pages", [1, 8])
def test_svg_strokes_have_their_width_in_the_file_with_no_vector_effect(demo, tmp_path: Path,
                                                                       pages: int) -> None:
    names = [page.name for page in demo.pages()][:pages]
    output = rendering.PRESETS["document"]
    path = rendering.export_chart(_content(demo, names), output, tmp_path / "chart.svg")
    assert "vector-effect" not in path.read_text(encoding="utf-8")
    strokes = _strokes(path)
    line = output.style.line
    colours = ({theme.EXPORT.followers, theme.EXPORT.talking, theme.EXPORT.ratio} if pages == 1
               else {charts.series_look(theme.EXPORT, n).colour for n in range(pages)})
    data = [width for colour, width in strokes if colour in colours and width > 1.2]
    assert data and all(abs(width - line) < 1e-6 for width in data), data
    assert max(width for _, width in strokes) <= line + 1e-6, "no stroke wider than a line"


@pytest.mark.skipif(shutil.which("rsvg-convert") is None,
                    reason="needs librsvg2-bin's rsvg-convert (.ci/run installs it)")
def test_librsvg_draws_the_svg_as_qt_draws_the_chart(demo, tmp_path: Path) -> None:
    """The same lines, no thicker: each line's colour covers about as many pixels in
    librsvg's picture of the SVG as in Qt's PNG (a ribbon covers many times more)."""
    output = rendering.PRESETS["document"]
    content = _content(demo)
    svg = rendering.export_chart(content, output, tmp_path / "chart.svg")
    subprocess.run(["rsvg-convert", "-w", str(output.width), "-h", str(output.height),
                    "-b", "white", "-o", str(tmp_path / "rsvg.png"), str(svg)], check=True)
    drawn = QImage(str(tmp_path / "rsvg.png")).convertToFormat(QImage.Format.Format_RGB32)
    painted = rendering.chart_image(content, output).convertToFormat(
        QImage.Format.Format_RGB32)
    assert drawn.size() == painted.size()
    for colour in (theme.EXPORT.followers, theme.EXPORT.talking):
        wanted = QColor(colour)

        def covered(image: QImage, wanted: QColor = wanted) -> int:
            return sum(max(abs(pixel.red() - wanted.red()), abs(pixel.green() - wanted.green()),
                           abs(pixel.blue() - wanted.blue())) < 40
                       for pixel in (image.pixelColor(x, y) for x in range(0, image.width(), 2)
                                     for y in range(0, image.height(), 2)))

        ours, theirs = covered(painted), covered(drawn)
        assert ours > 500 and 0.6 < theirs / ours < 1.6, (colour, ours, theirs)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "rsvg.png", ARTIFACTS / "export-svg-librsvg.png")
