"""Test set-up shared by every test: offscreen Qt, isolated data folders, a few factories."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Before anything imports Qt: no display here, and none on CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

from engage_desktop.core.store import Store, open_store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_data_dirs(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real per-user data folder and database."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("ENGAGE_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "engage.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with open_store(db_path) as opened:
        yield opened


@pytest.fixture
def run_cli(isolated_data_dirs: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real program as a separate process, as a scheduled task or an officer would."""

    def run(*args: str, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
        return subprocess.run([sys.executable, "-m", "engage_desktop", *args], input=stdin,
                              capture_output=True, text=True, encoding="utf-8", env=full_env,
                              timeout=120, check=False)

    return run
