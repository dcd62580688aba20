"""What an import is asked to do and what its preview says: the officer's options in; a
report per file, a plan per Page, and the questions only the officer can answer out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from engage_desktop.core.importing.dates import Order
from engage_desktop.core.importing.formats import FORMAT_NAMES, Skip


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
            item["format"] = FORMAT_NAMES.get(report.format, report.format)
            item["skips"] = [{"line": s.line, "reason": s.reason} for s in report.skips]
            files.append(item)
        return {"ready": self.ready, "committed": self.committed, "changes": self.changes,
                "skipped": self.skipped, "stopped_by_skips": self.stopped_by_skips,
                "questions": [asdict(q) for q in self.questions], "files": files,
                "pages": [plain(asdict(page)) for page in self.pages]}

