"""Background work for the window: operations run off the GUI thread, one at a time in a
queue, and report progress, results and errors back to the GUI thread.

An :class:`Operation` is a job, a plain core function ``work(report, cancel)`` (``report``
takes progress values, ``cancel`` is a ``threading.Event`` it checks between steps), and what
to do with what it gives, chained then run::

    Operation("sync", work, parent=window).progress(shown).success(done).run()

An operation started while another runs waits its turn in the :class:`OperationQueue` (which
says so, in :func:`waiting_words`, the one wording for it); a failure with no handler of its
own is shown by :func:`~engage_desktop.ui.errors_shown.show_error`. The queue and a relay hold
every operation until it has ended, so callers need not keep them. A job builds its own tools
(its database connection: SQLite connections belong to one thread) with
:func:`engage_desktop.core.services.job_tools`. Tests use :class:`InlineQueue`, which runs
each job at once on the calling thread.

Thread safety: no Qt object is created, touched or freed on a worker thread. The worker runs
plain Python (``_work``) and posts what the job gives through a signal of the relay, which is
made on the GUI thread and outlives every thread; the operations (QObjects) are only touched
on the GUI thread.
"""

from __future__ import annotations

import collections
import functools
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

Work = Callable[[Callable[[Any], None], threading.Event], Any]


def waiting_words(running: str, waiting: str) -> str:
    """What the window says while an operation waits for the one under way."""
    return f"Waiting for the {running} under way to finish, then it will {waiting}."


class Operation(QObject):
    """One job and its callbacks: ``progress`` values, the ``success`` result or the
    ``failure`` exception arrive on the GUI thread, then ``ends``. Without a failure callback
    a failure is shown by ``show_error`` over ``parent``. ``then`` names it in the waiting
    words ("publish", "sync"); its name names its thread."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    queued = Signal(str)  # it waits for another: the words that say so
    began = Signal()  # its job started
    ended = Signal()  # after succeeded or failed (or cancelled while waiting)

    def __init__(self, name: str, work: Work, *, parent: QWidget | None = None,
                 then: str | None = None) -> None:
        super().__init__()
        self.name = name
        self.then = then or name
        self.work = work
        self.cancel_event = threading.Event()
        self._parent = parent
        self._failure_handled = False
        self._queue: OperationQueue | None = None

    # Chained set-up ---------------------------------------------------------------------

    def success(self, callback: Callable[[Any], object]) -> Operation:
        self.succeeded.connect(callback)
        return self

    def failure(self, callback: Callable[[Exception], object]) -> Operation:
        self.failed.connect(callback)
        self._failure_handled = True
        return self

    def progress(self, callback: Callable[[Any], object]) -> Operation:
        self.progressed.connect(callback)
        return self

    def waits(self, callback: Callable[[str], object]) -> Operation:
        """``callback(words)`` when it has to wait for the operation under way."""
        self.queued.connect(callback)
        return self

    def starts(self, callback: Callable[[], object]) -> Operation:
        self.began.connect(callback)
        return self

    def ends(self, callback: Callable[[], object]) -> Operation:
        self.ended.connect(callback)
        return self

    def run(self, queue: OperationQueue | None = None) -> bool:
        """Start on ``queue`` (the parent window's ``runner`` when not given): True when it
        started at once, False when it waits its turn."""
        if queue is None:
            queue = _window_queue(self._parent)
        return queue.start(self)

    # -------------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the job to stop; one still waiting its turn is taken out of the queue."""
        self.cancel_event.set()
        if self._queue is not None:
            self._queue.withdraw(self)

    def run_here(self) -> None:
        """Run the job here, on this thread (InlineQueue)."""
        _work(self.work, self.cancel_event, self.deliver)

    def deliver(self, kind: str, value: Any) -> None:
        """What the job posted, as this operation's signals (on the GUI thread)."""
        if kind == "progress":
            self.progressed.emit(value)
        elif kind == "failed":
            self.failed.emit(value)
            if not self._failure_handled:
                from engage_desktop.ui.errors_shown import show_error

                show_error(self._parent if isValid(self._parent) else None, value)
        elif kind == "succeeded":
            self.succeeded.emit(value)
        else:
            self.ended.emit()


def _window_queue(parent: QWidget | None) -> OperationQueue:
    window = parent.window() if parent is not None else None
    queue = getattr(window, "runner", None)
    if not isinstance(queue, OperationQueue):
        raise ValueError("an operation without a queue needs a parent in a window with one")
    return queue


def _work(work: Work, cancel: threading.Event, post: Callable[[str, Any], None]) -> None:
    """The job's side of an operation: plain Python only. On a worker thread it holds no Qt
    object (``post`` emits a signal of the relay, which outlives every thread), so no Qt
    object is ever created, touched or freed there."""
    try:
        result = work(functools.partial(post, "progress"), cancel)
    except Exception as exc:  # handed to the GUI thread, which shows it
        post("failed", exc)
    else:
        post("succeeded", result)
    finally:
        post("ended", None)


class _Relay(QObject):
    """Carries what jobs post from their threads to the operations, on the GUI thread."""

    posted = Signal(int, str, object)

    def __init__(self) -> None:
        super().__init__()
        self.operations: dict[int, Operation] = {}
        self.posted.connect(self._deliver)

    def _deliver(self, token: int, kind: str, value: Any) -> None:
        operation = (self.operations.pop(token) if kind == "ended"
                     else self.operations.get(token))
        if operation is not None:
            operation.deliver(kind, value)


_relay: _Relay | None = None
_tokens = itertools.count(1)


def _the_relay() -> _Relay:
    """The relay, made on the GUI thread the first time a queue is made, and kept."""
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


class OperationQueue(QObject):
    """Runs operations one at a time on a worker thread each (so one writer at a time, too),
    in the order they were started. ``busy_changed`` says when it starts working and when it
    has nothing left; ``waiting_changed`` gives the waiting words while an operation waits
    ("" when none does)."""

    busy_changed = Signal(bool)
    waiting_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.current: Operation | None = None
        self._waiting: collections.deque[Operation] = collections.deque()
        self._thread: threading.Thread | None = None
        self._relay = _the_relay()

    @property
    def busy(self) -> bool:
        return self.current is not None or (self._thread is not None
                                            and self._thread.is_alive())

    def operations(self) -> list[Operation]:
        """The operation under way and those waiting, in order."""
        return ([self.current] if self.current else []) + [*self._waiting]

    def start(self, operation: Operation) -> bool:
        """Start ``operation`` now (True), or once those before it have ended (False)."""
        operation._queue = self
        if self.busy:
            self._waiting.append(operation)
            words = waiting_words(self.current.name if self.current else "task",
                                  operation.then)
            operation.queued.emit(words)
            self.waiting_changed.emit(words)
            return False
        self.busy_changed.emit(True)
        self._begin(operation)
        return True

    def _begin(self, operation: Operation) -> None:
        self.current = operation
        operation.ended.connect(self._ended)
        token = next(_tokens)
        self._relay.operations[token] = operation
        post = functools.partial(self._relay.posted.emit, token)
        self._thread = threading.Thread(
            target=_work, args=(operation.work, operation.cancel_event, post),
            name=operation.name, daemon=True)
        self._thread.start()
        operation.began.emit()

    def _ended(self) -> None:
        # Connected last, so the operation's own callbacks have run. The job posted its end
        # as its last act: its thread is exiting, so wait for that before the next starts.
        if self.sender() is not self.current:
            return
        if self._thread is not None:
            self._thread.join()
        self.current = None
        if self._waiting:
            self._begin(self._waiting.popleft())
            self._say_waiting()
        else:
            self.busy_changed.emit(False)

    def withdraw(self, operation: Operation) -> None:
        """Take an operation that waits its turn out of the queue (it ends, never run)."""
        if operation in self._waiting:
            self._waiting.remove(operation)
            self._say_waiting()
            operation.ended.emit()

    def _say_waiting(self) -> None:
        running = self.current.name if self.current else "task"
        self.waiting_changed.emit(waiting_words(running, self._waiting[0].then)
                                  if self._waiting and self.current else "")

    def stop(self, operation: Operation | None = None, timeout: float = 60.0) -> bool:
        """Cancel ``operation`` (or, when not given, every operation: those waiting are taken
        out of the queue) and wait for the one running to end, delivering its last signals;
        False if it did not end within ``timeout`` seconds."""
        for waiting in ([operation] if operation else list(self._waiting)):
            waiting.cancel()
        if operation is not None and operation is not self.current:
            return True
        if self.current is not None:
            self.current.cancel()
        thread = self._thread
        deadline = time.monotonic() + timeout
        while thread is not None and thread.is_alive() and time.monotonic() < deadline:
            thread.join(0.05)
            QCoreApplication.processEvents()
        QCoreApplication.processEvents()
        return thread is None or not thread.is_alive()


class InlineQueue(OperationQueue):
    """Runs each operation at once on the calling thread (for tests)."""

    def start(self, operation: Operation) -> bool:
        operation._queue = self
        self.current = operation
        self.busy_changed.emit(True)
        operation.began.emit()
        try:
            operation.run_here()
        finally:
            self.current = None
        self.busy_changed.emit(False)
        return True

    @property
    def busy(self) -> bool:
        return False
