"""The briefing on bad input (issue 18): a gap of months, talking-about above followers, notes
outside the period, sixty notes in a quarter and 500 Pages. Each case renders the briefing as a
PDF (its words read back with pdftotext) and as page images, and checks that nothing is painted
outside the page's margins, that what was left out is said, and that the sentences are the
core's and true to the store. (No readings, one reading, no followers and a 200-character name
are in test_briefing_pages.py.)"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from factories import page, reading
from PySide6.QtGui import QImage

from engage_desktop.core import changes
from engage_desktop.core.engagement import Status, trailing_average
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.ui import briefing, rendering
from engage_desktop.ui.charts import CompareChart

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs poppler-utils (.ci/run installs it)")
NOW = utc_now()
TODAY = uk_day(NOW)


def _daily(store: Store, page_id: str, days_ago: range, followers: int, talking: int) -> None:
    store.add_readings(reading(page_id, NOW - timedelta(days=n, hours=1), followers, talking)
                        for n in days_ago)


def _two_normal_pages(store: Store) -> None:
    store.upsert_pages([page("a", "Kelderby Libraries"), page("b", "Kelderby Museum")])
    _daily(store, "a", range(0, 70), 4000, 260)
    _daily(store, "b", range(0, 70), 3000, 45)


# Each case fills the store and checks the briefing: (content, the PDF's words a page) --------

def gap_of_months(store: Store) -> Callable:
    """Readings a year ago, none for seven months, then the last three weeks."""
    _two_normal_pages(store)
    store.upsert_pages([page("gap", "Kelderby Heritage Trail")])
    _daily(store, "gap", range(300, 330), 2000, 100)  # 50 per 1,000 then
    _daily(store, "gap", range(0, 21), 2000, 30)  # 15 per 1,000 now

    def check(content: briefing.BriefingContent, sheets: list[str]) -> None:
        row = next(row for row in content.rows if row.page.id == "gap")
        assert row.status is Status.RED and row.assessment.per_1000 == 15.0
        assert row.trend is None  # nothing 28 days before the last 7: no trend is made up
        assert re.search(r"Red Kelderby Heritage Trail 2,000 30 15\.0 –", sheets[0])
        # the steadier line does not bridge the months without readings
        chart = content.chart
        assert chart is not None and chart.average
        series = next(s for s in chart.series if s.page_id == "gap")
        averages = trailing_average([p.day for p in series.points],
                                    [p.talking_about for p in series.points])
        first_recent = next(i for i, p in enumerate(series.points)
                            if (TODAY - p.day).days <= 21)
        assert averages[first_recent] == 30.0  # the old readings are not in its window
        drawn = _compare_lines(chart)["Kelderby Heritage Trail"]
        assert np.isnan(drawn).any()  # a gap in the line, not a straight one across it
    return check


def talking_above_followers(store: Store) -> Callable:
    """More people talking about a Page than follow it (a post shared widely)."""
    _two_normal_pages(store)
    store.upsert_pages([page("viral", "Kelderby Lost Dog Appeal")])
    _daily(store, "viral", range(0, 35), 120, 300)

    def check(content: briefing.BriefingContent, sheets: list[str]) -> None:
        row = next(row for row in content.rows if row.page.id == "viral")
        assert row.assessment.per_1000 == 2500.0 and row.status is Status.GREEN
        assert "Green Kelderby Lost Dog Appeal 120 300 2500.0" in sheets[0]
        assert "300 talking about ÷ 120 followers" in row.assessment.reason
        # the chart's rate axis takes in 2,500 and the other Pages are still drawn
        assert len(_compare_lines(content.chart)) == 3
    return check


def notes_outside_the_period(store: Store) -> Callable:
    """A note two years ago and one next month: neither is the period's; one inside is."""
    _two_normal_pages(store)
    store.add_note(TODAY - timedelta(days=800), "Old website launched")
    store.add_note(TODAY + timedelta(days=30), "Next month's consultation")
    store.add_note(TODAY - timedelta(days=20), "Library week", "a")

    def check(content: briefing.BriefingContent, sheets: list[str]) -> None:
        words = " ".join(sheets)
        assert [note.text for note in content.chart.notes] == ["Library week"]
        assert "Notes for the period" in words
        day = TODAY - timedelta(days=20)
        assert f"[1] {day.day} {day:%b %Y}: Library week" in words
        assert "Old website" not in words and "consultation" not in words
    return check


def sixty_notes_in_a_quarter(store: Store) -> Callable:
    """Sixty notes over 90 days: the newest six listed, the others counted."""
    _two_normal_pages(store)
    for number in range(60):
        store.add_note(TODAY - timedelta(days=89 - number * 3 // 2), f"Post {number + 1}")

    def check(content: briefing.BriefingContent, sheets: list[str]) -> None:
        words = " ".join(sheets)
        assert len(content.chart.notes) == 60
        assert "[1–54] 54 earlier notes, numbered on the chart" in words
        for number in range(55, 61):
            assert f"Post {number}" in words
        assert "Post 54 " not in words + " "  # counted, not listed
    return check


def five_hundred_pages(store: Store) -> Callable:
    """500 Pages: the table continues over further A4 pages with its header."""
    store.upsert_pages([page(f"p{n:03}", f"Kelderby Ward {n:03} Community Page")
                        for n in range(500)])
    # every tenth Page's talk fell away this week (more changes than the briefing lists)
    store.add_readings(reading(f"p{n:03}", NOW - timedelta(days=day, hours=1), 1000 + n,
                                5 if n % 10 == 0 and day < 7 else 60 if n % 10 == 0
                                else (n * 7) % 90)
                        for n in range(500) for day in (0, 1, 7, 8, 28, 35))

    def check(content: briefing.BriefingContent, sheets: list[str]) -> None:
        assert len(content.rows) == 500
        first = sheets[0]
        assert "500 Pages" in first
        continued = int(re.search(r"The table continues on page (\d+) with the other 488 "
                                  r"Pages\.", first).group(1))
        spans = [tuple(int(number.replace(",", "")) for number in found) for found in
                 re.findall(r"Traffic light, continued: Pages ([\d,]+) to ([\d,]+) of 500",
                            " ".join(sheets))]
        assert spans[0][0] == 13 and spans[-1][1] == 500
        assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(spans))
        assert f"page {continued} of {len(sheets)}" in sheets[continued - 1]
        for row in content.rows:  # every Page's name is in a table
            assert row.page.name in " ".join(sheets)
        assert len(_compare_lines(content.chart)) == briefing.CHART_PAGES
        # each Page whose talk fell away turned red, at its own rate, as the sentence says
        turned = {change.page_id: change for change in content.changes
                  if change.kind is changes.Kind.TURNED_RED}
        assert set(turned) == {f"p{n:03}" for n in range(0, 500, 10)}
        assert len(turned) > briefing.MAX_CHANGES
        for n in range(0, 500, 10):
            change = turned[f"p{n:03}"]
            assert change.after == pytest.approx(5 * 1000 / (1000 + n))
            assert change.before == pytest.approx(60 * 1000 / (1000 + n))
            for number in (change.after, change.before):
                assert f"{number:.1f}".removesuffix(".0") in change.sentence
    return check


CASES = [gap_of_months, talking_above_followers, notes_outside_the_period,
         sixty_notes_in_a_quarter, five_hundred_pages]


def _compare_lines(chart: rendering.ChartContent) -> dict[str, np.ndarray]:
    """Each compared Page's line as the briefing's chart draws it (its y values)."""
    composition = rendering.Composition(chart, rendering.PRESETS["document"])
    try:
        assert isinstance(composition.chart, CompareChart)
        return {line.name: line.yData for line in composition.chart._lines
                if line.name is not None}
    finally:
        composition.close()


def _words(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    out = unicodedata.normalize("NFKC", out)
    return [re.sub(r"\s+", " ", sheet) for sheet in out.split("\f") if sheet.strip()]


def _ink(image: QImage) -> np.ndarray:
    """Where the page is not white (rows × columns of booleans)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), :3]
    return (pixels < 245).any(axis=2)


def _assert_within_margins(content: briefing.BriefingContent) -> None:
    """Every page at one pixel a layout pixel: nothing in the margins, nothing between the
    flow's end and the footer, nothing below the footer."""
    width, height = briefing.PAGE.width(), briefing.PAGE.height()
    edge = briefing.MARGIN - 4
    for number in range(briefing.page_count(content)):
        ink = _ink(briefing.briefing_image(content, 1.0, number))
        assert ink[int(edge):int(briefing.BOTTOM), :].any()  # the page has something on it
        assert not ink[:, :int(edge)].any(), f"page {number + 1}: ink in the left margin"
        assert not ink[:, int(width - edge):].any(), f"page {number + 1}: right margin"
        assert not ink[:int(edge), :].any(), f"page {number + 1}: top margin"
        assert not ink[int(briefing.BOTTOM) + 2:int(height - briefing.MARGIN) - 1, :].any(), \
            f"page {number + 1}: ink between the flow and the footer"
        assert not ink[int(height - briefing.MARGIN) + 18:, :].any(), \
            f"page {number + 1}: ink below the footer"


@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_the_briefing_lays_out_and_says_true_things(case, tmp_path: Path) -> None:
    with open_store(tmp_path / "bad.sqlite") as store:
        check = case(store)
        content = briefing.briefing_content(store)
        [pdf] = briefing.export_briefing(content, tmp_path / "briefing.pdf")
        sheets = _words(pdf)
        assert len(sheets) == briefing.page_count(content)
        _assert_within_margins(content)
        # What changed is the core's, every sentence shown or counted
        found = changes.what_changed(store)
        assert content.changes == found
        joined = re.sub(r"\s+", "", " ".join(sheets))
        for change in found[:briefing.MAX_CHANGES]:
            assert re.sub(r"\s+", "", change.sentence) in joined
        if len(found) > briefing.MAX_CHANGES:
            assert f"And{len(found) - briefing.MAX_CHANGES:,}more:" in joined
        if not found:
            assert re.sub(r"\s+", "", changes.NOTHING) in joined
        assert "Lines: 7-day average, daily values faint" in sheets[0]
        check(content, sheets)
