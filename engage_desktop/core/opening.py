"""Opening a database for the window, before Qt is loaded.

The window's libraries take a while to load (PySide6's alone is most of a bare window's start).
The traffic light does not need them, so the database is opened first and the traffic light is
read on a thread of its own while they load: most of that read is SQLite, which runs without
holding Python's global lock, so it overlaps the loading instead of following it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from engage_desktop.core import traffic_light
from engage_desktop.core.errors import DatabaseError
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.traffic_light import TrafficLight


class Opening:
    """A database being opened for the window: either ``store`` with its traffic light on the
    way, or the ``error`` that explains why it cannot be opened. With ``read_only`` it is
    opened without ever writing to it (so are published copies and files that cannot be
    written, whatever is asked: ``store.read_only`` says why)."""

    def __init__(self, path: Path, *, demo: bool = False, create: bool = True,
                 read_only: bool = False) -> None:
        self.path = path
        self.store: Store | None = None
        self.error: DatabaseError | None = None
        self._light: TrafficLight | None = None
        self._failure: BaseException | None = None
        self._reader: threading.Thread | None = None
        try:
            if demo and not path.exists():
                from engage_desktop.core.demo import write_demo

                with open_store(path) as store:
                    write_demo(store)
            self.store = open_store(path, create=create and not read_only, any_thread=True,
                                    read_only=read_only)
        except DatabaseError as error:
            self.error = error
            return
        self._reader = threading.Thread(target=self._read, name="first traffic light",
                                        daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            self._light = traffic_light.build(self.store)
        except BaseException as failure:  # handed to the thread that asks for the light
            self._failure = failure

    def light(self) -> TrafficLight:
        """The traffic light, once read (raises what the read raised)."""
        if self._reader is None:
            raise self.error or RuntimeError("the database did not open")
        self._reader.join()
        if self._failure is not None:
            raise self._failure
        assert self._light is not None
        return self._light
