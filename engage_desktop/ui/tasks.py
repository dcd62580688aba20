"""Background work for the window: network and keyring jobs run off the GUI thread, one at a
time, and report progress, results and errors back to it as Qt signals.

A job is a plain function ``work(report, cancel)`` from the core: ``report`` takes progress
values, ``cancel`` is a ``threading.Event`` it checks between steps. The job opens its own
database connection (SQLite connections belong to one thread). Tests use
:class:`InlineRunner`, which runs the job at once on the calling thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

Work = Callable[[Callable[[Any], None], threading.Event], Any]


class Task(QObject):
    """One job: its progress, its result or its error arrive as signals on the GUI thread."""

    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    ended = Signal()  # after succeeded or failed

    def __init__(self, name: str, work: Work) -> None:
        super().__init__()
        self.name = name
        self.work = work
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            result = self.work(self.progress.emit, self.cancel_event)
        except Exception as exc:  # handed to the window, which shows it
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            self.ended.emit()


class TaskRunner(QObject):
    """Runs one task at a time on a worker thread (so one writer at a time, too)."""

    busy_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.task: Task | None = None
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, task: Task) -> bool:
        """Start ``task``; False (and nothing started) while another is running."""
        if self.busy:
            return False
        self.task = task
        task.ended.connect(self._ended)
        self._thread = threading.Thread(target=task.run, name=task.name, daemon=True)
        self.busy_changed.emit(True)
        self._thread.start()
        return True

    def _ended(self) -> None:
        self.busy_changed.emit(False)

    def stop(self, timeout: float = 60.0) -> bool:
        """Cancel the running task and wait for it (delivering its last signals); False if it
        did not end within ``timeout`` seconds."""
        if self.task is not None:
            self.task.cancel()
        thread = self._thread
        deadline = time.monotonic() + timeout
        while thread is not None and thread.is_alive() and time.monotonic() < deadline:
            thread.join(0.05)
            QCoreApplication.processEvents()
        QCoreApplication.processEvents()
        return thread is None or not thread.is_alive()


class InlineRunner(TaskRunner):
    """Runs each task at once on the calling thread (for tests)."""

    def start(self, task: Task) -> bool:
        self.task = task
        self.busy_changed.emit(True)
        task.run()
        self.busy_changed.emit(False)
        return True

    @property
    def busy(self) -> bool:
        return False
