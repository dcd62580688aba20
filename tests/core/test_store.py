"""The SQLite store against real database files."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from factories import page, reading, utc
from privileges import without_root_file_powers

from engage_desktop.core import errors
from engage_desktop.core.engagement import Mode, Thresholds
from engage_desktop.core.models import PageInfo, SyncError
from engage_desktop.core.settings import API_VERSION_SEEN, GRAPH_URL, SYNC_THROTTLE
from engage_desktop.core.store import Store, open_store

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_database_table_lists_every_table_and_column_by_its_name(
        store: Store) -> None:
    text = README.read_text(encoding="utf-8")
    database = text[text.index("## Database"):text.index("## Development")]
    listed = {}  # table -> the first two cells of its row (its name, its columns)
    for line in database.splitlines():
        cells = line.split("|")
        if line.startswith("| `") and len(cells) > 3:
            listed[cells[1].strip().strip("`")] = cells[2]
    tables = set(store.db.table_names()) - {"_sqlite_migrations"}
    assert set(listed) == tables
    for table in tables:
        missing = [c for c in store.db[table].columns_dict if f"`{c}`" not in listed[table]]
        assert missing == [], table
    # one word for each idea: the names before migration 0007 are gone from the table
    assert not {"snapshots", "annotations"} & set(listed)
    assert "`tracked`" not in listed["pages"] and "`notes`" not in listed["pages"]
    assert "`followed` (0/1)" in listed["pages"] and "`description`" in listed["pages"]


def test_open_creates_parent_folders_and_configures_the_connection(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "engage.sqlite"
    with open_store(path, busy_timeout=3) as store:
        conn = store.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 3000
    assert path.is_file()


def test_schema_has_the_documented_tables_and_columns(store: Store) -> None:
    tables = set(store.db.table_names())
    assert {"pages", "readings", "insights", "metric_status", "sync_runs", "sync_errors",
            "notes", "settings"} <= tables
    assert set(store.db["readings"].columns_dict) == {
        "page_id", "taken_at", "followers", "fans", "talking_about", "npe", "source",
        "sync_run_id"}
    assert store.db["readings"].pks == ["page_id", "taken_at"]
    assert store.db["insights"].pks == ["page_id", "metric", "period", "end_time"]


def test_reopening_applies_no_migration_twice(db_path: Path) -> None:
    open_store(db_path).close()
    open_store(db_path).close()
    with open_store(db_path) as store:
        names = [row["name"] for row in store.db["_sqlite_migrations"].rows]
    assert names == ["0001_initial", "0002_token_problem", "0003_insights_coverage",
                     "0004_insights_source", "0005_alerts", "0006_thresholds_shape",
                     "0007_one_word_per_idea"]


def test_an_older_database_is_upgraded_in_place_keeping_its_data(db_path: Path) -> None:
    from sqlite_utils import Database

    from engage_desktop.core.store.schema import migrations

    old = Database(db_path)
    migrations.apply(old, stop_before="0002_token_problem")
    old.execute("INSERT INTO pages (id, name, kind, added_at) "
                "VALUES ('1', 'Libraries', 'own', '2025-01-01T00:00:00Z')")
    old.close()
    with open_store(db_path) as store:
        upgraded = store.page("1")
        assert upgraded is not None and upgraded.name == "Libraries"
        assert upgraded.token_problem is None
        store.set_token_status(["1"], "needs_reconnect", "the token expired")
        assert store.page("1").token_problem == "the token expired"


def test_an_empty_file_is_initialised(db_path: Path) -> None:
    db_path.touch()
    with open_store(db_path) as store:
        assert "pages" in store.db.table_names()


def test_missing_file_is_refused_when_not_creating(db_path: Path) -> None:
    with pytest.raises(errors.DatabaseMissingError, match="no database"):
        open_store(db_path, create=False)
    assert not db_path.exists()


def _refused_untouched(path: Path, error: type[Exception], match: str) -> None:
    before = path.read_bytes()
    siblings = set(path.parent.iterdir())
    with pytest.raises(error, match=match) as caught:
        open_store(path)
    assert path.read_bytes() == before
    assert set(path.parent.iterdir()) == siblings, "no -wal or -shm file may appear"
    assert caught.value.hint


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("date,likes\n2024-01-01,200\n")
    _refused_untouched(path, errors.NotADatabaseError, "not an SQLite file")


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    _refused_untouched(path, errors.ForeignDatabaseError, "another program")


def test_a_newer_schema_is_refused_and_left_untouched(db_path: Path) -> None:
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('engage_desktop', '0099_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    _refused_untouched(db_path, errors.NewerSchemaError, "newer version")


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    _refused_untouched(path, errors.NotADatabaseError, "damaged")


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(errors.NotADatabaseError, match="folder"):
        open_store(tmp_path)


def test_a_full_disk_fails_cleanly_and_keeps_earlier_data(store: Store) -> None:
    store.upsert_pages([page("1")])
    store.add_readings([reading("1", utc(2026, 1, 1, 9))])
    # SQLITE_FULL the way a full disk produces it: no more pages may be allocated.
    pages_now = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages_now + 2}")
    batch = [reading("1", utc(2026, 1, 2, 9) + timedelta(minutes=i)) for i in range(20_000)]
    with pytest.raises(errors.DiskFullError, match="full") as caught:
        store.add_readings(batch)
    assert "intact" in caught.value.hint
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.db["readings"].count == 1, "a failed batch leaves no half of itself behind"
    store.db.execute("PRAGMA max_page_count = 1073741823")
    assert store.add_readings(batch[:10]) == 10


def test_a_writer_that_holds_the_database_too_long_gives_a_busy_error(db_path: Path) -> None:
    open_store(db_path).close()
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with open_store(db_path, busy_timeout=0.2) as store, pytest.raises(
                errors.DatabaseBusyError, match="locked by another program"):
            store.upsert_pages([page("1")])
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_readers_are_not_blocked_by_a_writer(db_path: Path) -> None:
    with open_store(db_path) as writer:
        writer.upsert_pages([page("1")])
        with writer.transaction(), open_store(db_path, busy_timeout=0.2) as reader:
            writer.add_readings([reading("1", utc(2026, 1, 1, 9))])
            assert [p.id for p in reader.pages()] == ["1"]
            assert reader.latest_readings() == {}  # the uncommitted reading is not seen


def test_upserting_a_page_refreshes_metadata_but_keeps_local_choices(store: Store) -> None:
    store.upsert_pages([PageInfo("1", "Old name", "own", username="old")])
    first = store.page("1")
    assert first is not None and first.followed and first.token_status == "missing"
    store.db.execute("UPDATE pages SET followed = 0, description = 'keep me' WHERE id = '1'")
    store.upsert_pages([PageInfo("1", "New name", "own", username=None, category="Library")])
    again = store.page("1")
    assert again is not None
    assert (again.name, again.username, again.category) == ("New name", None, "Library")
    assert (again.followed, again.description, again.added_at) == (False, "keep me", first.added_at)
    assert store.page("missing") is None


def test_the_same_reading_twice_is_one_row_and_a_correction_wins(store: Store) -> None:
    store.upsert_pages([page("1")])
    when = utc(2026, 3, 1, 9, 15)
    store.add_readings([reading("1", when, 1000, 30)])
    store.add_readings([reading("1", when, 1000, 30)])
    assert store.db["readings"].count == 1
    store.add_readings([reading("1", when, 1000, 31)])
    assert store.latest_readings()["1"].talking_about == 31


def test_missing_talking_about_is_kept_as_missing_not_zero(store: Store) -> None:
    store.upsert_pages([page("1")])
    store.add_readings([reading("1", utc(2026, 3, 1, 9), 500, None, npe=None)])
    latest = store.latest_readings()["1"]
    assert latest.talking_about is None and latest.npe is None and latest.followers == 500


def test_a_reading_for_an_unknown_page_is_refused(store: Store) -> None:
    with pytest.raises(errors.DatabaseError):
        store.add_readings([reading("nobody", utc(2026, 3, 1, 9))])
    assert store.db["readings"].count == 0


def test_latest_reading_per_page(store: Store) -> None:
    store.upsert_pages([page("1"), page("2"), page("3")])
    store.add_readings([
        reading("1", utc(2026, 3, 1, 9), 100, 1),
        reading("1", utc(2026, 3, 2, 9), 101, 2),
        reading("2", utc(2026, 2, 1, 9), 500, 9),
    ])
    latest = store.latest_readings()
    assert set(latest) == {"1", "2"}
    assert latest["1"].taken_at == utc(2026, 3, 2, 9) and latest["1"].talking_about == 2
    assert latest["2"].followers == 500


def test_daily_series_takes_the_last_reading_of_each_uk_day(store: Store) -> None:
    store.upsert_pages([page("1")])
    store.add_readings([
        reading("1", utc(2026, 6, 1, 8), 100, 1),
        reading("1", utc(2026, 6, 1, 17), 100, 2),   # last of 1 June
        reading("1", utc(2026, 6, 1, 23, 30), 100, 3),  # 00:30 BST: already 2 June in the UK
        reading("1", utc(2026, 6, 4, 9), 100, 4),    # 3 June has no reading: a gap
        reading("1", utc(2026, 6, 9, 9), 100, 5),    # outside the range asked for
    ])
    series = store.daily_series("1", date(2026, 6, 1), date(2026, 6, 5))
    assert [(point.day, point.talking_about) for point in series] == [
        (date(2026, 6, 1), 2), (date(2026, 6, 2), 3), (date(2026, 6, 4), 4)]


def test_daily_series_of_several_pages_is_each_ones_series(store: Store) -> None:
    store.upsert_pages([page("1"), page("2"), page("3")])
    store.add_readings([
        reading("1", utc(2026, 6, 1, 8), 100, 1),
        reading("1", utc(2026, 6, 1, 23, 30), 100, 3),  # 2 June in the UK
        reading("2", utc(2026, 6, 2, 9), 200, 7),
        reading("2", utc(2026, 6, 2, 10), 200, 8),  # the last of the day wins
    ])
    first, last = date(2026, 6, 1), date(2026, 6, 5)
    both = store.daily_series_of(["1", "2", "3"], first, last)
    assert set(both) == {"1", "2"}  # no readings: absent
    assert both == {pid: store.daily_series(pid, first, last) for pid in ("1", "2")}
    assert [(p.day, p.talking_about) for p in both["2"]] == [(date(2026, 6, 2), 8)]


def test_daily_series_is_right_across_the_clock_changes(store: Store) -> None:
    store.upsert_pages([page("1")])
    # 09:00 UK time every day around the spring and autumn changes of 2026.
    days = [date(2026, 3, 27) + timedelta(days=i) for i in range(4)]
    days += [date(2026, 10, 23) + timedelta(days=i) for i in range(4)]
    store.add_readings([
        reading("1", utc(d.year, d.month, d.day, 8 if (3, 29) <= (d.month, d.day) < (10, 25)
                         else 9), 100, d.day) for d in days])
    spring = store.daily_series("1", date(2026, 3, 27), date(2026, 3, 30))
    autumn = store.daily_series("1", date(2026, 10, 23), date(2026, 10, 26))
    assert [p.day for p in spring + autumn] == days
    assert [p.talking_about for p in spring + autumn] == [d.day for d in days]


def test_settings_round_trip(store: Store) -> None:
    assert store.settings.get(GRAPH_URL) is None
    store.settings.set(API_VERSION_SEEN, "v26.0")
    store.settings.set(SYNC_THROTTLE, {"app": "2026-01-01T00:00:00Z", "numbers": [1, 2.5, None]})
    assert store.settings.get(API_VERSION_SEEN) == "v26.0"
    assert store.settings.get(SYNC_THROTTLE)["numbers"] == [1, 2.5, None]


def test_thresholds_default_and_round_trip(store: Store) -> None:
    assert store.thresholds() == Thresholds(20, 50, Mode.ABSOLUTE)
    store.set_thresholds(Thresholds(15, 40, Mode.RELATIVE))
    assert store.thresholds() == Thresholds(15, 40, Mode.RELATIVE)


def test_broken_stored_thresholds_fall_back_to_the_defaults(store: Store) -> None:
    store.db.execute("INSERT INTO settings VALUES ('traffic_light', ?)",
                     [json.dumps({"amber": 90, "green": 10})])
    assert store.thresholds() == Thresholds()


def test_notes_for_one_page_or_all(store: Store) -> None:
    store.upsert_pages([page("1"), page("2")])
    assert store.add_note(date(2026, 2, 3), "Storm week", None)
    assert store.add_note(date(2026, 2, 5), " Bin strike ", "1")
    assert not store.add_note(date(2026, 2, 5), "Bin strike", "1"), "stored once"
    store.add_note(date(2026, 2, 6), "Open day", "2")
    store.add_note(date(2026, 5, 6), "Polling day", None)
    for_one = store.notes(date(2026, 2, 1), date(2026, 2, 28), ["1"])
    assert [(a.page_id, a.day, a.text) for a in for_one] == [
        (None, date(2026, 2, 3), "Storm week"), ("1", date(2026, 2, 5), "Bin strike")]
    assert len(store.notes(date(2026, 1, 1), date(2026, 12, 31))) == 4
    with pytest.raises(errors.EngageError, match="needs some text"):
        store.add_note(date(2026, 2, 3), "   ")


def _notes(store: Store) -> list[tuple[str | None, date, str]]:
    return [(a.page_id, a.day, a.text)
            for a in store.notes(date(2026, 1, 1), date(2026, 12, 31))]


def test_a_note_is_edited_in_place_its_text_pages_and_day(store: Store) -> None:
    store.upsert_pages([page("1"), page("2")])
    store.add_note(date(2026, 2, 3), "Storm week", None)
    [note] = store.notes(date(2026, 2, 1), date(2026, 2, 28))
    store.update_note(note.id, "  Storm Bert: road closures ", "1")
    assert _notes(store) == [("1", date(2026, 2, 3), "Storm Bert: road closures")]
    store.update_note(note.id, "Storm Bert", None, day=date(2026, 2, 4))
    [edited] = store.notes(date(2026, 2, 1), date(2026, 2, 28), ["2"])
    assert (edited.id, edited.page_id, edited.day, edited.text) == (
        note.id, None, date(2026, 2, 4), "Storm Bert")


def test_an_edit_with_no_text_or_onto_another_note_is_refused(store: Store) -> None:
    store.upsert_pages([page("1")])
    store.add_note(date(2026, 2, 3), "Storm week", None)
    store.add_note(date(2026, 2, 3), "Bin strike", None)
    store.add_note(date(2026, 2, 3), "Storm week", "1")
    notes = {(a.page_id, a.text): a for a in store.notes(date(2026, 2, 1),
                                                                 date(2026, 2, 28))}
    storm, strike = notes[None, "Storm week"], notes[None, "Bin strike"]
    before = _notes(store)
    with pytest.raises(errors.EngageError, match="needs some text") as empty:
        store.update_note(storm.id, "  ", None)
    assert empty.value.hint
    with pytest.raises(errors.EngageError, match="That note is already there") as clash:
        store.update_note(strike.id, " Storm week", None)
    assert clash.value.hint and not isinstance(clash.value, errors.DatabaseError)
    assert _notes(store) == before, "nothing changed"
    # the same text for another Page, or on another day, is a different note
    store.update_note(strike.id, "Storm week", None, day=date(2026, 2, 4))
    with pytest.raises(errors.EngageError, match="That note is already there"):
        store.update_note(strike.id, "Storm week", "1", day=date(2026, 2, 3))
    with pytest.raises(errors.InvalidDataError, match="refers to a Page that is not there"):
        store.update_note(strike.id, "Storm week", "no-such-page")


def test_a_note_that_is_gone_cannot_be_edited_and_is_deleted_once(store: Store) -> None:
    store.upsert_pages([page("1")])
    store.add_note(date(2026, 2, 3), "Storm week", "1")
    store.add_note(date(2026, 2, 5), "Open day", None)
    storm, open_day = store.notes(date(2026, 2, 1), date(2026, 2, 28))
    assert store.delete_note(storm.id)
    assert _notes(store) == [(None, date(2026, 2, 5), "Open day")]
    assert not store.delete_note(storm.id), "already gone"
    with pytest.raises(errors.EngageError, match="no longer there"):
        store.update_note(storm.id, "Storm week", None)
    assert store.delete_note(open_day.id)
    assert _notes(store) == []


def test_sync_run_records(store: Store) -> None:
    store.upsert_pages([page("1"), page("2")])
    run_id = store.start_sync_run(api_version="v26.0")
    assert store.sync_runs()[0].status == "running"
    failures = [SyncError("2", "token", "Reconnect: the token expired", 190, 463)]
    store.finish_sync_run(run_id, "partial", pages_ok=1, pages_failed=1, requests=2,
                          resume_after=utc(2026, 11, 25, 14, 20), message="1 Page failed",
                          errors_=failures)
    run = store.sync_runs()[0]
    assert (run.status, run.pages_ok, run.pages_failed, run.requests, run.api_version) == (
        "partial", 1, 1, 2, "v26.0")
    assert run.resume_after == utc(2026, 11, 25, 14, 20) and run.finished_at is not None
    assert store.sync_errors(run_id) == failures
    with pytest.raises(ValueError):
        store.finish_sync_run(run_id, "running")


def test_page_overviews_average_the_two_trend_weeks(store: Store) -> None:
    store.upsert_pages([page("1"), page("2"), PageInfo("3", "Unfollowed", "public")])
    store.db.execute("UPDATE pages SET followed = 0 WHERE id = '3'")
    latest = utc(2026, 11, 20, 9)
    rows = []
    for days_back in range(0, 40):
        # 20 per 1,000 in the latest week, 10 per 1,000 four weeks before
        talking = 20 if days_back < 7 else 10
        rows.append(reading("1", latest - timedelta(days=days_back), 1000, talking))
    store.add_readings(rows)
    overviews = {o.page.id: o for o in store.page_overviews()}
    assert set(overviews) == {"1", "2"}
    assert overviews["1"].latest is not None and overviews["1"].latest.taken_at == latest
    assert overviews["1"].recent_avg == pytest.approx(20.0)
    assert overviews["1"].earlier_avg == pytest.approx(10.0)
    assert overviews["2"].latest is None and overviews["2"].recent_avg is None


def test_a_read_only_folder_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    """Root may write anywhere, so as root the check runs in a child process that has given
    up the capabilities that bypass file permissions (as an ordinary user it runs as is)."""
    import subprocess
    import sys

    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    prefix = without_root_file_powers()
    script = (
        "import sys\n"
        "from engage_desktop.core import errors\n"
        "from engage_desktop.core.store import open_store\n"
        "try:\n"
        f"    open_store({str(folder / 'engage.sqlite')!r})\n"
        "except errors.DatabaseNotWritableError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(0)\n"
        "sys.exit(1)\n")
    try:
        result = subprocess.run([*prefix, sys.executable, "-c", script], capture_output=True,
                                text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "cannot write" in result.stdout and "--db" in result.stdout
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def _wal_database(path: Path, sql: list[str]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_a_foreign_wal_database_is_refused_without_leaving_files(tmp_path: Path) -> None:
    path = tmp_path / "foreign.db"
    _wal_database(path, ["CREATE TABLE recipes (name TEXT)"])
    _refused_untouched(path, errors.ForeignDatabaseError, "another program")


def test_a_newer_wal_database_is_refused_without_leaving_files(db_path: Path) -> None:
    open_store(db_path).close()
    _wal_database(db_path, [
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('engage_desktop', '0099_from_the_future', '2030-01-01')"])
    assert (db_path.read_bytes()[18:20]) == b"\x02\x02", "the file is in WAL mode"
    _refused_untouched(db_path, errors.NewerSchemaError, "newer version")


def test_figures_the_database_cannot_hold_are_refused_plainly(store: Store) -> None:
    store.upsert_pages([page("1")])
    for bad in (reading("1", utc(2026, 1, 1), -5, 3), reading("1", utc(2026, 1, 1), 2**64, 3)):
        with pytest.raises(errors.InvalidDataError, match="could not save") as caught:
            store.add_readings([bad])
        assert "Nothing was saved" in caught.value.hint
    assert store.db["readings"].count == 0


def test_two_writers_take_turns_without_errors(db_path: Path) -> None:
    import threading

    open_store(db_path).close()
    with open_store(db_path) as setup:
        setup.upsert_pages([page("1"), page("2")])
    failures: list[BaseException] = []

    def writer(page_id: str) -> None:
        try:
            with open_store(db_path) as store:
                for i in range(60):
                    with store.transaction():
                        store.pages()  # read first, then write: the classic upgrade trap
                        store.add_readings([reading(page_id, utc(2026, 1, 1) + timedelta(
                            hours=i))])
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(pid,)) for pid in ("1", "2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with open_store(db_path) as store:
        assert store.db["readings"].count == 120


def test_an_unreadable_setting_falls_back_with_a_warning(store: Store) -> None:
    store.db.execute("INSERT INTO settings (key, value) VALUES ('traffic_light', 'amber=10')")
    assert store.thresholds() == Thresholds()
    assert any("'traffic_light' in the database cannot be used" in w for w in store.warnings)


def test_unusable_stored_thresholds_are_reported_not_hidden(store: Store) -> None:
    store.db.execute("INSERT INTO settings VALUES ('traffic_light', ?)",
                     [json.dumps({"amber": 60, "green": 50})])
    assert store.thresholds() == Thresholds()
    assert any("must be below the green threshold" in w for w in store.warnings)


def test_the_trend_counts_each_day_once(store: Store) -> None:
    store.upsert_pages([page("1")])
    latest = utc(2026, 11, 20, 9)
    rows = [reading("1", latest - timedelta(days=d), 1000, 20 if d < 7 else 10)
            for d in range(40)]
    # a burst of syncs on one day, early readings at 90 per 1,000, the day's last at 20
    rows += [reading("1", latest - timedelta(days=2, hours=h), 1000, 90) for h in range(1, 8)]
    store.add_readings(rows)
    (overview,) = store.page_overviews()
    assert overview.recent_avg == pytest.approx(20.0)
    assert overview.earlier_avg == pytest.approx(10.0)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A real filesystem that fills up: a 1 MB tmpfs (needs root; skipped elsewhere)."""
    import subprocess

    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                              str(mount_point)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(folder: Path, leave: int) -> Path:
    """Fill the disk until only about ``leave`` bytes are free."""
    import os

    ballast = folder / "ballast"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    ballast.write_bytes(b"\0" * max(0, free - leave))
    return ballast


def test_a_real_full_disk_fails_cleanly_and_keeps_what_was_saved(tiny_disk: Path) -> None:
    path = tiny_disk / "engage.sqlite"
    with open_store(path) as store:
        store.upsert_pages([page("1")])
        store.add_readings([reading("1", utc(2026, 1, 1, 9))])
        _fill(tiny_disk, leave=0)
        batch = [reading("1", utc(2026, 1, 2) + timedelta(minutes=i)) for i in range(20_000)]
        with pytest.raises(errors.DiskFullError, match="disk is full"):
            store.add_readings(batch)
    (tiny_disk / "ballast").unlink()
    with open_store(path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.db["readings"].count == 1


def test_a_disk_that_fills_while_the_database_is_made_is_recovered(tiny_disk: Path) -> None:
    path = tiny_disk / "engage.sqlite"
    ballast = _fill(tiny_disk, leave=48 * 1024)
    with pytest.raises(errors.DiskFullError):
        open_store(path)
    ballast.unlink()
    with open_store(path) as store:  # the half-made file is recognised as ours and finished
        assert "pages" in store.db.table_names()


def test_an_unreadable_folder_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o000)
    prefix = without_root_file_powers()
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "engage_desktop", "status", "--db",
             str(locked / "engage.sqlite")], capture_output=True, text=True, check=False)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Cannot read" in result.stderr


def _reference_week_average(readings, latest_day: date, first_back: int,
                            last_back: int) -> float | None:
    """The trend's weekly average, worked out the slow, obvious way."""
    from engage_desktop.core.timeutil import uk_day

    last_of_day = {}
    for r in sorted(readings, key=lambda r: r.taken_at):
        last_of_day[uk_day(r.taken_at)] = r
    ratios = []
    for back in range(last_back, first_back + 1):
        r = last_of_day.get(latest_day - timedelta(days=back))
        if r is not None and r.followers and r.talking_about is not None:
            ratios.append(r.talking_about * 1000.0 / r.followers)
    return sum(ratios) / len(ratios) if ratios else None


def test_trend_weeks_match_a_reference_across_clock_changes(tmp_path: Path) -> None:
    import random

    from engage_desktop.core.timeutil import uk_day

    rng = random.Random(5)
    for case, start in enumerate([utc(2026, 3, 1), utc(2026, 10, 1), utc(2026, 6, 1)]):
        with open_store(tmp_path / f"case{case}.sqlite") as store:
            store.upsert_pages([page("1")])
            readings = []
            moment = start
            while moment < start + timedelta(days=45):
                # irregular syncs, many of them near midnight (23:xx UTC is the next UK day
                # in summer)
                moment += timedelta(hours=rng.choice([1, 5, 11, 23, 24, 25, 47]),
                                    minutes=rng.randrange(60))
                readings.append(reading("1", moment, rng.randint(500, 2000),
                                        rng.randint(0, 200)))
            store.add_readings(readings)
            (overview,) = store.page_overviews()
            latest_day = uk_day(max(r.taken_at for r in readings))
            assert overview.recent_avg == pytest.approx(
                _reference_week_average(readings, latest_day, 6, 0))
            assert overview.earlier_avg == pytest.approx(
                _reference_week_average(readings, latest_day, 34, 28))


def test_the_known_migration_names_match_the_registered_migrations() -> None:
    from sqlite_utils import Database

    from engage_desktop.core.store.schema import migrations
    from engage_desktop.core.store.versions import MIGRATIONS

    assert tuple(m.name for m in migrations.pending(Database(memory=True))) == MIGRATIONS


def test_opening_an_up_to_date_database_does_not_import_sqlite_utils(db_path: Path) -> None:
    import subprocess
    import sys

    open_store(db_path).close()
    probe = ("import sys; from engage_desktop.core import traffic_light; "
             "from engage_desktop.core.store import open_store; "
             f"s = open_store({str(db_path)!r}); traffic_light.build(s); "
             "print('sqlite_utils' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_page_descriptions_are_kept_trimmed_and_cleared(store: Store) -> None:
    store.upsert_pages([page("7", "Kelderby Museum")])
    store.set_page_description("7", "  Run by the museum team; posts weekly.  ")
    assert store.page("7").description == "Run by the museum team; posts weekly."
    store.set_page_description("7", "")
    assert store.page("7").description is None
    with pytest.raises(errors.EngageError, match="2,000"):
        store.set_page_description("7", "x" * 2001)
