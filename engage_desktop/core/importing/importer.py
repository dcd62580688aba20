"""Preview, then commit: files read into scratch tables, compared with the database, and
written in one transaction only when the officer confirms a clean preview.

The files are streamed into TEMP tables on the store's connection (never into the database
file), so a dry run writes nothing and memory stays flat however large the files are. Imported
daily numbers are dated at the start of their UK day; a reading synced on the same day wins
over an imported one unless ``replace_synced`` is chosen, and so does a synced Insights value.
Importing the same files again changes nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from engage_desktop.core.accounts import page_ref
from engage_desktop.core.errors import EngageError
from engage_desktop.core.importing import formats
from engage_desktop.core.importing.dates import Order
from engage_desktop.core.importing.formats import Layout, NeedsAnswer, Note, Skip
from engage_desktop.core.importing.tables import ImportFileError, Row, open_table
from engage_desktop.core.store import Store
from engage_desktop.core.store.staging import FILE_LINE
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, uk_day, utc_now

SHOWN_SKIPS = 200  # skipped rows listed one by one; beyond this, counted
_OWNERS = itertools.count(1)
FOLLOWS_REACH_DAYS = 2  # Meta's files end a day or two before they are downloaded
SAMPLE_ROWS = 5
BATCH = 5000
PROGRESS_ROWS = 5000  # rows read between progress reports (and checks for a cancel)


@dataclass
class ImportOptions:
    page: str | None = None  # the Page for files that do not name one: ID, address or name
    followers: int | None = None  # a follower total, when the files do not hold it
    followers_on: date | None = None  # the day of that total (None: today)
    dates: Order | None = None  # the answer when numeric dates could be either order
    columns: dict[str, str] = field(default_factory=dict)  # header -> field (any table)
    replace_synced: bool = False  # imported numbers replace synced ones for the same day
    on: date | None = None  # the day of an Audience export's follower total (it has none)
    year: int | None = None  # the year that files whose dates have no year start in
    # False: rows that cannot be read stop the import (the command line, unless
    # --skip-bad-rows); the window lists them before Import, which accepts them
    skip_bad_rows: bool = True
    keep_breakdowns: bool = False  # classic exports' breakdown columns (by city, age…) too


@dataclass(frozen=True)
class Question:
    """Something only the officer can answer. ``need`` says which answer: "page" (the Page for
    files that name none), "dates" (the order of numeric dates), "followers" (a follower
    total), "on" (the day of an Audience export's follower total), "year" (the year that dates
    written without one start in) or "" (nothing to answer: the files hold nothing to
    import)."""

    need: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class FileReport:
    path: Path
    format: str = ""
    container: str = ""
    mapping: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    rows_used: int = 0
    skipped: int = 0
    skips: list[Skip] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None
    header: tuple[str, ...] = ()  # the file's column titles, as written
    sample: list[tuple[str, ...]] = field(default_factory=list)
    problem: str | None = None  # why the file cannot be read at all
    date_order: str = ""  # which order its numeric dates were read in, and why
    columns_ignored: int = 0  # columns not read (no meaning here, or set to be ignored)
    breakdowns_left_out: int = 0  # classic breakdown columns not kept
    notes: list[str] = field(default_factory=list)  # one line each (Instagram left out…)


@dataclass
class PagePlan:
    page_id: str
    name: str
    new: bool
    readings_new: int = 0
    readings_changed: int = 0
    readings_unchanged: int = 0
    readings_synced_kept: int = 0  # days that already have a synced reading (it wins)
    readings_synced_replaced: int = 0
    insights_new: int = 0
    insights_changed: int = 0
    insights_unchanged: int = 0
    insights_synced_kept: int = 0
    first_day: date | None = None
    last_day: date | None = None
    followers_from: str | None = None  # how a missing follower total was filled in

    @property
    def changes(self) -> int:
        return (self.readings_new + self.readings_changed + self.readings_synced_replaced
                + self.insights_new + self.insights_changed)


@dataclass
class Preview:
    files: list[FileReport]
    pages: list[PagePlan] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    committed: bool = False
    skips_accepted: bool = True  # rows that cannot be read may be left out

    @property
    def readable(self) -> bool:
        """Every file read, nothing left to ask."""
        return not self.questions and not any(f.problem for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(report.skipped for report in self.files)

    @property
    def stopped_by_skips(self) -> bool:
        """Rows would be left out, and that was not accepted: the import stops (a dry run
        says the same)."""
        return self.readable and bool(self.skipped) and not self.skips_accepted

    @property
    def ready(self) -> bool:
        """Clean enough to commit: every file read, nothing left to ask, and no row left out
        unless that was accepted."""
        return self.readable and not self.stopped_by_skips

    @property
    def needs(self) -> set[str]:
        """The answers the questions ask for ("page", "dates", "followers", "on", "year")."""
        return {question.need for question in self.questions if question.need}

    @property
    def changes(self) -> int:
        return sum(page.changes for page in self.pages)

    def as_json(self) -> dict:
        def plain(value):
            if isinstance(value, Path):
                return str(value)
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        files = []
        for report in self.files:
            item = plain(asdict(report))
            item["format"] = formats.FORMAT_NAMES.get(report.format, report.format)
            item["skips"] = [{"line": s.line, "reason": s.reason} for s in report.skips]
            files.append(item)
        return {"ready": self.ready, "committed": self.committed, "changes": self.changes,
                "skipped": self.skipped, "stopped_by_skips": self.stopped_by_skips,
                "questions": [asdict(q) for q in self.questions], "files": files,
                "pages": [plain(asdict(page)) for page in self.pages]}


class ImportBlockedError(EngageError):
    """An import that cannot go ahead (the preview says why)."""


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


class Importer:
    """Reads files for one import on ``store``'s connection: ``preview()``, then ``commit()``."""

    def __init__(self, store: Store, paths: Sequence[Path], options: ImportOptions | None = None,
                 *, today: date | None = None) -> None:
        self.store = store
        self.paths = [Path(p) for p in paths]
        self.options = options or ImportOptions()
        self.today = today or uk_day(utc_now())
        self.preview_result: Preview | None = None
        self._post_keys: set[str] = set()  # Pages named by post exports
        self._progress: Progress | None = None
        self._cancel: threading.Event | None = None

    # Progress and cancelling ---------------------------------------------------------------

    @contextlib.contextmanager
    def _watched(self, progress: Progress | None,
                 cancel: threading.Event | None) -> Iterator[None]:
        """Report progress to ``progress`` and stop when ``cancel`` is set: between rows,
        and inside a long SQL statement (SQLite interrupts it)."""
        self._progress, self._cancel = progress, cancel
        try:
            with self.store.staging.stopping_when(None if cancel is None else cancel.is_set):
                yield
        except EngageError as exc:
            if cancel is None or not cancel.is_set() or isinstance(exc, ImportCancelledError):
                raise
            raise _cancelled() from None  # a statement interrupted (and rolled back)
        finally:
            self._progress = self._cancel = None

    def _step(self, step: ImportProgress) -> None:
        """Report ``step``, first stopping (ImportCancelledError) if a cancel was asked for."""
        if self._cancel is not None and self._cancel.is_set():
            raise _cancelled()
        if self._progress is not None:
            self._progress(step)

    def _reading(self, number: int, rows: int) -> None:
        self._step(ImportProgress("reading", self.paths[number].name, number + 1,
                                  len(self.paths), rows))

    # Reading -------------------------------------------------------------------------------

    def preview(self, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> Preview:
        """Read the files and compare them with the database (writing nothing to it).
        ``progress`` is called every few thousand rows; setting ``cancel`` stops the
        preview soon after with ImportCancelledError, leaving no scratch table behind."""
        try:
            with self._watched(progress, cancel):
                return self._preview()
        except ImportCancelledError:
            self.store.staging.drop()
            raise

    def _preview(self) -> Preview:
        self._scratch()
        preview = Preview([], skips_accepted=self.options.skip_bad_rows)
        self._post_keys = set()
        for number, path in enumerate(self.paths):
            report = FileReport(path)
            preview.files.append(report)
            self._reading(number, 0)
            try:
                self._read(number, path, report)
            except ImportFileError as exc:
                report.problem = str(exc)
                self.store.staging.forget_file(number)
            except NeedsAnswer as exc:
                preview.questions.append(Question(exc.need, str(exc)))
                self.store.staging.forget_file(number)
        self.store.staging.keep()  # the scratch tables only; the database file is untouched
        if preview.readable:  # every file read: settle the Pages and compare
            self._step(ImportProgress("comparing"))
            self._plan(preview)
            self._step(ImportProgress("comparing"))
        self.preview_result = preview
        return preview

    def _scratch(self) -> None:
        """The scratch tables of this import (they belong to the connection: a preview by
        another Importer on the same store replaces them, and commit() then refuses)."""
        self._owner = next(_OWNERS)
        self.store.staging.start(self._owner)
        self._page_names: dict[str, str | None] = {}  # page key -> the name the files give
        self._unnamed_titles: dict[int, str | None] = {}  # file -> a title naming no platform

    def _read(self, number: int, path: Path, report: FileReport) -> None:
        table = open_table(path)
        report.container = table.container
        head: list[Row] = []
        for row in table.rows():
            head.append(row)
            if len(head) == 3:
                break
        kind = formats.detect(head, self.options.columns)
        if kind is None:
            # its first row, so that the columns can be chosen by hand (--column, or the
            # window's column choices)
            report.header = tuple(head[0].cells) if head else ()
            raise ImportFileError(
                path, "this is not a format Engage Desktop knows.",
                "Import Meta Business Suite exports (metric or post files), classic Page "
                "Insights exports, or a spreadsheet with a date column and followers, likes "
                "or talking-about columns; for a spreadsheet, say which column holds what.")
        report.format = kind
        parsed = formats.parse(kind, table, dates=self.options.dates,
                               columns=self.options.columns, today=self.today,
                               year=self.options.year, on=self.options.on,
                               keep_breakdowns=self.options.keep_breakdowns)
        layout = next(parsed)
        assert isinstance(layout, Layout)
        report.format = layout.format
        report.mapping = layout.mapping
        report.header = layout.header
        report.date_order = layout.dates
        report.columns_ignored = layout.ignored
        report.breakdowns_left_out = layout.breakdowns
        self._unnamed_titles[number] = layout.unnamed_title
        staging = self.store.staging
        readings: list[tuple] = []
        values: list[tuple] = []
        last_line = last_used = -1
        keys: dict[tuple[str | None, str | None], str] = {}
        days: dict[date, str] = {}
        for item in parsed:
            if type(item) is Note:
                report.notes.append(item.text)
                continue
            if item.line != last_line:  # a format gives a row's records one after another
                report.rows_read += 1
                last_line = item.line
                if report.rows_read % PROGRESS_ROWS == 0:
                    self._reading(number, report.rows_read)
            if type(item) is Skip:
                report.skipped += 1
                if len(report.skips) < SHOWN_SKIPS:
                    report.skips.append(item)
                continue
            (line, page_id, page_name, day, followers, fans, talking_about, metric, period,
             value, summed, post) = item
            if line != last_used:
                report.rows_used += 1
                last_used = line
            key = keys.get((page_id, page_name))
            if key is None:
                key = keys[page_id, page_name] = (
                    f"id:{page_id}" if page_id
                    else f"name:{page_name.lower()}" if page_name else "")
                self._page_names.setdefault(key, page_name)
            iso = days.get(day)
            if iso is None:
                iso = days[day] = day.isoformat()
            if metric is None:
                readings.append((number, line, key, iso, followers, fans, talking_about))
                if len(readings) >= BATCH:
                    staging.add_rows(readings)
                    readings.clear()
            else:
                values.append((number, line, key, iso, metric, period, value, summed, post))
                if len(values) >= BATCH:
                    staging.add_values(values)
                    values.clear()
        staging.add_rows(readings)
        staging.add_values(values)
        if layout.format == "mbs_posts":
            self._post_keys.update(keys.values())
        first = min(days, default=None)
        last = max(days, default=None)
        report.container = table.container  # a CSV may turn out to be Windows-1252 part way
        report.first_day, report.last_day = first, last
        report.sample = []
        for row in table.rows():
            if layout.data_to is not None and row.line > layout.data_to:
                break
            if row.line >= layout.data_from:
                report.sample.append(tuple(row.cells))
                if len(report.sample) == SAMPLE_ROWS:
                    break

    # Planning ------------------------------------------------------------------------------

    def _plan(self, preview: Preview) -> None:
        staging = self.store.staging
        pages = self._resolve_pages(preview)
        if pages is None:
            return
        if "" in pages:
            for number, title in self._unnamed_titles.items():
                if title:
                    preview.files[number].notes.append(
                        f"“{title}” does not say Facebook or Instagram: read as Facebook "
                        f"data of {pages[''].name}")
        staging.settle((key, plan.page_id) for key, plan in pages.items())
        self._report_duplicates(preview)
        self._fill_followers(pages, preview)
        staging.date_days()
        self._compare(pages)
        staging.keep()
        self._pages = pages
        preview.pages = sorted({plan.page_id: plan for plan in pages.values()}.values(),
                               key=lambda plan: plan.name.lower())
        if not preview.questions and preview.changes == 0 and not any(
                p.readings_unchanged or p.insights_unchanged or p.readings_synced_kept
                or p.insights_synced_kept for p in preview.pages):
            preview.questions.append(Question("", "The files hold no numbers to import."))

    def _resolve_pages(self, preview: Preview) -> dict[str, PagePlan] | None:
        """The Page for each Page named in the files, and for the files that name none.

        A Page the files name joins the Page in the database with its Facebook Page ID, or
        else its name. Post exports of one Page that matches none go to the Page given for
        the import (``page``), so that one Page's posts and metric files make one history;
        a new Page is made only when nothing matches."""
        store = self.store
        pages: dict[str, PagePlan] = {}
        self._assigned: set[str] = set()
        lone_posts = next(iter(self._post_keys)) if len(self._post_keys) == 1 else None
        chosen = None
        if "" in self._page_names or (lone_posts and self.options.page):
            chosen = self._chosen_page(preview, lone_posts)
            if chosen is None:
                return None
        for key, name in sorted(self._page_names.items()):
            if key == "":
                pages[""] = chosen
                continue
            page_id = key[3:] if key.startswith("id:") else None
            label = name or page_id or key[5:]
            page = ((store.page(page_id) if page_id else None)
                    or (store.page_named(name or key[5:]) if name or not page_id else None))
            if page:
                pages[key] = PagePlan(page.id, page.name, False)
            elif key == lone_posts and chosen is not None:
                pages[key] = chosen
            elif page_id:
                pages[key] = PagePlan(page_id, label, True)
            else:
                pages[key] = self._new_page(label)
        # one Page reached under two names (its ID in one file, its name in another) is one
        by_id: dict[str, PagePlan] = {}
        for key, plan in pages.items():
            pages[key] = by_id.setdefault(plan.page_id, plan)
        return pages

    def _chosen_page(self, preview: Preview, posts_key: str | None = None) -> PagePlan | None:
        """The Page given for the import; a new one takes the Facebook Page ID of the post
        export it goes with (``posts_key``), when the database has no such Page yet."""
        ref = (self.options.page or "").strip()
        if not ref:
            preview.questions.append(Question(
                "page", "These files do not say which Page they are for: choose an existing "
                        "Page or give a name for a new one."))
            return None
        try:
            alias = page_ref(ref)
        except EngageError:
            alias = None
        page = (self.store.page(ref) or (self.store.find_page(alias) if alias else None)
                or self.store.page_named(ref))
        if page is not None:
            return PagePlan(page.id, page.name, False)
        name = alias if alias and ("/" in ref or ref.startswith("@")) else ref
        if posts_key and posts_key.startswith("id:") and self.store.page(posts_key[3:]) is None:
            self._assigned.add(posts_key[3:])
            return PagePlan(posts_key[3:], name, True)
        return self._new_page(name)

    def _new_page(self, name: str) -> PagePlan:
        """A Page known only from files, with an ID of its own (a Graph ID is all digits;
        this never is): from its name, numbered when another Page has that ID already."""
        base = "imported-" + (re.sub(r"[\W_]+", "-", name.casefold()).strip("-") or "page")
        page_id, number = base, 1
        while page_id in self._assigned or self.store.page(page_id) is not None:
            number += 1
            page_id = f"{base}-{number}"
        self._assigned.add(page_id)
        return PagePlan(page_id, name, True)

    def _report_duplicates(self, preview: Preview) -> None:
        for number, line, day, first in self.store.staging.repeated_days():
            report = preview.files[number]
            report.skipped += 1
            report.rows_used -= 1
            first_file, first_line = divmod(first, FILE_LINE)
            where = (f"line {first_line}" if first_file == number
                     else f"{preview.files[first_file].path.name}, line {first_line}")
            if len(report.skips) < SHOWN_SKIPS:
                report.skips.append(Skip(line, f"{date.fromisoformat(day):%d %b %Y} appears "
                                               f"again (first on {where}); this row is "
                                               "skipped"))
        for report in preview.files:
            report.skips.sort(key=lambda skip: skip.line)

    def _fill_followers(self, pages: dict[str, PagePlan], preview: Preview) -> None:
        """Follower totals for Pages whose files hold none: from today's figure given by the
        officer, or the latest synced reading, carried back through the days' new follows."""
        staging = self.store.staging
        having = staging.pages_with_audience()
        lacking = [plan for plan in {p.page_id: p for p in pages.values()}.values()
                   if plan.page_id not in having]
        for plan in lacking:
            anchor = self._anchor(plan, only=len(lacking) == 1)
            if anchor is None:
                preview.questions.append(Question(
                    "followers",
                    f"The files hold no follower total for {plan.name}: give today's figure "
                    "(or a recent one with its date) so its rate per 1,000 can be worked out"
                    + ("." if len(lacking) == 1 else "; import its files on their own.")))
                continue
            if anchor[1] > self.today:
                preview.questions.append(Question(
                    "followers", f"The follower total's date, {anchor[1]:%d %b %Y}, is in the "
                                 "future: give the day the total was read."))
                continue
            total, anchor_day, source = anchor
            follows = staging.daily_values(plan.page_id, formats.NEW_FOLLOWS, anchor_day)
            estimates = [(plan.page_id, anchor_day.isoformat(), total)] if source == "given" \
                else []
            # Carried back only from a total that the follows reach: Meta's files leave out
            # days with no follows (so a gap inside them is zero), but the days between the
            # files' end and a total taken long after are unknown.
            reach = (anchor_day - timedelta(days=FOLLOWS_REACH_DAYS)).isoformat()
            carried = bool(follows) and follows[0][0] >= reach
            running = total
            for day, value in follows if carried else []:
                if day != anchor_day.isoformat():
                    estimates.append((plan.page_id, day, max(0, running)))
                running -= value or 0
            staging.set_followers(estimates)
            plan.followers_from = source_text(source, total, anchor_day, self.today)
            if carried:
                plan.followers_from += (", carried back through each day's new follows "
                                        "(unfollows are not in Meta's files, so earlier totals "
                                        "are estimates)")
            elif follows:
                ended = date.fromisoformat(follows[0][0])
                plan.followers_from += (
                    f"; the new follows in the files end on {ended:%d %b %Y}, too long before "
                    "it to carry it back, so earlier totals are not estimated")

    def _anchor(self, plan: PagePlan, *, only: bool) -> tuple[int, date, str] | None:
        if only and self.options.followers is not None:
            return self.options.followers, self.options.followers_on or self.today, "given"
        row = self.store.latest_synced_audience(plan.page_id)
        if row is None:
            return None
        return int(row[1]), uk_day(from_utc_text(row[0])), "synced"

    def _compare(self, pages: dict[str, PagePlan]) -> None:
        """What each reading and value would do to the database: new, changed, unchanged, or
        'synced' (a synced one is there). Run again inside commit()'s transaction, so what
        changed since the preview (a sync) is respected."""
        reading_counts, insight_counts = self.store.staging.compare()
        by_id = {plan.page_id: plan for plan in pages.values()}
        for plan in by_id.values():
            for counter in _COUNTERS:
                setattr(plan, counter, 0)
        replace = self.options.replace_synced
        for page_id, state, count, first, last in reading_counts:
            plan = by_id[page_id]
            if state == "synced":
                if replace:
                    plan.readings_synced_replaced += count
                else:
                    plan.readings_synced_kept += count
            else:
                setattr(plan, f"readings_{state}", getattr(plan, f"readings_{state}") + count)
            _widen(plan, first, last)
        for page_id, state, count, first, last in insight_counts:
            plan = by_id[page_id]
            if state == "synced" and not replace:
                plan.insights_synced_kept += count
            else:
                name = "changed" if state == "synced" else state
                setattr(plan, f"insights_{name}", getattr(plan, f"insights_{name}") + count)
            _widen(plan, first, last)

    # Writing -------------------------------------------------------------------------------

    def commit(self, progress: Progress | None = None,
               cancel: threading.Event | None = None) -> Preview:
        """Write what the preview showed, in one transaction (all or nothing). ``progress``
        hears when writing starts; setting ``cancel`` before the end stops the import with
        ImportCancelledError, writing nothing."""
        with self._watched(progress, cancel):
            return self._commit()

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
        self._step(ImportProgress("writing"))
        with store.transaction():
            # Pages the files name and the database did not have (added by nothing else
            # since: a Page synced in the meantime keeps what Meta says of it)
            store.staging.add_pages([(plan.page_id, plan.name) for plan in preview.pages
                                     if plan.new], now)
            self._compare(self._pages)  # against the database as it is now
            self._step(ImportProgress("writing"))  # a cancel rolls the transaction back
            # importing a Page's figures follows it (again, if the officer had stopped)
            store.staging.follow([plan.page_id for plan in preview.pages])
            store.staging.write(replace_synced=replace)
            self._step(ImportProgress("writing"))
        preview.committed = True
        return preview


_COUNTERS = ("readings_new", "readings_changed", "readings_unchanged", "readings_synced_kept",
             "readings_synced_replaced", "insights_new", "insights_changed",
             "insights_unchanged", "insights_synced_kept")


def _cancelled() -> ImportCancelledError:
    return ImportCancelledError("The import was stopped before it finished.",
                                "Nothing was written to the database.")


def source_text(source: str, total: int, day: date, today: date) -> str:
    if source == "given":
        return (f"today's total of {total:,} followers, as given" if day == today
                else f"the total of {total:,} followers on {day:%d %b %Y}, as given")
    return f"the synced total of {total:,} on {day:%d %b %Y}"


def _widen(plan: PagePlan, first: str, last: str) -> None:
    first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
    plan.first_day = min(filter(None, [plan.first_day, first_day]))
    plan.last_day = max(filter(None, [plan.last_day, last_day]))

