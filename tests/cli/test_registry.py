"""The command line's parser is built from the registry of commands, and from nothing else."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

import engage_desktop.cli
from engage_desktop.cli.registry import COMMANDS, HELP_ORDER, Arg, Registry, build_parser

CLI_FOLDER = Path(engage_desktop.cli.__file__).parent


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    [action] = [action for action in parser._actions
                if isinstance(action, argparse._SubParsersAction)]
    return action


def _every_command() -> list[list[str]]:
    return [[declared.parent, declared.name] if declared.parent else [declared.name]
            for declared in COMMANDS.commands.values()]


@pytest.mark.parametrize("words", _every_command(), ids=" ".join)
def test_every_registered_command_parses_its_help(words: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args([*words, "--help"])
    assert stopped.value.code == 0
    usage = capsys.readouterr().out
    assert usage.startswith(f"usage: engage-desktop {' '.join(words)} ")
    declared = COMMANDS.commands[" ".join(words)]
    # the description argparse wraps (at spaces and hyphens) is the declared one
    assert re.sub(r"\s", "", declared.description) in re.sub(r"\s", "", usage)


def test_the_parser_holds_the_registered_commands_and_no_others() -> None:
    parser = build_parser()
    top = _subparsers(parser)
    aliases = {alias: declared.name for declared in COMMANDS.children(None)
               for alias in declared.aliases}
    assert aliases == {"track": "follow"}  # an old name, kept working
    assert all(top.choices[alias] is top.choices[name] for alias, name in aliases.items())
    assert [name for name in top.choices if name not in aliases] == list(HELP_ORDER)
    for name, sub in top.choices.items():
        if name in aliases:
            continue
        children = [declared.name for declared in COMMANDS.children(name)]
        if COMMANDS.commands[name].handler is None:
            assert list(_subparsers(sub).choices) == children
        else:
            assert children == []
            assert sub.get_default("handler") is COMMANDS.commands[name].handler


def test_no_module_of_the_command_line_adds_a_parser_but_the_registry() -> None:
    adding = re.compile(r"\.add_(sub)?parsers?\(")
    found = [path.name for path in CLI_FOLDER.glob("*.py") if adding.search(path.read_text())]
    assert found == ["registry.py"]


def test_help_lists_the_commands_in_the_help_order(capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    listed = re.findall(r"^    (\w+) ", capsys.readouterr().out, re.MULTILINE)
    assert listed == list(HELP_ORDER)


@pytest.mark.parametrize(("words", "writes"), [
    (["status"], False), (["pages"], False), (["publish", "team"], False),
    (["export", "data", "--out", "x.csv"], False), (["thresholds"], False),
    (["thresholds", "--green", "3"], True), (["network"], False),
    (["network", "--proxy", "none"], True), (["alerts"], False),
    (["alerts", "--mark-seen"], True), (["sync"], True), (["import", "a.csv", "--dry-run"], True),
    (["connect", "--token-stdin"], True), (["follow", "x"], True), (["forget", "x"], True),
    (["demo"], True),
])
def test_each_command_declares_whether_it_writes(words: list[str], writes: bool) -> None:
    args = build_parser().parse_args(words)
    assert args.declared.writes_for(args) is writes


def _registry_with_an_alias() -> Registry:
    registry = Registry(order=("greet",))

    @registry.command("greet", aliases=("hello",), help="say hello",
                      description="Say hello to someone.",
                      arguments=(Arg("who", metavar="NAME"),))
    def greet(args: argparse.Namespace) -> int:
        print(f"Hello {args.who}")
        return 0

    return registry


def test_an_alias_runs_the_same_command(capsys) -> None:
    registry = _registry_with_an_alias()
    for word in ("greet", "hello"):
        args = build_parser(registry).parse_args([word, "Ada", "--db", "x.sqlite"])
        assert args.handler(args) == 0
        assert args.db == "x.sqlite"
    assert capsys.readouterr().out == "Hello Ada\nHello Ada\n"
    with pytest.raises(SystemExit):
        build_parser(registry).parse_args(["--help"])
    assert "greet (hello)" in capsys.readouterr().out


def test_a_command_declared_twice_or_left_out_of_the_help_order_is_refused() -> None:
    registry = _registry_with_an_alias()
    with pytest.raises(ValueError, match="declared twice"):
        registry.command("greet", help="again", description="Again.")(lambda args: 0)
    registry.command("wave", help="wave", description="Wave.")(lambda args: 0)
    with pytest.raises(ValueError, match="missing from the help order"):
        build_parser(registry)
