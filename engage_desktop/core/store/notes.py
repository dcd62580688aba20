"""The ``notes`` table: the officer's notes of what happened on a day (a campaign, a
storm), for one Page or for all, drawn on charts and carried into exports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from engage_desktop.core import errors
from engage_desktop.core.models import Note
from engage_desktop.core.store import cells
from engage_desktop.core.store.connection import Connection

_GOOD_DAY = cells.cell_ok("day", "day")


class Notes:
    """Reads and writes of the ``notes`` table."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, day: date, text: str, page_id: str | None = None) -> bool:
        """Note what happened on a day, for one Page or (``page_id=None``) for all.

        Returns ``False`` when the same note was already there.
        """
        text = _note_text(text)
        with self._c.transaction():
            cursor = self._c.conn.execute(
                "INSERT OR IGNORE INTO notes (page_id, day, text) VALUES (?, ?, ?)",
                [page_id, day.isoformat(), text])
        return cursor.rowcount == 1

    def update(self, note_id: int, text: str, page_id: str | None = None,
                          day: date | None = None) -> None:
        """Change a note: its text, whom it is for (``page_id=None``: all Pages) and, when
        ``day`` is given, its day (otherwise the day stays)."""
        text = _note_text(text)
        day_text = None if day is None else day.isoformat()
        try:
            with self._c.transaction():
                cursor = self._c.conn.execute(
                    "UPDATE notes SET text = ?, page_id = ?, day = ifnull(?, day) "
                    "WHERE id = ?", [text, page_id, day_text, note_id])
        except errors.InvalidDataError:
            if self._clashes(note_id, text, page_id, day_text):
                raise errors.EngageError(
                    "That note is already there.",
                    "The same note is already on that day for the same Pages: change the "
                    "text, or delete this one instead.") from None
            raise
        if cursor.rowcount == 0:
            raise errors.EngageError("That note is no longer there.",
                                     "It may have been deleted in another window.")

    def delete(self, note_id: int) -> bool:
        """Remove a note; ``False`` when it was not there."""
        with self._c.transaction():
            cursor = self._c.conn.execute("DELETE FROM notes WHERE id = ?",
                                       [note_id])
        return cursor.rowcount == 1

    def _clashes(self, note_id: int, text: str, page_id: str | None,
                            day: str | None) -> bool:
        row = self._c.conn.execute(
            "SELECT 1 FROM notes AS other, notes AS this WHERE this.id = ? "
            "AND other.id != this.id AND ifnull(other.page_id, '') = ifnull(?, '') "
            "AND other.day = ifnull(?, this.day) AND other.text = ?",
            [note_id, page_id, day, text]).fetchone()
        return row is not None

    def between(self, first: date, last: date,
                    page_ids: Sequence[str] | None = None) -> list[Note]:
        """Notes from ``first`` to ``last``: those for all Pages, and those for ``page_ids``
        (or for every Page when ``page_ids`` is None)."""
        # with the notes whose day is unreadable (and so in no range), to report them
        sql = (f"SELECT *, {cells.problem('notes')} AS problem FROM notes "
               f"WHERE (day >= ? AND day <= ? OR NOT {_GOOD_DAY})")
        params: list[Any] = [first.isoformat(), last.isoformat()]
        if page_ids is not None:
            marks = ", ".join("?" for _ in page_ids)
            sql += f" AND (page_id IS NULL OR page_id IN ({marks}))"
            params.extend(page_ids)
        rows = self._c.readable("notes", self._c.rows(sql + " ORDER BY day, id", params))
        return [Note(row["id"], row["page_id"], date.fromisoformat(row["day"]), row["text"])
                for row in rows]

    def remove_all(self) -> None:
        """Remove every note (the demo's own, when it writes its data afresh)."""
        with self._c.transaction():
            self._c.conn.execute("DELETE FROM notes")


def _note_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise errors.EngageError("A note needs some text.",
                                 "Say what happened on that day, for example 'Storm Bert'.")
    return text
