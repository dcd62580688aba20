"""A folder that cannot be written, as a read-only network share or mount is: its permission
bits, or, for root (who passes them), a read-only bind mount of it."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only_view(folder: Path) -> Iterator[Path]:
    """``folder`` as this process sees a read-only share of it: the path to read it by.
    Whoever writes to ``folder`` itself still can (the publisher on the other side)."""
    folder.chmod(0o555)
    if not os.access(folder, os.W_OK):  # permission bits hold this process back
        files = list(folder.iterdir())
        for file in files:
            file.chmod(0o444)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
            for file in files:
                file.chmod(0o644)
        return
    folder.chmod(0o755)  # root: a read-only mount does
    view = folder.with_name(folder.name + "-share")
    view.mkdir()
    for command in (["mount", "--bind", str(folder), str(view)],
                    ["mount", "-o", "remount,bind,ro", str(view)]):
        made = subprocess.run(command, capture_output=True, text=True, check=False)
        if made.returncode != 0:
            if command[1] != "--bind":
                subprocess.run(["umount", str(view)], check=False)
            view.rmdir()
            pytest.skip(f"a read-only mount cannot be made here: {made.stderr.strip()}")
    try:
        yield view
    finally:
        subprocess.run(["umount", str(view)], check=True)
        view.rmdir()
