"""Ctrl+C stops every command with exit 130 and one line, keeping what was committed and
leaving no half-written file; the window closes on it (issue: `import`, `export chart` and
`demo` printed a KeyboardInterrupt traceback and exited -2; an export interrupted while Qt
loaded or drew aborted or crashed the process)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from engage_desktop.core.demo import write_demo
from engage_desktop.core.store import open_store

pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").exists(),
                                reason="watches the process through /proc")
STOPPED = "engage-desktop: stopped (Ctrl+C)"


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("interrupts") / "engage.sqlite"
    with open_store(path) as store:
        write_demo(store, pages=12, days=1500)
    return path


def _started_command(process: subprocess.Popen) -> bool:
    """Whether the program has got as far as running its command: the core's store (and so
    SQLite) is loaded only there."""
    try:
        return "_sqlite3" in Path(f"/proc/{process.pid}/maps").read_text()
    except OSError:
        return False


def _interrupt(args: list[str], *, after: float, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen([sys.executable, "-m", "engage_desktop", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})
    deadline = time.monotonic() + 30
    while not _started_command(process) and process.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _stopped_plainly(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 130, (result.returncode, result.stderr[-3000:])
    assert result.stderr.strip().splitlines() == [
        "engage-desktop: stopped (Ctrl+C). What was saved before is kept; nothing was saved "
        "half way."], result.stderr[-3000:]


def _intact(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _leftovers(folder: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep
                  and not p.name.startswith("engage.sqlite"))


@pytest.mark.parametrize("attempt", range(4))
@pytest.mark.parametrize("what", ["chart", "briefing"])
def test_ctrl_c_during_an_export_drawn_with_qt(big_db: Path, tmp_path: Path, what: str,
                                               attempt: int, isolated_data_dirs: Path) -> None:
    # anywhere from loading Qt to drawing; the export takes about a second
    after = random.Random(attempt).uniform(0.0, 0.5)
    out = tmp_path / ("chart.png" if what == "chart" else "briefing.pdf")
    args = ["export", what, "--db", str(big_db), "--out", str(out)]
    if what == "chart":
        with sqlite3.connect(big_db) as conn:
            pages = [row[0] for row in conn.execute("SELECT id FROM pages LIMIT 8")]
        args += ["--range", "all", "--page", *pages]
    result = _interrupt(args, after=after)
    _stopped_plainly(result)
    assert _leftovers(tmp_path) == [], "no export and no temporary file"
    _intact(big_db)


def test_ctrl_c_during_an_import_keeps_the_database_as_it_was(tmp_path: Path,
                                                             isolated_data_dirs: Path) -> None:
    sheet = tmp_path / "pages.csv"
    lines = ["Page name,Date,Followers,Talking about"]
    for number in range(60):
        lines += [f"Kelderby Page {number},{date(2021, 1, 1) + timedelta(days=day)},"
                  f"{1000 + day},{day % 40}" for day in range(1500)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "engage.sqlite"
    with open_store(db) as store:
        write_demo(store, pages=2, days=10)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*) FROM readings").fetchone()[0]
    _stopped_plainly(_interrupt(["import", str(sheet), "--db", str(db)], after=1.0))
    _intact(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM readings").fetchone()[0] == before


def test_ctrl_c_during_demo_leaves_no_half_database(tmp_path: Path,
                                                   isolated_data_dirs: Path) -> None:
    db = tmp_path / "engage.sqlite"
    _stopped_plainly(_interrupt(["demo", "--pages", "200", "--days", "3000", "--db", str(db)],
                                after=0.5))
    if db.exists():
        _intact(db)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM readings").fetchone()[0] == 0


def test_ctrl_c_during_a_series_export_leaves_no_file(big_db: Path, tmp_path: Path,
                                                      isolated_data_dirs: Path) -> None:
    out = tmp_path / "series.csv"
    result = _interrupt(["export", "data", "--what", "series", "--range", "all",
                         "--db", str(big_db), "--out", str(out)], after=0.05)
    _stopped_plainly(result)
    assert _leftovers(tmp_path) == []


def test_ctrl_c_closes_the_window(big_db: Path, isolated_data_dirs: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "engage_desktop", "--db", str(big_db)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None \
            and "libQt6Widgets" not in Path(f"/proc/{process.pid}/maps").read_text():
        time.sleep(0.05)
    time.sleep(2.0)  # the window is shown and its event loop running
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err[-3000:]
    assert "Traceback" not in err
