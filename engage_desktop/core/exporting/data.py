"""CSV files of the traffic light and of Pages' daily series, for Excel and for importing back.

Both are UTF-8 with a byte-order mark (so Excel opens them with the right characters), comma
separated, one header row. The series layout is the one the importer reads back without loss.
A text cell that a spreadsheet would take for a formula (it starts with = + - @, a tab or a
carriage return, as OWASP lists them) is written with a leading apostrophe, as Excel itself
does; the importer removes it again. Control characters other than tabs and line breaks (NUL,
escape, …) are left out of names: no spreadsheet shows them and our importer refuses NUL.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from engage_desktop.core.engagement import reading_per_1000
from engage_desktop.core.exporting.files import atomic_output
from engage_desktop.core.store import Store
from engage_desktop.core.traffic_light import TrafficLight

# Column names are part of the file format (README documents them)
SERIES_COLUMNS = ("page_id", "page_name", "date", "followers", "fans", "talking_about",
                  "per_1000")
STATUS_COLUMNS = ("page_id", "page_name", "status", "followers", "talking_about", "per_1000",
                  "measure", "trend_28d", "as_of", "kind", "reason")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 and C1 controls and DEL, except tab, line feed and carriage return (a quoted cell holds
# those, and the formula guard covers a leading one)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _guarded(text: str) -> bool:
    # apostrophes already in front are counted too, so that the importer's removing one
    # apostrophe gives back exactly the text written ("'=x" is written "''=x")
    return text.lstrip("'").startswith(_FORMULA_STARTS)


def safe_text(text: str) -> str:
    """A text cell a spreadsheet will not run: a leading apostrophe before = + - @, a tab or a
    carriage return."""
    return "'" + text if _guarded(text) else text


def unsafe_text(text: str) -> str:
    """The text :func:`safe_text` protected."""
    return text[1:] if text.startswith("'") and _guarded(text[1:]) else text


def safe_name(name: str) -> str:
    """A Page's name as a cell: without control characters, protected like any text."""
    return safe_text(_CONTROLS.sub("", name))


def write_status(light: TrafficLight, path: Path, *, force: bool = False) -> Path:
    """The traffic light as a CSV file (one row per Page, worst first)."""
    rows = []
    for row in light.rows:
        record = row.as_json()
        rows.append([safe_text(record["page_id"]), safe_name(record["name"]), record["status"],
                     _cell(record["followers"]), _cell(record["talking_about"]),
                     _cell(record["per_1000"]), record["measure"], _cell(record["trend_28d"]),
                     record["as_of"] or "", record["kind"], safe_text(record["reason"])])
    return _write(path, STATUS_COLUMNS, rows, force=force)


def write_series(store: Store, page_ids: Sequence[str], first: date, last: date, path: Path,
                 *, force: bool = False) -> Path:
    """Each chosen Page's daily readings from ``first`` to ``last`` (the last reading of each
    UK day; days without one are left out, never written as zero)."""
    pages = {page.id: page for page in store.pages()}

    def rows() -> Iterable[list[str]]:
        for page_id in page_ids:
            name = pages[page_id].name
            for point in store.daily_series(page_id, first, last):
                ratio = reading_per_1000(point)
                yield [safe_text(page_id), safe_name(name), point.day.isoformat(),
                       _cell(point.followers), _cell(point.fans), _cell(point.talking_about),
                       "" if ratio is None else f"{ratio:.2f}"]

    return _write(path, SERIES_COLUMNS, rows(), force=force)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]], *,
           force: bool) -> Path:
    with atomic_output(path, force=force) as temporary, \
            temporary.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
