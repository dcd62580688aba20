"""`engage-desktop status --changes [--json]`: the core's 'What changed', as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from engage_desktop.core import changes
from engage_desktop.core.store import open_store


def test_changes_print_the_core_sentences_in_order(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "demo.sqlite"
    assert run_cli("demo", "--db", str(path)).returncode == 0
    text = run_cli("status", "--changes", "--db", str(path))
    as_json = run_cli("--db", str(path), "status", "--json", "--changes")
    assert text.returncode == 0 and as_json.returncode == 0, text.stderr + as_json.stderr
    with open_store(path) as store:
        expected = changes.what_changed(store)
    lines = text.stdout.splitlines()
    assert lines[0] == f"{changes.HEADING}. {changes.SCOPE}"
    assert lines[1:] == [f"- {change.sentence}" for change in expected]
    assert lines[1].startswith("- Kelderby Youth Service turned red: 15 people per 1,000")
    records = json.loads(as_json.stdout)
    assert records == [json.loads(json.dumps(change.as_json())) for change in expected]
    assert set(records[0]) == {"page_id", "name", "kind", "window_days", "before", "after",
                               "numbers", "sentence"}
    assert {record["kind"] for record in records} >= {"turned_red", "stale", "no_data"}


def test_nothing_to_report_says_so(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "empty.sqlite"
    open_store(path).close()
    result = run_cli("status", "--changes", "--db", str(path))
    assert result.returncode == 0
    assert result.stdout.splitlines()[1] == changes.NOTHING
    assert json.loads(run_cli("status", "--changes", "--json", "--db", str(path)).stdout) == []
