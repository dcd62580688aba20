"""What the files would do to the database, from the scratch tables: each Page's days of
readings and Insights values counted as new, changed, unchanged or synced, and days a file
repeats reported as skipped rows.
"""

from __future__ import annotations

from datetime import date

from engage_desktop.core.importing.formats import Skip
from engage_desktop.core.importing.preview import PagePlan, Preview
from engage_desktop.core.importing.reading import SHOWN_SKIPS
from engage_desktop.core.store.staging import FILE_LINE, Staging

_COUNTERS = ("readings_new", "readings_changed", "readings_unchanged", "readings_synced_kept",
             "readings_synced_replaced", "insights_new", "insights_changed",
             "insights_unchanged", "insights_synced_kept")


def compare(staging: Staging, pages: dict[str, PagePlan], *, replace_synced: bool) -> None:
    """What each reading and value would do to the database: new, changed, unchanged, or
    'synced' (a synced one is there), counted into each Page's plan. Run again inside the
    commit's transaction, so what changed since the preview (a sync) is respected."""
    reading_counts, insight_counts = staging.compare()
    by_id = {plan.page_id: plan for plan in pages.values()}
    for plan in by_id.values():
        for counter in _COUNTERS:
            setattr(plan, counter, 0)
    for page_id, state, count, first, last in reading_counts:
        plan = by_id[page_id]
        if state == "synced":
            if replace_synced:
                plan.readings_synced_replaced += count
            else:
                plan.readings_synced_kept += count
        else:
            setattr(plan, f"readings_{state}", getattr(plan, f"readings_{state}") + count)
        _widen(plan, first, last)
    for page_id, state, count, first, last in insight_counts:
        plan = by_id[page_id]
        if state == "synced" and not replace_synced:
            plan.insights_synced_kept += count
        else:
            name = "changed" if state == "synced" else state
            setattr(plan, f"insights_{name}", getattr(plan, f"insights_{name}") + count)
        _widen(plan, first, last)


def report_duplicates(staging: Staging, preview: Preview) -> None:
    """A day a Page already has from an earlier row (of any file) is a skipped row of the
    file that repeats it, saying where the day came first."""
    for number, line, day, first in staging.repeated_days():
        report = preview.files[number]
        report.skipped += 1
        report.rows_used -= 1
        first_file, first_line = divmod(first, FILE_LINE)
        where = (f"line {first_line}" if first_file == number
                 else f"{preview.files[first_file].path.name}, line {first_line}")
        if len(report.skips) < SHOWN_SKIPS:
            report.skips.append(Skip(line, f"{date.fromisoformat(day):%d %b %Y} appears "
                                           f"again (first on {where}); this row is "
                                           "skipped"))
    for report in preview.files:
        report.skips.sort(key=lambda skip: skip.line)


def _widen(plan: PagePlan, first: str, last: str) -> None:
    first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
    plan.first_day = min(filter(None, [plan.first_day, first_day]))
    plan.last_day = max(filter(None, [plan.last_day, last_day]))
