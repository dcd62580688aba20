"""The Insights of own Pages: which windows to ask for, what an answer covers, and retries.

The first sync back-fills up to two years in windows of at most 90 days, newest first; later
syncs re-fetch from three days before the last day held. Only the days Meta sent a value for
count as held (``metric_status.covered_from`` / ``covered_until``): an empty answer
(``{"data": []}``, normal for Pages under about 100 likes) or a metric left out of the answer
is noted in ``metric_status.last_error`` with the time in ``unavailable_since``; for
``EMPTY_REASK`` after that only the newest days are asked for, then the older ones again.
A metric Meta refuses ("#100 … valid insights metric") is found with one probe per metric,
recorded in ``metric_status``, dropped from that Page's other requests, and not asked for again
until the API version changes.

A sub-request that failed for a temporary reason is asked again while its Page's budget of
``RETRY_BUDGET`` retries for the run lasts (shared by its reading and all its Insights
windows); after that the Page is reported with Meta's own code and words and the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from engage_desktop.core import graph as graph_api
from engage_desktop.core.graph import GraphError
from engage_desktop.core.models import InsightValue, Page
from engage_desktop.core.settings import API_VERSION_SEEN
from engage_desktop.core.sync.answers import _runs
from engage_desktop.core.sync.ledger import fail, still_followed
from engage_desktop.core.sync.state import RunState, _Job
from engage_desktop.core.timeutil import meta_day, meta_today, uk_day, utc_now

INSIGHT_METRICS = ("page_follows", "page_daily_follows_unique", "page_daily_unfollows_unique",
                   "page_post_engagements", "page_views_total", "page_media_view")
BACKFILL_DAYS = 730
WINDOW_DAYS = 90
TRAILING_DAYS = 3
RETRY_BUDGET = 6  # retries of sub-requests per Page per run, shared by all its requests
EMPTY_REASK = timedelta(days=7)  # after an empty Insights answer, older days wait this long


def insight_jobs(run: RunState, own: Sequence[tuple[Page, str]]) -> list[_Job]:
    """The Insights windows to ask for, for each own Page read in this run."""
    version = run.client.api_version
    if version and version != run.store.settings.get(API_VERSION_SEEN):
        # A new API version: metrics refused under the old one are asked for again.
        run.store.reset_unavailable_metrics()
        run.store.settings.set(API_VERSION_SEEN, version)
    statuses = run.store.metric_statuses()
    today = meta_today()
    jobs = []
    for page, token in own:
        held = {m: statuses.get((page.id, m)) for m in INSIGHT_METRICS}
        metrics = tuple(m for m, status in held.items() if status is None or status.available)
        if not metrics:
            continue  # Meta serves none of them for this Page any more
        covered = [held[m] for m in metrics]
        # Ask for the days the least-covered metric lacks (the others come along in the
        # same requests at no extra cost).
        if all(c and c.covered_from and c.covered_until for c in covered):
            covered_from = max(c.covered_from for c in covered if c and c.covered_from)
            covered_until = min(c.covered_until for c in covered if c and c.covered_until)
        else:
            covered_from = covered_until = None
        # Meta had no values for some days not long ago: ask only for the newest days
        # until EMPTY_REASK has passed, not the whole back-fill at every sync.
        now = utc_now()
        recent = any(c and c.unavailable_since and now - c.unavailable_since < EMPTY_REASK
                     for c in covered)
        windows = list(insight_windows(today, covered_from, covered_until,
                                       backfill=not recent))
        if any(c and c.last_error and c.last_error.startswith("permission") for c in covered):
            windows = windows[:1]  # refused before: one window to see if that changed
        jobs += [_Job(page, token, "insights", metrics, since, until)
                 for since, until in windows]
    if jobs:
        run.step(f"Reading Insights for {len(own)} own Pages")
    return jobs


def note_no_insights(run: RunState) -> None:
    """Report the Pages Meta answered without a single Insights value in this run."""
    asked = uk_day(utc_now())
    for page_id in run.insights_empty - run.insights_seen - run.no_insights:
        fail(run, page_id, "no_insights",
             f"Meta has no Insights for this Page (asked {asked:%d %b %Y}); Pages "
             "with fewer than about 100 likes have none. The sync asks for the "
             "newest days each time and for older ones again after "
             f"{EMPTY_REASK.days} days.")


def again(run: RunState, job: _Job, error: GraphError | None) -> list[_Job]:
    """A sub-request that failed for a temporary reason (``error`` None: no answer, or
    one cut short) is asked again while its Page's retry budget lasts; then the Page is
    reported with Meta's own code and words, and its Insights wait for the next sync."""
    page_id = job.page.id
    if run.retries[page_id] < RETRY_BUDGET:
        run.retries[page_id] += 1
        job.attempts += 1
        return [job]
    message = error.message if error else "Meta did not answer for this Page."
    if job.kind == "insights":
        run.no_insights.add(page_id)
        message = f"Insights: {message}"
    fail(run, page_id, error.kind if error else "temporary",
         f"{message} The next sync tries again.", error)
    probe_done(run, job)
    return []


def coverage(run: RunState, job: _Job, values: list[InsightValue]
             ) -> list[tuple[_Job, str, bool, str | None]]:
    """Per metric asked for, the days this answer covers (those Meta sent a value for),
    or, when it sent none, why not: the days then stay to be asked for again."""
    assert job.since and job.until
    days: dict[str, set[date]] = {}
    for value in values:
        if value.period == "day":
            days.setdefault(value.metric, set()).add(meta_day(value.end_time))
    (run.insights_seen if days else run.insights_empty).add(job.page.id)
    asked = uk_day(utc_now())
    span = (f"for {job.since:%d %b %Y} to {job.until - timedelta(days=1):%d %b %Y} "
            f"(asked {asked:%d %b %Y})")
    updates: list[tuple[_Job, str, bool, str | None]] = []
    for metric in job.metrics:
        job.days[metric] = _runs(days.get(metric, set()))
        reason = None if job.days[metric] else (
            f"Meta sent no {metric} values {span}" if days
            else f"Meta has no Insights for this Page {span}")
        updates.append((job, metric, True, reason))
    return updates


def insight_failed(run: RunState, job: _Job, error: GraphError,
                   metric_updates: list[tuple[_Job, str, bool, str | None]]) -> list[_Job]:
    """An Insights window Meta refused for a reason of its own (not throttling or the
    token): ask for less, find the metric it refuses, or give up on this Page's Insights
    for the run."""
    if isinstance(error, graph_api.TooMuchDataError) and job.since and job.until and (
            job.until - job.since).days > 1:
        # Meta asked for less: the same metrics over two shorter windows.
        middle = job.since + (job.until - job.since) / 2
        return [_Job(job.page, job.token, "insights", job.metrics, middle, job.until,
                     job.probe),
                _Job(job.page, job.token, "insights", job.metrics, job.since, middle,
                     job.probe)]
    if _refuses_a_metric(error):
        if job.probe:
            (metric,) = job.metrics
            run.retired.add((job.page.id, metric))
            metric_updates.append((job, metric, False, error.meta_message or error.message))
            probe_done(run, job)
            return []
        if run.probing[job.page.id]:
            return [job]  # probes for this Page are out; ask again when they are back
        # One refused metric fails the whole request: find it with one probe per metric
        # on this window; the Page's other windows wait for the answer.
        run.probing[job.page.id] += len(job.metrics)
        probes = [_Job(job.page, job.token, "insights", (m,), job.since, job.until, True)
                  for m in job.metrics]
        return [*probes, job]
    # Permission, not found, another invalid parameter: no more Insights for this Page
    # this run (and only a single window next time until it works again).
    run.no_insights.add(job.page.id)
    fail(run, job.page.id, error.kind, f"Insights: {error.message}", error)
    if error.kind == "permission":
        with run.store.transaction():
            if still_followed(run, [job.page.id]):
                run.store.note_metric_error(job.page.id, job.metrics,
                                            f"permission: {error.message}")
    probe_done(run, job)
    return []


def probe_done(run: RunState, job: _Job) -> None:
    if job.probe and run.probing[job.page.id]:
        run.probing[job.page.id] -= 1


def _refuses_a_metric(error: GraphError) -> bool:
    return isinstance(error, graph_api.InvalidParameterError) and (
        "valid insights metric" in error.meta_message.lower())


def insight_windows(today: date, covered_from: date | None,
                    covered_until: date | None, *,
                    backfill: bool = True) -> Iterator[tuple[date, date]]:
    """The (since, until) windows still to fetch, newest first, each at most 90 days: the
    back-fill before what is held, and the days since, re-fetching the last three. Without
    ``backfill`` only the days since (or, with nothing held, the newest window)."""
    start = today - timedelta(days=BACKFILL_DAYS)
    end = today + timedelta(days=1)  # until is exclusive: up to and including today
    if covered_from is None or covered_until is None:
        ranges = [(start if backfill else end - timedelta(days=WINDOW_DAYS), end)]
    else:
        ranges = [(max(start, covered_until - timedelta(days=TRAILING_DAYS - 1)), end)]
        if backfill and covered_from > start:
            ranges.append((start, covered_from))
    for low, high in ranges:
        while high > low:
            since = max(low, high - timedelta(days=WINDOW_DAYS))
            yield since, high
            high = since
