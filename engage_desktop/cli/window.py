"""What runs without a command: the window and the self-test."""

from __future__ import annotations

import argparse
import os

from engage_desktop.cli.database import db_path
from engage_desktop.cli.drawing import before_drawing
from engage_desktop.cli.exits import EXIT_OK
from engage_desktop.core import paths


def open_window(args: argparse.Namespace) -> int:
    """No command: open the window (on the default database, --db, or --demo)."""
    # The database is opened, and its traffic light read on a thread of its own, before Qt is
    # imported: the read overlaps Qt's loading, and PySide6 inspects the source of every module
    # imported after it, which would cost start-up time for nothing.
    from engage_desktop.core.opening import Opening

    explicit = bool(args.db) or bool(os.environ.get(paths.DB_ENV))
    opening = Opening(db_path(args), demo=args.demo, create=not explicit,
                      read_only=args.read_only)
    from engage_desktop.ui.app import exit_now, run_window

    exit_now(run_window(opening, quit_when_ready=args.quit_when_ready))
    return EXIT_OK  # not reached


def self_test(args: argparse.Namespace) -> int:
    """--self-test: check that the program works on this computer."""
    from engage_desktop.core import interrupts

    with interrupts.held():  # it loads Qt: see exports.export_chart
        before_drawing()
        from engage_desktop import selftest

        return selftest.run(as_json=args.self_test_json, database=db_path(args))
