"""The throttle book: which scopes wait, until when, and what that leaves out.

Throttling stops calls for the scope Meta names and records when to resume (kept between runs
in the ``sync_throttle`` setting): the whole app (codes 4 and 341, ``X-App-Usage`` at 90 %, or
a ``X-Business-Use-Case-Usage`` key that is not one of our Pages, such as a business ID), the
user token (17), one Page (32 and 80001… for the Page named, its ``X-Page-Usage`` or use-case
key at 90 %), or the token that made the call (613, that call pattern: the Page for a Page
token, the user for public reads; 368, a policy block, for a day unless Meta says otherwise).
Meta's wait is in minutes; without one the pause is 30 minutes. Headers count on the whole
answer and on each batch item. Every Page left out because of a pause is reported with the
scope and the time; the next run leaves the scope alone until then and carries on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from engage_desktop.core import graph as graph_api
from engage_desktop.core.graph import GraphError, Usage
from engage_desktop.core.settings import SYNC_THROTTLE
from engage_desktop.core.sync.ledger import _clock, fail, token_invalid
from engage_desktop.core.sync.state import RunState, _Job
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, utc_now

USAGE_LIMIT = 90  # percent of a rate limit at which the sync stops calling that scope
DEFAULT_PAUSE = timedelta(minutes=30)  # when Meta throttles without saying for how long
BLOCK_PAUSE = timedelta(hours=24)  # after a policy block (368) without a time from Meta
APP, USER = "app", "user"  # throttle scopes besides "page:<id>"
_APP_CODES = {4, 341}
_PAUSED = {APP: "before calling Meta again (a limit on the whole app)",
           USER: "before reading public Pages again (a limit on the user token)",
           "page": "before calling for this Page again (a limit on this Page)"}


def block(run: RunState, scope: str, minutes: int | None,
          fallback: timedelta = DEFAULT_PAUSE) -> None:
    until = utc_now() + (timedelta(minutes=minutes) if minutes else fallback)
    run.blocked[scope] = max(until, run.blocked.get(scope, until))


def is_blocked(run: RunState, page_id: str | None, *, user_token: bool) -> bool:
    now = utc_now()
    scopes = {APP, *([USER] if user_token else []),
              *([f"page:{page_id}"] if page_id else [])}
    return any(run.blocked.get(scope, now) > now for scope in scopes)


def page_blocked(run: RunState, page_id: str) -> bool:
    return is_blocked(run, page_id, user_token=run.kinds.get(page_id) == "public")


def token_scope(run: RunState, page_id: str) -> str:
    """The scope of the token a Page is read with: the user's for a public Page."""
    return USER if run.kinds.get(page_id) == "public" else f"page:{page_id}"


def pause(run: RunState, error: GraphError, call_scope: str,
          page_id: str | None = None) -> None:
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
        block(run, scope, minutes or None, fallback)
    watch_usages(run, [(usage, call_scope)])


def throttled(run: RunState, page_id: str, error: GraphError | None) -> None:
    """Report a Page left out because of a pause: which scope waits, and until when."""
    result = run.results.get(page_id)
    if result and any(e.kind in ("throttled", "blocked") for e in result.errors):
        return
    now = utc_now()
    scopes = [APP, *([USER] if run.kinds.get(page_id) == "public" else []),
              f"page:{page_id}"]
    waits = [(when, scope) for scope in scopes
             if (when := run.blocked.get(scope)) and when > now]
    if waits:
        until, scope = max(waits)
        wait = f"until {_clock(until)} {_PAUSED[scope.partition(':')[0]]}"
    else:
        wait = "a while"
    if isinstance(error, graph_api.BlockedError):
        fail(run, page_id, "blocked", f"{error.message} Engage Desktop waits {wait}.",
             error)
    else:
        fail(run, page_id, "throttled", f"Meta asked Engage Desktop to wait {wait}; the "
             "next sync carries on.", error)


def watch_usages(run: RunState, usages: Sequence[tuple[Usage, str]]) -> None:
    """Slow down before Meta has to throttle: at the limit, pause that scope. Each usage
    comes with the scope of the token that made the call (``X-Page-Usage`` is that
    Page's); a use-case key that is one of our Pages pauses that Page, any other key (a
    business) the app, for Meta's regain time."""
    for usage, caller in usages:
        if usage.app_over(USAGE_LIMIT):
            block(run, APP, None)
        if caller.startswith("page:") and usage.page_over(USAGE_LIMIT):
            block(run, caller, None)
        for owner in usage.business_over(USAGE_LIMIT):
            block(run, f"page:{owner}" if owner in run.known else APP,
                  usage.regain_minutes_for(owner) or None)


def stored_blocks(run: RunState) -> dict[str, datetime]:
    """The pauses Meta asked for in earlier runs; those unreadable are dropped, with a
    warning (the run then asks Meta, which says again if it must wait)."""
    blocks: dict[str, datetime] = {}
    for scope, when in run.store.settings.get(SYNC_THROTTLE).items():
        try:
            blocks[scope] = from_utc_text(when)
        except (TypeError, ValueError, AttributeError):
            run.store.settings.problem(
                SYNC_THROTTLE, f"the pause of {scope} ends at {when!r}",
                "that pause is not kept", "this sync rewrites it")
    return blocks


def save_blocks(run: RunState) -> None:
    now = utc_now()
    run.store.settings.set(SYNC_THROTTLE, {
        scope: to_utc_text(when) for scope, when in run.blocked.items() if when > now})


def still_wanted(run: RunState, job: _Job) -> bool:
    """Drop what can no longer be asked for; report a throttled Page."""
    page_id = job.page.id
    if page_id in run.reconnect or page_id in run.forgotten or (
            job.kind == "insights" and page_id in run.no_insights):
        return False
    if run.dead_user_token and run.kinds.get(page_id) == "public":
        token_invalid(run, [page_id], run.dead_user_token)
        return False
    if page_blocked(run, page_id):
        throttled(run, page_id, None)
        return False
    if job.kind == "insights" and not job.probe:
        job.metrics = tuple(m for m in job.metrics if (page_id, m) not in run.retired)
        return bool(job.metrics)
    return True
