"""Preview, then commit: files read into scratch tables, compared with the database, and
written in one transaction only when the officer confirms a clean preview.

The files are streamed into TEMP tables on the store's connection (never into the database
file), so a dry run writes nothing and memory stays flat however large the files are. Imported
daily numbers are dated at the start of their UK day; a reading synced on the same day wins
over an imported one unless ``replace_synced`` is chosen, and so does a synced Insights value.
Importing the same files again changes nothing.

:class:`Importer` runs the steps; the parts are in ``reading`` (files into the scratch
tables), ``pages`` (which Page is which), ``followers`` (totals the files lack), ``comparing``
(what would change), ``preview`` (what the preview says) and ``progress``.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from engage_desktop.core.errors import EngageError
from engage_desktop.core.importing.comparing import compare, report_duplicates
from engage_desktop.core.importing.followers import fill_followers
from engage_desktop.core.importing.formats import NeedsAnswer
from engage_desktop.core.importing.pages import PageChooser
from engage_desktop.core.importing.preview import (
    FileReport,
    ImportOptions,
    PagePlan,
    Preview,
    Question,
)
from engage_desktop.core.importing.progress import (
    ImportCancelledError,
    ImportProgress,
    Progress,
    Watch,
)
from engage_desktop.core.importing.reading import PROGRESS_ROWS, FileReader
from engage_desktop.core.importing.tables import ImportFileError
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import to_utc_text, uk_day, utc_now

# (the names other modules and tests import from here)
__all__ = ["PROGRESS_ROWS", "FileReport", "ImportBlockedError", "ImportCancelledError",
           "ImportOptions", "ImportProgress", "Importer", "PagePlan", "Preview", "Question"]

_OWNERS = itertools.count(1)


class ImportBlockedError(EngageError):
    """An import that cannot go ahead (the preview says why)."""


class Importer:
    """Reads files for one import on ``store``'s connection: ``preview()``, then ``commit()``."""

    def __init__(self, store: Store, paths: Sequence[Path], options: ImportOptions | None = None,
                 *, today: date | None = None) -> None:
        self.store = store
        self.paths = [Path(p) for p in paths]
        self.options = options or ImportOptions()
        self.today = today or uk_day(utc_now())
        self.preview_result: Preview | None = None
        self._watch = Watch()  # the progress and cancel flag of the step running, if any

    def _reading(self, number: int, rows: int) -> None:
        self._watch.step(ImportProgress("reading", self.paths[number].name, number + 1,
                                        len(self.paths), rows))

    # Reading -------------------------------------------------------------------------------

    def preview(self, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> Preview:
        """Read the files and compare them with the database (writing nothing to it).
        ``progress`` is called every few thousand rows; setting ``cancel`` stops the
        preview soon after with ImportCancelledError, leaving no scratch table behind."""
        self._watch = Watch(progress, cancel)
        try:
            with self._watch.over(self.store.staging):
                return self._preview()
        except ImportCancelledError:
            self.store.staging.drop()
            raise
        finally:
            self._watch = Watch()

    def _preview(self) -> Preview:
        # The scratch tables of this import (they belong to the connection: a preview by
        # another Importer on the same store replaces them, and commit() then refuses)
        self._owner = next(_OWNERS)
        self.store.staging.start(self._owner)
        reader = FileReader(self.store.staging, self.options, self.today, self._reading)
        preview = Preview([], skips_accepted=self.options.skip_bad_rows)
        for number, path in enumerate(self.paths):
            report = FileReport(path)
            preview.files.append(report)
            self._reading(number, 0)
            try:
                reader.read(number, path, report)
            except ImportFileError as exc:
                report.problem = str(exc)
                self.store.staging.forget_file(number)
            except NeedsAnswer as exc:
                preview.questions.append(Question(exc.need, str(exc)))
                self.store.staging.forget_file(number)
        self.store.staging.keep()  # the scratch tables only; the database file is untouched
        if preview.readable:  # every file read: settle the Pages and compare
            self._watch.step(ImportProgress("comparing"))
            self._plan(preview, reader)
            self._watch.step(ImportProgress("comparing"))
        self.preview_result = preview
        return preview

    # Planning ------------------------------------------------------------------------------

    def _plan(self, preview: Preview, reader: FileReader) -> None:
        staging = self.store.staging
        pages = PageChooser(self.store, self.options.page).resolve(
            reader.page_names, reader.post_keys, preview)
        if pages is None:
            return
        if "" in pages:
            for number, title in reader.unnamed_titles.items():
                if title:
                    preview.files[number].notes.append(
                        f"“{title}” does not say Facebook or Instagram: read as Facebook "
                        f"data of {pages[''].name}")
        staging.settle((key, plan.page_id) for key, plan in pages.items())
        report_duplicates(staging, preview)
        fill_followers(self.store, pages, preview, self.options, self.today)
        staging.date_days()
        compare(staging, pages, replace_synced=self.options.replace_synced)
        staging.keep()
        self._pages = pages
        preview.pages = sorted({plan.page_id: plan for plan in pages.values()}.values(),
                               key=lambda plan: plan.name.lower())
        if not preview.questions and preview.changes == 0 and not any(
                p.readings_unchanged or p.insights_unchanged or p.readings_synced_kept
                or p.insights_synced_kept for p in preview.pages):
            preview.questions.append(Question("", "The files hold no numbers to import."))

    # Writing -------------------------------------------------------------------------------

    def commit(self, progress: Progress | None = None,
               cancel: threading.Event | None = None) -> Preview:
        """Write what the preview showed, in one transaction (all or nothing). ``progress``
        hears when writing starts; setting ``cancel`` before the end stops the import with
        ImportCancelledError, writing nothing."""
        self._watch = Watch(progress, cancel)
        try:
            with self._watch.over(self.store.staging):
                return self._commit()
        finally:
            self._watch = Watch()

    def _commit(self) -> Preview:
        preview = self.preview_result
        if preview is None:
            raise RuntimeError("preview() comes before commit()")
        if preview.stopped_by_skips:
            raise ImportBlockedError(
                f"The import cannot go ahead: {preview.skipped:,} rows would be left out "
                "because they cannot be read.",
                "Correct the files, or accept that those rows are left out, then preview "
                "again.")
        if not preview.ready:
            raise ImportBlockedError("The import cannot go ahead: " + " ".join(
                [str(q) for q in preview.questions]
                + [f.problem for f in preview.files if f.problem]),
                "Answer the questions or fix the files, then preview again.")
        if preview.committed:
            raise ImportBlockedError("These files have been imported already.",
                                     "Preview them again to see whether anything changed.")
        store = self.store
        if store.staging.owner() != self._owner:
            raise ImportBlockedError(
                "Other files were previewed for import since these were.",
                "Preview these files again, then import them.")
        replace = self.options.replace_synced
        now = to_utc_text(utc_now())
        self._watch.step(ImportProgress("writing"))
        with store.transaction():
            # Pages the files name and the database did not have (added by nothing else
            # since: a Page synced in the meantime keeps what Meta says of it)
            store.staging.add_pages([(plan.page_id, plan.name) for plan in preview.pages
                                     if plan.new], now)
            # against the database as it is now
            compare(store.staging, self._pages, replace_synced=replace)
            self._watch.step(ImportProgress("writing"))  # a cancel rolls the transaction back
            # importing a Page's figures follows it (again, if the officer had stopped)
            store.staging.follow([plan.page_id for plan in preview.pages])
            store.staging.write(replace_synced=replace)
            self._watch.step(ImportProgress("writing"))
        preview.committed = True
        return preview
