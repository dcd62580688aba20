"""Running a child process as an ordinary user would be, even as root."""

from __future__ import annotations

import os
import shutil

import pytest


def without_root_file_powers() -> list[str]:
    """A command prefix under which file permissions apply even to root (who may otherwise
    write anywhere): setpriv drops the capabilities that bypass them."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) is needed to give up root's file powers")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]
