"""The ``sync`` command: one sync run, Ctrl+C cancelling it cleanly."""

from __future__ import annotations

import argparse

from engage_desktop.cli import exits, render
from engage_desktop.cli.database import open_database
from engage_desktop.cli.registry import Arg, command


@command("sync", help="read every followed Page from Meta into the history",
         description="One sync run: read followers, likes, talking-about and the New Pages "
                     "Experience flag of every followed Page, and the Insights of your own "
                     "Pages. Exit codes: 0 all Pages fine, 3 some Pages failed or Meta asked "
                     "us to wait, 4 no usable token, 5 the network could not be reached.",
         arguments=(
             Arg("--json", action="store_true", help="print a JSON summary"),
             Arg("--no-insights", action="store_true",
                 help="skip own Pages' Insights (faster)")),
         writes=True)
def sync(args: argparse.Namespace) -> int:
    import signal
    import threading

    from engage_desktop.core.services import JobTools
    from engage_desktop.core.sync import SyncOptions, run_sync

    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        with open_database(args) as store:
            names = {page.id: page.name for page in store.pages()}
            tools = JobTools.around(store)
            summary = run_sync(store, tools.vault, tools.graph,
                               options=SyncOptions(insights=not args.no_insights),
                               cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    if args.json:
        render.print_json(summary.as_json(names))
    else:
        print(render.sync_text(summary, names))
    return exits.for_sync(summary)
