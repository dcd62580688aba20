"""Smoke test of the BUILT program (dist/engage-desktop/), run after packaging/build.py:

    python packaging/smoke_test.py [--max-mb 300] [--runs 3]

Checks, each with its own temporary data folders (HOME, XDG_* and, on Windows, APPDATA /
LOCALAPPDATA point into a temporary directory, so real data and the real keyring are never
touched):

* ``--version`` prints the version;
* ``--demo --quit-when-ready`` (QT_QPA_PLATFORM=offscreen) prints ``table_ms=… chart_ms=…``
  and exits 0;
* ``--demo export chart --page ID --out chart.png`` with no display at all writes a PNG;
* ``--self-test --json`` passes, when the program has ``--self-test``: on Linux inside a private
  D-Bus session with gnome-keyring's Secret Service unlocked (tests/keyrings.py);
* the unpacked bundle is smaller than --max-mb (decimal MB; a guard against accidental bloat),
  and its size against the 150 MB target (reported, not a failure);
* the start-up time of the built program against ``python -m engage_desktop`` (median of
  --runs each; reported, never a failure; target ≤ 1.3×).

Exits 1, listing what failed, when any check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

TARGET_MB = 150  # the target for the unpacked bundle on Linux
ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "engage-desktop"
EXE = BUNDLE / ("engage-desktop" + (".exe" if sys.platform == "win32" else ""))
TIMEOUT = 180
READY = re.compile(r"table_ms=(\d+)\s+chart_ms=(\d+)")

failures: list[str] = []


def check(ok: bool, what: str, detail: str = "") -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {what}" + (f": {detail}" if detail else ""), flush=True)
    if not ok:
        failures.append(what)
    return ok


def version() -> str:
    text = (ROOT / "engage_desktop" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.M).group(1)


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment with every per-user folder moved into ``home``, no display, no
    session bus (so no real keyring is reached) and no database override."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "ENGAGE_DB",
                          "DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND",
                          "PYTHONPATH", "PYTHONHOME"}}
    folders = {"HOME": home, "XDG_DATA_HOME": home / "data", "XDG_CONFIG_HOME": home / "config",
               "XDG_CACHE_HOME": home / "cache", "XDG_STATE_HOME": home / "state",
               "XDG_RUNTIME_DIR": home / "run"}
    if sys.platform == "win32":
        folders |= {"USERPROFILE": home, "APPDATA": home / "AppData" / "Roaming",
                    "LOCALAPPDATA": home / "AppData" / "Local"}
    for path in folders.values():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    env.update({key: str(path) for key, path in folders.items()})
    env.update(extra)
    return env


def run(command: list[str], env: dict[str, str], cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(command, -1, exc.stdout or "",
                                           f"timed out after {TIMEOUT} s")


def describe(result: subprocess.CompletedProcess[str]) -> str:
    tail = (result.stderr or result.stdout or "").strip().splitlines()[-5:]
    return f"exit {result.returncode}" + (": " + " | ".join(tail) if tail else "")


def folder_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*")
               if file.is_file() and not file.is_symlink())


@contextlib.contextmanager
def secret_service() -> Iterator[dict[str, str]]:
    """tests/keyrings.py's private D-Bus session with gnome-keyring unlocked."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from keyrings import secret_service_session  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    with secret_service_session() as env:
        yield env


def timed(command: list[str], env: dict[str, str], cwd: Path | None = None
          ) -> tuple[float, str]:
    started = time.perf_counter()
    result = run(command, env, cwd)
    seconds = time.perf_counter() - started
    if result.returncode != 0 or not READY.search(result.stdout):
        raise RuntimeError(f"{' '.join(command)}: {describe(result)}")
    return seconds, READY.search(result.stdout).group(0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-mb", type=float, default=300.0,
                        help="largest allowed unpacked size in MB (default 300)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    args = parser.parse_args()

    if not EXE.is_file():
        print(f"smoke_test.py: {EXE} is not there: run 'python packaging/build.py' first.",
              file=sys.stderr)
        return 1
    expected = version()
    exe = str(EXE)
    print(f"Smoke test of {exe} (version {expected})\n")

    with tempfile.TemporaryDirectory(prefix="engage-smoke-") as scratch:
        home = Path(scratch) / "home"
        env = isolated_env(home)
        offscreen = {**env, "QT_QPA_PLATFORM": "offscreen"}

        result = run([exe, "--version"], env)
        check(result.returncode == 0 and f"engage-desktop {expected}" in result.stdout,
              "--version prints the version", result.stdout.strip() or describe(result))

        helped = run([exe, "--help"], env)
        check(helped.returncode == 0 and "--demo" in helped.stdout, "--help prints the usage",
              describe(helped) if helped.returncode else "")

        result = run([exe, "--demo", "--quit-when-ready"], offscreen)
        ready = READY.search(result.stdout)
        check(result.returncode == 0 and ready is not None,
              "--demo --quit-when-ready opens the window off-screen",
              ready.group(0) if ready and result.returncode == 0 else describe(result))

        result = run([exe, "--demo", "status", "--json"], env)
        page = None
        with contextlib.suppress(ValueError, LookupError, TypeError):
            page = json.loads(result.stdout)[0]["page_id"]
        check(result.returncode == 0 and page is not None, "--demo status --json lists Pages",
              f"first Page {page}" if page else describe(result))

        if page:
            out = Path(scratch) / "chart.png"
            # no DISPLAY, no QT_QPA_PLATFORM: the program must go off-screen by itself
            result = run([exe, "--demo", "export", "chart", "--page", page, "--out", str(out)],
                         env)
            is_png = out.is_file() and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            check(result.returncode == 0 and is_png and out.stat().st_size > 5000,
                  "headless chart export writes a PNG",
                  f"{out.stat().st_size:,} bytes" if is_png else describe(result))

        if "--self-test" in helped.stdout:
            self_test(exe, home)
        else:
            print("SKIP  --self-test: this build's --help does not offer it")

        size = folder_size(BUNDLE)
        check(size < args.max_mb * 1e6, f"bundle smaller than {args.max_mb:.0f} MB",
              f"{size / 1e6:.1f} MB unpacked ({size / 2**20:.1f} MiB)")
        print(f"INFO  bundle size {size / 1e6:.1f} MB unpacked (target < {TARGET_MB} MB: "
              f"{'meets' if size < TARGET_MB * 1e6 else 'MISSES'})")

        compare_start_up(exe, offscreen, args.runs)

    print()
    if failures:
        print("smoke_test.py: FAILED: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("All smoke checks passed.")
    return 0


def self_test(exe: str, home: Path) -> None:
    name = "--self-test --json passes"
    if sys.platform.startswith("linux"):
        if not (shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon")):
            check(False, name, "dbus-daemon and gnome-keyring-daemon are needed (Debian "
                               "packages dbus, gnome-keyring)")
            return
        session = secret_service()
    else:
        session = contextlib.nullcontext({})  # the real Credential Manager / Keychain
    try:
        with session as keyring_env:
            env = {**isolated_env(home), **keyring_env}  # its own XDG_DATA_HOME for the keyring
            result = run([exe, "--self-test", "--json"], env)
    except Exception as exc:  # the session could not start: say so
        check(False, name, f"could not start a Secret Service: {type(exc).__name__}: {exc}")
        return
    try:
        report = json.loads(result.stdout)
        checks = report["checks"]
    except (ValueError, KeyError, TypeError):
        check(False, name, describe(result))
        return
    for item in checks:
        print(f"        {'ok  ' if item['ok'] else 'FAIL'} {item['name']}: {item['detail']}")
    failed = [item["name"] for item in checks if not item["ok"]]
    check(result.returncode == 0 and report.get("ok") is True and not failed, name,
          "failed: " + ", ".join(failed) if failed else f"{len(checks)} checks")


def compare_start_up(exe: str, env: dict[str, str], runs: int) -> None:
    """Wall time of the built program against the Python install (report only)."""
    python = [sys.executable, "-m", "engage_desktop", "--demo", "--quit-when-ready"]
    frozen = [exe, "--demo", "--quit-when-ready"]
    py_env = {**env, "PYTHONPATH": str(ROOT)}
    try:
        timed(frozen, env)  # warm the file cache for both, untimed
        timed(python, py_env, ROOT)
        frozen_times, python_times, lines = [], [], []
        for _ in range(runs):  # interleaved, so a busy moment hits both alike
            seconds, line = timed(frozen, env)
            frozen_times.append(seconds)
            lines.append(f"built {line}")
            seconds, line = timed(python, py_env, ROOT)
            python_times.append(seconds)
            lines.append(f"python {line}")
    except RuntimeError as exc:
        check(False, "start-up time comparison", str(exc))
        return
    built, source = statistics.median(frozen_times), statistics.median(python_times)
    ratio = built / source
    print(f"INFO  start-up (--demo --quit-when-ready, median of {runs}): built {built:.2f} s, "
          f"python -m engage_desktop {source:.2f} s, ratio {ratio:.2f}× "
          f"({'within' if ratio <= 1.3 else 'ABOVE'} the 1.3× target)")
    print("        " + "; ".join(lines))


if __name__ == "__main__":
    sys.exit(main())
