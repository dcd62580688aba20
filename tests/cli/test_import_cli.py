"""``engage-desktop import`` as a separate process: dry run, the questions, the import, the
traffic light built from files alone."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

from engage_desktop.core.timeutil import uk_day, utc_now


def _sheet(path: Path, pages: dict[str, tuple[int, int]]) -> Path:
    """A hand-kept spreadsheet of the last 40 days for some Pages (followers, talking)."""
    today = uk_day(utc_now())
    lines = ["Page name,Date,Followers,Talking about"]
    for name, (followers, talking) in pages.items():
        for back in range(40):
            day = today - timedelta(days=back)
            lines.append(f"{name},{day:%d/%m/%Y},{followers - back},{talking}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_dry_run_then_import_then_the_traffic_light(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    sheet = _sheet(tmp_path / "pages.csv", {"Kelderby Youth Service": (200, 3),
                                            "Kelderby Libraries": (4347, 289)})
    dry = run_cli("--db", str(db), "import", str(sheet), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Dry run: nothing was written" in dry.stdout
    assert "Kelderby Youth Service (new Page)" in dry.stdout
    assert not db.exists()  # not even an empty database

    done = run_cli("--db", str(db), "import", str(sheet), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["committed"] and summary["changes"] == 80
    assert summary["files"][0]["format"] == "Spreadsheet (date and audience columns)"

    again = run_cli("--db", str(db), "import", str(sheet))
    assert again.returncode == 0 and "Nothing to change" in again.stdout

    status = json.loads(run_cli("--db", str(db), "status", "--json").stdout)
    by_name = {row["name"]: row for row in status}
    assert by_name["Kelderby Youth Service"]["status"] == "red"  # 3 of 200: 15 per 1,000
    assert by_name["Kelderby Libraries"]["status"] == "green"
    with sqlite3.connect(db) as conn:
        kinds = {row[0] for row in conn.execute("SELECT kind FROM pages")}
    assert kinds == {"imported"}


def test_import_asks_instead_of_guessing_and_writes_nothing(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "engage.sqlite"
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Date,Followers\n01/03/2024,200\n02/03/2024,201\n")
    result = run_cli("--db", str(db), "import", str(sheet))
    assert result.returncode == 1
    assert "--dates dmy or --dates mdy" in result.stdout
    assert "Nothing was written" in result.stdout
    result = run_cli("--db", str(db), "import", str(sheet), "--dates", "dmy")
    assert result.returncode == 1 and "which Page" in result.stdout
    result = run_cli("--db", str(db), "import", str(sheet), "--dates", "dmy", "--page",
                     "Kelderby Archives")
    assert result.returncode == 0, result.stdout
    assert "2 new readings" in result.stdout


def test_import_refuses_bad_arguments_plainly(run_cli, tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "x.sqlite"), "import", "a.csv", "--followers",
                     "-3")
    assert result.returncode == 2 and "negative" in result.stderr
    result = run_cli("--db", str(tmp_path / "x.sqlite"), "import", "a.csv", "--column",
                     "Likes=colour")
    assert result.returncode == 2 and "HEADER=FIELD" in result.stderr
    missing = run_cli("--db", str(tmp_path / "x.sqlite"), "import", str(tmp_path / "none.csv"))
    assert missing.returncode == 1 and "there is no such file" in missing.stdout


def test_bad_rows_stop_the_import_until_the_officer_accepts_them(run_cli,
                                                                 tmp_path: Path) -> None:
    db = tmp_path / "engage.sqlite"
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Date,Followers\n2024-03-13,200\n2024-03-14,=SUM(A1:A2)\n")
    result = run_cli("--db", str(db), "import", str(sheet), "--page", "P")
    assert result.returncode == 1
    assert "line 3: followers: '=SUM(A1:A2)' is a formula" in result.stdout
    assert "--skip-bad-rows" in result.stdout
    assert not db.exists()  # a failed import makes no database
    result = run_cli("--db", str(db), "import", str(sheet), "--page", "P", "--skip-bad-rows")
    assert result.returncode == 0, result.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM readings").fetchone()[0] == 1
