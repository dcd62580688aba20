"""Follower totals for Pages whose files hold none: from a total the officer gives, or the
latest synced reading, carried back through the days' new follows when the files reach it.
"""

from __future__ import annotations

from datetime import date, timedelta

from engage_desktop.core.importing.formats import NEW_FOLLOWS
from engage_desktop.core.importing.preview import ImportOptions, PagePlan, Preview, Question
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import from_utc_text, uk_day

FOLLOWS_REACH_DAYS = 2  # Meta's files end a day or two before they are downloaded


def fill_followers(store: Store, pages: dict[str, PagePlan], preview: Preview,
                   options: ImportOptions, today: date) -> None:
    """Follower totals, in the scratch tables, for Pages whose files hold none: from today's
    figure given by the officer, or the latest synced reading, carried back through the days'
    new follows. A Page with neither gets a question in ``preview``; each plan says where
    its totals came from (``followers_from``)."""
    staging = store.staging
    having = staging.pages_with_audience()
    lacking = [plan for plan in {p.page_id: p for p in pages.values()}.values()
               if plan.page_id not in having]
    for plan in lacking:
        anchor = _anchor(store, plan, options, today, only=len(lacking) == 1)
        if anchor is None:
            preview.questions.append(Question(
                "followers",
                f"The files hold no follower total for {plan.name}: give today's figure "
                "(or a recent one with its date) so its rate per 1,000 can be worked out"
                + ("." if len(lacking) == 1 else "; import its files on their own.")))
            continue
        if anchor[1] > today:
            preview.questions.append(Question(
                "followers", f"The follower total's date, {anchor[1]:%d %b %Y}, is in the "
                             "future: give the day the total was read."))
            continue
        total, anchor_day, source = anchor
        follows = staging.daily_values(plan.page_id, NEW_FOLLOWS, anchor_day)
        estimates = [(plan.page_id, anchor_day.isoformat(), total)] if source == "given" \
            else []
        # Carried back only from a total that the follows reach: Meta's files leave out
        # days with no follows (so a gap inside them is zero), but the days between the
        # files' end and a total taken long after are unknown.
        reach = (anchor_day - timedelta(days=FOLLOWS_REACH_DAYS)).isoformat()
        carried = bool(follows) and follows[0][0] >= reach
        running = total
        for day, value in follows if carried else []:
            if day != anchor_day.isoformat():
                estimates.append((plan.page_id, day, max(0, running)))
            running -= value or 0
        staging.set_followers(estimates)
        plan.followers_from = source_text(source, total, anchor_day, today)
        if carried:
            plan.followers_from += (", carried back through each day's new follows "
                                    "(unfollows are not in Meta's files, so earlier totals "
                                    "are estimates)")
        elif follows:
            ended = date.fromisoformat(follows[0][0])
            plan.followers_from += (
                f"; the new follows in the files end on {ended:%d %b %Y}, too long before "
                "it to carry it back, so earlier totals are not estimated")


def _anchor(store: Store, plan: PagePlan, options: ImportOptions, today: date, *,
            only: bool) -> tuple[int, date, str] | None:
    """The total to start from: (total, its day, "given" or "synced"), or None."""
    if only and options.followers is not None:
        return options.followers, options.followers_on or today, "given"
    row = store.latest_synced_audience(plan.page_id)
    if row is None:
        return None
    return int(row[1]), uk_day(from_utc_text(row[0])), "synced"


def source_text(source: str, total: int, day: date, today: date) -> str:
    if source == "given":
        return (f"today's total of {total:,} followers, as given" if day == today
                else f"the total of {total:,} followers on {day:%d %b %Y}, as given")
    return f"the synced total of {total:,} on {day:%d %b %Y}"
