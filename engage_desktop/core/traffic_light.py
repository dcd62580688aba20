"""The traffic light across every followed Page: one query, then the engagement model."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from engage_desktop.core import engagement
from engage_desktop.core.engagement import Assessment, Mode, Status, Thresholds, Trend
from engage_desktop.core.models import Page, Reading
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import to_utc_text, uk_day, utc_now


@dataclass(frozen=True, slots=True)
class PageStatus:
    page: Page
    latest: Reading | None
    assessment: Assessment
    trend: Trend | None

    @property
    def status(self) -> Status:
        return self.assessment.status

    @property
    def audience(self) -> int | None:
        if self.latest is None:
            return None
        return engagement.audience(self.latest.followers, self.latest.fans)

    def as_json(self) -> dict[str, object]:
        """The record ``engage-desktop status --json`` prints (keys are a public contract)."""
        per_1000 = self.assessment.per_1000
        return {
            "page_id": self.page.id,
            "name": self.page.name,
            "followers": self.audience,
            "talking_about": self.latest.talking_about if self.latest else None,
            "per_1000": None if per_1000 is None else round(per_1000, 2),
            "status": self.status.value,
            "trend_28d": None if self.trend is None else round(self.trend.change, 2),
            "as_of": to_utc_text(self.latest.taken_at) if self.latest else None,
            "reason": self.assessment.reason,
            "kind": self.page.kind,
            "measure": self.assessment.measure,
        }


@dataclass(frozen=True, slots=True)
class TrafficLight:
    rows: list[PageStatus]
    thresholds: Thresholds
    median: float | None  # of the per-1,000 ratios that have a status

    def counts(self) -> Counter[Status]:
        return Counter(row.status for row in self.rows)

    def summary(self) -> str:
        """"3 red · 5 amber · 4 green · 1 no data"."""
        counts = self.counts()
        return " · ".join(f"{counts[status]} {status.word.lower()}" for status in Status)


def _fallback(store: Store, overview, assessment: Assessment, now: datetime) -> Assessment:
    """The interactions measure for a Page with a fresh reading but no talking-about figure
    (Meta stopped reporting it, or only Meta Business Suite files were imported)."""
    latest = overview.latest
    if (latest is None or latest.talking_about is not None
            or assessment.status is not Status.NO_DATA):
        return assessment
    size = engagement.audience(latest.followers, latest.fans)
    fresh = -engagement.FUTURE_TOLERANCE <= now - latest.taken_at <= engagement.STALE_AFTER
    if not size or not fresh:
        return assessment
    # the 7 whole days before the reading's day (Meta has not finished counting that day)
    last = uk_day(latest.taken_at) - timedelta(days=1)
    total, days = store.daily_total(
        latest.page_id, engagement.INTERACTIONS_METRIC,
        last - timedelta(days=engagement.INTERACTION_DAYS - 1), last)
    if days < engagement.MIN_INTERACTION_DAYS:
        return assessment
    return engagement.assess_interactions(interactions=total, days=days, audience_size=size,
                                          thresholds=store.thresholds(engagement.INTERACTIONS))


def build(store: Store, *, now: datetime | None = None) -> TrafficLight:
    now = utc_now() if now is None else now
    thresholds = store.thresholds()
    overviews = store.page_overviews()
    assessments = [
        engagement.assess(
            followers=o.latest.followers if o.latest else None,
            fans=o.latest.fans if o.latest else None,
            talking_about=o.latest.talking_about if o.latest else None,
            taken_at=o.latest.taken_at if o.latest else None,
            now=now,
            thresholds=thresholds,
        )
        for o in overviews
    ]
    rated = [a.per_1000 if a.status is not Status.NO_DATA else None for a in assessments]
    if thresholds.mode is Mode.RELATIVE:
        relative = engagement.classify_relative(rated)
        middle = engagement.median(rated)
        assessments = [
            a if a.status is Status.NO_DATA else Assessment(
                status, a.per_1000, f"{a.reason}; the median of these Pages is {middle:.1f}")
            for a, status in zip(assessments, relative, strict=True)
        ]
    assessments = [_fallback(store, o, a, now) for o, a in zip(overviews, assessments,
                                                               strict=True)]
    rows = [
        PageStatus(o.page, o.latest, a, engagement.trend(o.recent_avg, o.earlier_avg))
        for o, a in zip(overviews, assessments, strict=True)
    ]
    rows.sort(key=lambda row: (row.status.rank, row.assessment.per_1000 or 0.0, row.page.name))
    return TrafficLight(rows, thresholds, engagement.median(rated))
