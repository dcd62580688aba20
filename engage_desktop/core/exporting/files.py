"""Writing an export file safely: to a temporary file beside it, then renamed into place, so
a failure (a full disk, a crash, an image too large) never leaves a partial file.

A process killed while writing cannot remove its temporary file: it is named
``chart.png.x1y2z3.unfinished-export.tmp`` so nobody takes it for a result, and the next export
into that folder removes those left over (once old enough not to be another export still
being written)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from engage_desktop.core import interrupts
from engage_desktop.core.errors import EngageError
from engage_desktop.core.protected import is_protected

UNFINISHED = ".unfinished-export.tmp"
LEFT_OVER_AFTER = 10 * 60  # seconds: no export takes this long between creating and renaming


class ExportError(EngageError):
    """An export that cannot be written as asked."""


@contextlib.contextmanager
def atomic_output(path: Path, *, force: bool = False) -> Iterator[Path]:
    """A temporary path to write; on success it becomes ``path``. An existing ``path`` is
    refused unless ``force``; an open database and its files are refused always."""
    path = Path(path).expanduser()
    if is_protected(path):
        raise ExportError(f"{path.name} is the Engage Desktop database, one of its files or "
                          "the window's settings: an export cannot replace it, even with "
                          "--force.",
                          "Choose another file name for the export, such as chart.png.")
    if path.is_dir():
        raise ExportError(f"{path} is a folder.", "Give a file name, such as chart.png.")
    if path.exists() and not force:
        raise ExportError(f"{path.name} already exists in {path.parent}.",
                          "Choose another name, or replace it (--force).")
    if not path.parent.is_dir():
        raise ExportError(f"The folder {path.parent} does not exist.",
                          "Choose a folder that exists, or create it first.")
    sweep_unfinished(path.parent)
    try:
        handle, name = tempfile.mkstemp(prefix=f"{path.name}.", suffix=UNFINISHED,
                                        dir=path.parent)
    except OSError as exc:
        raise ExportError(f"Cannot write in {path.parent} ({exc.strerror or exc}).",
                          "Choose a folder you can write to, such as Documents.") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        interrupts.check()  # Ctrl+C while it was drawn: no file
        os.replace(temporary, path)
    except OSError as exc:
        raise ExportError(f"Cannot write {path.name} ({exc.strerror or exc}).",
                          "Check the free space and that you can write to that folder.") from None
    finally:
        temporary.unlink(missing_ok=True)


def sweep_unfinished(folder: Path, ending: str = UNFINISHED) -> None:
    """Remove what killed exports (or publishes: files ending as the pattern ``ending``)
    left in ``folder``."""
    now = time.time()
    with contextlib.suppress(OSError):
        for left in folder.glob(f"*{ending}"):
            with contextlib.suppress(OSError):
                if now - left.stat().st_mtime > LEFT_OVER_AFTER and left.is_file():
                    left.unlink()
