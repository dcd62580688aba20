"""The ``demo`` command: a fictional council's Pages written to a database."""

from __future__ import annotations

import argparse
import os

from engage_desktop.cli import render
from engage_desktop.cli.database import db_path, refuse_if_read_only
from engage_desktop.cli.exits import EXIT_OK
from engage_desktop.cli.options import MAX_DAYS, positive
from engage_desktop.cli.registry import Arg, command
from engage_desktop.core import paths


@command("demo", help="write demo data to a database",
         description="Write a fictional council's Pages with daily readings. Without --db the "
                     "demo database is used; a database holding real data is refused.",
         arguments=(
             Arg("--pages", type=positive, default=12, help="how many Pages (default 12)"),
             Arg("--days", type=positive, default=730,
                 help=f"days of readings up to today (default 730, at most {MAX_DAYS:,})"),
             Arg("--seed", type=int, default=2026, help="random seed (default 2026)")),
         writes=True)
def demo(args: argparse.Namespace) -> int:
    from engage_desktop.core.demo import write_demo
    from engage_desktop.core.store import open_store

    # --db or ENGAGE_DB when given (a file holding real data is refused), else the demo file
    path = db_path(args) if args.db or os.environ.get(paths.DB_ENV) else paths.demo_db_path()
    with open_store(path, read_only=args.read_only) as store:
        refuse_if_read_only(store, args)
        summary = write_demo(store, pages=args.pages, days=args.days, seed=args.seed)
    print(render.demo_text(path, summary))
    return EXIT_OK
