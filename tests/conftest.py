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

import keyring  # noqa: E402
import keyring.backends.fail  # noqa: E402
from graph_server import GraphServer, GraphState, example_council  # noqa: E402
from keyrings import (  # noqa: E402
    REQUIRE_ENV,
    MemoryKeyring,
    clear_secret_service,
    secret_service_session,
)

from engage_desktop.core.store import Store, open_store  # noqa: E402
from engage_desktop.core.tokens import SERVICE, forget_session_tokens  # noqa: E402

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


@pytest.fixture(autouse=True)
def no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the keyring of the person running the tests: in this process and in
    the processes it starts, the keyring fails unless a test asks for one. Tokens kept for
    the session only (they belong to the process) are forgotten after each test."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)
    forget_session_tokens()


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture(scope="session")
def secret_service_env() -> Iterator[dict[str, str]]:
    """A real Secret Service (gnome-keyring on a private D-Bus) for the whole session. CI sets
    ENGAGE_REQUIRE_SECRET_SERVICE=1 so that a missing one fails instead of skipping."""
    try:
        with secret_service_session() as env:
            yield env
    except FileNotFoundError as exc:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"a real Secret Service is required here: {exc}")
        pytest.skip(f"no Secret Service: {exc}")


@pytest.fixture
def secret_service(secret_service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    """The real Secret Service backend, also selected for processes the test starts."""
    from keyring.backends.SecretService import Keyring

    for name, value in secret_service_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    backend = Keyring()
    keyring.set_keyring(backend)
    clear_secret_service(SERVICE)
    yield backend
    clear_secret_service(SERVICE)


class Sleeps(list):
    """Stands in for the sync's sleep: records each pause instead of waiting it out."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def graph_state() -> GraphState:
    return example_council()


@pytest.fixture
def graph(graph_state: GraphState, monkeypatch: pytest.MonkeyPatch) -> Iterator[GraphServer]:
    """The loopback Graph API with an example council, and ENGAGE_GRAPH_URL pointing at it."""
    with GraphServer(graph_state) as server:
        monkeypatch.setenv("ENGAGE_GRAPH_URL", server.url)
        yield server


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


@pytest.fixture
def connect_council(run_cli, graph: GraphServer, secret_service) -> Callable[..., Path]:
    """Connect the example council's officer to the database ``db`` with the real command line
    (the Page tokens go into the real Secret Service) and follow the ``public`` Pages given;
    returns ``db``."""

    def connect(db: Path, *public: str) -> Path:
        token = graph.state.users["1000001"].token
        assert run_cli("connect", "--token-stdin", "--db", str(db), stdin=token).returncode == 0
        if public:
            assert run_cli("follow", "--db", str(db), *public).returncode == 0
        return db

    return connect


@pytest.fixture
def connected_db(connect_council, db_path: Path) -> Path:
    """The example council connected, its two public Pages followed, never synced."""
    return connect_council(db_path, "ExampleCounty", "ExampleDistrictCouncil")


@pytest.fixture(scope="session", autouse=True)
def tidy_qt_at_the_end() -> Iterator[None]:
    """Delete Qt objects while the application still exists: left to the interpreter's final
    garbage collection, PySide6 with pyqtgraph can crash on the way out."""
    yield
    import gc
    import sys

    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            for widget in QApplication.topLevelWidgets():
                widget.close()
                widget.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
        gc.collect()
