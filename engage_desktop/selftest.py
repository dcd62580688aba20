"""``engage-desktop --self-test``: what IT runs after deploying, to see that the program works
on this computer. Each check passes or fails with a plain-English fix; nothing here touches
the real database or stores a real token."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from engage_desktop import __version__


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _check(name: str, fix: str, run: Callable[[], str]) -> Check:
    try:
        return Check(name, True, run())
    except Exception as exc:  # any failure is the check's answer, in words
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        hint = getattr(exc, "hint", "")
        return Check(name, False, message, f"{hint} {fix}".strip())


def _versions() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    return (f"Engage Desktop {__version__}, Python {sys.version.split()[0]}, PySide6 "
            f"{PySide6.__version__}, Qt {qVersion()}")


def _data_folder(folder: Path) -> str:
    from engage_desktop.core.paths import location_warning, make_private_folder, portable_dir

    make_private_folder(folder)
    probe = folder / f".self-test-{uuid.uuid4().hex}"
    probe.write_text("ok")
    probe.unlink()
    warning = location_warning(folder)
    if warning:
        raise RuntimeError(warning)
    mode = " (portable)" if portable_dir() is not None else ""
    return f"{folder}{mode} is writable and on a local disk"


def _sqlite(folder: Path) -> str:
    from engage_desktop.core.store.opening import wal_works_in

    version, value = wal_works_in(folder)
    return f"SQLite {version} with WAL works in the data folder (read {value})"


def _keyring() -> str:
    from engage_desktop.core.services import job_tools
    from engage_desktop.core.tokens import SERVICE, backend_name

    with job_tools() as tools:
        backend = tools.vault.backend
    name = backend_name(backend)
    username = f"self-test-{uuid.uuid4().hex}"
    secret = uuid.uuid4().hex
    backend.set_password(SERVICE, username, secret)
    try:
        if backend.get_password(SERVICE, username) != secret:
            raise RuntimeError(f"{name} gave back something else than was stored.")
    finally:
        backend.delete_password(SERVICE, username)
    if backend.get_password(SERVICE, username) is not None:
        raise RuntimeError(f"{name} did not delete the test entry.")
    return f"{name}: a throwaway entry was stored, read and deleted"


def _trust() -> str:
    import truststore

    from engage_desktop.core.net import tls_context

    tls_context()
    return f"TLS is verified with the operating system's trust store (truststore " \
           f"{truststore.__version__})"


def _proxy() -> str:
    from engage_desktop.core.graph import graph_base_url
    from engage_desktop.ui.system_proxy import system_proxy_for

    url = graph_base_url(None)
    proxy = system_proxy_for(url)
    return f"for {url}: {'the proxy ' + proxy if proxy else 'a direct connection'}"


def _chart_export() -> str:
    from datetime import timedelta

    from engage_desktop.core.demo import write_demo
    from engage_desktop.core.services import job_tools
    from engage_desktop.core.timeutil import uk_day, utc_now
    from engage_desktop.ui import app as ui_app
    from engage_desktop.ui import rendering

    ui_app.application()
    with tempfile.TemporaryDirectory() as scratch:
        with job_tools(Path(scratch) / "demo.sqlite") as tools:
            store = tools.store
            write_demo(store, pages=2, days=60)
            today = uk_day(utc_now())
            content = rendering.chart_content(store, [store.pages()[0].id],
                                              today - timedelta(days=59), today)
        out = rendering.export_chart(content, rendering.custom(800, 450),
                                     Path(scratch) / "chart.png")
        size = out.stat().st_size
    return f"a chart was drawn off-screen and saved as PNG ({size:,} bytes)"


CHECKS = (
    ("Version", "Reinstall Engage Desktop from the folder IT provided.", _versions),
    ("Data folder", "Keep the database on a local disk you can write to (--db or ENGAGE_DB), "
                    "or ask IT for one.", _data_folder),
    ("SQLite", "Keep the data on a local disk (not a network share).", _sqlite),
    ("Keyring", "Tokens need the operating system's keyring: on Windows the Credential "
                "Manager, on macOS the Keychain, on Linux a Secret Service (GNOME Keyring or "
                "KWallet) in a logged-in session.", _keyring),
    ("Trust store", "Ask IT whether the operating system's certificate store can be read.",
     _trust),
    ("Proxy", "Check the proxy settings (Settings → Network).", _proxy),
    ("Chart export", "Reinstall Engage Desktop: a part of Qt is missing.", _chart_export),
)


def run(as_json: bool, database: Path | None = None) -> int:
    """Run every check, print the results, and return the exit code (0 when all pass).
    The folder checked is the database's (``--db``, ``ENGAGE_DB`` or the data folder)."""
    from engage_desktop.core.paths import default_db_path

    folder = (database or default_db_path()).expanduser().resolve().parent
    checks = [(name, fix, (lambda c=check: c(folder)) if check in (_data_folder, _sqlite)
               else check) for name, fix, check in CHECKS]
    results = [_check(name, fix, check) for name, fix, check in checks]
    with contextlib.suppress(BrokenPipeError):  # the reader went away (| head)
        _report(results, as_json)
    return 0 if all(result.ok for result in results) else 1


def _report(results: list[Check], as_json: bool) -> None:
    passed = all(result.ok for result in results)
    if as_json:
        json.dump({"ok": passed, "version": __version__,
                   "checks": [asdict(result) for result in results]}, sys.stdout, indent=2)
        print()
    else:
        for result in results:
            mark = "PASS" if result.ok else "FAIL"
            print(f"{mark}  {result.name}: {result.detail}")
            if not result.ok:
                print(f"      What to do: {result.fix}")
        print("All checks passed." if passed else "Some checks failed: see What to do above.")
