"""No SQL runs outside ``engage_desktop.core.store``.

The import-linter contract in pyproject.toml forbids importing sqlite3 or sqlite_utils
outside the store; it cannot see a module that reaches the store's connection and runs SQL on
it. These tests read the source: nothing outside the store touches ``.conn`` or calls
``execute``/``executemany``/``executescript``, and every module is under the contract.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import engage_desktop

PACKAGE = Path(engage_desktop.__file__).parent
ROOT = PACKAGE.parent
STORE = PACKAGE / "core" / "store"
SQL_CALLS = {"execute", "executemany", "executescript", "set_progress_handler", "backup"}


def _outside_store() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if STORE not in path.parents)


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_outside_the_store_runs_sql_on_a_connection() -> None:
    found = []
    for path in _outside_store():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Attribute) and node.attr == "conn":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} uses .conn")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} calls "
                             f".{node.func.attr}()")
    assert found == [], "SQL belongs in engage_desktop.core.store:\n" + "\n".join(found)


def test_every_module_outside_the_store_is_under_the_sqlite_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"]
                    if "sqlite3" in c.get("forbidden_modules", []))
    sources = contract["source_modules"]
    uncovered = [
        module for module in map(_module, _outside_store())
        if module != "engage_desktop" and module != "engage_desktop.core"
        and not any(module == source or module.startswith(source + ".") for source in sources)]
    assert uncovered == [], ("add these to the sqlite3 contract's source_modules in "
                             f"pyproject.toml: {uncovered}")
