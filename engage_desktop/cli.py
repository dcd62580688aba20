"""The command line: every non-visual job, over the same core as the window.

Exit codes: 0 done; 1 the job could not be done (the message says why and what to do);
2 the command was not understood; 3 done in part (some Pages failed); 4 no usable token (Meta
rejected it); 5 the network could not be reached; 6 the database is open read-only (a copy
published for the team, ``--read-only``, or a file that cannot be written), so a command that
writes to it refused.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from engage_desktop import __version__
from engage_desktop.core import paths
from engage_desktop.core.engagement import Status
from engage_desktop.core.errors import EngageError
from engage_desktop.core.redaction import install_log_redaction, redact
from engage_desktop.core.timeutil import UK, to_utc_text

if TYPE_CHECKING:
    from engage_desktop.core.store import Store

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_NO_TOKEN = 4
EXIT_OFFLINE = 5
EXIT_READ_ONLY = 6
EXIT_INTERRUPTED = 130  # stopped by Ctrl+C, as shells report it (128 + SIGINT)
MAX_DAYS = 20 * 366  # demo sizes: twenty years of days, or Pages


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(argv)
    except KeyboardInterrupt:
        # Ctrl+C: what was committed stays; an unfinished change was rolled back.
        print("engage-desktop: stopped (Ctrl+C). What was saved before is kept; nothing was "
              "saved half way.", file=sys.stderr)
        code = EXIT_INTERRUPTED
    if "PySide6.QtWidgets" in sys.modules:
        # A command that drew with Qt leaves without the interpreter's teardown of Qt's
        # objects, which is slow and has crashed on the way out (a failed or interrupted
        # export as much as a finished one).
        from engage_desktop.ui.app import exit_now

        exit_now(code)
    return code


def _main(argv: Sequence[str] | None) -> int:
    # No standard output or error at all (closed with >&-, or the windowed build run as a
    # scheduled task): what would be printed goes nowhere, the job is still done.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the process)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    # Status shapes must never crash a console that cannot show them (Windows code pages).
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if sys.stdout.isatty():
        sys.stdout = _Printable(sys.stdout)
    if sys.stderr.isatty():
        sys.stderr = _Printable(sys.stderr)
    install_log_redaction()
    parser = _parser()
    args = parser.parse_args(argv)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr,
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.db is not None and not args.db.strip():
        parser.error("--db needs the path of a database file")
    if args.db and args.demo:
        parser.error("--db and --demo choose different databases: give one of them")
    if args.self_test_json and not args.self_test:
        parser.error("--json before the command goes with --self-test; for a command's JSON, "
                     "put --json after it (engage-desktop status --json)")
    if args.self_test:
        from engage_desktop.core import interrupts

        with interrupts.held():  # it loads Qt: see _export_chart
            _headless_if_needed()
            _core_before_qt()
            from engage_desktop import selftest

            return selftest.run(as_json=args.self_test_json, database=_db_path(args))
    if args.command is None:
        return _window(args)
    try:
        return args.handler(args)
    except EngageError as exc:
        print(f"engage-desktop: {exc}", file=sys.stderr)
        return _exit_code(exc)
    except BrokenPipeError:
        # The reader went away (``status | head``): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as exc:
        # A bug, not a situation we know: say so plainly (redacted), with the details only
        # when asked for.
        if args.verbose:
            import traceback

            print(redact("".join(traceback.format_exception(exc))), file=sys.stderr)
        print(f"engage-desktop: something unexpected went wrong ({type(exc).__name__}: "
              f"{redact(str(exc))[:300]}). Run again with --verbose for details, and report "
              "it.", file=sys.stderr)
        return EXIT_FAILED


class _Printable(io.TextIOBase):
    """A terminal's stream that writes no control characters but tab and line break.

    Page names, notes and Meta's messages are printed as they are; an escape sequence in one
    (a Page named "\\x1b]0;…") would otherwise retitle, recolour or clear the officer's
    terminal. Files and pipes get the text unchanged."""

    _CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(self._CONTROLS.sub("\ufffd", text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return self._stream.encoding


def _exit_code(exc: EngageError) -> int:
    from engage_desktop.core.errors import ReadOnlyDatabaseError
    from engage_desktop.core.graph import TokenInvalidError
    from engage_desktop.core.net import NetworkError

    if isinstance(exc, ReadOnlyDatabaseError):
        return EXIT_READ_ONLY
    if isinstance(exc, TokenInvalidError):
        return EXIT_NO_TOKEN
    if isinstance(exc, NetworkError) and exc.kind != "config":
        return EXIT_OFFLINE
    return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="engage-desktop",
        description="Is anyone really talking to our Facebook Pages? Engage Desktop keeps a "
                    "local history of each Page's followers and 'people talking about this'. "
                    "Without a command it opens the window.")
    _add_database_options(parser, default_db=None, default_demo=False, default_read_only=False)
    parser.set_defaults(command=None)
    parser.add_argument("--version", action="version", version=f"engage-desktop {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log what happens to standard error (tokens are never logged)")
    parser.add_argument("--self-test", action="store_true",
                        help="check that Engage Desktop works on this computer (data folder, "
                             "SQLite, keyring, trust store, proxy, drawing) and say what to "
                             "fix; with --json, as JSON")
    parser.add_argument("--json", action="store_true", dest="self_test_json",
                        help=argparse.SUPPRESS)
    parser.add_argument("--quit-when-ready", action="store_true",
                        help="open the window, print table_ms=N chart_ms=M (milliseconds from "
                             "the start until each was on screen) and quit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = _command(
        commands, _demo, "demo", help="write demo data to a database",
        description="Write a fictional council's Pages with daily readings. Without --db the "
                    "demo database is used; a database holding real data is refused.")
    demo.add_argument("--pages", type=_positive, default=12, help="how many Pages (default 12)")
    demo.add_argument("--days", type=_positive, default=730,
                      help=f"days of readings up to today (default 730, at most {MAX_DAYS:,})")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    status = _command(
        commands, _status, "status", help="show the traffic light",
        description="The traffic light: talking about per 1,000 followers for every tracked "
                    "Page, from the latest reading no older than 8 days.")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    status.add_argument("--changes", action="store_true",
                        help="print what changed instead: the last 7 and 28 days against the "
                             "days before, most urgent first (with --json, a list of objects "
                             "with page_id, name, kind, window_days, before, after, numbers, "
                             "sentence)")

    thresholds = _command(
        commands, _thresholds, "thresholds", help="show or change the traffic-light thresholds",
        description="Show the traffic-light thresholds, or change them with the options.")
    thresholds.add_argument("--amber", type=float, help="amber from this many per 1,000")
    thresholds.add_argument("--green", type=float, help="green from this many per 1,000")
    thresholds.add_argument("--mode", choices=["absolute", "relative"],
                            help="absolute thresholds, or relative to the Pages shown")
    thresholds.add_argument("--measure", choices=["talking_about", "interactions"],
                            default="talking_about",
                            help="which measure's thresholds: talking about (the default), or "
                                 "interactions over 7 days, used for Pages without a "
                                 "talking-about figure")

    connect = _command(
        commands, _connect, "connect", help="connect a Facebook token and the Pages it manages",
        description="Read a Page, user or system-user token from standard input (never from "
                    "the command line), find the Pages it can read, keep each Page's token in "
                    "the operating system's keyring and follow those Pages.")
    connect.add_argument("--token-stdin", action="store_true", required=True,
                         help="read the token from standard input (required: a token on the "
                              "command line would be visible to other programs)")

    track = _command(
        commands, _track, "track", help="follow public Pages to compare with",
        description="Follow Pages you do not manage (other councils), by ID, username or "
                    "facebook.com address. Needs a connected user or system-user token.")
    track.add_argument("page", nargs="+", metavar="PAGE")

    pages = _command(commands, _pages, "pages", help="list the Pages in the database",
                                description="List the Pages, their tokens' state and their "
                                            "latest reading.")
    pages.add_argument("--json", action="store_true", help="print JSON instead of a table")

    forget = _command(
        commands, _forget, "forget", help="stop following Pages and remove their tokens",
        description="Stop following Pages and remove their tokens from the keyring. Their "
                    "history stays unless --purge is given.")
    forget.add_argument("page", nargs="+", metavar="PAGE", help="Page ID or username")
    forget.add_argument("--purge", action="store_true",
                        help="also delete the Pages' readings, Insights and notes")

    sync = _command(
        commands, _sync, "sync", help="read every followed Page from Meta into the history",
        description="One sync run: read followers, likes, talking-about and the New Pages "
                    "Experience flag of every followed Page, and the Insights of your own "
                    "Pages. Exit codes: 0 all Pages fine, 3 some Pages failed or Meta asked us "
                    "to wait, 4 no usable token, 5 the network could not be reached.")
    sync.add_argument("--json", action="store_true", help="print a JSON summary")
    sync.add_argument("--no-insights", action="store_true",
                      help="skip own Pages' Insights (faster)")
    _add_alerts_command(commands)

    imports = _command(
        commands, _import, "import", help="import Meta Business Suite and spreadsheet files",
        description="Import Meta Business Suite exports (metric or post files, CSV or .xlsx), "
                    "classic Page Insights exports, spreadsheets with a date column and "
                    "followers / likes / talking-about columns, or this program's data export. "
                    "The files are checked first; nothing is written if any file has a "
                    "problem or a question is open. Without --db the default database is "
                    "used (and made, on a machine that has none yet).")
    imports.add_argument("files", nargs="+", metavar="FILE", type=Path)
    imports.add_argument("--page", metavar="PAGE",
                         help="the Page for files that do not name one: an existing Page's "
                              "name, ID or address, or a name for a new Page")
    imports.add_argument("--followers", type=_followers_arg, metavar="N[@YYYY-MM-DD]",
                         help="a follower total, when the files do not hold it: today's, or "
                              "the one on the day given after @")
    imports.add_argument("--on", type=_day_arg, metavar="YYYY-MM-DD",
                         help="the day an Audience export's follower total is from (the file "
                              "does not say)")
    imports.add_argument("--year", type=_year_arg, metavar="YYYY",
                         help="the year that dates written without one (such as 12 Feb) "
                              "start in; they move on a year where they pass from December "
                              "into January")
    imports.add_argument("--dates", choices=["dmy", "mdy"],
                         help="how to read dates such as 03/04/2024 in files whose own dates "
                              "do not settle it: dmy (UK, 3 April) or mdy (US, 4 March); a file "
                              "with a day above 12 is read in the order that settles")
    imports.add_argument("--column", action="append", default=[], metavar="HEADER=FIELD",
                         type=_column_arg,
                         help="read a column (of a spreadsheet or classic export) as date, "
                              "followers, fans (likes), talking_about, page_name, page_id or "
                              "ignore (repeatable)")
    imports.add_argument("--replace-synced", action="store_true",
                         help="imported numbers replace synced ones for the same day (by "
                              "default synced numbers win)")
    imports.add_argument("--dry-run", action="store_true",
                         help="check the files and say what would change; write nothing")
    imports.add_argument("--skip-bad-rows", action="store_true",
                         help="import even though some rows cannot be read (they are listed "
                              "and left out); without it such files are not imported, and a "
                              "dry run says so too")
    imports.add_argument("--keep-breakdowns", action="store_true",
                         help="also keep classic exports' breakdown columns (by city, country, "
                              "age, story type…) as Insights values; by default only "
                              "Page-level figures are kept")
    imports.add_argument("--json", action="store_true", help="print the preview as JSON")

    export = commands.add_parser(
        "export", help="write charts, briefings or data files",
        description="Exports for briefings and spreadsheets, the same as the window's. An "
                    "existing file is kept unless --force is given; nothing half-written is "
                    "ever left behind.")
    kinds = export.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    data = _command(
        kinds, _export_data, "data", help="a CSV file of the traffic light or daily series",
        description="CSV (UTF-8 with a byte-order mark, for Excel). --what status: the traffic "
                    "light; --what series: each Page's daily readings, in the layout "
                    "'engage-desktop import' reads back.")
    data.add_argument("--out", required=True, type=Path, metavar="FILE.csv")
    data.add_argument("--what", choices=["status", "series"], default="status")
    data.add_argument("--page", nargs="+", metavar="PAGE", default=[],
                      help="Page IDs or usernames (default: every followed Page)")
    _add_range(data)
    data.add_argument("--force", action="store_true", help="replace an existing file")

    chart = _command(
        kinds, _export_chart, "chart", help="a chart image (PNG) or vector file (SVG, PDF)",
        description="A chart of one Page (followers, talking about, the rate per 1,000) or a "
                    "comparison of several Pages' rates, on white, with a title, the date "
                    "range and the source. Works without a display.")
    chart.add_argument("--page", nargs="+", metavar="PAGE", required=True,
                       help="Page IDs or usernames; several are compared on one chart")
    _add_range(chart)
    chart.add_argument("--format", choices=["png", "svg", "pdf"],
                       help="the file type (default: from the file name)")
    size = chart.add_mutually_exclusive_group()
    size.add_argument("--preset", choices=["slide", "document", "square"], default="slide",
                      help="slide: 1920×1080 for a 16:9 slide (the default); document: 16 cm "
                           "wide at 300 dpi; square: 1080×1080 for social posts")
    size.add_argument("--size", type=_pixel_size, metavar="WxH",
                      help="another size in pixels, such as 1600x900")
    chart.add_argument("--title", help="a title of your own")
    _add_line_choice(chart, average=False)
    chart.add_argument("--out", required=True, type=Path, metavar="FILE")
    chart.add_argument("--force", action="store_true", help="replace an existing file")

    briefing = _command(
        kinds, _export_briefing, "briefing", help="the briefing (A4, PDF or PNG)",
        description="A4 pages: a title, the traffic light for the chosen Pages (shape, word "
                    "and colour, so it prints in greyscale), their comparison chart over 12 "
                    "months (7-day averages, the daily values faint behind; --daily for the "
                    "daily values alone), what changed, the notes for the period and what the "
                    "measure means. More Pages than the first page holds continue on further pages "
                    "(in a PDF; as FILE-2.png, FILE-3.png… beside a PNG).")
    briefing.add_argument("--out", required=True, type=Path, metavar="FILE.pdf|FILE.png")
    briefing.add_argument("--page", nargs="+", metavar="PAGE", default=[],
                          help="Page IDs or usernames (default: every followed Page, worst "
                               "first)")
    briefing.add_argument("--title", help="a title of your own")
    _add_line_choice(briefing, average=True)
    briefing.add_argument("--force", action="store_true", help="replace an existing file")

    network = _command(
        commands, _network, "network", help="show or change how Engage Desktop reaches Meta",
        description="Show or change the proxy and the extra CA certificate (for organisations "
                    "that inspect web traffic). TLS is always verified, with the operating "
                    "system's trust store plus this file.")
    network.add_argument("--proxy", metavar="system|none|URL",
                         help="'system' (the default), 'none', or a proxy URL such as "
                              "http://proxy.council.gov.uk:8080")
    network.add_argument("--ca-file", metavar="PATH",
                         help="a PEM file with your organisation's root certificate "
                              "('' to remove it)")
    _add_publish(commands)
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse, but an error message never repeats a token someone typed as an argument."""

    def error(self, message: str) -> NoReturn:
        # An unrecognised argument may be a pasted token of any shape: hide long words.
        message = re.sub(r"[A-Za-z0-9_\-|.~+/=%]{24,}", "[redacted]", redact(message))
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _command(commands, handler, name: str, **texts: str) -> argparse.ArgumentParser:
    """A sub-command that takes --db / --demo and runs ``handler``."""
    parser = commands.add_parser(name, **texts)
    _add_database_options(parser)
    parser.set_defaults(handler=handler)
    return parser


def _window(args: argparse.Namespace) -> int:
    """No command: open the window (on the default database, --db, or --demo)."""
    # The database is opened, and its traffic light read on a thread of its own, before Qt is
    # imported: the read overlaps Qt's loading, and PySide6 inspects the source of every module
    # imported after it, which would cost start-up time for nothing.
    from engage_desktop.core.opening import Opening

    explicit = bool(args.db) or bool(os.environ.get(paths.DB_ENV))
    opening = Opening(_db_path(args), demo=args.demo, create=not explicit,
                      read_only=args.read_only)
    from engage_desktop.ui.app import exit_now, run_window

    exit_now(run_window(opening, quit_when_ready=args.quit_when_ready))
    return EXIT_OK  # not reached


def _add_database_options(parser: argparse.ArgumentParser, *,
                          default_db: object = argparse.SUPPRESS,
                          default_demo: object = argparse.SUPPRESS,
                          default_read_only: object = argparse.SUPPRESS) -> None:
    """--db, --demo and --read-only, accepted before or after the sub-command. The
    sub-commands' copies default to SUPPRESS, so a value given before the sub-command is not
    overwritten."""
    parser.add_argument("--db", metavar="PATH", default=default_db,
                        help=f"the database file (default: ${paths.DB_ENV}, or "
                             f"{paths.default_db_path({})})")
    parser.add_argument("--demo", action="store_true", default=default_demo,
                        help="use the demo database, kept apart from real data "
                             "(made on first use)")
    parser.add_argument("--read-only", action="store_true", dest="read_only",
                        default=default_read_only,
                        help="open the database without ever writing to it (as a copy "
                             "published for the team, or a file that cannot be written, "
                             "always is): commands that would write refuse")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and {MAX_DAYS:,}")
    return value


def _db_path(args: argparse.Namespace) -> Path:
    if args.demo:
        return paths.demo_db_path()
    return Path(args.db).expanduser() if args.db else paths.default_db_path(os.environ)


@contextlib.contextmanager
def _open(args: argparse.Namespace, *, writing: bool = False) -> Iterator[Store]:
    """Open the chosen database for a command that reads it (``writing``: that writes to it,
    refused at once, before anything is done, when it is open read-only); the demo database is
    made on first use, a missing real one is an error (a typo must not create an empty file).
    The store's warnings (network folder, broken settings) go to standard error at the end."""
    from engage_desktop.core.store import open_store

    path = _db_path(args)
    if args.demo and not path.exists():
        from engage_desktop.core.demo import write_demo

        with open_store(path) as store:
            write_demo(store)
    with open_store(path, create=False, read_only=args.read_only) as store:
        if writing:
            store.ensure_writable()
        try:
            yield store
        finally:
            for warning in store.warnings:
                print(f"Warning: {warning}", file=sys.stderr)


def _demo(args: argparse.Namespace) -> int:
    from engage_desktop.core.demo import write_demo
    from engage_desktop.core.store import open_store

    # --db or ENGAGE_DB when given (a file holding real data is refused), else the demo file
    path = _db_path(args) if args.db or os.environ.get(paths.DB_ENV) else paths.demo_db_path()
    with open_store(path, read_only=args.read_only) as store:
        store.ensure_writable()
        summary = write_demo(store, pages=args.pages, days=args.days, seed=args.seed)
    print(f"Wrote demo data to {path}: {summary.pages} Pages, {summary.readings:,} readings "
          f"from {summary.first_day:%d %b %Y} to {summary.last_day:%d %b %Y}, "
          f"{summary.annotations} notes.")
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from engage_desktop.core import changes, traffic_light

    with _open(args) as store:
        light = traffic_light.build(store)
        if args.changes:
            return _print_changes(changes.what_changed(store, light=light), args.json)
    if args.json:
        json.dump([row.as_json() for row in light.rows], sys.stdout, indent=2)
        print()
        return EXIT_OK
    if not light.rows:
        print("No Pages are tracked in this database yet. Connect a Facebook token, import "
              "Meta Business Suite files, or try the demo: engage-desktop --demo status")
        return EXIT_OK
    print(_status_table(light))
    return EXIT_OK


def _print_changes(found, as_json: bool) -> int:
    from engage_desktop.core import changes

    if as_json:
        json.dump([change.as_json() for change in found], sys.stdout, indent=2)
        print()
        return EXIT_OK
    print(f"{changes.HEADING}. {changes.SCOPE}")
    for change in found or []:
        print(f"- {change.sentence}")
    if not found:
        print(changes.NOTHING)
    return EXIT_OK


_COLUMNS = (("Status", "<", 9), ("Page", "<", 32), ("Followers", ">", 9), ("Talking", ">", 7),
            ("Per 1,000", ">", 9), ("Trend 28d", "<", 9), ("As of", "<", 17))


def _status_table(light) -> str:
    def line(cells: Sequence[str]) -> str:
        return "  ".join(f"{cell:{align}{width}}" for cell, (_, align, width)
                         in zip(cells, _COLUMNS, strict=True)).rstrip()

    lines = [line([name for name, _, _ in _COLUMNS])]
    notes, fallbacks = [], []
    for row in light.rows:
        latest = row.latest
        per_1000 = row.assessment.per_1000
        name = row.page.name if len(row.page.name) <= 32 else row.page.name[:31] + "…"
        lines.append(line([
            f"{row.status.shape} {row.status.word}",
            name,
            _count(row.audience),
            _count(latest.talking_about if latest else None),
            "–" if per_1000 is None else f"{per_1000:.1f}"
            + ("*" if row.assessment.measure == "interactions" else ""),
            row.trend.describe() if row.trend else "–",
            _when(latest.taken_at) if latest else "never",
        ]))
        if row.status is Status.NO_DATA:
            notes.append(f"  {row.page.name}: {row.assessment.reason}")
        elif row.assessment.measure == "interactions":
            fallbacks.append(f"  {row.page.name}: {row.assessment.reason}")
    lines += ["", light.summary(), light.thresholds.describe(),
              "Trend: the last 7 days' average per 1,000 against the same 7 days 28 days before."]
    if fallbacks:
        lines += ["", "* Interactions per 1,000 followers over 7 days, not talking about:",
                  *fallbacks]
    if notes:
        lines += ["", "No data:", *notes]
    return "\n".join(lines)


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _when(moment: datetime) -> str:
    return moment.astimezone(UK).strftime("%a %d %b %Y")


def _import(args: argparse.Namespace) -> int:
    import tempfile

    from engage_desktop.core.importing import Importer, ImportOptions, Order
    from engage_desktop.core.store import open_store

    followers, followers_on = args.followers or (None, None)
    options = ImportOptions(page=args.page, followers=followers, followers_on=followers_on,
                            dates=Order(args.dates) if args.dates else None,
                            columns=dict(args.column), replace_synced=args.replace_synced,
                            on=args.on, year=args.year, skip_bad_rows=args.skip_bad_rows,
                            keep_breakdowns=args.keep_breakdowns)
    path = _db_path(args)

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
            store.ensure_writable()
            importer = Importer(store, args.files, options)
            preview = importer.preview()
            if go_ahead(preview):
                importer.commit()
            for warning in store.warnings:
                print(f"engage-desktop: {warning}", file=sys.stderr)
    if args.json:
        json.dump(preview.as_json(), sys.stdout, indent=2)
        print()
    else:
        print(_describe_import(preview, dry_run=args.dry_run))
    # a dry run gives the verdict the import would: the same exit code
    return EXIT_OK if preview.committed or (
        preview.ready and (args.dry_run or not preview.changes)) else EXIT_FAILED


def _describe_import(preview, *, dry_run: bool) -> str:
    from engage_desktop.core.importing.formats import FORMAT_NAMES

    lines = []
    for report in preview.files:
        if report.problem:
            lines.append(f"{report.path.name}: cannot be imported: {report.problem}")
            continue
        span = (f", {report.first_day:%d %b %Y} to {report.last_day:%d %b %Y}"
                if report.first_day else "")
        lines.append(f"{report.path.name}: {FORMAT_NAMES.get(report.format, report.format)} "
                     f"({report.container}), {report.rows_read:,} rows read, "
                     f"{report.rows_used:,} used{span}")
        lines += [f"  {line}" for line in _columns_summary(report)]
        if report.date_order:
            lines.append(f"  {report.date_order}")
        lines += [f"  {note}" for note in report.notes]
        if report.skipped:
            lines.append(f"  {report.skipped:,} row{'s' if report.skipped != 1 else ''} "
                         "skipped:")
            lines += [f"    line {skip.line}: {skip.reason}" for skip in report.skips[:20]]
            if report.skipped > 20:
                lines.append(f"    … and {report.skipped - 20:,} more (--json lists "
                             f"{len(report.skips):,})")
    for page in preview.pages:
        parts = [f"{page.readings_new:,} new reading{'' if page.readings_new == 1 else 's'}"]
        if page.readings_changed:
            parts.append(f"{page.readings_changed:,} changed")
        if page.readings_unchanged:
            parts.append(f"{page.readings_unchanged:,} already there")
        if page.readings_synced_kept:
            parts.append(f"{page.readings_synced_kept:,} days kept as synced (--replace-synced "
                         "to use the file's numbers)")
        if page.readings_synced_replaced:
            parts.append(f"{page.readings_synced_replaced:,} synced days replaced")
        insights = page.insights_new + page.insights_changed
        if insights or page.insights_unchanged or page.insights_synced_kept:
            parts.append(f"{insights:,} Insights values to write"
                         + (f" ({page.insights_synced_kept:,} synced kept)"
                            if page.insights_synced_kept else ""))
        span = (f" ({page.first_day:%d %b %Y} to {page.last_day:%d %b %Y})"
                if page.first_day else "")
        lines.append(f"{page.name}{' (new Page)' if page.new else ''}{span}: "
                     + ", ".join(parts))
        if page.followers_from:
            lines.append(f"  followers from {page.followers_from}")
    hints = {"page": " (--page PAGE)", "dates": " (--dates dmy or --dates mdy)",
             "followers": " (--followers N, or N@YYYY-MM-DD for a total on another day)",
             "on": " (--on YYYY-MM-DD)", "year": " (--year YYYY)"}
    for question in preview.questions:
        lines.append(f"Needs an answer: {question}{hints.get(question.need, '')}")
    skipped = preview.skipped
    if preview.stopped_by_skips:
        lines.append(f"{'Dry run: the import would stop. ' if dry_run else ''}"
                     f"Nothing was written: {skipped:,} row{'s' if skipped != 1 else ''} would "
                     "be skipped (listed above). Correct the file, or run again with "
                     "--skip-bad-rows to import the rest.")
    elif not preview.ready:
        lines.append("Nothing was written.")
    elif dry_run:
        lines.append("Dry run: nothing was written. Run again without --dry-run to import"
                     + (f" ({skipped:,} unreadable row{'s' if skipped != 1 else ''} left out)."
                        if skipped else "."))
    elif preview.changes:
        lines.append(f"Imported {preview.changes:,} changes in one go.")
    else:
        lines.append("Nothing to change: the database already holds these numbers.")
    return "\n".join(lines)


MAPPING_SHOWN = 4  # Insights columns named in the text summary; the rest are counted


def _columns_summary(report) -> list[str]:
    """A file's column mapping in a line or two, however many columns it has."""
    from engage_desktop.core.importing.formats import READING_FIELDS

    def short(title: str) -> str:
        return title if len(title) <= 40 else title[:39] + "…"

    named = [(title, field) for title, field in report.mapping.items()
             if field in (*READING_FIELDS, "date", "page_id", "page_name")]
    metrics = [(title, field) for title, field in report.mapping.items()
               if (title, field) not in named]
    shown = named + metrics[:MAPPING_SHOWN] if len(metrics) > MAPPING_SHOWN + 1 \
        else named + metrics
    lines = ["columns: " + ", ".join(f"{short(title)} → {field}" for title, field in shown)]
    rest = []
    if len(shown) < len(report.mapping):
        rest.append(f"{len(report.mapping) - len(shown):,} more as Insights values "
                    "(--json lists them)")
    if report.breakdowns_left_out:
        rest.append(f"{report.breakdowns_left_out:,} breakdown columns left out "
                    "(--keep-breakdowns keeps them)")
    if report.columns_ignored:
        rest.append(f"{report.columns_ignored:,} column{'s' if report.columns_ignored != 1 else ''}"
                    " not used")
    if rest:
        lines.append("; ".join(rest))
    return lines


def _followers_arg(text: str) -> tuple[int, date | None]:
    """``N`` or ``N@YYYY-MM-DD``: a follower total and the day it was read (None: today)."""
    number, at, day = text.partition("@")
    if at and not day.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r}: give the day after @, as N@YYYY-MM-DD (such as 4210@2025-03-31)")
    return _count_arg(number, whole=text), _day_arg(day) if at else None


def _day_arg(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: give it as YYYY-MM-DD (such as 2025-03-31)") from None
    if day > datetime.now(UK).date():
        raise argparse.ArgumentTypeError(f"{day:%d %b %Y} is in the future")
    if day.year < 2004:
        raise argparse.ArgumentTypeError(f"{day:%d %b %Y} is before Facebook existed")
    return day


def _year_arg(text: str) -> int:
    this_year = datetime.now(UK).year
    if not (text.strip().isdigit() and 2004 <= int(text) <= this_year):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a year from 2004 to {this_year}, such as {this_year - 1}")
    return int(text)


def _count_arg(text: str, whole: str | None = None) -> int:
    try:
        value = int(text.replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{whole or text!r} is not a whole number"
            + (" (give N or N@YYYY-MM-DD)" if whole else "")) from None
    if value < 0:
        raise argparse.ArgumentTypeError("a follower count cannot be negative")
    from engage_desktop.core.models import MAX_COUNT

    if value > MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{value:,} followers is more than there are people "
                                         "on Facebook: give the count the Page shows")
    return value


def _column_arg(text: str) -> tuple[str, str]:
    fields = ("date", "followers", "fans", "talking_about", "page_name", "page_id", "ignore")
    header, sep, field = text.rpartition("=")
    if not sep or not header.strip() or field.strip() not in fields:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give HEADER=FIELD with FIELD one of {', '.join(fields)}")
    return header.strip(), field.strip()


def _add_line_choice(parser: argparse.ArgumentParser, *, average: bool) -> None:
    """--average / --daily: the steadier line (7-day averages, the daily values faint behind
    them) or the daily values alone; ``average`` is the default."""
    lines = parser.add_mutually_exclusive_group()
    lines.add_argument("--average", dest="average", action="store_true",
                       help="draw each line as its 7-day average, the daily values faint "
                            "behind it" + (" (the default)" if average else ""))
    lines.add_argument("--daily", dest="average", action="store_false",
                       help="draw the daily values only" + ("" if average
                                                             else " (the default)"))
    parser.set_defaults(average=average)


def _export_data(args: argparse.Namespace) -> int:
    from engage_desktop.core import traffic_light
    from engage_desktop.core.exporting import data

    with _open(args) as store:
        if args.what == "status":
            data.write_status(traffic_light.build(store), args.out, force=args.force)
        else:
            page_ids = _chosen_pages(store, args.page)
            first, last = _resolve_range(store, args.range)
            data.write_series(store, page_ids, first, last, args.out, force=args.force)
    print(f"Wrote {args.out}")
    return EXIT_OK


def _export_chart(args: argparse.Namespace) -> int:
    from engage_desktop.core import interrupts

    with interrupts.held():  # Ctrl+C inside Qt would crash it: held, then raised
        _headless_if_needed()
        _core_before_qt()
        from engage_desktop.ui import app as ui_app
        from engage_desktop.ui import rendering

        ui_app.application()
        output = rendering.custom(*args.size) if args.size else rendering.PRESETS[args.preset]
        with _open(args) as store:
            first, last = _resolve_range(store, args.range)
            content = rendering.chart_content(store, _chosen_pages(store, args.page), first, last,
                                              args.title, average=args.average)
        rendering.export_chart(content, output, args.out, args.format, force=args.force)
    print(f"Wrote {args.out}")
    return EXIT_OK  # main() leaves without Qt's slow teardown


def _export_briefing(args: argparse.Namespace) -> int:
    from engage_desktop.core import interrupts

    with interrupts.held():  # Ctrl+C inside Qt would crash it: held, then raised
        _headless_if_needed()
        _core_before_qt()
        from engage_desktop.ui import app as ui_app
        from engage_desktop.ui import briefing

        ui_app.application()
        with _open(args) as store:
            page_ids = _chosen_pages(store, args.page) if args.page else None
            content = briefing.briefing_content(store, page_ids, args.title,
                                                average=args.average)
        written = briefing.export_briefing(content, args.out, force=args.force)
    for path in written:
        print(f"Wrote {path}")
    return EXIT_OK  # main() leaves without Qt's slow teardown


def _core_before_qt() -> None:
    """Import the core before Qt: PySide6 inspects the source of every module imported after
    it, which costs start-up time for nothing (as for the window)."""
    import engage_desktop.core.exporting.data  # noqa: F401  (the store, the traffic light)


def _headless_if_needed() -> None:
    """Draw off-screen where there is no display (a server, a scheduled task, CI)."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _pixel_size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().replace("×", "x").partition("x")
    try:
        if not sep:
            raise ValueError
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: give WIDTHxHEIGHT in "
                                         "pixels, such as 1600x900") from None


def _chosen_pages(store, refs: Sequence[str]) -> list[str]:
    """Page IDs for what was typed (IDs or usernames); every followed Page when nothing was."""
    if not refs:
        return [page.id for page in store.pages(tracked_only=True)]
    found = []
    for ref in refs:
        page = store.find_page(ref)
        if page is None:
            raise EngageError(f"There is no Page {ref!r} in this database.",
                              "Run 'engage-desktop pages' to see their IDs.")
        found.append(page.id)
    return found


_RANGE_DAYS = {"4w": 28, "3m": 91, "12m": 365, "2y": 730}


def _add_range(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--range", default="12m", type=_date_range, metavar="RANGE",
                        help="4w, 3m, 12m, 2y, all, or FROM..TO as YYYY-MM-DD..YYYY-MM-DD "
                             "(default 12m)")


def _date_range(text: str) -> tuple[date | None, date | None] | int | None:
    """--range: a number of days back from today, None for all, or two dates."""
    from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY, range_problem

    text = text.strip().lower()
    if text in _RANGE_DAYS:
        return _RANGE_DAYS[text]
    if text == "all":
        return None
    first, sep, last = text.partition("..")
    try:
        if not sep:
            raise ValueError
        span = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a range: give 4w, 3m, 12m, 2y, all or "
            "YYYY-MM-DD..YYYY-MM-DD") from None
    problem = range_problem(*span)
    if problem:
        raise argparse.ArgumentTypeError(
            f"{text!r} cannot be charted: {problem}. Give dates from "
            f"{EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}")
    return span


def _resolve_range(store, value) -> tuple[date, date]:
    from engage_desktop.core.timeutil import uk_day, utc_now

    today = uk_day(utc_now())
    if isinstance(value, tuple):
        return value
    if value is None:
        return store.first_day(today), today
    return today - timedelta(days=value - 1), today


def _thresholds(args: argparse.Namespace) -> int:
    from engage_desktop.core.engagement import Mode, Thresholds

    if args.measure == "interactions" and args.mode == "relative":
        raise EngageError("The interactions measure has absolute thresholds only.",
                          "Give --amber and --green for it; relative mode is for talking "
                          "about.")
    changing = args.amber is not None or args.green is not None or args.mode is not None
    with _open(args, writing=changing) as store:
        current = store.thresholds(args.measure)
        if changing:
            current = Thresholds(
                amber=current.amber if args.amber is None else args.amber,
                green=current.green if args.green is None else args.green,
                mode=current.mode if args.mode is None else Mode(args.mode))
            store.set_thresholds(current, args.measure)
    if args.measure == "interactions":
        print("Interactions (used when a Page has no talking-about figure): "
              + current.describe().replace("people talking", "interactions over 7 days"))
        return EXIT_OK
    print(current.describe())
    return EXIT_OK


def _read_token() -> str:
    if sys.stdin is None:
        raise EngageError("There is no standard input to read the token from.",
                          "Pipe the token in: engage-desktop connect --token-stdin < token.txt")
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Paste the access token (it is not shown), then Enter: ")
    # bytes, whatever the console's encoding: a token is ASCII, and anything else (a file
    # of another kind piped in by mistake) gets the plain "does not look like a token"
    raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw


def _connect(args: argparse.Namespace) -> int:
    from engage_desktop.core.accounts import NO_PAGES, connect
    from engage_desktop.core.services import graph_client
    from engage_desktop.core.store import open_store
    from engage_desktop.core.tokens import TokenVault

    with open_store(_db_path(args), read_only=args.read_only) as store:
        store.ensure_writable()  # before the token is read or kept
        try:
            result = connect(store, TokenVault(), graph_client(store), _read_token())
        finally:  # with those found while connecting (a network setting that is unusable)
            for warning in store.warnings:
                print(f"Warning: {warning}", file=sys.stderr)
    if result.token_kind == "page":
        print(f"Connected the Page {result.pages[0].page.name} ({result.owner_id}) with its "
              "Page token.")
    elif not result.pages:
        print(f"Connected no Pages with the token of {result.owner_name} ({result.owner_id}).")
    else:
        print(f"Connected {len(result.pages)} Page{'s' if len(result.pages) != 1 else ''} "
              f"with the token of {result.owner_name} ({result.owner_id}):")
        for connected in result.pages:
            tasks = f"  [{', '.join(connected.tasks)}]" if connected.tasks else ""
            print(f"  {connected.page.name} ({connected.page.id}){tasks}")
    for name, why in result.skipped:
        print(f"  Not connected: {name}: {why}.")
    print(f"Tokens are kept in: {result.location}.")
    if result.nothing_listed:
        print(" ".join(NO_PAGES), file=sys.stderr)
    # Done in part: a Page Meta listed without its token, or no Page at all (the user token
    # is kept for following public Pages, so something was done).
    return EXIT_PARTIAL if result.skipped or result.nothing_listed else EXIT_OK


def _track(args: argparse.Namespace) -> int:
    from engage_desktop.core.accounts import track
    from engage_desktop.core.services import graph_client
    from engage_desktop.core.tokens import TokenVault

    with _open(args, writing=True) as store:
        result = track(store, TokenVault(), graph_client(store), args.page)
    for page in result.added:
        print(f"Following {page.name} ({page.id}).")
    for ref, error in result.failed:
        print(f"Could not follow {ref}: {error}", file=sys.stderr)
    if result.failed:
        return EXIT_PARTIAL if result.added else EXIT_FAILED
    return EXIT_OK


def _pages(args: argparse.Namespace) -> int:
    with _open(args) as store:
        pages = store.pages()
        latest = store.latest_readings()
    records = [{
        "page_id": page.id, "name": page.name, "username": page.username, "kind": page.kind,
        "tracked": page.tracked, "token_status": page.token_status,
        "token_problem": page.token_problem,
        "last_reading": to_utc_text(latest[page.id].taken_at) if page.id in latest else None,
    } for page in pages]
    if args.json:
        json.dump(records, sys.stdout, indent=2)
        print()
        return EXIT_OK
    if not records:
        print("No Pages yet. Connect a token: engage-desktop connect --token-stdin")
        return EXIT_OK
    print(f"{'Page':<34}  {'ID':<17}  {'Kind':<8}  {'Token':<16}  Last reading")
    for page in pages:
        name = page.name if len(page.name) <= 34 else page.name[:33] + "…"
        token = page.token_status.replace("_", " ")
        when = _when(latest[page.id].taken_at) if page.id in latest else "never"
        following = "" if page.tracked else "  (not followed)"
        print(f"{name:<34}  {page.id:<17}  {page.kind:<8}  {token:<16}  {when}{following}")
        if page.token_problem:
            print(f"{'':<34}  Reconnect: {page.token_problem}.")
    return EXIT_OK


def _forget(args: argparse.Namespace) -> int:
    from engage_desktop.core.accounts import forget
    from engage_desktop.core.tokens import TokenVault

    with _open(args, writing=True) as store:
        names = forget(store, TokenVault(), args.page, purge=args.purge)
    done = "Deleted with their history" if args.purge else "No longer following"
    print(f"{done}: {', '.join(names)}.")
    return EXIT_OK


def _network(args: argparse.Namespace) -> int:
    from engage_desktop.core.net import NetworkSettings
    from engage_desktop.core.services import network_settings, save_network_settings

    changing = args.proxy is not None or args.ca_file is not None
    with _open(args, writing=changing) as store:
        current = network_settings(store)
        if changing:
            proxy = current.proxy_mode if args.proxy is None else args.proxy.strip()
            mode, url = (proxy, None) if proxy in ("system", "none") else ("manual", proxy)
            if args.proxy is None:
                url = current.proxy_url
            ca_file = current.extra_ca_file if args.ca_file is None else (
                str(Path(args.ca_file).expanduser().resolve()) if args.ca_file else None)
            if args.ca_file and not Path(ca_file or "").is_file():
                raise EngageError(f"The CA certificate file {ca_file} does not exist.",
                                  "Choose the .pem or .crt file IT gave you.")
            current = NetworkSettings(proxy_mode=mode, proxy_url=url, extra_ca_file=ca_file)
            save_network_settings(store, current)
    proxy_text = {"system": "the system's proxy settings", "none": "no proxy"}.get(
        current.proxy_mode, f"the proxy {current.proxy_url}")
    print(f"Proxy: {proxy_text}.")
    print(f"Extra CA certificate: {current.extra_ca_file or 'none'} (TLS is always verified "
          "with this computer's trust store).")
    return EXIT_OK


def _add_alerts_command(commands) -> None:
    alerts = _command(
        commands, _alerts, "alerts", help="list what the syncs found: Pages turned red, "
        "falling, stale…",
        description="The alerts recorded after each sync (a Page that turned red or green "
                    "again, fell week on week, gained followers while fewer talk about it, "
                    "has no new figures, needs reconnecting, or was delayed by Meta), newest "
                    "first. Without options: those not seen yet.")
    alerts.add_argument("--json", action="store_true",
                        help="print a JSON list of objects with id, page_id, name, kind, day, "
                             "numbers, sentence, seen")
    alerts.add_argument("--since", type=_day_arg, metavar="YYYY-MM-DD",
                        help="only alerts from this UK day on")
    alerts.add_argument("--all", action="store_true", help="seen ones too")
    alerts.add_argument("--mark-seen", action="store_true",
                        help="mark the alerts listed as seen (the window then no longer "
                             "counts them)")


def _alerts(args: argparse.Namespace) -> int:
    with _open(args, writing=args.mark_seen) as store:
        found = store.alerts(unseen_only=not args.all, since=args.since)
        if args.mark_seen:
            store.mark_alerts_seen([alert.id for alert in found])
    if args.json:
        json.dump([alert.as_json() for alert in found], sys.stdout, indent=2)
        print()
        return EXIT_OK
    if not found:
        print("No alerts." if args.all else "No alerts that have not been seen.")
        return EXIT_OK
    for alert in found:
        print(_alert_line(alert, seen=args.all))
    if args.mark_seen:
        print(f"Marked {len(found)} alert{'s' if len(found) != 1 else ''} seen.")
    return EXIT_OK


def _alert_line(alert, *, seen: bool = False) -> str:
    mark = (" (seen)" if alert.seen_at else " (new)") if seen else ""
    return f"{alert.day.day} {alert.day:%b %Y}{mark}: {alert.sentence}"


def _print_new_alerts(new) -> None:
    if not new:
        return
    print(f"New alert{'s' if len(new) != 1 else ''} ({len(new)}):")
    for alert in new:
        print(f"  {_alert_line(alert)}")


def _sync(args: argparse.Namespace) -> int:
    import signal
    import threading

    from engage_desktop.core.services import graph_client
    from engage_desktop.core.sync import SyncOptions, run_sync
    from engage_desktop.core.tokens import TokenVault

    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        with _open(args, writing=True) as store:
            names = {page.id: page.name for page in store.pages()}
            summary = run_sync(store, TokenVault(), graph_client(store),
                               options=SyncOptions(insights=not args.no_insights),
                               cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    if args.json:
        json.dump(summary.as_json(names), sys.stdout, indent=2)
        print()
    else:
        version = f", Graph API {summary.api_version}" if summary.api_version else ""
        print(f"{summary.message} ({summary.requests} requests{version}).")
        for error in summary.errors:
            name = names.get(error.page_id or "", error.page_id or "")
            print(f"  {name}: {error.message}")
        _print_new_alerts(summary.alerts)
    kinds = {error.kind for error in summary.errors}
    if summary.status == "ok":
        return EXIT_OK
    if summary.status != "failed":
        return EXIT_PARTIAL  # done in part, or cancelled
    if "network" in kinds:
        return EXIT_OFFLINE
    if kinds == {"token"}:
        return EXIT_NO_TOKEN  # Meta rejected the token of every Page
    return EXIT_FAILED


def _add_publish(commands) -> None:
    publish = _command(
        commands, _publish, "publish", help="publish a copy for the team (Datasette)",
        description="Write a consistent copy of the database into FOLDER as engage.sqlite, "
                    "with the traffic light as a table and metadata.json for Datasette, so "
                    "colleagues can read the same history. Safe while a sync runs; the "
                    "database itself is only read, and no token is in it. A copy published "
                    "before in FOLDER is replaced whole; any other engage.sqlite is refused.")
    publish.add_argument("folder", type=Path, metavar="FOLDER",
                         help="the team's folder (made if its parent folder exists)")


def _publish(args: argparse.Namespace) -> int:
    from engage_desktop.core.publishing import publish

    with _open(args) as store:
        published = publish(store, args.folder)
    print(f"Published {published.pages:,} Page{'s' if published.pages != 1 else ''} "
          f"({published.readings:,} readings) at {_when(published.published_at)} "
          f"{published.published_at.astimezone(UK):%H:%M} to {published.database}, with "
          f"{published.metadata.name} for Datasette.")
    return EXIT_OK
