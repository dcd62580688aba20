"""The registry of commands, from which the command line's argparse parser is built.

Each command group's module declares its commands with ``@command(...)``: the name, the help
and description ``--help`` shows, the arguments (``Arg``, ``OneOf`` for a choice of one,
``Defaults``), aliases, whether it writes to the database (the read-only policy: a command that
writes refuses a database open read-only, exit 6) and the handler it runs. A command with
sub-commands (``export``) is declared with ``group(...)`` and its sub-commands name it as their
``parent``. ``build_parser`` adds them in ``HELP_ORDER``, so ``--help`` lists them in the order
officers know. Declaring a command imports nothing heavy: handlers import what they need when
they run.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from engage_desktop.cli.exits import EXIT_USAGE
from engage_desktop.core import paths
from engage_desktop.core.redaction import redact

Handler = Callable[[argparse.Namespace], int]
Writes = bool | Callable[[argparse.Namespace], bool]

# The order of the commands in --help (sub-commands follow their declaration order).
HELP_ORDER = ("demo", "status", "thresholds", "connect", "follow", "pages", "forget", "sync",
              "alerts", "import", "export", "network", "publish")


class Arg:
    """One argument, as ``parser.add_argument(*flags, **options)`` takes it."""

    def __init__(self, *flags: str, **options: Any) -> None:
        self.flags = flags
        self.options = options

    def add_to(self, parser) -> None:
        parser.add_argument(*self.flags, **self.options)


class OneOf:
    """Arguments of which at most one may be given (a mutually exclusive group)."""

    def __init__(self, *arguments: Arg) -> None:
        self.arguments = arguments

    def add_to(self, parser) -> None:
        group = parser.add_mutually_exclusive_group()
        for argument in self.arguments:
            argument.add_to(group)


class Defaults:
    """Values a command's namespace starts with (for options that share a destination)."""

    def __init__(self, **values: Any) -> None:
        self.values = values

    def add_to(self, parser) -> None:
        parser.set_defaults(**self.values)


class Command:
    """A registered command: what ``--help`` says about it, its arguments and its handler.
    (A plain class, not a dataclass: making a dataclass costs start-up time.)"""

    __slots__ = (
        "aliases",
        "arguments",
        "database",
        "description",
        "handler",
        "help",
        "name",
        "parent",
        "sub_dest",
        "sub_metavar",
        "writes",
    )

    def __init__(self, name: str, handler: Handler | None, help: str,
                 description: str, arguments: Sequence[Any] = (),
                 aliases: Sequence[str] = (), writes: Writes = False,
                 parent: str | None = None, *, sub_dest: str | None = None,
                 sub_metavar: str | None = None, database: bool = True) -> None:
        self.name = name
        self.handler = handler
        self.help = help
        self.description = description
        self.arguments = tuple(arguments)
        self.aliases = tuple(aliases)
        self.writes = writes
        self.parent = parent
        # a group's sub-commands: the namespace attribute and the placeholder in its usage
        self.sub_dest = sub_dest
        self.sub_metavar = sub_metavar
        self.database = database  # takes --db / --demo / --read-only after its name

    def __repr__(self) -> str:
        return f"Command({f'{self.parent} ' if self.parent else ''}{self.name})"

    def writes_for(self, args: argparse.Namespace) -> bool:
        """Whether this run writes to the database (refused on one open read-only)."""
        return self.writes(args) if callable(self.writes) else self.writes


class Registry:
    """Commands in the order they were declared; ``order`` places the top-level ones."""

    def __init__(self, order: Sequence[str] = HELP_ORDER) -> None:
        self.order = tuple(order)
        self.commands: dict[str, Command] = {}

    def command(self, name: str, *, help: str, description: str,
                arguments: Sequence[Any] = (), aliases: Sequence[str] = (),
                writes: Writes = False, parent: str | None = None
                ) -> Callable[[Handler], Handler]:
        """Declare the decorated function as the handler of the command ``name``."""

        def register(handler: Handler) -> Handler:
            self._add(Command(name, handler, help, description, arguments, aliases, writes,
                              parent))
            return handler

        return register

    def group(self, name: str, *, help: str, description: str,
              dest: str, metavar: str) -> None:
        """Declare a command whose sub-commands (declared with ``parent=name``) do the work."""
        self._add(Command(name, None, help, description, sub_dest=dest, sub_metavar=metavar,
                          database=False))

    def _add(self, declared: Command) -> None:
        key = self._key(declared.name, declared.parent)
        if key in self.commands:
            raise ValueError(f"the command {key!r} is declared twice")
        self.commands[key] = declared

    @staticmethod
    def _key(name: str, parent: str | None) -> str:
        return f"{parent} {name}" if parent else name

    def children(self, parent: str | None) -> list[Command]:
        found = [declared for declared in self.commands.values() if declared.parent == parent]
        if parent is None:
            unplaced = [declared.name for declared in found if declared.name not in self.order]
            if unplaced:
                raise ValueError(f"commands missing from the help order: {unplaced}")
            found.sort(key=lambda declared: self.order.index(declared.name))
        return found

    def add_commands(self, parser: argparse.ArgumentParser, parent: Command | None = None
                     ) -> None:
        """Add the sub-parsers of ``parent``'s commands (the top-level ones for None)."""
        if parent is None:
            commands = parser.add_subparsers(dest="command", metavar="COMMAND")
        else:
            commands = parser.add_subparsers(dest=parent.sub_dest, metavar=parent.sub_metavar,
                                             required=True)
        for declared in self.children(parent.name if parent else None):
            sub = commands.add_parser(declared.name, help=declared.help,
                                      description=declared.description,
                                      aliases=list(declared.aliases))
            if declared.database:
                add_database_options(sub)
            for argument in declared.arguments:
                argument.add_to(sub)
            if declared.handler is None:
                self.add_commands(sub, declared)
            else:
                sub.set_defaults(handler=declared.handler, declared=declared)


COMMANDS = Registry()
command = COMMANDS.command
group = COMMANDS.group


class CommandParser(argparse.ArgumentParser):
    """argparse, but an error message never repeats a token someone typed as an argument."""

    def error(self, message: str) -> NoReturn:
        # An unrecognised argument may be a pasted token of any shape: hide long words.
        message = re.sub(r"[A-Za-z0-9_\-|.~+/=%]{24,}", "[redacted]", redact(message))
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def add_database_options(parser: argparse.ArgumentParser, *,
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


def build_parser(registry: Registry = COMMANDS) -> argparse.ArgumentParser:
    """The program's parser: the options of the program itself, then every registered
    command (the command modules register theirs when ``engage_desktop.cli`` is imported)."""
    from engage_desktop import __version__

    parser = CommandParser(
        prog="engage-desktop",
        description="Is anyone really talking to our Facebook Pages? Engage Desktop keeps a "
                    "local history of each Page's followers and 'people talking about this'. "
                    "Without a command it opens the window.")
    add_database_options(parser, default_db=None, default_demo=False, default_read_only=False)
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
    registry.add_commands(parser)
    return parser
