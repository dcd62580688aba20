"""What the program leaves on disk: killed exports leave a file nobody takes for a result, swept
by the next export; everything it creates is readable by its own account only; no export may
replace the window's settings (issue: killed exports left `.series-xxxx.csv` files of 3–34 MB
for ever; the database, its folder and the settings were readable by every account)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engage_desktop.core.demo import write_demo
from engage_desktop.core.exporting.files import UNFINISHED
from engage_desktop.core.paths import window_settings_file
from engage_desktop.core.settings import DEMO
from engage_desktop.core.store import open_store

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("left") / "engage.sqlite"
    with open_store(path) as store:
        write_demo(store, pages=60, days=2000)
    return path


def test_a_killed_export_leaves_a_plain_leftover_that_the_next_export_sweeps(
        big_db: Path, tmp_path: Path, run_cli) -> None:
    out = tmp_path / "series.csv"
    process = subprocess.Popen([sys.executable, "-m", "engage_desktop", "export", "data",
                                "--what", "series", "--range", "all", "--db", str(big_db),
                                "--out", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(tmp_path.glob(f"*{UNFINISHED}")) and process.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    left = list(tmp_path.glob(f"*{UNFINISHED}"))
    assert len(left) == 1 and not out.exists(), "killed while writing"
    assert left[0].name.startswith("series.csv.") and left[0].name.endswith(".tmp")
    # another export still being written (a fresh file) is not touched ...
    assert run_cli("export", "data", "--db", str(big_db),
                   "--out", str(tmp_path / "status.csv")).returncode == 0
    assert left[0].exists()
    # ... but one left for longer than any export takes is swept by the next export there
    old = time.time() - 3600
    os.utime(left[0], (old, old))
    assert run_cli("export", "data", "--db", str(big_db),
                   "--out", str(tmp_path / "status-2.csv")).returncode == 0
    assert not left[0].exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["status-2.csv", "status.csv"]


@posix_only
def test_the_database_its_folders_and_exports_are_private(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "new" / "deeper" / "engage.sqlite"
    made = run_cli("demo", "--pages", "2", "--days", "3", "--db", str(db))
    assert made.returncode == 0, made.stderr
    assert _mode(tmp_path / "new") == _mode(db.parent) == 0o700
    with open_store(db) as store:  # -wal and -shm exist while it is open
        store.settings.set(DEMO, True)
        files = [db, *[Path(f"{db}{suffix}") for suffix in ("-wal", "-shm")]]
        assert {file.name: _mode(file) for file in files} == {file.name: 0o600
                                                              for file in files}
    out = tmp_path / "status.csv"
    assert run_cli("export", "data", "--db", str(db), "--out", str(out)).returncode == 0
    assert _mode(out) == 0o600


@posix_only
def test_an_existing_folder_keeps_its_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "team"
    shared.mkdir(mode=0o775)
    os.chmod(shared, 0o775)
    open_store(shared / "engage.sqlite").close()
    assert _mode(shared) == 0o775
    assert _mode(shared / "engage.sqlite") == 0o600


@posix_only
def test_the_windows_settings_are_private_and_no_export_replaces_them(
        run_cli, tmp_path: Path, big_db: Path) -> None:
    from engage_desktop.ui.app import application
    from engage_desktop.ui.main_window import settings_for

    application()
    settings = settings_for()
    settings.setValue("charts/range", 1)
    settings.sync()
    file = Path(settings.fileName())
    assert file == window_settings_file()  # where Qt keeps them is where we protect
    assert _mode(file) == 0o600 and _mode(file.parent) == 0o700
    before = file.read_bytes()
    with open_store(big_db) as store:
        page = store.pages()[0].id
    for command in (["data"], ["chart", "--format", "png", "--page", page]):
        result = run_cli("export", *command, "--db", str(big_db), "--out", str(file), "--force")
        assert result.returncode == 1
        assert "the window's settings: an export cannot replace it" in result.stderr
    assert file.read_bytes() == before
