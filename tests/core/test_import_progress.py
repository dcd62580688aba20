"""An import's progress and its cancel: the preview and the import report how far they have
got, and a cancel stops them at any point with nothing written and no scratch table left."""

from __future__ import annotations

import csv
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from factories import database_dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage_desktop.core.importing import (
    ImportBlockedError,
    ImportCancelledError,
    Importer,
    ImportOptions,
    ImportProgress,
)
from engage_desktop.core.importing.importer import PROGRESS_ROWS
from engage_desktop.core.store import Store, open_store

TODAY = date(2026, 11, 26)


def spreadsheet(path: Path, pages: int, days: int) -> Path:
    """A hand-kept spreadsheet naming its Pages: ``pages`` × ``days`` rows."""
    first = TODAY - timedelta(days=days + 3)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Page name", "Date", "Followers", "Talking about"])
        for page in range(pages):
            for day in range(days):
                writer.writerow([f"Council Page {page:02d}",
                                 (first + timedelta(days=day)).strftime("%d/%m/%Y"),
                                 1000 + page + day, (page + day) % 40])
    return path




def scratch_tables(store: Store) -> list[str]:
    return [name for (name,) in store.conn.execute(
        "SELECT name FROM temp.sqlite_master WHERE type = 'table'")]


def test_the_preview_reports_each_file_and_its_rows_in_words(store: Store,
                                                            tmp_path: Path) -> None:
    small = spreadsheet(tmp_path / "small.csv", 1, 30)
    large = spreadsheet(tmp_path / "large.csv", 25, 1000)  # 25,000 rows
    seen: list[ImportProgress] = []
    preview = Importer(store, [small, large], ImportOptions(), today=TODAY).preview(
        progress=seen.append, cancel=threading.Event())
    assert preview.ready and preview.files[1].rows_read == 25_000
    words = [str(step) for step in seen]
    assert words[0] == "Reading small.csv (file 1 of 2): 0 rows…"
    assert words[1] == "Reading large.csv (file 2 of 2): 0 rows…"
    assert words[2:7] == [f"Reading large.csv (file 2 of 2): {rows:,} rows…"
                          for rows in range(PROGRESS_ROWS, 25_001, PROGRESS_ROWS)]
    assert words[7:] == ["Comparing the files with the database…"] * 2
    assert str(ImportProgress("reading", "report.csv", 1, 1, 120_000)) == \
        "Reading report.csv: 120,000 rows…"


def test_a_cancel_while_reading_stops_the_preview_and_leaves_nothing(
        store: Store, tmp_path: Path) -> None:
    path = spreadsheet(tmp_path / "report.csv", 30, 1000)
    before = database_dump(store.path)
    earlier = Importer(store, [spreadsheet(tmp_path / "small.csv", 1, 10)], ImportOptions(),
                       today=TODAY)
    assert earlier.preview().ready
    cancel = threading.Event()
    rows: list[int] = []

    def progress(step: ImportProgress) -> None:
        rows.append(step.rows)
        if step.rows >= 2 * PROGRESS_ROWS:
            cancel.set()

    importer = Importer(store, [path], ImportOptions(), today=TODAY)
    with pytest.raises(ImportCancelledError) as stopped:
        importer.preview(progress=progress, cancel=cancel)
    assert stopped.value.message == "The import was stopped before it finished."
    assert stopped.value.hint == "Nothing was written to the database."
    assert max(rows) == 2 * PROGRESS_ROWS  # stopped at the next check, not at the end
    assert scratch_tables(store) == [] and not store.conn.in_transaction
    assert database_dump(store.path) == before
    # an earlier preview on the connection, whose scratch tables went too, says so in words
    with pytest.raises(ImportBlockedError, match="Other files were previewed"):
        earlier.commit()
    # and the connection previews and imports as before
    again = Importer(store, [path], ImportOptions(), today=TODAY)
    assert again.preview().ready
    assert again.commit().changes == 30_000


def test_a_cancel_while_comparing_interrupts_the_database_work(store: Store,
                                                               tmp_path: Path) -> None:
    path = spreadsheet(tmp_path / "report.csv", 20, 1000)
    before = database_dump(store.path)
    cancel = threading.Event()
    steps: list[str] = []

    def progress(step: ImportProgress) -> None:
        steps.append(step.step)
        if step.step == "comparing":
            cancel.set()  # the comparison runs in SQL: SQLite is asked to stop it

    with pytest.raises(ImportCancelledError):
        Importer(store, [path], ImportOptions(), today=TODAY).preview(progress, cancel)
    assert steps.count("comparing") == 1
    assert scratch_tables(store) == [] and not store.conn.in_transaction
    assert database_dump(store.path) == before


def test_a_cancel_while_writing_rolls_the_import_back(store: Store, tmp_path: Path) -> None:
    path = spreadsheet(tmp_path / "report.csv", 10, 1000)
    importer = Importer(store, [path], ImportOptions(), today=TODAY)
    preview = importer.preview()
    before = database_dump(store.path)
    cancel = threading.Event()
    with pytest.raises(ImportCancelledError):
        importer.commit(progress=lambda step: cancel.set(), cancel=cancel)
    assert database_dump(store.path) == before and not preview.committed
    assert not store.conn.in_transaction
    # the preview still stands: importing it without a cancel writes it
    assert importer.commit(progress=lambda step: None, cancel=threading.Event()).committed
    (count,) = store.conn.execute("SELECT count(*) FROM readings").fetchone()
    assert count == 10_000


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(when=st.integers(min_value=0, max_value=12))
def test_whenever_the_cancel_comes_the_database_is_untouched_or_fully_imported(
        tmp_path: Path, when: int) -> None:
    path = tmp_path / "report.csv"
    if not path.exists():
        spreadsheet(path, 3, 5000)  # 15,000 rows: 3 reports while reading, then 4 more
    db = tmp_path / f"engage-{when}.sqlite"
    db.unlink(missing_ok=True)
    with open_store(db) as store:
        before = database_dump(db)
        cancel = threading.Event()
        reports = 0

        def progress(step: ImportProgress) -> None:
            nonlocal reports
            reports += 1
            if reports > when:
                cancel.set()

        importer = Importer(store, [path], ImportOptions(), today=TODAY)
        stage = "preview"
        try:
            importer.preview(progress, cancel)
            stage = "import"
            importer.commit(progress, cancel)
        except ImportCancelledError:
            assert reports > when and database_dump(db) == before
            if stage == "preview":
                assert scratch_tables(store) == []
            else:
                assert not importer.preview_result.committed
        else:
            # the cancel never came, or came at the last report, after the last check
            assert reports <= when + 1
            (count,) = store.conn.execute("SELECT count(*) FROM readings").fetchone()
            assert count == 15_000
        assert not store.conn.in_transaction
