"""Alerts benchmark: what the alert rules add to the end of a sync, on 500 Pages × 3 years of
daily readings (the demo data).

Run on demand (not part of the test suite):  python tests/benchmarks/bench_alerts.py
Prints, measured in one run, the median of 5 runs of each:
- ``alerts.record_after_sync`` the first time (it records what it finds) and again the same
  day (it records nothing: the no-repeat path a second sync takes);
- how many alerts the first run recorded, by kind.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from engage_desktop.core import alerts  # noqa: E402
from engage_desktop.core.demo import write_demo  # noqa: E402
from engage_desktop.core.store import open_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--days", type=int, default=3 * 365)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        with open_store(path) as store:
            write_demo(store, pages=args.pages, days=args.days)
        firsts, agains, recorded = [], [], Counter()
        for _ in range(5):
            with open_store(path) as store:
                store.conn.execute("DELETE FROM alerts")
                started = time.perf_counter()
                found = alerts.record_after_sync(store)
                firsts.append(time.perf_counter() - started)
                recorded = Counter(alert.kind for alert in found)
                started = time.perf_counter()
                again = alerts.record_after_sync(store)
                agains.append(time.perf_counter() - started)
                assert again == []
        print(f"{args.pages} Pages x {args.days} days")
        print(f"record_after_sync, first run of the day: {statistics.median(firsts) * 1000:.0f} "
              f"ms ({sum(recorded.values())} alerts: "
              + ", ".join(f"{kind} {count}" for kind, count in sorted(recorded.items())) + ")")
        print(f"record_after_sync, again the same day (nothing new): "
              f"{statistics.median(agains) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
