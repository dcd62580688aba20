"""Store and traffic-light benchmark: 500 Pages × 3 years of daily readings.

Run on demand (not part of the test suite):  python tests/benchmarks/bench_store.py
Prints each figure, its target, and a ratio against a baseline measured in the same run:
- writing ~550,000 readings through the store, against a bare executemany INSERT (target < 5 s);
- the whole traffic light for 500 Pages, against a one-query-per-Page loop (target < 30 ms,
  one or two SQL queries);
- ``status --json`` as a whole process, against a bare Python start-up (target < 1 s).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from engage_desktop.core import traffic_light
from engage_desktop.core.demo import _profiles, _readings, page_id
from engage_desktop.core.models import PageInfo, PageOverview
from engage_desktop.core.store import _page, _reading, open_store
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, uk_day

END = date(2026, 11, 24)


def _median_seconds(action, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _report(label: str, seconds: float, target: float, baseline: float, baseline_label: str,
            unit: str = "s") -> None:
    scale = 1000 if unit == "ms" else 1
    verdict = "meets" if seconds < target else "MISSES"
    print(f"{label}: {seconds * scale:.1f} {unit} (target < {target * scale:g} {unit}: "
          f"{verdict}); {baseline_label}: {baseline * scale:.1f} {unit}; "
          f"ratio {seconds / baseline:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--days", type=int, default=3 * 365)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="engage-bench-"))
    first = END - timedelta(days=args.days - 1)

    profiles = _profiles(args.pages, __import__("random").Random(1))
    start = time.perf_counter()
    readings = list(_readings(profiles, first, END, seed=1))
    print(f"{len(readings):,} readings for {args.pages} Pages × {args.days} days "
          f"(generated in {time.perf_counter() - start:.2f} s)")
    pages = [PageInfo(page_id(i), p.name, p.kind, p.username, None, p.category)
             for i, p in enumerate(profiles)]

    # Baseline: the same rows through a bare executemany, no library, same schema and pragmas.
    with open_store(work / "baseline.sqlite") as store:
        store.upsert_pages(pages)
        rows = [(r.page_id, to_utc_text(r.taken_at), r.followers, r.fans, r.talking_about,
                 None if r.npe is None else int(r.npe), r.source) for r in readings]
        start = time.perf_counter()
        with store.transaction():
            store.db.conn.executemany(
                "INSERT INTO readings (page_id, taken_at, followers, fans, talking_about, npe, "
                "source) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        raw_write = time.perf_counter() - start

    path = work / "bench.sqlite"
    with open_store(path) as store:
        store.upsert_pages(pages)
        start = time.perf_counter()
        store.add_readings(readings)
        write = time.perf_counter() - start
    _report(f"write {len(readings):,} readings (store.add_readings, upsert)", write, 5.0,
            raw_write, "bare executemany INSERT")

    with open_store(path) as store:
        statements: list[str] = []
        store.db.conn.set_trace_callback(statements.append)
        light = traffic_light.build(store)
        store.db.conn.set_trace_callback(None)
        queries = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        build = _median_seconds(lambda: traffic_light.build(store), repeat=25)

        overviews = _median_seconds(store.page_overviews, repeat=25)
        conn = store.db.conn
        conn.row_factory = sqlite3.Row

        def per_page_loop() -> list[PageOverview]:
            """The obvious alternative: Page by Page, the latest reading and the last five
            weeks of readings, with the weekly averages worked out in Python."""
            result = []
            pages = conn.execute("SELECT * FROM pages WHERE followed = 1 ORDER BY name, id")
            for page in pages.fetchall():
                latest = conn.execute(
                    "SELECT * FROM readings WHERE page_id = ? ORDER BY taken_at DESC LIMIT 1",
                    [page["id"]]).fetchone()
                last_day = uk_day(from_utc_text(latest["taken_at"]))
                by_day = {}
                for row in conn.execute(
                        "SELECT * FROM readings WHERE page_id = ? AND taken_at > "
                        "strftime('%Y-%m-%dT%H:%M:%SZ', ?, '-36 days') ORDER BY taken_at",
                        [page["id"], latest["taken_at"]]):
                    by_day[uk_day(from_utc_text(row["taken_at"]))] = row

                def week(first: int, last: int, by_day=by_day, last_day=last_day):
                    ratios = []
                    for back in range(last, first + 1):
                        row = by_day.get(last_day - timedelta(days=back))
                        audience = row and (row["followers"] if row["followers"] is not None
                                            else row["fans"])
                        if row and audience and row["talking_about"] is not None:
                            ratios.append(row["talking_about"] * 1000.0 / audience)
                    return sum(ratios) / len(ratios) if ratios else None

                result.append(PageOverview(_page(page), _reading(latest), week(6, 0),
                                           week(34, 28)))
            return result

        for mine, theirs in zip(per_page_loop(), store.page_overviews(), strict=True):
            assert mine.latest == theirs.latest
            assert abs((mine.recent_avg or 0) - (theirs.recent_avg or 0)) < 1e-9
            assert abs((mine.earlier_avg or 0) - (theirs.earlier_avg or 0)) < 1e-9
        loop = _median_seconds(per_page_loop, repeat=10)
        conn.row_factory = None
    _report(f"traffic light for {len(light.rows)} Pages, whole build ({len(queries)} SQL "
            f"quer{'y' if len(queries) == 1 else 'ies'}; {light.summary()})", build,
            0.030, overviews, "of which reading the store", unit="ms")
    _report("reading the store in one query (page_overviews)", overviews, 0.030, loop,
            "Page-by-Page loop, same records (1,001 queries)", unit="ms")

    env = {**os.environ, "ENGAGE_DB": str(path)}
    status = _median_seconds(lambda: subprocess.run(
        [sys.executable, "-m", "engage_desktop", "status", "--json"], env=env, check=True,
        stdout=subprocess.DEVNULL), repeat=5)
    bare = _median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True),
                           repeat=5)
    _report("status --json as a whole process", status, 1.0, bare, "bare Python start-up",
            unit="ms")
    print(f"database: {path.stat().st_size / 1e6:.1f} MB at {path}")


if __name__ == "__main__":
    main()
