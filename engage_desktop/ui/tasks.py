"""Background work for the window: network and keyring jobs run off the GUI thread, one at a
time, and report progress, results and errors back to it as Qt signals.

A job is a plain function ``work(report, cancel)`` from the core: ``report`` takes progress
values, ``cancel`` is a ``threading.Event`` it checks between steps. The job opens its own
database connection (SQLite connections belong to one thread). Tests use
:class:`InlineRunner`, which runs the job at once on the calling thread.
"""

from __future__ import annotations

import functools
import itertools
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
        """Run the job here, on this thread (InlineRunner)."""
        _work(self.work, self.cancel_event, self.deliver)

    def deliver(self, kind: str, value: Any) -> None:
        """What the job posted, as this task's signals (on the GUI thread)."""
        if kind == "progress":
            self.progress.emit(value)
        elif kind == "failed":
            self.failed.emit(value)
        elif kind == "succeeded":
            self.succeeded.emit(value)
        else:
            self.ended.emit()


def _work(work: Work, cancel: threading.Event, post: Callable[[str, Any], None]) -> None:
    """The job's side of a task: plain Python only. On a worker thread it holds no Qt object
    (``post`` emits a signal of the relay, which outlives every thread), so no Qt object is
    ever created, touched or freed there."""
    try:
        result = work(functools.partial(post, "progress"), cancel)
    except Exception as exc:  # handed to the window, which shows it
        post("failed", exc)
    else:
        post("succeeded", result)
    finally:
        post("ended", None)


class _Relay(QObject):
    """Carries what jobs post from their threads to the tasks, on the GUI thread."""

    posted = Signal(int, str, object)

    def __init__(self) -> None:
        super().__init__()
        self.tasks: dict[int, Task] = {}
        self.posted.connect(self._deliver)

    def _deliver(self, token: int, kind: str, value: Any) -> None:
        task = self.tasks.pop(token) if kind == "ended" else self.tasks.get(token)
        if task is not None:
            task.deliver(kind, value)


_relay: _Relay | None = None
_tokens = itertools.count(1)


def _the_relay() -> _Relay:
    """The relay, made on the GUI thread the first time a runner is made, and kept."""
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


class TaskRunner(QObject):
    """Runs one task at a time on a worker thread (so one writer at a time, too)."""

    busy_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.task: Task | None = None
        self._thread: threading.Thread | None = None
        self._relay = _the_relay()

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, task: Task) -> bool:
        """Start ``task``; False (and nothing started) while another is running."""
        if self.busy:
            return False
        self.task = task
        task.ended.connect(self._ended)
        token = next(_tokens)
        self._relay.tasks[token] = task
        post = functools.partial(self._relay.posted.emit, token)
        self._thread = threading.Thread(target=_work, args=(task.work, task.cancel_event, post),
                                        name=task.name, daemon=True)
        self.busy_changed.emit(True)
        self._thread.start()
        return True

    def _ended(self) -> None:
        # The job posted its end as its last act: its thread is exiting, so wait for that,
        # and "not busy" is true when it is said (a next task may start at once).
        if self.sender() is self.task and self._thread is not None:
            self._thread.join()
        if not self.busy:
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
