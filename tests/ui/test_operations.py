"""Background operations (ui/operations.py) on real threads: one at a time in the order they
were started, a second one waits its turn and says so, progress and results arrive on the GUI
thread, a failure with no handler of its own is shown by show_error, cancelling, and stopping
everything as the window does when it closes."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from engage_desktop.core.errors import EngageError
from engage_desktop.core.redaction import register_secret
from engage_desktop.ui import app as ui_app
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.operations import InlineQueue, Operation, OperationQueue, waiting_words

LONG = 30_000  # ms: how long a wait may take on a loaded machine before the test fails


@pytest.fixture
def queue(qtbot):
    ui_app.application()
    made = OperationQueue()
    yield made
    assert made.stop()


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    widget.setWindowTitle("Operations under test")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _blocked_until(release: threading.Event, result: object):
    """A job that waits for ``release`` (or its cancel), then gives ``result``."""
    def work(report, cancel):
        while not release.wait(0.01):
            if cancel.is_set():
                return "cancelled"
        return result
    return work


def test_a_second_operation_waits_its_turn_and_then_runs_in_order(qtbot, queue) -> None:
    release = threading.Event()
    done: list[object] = []
    said: list[str] = []
    waits: list[str] = []
    busy: list[bool] = []
    queue.busy_changed.connect(busy.append)
    queue.waiting_changed.connect(said.append)
    started = [
        Operation("sync", _blocked_until(release, "synced")).success(done.append).run(queue),
        Operation("publish", lambda report, cancel: "published")
        .waits(waits.append).success(done.append).run(queue),
        Operation("forget", lambda report, cancel: "forgotten", then="forget Example Leisure")
        .success(done.append).run(queue),
    ]
    assert started == [True, False, False]
    assert [op.name for op in queue.operations()] == ["sync", "publish", "forget"]
    assert waits == ["Waiting for the sync under way to finish, then it will publish."]
    assert said == [*waits, waiting_words("sync", "forget Example Leisure")]
    assert done == [] and queue.busy
    release.set()
    qtbot.waitUntil(lambda: not queue.busy, timeout=LONG)
    assert done == ["synced", "published", "forgotten"]
    assert busy == [True, False]  # busy from the first start until the queue was empty
    assert said[-1] == ""  # nothing waits any more: the window's words go
    assert queue.operations() == []


def test_progress_and_the_result_arrive_on_the_gui_thread(qtbot, queue) -> None:
    gui = threading.current_thread()
    seen: list[tuple[object, bool]] = []
    job_threads: list[str] = []

    def work(report, cancel):
        job_threads.append(threading.current_thread().name)
        for step in range(3):
            report(step)
        return "finished"

    ended: list[bool] = []
    (Operation("counting", work)
     .progress(lambda step: seen.append((step, threading.current_thread() is gui)))
     .success(lambda result: seen.append((result, threading.current_thread() is gui)))
     .ends(lambda: ended.append(True)).run(queue))
    qtbot.waitUntil(lambda: ended == [True], timeout=LONG)
    assert seen == [(0, True), (1, True), (2, True), ("finished", True)]
    assert job_threads == ["counting"]  # the job ran on its own thread, named for it


def test_a_failure_without_its_own_handler_is_shown_by_show_error(qtbot, queue,
                                                                  parent) -> None:
    def fail(report, cancel):
        raise EngageError("The database is busy.", "Close the other program and try again.")

    Operation("sync", fail, parent=parent).run(queue)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox),
                    timeout=LONG)
    box = QApplication.activeModalWidget()
    assert box.parentWidget() is parent
    assert box.text() == "The database is busy."
    assert box.informativeText() == "Close the other program and try again."
    assert box.icon() == QMessageBox.Icon.Warning  # and said in words, not only by the icon
    box.accept()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def test_an_unexpected_failure_is_shown_in_words_with_redacted_details(qtbot, queue,
                                                                       parent) -> None:
    token = "EAA" + "x7Q2" * 10
    register_secret(token)

    def fail(report, cancel):
        raise RuntimeError(f"the request with access_token={token} went wrong")

    Operation("connect", fail, parent=parent).run(queue)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox),
                    timeout=LONG)
    box = QApplication.activeModalWidget()
    assert box.text() == "Something unexpected went wrong (RuntimeError)."
    assert "copy the details for IT" in box.informativeText()
    assert box.detailedText().startswith("RuntimeError: the request with access_token=")
    shown = " ".join((box.text(), box.informativeText(), box.detailedText()))
    assert token not in shown and "[redacted]" in box.detailedText()
    box.accept()


def test_a_failure_handler_of_its_own_replaces_the_message_box(qtbot, queue, parent) -> None:
    failures: list[str] = []

    def fail(report, cancel):
        raise EngageError("Meta refused the token.", "Connect again.")

    ended: list[bool] = []
    (Operation("connect", fail, parent=parent)
     .failure(lambda error: failures.append(error_words(error, "Could not connect:")))
     .ends(lambda: ended.append(True)).run(queue))
    qtbot.waitUntil(lambda: ended == [True], timeout=LONG)
    assert failures == ["Could not connect: Meta refused the token. Connect again."]
    assert QApplication.activeModalWidget() is None


def test_cancel_stops_the_running_job_and_takes_a_waiting_one_out(qtbot, queue) -> None:
    release = threading.Event()
    results: list[object] = []
    ended: list[str] = []
    ran: list[str] = []
    running = (Operation("sync", _blocked_until(release, "synced")).success(results.append)
               .ends(lambda: ended.append("sync")))
    waiting = (Operation("publish", lambda report, cancel: ran.append("publish"))
               .success(results.append).ends(lambda: ended.append("publish")))
    running.run(queue)
    assert not waiting.run(queue)
    waiting.cancel()  # ends at once, never run
    assert ended == ["publish"] and queue.operations() == [running]
    running.cancel()
    qtbot.waitUntil(lambda: not queue.busy, timeout=LONG)
    assert results == ["cancelled"] and ended == ["publish", "sync"] and ran == []


def test_stop_as_the_window_closes_cancels_all_and_waits(qtbot, queue) -> None:
    release = threading.Event()  # never set: only the cancel ends the job
    results: list[object] = []
    ran: list[str] = []
    Operation("sync", _blocked_until(release, "synced")).success(results.append).run(queue)
    Operation("publish", lambda report, cancel: ran.append("publish")).run(queue)
    assert queue.stop()  # returns once the running job has ended and said so
    assert results == ["cancelled"] and ran == [] and not queue.busy
    assert not [t for t in threading.enumerate() if t.name in ("sync", "publish")]


def test_an_operation_finds_the_queue_of_its_window(qtbot, parent, queue) -> None:
    parent.runner = queue  # as the main window keeps it
    child = QWidget(parent)
    done: list[object] = []
    assert Operation("sync", lambda report, cancel: 7, parent=child).success(done.append).run()
    qtbot.waitUntil(lambda: done == [7], timeout=LONG)


def test_the_inline_queue_runs_each_operation_at_once(qtbot) -> None:
    ui_app.application()
    inline = InlineQueue()
    seen: list[object] = []
    busy: list[bool] = []
    inline.busy_changed.connect(busy.append)
    assert Operation("sync", lambda report, cancel: (report("step"), "done")[1]) \
        .progress(seen.append).success(seen.append).starts(lambda: seen.append("start")) \
        .ends(lambda: seen.append("end")).run(inline)
    assert seen == ["start", "step", "done", "end"]
    assert busy == [True, False] and not inline.busy


def test_the_window_says_in_its_status_bar_that_a_sync_waits_its_turn(qtbot,
                                                                     tmp_path) -> None:
    from engage_desktop.core.demo import write_demo
    from engage_desktop.core.store import open_store
    from engage_desktop.ui import theme
    from engage_desktop.ui.main_window import MainWindow, settings_for

    ui_app.application()
    store = open_store(tmp_path / "engage.sqlite")
    write_demo(store, pages=2, days=10)
    window = MainWindow(store, theme.LIGHT, settings_for(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()
    try:
        assert Operation("publish", _blocked_until(release, "published")).run(window.runner)
        assert window.sync_now() is False  # waits its turn
        assert window.statusBar().currentMessage() == (
            "Waiting for the publish under way to finish, then it will sync.")
        assert window.progress.isVisible() and window.progress.format() == "Waiting…"
        assert not window.sync_action.isEnabled()
        assert window.sync_now() is False  # and only one sync waits
        assert [op.name for op in window.runner.operations()] == ["publish", "sync"]
        window.cancel_sync()  # the waiting sync is taken out of the queue
        assert [op.name for op in window.runner.operations()] == ["publish"]
        assert not window.progress.isVisible() and window.sync_action.isEnabled()
        assert window.statusBar().currentMessage() == ""  # nothing waits any more
    finally:
        release.set()
        window.close()  # waits for the publish
        store.close()
    assert not window.runner.busy
