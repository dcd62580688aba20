"""The ``export`` commands: ``data`` (CSV), ``chart`` (PNG, SVG, PDF) and ``briefing``; the
last two draw with Qt, off-screen where there is no display."""

from __future__ import annotations

import argparse
from pathlib import Path

from engage_desktop.cli.database import chosen_pages, open_database, resolve_range
from engage_desktop.cli.drawing import before_drawing
from engage_desktop.cli.exits import EXIT_OK
from engage_desktop.cli.options import FORCE, RANGE, line_choice, pixel_size
from engage_desktop.cli.registry import Arg, OneOf, command, group

group("export", help="write charts, briefings or data files",
      description="Exports for briefings and spreadsheets, the same as the window's. An "
                  "existing file is kept unless --force is given; nothing half-written is "
                  "ever left behind.",
      dest="export_kind", metavar="WHAT")


@command("data", parent="export", help="a CSV file of the traffic light or daily series",
         description="CSV (UTF-8 with a byte-order mark, for Excel). --what status: the "
                     "traffic light; --what series: each Page's daily readings, in the layout "
                     "'engage-desktop import' reads back.",
         arguments=(
             Arg("--out", required=True, type=Path, metavar="FILE.csv"),
             Arg("--what", choices=["status", "series"], default="status"),
             Arg("--page", nargs="+", metavar="PAGE", default=[],
                 help="Page IDs or usernames (default: every followed Page)"),
             RANGE,
             FORCE))
def export_data(args: argparse.Namespace) -> int:
    from engage_desktop.core import traffic_light
    from engage_desktop.core.exporting import data

    with open_database(args) as store:
        if args.what == "status":
            data.write_status(traffic_light.build(store), args.out, force=args.force)
        else:
            page_ids = chosen_pages(store, args.page)
            first, last = resolve_range(store, args.range)
            data.write_series(store, page_ids, first, last, args.out, force=args.force)
    print(f"Wrote {args.out}")
    return EXIT_OK


@command("chart", parent="export", help="a chart image (PNG) or vector file (SVG, PDF)",
         description="A chart of one Page (followers, talking about, the rate per 1,000) or a "
                     "comparison of several Pages' rates, on white, with a title, the date "
                     "range and the source. Works without a display.",
         arguments=(
             Arg("--page", nargs="+", metavar="PAGE", required=True,
                 help="Page IDs or usernames; several are compared on one chart"),
             RANGE,
             Arg("--format", choices=["png", "svg", "pdf"],
                 help="the file type (default: from the file name)"),
             OneOf(Arg("--preset", choices=["slide", "document", "square"], default="slide",
                       help="slide: 1920×1080 for a 16:9 slide (the default); document: 16 cm "
                            "wide at 300 dpi; square: 1080×1080 for social posts"),
                   Arg("--size", type=pixel_size, metavar="WxH",
                       help="another size in pixels, such as 1600x900")),
             Arg("--title", help="a title of your own"),
             *line_choice(average=False),
             Arg("--out", required=True, type=Path, metavar="FILE"),
             FORCE))
def export_chart(args: argparse.Namespace) -> int:
    from engage_desktop.core import interrupts

    with interrupts.held():  # Ctrl+C inside Qt would crash it: held, then raised
        before_drawing()
        from engage_desktop.ui import app as ui_app
        from engage_desktop.ui import rendering

        ui_app.application()
        output = rendering.custom(*args.size) if args.size else rendering.PRESETS[args.preset]
        with open_database(args) as store:
            first, last = resolve_range(store, args.range)
            content = rendering.chart_content(store, chosen_pages(store, args.page), first,
                                              last, args.title, average=args.average)
        rendering.export_chart(content, output, args.out, args.format, force=args.force)
    print(f"Wrote {args.out}")
    return EXIT_OK  # main() leaves without Qt's slow teardown


@command("briefing", parent="export", help="the briefing (A4, PDF or PNG)",
         description="A4 pages: a title, the traffic light for the chosen Pages (shape, word "
                     "and colour, so it prints in greyscale), their comparison chart over 12 "
                     "months (7-day averages, the daily values faint behind; --daily for the "
                     "daily values alone), what changed, the notes for the period and what the "
                     "measure means. More Pages than the first page holds continue on further "
                     "pages (in a PDF; as FILE-2.png, FILE-3.png… beside a PNG).",
         arguments=(
             Arg("--out", required=True, type=Path, metavar="FILE.pdf|FILE.png"),
             Arg("--page", nargs="+", metavar="PAGE", default=[],
                 help="Page IDs or usernames (default: every followed Page, worst first)"),
             Arg("--title", help="a title of your own"),
             *line_choice(average=True),
             FORCE))
def export_briefing(args: argparse.Namespace) -> int:
    from engage_desktop.core import interrupts

    with interrupts.held():  # Ctrl+C inside Qt would crash it: held, then raised
        before_drawing()
        from engage_desktop.ui import app as ui_app
        from engage_desktop.ui import briefing

        ui_app.application()
        with open_database(args) as store:
            page_ids = chosen_pages(store, args.page) if args.page else None
            content = briefing.briefing_content(store, page_ids, args.title,
                                                average=args.average)
        written = briefing.export_briefing(content, args.out, force=args.force)
    for path in written:
        print(f"Wrote {path}")
    return EXIT_OK  # main() leaves without Qt's slow teardown
