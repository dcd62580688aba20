"""engage-desktop --self-test: every check with pass or fail and what to do, as IT runs it."""

from __future__ import annotations

import json


def test_self_test_passes_with_a_real_secret_service(run_cli, secret_service) -> None:
    result = run_cli("--self-test", "--json", env={"QT_QPA_PLATFORM": "offscreen"})
    report = json.loads(result.stdout)
    names = [check["name"] for check in report["checks"]]
    assert names == ["Version", "Data folder", "SQLite", "Keyring", "Trust store", "Proxy",
                     "Chart export"]
    failed = [check for check in report["checks"] if not check["ok"]]
    assert failed == [] and report["ok"] and result.returncode == 0, failed
    keyring = next(check for check in report["checks"] if check["name"] == "Keyring")
    assert "Secret Service" in keyring["detail"] and "deleted" in keyring["detail"]


def test_self_test_says_what_to_fix_when_a_check_fails(run_cli) -> None:
    result = run_cli("--self-test", env={"QT_QPA_PLATFORM": "offscreen",
                                         "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.returncode == 1
    assert "FAIL  Keyring" in result.stdout
    assert "What to do: " in result.stdout and "Credential Manager" in result.stdout
    assert "PASS  SQLite" in result.stdout and "PASS  Chart export" in result.stdout


def test_self_test_checks_the_folder_of_the_chosen_database(run_cli, tmp_path) -> None:
    db = tmp_path / "elsewhere" / "engage.sqlite"
    db.parent.mkdir()
    result = run_cli("--db", str(db), "--self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert f"Data folder: {db.parent}" in result.stdout


def test_json_before_a_command_is_refused_plainly(run_cli) -> None:
    result = run_cli("--json", "status")
    assert result.returncode == 2 and "put --json after it" in result.stderr
