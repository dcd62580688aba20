"""Plain records passed between the store, the engagement model, the CLI and the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

PageKind = Literal["own", "public", "imported"]
TokenStatus = Literal["ok", "missing", "needs_reconnect"]
ReadingSource = Literal["graph", "import", "demo"]
RunStatus = Literal["running", "ok", "partial", "failed", "cancelled"]

PAGE_KINDS: tuple[PageKind, ...] = ("own", "public", "imported")
READING_SOURCES: tuple[ReadingSource, ...] = ("graph", "import", "demo")
# A count (followers, fans, people talking) above this is a mistake: more than anyone on Facebook.
MAX_COUNT = 5_000_000_000
RUN_STATUSES: tuple[RunStatus, ...] = ("running", "ok", "partial", "failed", "cancelled")
# What an alert can say of a Page (the ``kind`` column of the alerts table).
ALERT_KINDS = ("turned_red", "recovered", "fell", "likes_without_talk", "stale",
               "needs_reconnect", "throttled")


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What Meta (or an import) tells us about a Page."""

    id: str
    name: str
    kind: PageKind
    username: str | None = None
    link: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """A Page as the database holds it."""

    id: str
    name: str
    kind: PageKind
    username: str | None
    link: str | None
    category: str | None
    followed: bool
    added_at: datetime
    token_status: TokenStatus
    token_checked_at: datetime | None
    description: str | None
    token_problem: str | None = None  # why it needs reconnecting, in words


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a Page's audience and talking-about count at an instant (UTC).

    ``None`` means "not reported", which is different from zero.
    """

    page_id: str
    taken_at: datetime
    followers: int | None
    fans: int | None
    talking_about: int | None
    npe: bool | None
    source: ReadingSource
    sync_run_id: int | None = None


@dataclass(frozen=True, slots=True)
class DailyReading:
    """The last reading of one UK calendar day."""

    day: date
    taken_at: datetime
    followers: int | None
    fans: int | None
    talking_about: int | None
    npe: bool | None


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    page_id: str | None  # None: applies to every Page
    day: date
    text: str


@dataclass(frozen=True, slots=True)
class Alert:
    """Something a sync found about a Page, once per Page, kind and UK day."""

    id: int
    page_id: str
    name: str  # the Page's name (its ID when the name cannot be read)
    kind: str  # one of ALERT_KINDS
    day: date  # the UK day it was found
    numbers: dict[str, float | int | str]
    sentence: str
    created_at: datetime
    seen_at: datetime | None

    def as_json(self) -> dict[str, object]:
        """The record ``engage-desktop alerts --json`` and ``sync --json`` print."""
        return {"id": self.id, "page_id": self.page_id, "name": self.name, "kind": self.kind,
                "day": self.day.isoformat(), "numbers": self.numbers,
                "sentence": self.sentence, "seen": self.seen_at is not None}


@dataclass(frozen=True, slots=True)
class SyncRun:
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: RunStatus
    pages_ok: int
    pages_failed: int
    requests: int
    api_version: str | None
    resume_after: datetime | None
    message: str | None


@dataclass(frozen=True, slots=True)
class SyncError:
    page_id: str | None
    kind: str
    message: str
    code: int | None = None
    subcode: int | None = None


@dataclass(frozen=True, slots=True)
class PageOverview:
    """What the traffic light needs for one followed Page, read in one query.

    ``recent_avg`` is the mean talking-about per 1,000 over the 7 days up to the latest reading;
    ``earlier_avg`` the same for the 7 days ending 28 days before it.
    """

    page: Page
    latest: Reading | None
    recent_avg: float | None
    earlier_avg: float | None


@dataclass(frozen=True, slots=True)
class InsightValue:
    """One Insights value: ``end_time`` is when Meta's (Pacific) day ends, in UTC."""

    page_id: str
    metric: str
    period: str
    end_time: datetime
    value: float | None


@dataclass(frozen=True, slots=True)
class MetricStatus:
    page_id: str
    metric: str
    available: bool
    last_ok_at: datetime | None
    unavailable_since: datetime | None
    last_error: str | None
    covered_from: date | None  # Insights fetched for these days (Meta's days), inclusive
    covered_until: date | None
