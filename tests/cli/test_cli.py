"""The command line as scheduled tasks and officers use it: a separate process each time."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from engage_desktop import __version__

STATUS_KEYS = {"page_id", "name", "followers", "talking_about", "per_1000", "status",
               "trend_28d", "as_of"}


@pytest.fixture
def demo_db(tmp_path: Path, run_cli) -> Path:
    path = tmp_path / "demo" / "d.sqlite"
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "12 Pages" in result.stdout and str(path) in result.stdout
    return path


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"engage-desktop {__version__}"


def test_status_prints_a_believable_traffic_light(demo_db: Path, run_cli) -> None:
    result = run_cli("status", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in ("■ Red", "▲ Amber", "● Green", "○ No data", "▼", "Kelderby Youth Service",
                     "3 red · 4 amber · 3 green · 2 no data", "Red below 20"):
        assert expected in out
    youth = next(line for line in out.splitlines() if "Youth Service" in line)
    assert youth.split()[:2] == ["■", "Red"] and " 200 " in youth and " 15.0 " in youth


def test_status_json_has_the_documented_keys(demo_db: Path, run_cli) -> None:
    result = run_cli("status", "--json", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 12
    assert all(set(row) >= STATUS_KEYS for row in rows)
    assert {row["status"] for row in rows} == {"red", "amber", "green", "no_data"}
    youth = next(row for row in rows if row["name"] == "Kelderby Youth Service")
    assert (youth["followers"], youth["talking_about"], youth["per_1000"]) == (200, 3, 15.0)
    assert youth["trend_28d"] < 0 and youth["as_of"].endswith("Z")


def test_db_is_accepted_before_or_after_the_command_and_from_the_environment(
        demo_db: Path, run_cli) -> None:
    after = run_cli("status", "--json", "--db", str(demo_db)).stdout
    before = run_cli("--db", str(demo_db), "status", "--json").stdout
    from_env = run_cli("status", "--json", env={"ENGAGE_DB": str(demo_db)}).stdout
    assert json.loads(after) == json.loads(before) == json.loads(from_env)


def test_demo_flag_makes_and_uses_the_demo_database_apart_from_real_data(
        run_cli, isolated_data_dirs: Path) -> None:
    result = run_cli("--demo", "status", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 12
    demo_file = isolated_data_dirs / "data" / "engage-desktop" / "demo.sqlite"
    assert demo_file.is_file()
    assert not (demo_file.parent / "engage.sqlite").exists()


def test_a_missing_database_is_a_one_line_error(tmp_path: Path, run_cli) -> None:
    missing = tmp_path / "nowhere" / "typo.sqlite"
    result = run_cli("status", "--db", str(missing))
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no database" in result.stderr and str(missing) in result.stderr
    assert not missing.exists(), "a typo must not create an empty database"


@pytest.mark.parametrize("content", [b"Date,Likes\n2024-01-01,200\n", b"\x00" * 64])
def test_a_foreign_file_is_refused_without_a_traceback(tmp_path: Path, run_cli, content) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    result = run_cli("status", "--db", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "not an SQLite file" in result.stderr
    assert path.read_bytes() == content


def test_another_programs_database_is_refused(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    result = run_cli("status", "--db", str(path))
    assert result.returncode == 1 and "another program" in result.stderr


def test_demo_refuses_a_database_with_real_pages(tmp_path: Path, run_cli) -> None:
    from engage_desktop.core.models import PageInfo
    from engage_desktop.core.store import open_store

    path = tmp_path / "real.sqlite"
    with open_store(path) as store:
        store.upsert_pages([PageInfo("1", "Our Council", "own")])
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 1 and "real data" in result.stderr
    with open_store(path) as store:
        assert [page.name for page in store.pages()] == ["Our Council"]


def test_an_empty_database_says_what_to_do_next(tmp_path: Path, run_cli) -> None:
    from engage_desktop.core.store import open_store

    path = tmp_path / "new.sqlite"
    open_store(path).close()
    result = run_cli("status", "--db", str(path))
    assert result.returncode == 0 and "No Pages are followed" in result.stdout
    assert json.loads(run_cli("status", "--json", "--db", str(path)).stdout) == []


def test_thresholds_can_be_shown_changed_and_are_validated(demo_db: Path, run_cli) -> None:
    assert "Red below 20" in run_cli("thresholds", "--db", str(demo_db)).stdout
    changed = run_cli("thresholds", "--db", str(demo_db), "--amber", "5", "--green", "10")
    assert changed.returncode == 0 and "Red below 5" in changed.stdout
    rows = json.loads(run_cli("status", "--json", "--db", str(demo_db)).stdout)
    assert "red" not in {row["status"] for row in rows}
    refused = run_cli("thresholds", "--db", str(demo_db), "--amber", "60")
    assert refused.returncode == 1 and "must be below the green threshold" in refused.stderr
    assert "Red below 5" in run_cli("thresholds", "--db", str(demo_db)).stdout


@pytest.mark.parametrize("args", [["status", "--bogus"], ["demo", "--pages", "0"],
                                  ["--db", "a", "--demo", "status"], ["nonsense"]])
def test_usage_errors_exit_2(run_cli, args) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_the_demo_sizes_follow_the_flags(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "big.sqlite"
    result = run_cli("demo", "--db", str(path), "--pages", "20", "--days", "14", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "20 Pages" in result.stdout and "14 Nov" not in result.stdout.split("from")[0]
    assert len(json.loads(run_cli("status", "--json", "--db", str(path)).stdout)) == 20


def test_demo_writes_to_engage_db_when_set(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "from-env.sqlite"
    result = run_cli("demo", "--pages", "2", "--days", "3", env={"ENGAGE_DB": str(path)})
    assert result.returncode == 0 and str(path) in result.stdout
    assert len(json.loads(run_cli("status", "--json", env={"ENGAGE_DB": str(path)}).stdout)) == 2


@pytest.mark.parametrize("args", [["status", "--db", ""], ["demo", "--days", "99999999"]])
def test_nonsense_values_are_usage_errors(run_cli, args) -> None:
    result = run_cli(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_closed_pipe_ends_quietly(tmp_path: Path, run_cli) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "many.sqlite"
    assert run_cli("demo", "--db", str(path), "--pages", "3000", "--days", "1").returncode == 0
    pipeline = subprocess.run(
        f"{sys.executable} -m engage_desktop status --db '{path}' | head -n 1", shell=True,
        capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False)
    assert pipeline.stdout.startswith("Status")
    assert "Traceback" not in pipeline.stderr and "BrokenPipe" not in pipeline.stderr


def test_broken_stored_thresholds_are_reported_on_stderr(demo_db: Path, run_cli) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE settings SET value = 'amber=10' WHERE key = 'traffic_light'")
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('traffic_light', "
                 "'amber=10')")
    conn.commit()
    conn.close()
    result = run_cli("status", "--db", str(demo_db))
    assert result.returncode == 0 and "Red below 20" in result.stdout
    assert "Warning: The setting 'traffic_light' in the database cannot be used" in result.stderr
