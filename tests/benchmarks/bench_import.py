"""Import benchmark: a generic CSV of 500 Pages × 3 years (547,500 rows), and a classic Page
Insights export of one Page over 2 years with 2,700 columns.

Run on demand:  python tests/benchmarks/bench_import.py [--200mb]
Prints, measured in this run: writing the CSV with the csv module (a floor for merely reading
and writing that much text), the preview (target < 3 s), the import (target < 8 s), and peak
memory of the preview-and-import process (target < 250 MB). For the classic export: its
preview (target < 2 s), import, peak memory and the database's size afterwards (target
< 5 MB: Page-level figures only), and the size with its breakdowns kept, for comparison.
With --200mb it also imports the same rows ten times over (213 MB, 5.5 million rows), to show
that memory stays flat.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

IMPORT = """
import json, resource, sys, time
from pathlib import Path
from engage_desktop.core.importing import Importer, ImportOptions
from engage_desktop.core.store import open_store

options = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
with open_store(sys.argv[2]) as store:
    started = time.perf_counter()
    importer = Importer(store, [Path(sys.argv[1])], ImportOptions(**options))
    preview = importer.preview()
    previewed = time.perf_counter()
    assert preview.ready, preview.as_json()
    importer.commit()
    done = time.perf_counter()
    rows = store.conn.execute("SELECT count(*) FROM readings").fetchone()[0]
    values = store.conn.execute("SELECT count(*) FROM insights").fetchone()[0]
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"preview": previewed - started, "commit": done - previewed,
                  "rows": rows, "values": values, "changes": preview.changes,
                  "peak_mb": peak, "db_mb": Path(sys.argv[2]).stat().st_size / 1e6}))
"""


def write_pages_csv(path: Path) -> Path:
    """The generic spreadsheet: 500 Pages' readings for 3 years, by name, UK dates (547,500
    rows, about 20 MB)."""
    import csv
    from datetime import date, timedelta

    first = date.today() - timedelta(days=3 * 365)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Page name", "Date", "Followers", "Talking about"])
        for page in range(500):
            for day in range(3 * 365):
                writer.writerow([f"Council Page {page:03d}",
                                 (first + timedelta(days=day)).strftime("%d/%m/%Y"),
                                 1000 + page * 10 + day, (page * 7 + day) % 90])
    return path


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="engage-import-bench-"))
    started = time.perf_counter()
    path = write_pages_csv(folder / "pages.csv")
    written = time.perf_counter() - started
    size = path.stat().st_size / 1e6
    figures = _import(path, folder / "db.sqlite")
    print(f"generic CSV, 500 Pages × 3 years: {figures['rows']:,} rows, {size:.0f} MB "
          f"(writing it with the csv module: {written:.1f} s)")
    preview, commit = figures["preview"], figures["commit"]
    both = preview + commit
    print(f"preview: {preview:.2f} s (target < 3 s: {'meets' if preview < 3 else 'MISSES'}); "
          f"import after the preview: {commit:.2f} s, preview and import {both:.2f} s (target "
          f"< 8 s: {'meets' if both < 8 else 'MISSES'}); peak memory {figures['peak_mb']:.0f} "
          f"MB (target < 250 MB: {'meets' if figures['peak_mb'] < 250 else 'MISSES'})")
    _classic(folder)
    if "--200mb" in sys.argv:
        big = folder / "big.csv"
        with path.open(encoding="utf-8") as source, big.open("w", encoding="utf-8") as out:
            header, *rows = source.read().splitlines(keepends=True)
            out.write(header)
            for copy in range(10):
                out.writelines(row.replace("Council Page ", f"Council Page {copy}-", 1)
                               for row in rows)
        figures = _import(big, folder / "big.sqlite")
        print(f"{big.stat().st_size / 1e6:.0f} MB, {figures['rows']:,} rows: preview "
              f"{figures['preview']:.1f} s, import {figures['commit']:.1f} s, peak memory "
              f"{figures['peak_mb']:.0f} MB")


def _classic(folder: Path) -> None:
    """A classic export of one Page, 2 years, 2,700 columns (Page-level and breakdowns), as
    the tests write it: Windows-1252, CRLF, US dates, a row of descriptions."""
    from datetime import date, timedelta

    sys.path.insert(0, str(ROOT))
    from tests.export_shapes import days_from, write_classic

    path = write_classic(folder / "Facebook Insights Data Export - Kelderby Museum.csv",
                         days_from(date.today() - timedelta(days=731), 730), columns=2700)
    size = path.stat().st_size / 1e6
    lean = _import(path, folder / "classic.sqlite", {"page": "Kelderby Museum"})
    full = _import(path, folder / "classic-full.sqlite",
                   {"page": "Kelderby Museum", "keep_breakdowns": True})
    print(f"classic export, 1 Page × 2 years × 2,700 columns ({size:.1f} MB): preview "
          f"{lean['preview']:.2f} s (target < 2 s: {_verdict(lean['preview'] < 2)}); import "
          f"after the preview {lean['commit']:.2f} s; peak memory {lean['peak_mb']:.0f} MB; "
          f"{lean['rows']:,} readings and {lean['values']:,} Insights values, database "
          f"{lean['db_mb']:.1f} MB (target < 5 MB: {_verdict(lean['db_mb'] < 5)})")
    print(f"the same with --keep-breakdowns: {full['values']:,} Insights values, database "
          f"{full['db_mb']:.1f} MB (preview {full['preview']:.2f} s, import "
          f"{full['commit']:.2f} s)")


def _verdict(met: bool) -> str:
    return "meets" if met else "MISSES"


def _import(csv_path: Path, db_path: Path, options: dict | None = None) -> dict:
    result = subprocess.run([sys.executable, "-c", IMPORT, str(csv_path), str(db_path),
                             json.dumps(options or {})],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
