"""Publishing benchmark, 500 Pages × 3 years of daily readings.

- ``engage-desktop publish FOLDER`` as a whole process (target < 3 s), median of 5, against
  the same process printing its version;
- Datasette, started as README's "Share with your team" says, answering the traffic light of
  the 500 Pages as JSON and as its HTML page (target < 200 ms), median of 20 after one
  warm-up, against its own /-/versions.json.

Run: ``python tests/benchmarks/bench_publish.py`` (needs the test extra, for Datasette).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from compiled import compile_like_an_install

from engage_desktop.core.demo import write_demo
from engage_desktop.core.publishing import COPY_NAME, METADATA_NAME
from engage_desktop.core.store import open_store

ENTRY = "import sys; from engage_desktop.cli import main; sys.exit(main(sys.argv[1:]))"


def _whole(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", ENTRY, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def _fetch(url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as answer:
        body = answer.read()
    return time.perf_counter() - start, body


def _median_fetch(url: str, runs: int = 20) -> float:
    _fetch(url)  # warm-up: Datasette's first request of a table prepares it
    return statistics.median(_fetch(url)[0] for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--days", type=int, default=3 * 365)
    args = parser.parse_args()
    compile_like_an_install()
    work = Path(tempfile.mkdtemp(prefix="engage-bench-publish-"))
    db = work / "data" / "engage.sqlite"
    start = time.perf_counter()
    with open_store(db) as store:
        summary = write_demo(store, pages=args.pages, days=args.days)
    print(f"{summary.pages} Pages, {summary.readings:,} readings (written in "
          f"{time.perf_counter() - start:.1f} s); database {db.stat().st_size / 1e6:.1f} MB")

    folder = work / "team"
    version = statistics.median(_whole("--version") for _ in range(5))
    runs = [_whole("publish", str(folder), "--db", str(db)) for _ in range(5)]
    whole = statistics.median(runs)
    print(f"publish as a whole process: {whole:.2f} s median of 5 "
          f"({', '.join(f'{run:.2f}' for run in runs)}) (target < 3 s: "
          f"{'met' if whole < 3 else 'MISSED'}); the same process printing its version "
          f"{version * 1000:.0f} ms; copy {(folder / COPY_NAME).stat().st_size / 1e6:.1f} MB")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    datasette = Path(sys.executable).with_name("datasette")
    server = subprocess.Popen(
        [str(datasette if datasette.exists() else "datasette"), "-i", str(folder / COPY_NAME),
         "-m", str(folder / METADATA_NAME), "--reload", "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                _fetch(f"{base}/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        light_url = f"{base}/engage/traffic_light.json?_shape=array&_size=max"
        rows = json.loads(_fetch(light_url)[1])
        assert len(rows) == summary.pages, len(rows)
        floor = _median_fetch(f"{base}/-/versions.json")
        as_json = _median_fetch(light_url)
        page = _median_fetch(f"{base}/engage/traffic_light")
        attention = _median_fetch(f"{base}/engage/needs_attention.json?_shape=array")
        for label, seconds in ((f"traffic light of {len(rows)} Pages as JSON (_size=max)",
                                as_json),
                               ("traffic light as Datasette's HTML page (first 100 rows, "
                                "facets)", page),
                               ("canned query 'Pages that need attention'", attention)):
            print(f"Datasette, {label}: {seconds * 1000:.1f} ms median of 20 (target < 200 ms: "
                  f"{'met' if seconds < 0.2 else 'MISSED'}); its /-/versions.json "
                  f"{floor * 1000:.1f} ms")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
