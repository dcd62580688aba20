"""Alerts from the command line, as a scheduled task leaves them: ``engage-desktop sync`` (a
separate process, tokens in a real Secret Service, the loopback Graph API) records an alert when
a Page turns red and prints it, a second sync the same day records none, and ``alerts`` lists
them, as JSON too, and marks them seen."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from factories import LEISURE, green_a_week_ago

from engage_desktop.core.timeutil import uk_day, utc_now

ALERT_KEYS = {"id", "page_id", "name", "kind", "day", "numbers", "sentence", "seen"}


def test_a_sync_that_turns_a_page_red_alerts_once(connected_db: Path, run_cli) -> None:
    green_a_week_ago(connected_db)
    result = run_cli("sync", "--no-insights", "--db", str(connected_db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("5 of 5 Pages synced")
    assert lines[1] == "New alert (1):"
    assert ": Example Leisure turned red: 15 people per 1,000" in lines[2]
    # the same day again: synced, nothing repeated
    again = run_cli("sync", "--json", "--no-insights", "--db", str(connected_db))
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["alerts"] == []
    rows = sqlite3.connect(connected_db).execute(
        "SELECT page_id, kind, seen_at FROM alerts").fetchall()
    assert rows == [(LEISURE, "turned_red", None)]


def test_sync_json_and_the_alerts_command(connected_db: Path, run_cli) -> None:
    green_a_week_ago(connected_db)
    synced = json.loads(run_cli("sync", "--json", "--no-insights", "--db",
                                str(connected_db)).stdout)
    [alert] = synced["alerts"]
    assert set(alert) == ALERT_KEYS
    today = uk_day(utc_now()).isoformat()
    assert (alert["page_id"], alert["name"], alert["kind"], alert["day"], alert["seen"]) == (
        LEISURE, "Example Leisure", "turned_red", today, False)
    assert alert["numbers"]["per_1000_after"] == 15.0
    assert alert["numbers"]["status_before"] == "green"

    listed = run_cli("alerts", "--json", "--db", str(connected_db))
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [alert]
    text = run_cli("alerts", "--db", str(connected_db)).stdout
    assert ": Example Leisure turned red" in text
    assert json.loads(run_cli("alerts", "--json", "--since", today, "--db",
                              str(connected_db)).stdout) == [alert]

    marked = run_cli("alerts", "--mark-seen", "--db", str(connected_db))
    assert marked.returncode == 0 and "Marked 1 alert seen." in marked.stdout
    assert run_cli("alerts", "--db", str(connected_db)).stdout.strip() == (
        "No alerts that have not been seen.")
    assert json.loads(run_cli("alerts", "--json", "--db", str(connected_db)).stdout) == []
    every = json.loads(run_cli("alerts", "--json", "--all", "--db", str(connected_db)).stdout)
    assert [(a["id"], a["seen"]) for a in every] == [(alert["id"], True)]
    assert "(seen)" in run_cli("alerts", "--all", "--db", str(connected_db)).stdout


def test_alerts_refuses_a_bad_day_in_words(connected_db: Path, run_cli) -> None:
    result = run_cli("alerts", "--since", "24/11/2026", "--db", str(connected_db))
    assert result.returncode == 2
    assert "'24/11/2026' is not a date: give it as YYYY-MM-DD" in result.stderr


def test_an_unreadable_alert_is_left_out_with_a_warning(connected_db: Path, run_cli) -> None:
    green_a_week_ago(connected_db)
    run_cli("sync", "--no-insights", "--db", str(connected_db))
    with sqlite3.connect(connected_db) as conn:
        conn.execute("INSERT INTO alerts (page_id, kind, day, numbers, sentence, created_at) "
                     "VALUES (?, 'stale', '2026-11-02', 'oops', 'x', '2026-11-02T10:00:00Z')",
                     [LEISURE])
    result = run_cli("alerts", "--json", "--db", str(connected_db))
    assert result.returncode == 0
    assert [a["kind"] for a in json.loads(result.stdout)] == ["turned_red"]
    assert "1 alert is unreadable: numbers = 'oops'" in result.stderr


def test_a_database_open_read_only_lists_its_alerts_and_refuses_to_mark_them(
        connected_db: Path, run_cli) -> None:
    green_a_week_ago(connected_db)
    run_cli("sync", "--no-insights", "--db", str(connected_db))
    listed = run_cli("alerts", "--json", "--read-only", "--db", str(connected_db))
    assert listed.returncode == 0, listed.stderr
    assert [a["kind"] for a in json.loads(listed.stdout)] == ["turned_red"]
    refused = run_cli("alerts", "--mark-seen", "--read-only", "--db", str(connected_db))
    assert refused.returncode == 6  # read-only
    assert "it was opened read-only, as asked" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert sqlite3.connect(connected_db).execute(
        "SELECT count(*) FROM alerts WHERE seen_at IS NULL").fetchone() == (1,)
