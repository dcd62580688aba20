"""Where the database lives, and the warning for network and synced folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from engage_desktop.core import paths
from engage_desktop.core.store import open_store

LOCAL_MOUNTS = [("/", "ext4"), ("/tmp", "tmpfs")]


@pytest.mark.parametrize("folder", [
    "/home/sam/OneDrive - Kelderby Council/Data", "/home/sam/Dropbox/engage",
    "/Users/sam/Library/CloudStorage/OneDrive-Kelderby/x", "/home/sam/Nextcloud/stats",
    "/home/sam/Google Drive/My Drive"])
def test_synced_folders_are_warned_about(folder: str) -> None:
    warning = paths.location_warning(Path(folder) / "engage.sqlite", mounts=LOCAL_MOUNTS,
                                     environ={}, platform="linux")
    assert warning is not None and "synced folder" in warning


@pytest.mark.parametrize(("mount", "fs_type"), [("/mnt/share", "cifs"), ("/mnt/nas", "nfs4"),
                                                 ("/mnt/remote", "fuse.sshfs")])
def test_network_filesystems_are_warned_about(mount: str, fs_type: str) -> None:
    mounts = [*LOCAL_MOUNTS, (mount, fs_type)]
    warning = paths.location_warning(Path(mount) / "team" / "engage.sqlite", mounts=mounts,
                                     environ={}, platform="linux")
    assert warning is not None and f"network filesystem ({fs_type})" in warning
    assert "local data folder" in warning


def test_a_local_folder_is_fine() -> None:
    mounts = [*LOCAL_MOUNTS, ("/mnt/share", "cifs")]
    assert paths.location_warning(Path("/home/sam/.local/share/engage-desktop/engage.sqlite"),
                                  mounts=mounts, environ={}, platform="linux") is None
    assert paths.location_warning(Path("/mnt/shared-notes/engage.sqlite"), mounts=mounts,
                                  environ={}, platform="linux") is None


def test_windows_shares_and_onedrive_are_warned_about() -> None:
    unc = paths.location_warning(Path(r"\\fileserver\comms\engage.sqlite"), environ={},
                                 platform="win32")
    assert unc is not None and "network share" in unc
    onedrive = paths.location_warning(
        Path(r"C:\Users\sam\Kelderby Council\Documents\engage.sqlite"),
        environ={"OneDriveCommercial": r"C:\Users\sam\Kelderby Council"}, platform="win32")
    assert onedrive is not None and "OneDrive" in onedrive
    local = paths.location_warning(
        Path(r"C:\Users\sam\AppData\Local\engage-desktop\engage.sqlite"),
        environ={"OneDrive": r"C:\Users\sam\OneDrive"}, platform="win32")
    assert local is None


def test_default_database_is_in_the_local_data_folder(isolated_data_dirs: Path) -> None:
    assert paths.default_db_path({}) == (isolated_data_dirs / "data" / "engage-desktop"
                                         / "engage.sqlite")
    assert paths.default_db_path({"ENGAGE_DB": "~/x.sqlite"}) == Path.home() / "x.sqlite"
    assert paths.demo_db_path().parent == paths.default_db_path({}).parent


def test_the_store_warns_but_opens(tmp_path: Path) -> None:
    with open_store(tmp_path / "Dropbox" / "engage.sqlite") as store:
        assert store.warnings and "synced folder" in store.warnings[0]
        assert "pages" in store.db.table_names()


def test_the_cli_prints_the_warning_and_still_works(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "OneDrive" / "engage.sqlite"
    open_store(path).close()
    result = run_cli("status", "--json", "--db", str(path))
    assert result.returncode == 0 and result.stdout.strip() == "[]"
    assert result.stderr.startswith("Warning: ") and "synced folder" in result.stderr


def test_portable_mode_keeps_the_data_beside_the_program(tmp_path: Path, monkeypatch) -> None:
    import sys

    from engage_desktop.core import paths

    program = tmp_path / "engage-desktop"
    program.mkdir()
    executable = program / "engage-desktop.exe"
    executable.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    assert paths.portable_dir() is None  # installed: the per-user data folder
    assert paths.data_dir() != program / "data"
    (program / paths.PORTABLE_MARKER).write_text("keep the data here")
    assert paths.data_dir() == program / "data"
    assert paths.default_db_path({}) == program / "data" / "engage.sqlite"
    monkeypatch.setattr(sys, "frozen", False)
    assert paths.portable_dir() is None  # only the built program can be portable
