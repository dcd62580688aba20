"""Opening a database read-only: asked for, a copy published for the team, or a file that
cannot be written. Real SQLite files; the file's bytes and its folder's listing are compared
before and after."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from read_only_folder import read_only_view

from engage_desktop.core import errors, traffic_light
from engage_desktop.core.demo import write_demo
from engage_desktop.core.engagement import Mode, Thresholds
from engage_desktop.core.settings import API_VERSION_SEEN, DEMO, PUBLISHED_COPY, TRAFFIC_LIGHT
from engage_desktop.core.store import open_store
from engage_desktop.core.store.read_only import published

PUBLISHED = {"published_at": "2026-11-30T07:15:00Z", "source": "engage.sqlite"}


def _state(folder: Path) -> dict[str, str]:
    """Every file in the folder with a digest of its bytes."""
    return {file.name: hashlib.sha256(file.read_bytes()).hexdigest()
            for file in sorted(folder.iterdir())}


def _demo(path: Path, *, publish: object = None, journal: str = "wal") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_store(path) as store:
        write_demo(store, pages=4, days=40)
        if publish is not None:
            store.settings.set(PUBLISHED_COPY, publish)
    if journal != "wal":
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA journal_mode = {journal}")
        conn.close()
    return path


def _browse(store) -> list:
    """What the window and the reading commands read."""
    light = traffic_light.build(store)
    for row in light.rows:
        store.daily_series(row.page.id, row.latest.taken_at.date(), row.latest.taken_at.date())
    store.notes(light.rows[0].latest.taken_at.date(), light.rows[0].latest.taken_at.date())
    store.sync_runs()
    return [row.as_json() for row in light.rows]


def test_asked_for_it_reads_everything_and_leaves_a_wal_database_as_it_was(
        tmp_path: Path) -> None:
    db = _demo(tmp_path / "team" / "engage.sqlite")
    with open_store(db) as store:
        expected = _browse(store)
    before = _state(db.parent)
    assert list(before) == ["engage.sqlite"]  # WAL mode, closed cleanly
    with open_store(db, read_only=True) as store:
        assert store.read_only is not None and store.read_only.kind == "asked"
        assert _browse(store) == expected
        with pytest.raises(errors.ReadOnlyDatabaseError) as refused:
            store.settings.set(TRAFFIC_LIGHT, Thresholds(1, 2, Mode.ABSOLUTE))
        assert "open read-only, so nothing was written" in str(refused.value)
        assert "not read-only" in refused.value.hint
        # SQLite itself refuses a write that would go round the store
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("DELETE FROM readings")
    assert _state(db.parent) == before


def test_a_published_copy_opens_read_only_whatever_is_asked(tmp_path: Path) -> None:
    db = _demo(tmp_path / "share" / "engage.sqlite", publish=PUBLISHED)
    before = _state(db.parent)
    with open_store(db) as store:  # not asked for: the copy says what it is
        why = store.read_only
        assert why is not None and why.kind == "published"
        assert why.sentence() == ("This is a copy published for the team on Mon 30 Nov 2026 "
                                  "at 07:15 from engage.sqlite: open the original to sync or "
                                  "import.")
        _browse(store)
        with pytest.raises(errors.ReadOnlyDatabaseError, match="published for the team"):
            store.add_note(date(2026, 11, 30), "Storm")
    assert _state(db.parent) == before


def test_a_rollback_journal_database_is_read_without_a_journal_left(tmp_path: Path) -> None:
    db = _demo(tmp_path / "old" / "engage.sqlite", journal="delete", publish=PUBLISHED)
    before = _state(db.parent)
    with open_store(db) as store:
        assert store.read_only.kind == "published"
        _browse(store)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert _state(db.parent) == before


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_file_on_a_read_only_share_opens_read_only_and_leaves_no_files(
        tmp_path: Path, journal: str) -> None:
    db = _demo(tmp_path / "share" / "engage.sqlite", journal=journal)
    with open_store(db) as store:
        expected = _browse(store)
    before = _state(db.parent)
    with read_only_view(db.parent) as share:
        with open_store(share / db.name) as store:  # nothing asked: it cannot be written
            assert store.read_only.kind == "not_writable"
            assert "cannot write to this file or its folder" in store.read_only.reason
            assert _browse(store) == expected
            with pytest.raises(errors.ReadOnlyDatabaseError):
                store.set_followed([expected[0]["page_id"]], False)
        assert _state(share) == before
    assert _state(db.parent) == before


def test_a_share_another_program_writes_to_is_read_live(tmp_path: Path) -> None:
    """The publisher writes through its own path while the reader reads the read-only share:
    the reader uses the publisher's write-ahead log, and leaves no file of its own."""
    db = _demo(tmp_path / "share" / "engage.sqlite")
    with read_only_view(db.parent) as share:
        if share == db.parent:
            pytest.skip("needs a read-only mount beside a writable path (as root)")
        # (in one process SQLite keeps the reader's file open until the writer closes, both
        # being the same file to it: so the writer closes before the share goes)
        with open_store(db) as writer:
            writer.settings.set(API_VERSION_SEEN, "first")
            with open_store(share / db.name) as reader:
                assert reader.read_only.kind == "not_writable"
                assert reader.settings.get(API_VERSION_SEEN) == "first"
                writer.settings.set(API_VERSION_SEEN, "second")
                assert reader.settings.get(API_VERSION_SEEN) == "second"
    assert sorted(path.name for path in db.parent.iterdir()) == ["engage.sqlite"]


def _older_copy(path: Path, full: Path) -> Path:
    """A published copy as the first version wrote it (its first migration only), holding
    the data of ``full``."""
    from sqlite_utils import Database

    from engage_desktop.core.store.schema import migrations

    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    migrations.apply(Database(conn), stop_before="0002_token_problem")
    _copy_data(conn, full)
    with conn:
        conn.execute("INSERT INTO settings VALUES (?, ?)",
                     [PUBLISHED_COPY.key, json.dumps(PUBLISHED)])
    conn.close()
    return path


# The tables and columns as migrations 0001 to 0006 named them, and their names now (0007).
OLD_NAMES = {"pages": "pages", "snapshots": "readings", "annotations": "notes",
             "settings": "settings"}
OLD_COLUMNS = {"tracked": "followed", "notes": "description"}


def _copy_data(conn: sqlite3.Connection, full: Path) -> None:
    """Copy the data of the up-to-date database ``full`` into the older database open in
    ``conn`` (made by migrations before 0007: its old table and column names)."""
    conn.execute("ATTACH DATABASE ? AS full", [str(full)])
    with conn:
        for old, now in OLD_NAMES.items():
            columns = [row[1] for row in conn.execute(f"PRAGMA main.table_info({old})")]
            conn.execute(f"INSERT INTO main.{old} ({', '.join(columns)}) "
                         f"SELECT {', '.join(OLD_COLUMNS.get(c, c) for c in columns)} "
                         f"FROM full.{now}")
    conn.execute("DETACH DATABASE full")


def test_an_older_copy_is_read_brought_up_to_date_in_memory_only(tmp_path: Path) -> None:
    full = _demo(tmp_path / "office" / "engage.sqlite")
    with open_store(full) as store:
        expected = _browse(store)
    db = _older_copy(tmp_path / "share" / "engage.sqlite", full)
    before = _state(db.parent)
    with open_store(db) as store:
        assert store.read_only.kind == "published"
        assert _browse(store) == expected
        assert store.warnings == ["This copy is from an older version of Engage Desktop: it is "
                                  "read as it is, brought up to date in memory only (the file "
                                  "is not changed)."]
        with pytest.raises(errors.ReadOnlyDatabaseError, match="published for the team"):
            store.settings.set(DEMO, True)
    assert _state(db.parent) == before
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro&immutable=1", uri=True)
    assert [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")] == [
        "0001_initial"]
    conn.close()


def _everything(store) -> tuple:
    """The history, the followed flags, the notes and the descriptions, as read."""
    today = date(2030, 1, 1)
    first = store.first_day(today)
    pages = store.pages()
    return ([(page.id, page.name, page.followed, page.description) for page in pages],
            {page.id: store.daily_series(page.id, first, today) for page in pages},
            store.latest_readings(), store.notes(first, today), _browse(store))


def _before_one_word_per_idea(path: Path, full: Path) -> Path:
    """A database made by migrations 0001 to 0006 (a version before the tables and columns
    were renamed by 0007) holding the data of ``full``."""
    from sqlite_utils import Database

    from engage_desktop.core.store.schema import migrations

    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    migrations.apply(Database(conn), stop_before="0007_one_word_per_idea")
    _copy_data(conn, full)
    conn.close()
    return path


def test_a_database_from_before_one_word_per_idea_reads_the_same_read_only_and_writable(
        tmp_path: Path) -> None:
    full = _demo(tmp_path / "office" / "engage.sqlite")
    with open_store(full) as store:
        ids = [page.id for page in store.pages()]
        store.set_followed([ids[1]], False)
        store.set_page_description(ids[0], "Run by the leisure team; posts on Fridays.")
        store.add_note(date(2026, 11, 2), "Library week", ids[2])
        expected = _everything(store)
    assert [flag for _, _, flag, _ in expected[0]].count(False) == 1
    assert expected[3] and any(description for *_, description in expected[0])
    db = _before_one_word_per_idea(tmp_path / "old" / "engage.sqlite", full)
    before = _state(db.parent)

    with open_store(db, read_only=True) as store:  # brought up to date in memory only
        assert store.read_only.kind == "asked"
        assert _everything(store) == expected
        assert any("brought up to date in memory only" in w for w in store.warnings)
    assert _state(db.parent) == before
    conn = sqlite3.connect(db)
    assert "0007_one_word_per_idea" not in {
        row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
    conn.close()

    with open_store(db) as store:  # migrated in the file
        assert _everything(store) == expected
        schema = dict(store.conn.execute("SELECT name, type FROM sqlite_master"))
        assert {"readings", "notes", "readings_sync_run", "notes_unique", "notes_day"} <= set(
            schema)
        assert not {"snapshots", "annotations", "snapshots_sync_run", "annotations_unique",
                    "annotations_day"} & set(schema)
        columns = {row[1] for row in store.conn.execute("PRAGMA table_info(pages)")}
        assert {"followed", "description"} <= columns
        assert not {"tracked", "notes"} & columns
        # the CHECK constraints name the new columns, and the unique index still holds
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            store.conn.execute("UPDATE pages SET followed = 2 WHERE id = ?", [ids[0]])
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            store.conn.execute("UPDATE notes SET text = ' ' WHERE page_id = ?", [ids[2]])
        assert store.add_note(date(2026, 11, 2), "Library week", ids[2]) is False
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_older_copy_that_cannot_be_brought_up_to_date_is_refused_in_words(
        tmp_path: Path) -> None:
    db = _demo(tmp_path / "share" / "engage.sqlite")
    conn = sqlite3.connect(db)
    with conn:  # its record lost, the change itself there: making it again fails
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0004_insights_source'")
    conn.close()
    before = _state(db.parent)
    with pytest.raises(errors.OlderSchemaError) as refused:
        open_store(db, read_only=True)
    assert str(refused.value).startswith("This copy is from an older version of Engage "
                                         "Desktop")
    assert "0004_insights_source" in str(refused.value) and "untouched" in refused.value.hint
    assert _state(db.parent) == before


def test_a_newer_copy_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = _demo(tmp_path / "share" / "engage.sqlite", publish=PUBLISHED)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('engage_desktop', '0099_from_the_future', '2030-01-01')")
    conn.close()
    before = _state(db.parent)
    with pytest.raises(errors.NewerSchemaError, match="newer version"):
        open_store(db)
    assert _state(db.parent) == before


def test_read_only_never_makes_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite"
    with pytest.raises(errors.DatabaseMissingError):
        open_store(missing, read_only=True)
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with pytest.raises(errors.NotADatabaseError, match="empty file"):
        open_store(empty, read_only=True)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["empty.sqlite"]
    assert empty.read_bytes() == b""


@given(st.one_of(st.text(max_size=80), st.builds(json.dumps, st.dictionaries(
    st.sampled_from(["published_at", "source", "other"]),
    st.one_of(st.none(), st.integers(), st.text(max_size=30)), max_size=3))))
def test_any_published_setting_marks_a_copy_and_never_fails(value: str) -> None:
    why = published(value)
    assert why is not None and why.kind == "published"
    assert why.reason.startswith("this is a copy published for the team")
    assert why.sentence().endswith("open the original to sync or import.")
