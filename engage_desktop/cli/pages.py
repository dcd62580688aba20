"""The Page commands: ``connect`` a token, ``follow`` public Pages, list ``pages``, ``forget``
Pages."""

from __future__ import annotations

import argparse
import sys

from engage_desktop.cli import exits, render
from engage_desktop.cli.database import db_path, open_database, print_warnings, refuse_if_read_only
from engage_desktop.cli.exits import EXIT_OK
from engage_desktop.cli.options import JSON_TABLE
from engage_desktop.cli.registry import Arg, command
from engage_desktop.core.errors import EngageError


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


@command("connect", help="connect a Facebook token and the Pages it manages",
         description="Read a Page, user or system-user token from standard input (never from "
                     "the command line), find the Pages it can read, keep each Page's token "
                     "in the operating system's keyring and follow those Pages.",
         arguments=(
             Arg("--token-stdin", action="store_true", required=True,
                 help="read the token from standard input (required: a token on the command "
                      "line would be visible to other programs)"),),
         writes=True)
def connect_token(args: argparse.Namespace) -> int:
    from engage_desktop.core.accounts import NO_PAGES, connect
    from engage_desktop.core.services import JobTools
    from engage_desktop.core.store import open_store

    with open_store(db_path(args), read_only=args.read_only) as store:
        refuse_if_read_only(store, args)  # before the token is read or kept
        tools = JobTools.around(store)
        try:
            result = connect(store, tools.vault, tools.graph, _read_token())
        finally:  # with those found while connecting (a network setting that is unusable)
            print_warnings(store)
    print(render.connected_text(result))
    if result.nothing_listed:
        print(" ".join(NO_PAGES), file=sys.stderr)
    return exits.for_connect(result)


@command("follow", help="follow public Pages to compare with",
         description="Follow Pages you do not manage (other councils), by ID, username or "
                     "facebook.com address. Needs a connected user or system-user token.",
         arguments=(Arg("page", nargs="+", metavar="PAGE"),),
         aliases=("track",),  # its name before "follow" was the word everywhere; still works
         writes=True)
def follow_pages(args: argparse.Namespace) -> int:
    from engage_desktop.core.accounts import follow
    from engage_desktop.core.services import JobTools

    with open_database(args) as store:
        tools = JobTools.around(store)
        result = follow(store, tools.vault, tools.graph, args.page)
    for page in result.added:
        print(f"Following {page.name} ({page.id}).")
    for ref, error in result.failed:
        print(f"Could not follow {ref}: {error}", file=sys.stderr)
    return exits.for_follow(result)


@command("pages", help="list the Pages in the database",
         description="List the Pages, their tokens' state and their latest reading.",
         arguments=(JSON_TABLE,))
def list_pages(args: argparse.Namespace) -> int:
    with open_database(args) as store:
        found = store.pages()
        latest = store.latest_readings()
    if args.json:
        render.print_json(render.pages_json(found, latest))
        return EXIT_OK
    if not found:
        print("No Pages yet. Connect a token: engage-desktop connect --token-stdin")
        return EXIT_OK
    print(render.pages_table(found, latest))
    return EXIT_OK


@command("forget", help="stop following Pages and remove their tokens",
         description="Stop following Pages and remove their tokens from the keyring. Their "
                     "history stays unless --purge is given.",
         arguments=(
             Arg("page", nargs="+", metavar="PAGE", help="Page ID or username"),
             Arg("--purge", action="store_true",
                 help="also delete the Pages' readings, Insights and notes")),
         writes=True)
def forget_pages(args: argparse.Namespace) -> int:
    from engage_desktop.core.accounts import forget
    from engage_desktop.core.services import JobTools

    with open_database(args) as store:
        names = forget(store, JobTools.around(store).vault, args.page, purge=args.purge)
    done = "Deleted with their history" if args.purge else "No longer following"
    print(f"{done}: {', '.join(names)}.")
    return EXIT_OK
