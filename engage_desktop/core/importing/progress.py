"""How far a preview or import has got, and stopping one on request: what is reported to the
window or the command line (:class:`ImportProgress`), and the :class:`Watch` that reports it
and stops the work when its cancel flag is set.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engage_desktop.core.errors import EngageError

if TYPE_CHECKING:
    from engage_desktop.core.store.staging import Staging


class ImportCancelledError(EngageError):
    """A preview or import stopped on request: nothing was written, no scratch table is left."""


@dataclass(frozen=True)
class ImportProgress:
    """How far a preview or import has got: ``step`` is "reading" (file ``number`` of
    ``files``, named ``file``, ``rows`` read so far), "comparing" (with the database) or
    "writing"."""

    step: str
    file: str = ""
    number: int = 0
    files: int = 0
    rows: int = 0

    def __str__(self) -> str:
        if self.step == "reading":
            which = f" (file {self.number} of {self.files})" if self.files > 1 else ""
            return f"Reading {self.file}{which}: {self.rows:,} rows…"
        if self.step == "comparing":
            return "Comparing the files with the database…"
        return "Writing to the database…"


Progress = Callable[[ImportProgress], None]


class Watch:
    """The progress listener and cancel flag of one preview or commit (neither, when idle)."""

    def __init__(self, progress: Progress | None = None,
                 cancel: threading.Event | None = None) -> None:
        self.progress = progress
        self.cancel = cancel

    def step(self, step: ImportProgress) -> None:
        """Report ``step``, first stopping (ImportCancelledError) if a cancel was asked for."""
        if self.cancel is not None and self.cancel.is_set():
            raise cancelled()
        if self.progress is not None:
            self.progress(step)

    @contextlib.contextmanager
    def over(self, staging: Staging) -> Iterator[None]:
        """Stop when the cancel flag is set inside a long SQL statement too (SQLite interrupts
        it, and the interrupted statement is rolled back): ImportCancelledError."""
        cancel = self.cancel
        try:
            with staging.stopping_when(None if cancel is None else cancel.is_set):
                yield
        except EngageError as exc:
            if cancel is None or not cancel.is_set() or isinstance(exc, ImportCancelledError):
                raise
            raise cancelled() from None  # a statement interrupted (and rolled back)


def cancelled() -> ImportCancelledError:
    return ImportCancelledError("The import was stopped before it finished.",
                                "Nothing was written to the database.")
