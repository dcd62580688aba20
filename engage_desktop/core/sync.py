"""One sync run: read every tracked Page (and own Pages' Insights) into the local history.

How it reads (``reference/graph-api.md`` sections 3-7):
- own Pages, each with its own Page token, through batch requests: up to 50 sub-requests per
  POST, so N own Pages cost about N/50 requests;
- public Pages with the user token through ``?ids=`` in chunks of 50; a chunk Meta fails as a
  whole (#803, a permission error) is split until the bad Page is isolated;
- Insights for own Pages, also batched: the first sync back-fills up to two years in windows of
  at most 90 days, newest first, later syncs re-fetch from three days before the last day held.
  A metric Meta refuses (#100) is isolated, recorded in ``metric_status`` and not asked for
  again until the API version changes.

What it does when things go wrong:
- temporary failures (codes 1 and 2, HTTP 5xx, timeouts, dropped connections, cut-off answers,
  ``null`` batch items) are retried with exponential back-off and jitter, a few times;
- permanent ones (permission, invalid parameter, unknown Page) are reported per Page at once;
- error 190 marks that token's Pages ``needs_reconnect`` and the run goes on with the others;
- throttling (codes 4, 17, 32, 341, 613, 80001…, or usage above 90 %) stops calls for that
  scope (the app, or one Page), records when to resume, and ends the run ``partial``; the next
  run skips the scope until then and carries on;
- when the network cannot be reached at all the run ends at once as ``failed``.

Each batch's results are written in one transaction, so a run killed at any moment leaves a
consistent database; a run left ``running`` is closed as ``failed`` by the next one. A lock
file beside the database keeps two syncs (the window and a scheduled task) from running at
once: the second is refused with a clear message.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from filelock import FileLock, Timeout

from engage_desktop.core import graph as graph_api
from engage_desktop.core.accounts import PUBLIC_READER_SETTING
from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph import GraphClient, GraphError, Usage
from engage_desktop.core.models import (
    InsightValue,
    Page,
    PageInfo,
    Reading,
    RunStatus,
    SyncError,
)
from engage_desktop.core.net import NetworkError
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, uk_day, utc_now
from engage_desktop.core.tokens import TokenKey, TokenVault, VaultError

PAGE_FIELDS = ("id,name,username,link,category,fan_count,followers_count,talking_about_count,"
               "has_transitioned_to_new_page_experience")
INSIGHT_METRICS = ("page_follows", "page_daily_follows_unique", "page_daily_unfollows_unique",
                   "page_post_engagements", "page_views_total", "page_media_view")
MAX_BATCH = 50
BACKFILL_DAYS = 730
WINDOW_DAYS = 90
TRAILING_DAYS = 3
USAGE_LIMIT = 90  # percent of a rate limit at which the sync stops calling that scope
DEFAULT_PAUSE = timedelta(minutes=30)  # when Meta throttles without saying for how long
THROTTLE_SETTING = "sync_throttle"  # scope -> resume-after time, kept between runs
API_VERSION_SETTING = "graph_api_version_seen"
PACIFIC = ZoneInfo("America/Los_Angeles")
NPE_NOTE = "Moved to the New Pages Experience: likes now count followers"
_UNREACHABLE = {"dns", "refused", "tls", "proxy", "proxy_auth", "config"}


class SyncBusyError(EngageError):
    """Another sync holds this database."""


class SyncCancelled(Exception):
    pass


class _Unreachable(Exception):
    def __init__(self, error: NetworkError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int
    step: str


@dataclass
class SyncOptions:
    insights: bool = True
    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    lock_timeout: float = 0.0  # seconds to wait for another sync; 0 refuses at once


@dataclass
class SyncSummary:
    run_id: int
    status: RunStatus
    pages_ok: int
    pages_failed: int
    requests: int
    resume_after: datetime | None
    errors: list[SyncError]
    api_version: str | None
    message: str

    def as_json(self, names: dict[str, str] | None = None) -> dict[str, Any]:
        names = names or {}
        return {
            "run_id": self.run_id, "status": self.status, "pages_ok": self.pages_ok,
            "pages_failed": self.pages_failed, "requests": self.requests,
            "resume_after": to_utc_text(self.resume_after) if self.resume_after else None,
            "api_version": self.api_version,
            "errors": [{"page_id": e.page_id, "name": names.get(e.page_id or ""),
                        "kind": e.kind, "code": e.code, "message": e.message}
                       for e in self.errors],
        }


@dataclass
class _Job:
    """One sub-request of a batch."""

    page: Page
    token: str
    kind: str  # "page" or "insights"
    metrics: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    attempts: int = 0

    def relative_url(self) -> str:
        if self.kind == "page":
            query = {"fields": PAGE_FIELDS}
            path = self.page.id
        else:
            assert self.since and self.until
            query = {"metric": ",".join(self.metrics), "period": "day",
                     "since": self.since.isoformat(), "until": self.until.isoformat()}
            path = f"{self.page.id}/insights"
        # The token rides inside the POST body, never in a URL that reaches a log.
        return f"{path}?{urlencode({**query, 'access_token': self.token})}"


@dataclass
class _PageResult:
    snapshot: bool = False
    errors: list[SyncError] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return not self.snapshot or any(e.kind in ("token", "throttled", "temporary")
                                        for e in self.errors)


def run_sync(store: Store, vault: TokenVault, client: GraphClient, *,
             options: SyncOptions | None = None,
             progress: Callable[[Progress], None] | None = None,
             cancel: threading.Event | None = None) -> SyncSummary:
    """Run one sync under the database's sync lock. Raises :class:`SyncBusyError` when
    another sync holds it."""
    options = options or SyncOptions()
    lock = FileLock(str(store.path) + ".sync-lock")
    try:
        lock.acquire(timeout=options.lock_timeout)
    except Timeout:
        raise SyncBusyError(
            "Another sync of this database is running (in the window or a scheduled task).",
            "Wait for it to finish; its results will show when it does.") from None
    try:
        store.close_abandoned_runs("The sync was interrupted (the program was closed or the "
                                   "computer shut down). The next sync carries on.")
        return _Sync(store, vault, client, options, progress, cancel).run()
    finally:
        lock.release()


class _Sync:
    def __init__(self, store: Store, vault: TokenVault, client: GraphClient,
                 options: SyncOptions, progress: Callable[[Progress], None] | None,
                 cancel: threading.Event | None) -> None:
        self.store = store
        self.vault = vault
        self.client = client
        self.options = options
        self.report = progress or (lambda _: None)
        self.cancel = cancel or threading.Event()
        self.results: dict[str, _PageResult] = {}
        self.names: dict[str, str] = {}
        self.blocked: dict[str, datetime] = {}
        self.started_requests = client.requests_made
        self.done = 0
        self.total = 0
        self.previous_npe: dict[str, bool | None] = {}
        self.reconnect: set[str] = set()  # Pages whose token Meta rejected in this run

    # The run -------------------------------------------------------------------------------

    def run(self) -> SyncSummary:
        now = utc_now()
        self.blocked = {scope: from_utc_text(when) for scope, when in
                        (self.store.setting(THROTTLE_SETTING, {}) or {}).items()
                        if from_utc_text(when) > now}
        self.run_id = self.store.start_sync_run()
        pages = [p for p in self.store.pages(tracked_only=True) if p.kind in ("own", "public")]
        self.names = {p.id: p.name for p in pages}
        self.results = {p.id: _PageResult() for p in pages}
        self.total = len(pages)
        self.previous_npe = {pid: r.npe for pid, r in self.store.latest_readings().items()}
        status: RunStatus
        message = ""
        try:
            own, public = self._tokens(pages)
            self._step(f"Reading {len(own)} own and {len(public)} public Pages")
            self._read_own(own)
            self._read_public(public)
            if self.options.insights:
                self._read_insights([(p, t) for p, t in own if self.results[p.id].snapshot])
            status = self._status()
        except SyncCancelled:
            status, message = "cancelled", "Cancelled; what was fetched before is kept."
        except _Unreachable as exc:
            status = "failed"
            message = f"{exc.error.message} {exc.error.hint}"
            for page_id, result in self.results.items():
                if not result.snapshot and not result.errors:
                    result.errors.append(SyncError(page_id, "network", exc.error.message))
        self._save_blocks()
        return self._finish(status, message)

    def _status(self) -> RunStatus:
        failed = sum(r.failed for r in self.results.values())
        if not self.results or not failed:
            return "ok"
        return "failed" if failed == len(self.results) and not self.blocked else "partial"

    def _finish(self, status: RunStatus, message: str) -> SyncSummary:
        errors = [e for r in self.results.values() for e in r.errors]
        pages_failed = sum(r.failed for r in self.results.values())
        pages_ok = len(self.results) - pages_failed
        resume = min(self.blocked.values()) if self.blocked else None
        if not message:
            message = (f"{pages_ok} of {len(self.results)} Pages synced"
                       + (f"; Meta asked us to wait until {to_utc_text(resume)}" if resume
                          else ""))
        requests = self.client.requests_made - self.started_requests
        self.store.finish_sync_run(
            self.run_id, status, pages_ok=pages_ok, pages_failed=pages_failed,
            requests=requests, api_version=self.client.api_version, resume_after=resume,
            message=message, errors_=errors)
        return SyncSummary(self.run_id, status, pages_ok, pages_failed, requests, resume,
                           errors, self.client.api_version, message)

    def _tokens(self, pages: Sequence[Page]) -> tuple[list[tuple[Page, str]],
                                                      list[tuple[Page, str]]]:
        own: list[tuple[Page, str]] = []
        public: list[tuple[Page, str]] = []
        reader = self.store.setting(PUBLIC_READER_SETTING)
        user_token: str | None = None
        user_problem: str | None = None
        if any(p.kind == "public" for p in pages):
            try:
                user_token = self.vault.get(TokenKey.user(reader)) if reader else None
            except VaultError as exc:
                user_problem = str(exc)
            if not user_token and not user_problem:
                user_problem = ("Reading public Pages needs a connected user or system-user "
                                "token. Connect one: engage-desktop connect --token-stdin")
        for page in pages:
            if page.token_status == "needs_reconnect":
                problem = page.token_problem or "Meta no longer accepts the token"
                self._fail(page.id, "token", f"Reconnect: {problem}.")
                continue
            if page.kind == "public":
                if user_token:
                    public.append((page, user_token))
                else:
                    self._fail(page.id, "token", user_problem or "")
                continue
            try:
                token = self.vault.get(TokenKey.page(page.id))
            except VaultError as exc:
                self._fail(page.id, "token", str(exc))
                continue
            if token:
                own.append((page, token))
            else:
                self._fail(page.id, "token", "No token is kept for this Page. Reconnect: "
                           "engage-desktop connect --token-stdin")
        return own, public

    # Own Pages and Insights, in batches -----------------------------------------------------

    def _read_own(self, own: Sequence[tuple[Page, str]]) -> None:
        jobs = [_Job(page, token, "page") for page, token in own]
        self._run_batches(jobs)

    def _read_insights(self, own: Sequence[tuple[Page, str]]) -> None:
        version = self.client.api_version
        if version and version != self.store.setting(API_VERSION_SETTING):
            # A new API version: metrics refused under the old one are asked for again.
            self.store.reset_unavailable_metrics()
            self.store.set_setting(API_VERSION_SETTING, version)
        statuses = self.store.metric_statuses()
        today = datetime.now(PACIFIC).date()
        jobs = []
        for page, token in own:
            metrics = tuple(m for m in INSIGHT_METRICS
                            if (s := statuses.get((page.id, m))) is None or s.available)
            held = [statuses.get((page.id, m)) for m in metrics]
            # Ask for the days the least-covered metric lacks (the others come along in the
            # same requests at no extra cost).
            if all(h and h.covered_from and h.covered_until for h in held):
                covered_from = max(h.covered_from for h in held if h and h.covered_from)
                covered_until = min(h.covered_until for h in held if h and h.covered_until)
            else:
                covered_from = covered_until = None
            for since, until in insight_windows(today, covered_from, covered_until):
                jobs.append(_Job(page, token, "insights", metrics, since, until))
        if jobs:
            self._step(f"Reading Insights for {len(own)} own Pages")
        self._run_batches(jobs)

    def _run_batches(self, jobs: list[_Job]) -> None:
        queue = list(jobs)
        while queue:
            self._check_cancel()
            ready = []
            for job in queue:
                if job.page.id in self.reconnect:
                    continue  # its token failed earlier in this run (already reported)
                if self._is_blocked(job.page.id):
                    self._throttled(job.page.id, None)
                else:
                    ready.append(job)
            chunk, queue = ready[:MAX_BATCH], ready[MAX_BATCH:]
            if not chunk:
                return
            retry = self._post_batch(chunk)
            exhausted = [job for job in retry if job.attempts >= self.options.max_attempts]
            for job in exhausted:
                self._fail(job.page.id, "temporary",
                           "Meta kept failing to answer; the next sync tries again.")
            retry = [job for job in retry if job.attempts < self.options.max_attempts]
            if retry:
                self._backoff(max(job.attempts for job in retry) - 1)
                queue = retry + queue

    def _post_batch(self, chunk: list[_Job]) -> list[_Job]:
        """Send one batch, write what came back in one transaction, and return the jobs to
        try again."""
        items = [{"method": "GET", "relative_url": job.relative_url()} for job in chunk]
        try:
            answers = self._call(lambda: self.client.post(
                "", chunk[0].token, {"batch": json.dumps(items), "include_headers": "true"}))
        except graph_api.ThrottledError as exc:
            self._throttle_from(exc, [job.page.id for job in chunk])
            return []
        except graph_api.TokenInvalidError as exc:
            # The batch's own (top-level) token is the first job's: that Page needs
            # reconnecting; the others go round again with another token in front.
            self._token_invalid([chunk[0].page.id], exc)
            return [job for job in chunk if job.page.id not in self.reconnect]
        except GraphError as exc:
            # Meta failed the whole batch (temporary errors were already retried)
            for job in chunk:
                self._fail(job.page.id, exc.kind, exc.message, exc)
            return []
        if not isinstance(answers, list) or len(answers) != len(chunk):
            for job in chunk:
                job.attempts += 1
            return chunk
        retry: list[_Job] = []
        readings: list[Reading] = []
        refreshed: list[PageInfo] = []
        insights: list[InsightValue] = []
        metric_updates: list[tuple[_Job, str, bool, str | None]] = []
        taken_at = utc_now()
        for job, answer in zip(chunk, answers, strict=True):
            outcome = self._answer(job, answer)
            if outcome is None:
                job.attempts += 1
                retry.append(job)
            elif job.kind == "page" and isinstance(outcome, dict):
                readings.append(_reading(job.page.id, outcome, taken_at, self.run_id))
                refreshed.append(_page_info(job.page, outcome))
            elif job.kind == "insights" and isinstance(outcome, dict):
                values = _insight_values(job.page.id, outcome)
                insights.extend(values)
                for metric in job.metrics:
                    metric_updates.append((job, metric, True, None))
            elif isinstance(outcome, GraphError):
                retry.extend(self._job_failed(job, outcome, metric_updates))
        self._write(readings, insights, metric_updates, refreshed)
        return retry

    def _answer(self, job: _Job, answer: Any) -> dict[str, Any] | GraphError | None:
        """The body of a batch item, its error, or None when it should be tried again."""
        if not isinstance(answer, dict):
            return None  # a null item did not complete
        headers = {h.get("name", ""): h.get("value", "") for h in answer.get("headers") or []
                   if isinstance(h, dict)}
        usage = graph_api.parse_usage(headers)
        try:
            body = json.loads(answer.get("body") or "")
        except ValueError:
            return None  # cut short
        code = int(answer.get("code") or 0)
        if code == 200 and not (isinstance(body, dict) and "error" in body):
            self._watch_usage(usage)
            return body if isinstance(body, dict) else None
        error = graph_api.parse_error(body, code, usage)
        return None if error.retryable else error

    def _job_failed(self, job: _Job, error: GraphError,
                    metric_updates: list[tuple[_Job, str, bool, str | None]]) -> list[_Job]:
        if isinstance(error, graph_api.ThrottledError):
            self._throttle_from(error, [job.page.id])
            return []
        if isinstance(error, graph_api.TokenInvalidError):
            self._token_invalid([job.page.id], error)
            return []
        if (job.kind == "insights" and isinstance(error, graph_api.TooMuchDataError)
                and job.since and job.until and (job.until - job.since).days > 1):
            # Meta asked for less: the same metrics over two shorter windows.
            middle = job.since + (job.until - job.since) / 2
            return [_Job(job.page, job.token, "insights", job.metrics, middle, job.until),
                    _Job(job.page, job.token, "insights", job.metrics, job.since, middle)]
        if job.kind == "insights" and isinstance(error, graph_api.InvalidParameterError):
            if len(job.metrics) > 1:
                # One refused metric fails the whole request: ask for each on its own.
                return [_Job(job.page, job.token, "insights", (metric,), job.since, job.until)
                        for metric in job.metrics]
            metric_updates.append((job, job.metrics[0], False, error.meta_message or
                                   error.message))
            return []
        if job.kind == "insights":
            self._fail(job.page.id, error.kind, f"Insights: {error.message}", error)
            return []
        self._fail(job.page.id, error.kind, error.message, error)
        return []

    def _write(self, readings: list[Reading], insights: list[InsightValue],
               metric_updates: list[tuple[_Job, str, bool, str | None]],
               refreshed: list[PageInfo]) -> None:
        """Everything one request brought back, in one transaction."""
        with self.store.transaction():
            if refreshed:
                # Names and addresses as Meta has them now; the kind stays ours.
                self.store.upsert_pages(refreshed)
            if readings:
                self.store.add_snapshots(readings)
                for reading in readings:
                    self._note_npe_flip(reading)
                    self.results[reading.page_id].snapshot = True
                ok = [r.page_id for r in readings]
                self.store.set_token_status(
                    [pid for pid in ok if self.results[pid].errors == []], "ok")
            if insights:
                self.store.add_insights(insights)
            for job, metric, ok_metric, error in metric_updates:
                self.store.record_metric(
                    job.page.id, metric, ok=ok_metric,
                    covered=(job.since, job.until - timedelta(days=1))
                    if ok_metric and job.since and job.until else None, error=error)
        if readings:
            self.done += len(readings)
            self._step("Reading Pages")

    def _note_npe_flip(self, reading: Reading) -> None:
        before = self.previous_npe.get(reading.page_id)
        if before is False and reading.npe is True:
            self.store.add_annotation(uk_day(reading.taken_at), NPE_NOTE, reading.page_id)
        self.previous_npe[reading.page_id] = reading.npe

    # Public Pages, with ?ids= --------------------------------------------------------------

    def _read_public(self, public: Sequence[tuple[Page, str]]) -> None:
        by_id = {page.id: (page, token) for page, token in public}
        ids = list(by_id)
        for start in range(0, len(ids), MAX_BATCH):
            self._check_cancel()
            chunk = ids[start:start + MAX_BATCH]
            if self._is_blocked("app"):
                for page_id in chunk:
                    self._throttled(page_id, None)
                continue
            token = by_id[chunk[0]][1]
            try:
                found, failed = self._call(
                    lambda chunk=chunk, token=token: self.client.read_many(chunk, token,
                                                                          PAGE_FIELDS))
            except graph_api.ThrottledError as exc:
                self._throttle_from(exc, chunk)
                continue
            except graph_api.TokenInvalidError as exc:
                self._token_invalid(ids[start:], exc)
                return
            except GraphError as exc:
                for page_id in chunk:
                    self._fail(page_id, exc.kind, exc.message, exc)
                continue
            self._watch_usage(self.client.usage)
            taken_at = utc_now()
            readings = [_reading(pid, node, taken_at, self.run_id) for pid, node in found.items()]
            self._write(readings, [], [],
                        [_page_info(by_id[pid][0], node) for pid, node in found.items()])
            for page_id, error in failed.items():
                self._fail(page_id, error.kind, error.message, error)

    # Errors, throttling, retries ------------------------------------------------------------

    def _call(self, request: Callable[[], Any]) -> Any:
        """A request, retried with back-off on temporary failures; a network that cannot be
        reached at all aborts the run."""
        for attempt in range(self.options.max_attempts):
            self._check_cancel()
            try:
                return request()
            except NetworkError as exc:
                if exc.kind in _UNREACHABLE:
                    raise _Unreachable(exc) from None
                if attempt + 1 == self.options.max_attempts:
                    raise graph_api.TemporaryError(exc.message, exc.hint) from None
            except GraphError as exc:
                if not exc.retryable or attempt + 1 == self.options.max_attempts:
                    raise
            self._backoff(attempt)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> None:
        delay = min(self.options.backoff_cap, self.options.backoff_base * 2 ** attempt)
        self.options.sleep(delay * random.uniform(0.5, 1.5))

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise SyncCancelled

    def _step(self, step: str) -> None:
        self.report(Progress(min(self.done, self.total), self.total, step))

    def _fail(self, page_id: str, kind: str, message: str,
              error: GraphError | None = None) -> None:
        """Record what went wrong for a Page (once per kind and message)."""
        result = self.results.setdefault(page_id, _PageResult())
        if any(e.kind == kind and e.message == message for e in result.errors):
            return
        result.errors.append(SyncError(page_id, kind, message,
                                       error.code if error else None,
                                       error.subcode if error else None))

    def _token_invalid(self, page_ids: Sequence[str], error: graph_api.TokenInvalidError) -> None:
        self.reconnect.update(page_ids)
        self.store.set_token_status(page_ids, "needs_reconnect", error.meaning)
        for page_id in page_ids:
            self._fail(page_id, "token", f"Reconnect: {error.meaning}.", error)

    def _is_blocked(self, page_id: str) -> bool:
        now = utc_now()
        return any(when > now for scope, when in self.blocked.items()
                   if scope in ("app", f"page:{page_id}", page_id))

    def _throttled(self, page_id: str, error: GraphError | None) -> None:
        until = max((when for scope, when in self.blocked.items()
                     if scope in ("app", f"page:{page_id}")), default=None)
        when = f" until {until.astimezone(UTC):%H:%M} UTC" if until else ""
        self._fail(page_id, "throttled",
                   f"Meta asked Engage Desktop to wait{when}; the next sync carries on.", error)

    def _throttle_from(self, error: GraphError, page_ids: Sequence[str]) -> None:
        minutes = getattr(error, "regain_minutes", None)
        until = utc_now() + (timedelta(minutes=minutes) if minutes else DEFAULT_PAUSE)
        scopes = ([f"page:{pid}" for pid in page_ids] if error.code and error.code >= 80000
                  else ["app"])
        for scope in scopes:
            self.blocked[scope] = max(until, self.blocked.get(scope, until))
        for page_id in page_ids:
            self._throttled(page_id, error)

    def _watch_usage(self, usage: Usage) -> None:
        """Slow down before Meta has to throttle: above the limit, stop that scope."""
        pause = timedelta(minutes=usage.regain_minutes) if usage.regain_minutes else (
            DEFAULT_PAUSE)
        until = utc_now() + pause
        if max([*usage.app.values(), *usage.page.values()], default=0) >= USAGE_LIMIT:
            self.blocked["app"] = until
        for owner, entries in usage.business.items():
            if any(max(e.call_count, e.total_cputime, e.total_time) >= USAGE_LIMIT
                   for e in entries):
                self.blocked[f"page:{owner}"] = until

    def _save_blocks(self) -> None:
        now = utc_now()
        self.store.set_setting(THROTTLE_SETTING, {
            scope: to_utc_text(when) for scope, when in self.blocked.items() if when > now})


def insight_windows(today: date, covered_from: date | None,
                    covered_until: date | None) -> Iterator[tuple[date, date]]:
    """The (since, until) windows still to fetch, newest first, each at most 90 days: the
    back-fill before what is held, and the days since, re-fetching the last three."""
    start = today - timedelta(days=BACKFILL_DAYS)
    end = today + timedelta(days=1)  # until is exclusive: up to and including today
    if covered_from is None or covered_until is None:
        ranges = [(start, end)]
    else:
        ranges = [(max(start, covered_until - timedelta(days=TRAILING_DAYS - 1)), end)]
        if covered_from > start:
            ranges.append((start, covered_from))
    for low, high in ranges:
        while high > low:
            since = max(low, high - timedelta(days=WINDOW_DAYS))
            yield since, high
            high = since


def _reading(page_id: str, node: dict[str, Any], taken_at: datetime,
             run_id: int) -> Reading:
    def count(key: str) -> int | None:
        value = node.get(key)
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) \
            and value >= 0 else None

    npe = node.get("has_transitioned_to_new_page_experience")
    return Reading(page_id, taken_at, count("followers_count"), count("fan_count"),
                   count("talking_about_count"), npe if isinstance(npe, bool) else None,
                   "graph", run_id)


def _page_info(page: Page, node: dict[str, Any]) -> PageInfo:
    return PageInfo(page.id, str(node.get("name") or page.name), page.kind,
                    node.get("username"), node.get("link") or page.link,
                    node.get("category") or page.category)


def _insight_values(page_id: str, body: dict[str, Any]) -> list[InsightValue]:
    values = []
    for series in body.get("data") or []:
        if not isinstance(series, dict) or not series.get("name"):
            continue
        for point in series.get("values") or []:
            value = point.get("value") if isinstance(point, dict) else None
            end = point.get("end_time") if isinstance(point, dict) else None
            if not isinstance(end, str) or isinstance(value, bool):
                continue
            try:
                end_time = datetime.strptime(end, "%Y-%m-%dT%H:%M:%S%z")
            except ValueError:
                continue
            number = float(value) if isinstance(value, int | float) else None
            values.append(InsightValue(page_id, str(series["name"]),
                                       str(series.get("period") or "day"), end_time, number))
    return values
