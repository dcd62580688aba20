"""Deterministic demo data: a fictional council's Facebook Pages with years of daily readings.

The same seed, size and end date always give the same database. The first twelve Pages are
written to show what the program is for: a storm week when everyone talks to the council, a
Page that moves to the New Pages Experience and loses its likes overnight, a Page whose
conversation slowly dies (ending at the seed case: 200 followers, 3 talking about), a Page Meta
reports no talking-about for, a stale imported Page, and a neighbouring council to compare
against. Further Pages (``pages > 12``) are generated from templates for benchmarks.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from engage_desktop.core.errors import EngageError
from engage_desktop.core.models import PageInfo, PageKind, Reading
from engage_desktop.core.settings import DEMO
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import UK, utc_now

DEFAULT_PAGES = 12
DEFAULT_DAYS = 730
DEFAULT_SEED = 2026

# Council Pages post on weekdays; talking-about (a 7-day count) dips a little at weekends.
_WEEKDAY_FACTOR = (1.04, 1.06, 1.05, 1.03, 1.0, 0.93, 0.91)


@dataclass(frozen=True, slots=True)
class _Profile:
    name: str
    category: str
    kind: PageKind
    followers: tuple[int, int]  # at the start and at the end of the period
    ratio: tuple[float, float]  # talking about per 1,000 at the start and the end
    username: str | None = None
    npe_days_before_end: int | None = None  # moves to the New Pages Experience that day
    classic_likes_share: float = 1.08  # likes ÷ followers before the move
    talking_reported: bool = True
    stops_days_before_end: int = 0  # the last reading is this many days before the end
    storm: float = 1.0  # how much the storm week multiplies talking-about
    elections: bool = False
    christmas: bool = False
    summer_reading: bool = False
    final: tuple[int, int] | None = None  # exact (followers, talking about) of the last reading
    decline_days: int | None = None  # the ratio holds, then moves to its end value over these


_SHOWCASE = (
    _Profile("Kelderby Borough Council", "Local Government", "own", (21_000, 24_800),
             (38.0, 36.0), "KelderbyCouncil", storm=4.0),
    _Profile("Kelderby Libraries", "Library", "own", (3_600, 4_350), (45.0, 62.0),
             "KelderbyLibraries", summer_reading=True),
    _Profile("Kelderby Leisure Centres", "Sports & Recreation", "own", (9_400, 8_900),
             (28.0, 16.0), "KelderbyLeisure"),
    _Profile("Kelderby Museum & Art Gallery", "Museum", "own", (2_800, 3_150), (50.0, 58.0),
             "KelderbyMuseum"),
    _Profile("Visit Kelderby", "Tourist Information Center", "own", (14_200, 15_200),
             (30.0, 33.0), "VisitKelderby", npe_days_before_end=400, classic_likes_share=1.21),
    _Profile("Kelderby Waste & Recycling", "Government Organization", "own", (6_100, 6_700),
             (55.0, 66.0), storm=1.6, christmas=True),
    _Profile("Kelderby Elections", "Government Organization", "own", (1_050, 1_240),
             (10.0, 9.0), elections=True),
    _Profile("Kelderby Youth Service", "Community Organization", "own", (260, 200),
             (58.0, 15.0), "KelderbyYouth", final=(200, 3), decline_days=120),
    _Profile("Kelderby Parks & Countryside", "Park", "own", (4_800, 5_400), (29.0, 31.0),
             storm=1.8),
    _Profile("Kelderby Adult Social Care", "Government Organization", "own", (800, 910),
             (0.0, 0.0), talking_reported=False),
    _Profile("Harrowfield District Council", "Local Government", "public", (9_900, 11_200),
             (41.0, 44.0), "HarrowfieldDC", storm=2.5),
    _Profile("Kelderby Archives", "Archive", "imported", (1_450, 1_520), (24.0, 22.0),
             stops_days_before_end=23),
)
_TOWNS = ("Ashby Green", "Brackenford", "Colmere", "Dunhollow", "Eastwick Vale", "Fenmoor",
          "Greyhithe", "Hallowbridge", "Ivelton", "Juniper Cross", "Kestrel Hill", "Lowmarsh")
_SERVICES = (("Town Council", "Local Government"), ("Library", "Library"),
             ("Leisure Centre", "Sports & Recreation"), ("Community Hub", "Community Center"),
             ("Museum", "Museum"), ("Parish Council", "Local Government"))


@dataclass(frozen=True, slots=True)
class DemoSummary:
    pages: int
    readings: int
    notes: int
    first_day: date
    last_day: date


_DEMO_ID_BASE = 900_000_000_000_000
_DEMO_ID_SPAN = 1_000_000_000


def page_id(index: int) -> str:
    """A Graph-API-shaped, obviously fictional Page ID."""
    return str(_DEMO_ID_BASE + index)


def is_demo_page_id(text: str) -> bool:
    return text.isdigit() and 0 <= int(text) - _DEMO_ID_BASE < _DEMO_ID_SPAN


def write_demo(
    store: Store,
    *,
    pages: int = DEFAULT_PAGES,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    end: date | None = None,
) -> DemoSummary:
    """Fill ``store`` with demo data ending on UK day ``end`` (default today).

    Refuses a database that holds anything but demo data; earlier demo data is replaced.
    """
    if pages < 1 or days < 1:
        raise EngageError("Demo data needs at least one Page and one day.",
                          "Use --pages and --days with numbers of 1 or more.")
    real = [page.name for page in store.pages() if not is_demo_page_id(page.id)]
    real_readings = store.readings_not_from("demo")
    if real or real_readings:
        raise EngageError(
            f"{store.path} holds real data ({len(real)} Pages, {real_readings:,} readings that "
            "are not demo data); demo data would mix with it.",
            "Give demo data its own file, for example: engage-desktop demo --db demo.sqlite")
    end = _latest_complete_day() if end is None else end
    first = end - timedelta(days=days - 1)
    profiles = _profiles(pages, random.Random(seed))
    with store.transaction():
        # Only demo Pages are here (checked above): replace them and the notes.
        store.remove_demo_pages_and_notes()
        store.settings.set(DEMO, True)
        store.upsert_pages(
            PageInfo(page_id(i), p.name, p.kind, p.username,
                     f"https://www.facebook.com/{p.username or page_id(i)}", p.category)
            for i, p in enumerate(profiles))
        readings = store.add_readings(_readings(profiles, first, end, seed))
        notes = 0
        for page_index, day, text in _notes(profiles, first, end):
            notes += store.add_note(day, text, None if page_index is None
                                          else page_id(page_index))
    return DemoSummary(len(profiles), readings, notes, first, end)


def _latest_complete_day() -> date:
    """Today in the UK once today's readings (taken by 09:40) exist, else yesterday: demo
    readings are never in the future."""
    now = utc_now().astimezone(UK)
    return now.date() if now.time() >= time(9, 40) else now.date() - timedelta(days=1)


def _profiles(count: int, rng: random.Random) -> list[_Profile]:
    profiles = list(_SHOWCASE[:count])
    for index in range(len(profiles), count):
        town = _TOWNS[index % len(_TOWNS)]
        service, category = _SERVICES[(index // len(_TOWNS)) % len(_SERVICES)]
        start = rng.randint(150, 30_000)
        profiles.append(_Profile(
            name=f"{town} {service} {index + 1}",
            category=category,
            kind="public" if rng.random() < 0.3 else "own",
            followers=(start, max(50, int(start * rng.uniform(0.85, 1.3)))),
            ratio=(rng.uniform(5, 90), rng.uniform(5, 90)),
            storm=rng.uniform(1.0, 3.0),
        ))
    return profiles


def _storm_days(end: date) -> tuple[date, date]:
    start = end - timedelta(days=280)
    return start, start + timedelta(days=6)


def _election_days(first: date, last: date) -> list[date]:
    """Polling days: the first Thursday of May in each year of the period."""
    days = []
    for year in range(first.year, last.year + 1):
        may = date(year, 5, 1)
        polling = may + timedelta(days=(3 - may.weekday()) % 7)
        if first <= polling <= last:
            days.append(polling)
    return days


def _event_factor(profile: _Profile, day: date, end: date, polls: list[date]) -> float:
    factor = 1.0
    storm_start, storm_end = _storm_days(end)
    if storm_start <= day <= storm_end + timedelta(days=6):
        # talking-about counts people over 7 days: it rises through the storm week and
        # falls away over the week after
        rise = min((day - storm_start).days + 1, 7) / 7
        fall = max(0, (day - storm_end).days) / 7
        factor *= 1 + (profile.storm - 1) * rise * (1 - fall)
    if profile.elections:
        for polling in polls:
            before = (polling - day).days
            if -3 <= before <= 21:
                factor *= 1 + 11 * math.exp(-abs(before) / 5)
    if profile.christmas and ((day.month, day.day) >= (12, 18) or (day.month, day.day) <= (1, 8)):
        factor *= 1.7
    if profile.summer_reading and (7, 11) <= (day.month, day.day) <= (8, 10):
        factor *= 1.35
    return factor


def _readings(profiles: list[_Profile], first: date, end: date, seed: int) -> Iterator[Reading]:
    total = (end - first).days
    polls = _election_days(first, end)
    for index, profile in enumerate(profiles):
        rng = random.Random(f"{seed}:{index}")
        pid = page_id(index)
        last = end - timedelta(days=profile.stops_days_before_end)
        npe_day = (end - timedelta(days=profile.npe_days_before_end)
                   if profile.npe_days_before_end is not None else None)
        day = first
        while day <= last:
            progress = (day - first).days / total if total else 1.0
            followers = profile.followers[0] * (
                profile.followers[1] / profile.followers[0]) ** progress
            followers = max(0, round(followers * rng.gauss(1, 0.0015)))
            ratio_progress = progress if not profile.decline_days else max(
                0.0, 1 - (end - day).days / profile.decline_days)
            ratio = profile.ratio[0] + (profile.ratio[1] - profile.ratio[0]) * ratio_progress
            ratio *= _WEEKDAY_FACTOR[day.weekday()] * _event_factor(profile, day, end, polls)
            talking: int | None = max(0, round(followers * ratio / 1000 * rng.gauss(1, 0.06)))
            if not profile.talking_reported:
                talking = None
            if day == last and profile.final is not None:
                followers, talking = profile.final
            npe = npe_day is None or day >= npe_day
            fans = followers if npe else round(followers * profile.classic_likes_share)
            moment = datetime.combine(day, time(9, rng.randrange(0, 40)), tzinfo=UK)
            yield Reading(pid, moment, followers, fans, talking, npe, "demo")
            day += timedelta(days=1)


def _notes(profiles: list[_Profile], first: date,
                 end: date) -> Iterator[tuple[int | None, date, str]]:
    def within(day: date) -> bool:
        return first <= day <= end

    storm_start, _ = _storm_days(end)
    if within(storm_start):
        yield None, storm_start, "Storm week: flood warnings, road closures, bins suspended"
    for index, profile in enumerate(profiles[:len(_SHOWCASE)]):
        if profile.npe_days_before_end is not None:
            day = end - timedelta(days=profile.npe_days_before_end)
            if within(day):
                yield index, day, "Moved to the New Pages Experience: likes now count followers"
        if profile.elections:
            for polling in _election_days(first, end):
                yield index, polling, "Polling day: local elections"
        if profile.summer_reading:
            for year in range(first.year, end.year + 1):
                if within(launch := date(year, 7, 11)):
                    yield index, launch, "Summer Reading Challenge launched"
        if profile.decline_days:
            day = end - timedelta(days=profile.decline_days)
            if within(day):
                yield index, day, "Youth worker who ran the Page left; posting became irregular"
        if profile.stops_days_before_end:
            day = end - timedelta(days=profile.stops_days_before_end)
            if within(day):
                yield index, day, "Last figures imported from Meta Business Suite"
