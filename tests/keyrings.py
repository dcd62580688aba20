"""Keyrings for tests: an in-memory backend, and a real Secret Service on a private D-Bus."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import keyring.errors
from keyring.backend import KeyringBackend

REQUIRE_ENV = "ENGAGE_REQUIRE_SECRET_SERVICE"


class MemoryKeyring(KeyringBackend):
    """A keyring in a dict. ``fail_with`` makes every call raise that exception, and
    ``fail_on_set_after`` lets that many writes succeed, fails the next one, and then works
    again (a keyring that hiccups once)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, fail_with: Exception | None = None,
                 fail_on_set_after: int | None = None) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.fail_with = fail_with
        self.fail_on_set_after = fail_on_set_after

    def get_password(self, service: str, username: str) -> str | None:
        if self.fail_with:
            raise self.fail_with
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.fail_with:
            raise self.fail_with
        if self.fail_on_set_after is not None:
            if self.fail_on_set_after <= 0:
                self.fail_on_set_after = None
                raise keyring.errors.PasswordSetError(f"could not store {password}")
            self.fail_on_set_after -= 1
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.fail_with:
            raise self.fail_with
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.entries[(service, username)]


class LockedKeyring(MemoryKeyring):
    """A keyring that is there but locked. A process the test starts loads it by name:
    ``PYTHON_KEYRING_BACKEND=keyrings.LockedKeyring`` with this folder on ``PYTHONPATH``."""

    def __init__(self) -> None:
        super().__init__(fail_with=keyring.errors.KeyringLocked("the collection is locked"))


@contextmanager
def secret_service_session() -> Iterator[dict[str, str]]:
    """A private D-Bus session with gnome-keyring's Secret Service unlocked on a fresh,
    temporary keyring. Yields the environment variables that reach it."""
    missing = [tool for tool in ("dbus-daemon", "gnome-keyring-daemon") if not shutil.which(tool)]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} not installed (Debian packages: dbus, "
                                "gnome-keyring)")
    home = tempfile.mkdtemp(prefix="engage-keyring-")
    env = {"XDG_DATA_HOME": os.path.join(home, "data"),
           "XDG_RUNTIME_DIR": os.path.join(home, "run")}
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
    full = {**os.environ, **env}
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=full, text=True)
    try:
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        full.update(env)
        subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                       input="test-password", env=full, capture_output=True, text=True,
                       timeout=30, check=True)
        env["KEYRING_DATA_DIR"] = os.path.join(env["XDG_DATA_HOME"], "keyrings")
        yield env
    finally:
        bus.terminate()
        bus.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


def clear_secret_service(service: str) -> None:
    """Delete every item of ``service`` from the Secret Service the environment points at."""
    import secretstorage

    with contextlib.closing(secretstorage.dbus_init()) as connection:
        collection = secretstorage.get_default_collection(connection)
        for item in collection.search_items({"service": service}):
            item.delete()
