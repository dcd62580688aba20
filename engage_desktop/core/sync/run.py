"""One sync run from start to end: the lock, the tokens, and the order of the reads.

Own Pages are read first, then public Pages, then (when asked for) the Insights of the own
Pages whose reading came; each through the batch runner. When the run ends, the alert rules
(:mod:`engage_desktop.core.alerts`) record what it found. A lock file beside the database keeps
two syncs (the window and a scheduled task) from running at once: the second is refused with a
clear message. A run left ``running`` is closed as ``failed`` by the next one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from filelock import FileLock, Timeout

from engage_desktop.core import alerts
from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph import GraphClient
from engage_desktop.core.models import Page, RunStatus, SyncError
from engage_desktop.core.paths import PRIVATE_FILE
from engage_desktop.core.settings import PUBLIC_READER
from engage_desktop.core.store import Store
from engage_desktop.core.sync.batches import run_batches
from engage_desktop.core.sync.insights import insight_jobs, note_no_insights
from engage_desktop.core.sync.ledger import (
    SyncSummary,
    _PageResult,
    fail,
    finish,
    run_status,
)
from engage_desktop.core.sync.state import (
    Progress,
    RunState,
    SyncCancelled,
    SyncOptions,
    _Job,
    _Unreachable,
)
from engage_desktop.core.sync.throttle import save_blocks, stored_blocks
from engage_desktop.core.timeutil import utc_now
from engage_desktop.core.tokens import TokenKey, TokenVault, VaultError


class SyncBusyError(EngageError):
    """Another sync holds this database."""


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
        summary = sync_pages(RunState(store, vault, client, options, progress, cancel))
        # under the lock, so that two syncs never judge the same change at once
        summary.alerts = alerts.record_after_sync(store, sync_errors=summary.errors)
        return summary
    finally:
        lock.release()


def sync_pages(run: RunState) -> SyncSummary:
    now = utc_now()
    run.blocked = {scope: when for scope, when in stored_blocks(run).items()
                   if when > now}
    run.known = {p.id for p in run.store.pages()}
    run.run_id = run.store.start_sync_run()
    status: RunStatus = "failed"
    message = ""
    try:
        pages = [p for p in run.store.pages(followed_only=True)
                 if p.kind in ("own", "public")]
        run.results = {p.id: _PageResult() for p in pages}
        run.kinds = {p.id: p.kind for p in pages}
        run.total = len(pages)
        run.previous_npe = {pid: r.npe for pid, r in run.store.latest_readings().items()}
        own, public = page_tokens(run, pages)
        run.step(f"Reading {len(own)} own and {len(public)} public Pages")
        run_batches(run, [_Job(page, token, "page") for page, token in own])
        run_batches(run, [_Job(page, token, "page") for page, token in public])
        if run.options.insights:
            read_insights(run, [(p, t) for p, t in own if run.results[p.id].reading_stored])
        status = run_status(run)
    except SyncCancelled:
        status, message = "cancelled", "Cancelled; what was fetched before is kept."
    except _Unreachable as exc:
        message = f"{exc.error.message} {exc.error.hint}"
        for page_id, result in run.results.items():
            if not result.reading_stored and not result.errors:
                result.errors.append(SyncError(page_id, "network", exc.error.message))
    except BaseException as exc:
        # A bug or an interruption: close the run honestly, then let it propagate.
        finish(run, "failed", f"The sync stopped unexpectedly ({type(exc).__name__}).")
        raise
    save_blocks(run)
    return finish(run, status, message)


def page_tokens(run: RunState, pages: Sequence[Page]
                ) -> tuple[list[tuple[Page, str]], list[tuple[Page, str]]]:
    own: list[tuple[Page, str]] = []
    public: list[tuple[Page, str]] = []
    reader = run.store.settings.get(PUBLIC_READER)
    user_problem: str | None = None
    user_kind = "no_token"
    try:
        run.user_token = run.vault.get(TokenKey.user(reader)) if reader else None
    except VaultError as exc:
        user_problem, user_kind = str(exc), "keyring"
    if not run.user_token and not user_problem:
        user_problem = ("Reading public Pages needs a connected user or system-user "
                        "token. Connect one: engage-desktop connect --token-stdin")
    for page in pages:
        if page.token_status == "needs_reconnect":
            problem = page.token_problem or "Meta no longer accepts the token"
            fail(run, page.id, "token", f"Reconnect: {problem}.")
            continue
        if page.kind == "public":
            if run.user_token:
                public.append((page, run.user_token))
            else:
                fail(run, page.id, user_kind, user_problem or "")
            continue
        try:
            token = run.vault.get(TokenKey.page(page.id))
        except VaultError as exc:
            fail(run, page.id, "keyring", str(exc))
            continue
        if token:
            own.append((page, token))
        else:
            fail(run, page.id, "no_token", "No token is kept for this Page. Reconnect: "
                 "engage-desktop connect --token-stdin")
    return own, public


def read_insights(run: RunState, own: Sequence[tuple[Page, str]]) -> None:
    run_batches(run, insight_jobs(run, own))
    note_no_insights(run)
