"""One sync run: read every tracked Page (and own Pages' Insights) into the local history.

How it reads (``reference/graph-api.md`` sections 3-7):
- own Pages, each with its own Page token, through batch requests: up to 50 sub-requests per
  POST, so N own Pages cost about N/50 requests;
- public Pages with the user token through the same batch requests, one ``relative_url`` per
  Page, 50 a request (never ``GET /?ids=``, which Meta no longer serves to new apps): a Page
  Meta cannot read fails its own item only, and costs no extra request;
- Insights for own Pages, also batched: the first sync back-fills up to two years in windows of
  at most 90 days, newest first; later syncs re-fetch from three days before the last day held.
  Only the days Meta sent a value for count as held (``metric_status.covered_from`` /
  ``covered_until``): an empty answer (``{"data": []}``, normal for Pages under about 100
  likes) or a metric left out of the answer is noted in ``metric_status.last_error`` with the
  time in ``unavailable_since``; for ``EMPTY_REASK`` after that only the newest days are asked
  for, then the older ones again. Values that are not numbers (breakdowns by city or age) and
  values without an ``end_time`` are skipped.
  A metric Meta refuses ("#100 … valid insights metric") is found with one probe per metric,
  recorded in ``metric_status``, dropped from that Page's other requests, and not asked for
  again until the API version changes.

What it does when things go wrong:
- temporary failures (codes 1 and 2, HTTP 5xx, read timeouts, dropped connections, cut-off
  answers, ``null`` batch items) are retried with exponential back-off and jitter, never when
  Meta says ``is_transient: false`` (``GraphError.retryable`` decides): a whole request up to
  ``max_attempts`` times; a sub-request while its Page's budget of ``RETRY_BUDGET`` retries
  for the run lasts (shared by its reading and all its Insights windows), after which the Page
  is reported with Meta's own code and words and the run goes on;
- permanent ones (permission, invalid parameter, unknown Page) are reported per Page at once;
- error 190 marks that token's Pages ``needs_reconnect`` and the run goes on with the others;
- throttling stops calls for the scope Meta names and records when to resume (the "throttle
  book", kept in the ``sync_throttle`` setting): the whole app (codes 4 and 341,
  ``X-App-Usage`` at 90 %, or a ``X-Business-Use-Case-Usage`` key that is not one of our Pages,
  such as a business ID), the user token (17), one Page (32 and 80001… for the Page named, its
  ``X-Page-Usage`` or use-case key at 90 %), or the token that made the call (613, that call
  pattern: the Page for a Page token, the user for public reads; 368, a policy block, for a day
  unless Meta says otherwise). Meta's wait is in minutes; without one the pause is 30 minutes.
  Headers count on the whole answer and on each batch item. Every Page left out because of a
  pause is reported with the scope and the time; the next run leaves the scope alone until
  then and carries on;
- when the network cannot be reached at all (no DNS, refused, TLS, proxy, or no answer to the
  first request) the run ends at once as ``failed``;
- a count no Page can have (negative, fractional, not a number, above ``MAX_COUNT``) fails that
  Page's reading, or that window of its Insights, with a message; the rest is saved.

Each request's results are written in one transaction, so a run killed at any moment leaves a
consistent database; a run left ``running`` is closed as ``failed`` by the next one. That
transaction writes only for the Pages still followed: one forgotten while the run goes on is
left out from then on, never re-created, followed again or marked ``ok``. A lock
file beside the database keeps two syncs (the window and a scheduled task) from running at
once: the second is refused with a clear message.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
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
    MAX_COUNT,
    InsightValue,
    Page,
    PageInfo,
    Reading,
    RunStatus,
    SyncError,
)
from engage_desktop.core.net import NetworkError
from engage_desktop.core.paths import PRIVATE_FILE
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, uk_day, utc_now
from engage_desktop.core.tokens import TokenKey, TokenVault, VaultError

READING_FIELDS = ("id,name,username,link,category,fan_count,followers_count,"
                  "talking_about_count,has_transitioned_to_new_page_experience")
INSIGHT_METRICS = ("page_follows", "page_daily_follows_unique", "page_daily_unfollows_unique",
                   "page_post_engagements", "page_views_total", "page_media_view")
MAX_BATCH = 50
BACKFILL_DAYS = 730
WINDOW_DAYS = 90
TRAILING_DAYS = 3
USAGE_LIMIT = 90  # percent of a rate limit at which the sync stops calling that scope
DEFAULT_PAUSE = timedelta(minutes=30)  # when Meta throttles without saying for how long
BLOCK_PAUSE = timedelta(hours=24)  # after a policy block (368) without a time from Meta
MAX_FRONT_REJECTIONS = 3  # batch tokens Meta rejects in a row before giving up on the rest
RETRY_BUDGET = 6  # retries of sub-requests per Page per run, shared by all its requests
EMPTY_REASK = timedelta(days=7)  # after an empty Insights answer, older days wait this long
THROTTLE_SETTING = "sync_throttle"  # scope -> resume-after time, kept between runs
API_VERSION_SETTING = "graph_api_version_seen"
PACIFIC = ZoneInfo("America/Los_Angeles")
NPE_NOTE = "Moved to the New Pages Experience: likes now count followers"
APP, USER = "app", "user"  # throttle scopes besides "page:<id>"
_UNREACHABLE = {"dns", "refused", "tls", "proxy", "proxy_auth", "config"}
_APP_CODES = {4, 341}
_PAUSED = {APP: "before calling Meta again (a limit on the whole app)",
           USER: "before reading public Pages again (a limit on the user token)",
           "page": "before calling for this Page again (a limit on this Page)"}
_FAILED_KINDS = {"token", "keyring", "no_token", "throttled", "temporary", "permission",
                 "not_found", "network", "invalid_parameter", "blocked", "unknown",
                 "impossible_value"}
COUNT_NAMES = {"followers_count": "follower count", "fan_count": "like count",
               "talking_about_count": "talking-about count"}


class SyncBusyError(EngageError):
    """Another sync holds this database."""


class SyncCancelled(Exception):
    pass


class _Impossible(ValueError):
    """Meta sent a figure no Page can have: that reading (or Insights window) is not saved."""


class _Unreachable(Exception):
    def __init__(self, error: NetworkError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int
    step: str


@dataclass
class SyncOptions:
    insights: bool = True
    max_attempts: int = 4  # tries of a whole request; sub-requests use RETRY_BUDGET per Page
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
    """One sub-request of a batch: a Page's reading, or one window of its Insights."""

    page: Page
    token: str
    kind: str  # "page" or "insights"
    metrics: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    probe: bool = False  # one metric alone, to find which one Meta refuses
    attempts: int = 0
    # metric -> the runs of consecutive days (first, last) Meta sent values for, newest first
    days: dict[str, list[tuple[date, date]]] = field(default_factory=dict)

    def relative_url(self) -> str:
        if self.kind == "page":
            path, query = self.page.id, {"fields": READING_FIELDS}
        else:
            assert self.since and self.until
            path = f"{self.page.id}/insights"
            query = {"metric": ",".join(self.metrics), "period": "day",
                     "since": self.since.isoformat(), "until": self.until.isoformat()}
        # The token rides inside the POST body, never in a URL that reaches a log.
        return f"{path}?{urlencode({**query, 'access_token': self.token})}"


@dataclass
class _PageResult:
    snapshot: bool = False
    errors: list[SyncError] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return not self.snapshot or any(e.kind in _FAILED_KINDS for e in self.errors)


def run_sync(store: Store, vault: TokenVault, client: GraphClient, *,
             options: SyncOptions | None = None,
             progress: Callable[[Progress], None] | None = None,
             cancel: threading.Event | None = None) -> SyncSummary:
    """Run one sync under the database's sync lock. Raises :class:`SyncBusyError` when
    another sync holds it."""
    options = options or SyncOptions()
    lock = FileLock(str(store.path) + ".sync-lock", mode=PRIVATE_FILE)
    try:
        lock.acquire(timeout=options.lock_timeout)
    except Timeout:
        busy = True
    else:
        busy = False
    if busy:
        raise SyncBusyError(
            "Another sync of this database is running (in the window or a scheduled task).",
            "Wait for it to finish; its results will show when it does.")
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
        self.kinds: dict[str, str] = {}
        self.blocked: dict[str, datetime] = {}
        self.known: set[str] = set()  # every Page in the database: use-case keys that are ours
        self.started_requests = client.requests_made
        self.started_responses = client.responses
        self.done = 0
        self.total = 0
        self.previous_npe: dict[str, bool | None] = {}
        self.reconnect: set[str] = set()  # Pages whose token Meta rejected in this run
        self.user_token: str | None = None
        self.dead_user_token: graph_api.TokenInvalidError | None = None  # Meta rejected it
        self.retired: set[tuple[str, str]] = set()  # (Page, metric) Meta refused this run
        self.probing: Counter[str] = Counter()  # Page -> probes still out
        self.verified: set[str] = set()  # Pages one Insights window has worked for
        self.no_insights: set[str] = set()  # Pages whose Insights failed for good this run
        self.front_rejections = 0
        self.forgotten: set[str] = set()  # Pages forgotten (or deleted) while this run went on
        self.retries: Counter[str] = Counter()  # Page -> sub-requests asked again this run
        self.insights_seen: set[str] = set()  # Pages Meta sent Insights values for this run
        self.insights_empty: set[str] = set()  # Pages with an Insights answer without values

    # The run -------------------------------------------------------------------------------

    def run(self) -> SyncSummary:
        now = utc_now()
        self.blocked = {scope: when for scope, when in self._stored_blocks().items()
                        if when > now}
        self.known = {p.id for p in self.store.pages()}
        self.run_id = self.store.start_sync_run()
        status: RunStatus = "failed"
        message = ""
        try:
            pages = [p for p in self.store.pages(tracked_only=True)
                     if p.kind in ("own", "public")]
            self.results = {p.id: _PageResult() for p in pages}
            self.kinds = {p.id: p.kind for p in pages}
            self.total = len(pages)
            self.previous_npe = {pid: r.npe for pid, r in self.store.latest_readings().items()}
            own, public = self._tokens(pages)
            self._step(f"Reading {len(own)} own and {len(public)} public Pages")
            self._run_batches([_Job(page, token, "page") for page, token in own])
            self._run_batches([_Job(page, token, "page") for page, token in public])
            if self.options.insights:
                self._read_insights([(p, t) for p, t in own if self.results[p.id].snapshot])
            status = self._status()
        except SyncCancelled:
            status, message = "cancelled", "Cancelled; what was fetched before is kept."
        except _Unreachable as exc:
            message = f"{exc.error.message} {exc.error.hint}"
            for page_id, result in self.results.items():
                if not result.snapshot and not result.errors:
                    result.errors.append(SyncError(page_id, "network", exc.error.message))
        except BaseException as exc:
            # A bug or an interruption: close the run honestly, then let it propagate.
            self._finish("failed", f"The sync stopped unexpectedly ({type(exc).__name__}).")
            raise
        self._save_blocks()
        return self._finish(status, message)

    def _status(self) -> RunStatus:
        """``ok`` when every Page came (a pause that stopped nothing is only noted);
        ``partial`` when some did, or when a pause kept the others for later."""
        results = self._followed_results().values()
        if not any(r.failed for r in results):
            return "ok"
        paused = any(e.kind in ("throttled", "blocked") for r in results for e in r.errors)
        nothing = all(r.failed and not r.snapshot for r in results)
        return "failed" if nothing and not paused else "partial"

    def _followed_results(self) -> dict[str, _PageResult]:
        return {pid: r for pid, r in self.results.items() if pid not in self.forgotten}

    def _finish(self, status: RunStatus, message: str) -> SyncSummary:
        results = self._followed_results()
        errors = [e for r in results.values() for e in r.errors]
        # A Page is synced when its reading was saved; its Insights may still have failed.
        pages_ok = sum(r.snapshot for r in results.values())
        pages_failed = len(results) - pages_ok
        short = sum(r.snapshot and r.failed for r in results.values())
        gone = len(self.forgotten & set(self.results))
        now = utc_now()
        resume = min((w for w in self.blocked.values() if w > now), default=None)
        if not message:
            message = (f"{pages_ok} of {len(results)} Pages synced"
                       + (f", {short} of them without all their Insights" if short else "")
                       + (f"; {gone} Page{'s' if gone != 1 else ''} forgotten during the sync "
                          f"{'were' if gone != 1 else 'was'} left out" if gone else "")
                       + (f"; Meta asked us to wait until {_clock(resume)}" if resume
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
        reader = self.store.setting(PUBLIC_READER_SETTING, kind=str)
        user_problem: str | None = None
        user_kind = "no_token"
        try:
            self.user_token = self.vault.get(TokenKey.user(reader)) if reader else None
        except VaultError as exc:
            user_problem, user_kind = str(exc), "keyring"
        if not self.user_token and not user_problem:
            user_problem = ("Reading public Pages needs a connected user or system-user "
                            "token. Connect one: engage-desktop connect --token-stdin")
        for page in pages:
            if page.token_status == "needs_reconnect":
                problem = page.token_problem or "Meta no longer accepts the token"
                self._fail(page.id, "token", f"Reconnect: {problem}.")
                continue
            if page.kind == "public":
                if self.user_token:
                    public.append((page, self.user_token))
                else:
                    self._fail(page.id, user_kind, user_problem or "")
                continue
            try:
                token = self.vault.get(TokenKey.page(page.id))
            except VaultError as exc:
                self._fail(page.id, "keyring", str(exc))
                continue
            if token:
                own.append((page, token))
            else:
                self._fail(page.id, "no_token", "No token is kept for this Page. Reconnect: "
                           "engage-desktop connect --token-stdin")
        return own, public

    # Own Pages and Insights, in batches -----------------------------------------------------

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
            self._step(f"Reading Insights for {len(own)} own Pages")
        self._run_batches(jobs)
        asked = uk_day(utc_now())
        for page_id in self.insights_empty - self.insights_seen - self.no_insights:
            self._fail(page_id, "no_insights",
                       f"Meta has no Insights for this Page (asked {asked:%d %b %Y}); Pages "
                       "with fewer than about 100 likes have none. The sync asks for the "
                       "newest days each time and for older ones again after "
                       f"{EMPTY_REASK.days} days.")

    def _run_batches(self, jobs: list[_Job]) -> None:
        queue = list(jobs)
        while queue:
            self._check_cancel()
            chunk: list[_Job] = []
            waiting: list[_Job] = []
            scouting: set[str] = set()
            for job in queue:
                if not self._still_wanted(job):
                    continue
                page_id = job.page.id
                if job.kind == "insights" and not job.probe and (
                        self.probing[page_id] or page_id in scouting):
                    # Until one window of a Page's Insights has worked, send one at a time:
                    # if Meta refuses a metric, the probes decide what the rest ask for.
                    waiting.append(job)
                elif len(chunk) == MAX_BATCH:
                    waiting.append(job)
                else:
                    chunk.append(job)
                    if job.kind == "insights" and page_id not in self.verified:
                        scouting.add(page_id)
            queue = waiting
            if not chunk:
                if queue and not any(self.probing.values()):
                    continue
                return
            retry = self._post_batch(chunk)
            if any(job.attempts for job in retry):
                self._backoff(max(job.attempts for job in retry) - 1)
            queue = retry + queue

    def _still_wanted(self, job: _Job) -> bool:
        """Drop what can no longer be asked for; report a throttled Page."""
        page_id = job.page.id
        if page_id in self.reconnect or page_id in self.forgotten or (
                job.kind == "insights" and page_id in self.no_insights):
            return False
        if self.dead_user_token and self.kinds.get(page_id) == "public":
            self._token_invalid([page_id], self.dead_user_token)
            return False
        if self._page_blocked(page_id):
            self._throttled(page_id, None)
            return False
        if job.kind == "insights" and not job.probe:
            job.metrics = tuple(m for m in job.metrics if (page_id, m) not in self.retired)
            return bool(job.metrics)
        return True

    def _front_token(self, chunk: list[_Job]) -> tuple[str, str | None]:
        """The batch's own token, and the Page it belongs to (None: the user token). Each
        item carries its own Page token, so the user token goes in front when there is one."""
        if self.user_token and not self._is_blocked(None, user_token=True):
            return self.user_token, None
        return chunk[0].token, chunk[0].page.id

    def _post_batch(self, chunk: list[_Job]) -> list[_Job]:
        """Send one batch, write what came back in one transaction, and return the jobs to
        try again."""
        token, owner = self._front_token(chunk)
        try:
            answers = self._call(lambda: self.client.batch(
                [job.relative_url() for job in chunk], token))
        except (graph_api.ThrottledError, graph_api.BlockedError) as exc:
            return self._batch_throttled(exc, chunk, owner)
        except graph_api.TokenInvalidError as exc:
            return self._front_rejected(exc, chunk, owner)
        except GraphError as exc:
            # Meta failed the whole batch (temporary errors were already retried)
            for job in chunk:
                self._fail(job.page.id, exc.kind, exc.message, exc)
                self._probe_done(job)
            return []
        self.front_rejections = 0
        # Usage on the whole answer is the front token's; on an item, that item's token's.
        self._watch_usages([(self.client.usage, f"page:{owner}" if owner else USER),
                            *((usage, self._call_scope(job.page.id))
                              for job, usage in zip(chunk, self.client.item_usages, strict=True))])
        retry: list[_Job] = []
        readings: list[Reading] = []
        refreshed: list[PageInfo] = []
        insights: list[InsightValue] = []
        metric_updates: list[tuple[_Job, str, bool, str | None]] = []
        taken_at = utc_now()
        for job, answer in zip(chunk, answers, strict=True):
            if answer is None or (isinstance(answer, GraphError) and answer.retryable):
                retry.extend(self._again(job, answer))
            elif isinstance(answer, GraphError):
                retry.extend(self._job_failed(job, answer, metric_updates))
            elif job.kind == "page":
                try:
                    readings.append(_reading(job.page.id, answer, taken_at, self.run_id))
                except _Impossible as exc:
                    self._fail(job.page.id, "impossible_value", str(exc))
                    continue
                refreshed.append(_page_info(job.page, answer))
            else:
                if not job.probe:
                    self.verified.add(job.page.id)
                self._probe_done(job)
                try:
                    values = _insight_values(job.page.id, answer)
                except _Impossible as exc:
                    assert job.since and job.until
                    last = job.until - timedelta(days=1)
                    self._fail(job.page.id, "impossible_value",
                               f"{exc}; the Insights of {job.since:%d %b %Y} to "
                               f"{last:%d %b %Y} were not saved (the next sync asks again).")
                    continue
                insights.extend(values)
                metric_updates += self._coverage(job, values)
        self._write(readings, insights, metric_updates, refreshed)
        return retry

    def _again(self, job: _Job, error: GraphError | None) -> list[_Job]:
        """A sub-request that failed for a temporary reason (``error`` None: no answer, or
        one cut short) is asked again while its Page's retry budget lasts; then the Page is
        reported with Meta's own code and words, and its Insights wait for the next sync."""
        page_id = job.page.id
        if self.retries[page_id] < RETRY_BUDGET:
            self.retries[page_id] += 1
            job.attempts += 1
            return [job]
        message = error.message if error else "Meta did not answer for this Page."
        if job.kind == "insights":
            self.no_insights.add(page_id)
            message = f"Insights: {message}"
        self._fail(page_id, error.kind if error else "temporary",
                   f"{message} The next sync tries again.", error)
        self._probe_done(job)
        return []

    def _coverage(self, job: _Job, values: list[InsightValue]
                  ) -> list[tuple[_Job, str, bool, str | None]]:
        """Per metric asked for, the days this answer covers (those Meta sent a value for),
        or, when it sent none, why not: the days then stay to be asked for again."""
        assert job.since and job.until
        days: dict[str, set[date]] = {}
        for value in values:
            if value.period == "day":
                days.setdefault(value.metric, set()).add(_meta_day(value.end_time))
        (self.insights_seen if days else self.insights_empty).add(job.page.id)
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

    def _front_rejected(self, exc: graph_api.TokenInvalidError, chunk: list[_Job],
                        owner: str | None) -> list[_Job]:
        """Meta rejected the batch's own token: record whose it was and try the others with
        another in front, a few times."""
        self.front_rejections += 1
        if owner is None:
            self.user_token = None
            public = [pid for pid, kind in self.kinds.items() if kind == "public"]
            self._token_invalid(public, exc)
        else:
            self._token_invalid([owner], exc)
        rest = [job for job in chunk if job.page.id not in self.reconnect]
        if self.front_rejections >= MAX_FRONT_REJECTIONS:
            for job in rest:
                self._fail(job.page.id, "token", "Meta rejected the tokens of several Pages in "
                           "a row; reconnect to refresh them all.", exc)
            return []
        return rest

    def _batch_throttled(self, exc: GraphError, chunk: list[_Job],
                         owner: str | None) -> list[_Job]:
        """Meta throttled (or blocked) the whole batch: pause the scope it names. The jobs go
        round again: the paused ones are then reported and dropped, the others sent with
        another token in front."""
        self._pause(exc, f"page:{owner}" if owner else USER)
        if not any(self._page_blocked(job.page.id) for job in chunk) and (
                owner is not None or not self._is_blocked(None, user_token=True)):
            # Nothing in this batch was named: do not send it again as it is.
            self._block(f"page:{owner}" if owner else USER, None)
        return list(chunk)

    def _job_failed(self, job: _Job, error: GraphError,
                    metric_updates: list[tuple[_Job, str, bool, str | None]]) -> list[_Job]:
        if isinstance(error, graph_api.ThrottledError | graph_api.BlockedError):
            self._pause(error, self._call_scope(job.page.id), job.page.id)
            self._throttled(job.page.id, error)
            self._probe_done(job)
            return []
        if isinstance(error, graph_api.TokenInvalidError):
            if job.token == self.user_token:
                # The user token reads every public Page: those not read yet are not asked for.
                self.user_token = None
                self.dead_user_token = error
            self._token_invalid([job.page.id], error)
            self._probe_done(job)
            return []
        if job.kind == "page":
            self._fail(job.page.id, error.kind, error.message, error)
            return []
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
                self.retired.add((job.page.id, metric))
                metric_updates.append((job, metric, False, error.meta_message or error.message))
                self._probe_done(job)
                return []
            if self.probing[job.page.id]:
                return [job]  # probes for this Page are out; ask again when they are back
            # One refused metric fails the whole request: find it with one probe per metric
            # on this window; the Page's other windows wait for the answer.
            self.probing[job.page.id] += len(job.metrics)
            probes = [_Job(job.page, job.token, "insights", (m,), job.since, job.until, True)
                      for m in job.metrics]
            return [*probes, job]
        # Permission, not found, another invalid parameter: no more Insights for this Page
        # this run (and only a single window next time until it works again).
        self.no_insights.add(job.page.id)
        self._fail(job.page.id, error.kind, f"Insights: {error.message}", error)
        if error.kind == "permission":
            with self.store.transaction():
                if self._followed([job.page.id]):
                    self.store.note_metric_error(job.page.id, job.metrics,
                                                 f"permission: {error.message}")
        self._probe_done(job)
        return []

    def _probe_done(self, job: _Job) -> None:
        if job.probe and self.probing[job.page.id]:
            self.probing[job.page.id] -= 1

    def _write(self, readings: list[Reading], insights: list[InsightValue],
               metric_updates: list[tuple[_Job, str, bool, str | None]],
               refreshed: list[PageInfo]) -> None:
        """Everything one request brought back, in one transaction, for the Pages still
        followed when it is written."""
        with self.store.transaction():
            followed = self._followed({r.page_id for r in readings}
                                      | {v.page_id for v in insights}
                                      | {job.page.id for job, *_ in metric_updates}
                                      | {p.id for p in refreshed})
            readings = [r for r in readings if r.page_id in followed]
            insights = [v for v in insights if v.page_id in followed]
            metric_updates = [u for u in metric_updates if u[0].page.id in followed]
            refreshed = [p for p in refreshed if p.id in followed]
            if refreshed:
                # Names and addresses as Meta has them now; the kind stays ours.
                self.store.upsert_pages(refreshed)
            if readings:
                self.store.add_snapshots(readings)
                for reading in readings:
                    self._note_npe_flip(reading)
                    self.results[reading.page_id].snapshot = True
                self.store.set_token_status([r.page_id for r in readings], "ok")
            if insights:
                self.store.add_insights(insights)
            for job, metric, ok, error in metric_updates:
                if not ok:
                    self.store.record_metric(job.page.id, metric, ok=False, error=error)
                for covered in job.days.get(metric, []) if ok else []:
                    self.store.record_metric(job.page.id, metric, ok=True, covered=covered)
            # Empty answers last, so that values for other days in the same request do not
            # erase the note (Store.record_metric keeps it for days already held).
            for job, metric, ok, error in metric_updates:
                if ok and not job.days.get(metric):
                    self.store.note_metric_empty(job.page.id, metric, error or "")
        if readings:
            self.done += len(readings)
            self._step("Reading Pages")

    def _followed(self, page_ids: set[str] | Sequence[str]) -> set[str]:
        """Which of these Pages are still followed; the others were forgotten while this run
        went on and are left alone from now on. Ask inside the transaction that writes."""
        if not page_ids:
            return set()
        followed = self.store.followed(page_ids)
        for page_id in set(page_ids) - followed:
            self.forgotten.add(page_id)
            self.probing.pop(page_id, None)
        return followed

    def _note_npe_flip(self, reading: Reading) -> None:
        before = self.previous_npe.get(reading.page_id)
        if before is False and reading.npe is True:
            self.store.add_annotation(uk_day(reading.taken_at), NPE_NOTE, reading.page_id)
        self.previous_npe[reading.page_id] = reading.npe

    # Errors, throttling, retries ------------------------------------------------------------

    def _call(self, request: Callable[[], Any]) -> Any:
        """A request, retried with back-off on temporary failures. A network that cannot be
        reached at all (or gives no answer before anything has come back) ends the run."""
        self.client.item_usages.clear()
        for attempt in range(self.options.max_attempts):
            self._check_cancel()
            failure: Exception | None = None
            try:
                return request()
            except NetworkError as exc:
                nothing_yet = self.client.responses == self.started_responses
                if exc.kind in _UNREACHABLE or (exc.kind == "connect_timeout" and nothing_yet):
                    raise _Unreachable(exc) from None
                failure = graph_api.TemporaryError(exc.message, exc.hint)
            except GraphError as exc:
                if not exc.retryable:
                    raise
                failure = exc
            if attempt + 1 == self.options.max_attempts:
                if self.client.responses == self.started_responses and isinstance(
                        failure, graph_api.TemporaryError) and failure.http_status is None:
                    raise _Unreachable(NetworkError(failure.message, failure.hint, "dropped"))
                raise failure
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
        """Record what went wrong for a Page (once per kind and message): with what to do, when
        the message is Meta's error's own, and always with Meta's own words, message and
        code, when Meta said something."""
        result = self.results.setdefault(page_id, _PageResult())
        if any(e.kind == kind and e.message.startswith(message) for e in result.errors):
            return
        if error is not None:
            if error.hint and error.message in message and error.hint not in message:
                message = f"{message} {error.hint}"
            if error.said and error.said not in message:
                message = f"{message} {error.said}"
        result.errors.append(SyncError(page_id, kind, message,
                                       error.code if error else None,
                                       error.subcode if error else None))

    def _token_invalid(self, page_ids: Sequence[str], error: graph_api.TokenInvalidError) -> None:
        self.reconnect.update(page_ids)
        with self.store.transaction():
            followed = self._followed(page_ids)
            self.store.set_token_status(sorted(followed), "needs_reconnect", error.meaning)
        for page_id in followed:
            self._fail(page_id, "token", f"Reconnect: {error.meaning}.", error)

    def _block(self, scope: str, minutes: int | None,
               fallback: timedelta = DEFAULT_PAUSE) -> None:
        until = utc_now() + (timedelta(minutes=minutes) if minutes else fallback)
        self.blocked[scope] = max(until, self.blocked.get(scope, until))

    def _is_blocked(self, page_id: str | None, *, user_token: bool) -> bool:
        now = utc_now()
        scopes = {APP, *([USER] if user_token else []),
                  *([f"page:{page_id}"] if page_id else [])}
        return any(self.blocked.get(scope, now) > now for scope in scopes)

    def _page_blocked(self, page_id: str) -> bool:
        return self._is_blocked(page_id, user_token=self.kinds.get(page_id) == "public")

    def _call_scope(self, page_id: str) -> str:
        """The scope of the token a Page is read with: the user's for a public Page."""
        return USER if self.kinds.get(page_id) == "public" else f"page:{page_id}"

    def _pause(self, error: GraphError, call_scope: str, page_id: str | None = None) -> None:
        """Pause the scope Meta's throttling code (or 368 policy block) names, until Meta's
        regain time or a default. ``call_scope`` is the calling token's (``page:<id>`` for a
        Page token, ``user``); ``page_id`` the Page a batch item was for (None: a whole
        request). 613 limits that call pattern: ours are per token, so it pauses the token's
        scope, as 368 does."""
        usage = error.usage or Usage()
        code = error.code or 0
        if code in _APP_CODES:
            scopes = [APP]
        elif code == 17:
            scopes = [USER, call_scope]
        elif code == 32 or code >= 80000:
            # that Page; for a whole request, the Pages the use-case header names, if any
            scopes = ([f"page:{page_id}"] if page_id else
                      [] if usage.business_over(USAGE_LIMIT) else [call_scope])
        else:
            scopes = [call_scope]
        fallback = BLOCK_PAUSE if isinstance(error, graph_api.BlockedError) else DEFAULT_PAUSE
        for scope in scopes:
            minutes = usage.regain_minutes_for(scope.removeprefix("page:")) or (
                usage.regain_minutes)
            self._block(scope, minutes or None, fallback)
        self._watch_usages([(usage, call_scope)])

    def _throttled(self, page_id: str, error: GraphError | None) -> None:
        """Report a Page left out because of a pause: which scope waits, and until when."""
        result = self.results.get(page_id)
        if result and any(e.kind in ("throttled", "blocked") for e in result.errors):
            return
        now = utc_now()
        scopes = [APP, *([USER] if self.kinds.get(page_id) == "public" else []),
                  f"page:{page_id}"]
        waits = [(when, scope) for scope in scopes
                 if (when := self.blocked.get(scope)) and when > now]
        if waits:
            until, scope = max(waits)
            wait = f"until {_clock(until)} {_PAUSED[scope.partition(':')[0]]}"
        else:
            wait = "a while"
        if isinstance(error, graph_api.BlockedError):
            self._fail(page_id, "blocked", f"{error.message} Engage Desktop waits {wait}.",
                       error)
        else:
            self._fail(page_id, "throttled", f"Meta asked Engage Desktop to wait {wait}; the "
                       "next sync carries on.", error)

    def _watch_usages(self, usages: Sequence[tuple[Usage, str]]) -> None:
        """Slow down before Meta has to throttle: at the limit, pause that scope. Each usage
        comes with the scope of the token that made the call (``X-Page-Usage`` is that
        Page's); a use-case key that is one of our Pages pauses that Page, any other key (a
        business) the app, for Meta's regain time."""
        for usage, caller in usages:
            if usage.app_over(USAGE_LIMIT):
                self._block(APP, None)
            if caller.startswith("page:") and usage.page_over(USAGE_LIMIT):
                self._block(caller, None)
            for owner in usage.business_over(USAGE_LIMIT):
                self._block(f"page:{owner}" if owner in self.known else APP,
                            usage.regain_minutes_for(owner) or None)

    def _stored_blocks(self) -> dict[str, datetime]:
        """The pauses Meta asked for in earlier runs; those unreadable are dropped, with a
        warning (the run then asks Meta, which says again if it must wait)."""
        blocks: dict[str, datetime] = {}
        for scope, when in self.store.setting(THROTTLE_SETTING, {}, dict).items():
            try:
                blocks[scope] = from_utc_text(when)
            except (TypeError, ValueError, AttributeError):
                self.store.setting_problem(
                    THROTTLE_SETTING, f"the pause of {scope} ends at {when!r}",
                    "that pause is not kept", "this sync rewrites it")
        return blocks

    def _save_blocks(self) -> None:
        now = utc_now()
        self.store.set_setting(THROTTLE_SETTING, {
            scope: to_utc_text(when) for scope, when in self.blocked.items() if when > now})


def _clock(when: datetime) -> str:
    """A resume time for the officer: the UTC time, with the day when it is not today."""
    when = when.astimezone(UTC)
    return f"{when:%H:%M} UTC" if when.date() == utc_now().date() else f"{when:%d %b %H:%M} UTC"


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


def _plausible(value: Any) -> bool:
    """A count or daily figure a Page can have: a whole number from 0 to MAX_COUNT."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and 0 <= value <= MAX_COUNT and value == int(value))


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _reading(page_id: str, node: dict[str, Any], taken_at: datetime,
             run_id: int) -> Reading:
    """The reading in Meta's answer; :class:`_Impossible` when a count is one no Page can have.
    A count Meta leaves out (or sends as null) is recorded as missing."""
    def count(key: str) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        if not _plausible(value):
            raise _Impossible(f"Meta reported an impossible {COUNT_NAMES[key]} "
                              f"({_shown(value)}); this reading was not saved.")
        return int(value)

    npe = node.get("has_transitioned_to_new_page_experience")
    return Reading(page_id, taken_at, count("followers_count"), count("fan_count"),
                   count("talking_about_count"), npe if isinstance(npe, bool) else None,
                   "graph", run_id)


def _page_info(page: Page, node: dict[str, Any]) -> PageInfo:
    return PageInfo(page.id, str(node.get("name") or page.name), page.kind,
                    node.get("username"), node.get("link") or page.link,
                    node.get("category") or page.category)


def _meta_day(end_time: datetime) -> date:
    """The (Pacific) day an Insights value is for: Meta stamps it with the day's end."""
    return end_time.astimezone(PACIFIC).date() - timedelta(days=1)


def _runs(days: set[date]) -> list[tuple[date, date]]:
    """Days as runs of consecutive days (first, last), newest first."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days, reverse=True):
        if runs and runs[-1][0] - timedelta(days=1) == day:
            runs[-1] = (day, runs[-1][1])
        else:
            runs.append((day, day))
    return runs


def _insight_values(page_id: str, body: dict[str, Any]) -> list[InsightValue]:
    """The numbers in an Insights answer. What is not a number (a breakdown by city or age,
    null) and what has no ``end_time`` (a lifetime value) is skipped, never stored empty."""
    values = []
    for series in body.get("data") or []:
        if not isinstance(series, dict) or not series.get("name"):
            continue
        for point in series.get("values") or []:
            value = point.get("value") if isinstance(point, dict) else None
            end = point.get("end_time") if isinstance(point, dict) else None
            if not isinstance(end, str) or not isinstance(value, int | float) or isinstance(
                    value, bool):
                continue
            try:
                end_time = datetime.strptime(end, "%Y-%m-%dT%H:%M:%S%z")
            except ValueError:
                continue
            if not _plausible(value):
                raise _Impossible(f"Meta reported an impossible {series['name']} "
                                  f"({_shown(value)}) for {_meta_day(end_time):%d %b %Y}")
            values.append(InsightValue(page_id, str(series["name"]),
                                       str(series.get("period") or "day"), end_time,
                                       float(value)))
    return values
