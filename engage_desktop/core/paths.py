"""Where the database lives, and whether that place is safe for SQLite.

Data goes in the per-user *local* (not roaming) data folder: roaming AppData, Documents and the
Desktop are often redirected to network shares or synced by OneDrive, and SQLite's locking (WAL
above all) is unsafe on network filesystems. Such places are allowed with an explicit path, but
the program warns about them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath, PureWindowsPath

import platformdirs

DB_ENV = "ENGAGE_DB"
DATA_DIR_NAME = "engage-desktop"
DB_FILE_NAME = "engage.sqlite"
DEMO_FILE_NAME = "demo.sqlite"

# Folder names that sync clients create; a database inside one is copied around behind SQLite's
# back. Compared case-insensitively against each component of the path.
_SYNCED_FOLDER_PREFIXES = ("onedrive", "dropbox", "google drive", "googledrive", "icloud drive",
                           "icloud~", "box sync", "nextcloud", "owncloud", "sharepoint")
_SYNCED_FOLDER_NAMES = {"box", "mobile documents", "cloudstorage"}
_NETWORK_FS_TYPES = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afpfs", "9p",
                     "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "webdav", "ncpfs", "afs",
                     "glusterfs", "fuse.glusterfs", "ceph", "fuse.rclone", "lustre"}
_WINDOWS_SYNC_ENV = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


PORTABLE_MARKER = "portable.txt"  # beside the program: keep the data beside it too
PORTABLE_DATA = "data"


def program_dir() -> Path | None:
    """The folder of the built program (None when running from a Python install)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def portable_dir(program: Path | None = None) -> Path | None:
    """The ``data`` folder beside the program when a ``portable.txt`` file sits next to it
    (for pilots where nothing may be installed); None otherwise."""
    program = program_dir() if program is None else program
    if program is not None and (program / PORTABLE_MARKER).is_file():
        return program / PORTABLE_DATA
    return None


def data_dir() -> Path:
    """The per-user local data folder (``%LOCALAPPDATA%\\engage-desktop`` on Windows), or in
    portable mode the ``data`` folder beside the program."""
    portable = portable_dir()
    if portable is not None:
        return portable
    return Path(platformdirs.user_data_dir(DATA_DIR_NAME, appauthor=False, roaming=False))


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(DB_ENV):
        return Path(environ[DB_ENV]).expanduser()
    return data_dir() / DB_FILE_NAME


def window_settings_file() -> Path | None:
    """Where the window keeps its settings, when that is a file (as Qt's QSettings places it:
    ``settings.ini`` beside the data in portable mode, the XDG config folder on Linux); None
    where it is the registry (Windows) or a preferences database (macOS)."""
    from engage_desktop import APP_NAME

    portable = portable_dir()
    if portable is not None:
        return portable / "settings.ini"
    if sys.platform.startswith("linux"):
        config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        return Path(config) / APP_NAME / f"{APP_NAME}.conf"
    return None


def demo_db_path() -> Path:
    """The demo database: in the data folder, but never the real database."""
    return data_dir() / DEMO_FILE_NAME


def location_warning(
    path: Path,
    *,
    environ: Mapping[str, str] | None = None,
    mounts: Sequence[tuple[str, str]] | None = None,
    platform: str | None = None,
) -> str | None:
    """A warning when ``path`` is on a network or cloud-synced folder, else ``None``.

    ``mounts`` is a list of (mount point, filesystem type); by default it is read from
    ``/proc/mounts`` on Linux. Nothing here touches the network.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform == sys.platform:
        path = Path(os.path.realpath(path))  # absolute, through symlinks to where data lands
    if platform == "win32":
        win = PureWindowsPath(path)
        if str(win).startswith("\\\\"):
            return _network_warning(path, "a network share")
        if _windows_drive_is_remote(win):
            return _network_warning(path, f"network drive {win.drive}")
        for variable in _WINDOWS_SYNC_ENV:
            root = environ.get(variable)
            if root and _is_within(win, PureWindowsPath(root)):
                return _synced_warning(path, "OneDrive")
        parts: Sequence[str] = win.parts
    else:
        absolute = Path(os.path.abspath(path))  # (already real on this platform)
        fs_type = _fs_type(absolute, _linux_mounts() if mounts is None else mounts)
        if fs_type in _NETWORK_FS_TYPES:
            return _network_warning(path, f"a network filesystem ({fs_type})")
        parts = absolute.parts
    for part in parts[:-1]:
        lowered = part.lower()
        if lowered in _SYNCED_FOLDER_NAMES or lowered.startswith(_SYNCED_FOLDER_PREFIXES):
            return _synced_warning(path, part)
    return None


def _network_warning(path: Path, where: str) -> str:
    return (f"The database {path} is on {where}. SQLite can lose or corrupt data there when the "
            "connection drops; keep it in the local data folder and back it up instead.")


def _synced_warning(path: Path, service: str) -> str:
    return (f"The database {path} is in a synced folder ({service}). Sync clients copy the file "
            "while it is open, which can corrupt it; keep it in the local data folder instead.")


def _is_within(path: PurePath, root: PurePath) -> bool:
    try:
        return path.is_relative_to(root)
    except ValueError:
        return False


def _windows_drive_is_remote(path: PureWindowsPath) -> bool:
    if sys.platform != "win32" or not path.drive:
        return False
    import ctypes

    drive_remote = 4
    return ctypes.windll.kernel32.GetDriveTypeW(f"{path.drive}\\") == drive_remote


def _linux_mounts() -> list[tuple[str, str]]:
    try:
        with open("/proc/mounts", encoding="utf-8", errors="replace") as mounts:
            rows = [line.split() for line in mounts]
    except OSError:
        return []
    # /proc/mounts escapes spaces in mount points as \040
    return [(row[1].replace("\\040", " "), row[2]) for row in rows if len(row) >= 3]


def _fs_type(path: Path, mounts: Sequence[tuple[str, str]]) -> str | None:
    best: tuple[int, str] | None = None
    for mount_point, fs_type in mounts:
        if _is_within(path, Path(mount_point)):
            depth = len(Path(mount_point).parts)
            if best is None or depth >= best[0]:
                best = (depth, fs_type)
    return best[1] if best else None


def special_file(path: Path) -> str | None:
    """What ``path`` is, in words, when it exists but is not a regular file (a named pipe, a
    device, a socket): reading one would wait for ever or never end. None otherwise."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


PRIVATE_FOLDER = 0o700  # on POSIX: only the account that made them (Windows: the folder's ACL)
PRIVATE_FILE = 0o600


def make_private_folder(folder: Path) -> None:
    """Make ``folder`` and any missing folders above it, readable by this account only (on a
    shared computer, others have no business reading who talks to the council's Pages).
    Folders that already exist keep their permissions."""
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        candidate.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)


def make_private_file(path: Path) -> None:
    """Create ``path`` empty and readable by this account only, unless it exists (its
    permissions are then left as they are). Programs that later write the file in place (SQLite
    for the database and its -wal and -shm, Qt for its settings) keep those permissions."""
    make_private_folder(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
