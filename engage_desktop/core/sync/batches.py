"""The batch runner: sub-requests sent in batches, and each answer matched to its job.

Own Pages are read with their own Page tokens and public Pages with the user token, through
the same batch requests: up to ``MAX_BATCH`` (50) sub-requests per POST, one ``relative_url``
per Page (never ``GET /?ids=``, which Meta no longer serves to new apps), so N Pages cost about
N/50 requests and a Page Meta cannot read fails its own item only. Usage headers count on the
whole answer (the front token's scope) and on each item (that item's token's).

Temporary failures (codes 1 and 2, HTTP 5xx, read timeouts, dropped connections, cut-off
answers, ``null`` batch items) are retried with exponential back-off and jitter, never when
Meta says ``is_transient: false`` (``GraphError.retryable`` decides): a whole request up to
``max_attempts`` times, a sub-request within its Page's ``RETRY_BUDGET``. Permanent failures
(permission, invalid parameter, unknown Page) are reported per Page at once. When the network
cannot be reached at all (no DNS, refused, TLS, proxy, or no answer to the first request) the
run ends at once as ``failed``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from engage_desktop.core import graph as graph_api
from engage_desktop.core.graph import MAX_BATCH, GraphError
from engage_desktop.core.models import InsightValue, PageInfo, Reading
from engage_desktop.core.net import NetworkError
from engage_desktop.core.sync.answers import _Impossible, _insight_values, _page_info, _reading
from engage_desktop.core.sync.insights import again, coverage, insight_failed, probe_done
from engage_desktop.core.sync.ledger import fail, token_invalid, write
from engage_desktop.core.sync.state import RunState, _Job, _Unreachable
from engage_desktop.core.sync.throttle import (
    USER,
    block,
    is_blocked,
    page_blocked,
    pause,
    still_wanted,
    throttled,
    token_scope,
    watch_usages,
)
from engage_desktop.core.timeutil import utc_now

MAX_FRONT_REJECTIONS = 3  # batch tokens Meta rejects in a row before giving up on the rest
_UNREACHABLE = {"dns", "refused", "tls", "proxy", "proxy_auth", "config"}


def run_batches(run: RunState, jobs: list[_Job]) -> None:
    queue = list(jobs)
    while queue:
        run.check_cancel()
        chunk: list[_Job] = []
        waiting: list[_Job] = []
        scouting: set[str] = set()
        for job in queue:
            if not still_wanted(run, job):
                continue
            page_id = job.page.id
            if job.kind == "insights" and not job.probe and (
                    run.probing[page_id] or page_id in scouting):
                # Until one window of a Page's Insights has worked, send one at a time:
                # if Meta refuses a metric, the probes decide what the rest ask for.
                waiting.append(job)
            elif len(chunk) == MAX_BATCH:
                waiting.append(job)
            else:
                chunk.append(job)
                if job.kind == "insights" and page_id not in run.verified:
                    scouting.add(page_id)
        queue = waiting
        if not chunk:
            if queue and not any(run.probing.values()):
                continue
            return
        retry = post_batch(run, chunk)
        if any(job.attempts for job in retry):
            backoff(run, max(job.attempts for job in retry) - 1)
        queue = retry + queue


def front_token(run: RunState, chunk: list[_Job]) -> tuple[str, str | None]:
    """The batch's own token, and the Page it belongs to (None: the user token). Each
    item carries its own Page token, so the user token goes in front when there is one."""
    if run.user_token and not is_blocked(run, None, user_token=True):
        return run.user_token, None
    return chunk[0].token, chunk[0].page.id


def post_batch(run: RunState, chunk: list[_Job]) -> list[_Job]:
    """Send one batch, write what came back in one transaction, and return the jobs to
    try again."""
    token, owner = front_token(run, chunk)
    try:
        answers = call(run, lambda: run.client.batch(
            [job.relative_url() for job in chunk], token))
    except (graph_api.ThrottledError, graph_api.BlockedError) as exc:
        return batch_throttled(run, exc, chunk, owner)
    except graph_api.TokenInvalidError as exc:
        return front_rejected(run, exc, chunk, owner)
    except GraphError as exc:
        # Meta failed the whole batch (temporary errors were already retried)
        for job in chunk:
            fail(run, job.page.id, exc.kind, exc.message, exc)
            probe_done(run, job)
        return []
    run.front_rejections = 0
    # Usage on the whole answer is the front token's; on an item, that item's token's.
    watch_usages(run, [(run.client.usage, f"page:{owner}" if owner else USER),
                       *((usage, token_scope(run, job.page.id))
                         for job, usage in zip(chunk, run.client.item_usages, strict=True))])
    retry: list[_Job] = []
    readings: list[Reading] = []
    refreshed: list[PageInfo] = []
    insights: list[InsightValue] = []
    metric_updates: list[tuple[_Job, str, bool, str | None]] = []
    taken_at = utc_now()
    for job, answer in zip(chunk, answers, strict=True):
        if answer is None or (isinstance(answer, GraphError) and answer.retryable):
            retry.extend(again(run, job, answer))
        elif isinstance(answer, GraphError):
            retry.extend(job_failed(run, job, answer, metric_updates))
        elif job.kind == "page":
            try:
                readings.append(_reading(job.page.id, answer, taken_at, run.run_id))
            except _Impossible as exc:
                fail(run, job.page.id, "impossible_value", str(exc))
                continue
            refreshed.append(_page_info(job.page, answer))
        else:
            if not job.probe:
                run.verified.add(job.page.id)
            probe_done(run, job)
            try:
                values = _insight_values(job.page.id, answer)
            except _Impossible as exc:
                assert job.since and job.until
                last = job.until - timedelta(days=1)
                fail(run, job.page.id, "impossible_value",
                     f"{exc}; the Insights of {job.since:%d %b %Y} to "
                     f"{last:%d %b %Y} were not saved (the next sync asks again).")
                continue
            insights.extend(values)
            metric_updates += coverage(run, job, values)
    write(run, readings, insights, metric_updates, refreshed)
    return retry


def front_rejected(run: RunState, exc: graph_api.TokenInvalidError, chunk: list[_Job],
                   owner: str | None) -> list[_Job]:
    """Meta rejected the batch's own token: record whose it was and try the others with
    another in front, a few times."""
    run.front_rejections += 1
    if owner is None:
        run.user_token = None
        public = [pid for pid, kind in run.kinds.items() if kind == "public"]
        token_invalid(run, public, exc)
    else:
        token_invalid(run, [owner], exc)
    rest = [job for job in chunk if job.page.id not in run.reconnect]
    if run.front_rejections >= MAX_FRONT_REJECTIONS:
        for job in rest:
            fail(run, job.page.id, "token", "Meta rejected the tokens of several Pages in "
                 "a row; reconnect to refresh them all.", exc)
        return []
    return rest


def batch_throttled(run: RunState, exc: GraphError, chunk: list[_Job],
                    owner: str | None) -> list[_Job]:
    """Meta throttled (or blocked) the whole batch: pause the scope it names. The jobs go
    round again: the paused ones are then reported and dropped, the others sent with
    another token in front."""
    pause(run, exc, f"page:{owner}" if owner else USER)
    if not any(page_blocked(run, job.page.id) for job in chunk) and (
            owner is not None or not is_blocked(run, None, user_token=True)):
        # Nothing in this batch was named: do not send it again as it is.
        block(run, f"page:{owner}" if owner else USER, None)
    return list(chunk)


def job_failed(run: RunState, job: _Job, error: GraphError,
               metric_updates: list[tuple[_Job, str, bool, str | None]]) -> list[_Job]:
    if isinstance(error, graph_api.ThrottledError | graph_api.BlockedError):
        pause(run, error, token_scope(run, job.page.id), job.page.id)
        throttled(run, job.page.id, error)
        probe_done(run, job)
        return []
    if isinstance(error, graph_api.TokenInvalidError):
        if job.token == run.user_token:
            # The user token reads every public Page: those not read yet are not asked for.
            run.user_token = None
            run.dead_user_token = error
        token_invalid(run, [job.page.id], error)
        probe_done(run, job)
        return []
    if job.kind == "page":
        fail(run, job.page.id, error.kind, error.message, error)
        return []
    return insight_failed(run, job, error, metric_updates)


def call(run: RunState, request: Callable[[], Any]) -> Any:
    """A request, retried with back-off on temporary failures. A network that cannot be
    reached at all (or gives no answer before anything has come back) ends the run."""
    run.client.item_usages.clear()
    for attempt in range(run.options.max_attempts):
        run.check_cancel()
        failure: Exception | None = None
        try:
            return request()
        except NetworkError as exc:
            nothing_yet = run.client.responses == run.started_responses
            if exc.kind in _UNREACHABLE or (exc.kind == "connect_timeout" and nothing_yet):
                raise _Unreachable(exc) from None
            failure = graph_api.TemporaryError(exc.message, exc.hint)
        except GraphError as exc:
            if not exc.retryable:
                raise
            failure = exc
        if attempt + 1 == run.options.max_attempts:
            if run.client.responses == run.started_responses and isinstance(
                    failure, graph_api.TemporaryError) and failure.http_status is None:
                raise _Unreachable(NetworkError(failure.message, failure.hint, "dropped"))
            raise failure
        backoff(run, attempt)
    raise AssertionError("unreachable")


def backoff(run: RunState, attempt: int) -> None:
    delay = min(run.options.backoff_cap, run.options.backoff_base * 2 ** attempt)
    run.options.sleep(delay * random.uniform(0.5, 1.5))
