"""The run's ledger: what each Page came to, what was saved, and the summary at the end.

Every Page left out is reported with what went wrong, Meta's own code and words when Meta said
something, and what to do. Each request's results are written in one transaction, so a run
killed at any moment leaves a consistent database. That transaction writes only for the Pages
still followed: one forgotten while the run goes on is left out from then on, never
re-created, followed again or marked ``ok``. Error 190 marks that token's Pages
``needs_reconnect`` and the run goes on with the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from engage_desktop.core import graph as graph_api
from engage_desktop.core.graph import GraphError
from engage_desktop.core.models import Alert, InsightValue, PageInfo, Reading, RunStatus, SyncError
from engage_desktop.core.sync.state import RunState, _Job
from engage_desktop.core.timeutil import to_utc_text, uk_day, utc_now

NPE_NOTE = "Moved to the New Pages Experience: likes now count followers"
_FAILED_KINDS = {"token", "keyring", "no_token", "throttled", "temporary", "permission",
                 "not_found", "network", "invalid_parameter", "blocked", "unknown",
                 "impossible_value"}


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
    alerts: list[Alert] = field(default_factory=list)  # recorded after the run (core.alerts)

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
            "alerts": [alert.as_json() for alert in self.alerts],
        }


@dataclass
class _PageResult:
    reading_stored: bool = False
    errors: list[SyncError] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return not self.reading_stored or any(e.kind in _FAILED_KINDS for e in self.errors)


def run_status(run: RunState) -> RunStatus:
    """``ok`` when every Page came (a pause that stopped nothing is only noted);
    ``partial`` when some did, or when a pause kept the others for later."""
    results = followed_results(run).values()
    if not any(r.failed for r in results):
        return "ok"
    paused = any(e.kind in ("throttled", "blocked") for r in results for e in r.errors)
    nothing = all(r.failed and not r.reading_stored for r in results)
    return "failed" if nothing and not paused else "partial"


def followed_results(run: RunState) -> dict[str, _PageResult]:
    return {pid: r for pid, r in run.results.items() if pid not in run.forgotten}


def finish(run: RunState, status: RunStatus, message: str) -> SyncSummary:
    results = followed_results(run)
    errors = [e for r in results.values() for e in r.errors]
    # A Page is synced when its reading was saved; its Insights may still have failed.
    pages_ok = sum(r.reading_stored for r in results.values())
    pages_failed = len(results) - pages_ok
    short = sum(r.reading_stored and r.failed for r in results.values())
    gone = len(run.forgotten & set(run.results))
    now = utc_now()
    resume = min((w for w in run.blocked.values() if w > now), default=None)
    if not message:
        message = (f"{pages_ok} of {len(results)} Pages synced"
                   + (f", {short} of them without all their Insights" if short else "")
                   + (f"; {gone} Page{'s' if gone != 1 else ''} forgotten during the sync "
                      f"{'were' if gone != 1 else 'was'} left out" if gone else "")
                   + (f"; Meta asked us to wait until {_clock(resume)}" if resume
                      else ""))
    requests = run.client.requests_made - run.started_requests
    run.store.finish_sync_run(
        run.run_id, status, pages_ok=pages_ok, pages_failed=pages_failed,
        requests=requests, api_version=run.client.api_version, resume_after=resume,
        message=message, errors_=errors)
    return SyncSummary(run.run_id, status, pages_ok, pages_failed, requests, resume,
                       errors, run.client.api_version, message)


def fail(run: RunState, page_id: str, kind: str, message: str,
         error: GraphError | None = None) -> None:
    """Record what went wrong for a Page (once per kind and message): with what to do, when
    the message is Meta's error's own, and always with Meta's own words, message and
    code, when Meta said something."""
    result = run.results.setdefault(page_id, _PageResult())
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


def still_followed(run: RunState, page_ids: set[str] | Sequence[str]) -> set[str]:
    """Which of these Pages are still followed; the others were forgotten while this run
    went on and are left alone from now on. Ask inside the transaction that writes."""
    if not page_ids:
        return set()
    followed = run.store.followed(page_ids)
    for page_id in set(page_ids) - followed:
        run.forgotten.add(page_id)
        run.probing.pop(page_id, None)
    return followed


def token_invalid(run: RunState, page_ids: Sequence[str],
                  error: graph_api.TokenInvalidError) -> None:
    run.reconnect.update(page_ids)
    with run.store.transaction():
        followed = still_followed(run, page_ids)
        run.store.set_token_status(sorted(followed), "needs_reconnect", error.meaning)
    for page_id in followed:
        fail(run, page_id, "token", f"Reconnect: {error.meaning}.", error)


def note_npe_flip(run: RunState, reading: Reading) -> None:
    before = run.previous_npe.get(reading.page_id)
    if before is False and reading.npe is True:
        run.store.add_note(uk_day(reading.taken_at), NPE_NOTE, reading.page_id)
    run.previous_npe[reading.page_id] = reading.npe


def write(run: RunState, readings: list[Reading], insights: list[InsightValue],
          metric_updates: list[tuple[_Job, str, bool, str | None]],
          refreshed: list[PageInfo]) -> None:
    """Everything one request brought back, in one transaction, for the Pages still
    followed when it is written."""
    with run.store.transaction():
        followed = still_followed(run, {r.page_id for r in readings}
                                       | {v.page_id for v in insights}
                                       | {job.page.id for job, *_ in metric_updates}
                                       | {p.id for p in refreshed})
        readings = [r for r in readings if r.page_id in followed]
        insights = [v for v in insights if v.page_id in followed]
        metric_updates = [u for u in metric_updates if u[0].page.id in followed]
        refreshed = [p for p in refreshed if p.id in followed]
        if refreshed:
            # Names and addresses as Meta has them now; the kind stays ours.
            run.store.upsert_pages(refreshed)
        if readings:
            run.store.add_readings(readings)
            for reading in readings:
                note_npe_flip(run, reading)
                run.results[reading.page_id].reading_stored = True
            run.store.set_token_status([r.page_id for r in readings], "ok")
        if insights:
            run.store.add_insights(insights)
        for job, metric, ok, error in metric_updates:
            if not ok:
                run.store.record_metric(job.page.id, metric, ok=False, error=error)
            for covered in job.days.get(metric, []) if ok else []:
                run.store.record_metric(job.page.id, metric, ok=True, covered=covered)
        # Empty answers last, so that values for other days in the same request do not
        # erase the note (Store.record_metric keeps it for days already held).
        for job, metric, ok, error in metric_updates:
            if ok and not job.days.get(metric):
                run.store.note_metric_empty(job.page.id, metric, error or "")
    if readings:
        run.done += len(readings)
        run.step("Reading Pages")


def _clock(when: datetime) -> str:
    """A resume time for the officer: the UTC time, with the day when it is not today."""
    when = when.astimezone(UTC)
    return f"{when:%H:%M} UTC" if when.date() == utc_now().date() else f"{when:%d %b %H:%M} UTC"
