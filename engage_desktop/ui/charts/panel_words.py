"""The words the window's chart panel shows around its charts: the comparison's legend, the
steadier line's key, and the values at the pointer (with each Page's 7-day average when the
lines are averages).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from engage_desktop.core import wording
from engage_desktop.core.engagement import audience, per_1000, reading_per_1000, trailing_average
from engage_desktop.core.wording import short
from engage_desktop.ui.charts.series import MAX_COMPARED, PageSeries
from engage_desktop.ui.charts.style import AVERAGE_KEY, SeriesLook, faint
from engage_desktop.ui.plain import markup
from engage_desktop.ui.theme import Theme


def legend_text(entries: Sequence[tuple[SeriesLook, str, bool]],
                left_out: Sequence[str]) -> str:
    """The comparison's legend (rich text) from its ``entries`` (CompareChart.legend_entries),
    naming the selected Pages ``left_out`` beyond the cap."""
    samples = []
    for look, name, drawn in entries:
        # a Page's sample and name are never split over two lines
        if drawn:
            words = markup(short(name)).replace(" ", "&nbsp;")
            samples.append(f"<span style='color:{look.colour}'>{look.sample_text}</span>"
                           f"&nbsp;{words}")
        else:  # no line, so no sample: words instead
            words = markup(short(name) + ": no figures").replace(" ", "&nbsp;")
            samples.append(f"<i>{words}</i>")
    text = " &nbsp; ".join(samples)
    if left_out:
        named = ", ".join(markup(short(name)) for name in left_out[:3])
        more = f" and {len(left_out) - 3} more" if len(left_out) > 3 else ""
        text += (f"<br><b>{len(left_out)} selected Page{'s' if len(left_out) > 1 else ''} "
                 f"not drawn</b> (a chart compares at most {MAX_COMPARED}): "
                 f"{named}{more}.")
    return text


def key_text(theme: Theme) -> str:
    """What the lines are when they are the steadier line, in words and a sample of each."""
    daily = faint(theme.text, theme.background).name()
    return (f"Lines: {AVERAGE_KEY} (<b>━━</b> average, "
            f"<span style='color:{daily}'>━━</span> daily)")


def rate_averages(page: PageSeries) -> dict[date, float | None]:
    """The Page's 7-day average per 1,000 by day (the lines drawn from the same core)."""
    days = [p.day for p in page.points]
    rates = [reading_per_1000(p) for p in page.points]
    return dict(zip(days, trailing_average(days, rates), strict=True))


def describe_day(series: Sequence[PageSeries], averages: Sequence[dict[date, float | None]],
                 day: date) -> str:
    """The readout at the pointer: one Page's figures, or each compared Page's rate, on
    ``day`` (and the 7-day averages, for the Pages given ``averages``)."""
    parts = []
    for number, page in enumerate(series):
        point = next((p for p in page.points if p.day == day), None)
        if point is None:
            continue
        size = audience(point.followers, point.fans)
        ratio = per_1000(point.talking_about, size)
        rate = "–" if ratio is None else f"{ratio:.1f}"
        if number < len(averages):
            steady = averages[number].get(day)
            rate += f" (7-day average {'–' if steady is None else f'{steady:.1f}'})"
        if len(series) == 1:
            parts.append(f"{wording.count(size)} followers · "
                         f"{wording.count(point.talking_about)} talking about · {rate} "
                         "per 1,000")
        else:
            parts.append(f"{short(page.name)}: {rate}")
    return f"{day:%a %d %b %Y}: " + ("; ".join(parts) if parts else "no reading")
