"""Which database a command works on, and opening it with the command's read-only policy."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from engage_desktop.core import paths
from engage_desktop.core.errors import EngageError

if TYPE_CHECKING:
    from datetime import date

    from engage_desktop.core.store import Store


def db_path(args: argparse.Namespace) -> Path:
    if args.demo:
        return paths.demo_db_path()
    return Path(args.db).expanduser() if args.db else paths.default_db_path(os.environ)


def refuse_if_read_only(store: Store, args: argparse.Namespace) -> None:
    """Refuse at once (exit 6), before anything is done, when the command writes to the
    database this run (as the registry declares) and it is open read-only."""
    if args.declared.writes_for(args):
        store.ensure_writable()


@contextlib.contextmanager
def open_database(args: argparse.Namespace) -> Iterator[Store]:
    """Open the chosen database for a command that uses an existing one (one that writes is
    refused at once when it is open read-only); the demo database is made on first use, a
    missing real one is an error (a typo must not create an empty file). The store's warnings
    (network folder, broken settings) go to standard error at the end."""
    from engage_desktop.core.store import open_store

    path = db_path(args)
    if args.demo and not path.exists():
        from engage_desktop.core.demo import write_demo

        with open_store(path) as store:
            write_demo(store)
    with open_store(path, create=False, read_only=args.read_only) as store:
        refuse_if_read_only(store, args)
        try:
            yield store
        finally:
            print_warnings(store)


def print_warnings(store: Store, prefix: str = "Warning: ") -> None:
    for warning in store.warnings:
        print(f"{prefix}{warning}", file=sys.stderr)


def chosen_pages(store: Store, refs: Sequence[str]) -> list[str]:
    """Page IDs for what was typed (IDs or usernames); every followed Page when nothing was."""
    if not refs:
        return [page.id for page in store.pages(followed_only=True)]
    found = []
    for ref in refs:
        page = store.find_page(ref)
        if page is None:
            raise EngageError(f"There is no Page {ref!r} in this database.",
                              "Run 'engage-desktop pages' to see their IDs.")
        found.append(page.id)
    return found


def resolve_range(store: Store, value) -> tuple[date, date]:
    """The first and last day of a --range value (see ``options.date_range``)."""
    from datetime import timedelta

    from engage_desktop.core.timeutil import uk_day, utc_now

    today = uk_day(utc_now())
    if isinstance(value, tuple):
        return value
    if value is None:
        return store.first_day(today), today
    return today - timedelta(days=value - 1), today
