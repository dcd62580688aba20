"""The ``import`` command: Meta Business Suite exports, classic Insights exports and
spreadsheets, checked whole before anything is written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engage_desktop.cli import exits, render
from engage_desktop.cli.database import db_path, refuse_if_read_only
from engage_desktop.cli.options import column_arg, day_arg, followers_arg, year_arg
from engage_desktop.cli.registry import Arg, command


@command("import", help="import Meta Business Suite and spreadsheet files",
         description="Import Meta Business Suite exports (metric or post files, CSV or .xlsx), "
                     "classic Page Insights exports, spreadsheets with a date column and "
                     "followers / likes / talking-about columns, or this program's data "
                     "export. The files are checked first; nothing is written if any file has "
                     "a problem or a question is open. Without --db the default database is "
                     "used (and made, on a machine that has none yet).",
         arguments=(
             Arg("files", nargs="+", metavar="FILE", type=Path),
             Arg("--page", metavar="PAGE",
                 help="the Page for files that do not name one: an existing Page's name, ID "
                      "or address, or a name for a new Page"),
             Arg("--followers", type=followers_arg, metavar="N[@YYYY-MM-DD]",
                 help="a follower total, when the files do not hold it: today's, or the one "
                      "on the day given after @"),
             Arg("--on", type=day_arg, metavar="YYYY-MM-DD",
                 help="the day an Audience export's follower total is from (the file does "
                      "not say)"),
             Arg("--year", type=year_arg, metavar="YYYY",
                 help="the year that dates written without one (such as 12 Feb) start in; "
                      "they move on a year where they pass from December into January"),
             Arg("--dates", choices=["dmy", "mdy"],
                 help="how to read dates such as 03/04/2024 in files whose own dates do not "
                      "settle it: dmy (UK, 3 April) or mdy (US, 4 March); a file with a day "
                      "above 12 is read in the order that settles"),
             Arg("--column", action="append", default=[], metavar="HEADER=FIELD",
                 type=column_arg,
                 help="read a column (of a spreadsheet or classic export) as date, "
                      "followers, fans (likes), talking_about, page_name, page_id or ignore "
                      "(repeatable)"),
             Arg("--replace-synced", action="store_true",
                 help="imported numbers replace synced ones for the same day (by default "
                      "synced numbers win)"),
             Arg("--dry-run", action="store_true",
                 help="check the files and say what would change; write nothing"),
             Arg("--skip-bad-rows", action="store_true",
                 help="import even though some rows cannot be read (they are listed and left "
                      "out); without it such files are not imported, and a dry run says so "
                      "too"),
             Arg("--keep-breakdowns", action="store_true",
                 help="also keep classic exports' breakdown columns (by city, country, age, "
                      "story type…) as Insights values; by default only Page-level figures "
                      "are kept"),
             Arg("--json", action="store_true", help="print the preview as JSON")),
         writes=True)  # a dry run too: its preview works in the database
def import_files(args: argparse.Namespace) -> int:
    import tempfile

    from engage_desktop.core.importing import Importer, ImportOptions, Order
    from engage_desktop.core.store import open_store

    followers, followers_on = args.followers or (None, None)
    options = ImportOptions(page=args.page, followers=followers, followers_on=followers_on,
                            dates=Order(args.dates) if args.dates else None,
                            columns=dict(args.column), replace_synced=args.replace_synced,
                            on=args.on, year=args.year, skip_bad_rows=args.skip_bad_rows,
                            keep_breakdowns=args.keep_breakdowns)
    path = db_path(args)

    def go_ahead(preview) -> bool:
        return preview.ready and preview.changes > 0 and not args.dry_run

    if not path.exists():
        # Importing can start a database, but only an import that goes ahead makes one: the
        # files are checked against an empty scratch database first.
        with tempfile.TemporaryDirectory() as scratch, \
                open_store(Path(scratch) / "check.sqlite") as store:
            preview = Importer(store, args.files, options).preview()
    if path.exists() or go_ahead(preview):
        with open_store(path, read_only=args.read_only) as store:
            # before the files are read (a dry run too: its preview works in the database)
            refuse_if_read_only(store, args)
            importer = Importer(store, args.files, options)
            preview = importer.preview()
            if go_ahead(preview):
                importer.commit()
            for warning in store.warnings:
                print(f"engage-desktop: {warning}", file=sys.stderr)
    if args.json:
        render.print_json(preview.as_json())
    else:
        print(render.import_text(preview, dry_run=args.dry_run))
    return exits.for_import(preview, dry_run=args.dry_run)
