"""The settings commands: ``thresholds`` (the traffic light's) and ``network`` (how Meta is
reached)."""

from __future__ import annotations

import argparse
from pathlib import Path

from engage_desktop.cli import render
from engage_desktop.cli.database import open_database
from engage_desktop.cli.exits import EXIT_OK
from engage_desktop.cli.registry import Arg, command
from engage_desktop.core.errors import EngageError


def _changing_thresholds(args: argparse.Namespace) -> bool:
    return args.amber is not None or args.green is not None or args.mode is not None


@command("thresholds", help="show or change the traffic-light thresholds",
         description="Show the traffic-light thresholds, or change them with the options.",
         arguments=(
             Arg("--amber", type=float, help="amber from this many per 1,000"),
             Arg("--green", type=float, help="green from this many per 1,000"),
             Arg("--mode", choices=["absolute", "relative"],
                 help="absolute thresholds, or relative to the Pages shown"),
             Arg("--measure", choices=["talking_about", "interactions"],
                 default="talking_about",
                 help="which measure's thresholds: talking about (the default), or "
                      "interactions over 7 days, used for Pages without a talking-about "
                      "figure")),
         writes=_changing_thresholds)
def thresholds(args: argparse.Namespace) -> int:
    from engage_desktop.core.engagement import Mode, Thresholds

    if args.measure == "interactions" and args.mode == "relative":
        raise EngageError("The interactions measure has absolute thresholds only.",
                          "Give --amber and --green for it; relative mode is for talking "
                          "about.")
    with open_database(args) as store:
        current = store.thresholds(args.measure)
        if _changing_thresholds(args):
            current = Thresholds(
                amber=current.amber if args.amber is None else args.amber,
                green=current.green if args.green is None else args.green,
                mode=current.mode if args.mode is None else Mode(args.mode))
            store.set_thresholds(current, args.measure)
    print(render.thresholds_text(current, args.measure))
    return EXIT_OK


def _changing_network(args: argparse.Namespace) -> bool:
    return args.proxy is not None or args.ca_file is not None


@command("network", help="show or change how Engage Desktop reaches Meta",
         description="Show or change the proxy and the extra CA certificate (for "
                     "organisations that inspect web traffic). TLS is always verified, with "
                     "the operating system's trust store plus this file.",
         arguments=(
             Arg("--proxy", metavar="system|none|URL",
                 help="'system' (the default), 'none', or a proxy URL such as "
                      "http://proxy.council.gov.uk:8080"),
             Arg("--ca-file", metavar="PATH",
                 help="a PEM file with your organisation's root certificate ('' to remove "
                      "it)")),
         writes=_changing_network)
def network(args: argparse.Namespace) -> int:
    from engage_desktop.core.net import NetworkSettings
    from engage_desktop.core.services import network_settings, save_network_settings

    with open_database(args) as store:
        current = network_settings(store)
        if _changing_network(args):
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
    print(render.network_text(current))
    return EXIT_OK
