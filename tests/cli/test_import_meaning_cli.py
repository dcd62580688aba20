"""``engage-desktop import`` on the files officers hold: a dry run gives the import's verdict,
the text output stays short for a 2,700-column classic export, each file says how its dates
were read, Instagram blocks are left out in one line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.export_shapes import days_from, mbs_blocks, write_classic


def _with_bad_rows(path: Path) -> Path:
    path.write_text("Date,Followers,Talking about\n2024-03-01,200,3\n2024-03-02,lots,4\n"
                    "2024-03-03,202,=1+1\n2024-03-04,203,5\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("accepted", [False, True])
def test_a_dry_run_gives_the_same_verdict_as_the_import(run_cli, tmp_path: Path,
                                                        accepted: bool) -> None:
    db = tmp_path / "engage.sqlite"
    sheet = _with_bad_rows(tmp_path / "sheet.csv")
    extra = ["--skip-bad-rows"] if accepted else []
    dry = run_cli("--db", str(db), "import", str(sheet), "--page", "P", "--dry-run", *extra)
    dry_json = run_cli("--db", str(db), "import", str(sheet), "--page", "P", "--dry-run",
                       "--json", *extra)
    assert not db.exists()
    done = run_cli("--db", str(db), "import", str(sheet), "--page", "P", *extra)
    assert dry.returncode == dry_json.returncode == done.returncode == (0 if accepted else 1), (
        dry.stdout, done.stdout)
    summary = json.loads(dry_json.stdout)
    assert summary["skipped"] == 2 and summary["ready"] is accepted
    assert summary["stopped_by_skips"] is (not accepted)
    needs = ("2 rows would be skipped (listed above). Correct the file, or run again with "
             "--skip-bad-rows to import the rest.")
    for output in (dry.stdout, done.stdout):
        assert "2 rows skipped:" in output
        assert (needs in output) is not accepted
    assert db.exists() is accepted
    if not accepted:
        assert "Dry run: the import would stop." in dry.stdout


def test_classic_export_of_2700_columns_is_summed_up_in_a_few_short_lines(
        run_cli, tmp_path: Path) -> None:
    db = tmp_path / "engage.sqlite"
    classic = write_classic(tmp_path / "Facebook Insights Data Export - Museum.csv",
                            days_from(date(2014, 2, 1), 30), columns=2700)
    result = run_cli("--db", str(db), "import", str(classic), "--page", "Kelderby Museum",
                     "--dates", "dmy", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) < 400 and len(lines) < 12, result.stdout
    assert "Weekly People Talking About This → talking_about" in result.stdout
    assert "Lifetime Total Likes → fans" in result.stdout
    assert "breakdown columns left out (--keep-breakdowns keeps them)" in result.stdout
    assert "dates read month-first: 2/13/2014 settles it" in result.stdout  # whatever --dates
    full = json.loads(run_cli("--db", str(db), "import", str(classic), "--page", "Museum",
                              "--dry-run", "--json").stdout)
    report = full["files"][0]
    assert report["breakdowns_left_out"] > 2500 and len(report["mapping"]) < 100
    assert report["date_order"] == "dates read month-first: 2/13/2014 settles it"


def test_a_two_block_file_imports_without_skip_bad_rows(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "engage.sqlite"
    path = mbs_blocks(tmp_path / "Follows.csv", [
        ("Follows", dict.fromkeys(days_from(date(2024, 2, 1), 10), 3)),
        ("Instagram follows", dict.fromkeys(days_from(date(2024, 2, 1), 234), 9))], sep="\t")
    result = run_cli("--db", str(db), "import", str(path), "--page", "Kelderby Museum",
                     "--followers", "900")
    assert result.returncode == 0, result.stdout
    assert "Instagram block skipped: 234 rows" in result.stdout
    assert ("“Follows” does not say Facebook or Instagram: read as Facebook data of Kelderby "
            "Museum") in result.stdout
    assert "rows skipped:" not in result.stdout and "row skipped:" not in result.stdout
