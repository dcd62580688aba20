"""Build Engage Desktop's one-folder program and a zip of it.

    python packaging/build.py

Runs PyInstaller on packaging/engage-desktop.spec (a clean build; work files in
build/pyinstaller, output in dist/), then writes dist/engage-desktop-<version>-<platform>.zip
and prints the size of the folder and of the zip. Needs PyInstaller in the same Python
(``pip install "pyinstaller>=6.10"``). Exits non-zero, saying why, when anything fails.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "engage-desktop.spec"
WORK = ROOT / "build" / "pyinstaller"
DIST = ROOT / "dist"
NAME = "engage-desktop"


def fail(message: str) -> None:
    print(f"build.py: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def version() -> str:
    text = (ROOT / "engage_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.M)
    if not match:
        fail("no __version__ in engage_desktop/__init__.py")
    return match.group(1)


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    if system.startswith("linux"):
        system = "linux"
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def folder_size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            file = Path(dirpath, name)
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def make_zip(folder: Path, target: Path) -> None:
    """Zip the folder (with the folder's own name at the top), keeping symlinks as symlinks
    and the executable bits, so the unzipped program runs."""
    target.unlink(missing_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for dirpath, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files) + [d for d in dirs if Path(dirpath, d).is_symlink()]:
                file = Path(dirpath, name)
                arcname = file.relative_to(folder.parent).as_posix()
                if file.is_symlink():
                    info = zipfile.ZipInfo(arcname)
                    info.create_system = 3  # Unix, so the mode bits below are read
                    info.external_attr = (0o120777 << 16)
                    zf.writestr(info, os.readlink(file))
                else:
                    zf.write(file, arcname)


def main() -> int:
    if not SPEC.is_file():
        fail(f"{SPEC} is missing")
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        fail(f'PyInstaller is not installed in {sys.executable}: run\n  "{sys.executable}" '
             '-m pip install "pyinstaller>=6.10"')
    ver = version()
    out = DIST / NAME
    print(f"Building Engage Desktop {ver} for {platform_tag()} with {sys.executable}")
    started = time.monotonic()
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
               "--log-level", os.environ.get("PYI_LOG_LEVEL", "WARN"),
               "--workpath", str(WORK), "--distpath", str(DIST), str(SPEC)]
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        fail(f"PyInstaller exited with {result.returncode} (its messages are above)")
    seconds = time.monotonic() - started
    exe = out / (NAME + (".exe" if sys.platform == "win32" else ""))
    if not exe.is_file():
        fail(f"PyInstaller finished but {exe} is not there")

    archive = DIST / f"{NAME}-{ver}-{platform_tag()}.zip"
    # On macOS ship the .app (what people double-click); elsewhere the folder.
    app = DIST / "Engage Desktop.app"
    try:
        make_zip(app if sys.platform == "darwin" and app.is_dir() else out, archive)
    except OSError as exc:
        fail(f"could not write {archive}: {exc}")

    size = folder_size(out)
    print()
    print(f"Built in {seconds:.0f} s")
    print(f"Program:  {out}  ({size / 1e6:.1f} MB unpacked, "
          f"{sum(len(files) for _d, _s, files in os.walk(out))} files)")
    print(f"Zip:      {archive}  ({archive.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
