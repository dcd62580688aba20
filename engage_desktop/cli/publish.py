"""The ``publish`` command: a copy of the database for the team (Datasette)."""

from __future__ import annotations

import argparse
from pathlib import Path

from engage_desktop.cli import render
from engage_desktop.cli.database import open_database
from engage_desktop.cli.exits import EXIT_OK
from engage_desktop.cli.registry import Arg, command


@command("publish", help="publish a copy for the team (Datasette)",
         description="Write a consistent copy of the database into FOLDER as engage.sqlite, "
                     "with the traffic light as a table and metadata.json for Datasette, so "
                     "colleagues can read the same history. Safe while a sync runs; the "
                     "database itself is only read, and no token is in it. A copy published "
                     "before in FOLDER is replaced whole; any other engage.sqlite is refused.",
         arguments=(Arg("folder", type=Path, metavar="FOLDER",
                        help="the team's folder (made if its parent folder exists)"),))
def publish_copy(args: argparse.Namespace) -> int:
    from engage_desktop.core.publishing import publish

    with open_database(args) as store:
        published = publish(store, args.folder)
    print(render.published_text(published))
    return EXIT_OK
