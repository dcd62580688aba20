"""The shared state of one sync run, and the requests it is made of.

:class:`RunState` is the one object every part of the run (``ledger``, ``throttle``,
``insights``, ``batches``, ``run``) reads and changes: what each Page came to, the pauses, the
tokens, the Insights probes and the retry budgets. A :class:`_Job` is one sub-request of a batch.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from engage_desktop.core import graph as graph_api
from engage_desktop.core.graph import GraphClient
from engage_desktop.core.models import Page
from engage_desktop.core.net import NetworkError
from engage_desktop.core.store import Store
from engage_desktop.core.tokens import TokenVault

if TYPE_CHECKING:
    from engage_desktop.core.sync.ledger import _PageResult

READING_FIELDS = ("id,name,username,link,category,fan_count,followers_count,"
                  "talking_about_count,has_transitioned_to_new_page_experience")


class SyncCancelled(Exception):
    pass


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


class RunState:
    """What one run shares between its parts: passed to each, never kept after the run."""

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
        self.run_id: int  # set when the run is recorded in the database

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise SyncCancelled

    def step(self, step: str) -> None:
        self.report(Progress(min(self.done, self.total), self.total, step))
