"""The import dialog's own connection to the database, for its background jobs (plain Python,
no Qt object), and the names of those jobs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from engage_desktop.core.importing import ImportBlockedError, Importer, ImportOptions, Preview
from engage_desktop.core.store import Store, open_store

PREVIEWING, IMPORTING = "import preview", "import"  # the dialog's jobs (their threads' names)


class ImportSession:
    """The dialog's own connection to the database, for its jobs on the operation queue's threads
    (plain Python, no Qt object): opened by the first job there, handed from one job to the
    next (one at a time, so a preview's scratch tables are still there when Import writes
    it), and closed with the dialog, which drops them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store: Store | None = None
        self.importer: Importer | None = None  # the last preview's

    def preview(self, paths: list[Path], options: ImportOptions, report: Callable,
                cancel: threading.Event) -> Preview:
        if self.store is None:
            self.store = open_store(self.path, create=False, any_thread=True)
        self.importer = Importer(self.store, paths, options)
        return self.importer.preview(progress=report, cancel=cancel)

    def commit(self, preview: Preview, report: Callable, cancel: threading.Event) -> Preview:
        importer = self.importer
        if importer is None or importer.preview_result is not preview:
            raise ImportBlockedError("The files were previewed again since this preview.",
                                     "Wait for the preview to finish, then import.")
        return importer.commit(progress=report, cancel=cancel)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store = self.importer = None
