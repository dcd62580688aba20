"""The ``pages`` table: the Pages followed, what Meta says of them, whether the keyring holds
their token, and the officer's description of them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from engage_desktop.core import errors
from engage_desktop.core.models import Page, PageInfo, TokenStatus
from engage_desktop.core.store import cells
from engage_desktop.core.store.connection import Connection, optional_time
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, utc_now

PAGE_PROBLEM = cells.problem("pages")
PAGE_PROBLEM_P = cells.problem("pages", "p")
GOOD_PAGE = cells.readable("pages")


class Pages:
    """Reads and writes of the ``pages`` table."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def upsert(self, pages: Iterable[PageInfo]) -> None:
        """Add Pages, or refresh what Meta says about known ones.

        A known Page keeps whether it is followed, its description, its token status and the date
        it was added.
        """
        now = to_utc_text(utc_now())
        rows = [(page.id, page.name, page.username, page.link, page.category, page.kind, now)
                for page in pages]
        with self._c.transaction():
            self._c.conn.executemany(
                """
                INSERT INTO pages (id, name, username, link, category, kind, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, username = excluded.username,
                    link = excluded.link, category = excluded.category, kind = excluded.kind
                """,
                rows,
            )

    def all(self, *, followed_only: bool = False) -> list[Page]:
        where = "WHERE followed = 1" if followed_only else ""
        rows = self._c.readable("pages", self._c.rows(
            f"SELECT *, {PAGE_PROBLEM} AS problem FROM pages {where} ORDER BY name, id"))
        return [page_from_row(row) for row in rows]

    def page(self, page_id: str) -> Page | None:
        rows = self._c.readable("pages", self._c.rows(
            f"SELECT *, {PAGE_PROBLEM} AS problem FROM pages WHERE id = ?", [page_id]))
        return page_from_row(rows[0]) if rows else None

    def find(self, ref: str) -> Page | None:
        """A Page by its ID or its username (any case)."""
        rows = self._c.readable("pages", self._c.rows(
            f"SELECT *, {PAGE_PROBLEM} AS problem FROM pages WHERE id = ? OR "
            "lower(username) = lower(?) ORDER BY id = ? DESC LIMIT 1", [ref, ref, ref]))
        return page_from_row(rows[0]) if rows else None

    def followed(self, page_ids: Iterable[str]) -> set[str]:
        """Which of these Pages are still in the database and followed (one may be forgotten
        while a sync runs: the sync asks this in the transaction that writes for them)."""
        rows = self._c.rows("SELECT id FROM pages WHERE followed = 1 AND id IN "
                            "(SELECT value FROM json_each(?))", [json.dumps(list(page_ids))])
        return {row["id"] for row in rows}

    def set_followed(self, page_ids: Sequence[str], followed: bool) -> None:
        with self._c.transaction():
            self._c.conn.executemany("UPDATE pages SET followed = ? WHERE id = ?",
                                     [(int(followed), page_id) for page_id in page_ids])

    def set_description(self, page_id: str, description: str) -> None:
        """The officer's own description of a Page (who runs it, what it is for); empty
        clears it. Names come from Meta and are never edited here."""
        text = description.strip()
        if len(text) > 2000:
            raise errors.EngageError("A Page's description is limited to 2,000 characters.",
                                     "Shorten it, or keep longer text elsewhere.")
        with self._c.transaction():
            self._c.conn.execute("UPDATE pages SET description = ? WHERE id = ?",
                                 [text or None, page_id])

    def set_token_status(self, page_ids: Sequence[str], status: TokenStatus,
                         problem: str | None = None) -> None:
        """Record whether the keyring holds a working token for these Pages (never the
        token), and why not in words."""
        now = to_utc_text(utc_now())
        with self._c.transaction():
            self._c.conn.executemany(
                "UPDATE pages SET token_status = ?, token_problem = ?, token_checked_at = ? "
                "WHERE id = ?", [(status, problem, now, page_id) for page_id in page_ids])

    def delete(self, page_ids: Sequence[str]) -> None:
        """Remove Pages with their readings, Insights and notes."""
        with self._c.transaction():
            self._c.conn.executemany("DELETE FROM pages WHERE id = ?",
                                     [(page_id,) for page_id in page_ids])

    def named(self, name: str) -> Page | None:
        """The Page with this name (any case; the lowest ID when several share it)."""
        rows = self._c.rows("SELECT id FROM pages WHERE lower(name) = lower(?) ORDER BY id "
                            "LIMIT 1", [name.strip()])
        return self.page(rows[0]["id"]) if rows else None

    def remove_all(self) -> None:
        """Remove every Page, with its readings, Insights and notes (the demo's own, when it
        writes its data afresh)."""
        with self._c.transaction():
            self._c.conn.execute("DELETE FROM pages")


def page_from_row(row: sqlite3.Row) -> Page:
    """A Page from its row."""
    return Page(
        id=row["id"], name=row["name"], kind=row["kind"], username=row["username"],
        link=row["link"], category=row["category"], followed=bool(row["followed"]),
        added_at=from_utc_text(row["added_at"]), token_status=row["token_status"],
        token_checked_at=optional_time(row["token_checked_at"]), description=row["description"],
        token_problem=row["token_problem"])

