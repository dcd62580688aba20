"""What a readable cell is, for each column of each table, checked in SQL.

People edit the database with Datasette, sqlite-utils and Excel, and SQLite stores whatever they
type (text in a number column, a blob, a negative count, a date Excel reformatted). Every read
asks SQLite, with the expressions built here, which cell of a row is unreadable: such a row is
left out and reported in words (``left_out``), and the rest of the database works.
"""

from __future__ import annotations

from datetime import date

from engage_desktop.core.models import (
    ALERT_KINDS,
    MAX_COUNT,
    PAGE_KINDS,
    READING_SOURCES,
    RUN_STATUSES,
)

# The kinds of cell: a trailing "?" allows NULL.
_TEXT = "typeof({c}) = 'text'"
_CHECKS = {
    "text": _TEXT,
    # an instant as this program writes it: UTC, whole seconds, a "Z" (2026-03-03T09:12:00Z)
    "instant": _TEXT + " AND strftime('%Y-%m-%dT%H:%M:%SZ', {c}) IS {c} AND {c} >= '1900'",
    # shaped like an instant: cheaper, for readings only averaged in SQL (a hot path)
    "stamp": "{c} GLOB "
             "'[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'",
    "day": _TEXT + " AND date({c}) IS {c} AND {c} >= '1900'",
    "count": f"typeof({{c}}) = 'integer' AND {{c}} BETWEEN 0 AND {MAX_COUNT}",
    "integer": "typeof({c}) = 'integer'",
    "flag": "typeof({c}) = 'integer' AND {c} IN (0, 1)",
    "number": "typeof({c}) IN ('integer', 'real') AND abs({c}) < 1e15",
    "object": _TEXT + " AND json_valid({c}) AND json_type({c}) = 'object'",
}


def _one_of(values: tuple[str, ...]) -> str:
    return _TEXT + " AND {c} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


_TABLES: dict[str, dict[str, str]] = {
    "pages": {
        "id": "text", "name": "text", "kind": _one_of(PAGE_KINDS), "username": "text?",
        "link": "text?", "category": "text?", "followed": "flag", "added_at": "instant",
        "token_status": _one_of(("ok", "missing", "needs_reconnect")),
        "token_checked_at": "instant?", "description": "text?", "token_problem": "text?"},
    "readings": {
        "page_id": "text", "taken_at": "instant", "followers": "count?", "fans": "count?",
        "talking_about": "count?", "npe": "flag?", "source": _one_of(READING_SOURCES),
        "sync_run_id": "integer?"},
    "insights": {
        "page_id": "text", "metric": "text", "period": "text", "end_time": "instant",
        "value": "number?", "source": _one_of(("graph", "import"))},
    "metric_status": {
        "page_id": "text", "metric": "text", "available": "flag", "last_ok_at": "instant?",
        "unavailable_since": "instant?", "last_error": "text?", "covered_from": "day?",
        "covered_until": "day?"},
    "notes": {"id": "integer", "page_id": "text?", "day": "day", "text": "text"},
    "sync_runs": {
        "id": "integer", "started_at": "instant", "finished_at": "instant?",
        "status": _one_of(RUN_STATUSES), "pages_ok": "count", "pages_failed": "count",
        "requests": "count", "api_version": "text?", "resume_after": "instant?",
        "message": "text?"},
    "sync_errors": {
        "id": "integer", "run_id": "integer", "page_id": "text?", "code": "integer?",
        "subcode": "integer?", "kind": "text", "message": "text"},
    "alerts": {
        "id": "integer", "page_id": "text", "kind": _one_of(ALERT_KINDS), "day": "day",
        "numbers": "object", "sentence": "text", "created_at": "instant",
        "seen_at": "instant?"},
}

# What a row of each table is called, one and many.
NOUNS = {"pages": ("Page", "Pages"), "readings": ("reading", "readings"),
         "insights": ("Insights value", "Insights values"),
         "metric_status": ("record of a metric Meta gives", "records of metrics Meta gives"),
         "notes": ("note", "notes"), "sync_runs": ("sync run", "sync runs"),
         "sync_errors": ("sync error", "sync errors"), "alerts": ("alert", "alerts")}


def cell_ok(kind: str, column: str) -> str:
    """SQL true when the cell ``column`` is readable as ``kind`` ("instant", "count?"…)."""
    optional = kind.endswith("?")
    check = _CHECKS.get(kind.rstrip("?"), kind.rstrip("?")).format(c=column)
    return f"({column} IS NULL OR ({check}))" if optional else f"({check})"


def _shown(column: str) -> str:
    """SQL for a cell's value in words: 'lots', -5, 1.5, empty, binary data."""
    return (f"CASE typeof({column}) WHEN 'null' THEN 'empty' "
            f"WHEN 'blob' THEN 'binary data' "
            f"WHEN 'text' THEN CASE WHEN length({column}) > 40 "
            f"THEN quote(substr({column}, 1, 40)) || '…' ELSE quote({column}) END "
            f"ELSE quote({column}) END")


def problem(table: str, alias: str = "") -> str:
    """SQL naming a row's first unreadable cell ("followers = 'lots'"); NULL when it is fine."""
    prefix = f"{alias}." if alias else ""
    cases = " ".join(
        f"WHEN NOT {cell_ok(kind, prefix + column)} "
        f"THEN '{column} = ' || {_shown(prefix + column)}"
        for column, kind in _TABLES[table].items())
    return f"(CASE {cases} END)"


def readable(table: str, alias: str = "") -> str:
    """SQL true for a row whose cells are all readable."""
    prefix = f"{alias}." if alias else ""
    return "(" + " AND ".join(cell_ok(kind, prefix + column)
                              for column, kind in _TABLES[table].items()) + ")"


def left_out(table: str, count: int, example: str, *, of: str = "",
             first: date | None = None, last: date | None = None) -> str:
    """The warning for ``count`` unreadable rows of ``table`` (of one Page, between two days):
    "1 reading of Kelderby Libraries on 3 Mar 2026 is unreadable: followers = 'lots'. It is
    left out; correct or delete it in the readings table."."""
    one, many = NOUNS[table]
    what = f"1 {one}" if count == 1 else f"{count:,} {many}"
    if of:
        what += f" of {of}"
    if first and last:
        what += (f" on {first.day} {first:%b %Y}" if first == last else
                 f" from {first.day} {first:%b %Y} to {last.day} {last:%b %Y}")
    if count == 1:
        return (f"{what} is unreadable: {example}. It is left out; correct or delete it in the "
                f"{table} table.")
    return (f"{what} are unreadable, for example {example}. They are left out; correct or "
            f"delete them in the {table} table.")
