"""The command line: every non-visual job, over the same core as the window.

``main`` is the program's entry point (the ``engage-desktop`` command, ``python -m
engage_desktop`` and the built program). Without a command it opens the window
(``window.py``). The commands are declared in one module per group (``demo``, ``status``,
``settings``, ``pages``, ``sync``, ``imports``, ``exports``, ``publish``) with the registry's
``@command`` (``registry.py``), from which the parser is built; their text is made in
``render.py``, and every exit code is chosen in ``exits.py``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

# The command groups (demo … sync) register their commands when imported; none of them
# imports anything heavy before its command runs.
from engage_desktop.cli import (  # noqa: F401
    demo,
    exits,
    exports,
    imports,
    pages,
    publish,
    settings,
    status,
    streams,
    sync,
    window,
)
from engage_desktop.cli.registry import build_parser
from engage_desktop.core.errors import EngageError
from engage_desktop.core.redaction import install_log_redaction, redact

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(argv)
    except KeyboardInterrupt:
        # Ctrl+C: what was committed stays; an unfinished change was rolled back.
        print("engage-desktop: stopped (Ctrl+C). What was saved before is kept; nothing was "
              "saved half way.", file=sys.stderr)
        code = exits.EXIT_INTERRUPTED
    if "PySide6.QtWidgets" in sys.modules:
        # A command that drew with Qt leaves without the interpreter's teardown of Qt's
        # objects, which is slow and has crashed on the way out (a failed or interrupted
        # export as much as a finished one).
        from engage_desktop.ui.app import exit_now

        exit_now(code)
    return code


def _main(argv: Sequence[str] | None) -> int:
    streams.prepare()
    install_log_redaction()
    parser = build_parser()
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
        return window.self_test(args)
    if args.command is None:
        return window.open_window(args)
    try:
        return args.handler(args)
    except EngageError as exc:
        print(f"engage-desktop: {exc}", file=sys.stderr)
        return exits.for_error(exc)
    except BrokenPipeError:
        # The reader went away (``status | head``): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return exits.EXIT_FAILED
    except Exception as exc:
        # A bug, not a situation we know: say so plainly (redacted), with the details only
        # when asked for.
        if args.verbose:
            import traceback

            print(redact("".join(traceback.format_exception(exc))), file=sys.stderr)
        print(f"engage-desktop: something unexpected went wrong ({type(exc).__name__}: "
              f"{redact(str(exc))[:300]}). Run again with --verbose for details, and report "
              "it.", file=sys.stderr)
        return exits.EXIT_FAILED
