"""Reading cells and column titles the same way in every format: a count from a cell, a
title in the form it is matched in, and which column holds which field.
"""

from __future__ import annotations

import re

from engage_desktop.core.importing.tables import ImportFileError, Table
from engage_desktop.core.models import MAX_COUNT
from engage_desktop.core.wording import short

QUOTED = 30  # characters of a cell quoted in a message, at most


def norm(text: str) -> str:
    """A cell as titles are matched: no byte-order mark or quotes, lower case, single spaces."""
    return " ".join(text.replace("\ufeff", "").strip().strip('"').lower().split())


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "metric"


def number(text: str) -> float | None:
    """A count from a cell: None when empty; ValueError with the reason otherwise."""
    try:  # the common case: a plain count
        value = float(text)
    except ValueError:
        pass
    else:
        if 0 <= value <= MAX_COUNT and "_" not in text:
            return value
    cell = text.strip()
    if cell in ("", "-", "–", "n/a", "N/A", "NA", "null"):
        return None
    if cell.startswith("="):
        raise ValueError(f"{short(cell, QUOTED)!r} is a formula, not a number (formulas are never "
                         "run)")
    plain = cell.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if "_" in plain:
        raise ValueError(f"{short(cell, QUOTED)!r} is not a number")
    try:
        value = float(plain)
    except ValueError:
        raise ValueError(f"{short(cell, QUOTED)!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{short(cell, QUOTED)!r} is not a number")
    if value < 0:
        raise ValueError(f"{short(cell, QUOTED)} is negative: a count cannot be")
    if value > MAX_COUNT:
        raise ValueError(f"{short(cell, QUOTED)} is far larger than any Facebook audience")
    return value


def cell_at(cells: tuple[str, ...], index: int | None) -> str:
    """The cell in column ``index`` of a row, stripped ("" when the row is shorter)."""
    return cells[index].strip() if index is not None and index < len(cells) else ""


def day_like(text: str) -> bool:
    return text.strip()[:1].isdigit()


def header_map(header: tuple[str, ...], known: dict[str, str],
               override: dict[str, str]) -> dict[int, str]:
    """Which column holds which field: the officer's choices (``override``) first, then the
    titles a format knows; "ignore" leaves a column out, and a field's first column counts."""
    found: dict[int, str] = {}
    overrides = {norm(k): v for k, v in override.items()}
    for index, title in enumerate(header):
        name = norm(title)
        target = overrides.get(name, known.get(name))
        if target and target != "ignore" and target not in found.values():
            found[index] = target
    return found


def require(table: Table, found: dict[int, str], field: str, what: str) -> None:
    """ImportFileError unless a column holds ``field`` (``what`` names it for the officer)."""
    if field not in found.values():
        raise ImportFileError(table.path, f"{what} is missing (or set to be ignored).",
                              "Check the file's column titles and the columns chosen.", 1)
