"""Import benchmark: a generic CSV of 500 Pages × 3 years (547,500 rows).

Run on demand:  python tests/benchmarks/bench_import.py [--200mb]
Prints, measured in this run: writing the CSV with the csv module (a floor for merely reading
and writing that much text), the preview (target < 3 s), the import (target < 8 s), and peak
memory of the preview-and-import process (target < 250 MB). With --200mb it also imports the
same rows ten times over (213 MB, 5.5 million rows), to show that memory stays flat.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IMPORT = """
import json, resource, sys, time
from pathlib import Path
from engage_desktop.core.importing import Importer, ImportOptions
from engage_desktop.core.store import open_store

with open_store(sys.argv[2]) as store:
    started = time.perf_counter()
    importer = Importer(store, [Path(sys.argv[1])], ImportOptions())
    preview = importer.preview()
    previewed = time.perf_counter()
    assert preview.ready, preview.as_json()
    importer.commit()
    done = time.perf_counter()
    rows = store.conn.execute("SELECT count(*) FROM snapshots").fetchone()[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"preview": previewed - started, "commit": done - previewed,
                  "rows": rows, "changes": preview.changes, "peak_mb": peak}))
"""


def main() -> None:
    import csv
    from datetime import date, timedelta

    folder = Path(tempfile.mkdtemp(prefix="engage-import-bench-"))
    path = folder / "pages.csv"
    first = date.today() - timedelta(days=3 * 365)
    started = time.perf_counter()
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Page name", "Date", "Followers", "Talking about"])
        for page in range(500):
            for day in range(3 * 365):
                writer.writerow([f"Council Page {page:03d}",
                                 (first + timedelta(days=day)).strftime("%d/%m/%Y"),
                                 1000 + page * 10 + day, (page * 7 + day) % 90])
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


def _import(csv_path: Path, db_path: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", IMPORT, str(csv_path), str(db_path)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
