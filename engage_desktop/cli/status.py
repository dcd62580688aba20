"""The ``status`` command (the traffic light, and ``--changes``: what changed) and ``alerts``
(what the syncs found)."""

from __future__ import annotations

import argparse

from engage_desktop.cli import render
from engage_desktop.cli.database import open_database
from engage_desktop.cli.exits import EXIT_OK
from engage_desktop.cli.options import JSON_TABLE, day_arg
from engage_desktop.cli.registry import Arg, command


@command("status", help="show the traffic light",
         description="The traffic light: talking about per 1,000 followers for every followed "
                     "Page, from the latest reading no older than 8 days.",
         arguments=(
             JSON_TABLE,
             Arg("--changes", action="store_true",
                 help="print what changed instead: the last 7 and 28 days against the days "
                      "before, most urgent first (with --json, a list of objects with "
                      "page_id, name, kind, window_days, before, after, numbers, sentence)")))
def status(args: argparse.Namespace) -> int:
    from engage_desktop.core import changes, traffic_light

    with open_database(args) as store:
        light = traffic_light.build(store)
        if args.changes:
            found = changes.what_changed(store, light=light)
            if args.json:
                render.print_json([change.as_json() for change in found])
            else:
                print(render.changes_text(found))
            return EXIT_OK
    if args.json:
        render.print_json([row.as_json() for row in light.rows])
        return EXIT_OK
    if not light.rows:
        print("No Pages are followed in this database yet. Connect a Facebook token, import "
              "Meta Business Suite files, or try the demo: engage-desktop --demo status")
        return EXIT_OK
    print(render.status_table(light))
    return EXIT_OK


@command("alerts", help="list what the syncs found: Pages turned red, falling, stale…",
         description="The alerts recorded after each sync (a Page that turned red or green "
                     "again, fell week on week, gained followers while fewer talk about it, "
                     "has no new figures, needs reconnecting, or was delayed by Meta), newest "
                     "first. Without options: those not seen yet.",
         arguments=(
             Arg("--json", action="store_true",
                 help="print a JSON list of objects with id, page_id, name, kind, day, "
                      "numbers, sentence, seen"),
             Arg("--since", type=day_arg, metavar="YYYY-MM-DD",
                 help="only alerts from this UK day on"),
             Arg("--all", action="store_true", help="seen ones too"),
             Arg("--mark-seen", action="store_true",
                 help="mark the alerts listed as seen (the window then no longer counts "
                      "them)")),
         writes=lambda args: args.mark_seen)
def alerts(args: argparse.Namespace) -> int:
    with open_database(args) as store:
        found = store.alerts(unseen_only=not args.all, since=args.since)
        if args.mark_seen:
            store.mark_alerts_seen([alert.id for alert in found])
    if args.json:
        render.print_json([alert.as_json() for alert in found])
        return EXIT_OK
    if not found:
        print("No alerts." if args.all else "No alerts that have not been seen.")
        return EXIT_OK
    for alert in found:
        print(render.alert_line(alert, seen=args.all))
    if args.mark_seen:
        print(f"Marked {len(found)} alert{'s' if len(found) != 1 else ''} seen.")
    return EXIT_OK
