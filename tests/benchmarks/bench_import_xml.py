"""Reading the classic Page Insights "Excel" export (XML Spreadsheet 2003), two years of one
Page, in two shapes written here:

- as the export splits it: a "Key Metrics" sheet of 100 columns first, then sheets of
  breakdowns holding the other 2,600 columns (only Key Metrics is read);
- the worst case: one sheet of all 2,700 columns.

Run on demand:  python tests/benchmarks/bench_import_xml.py
Prints, for each, the file's size, the time to read its rows alone, to preview it (every read
the importer makes, in a separate process) and that process's peak memory; and, as a floor
from the same run, the standard library's parser merely building the whole file's tree.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

DAYS = 730
PREVIEW = """
import json, sys, time
from pathlib import Path
from engage_desktop.core.importing import Importer, ImportOptions
from engage_desktop.core.importing.tables import open_table
from engage_desktop.core.store import open_store

started = time.perf_counter()
rows = sum(1 for _ in open_table(Path(sys.argv[1])).rows())
read = time.perf_counter() - started
with open_store(sys.argv[2]) as store:
    started = time.perf_counter()
    preview = Importer(store, [Path(sys.argv[1])], ImportOptions(page="P")).preview()
    previewed = time.perf_counter() - started
    assert preview.ready, preview.as_json()
# this process's own high-water mark (ru_maxrss would count the parent it was forked from)
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM")) / 1024
print(json.dumps({"rows": rows, "read": read, "preview": previewed, "peak_mb": peak}))
"""
HEAD = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n')


def _sheet(name: str, titles: list[str], first_value: int) -> str:
    cells = "".join(f'<Cell><Data ss:Type="String">{t}</Data></Cell>' for t in titles)
    rows = [f"<Row>{cells}</Row>",
            "<Row>" + '<Cell><Data ss:Type="String">A description\x0b &amp; more</Data></Cell>'
            * len(titles) + "</Row>"]
    start = date(2016, 1, 1)
    for n in range(DAYS):
        day = f'<Cell><Data ss:Type="DateTime">{start + timedelta(days=n)}T00:00:00.000</Data>' \
              "</Cell>"
        values = "".join(f'<Cell><Data ss:Type="Number">{first_value + n + i}</Data></Cell>'
                         for i in range(len(titles) - 1))
        rows.append(f"<Row>{day}{values}</Row>")
    return f'<Worksheet ss:Name="{name}"><Table>{"".join(rows)}</Table></Worksheet>\n'


def _write(path: Path, sheets: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as file:
        file.write(HEAD)
        for sheet in sheets:
            file.write(sheet)
        file.write("</Workbook>\n")
    return path


def _measure(label: str, path: Path, folder: Path) -> None:
    result = subprocess.run([sys.executable, "-c", PREVIEW, str(path),
                             str(folder / f"{path.stem}.sqlite")],
                            capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout)
    cleaned = _cleaned(path)  # (the standard parser refuses the stray character)
    started = time.perf_counter()
    ET.parse(cleaned)
    floor = time.perf_counter() - started
    print(f"{label}: {path.stat().st_size / 1e6:.0f} MB; rows read in {figures['read']:.2f} s, "
          f"preview {figures['preview']:.2f} s, peak memory {figures['peak_mb']:.0f} MB "
          f"(the standard parser building the whole file's tree: {floor:.2f} s)")


def _cleaned(path: Path):
    import io

    return io.BytesIO(path.read_bytes().replace(b"\x0b", b""))


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="engage-xml-bench-"))
    key = ["Date", "Lifetime Total Likes", "Weekly People Talking About This"] + [
        f"Daily Key Metric {i}" for i in range(97)]
    breakdowns = [_sheet(f"Breakdown {s}", ["Date"] + [f"Daily by thing {s}.{i}"
                                                       for i in range(650)], 10)
                  for s in range(4)]
    split = _write(folder / "split.xls", [_sheet("Key Metrics", key, 1000), *breakdowns])
    del breakdowns
    _measure("Key Metrics (100 columns) then 2,600 columns of breakdowns", split, folder)
    one = _write(folder / "one-sheet.xls", [_sheet("Key Metrics", key + [
        f"Daily by thing {i}" for i in range(2600)], 1000)])
    _measure("one sheet of 2,700 columns (the worst case)", one, folder)


if __name__ == "__main__":
    main()
