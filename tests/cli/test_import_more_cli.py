"""``engage-desktop import`` with the newer answers as a separate process: --on for the
Audience export, --year for dates without one, --followers N@YYYY-MM-DD, and clear refusals of
badly written answers."""

from __future__ import annotations

import codecs
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from engage_desktop.core.timeutil import uk_day, utc_now


def _audience(path: Path) -> Path:
    lines = ["sep=,", '"Facebook followers"', '"FB_PAGE FOLLOW UNIQUE_USERS"', '"4347"', "",
             '"Instagram followers"', '"IG_USER FOLLOW UNIQUE_USERS"', '"1210"', "",
             '"Age & gender"', '"Age","Women","Men"', '"18-24","5.2","3.1"']
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    return path


def _follows(path: Path) -> Path:
    lines = ["sep=,", '"Facebook follows"', '"Date","Primary"']
    lines += [f'"2025-01-{d:02d}T00:00:00","3"' for d in range(10, 16)]
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    return path


def _followers(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT followers FROM readings ORDER BY taken_at").fetchall()


def test_audience_export_needs_on_then_imports(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "engage.sqlite"
    audience = _audience(tmp_path / "Audience.csv")
    asked = run_cli("--db", str(db), "import", str(audience), "--page", "Kelderby Museum")
    assert asked.returncode == 1
    assert "Which day is this follower total from? (--on YYYY-MM-DD)" in asked.stdout
    assert not db.exists()

    done = run_cli("--db", str(db), "import", str(audience), "--page", "Kelderby Museum",
                   "--on", "2025-01-15", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads(done.stdout)
    assert summary["committed"]
    assert summary["files"][0]["format"] == "Meta Business Suite Audience export"
    assert summary["pages"][0]["first_day"] == "2025-01-15"
    assert _followers(db) == [(4347,)]


def test_year_answers_dates_without_one(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "engage.sqlite"
    sheet = tmp_path / "kept.csv"
    sheet.write_text("Date;Followers;Talking about\n30 Dec;200;3\n31 Dec;201;4\n1 Jan;202;5\n",
                     encoding="utf-8")
    asked = run_cli("--db", str(db), "import", str(sheet), "--page", "P", "--json")
    assert asked.returncode == 1
    assert [q["need"] for q in json.loads(asked.stdout)["questions"]] == ["year"]
    done = run_cli("--db", str(db), "import", str(sheet), "--page", "P", "--year", "2024")
    assert done.returncode == 0, done.stdout
    assert "(CSV (UTF-8, semicolons))" in done.stdout
    assert "30 Dec 2024 to 01 Jan 2025" in done.stdout


def test_followers_with_a_date(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "engage.sqlite"
    follows = _follows(tmp_path / "Follows.csv")
    done = run_cli("--db", str(db), "import", str(follows), "--page", "P",
                   "--followers", "2,000@2025-01-16")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the total of 2,000 followers on 16 Jan 2025, as given" in done.stdout
    assert _followers(db)[-1] == (2000,)


def test_asked_for_followers_the_hint_names_the_dated_form(run_cli, tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "e.sqlite"), "import",
                     str(_follows(tmp_path / "Follows.csv")), "--page", "P")
    assert result.returncode == 1
    assert "(--followers N, or N@YYYY-MM-DD for a total on another day)" in result.stdout


@pytest.mark.parametrize(("flag", "value", "says"), [
    ("--followers", "12@", "give the day after @, as N@YYYY-MM-DD"),
    ("--followers", "twelve@2025-01-01", "'twelve@2025-01-01' is not a whole number (give N "
                                         "or N@YYYY-MM-DD)"),
    ("--followers", "12@31/01/2025", "'31/01/2025' is not a date: give it as YYYY-MM-DD"),
    ("--followers", "-5@2025-01-01", "a follower count cannot be negative"),
    ("--on", "2025-02-30", "'2025-02-30' is not a date"),
    ("--on", "2003-06-01", "before Facebook existed"),
    ("--year", "25", "give a year from 2004 to"),
])
def test_badly_written_answers_are_refused_in_words(run_cli, tmp_path: Path, flag: str,
                                                    value: str, says: str) -> None:
    result = run_cli("--db", str(tmp_path / "e.sqlite"), "import",
                     str(_audience(tmp_path / "Audience.csv")), f"{flag}={value}")
    assert result.returncode == 2
    assert says in result.stderr


def test_days_in_the_future_are_refused(run_cli, tmp_path: Path) -> None:
    tomorrow = (uk_day(utc_now()) + timedelta(days=1)).isoformat()
    for flag in (f"--on={tomorrow}", f"--followers=5@{tomorrow}"):
        result = run_cli("--db", str(tmp_path / "e.sqlite"), "import",
                         str(_audience(tmp_path / "Audience.csv")), flag)
        assert result.returncode == 2 and "is in the future" in result.stderr
