"""One bad cell, typed in with Datasette, sqlite-utils or Excel, must not make the database
unusable: the row is left out, a warning names the cell, and everything else still works."""

from __future__ import annotations

import codecs
import itertools
import json
import math
import re
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from factories import page, reading
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage_desktop.core import traffic_light
from engage_desktop.core.demo import write_demo
from engage_desktop.core.engagement import Thresholds
from engage_desktop.core.exporting.data import write_series
from engage_desktop.core.importing import Importer, ImportOptions
from engage_desktop.core.models import InsightValue, SyncError
from engage_desktop.core.services import graph_client, network_settings
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY, uk_day, utc_now

METRIC = "page_post_engagements"
COUNT, INSTANT, DAY, TEXT, FLAG, NUMBER, INTEGER = (
    "count", "instant", "day", "text", "flag", "number", "integer")
# (table, column) -> (kind of cell, may be NULL); the key columns are left alone: a reading
# moved to another Page is not unreadable, only not shown.
COLUMNS: dict[tuple[str, str], tuple[object, bool]] = {
    ("pages", "name"): (TEXT, False), ("pages", "kind"): (("own", "public", "imported"), False),
    ("pages", "username"): (TEXT, True), ("pages", "link"): (TEXT, True),
    ("pages", "category"): (TEXT, True), ("pages", "followed"): (FLAG, False),
    ("pages", "added_at"): (INSTANT, False),
    ("pages", "token_status"): (("ok", "missing", "needs_reconnect"), False),
    ("pages", "token_checked_at"): (INSTANT, True), ("pages", "description"): (TEXT, True),
    ("pages", "token_problem"): (TEXT, True),
    ("readings", "taken_at"): (INSTANT, False), ("readings", "followers"): (COUNT, True),
    ("readings", "fans"): (COUNT, True), ("readings", "talking_about"): (COUNT, True),
    ("readings", "npe"): (FLAG, True),
    ("readings", "source"): (("graph", "import", "demo"), False),
    ("readings", "sync_run_id"): (INTEGER, True),
    ("insights", "metric"): (TEXT, False), ("insights", "period"): (TEXT, False),
    ("insights", "end_time"): (INSTANT, False), ("insights", "value"): (NUMBER, True),
    ("insights", "source"): (("graph", "import"), False),
    ("metric_status", "available"): (FLAG, False),
    ("metric_status", "last_ok_at"): (INSTANT, True),
    ("metric_status", "unavailable_since"): (INSTANT, True),
    ("metric_status", "last_error"): (TEXT, True),
    ("metric_status", "covered_from"): (DAY, True),
    ("metric_status", "covered_until"): (DAY, True),
    ("notes", "day"): (DAY, False), ("notes", "text"): (TEXT, False),
    ("sync_runs", "started_at"): (INSTANT, False),
    ("sync_runs", "finished_at"): (INSTANT, True),
    ("sync_runs", "status"): (("running", "ok", "partial", "failed", "cancelled"), False),
    ("sync_runs", "pages_ok"): (COUNT, False), ("sync_runs", "pages_failed"): (COUNT, False),
    ("sync_runs", "requests"): (COUNT, False), ("sync_runs", "api_version"): (TEXT, True),
    ("sync_runs", "resume_after"): (INSTANT, True), ("sync_runs", "message"): (TEXT, True),
    ("sync_errors", "page_id"): (TEXT, True), ("sync_errors", "code"): (INTEGER, True),
    ("sync_errors", "subcode"): (INTEGER, True), ("sync_errors", "kind"): (TEXT, False),
    ("sync_errors", "message"): (TEXT, False),
}
BAD_VALUES = st.one_of(
    st.sampled_from([
        "lots", b"\x00\xff", b"", -1, -5, 1.5, -0.5, 2**63 - 1, -(2**63), 5_000_000_001,
        "NaN", "nan", "inf", "", " ", None, 1e308, "2026-13-45T99:00:00Z", "yesterday",
        "03/03/2026 10:00", "2026-03-03", "2026-03-03 10:00:00", "2026-02-30T10:00:00Z",
        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-03-03T10:00:00+00:00", 0, 1, 2,
        "1", "x" * 300, "<b>bold</b>", "2026-11-30T23:30:00Z", "1899-12-31T00:00:00Z",
        "1999-01-01", "2026-03-03T10:00:00.5Z", "ok", "graph", 45_000.25]),
    st.text(max_size=12), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False), st.binary(max_size=4))
_COPIES = itertools.count()
_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def readable(kind: object, nullable: bool, value: object) -> bool:
    """Whether a stored value is one Engage Desktop can use (the test's own rule)."""
    if value is None:
        return nullable
    if isinstance(kind, tuple):
        return value in kind and isinstance(value, str)
    if kind == TEXT:
        return isinstance(value, str)
    if kind in (COUNT, INTEGER, FLAG):
        low, high = {COUNT: (0, 5_000_000_000), FLAG: (0, 1)}.get(kind, (-2**63, 2**63))
        return type(value) is int and low <= value <= high
    if kind == NUMBER:
        return isinstance(value, int | float) and math.isfinite(value) and abs(value) < 1e15
    if not isinstance(value, str) or value < "1900":
        return False
    try:
        if kind == DAY:
            return date.fromisoformat(value).isoformat() == value
        return bool(_INSTANT.fullmatch(value)) and bool(
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        return False


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo database with a row in every table."""
    path = tmp_path_factory.mktemp("cells") / "template.sqlite"
    with open_store(path) as store:
        write_demo(store, pages=3, days=40)
        pages = store.pages()
        store.add_note(uk_day(utc_now()) - timedelta(days=3), "Storm Bert")
        run = store.start_sync_run("v23.0")
        store.finish_sync_run(run, "partial", pages_ok=2, pages_failed=1, requests=5,
                              message="One Page failed.", errors_=[SyncError(
                                  pages[0].id, "permission", "Reconnect this Page.", 190, 460)])
        store.record_metric(pages[0].id, METRIC, ok=True,
                            covered=(date(2026, 10, 1), date(2026, 11, 1)))
        store.add_insights([InsightValue(pages[0].id, METRIC, "day", utc_now(), 12.0)])
        store.set_thresholds(Thresholds(20, 50))
    return path


def spoil(path: Path, table: str, column: str, value: object, which: int) -> object:
    """Write ``value`` into one cell the way another program would (no CHECK constraints, no
    foreign keys); returns what SQLite stored (after its type affinity)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        keys = "page_id, taken_at" if table == "readings" else (
            "page_id, metric, period, end_time" if table == "insights" else
            "page_id, metric" if table == "metric_status" else "id")
        rows = conn.execute(f"SELECT {keys} FROM {table} ORDER BY {keys}").fetchall()
        row = rows[which % len(rows)]
        where = " AND ".join(f"{key} = ?" for key in keys.split(", "))
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", [value, *row])
        stored = conn.execute(f"SELECT {column} FROM {table} WHERE {where}",
                              [value if key == column else part
                               for key, part in zip(keys.split(", "), row, strict=True)]
                              ).fetchone()[0]
        conn.commit()
        return stored
    finally:
        conn.close()


def read_everything(store: Store) -> None:
    """Every read the window and the commands make."""
    today = uk_day(utc_now())
    light = traffic_light.build(store)
    assert len(light.rows) <= 3
    for page_ in store.pages():
        store.daily_series(page_.id, EARLIEST_DAY, today)
        store.insights(page_.id, METRIC)
        store.daily_total(page_.id, METRIC, EARLIEST_DAY, today)
        store.page(page_.id)
        store.find_page(page_.id)
    store.latest_readings()
    store.first_day(today)
    store.notes(EARLIEST_DAY, LATEST_DAY)
    for run in store.sync_runs():
        store.sync_errors(run.id)
    store.sync_errors(1)
    store.page_problems()
    store.metric_statuses()
    store.thresholds()
    network_settings(store)


def write_next_to_it(store: Store) -> None:
    """The writes of a sync, an import and the window, beside the spoilt row."""
    pages = store.pages()
    page_id = pages[0].id if pages else "1"
    store.upsert_pages([page(page_id, "Kelderby Libraries")])
    store.add_readings([reading(page_id, utc_now().replace(second=7), 1200, 40)])
    store.add_insights([InsightValue(page_id, METRIC, "day", utc_now(), 3.0)])
    store.record_metric(page_id, METRIC, ok=True, covered=(date(2026, 9, 1), date(2026, 11, 2)))
    store.note_metric_error(page_id, [METRIC], "Retired by Meta.")
    store.set_thresholds(Thresholds(10, 40))
    store.add_note(uk_day(utc_now()) - timedelta(days=3), "Storm Bert, again")
    run = store.start_sync_run()
    store.finish_sync_run(run, "ok", pages_ok=1, requests=1)
    store.close_abandoned_runs("Interrupted.")


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cell=st.sampled_from(sorted(COLUMNS)), value=BAD_VALUES,
       which=st.integers(min_value=0, max_value=10_000))
def test_a_bad_cell_anywhere_is_left_out_and_named(template: Path, tmp_path: Path,
                                                    cell: tuple[str, str], value: object,
                                                    which: int) -> None:
    table, column = cell
    path = tmp_path / f"spoilt-{next(_COPIES)}.sqlite"
    shutil.copy(template, path)
    try:
        stored = spoil(path, table, column, value, which)
    except sqlite3.IntegrityError:  # NULL in a NOT NULL column, or a duplicate key
        return
    with open_store(path) as store:
        read_everything(store)
        warnings = list(store.warnings)
        write_next_to_it(store)
        read_everything(store)
    kind, nullable = COLUMNS[cell]
    unreadable = [w for w in warnings if "unreadable" in w]
    if readable(kind, nullable, stored):
        assert unreadable == []
    elif cell != ("insights", "metric"):  # binary data there: a metric nobody asks for
        assert any(f"{column} = " in w and f"in the {table} table" in w for w in unreadable), (
            stored, warnings)


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["traffic_light", "traffic_light_interactions", "network",
                            "sync_throttle", "graph_api_url", "public_reader"]),
       value=st.one_of(st.sampled_from(["x", "amber=10", "[1, 2]", "{", "null", "5", "",
                                        '{"amber": "x"}', '{"proxy_mode": "manual"}',
                                        '{"proxy_mode": 5}', '{"page:1": "soon"}',
                                        '{"user": 5}', '"http://example.org"']),
                       st.text(max_size=20), st.binary(max_size=6)))
def test_a_bad_setting_falls_back_with_a_warning(template: Path, tmp_path: Path, key: str,
                                                 value: object) -> None:
    path = tmp_path / f"settings-{next(_COPIES)}.sqlite"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, value])
    conn.commit()
    conn.close()
    with open_store(path) as store:
        read_everything(store)
        try:
            graph_client(store)
        except Exception as error:  # an https address of the wrong form is refused in words
            assert type(error).__name__ == "EngageError" and "Graph API address" in str(error)
        if key in ("traffic_light", "network", "graph_api_url") and not parses(value):
            assert any(f"The setting '{key}' in the database cannot be used" in warning
                       for warning in store.warnings), store.warnings
        store.set_thresholds(Thresholds(10, 40))
        assert store.thresholds() == Thresholds(10, 40)


def parses(value: object) -> bool:
    try:
        json.loads(value)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def test_the_warning_says_which_reading_and_groups_many(template: Path, tmp_path: Path) -> None:
    path = tmp_path / "many.sqlite"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    name, page_id = conn.execute("SELECT name, id FROM pages ORDER BY name LIMIT 1").fetchone()
    newest = conn.execute("SELECT max(taken_at) FROM readings WHERE page_id = ?",
                          [page_id]).fetchone()[0]
    conn.execute("UPDATE readings SET followers = 'lots' WHERE page_id = ? AND taken_at = ?",
                 [page_id, newest])
    conn.commit()
    with open_store(path) as store:
        light = traffic_light.build(store)
    day = uk_day(datetime.fromisoformat(newest.replace("Z", "+00:00")))
    assert store.warnings == [
        f"1 reading of {name} on {day.day} {day:%b %Y} is unreadable: followers = 'lots'. "
        "It is left out; correct or delete it in the readings table."]
    row = next(row for row in light.rows if row.page.id == page_id)
    assert row.latest is not None and row.latest.taken_at < datetime.fromisoformat(
        newest.replace("Z", "+00:00"))  # the reading before it is the latest

    conn.execute("UPDATE readings SET talking_about = -3 WHERE page_id = ?", [page_id])
    conn.commit()
    conn.close()
    with open_store(path) as store:
        light = traffic_light.build(store)
    assert len(store.warnings) == 1
    assert store.warnings[0].startswith(f"40 readings of {name} from ")
    assert "are unreadable, for example followers = 'lots'" in store.warnings[0]
    row = next(row for row in light.rows if row.page.id == page_id)
    assert row.latest is None and len(light.rows) == 3


def test_an_export_leaves_out_the_bad_reading(template: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.sqlite"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE readings SET followers = x'00' WHERE taken_at = (SELECT "
                 "min(taken_at) FROM readings)")
    conn.commit()
    conn.close()
    out = tmp_path / "series.csv"
    with open_store(path) as store:
        ids = [p.id for p in store.pages()]
        write_series(store, ids, EARLIEST_DAY, uk_day(utc_now()), out)
    assert any("followers = binary data" in w for w in store.warnings)
    assert len(out.read_text(encoding="utf-8").splitlines()) > 100


def test_thresholds_stored_as_text_are_replaced_by_a_change(template: Path,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "thresholds.sqlite"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE settings SET value = ? WHERE key = 'traffic_light'",
                 [json.dumps("green")])
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert store.thresholds() == Thresholds()
        assert "the mode 'green' is neither absolute nor relative" in store.warnings[0]
        store.set_thresholds(Thresholds(5, 15))
    with open_store(path) as store:
        assert store.thresholds() == Thresholds(5, 15) and store.warnings == []


def test_an_import_beside_a_bad_reading_carries_back_from_a_good_one(template: Path,
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "import.sqlite"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    name, page_id = conn.execute("SELECT name, id FROM pages ORDER BY name LIMIT 1").fetchone()
    conn.execute("UPDATE readings SET followers = 'lots', fans = 'lots' WHERE page_id = ? AND "
                 "taken_at = (SELECT max(taken_at) FROM readings WHERE page_id = ?)",
                 [page_id, page_id])
    conn.commit()
    conn.close()
    today = uk_day(utc_now())
    follows = tmp_path / "Follows.csv"  # a Meta Business Suite file: new follows per day
    lines = ["sep=,", '"Facebook follows"', '"Date","Primary"'] + [
        f'"{today - timedelta(days=n):%Y-%m-%d}T00:00:00","3"' for n in range(1, 6)]
    follows.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    with open_store(path) as store:
        importer = Importer(store, [follows], ImportOptions(page=name))
        preview = importer.preview()
        assert preview.ready, preview.questions
        importer.commit()
        assert store.daily_series(page_id, today - timedelta(days=5), today)
    assert any(f"reading of {name}" in w and "followers = 'lots'" in w for w in store.warnings)


# The commands and the window ----------------------------------------------------------------

@pytest.fixture
def spoilt(template: Path, tmp_path: Path) -> Path:
    """The template with text in the followers of a Page's latest reading, its added_at
    unreadable for another Page, and the network setting stored as a list."""
    path = tmp_path / "spoilt.sqlite"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE readings SET followers = 'lots' WHERE taken_at = "
                 "(SELECT max(taken_at) FROM readings)")
    conn.execute("UPDATE pages SET added_at = 'soon' WHERE id = (SELECT max(id) FROM pages)")
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('network', '[1, 2]')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("command", [("status",), ("status", "--json"), ("pages", "--json"),
                                     ("export", "data"), ("network",)])
def test_every_command_works_and_warns_on_stderr(spoilt: Path, tmp_path: Path, run_cli,
                                                 command: tuple[str, ...]) -> None:
    if command[0] == "export":
        command = (*command, "--out", str(tmp_path / "series.csv"))
    result = run_cli(*command, "--db", str(spoilt))
    assert result.returncode == 0, result.stderr
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    if command[0] == "network":  # it reads only the settings
        assert lines == [
            "Warning: The setting 'network' in the database cannot be used (it is not a set "
            "of named values), so the system's proxy settings are used; choose the network "
            "settings again in Settings, or with 'engage-desktop network --proxy'."]
        assert "Proxy: the system's proxy settings." in result.stdout
        return
    assert any("followers = 'lots'" in line and "readings table" in line for line in lines)
    assert any("added_at = 'soon'" in line and "pages table" in line for line in lines)
    if "--json" in command:
        assert json.loads(result.stdout)


def test_the_window_opens_and_shows_the_warning(spoilt: Path, tmp_path: Path, qtbot) -> None:
    from engage_desktop.core.opening import Opening
    from engage_desktop.ui import app as ui_app

    ui_app.application()
    window = ui_app._make_window(Opening(spoilt), tmp_path / "settings.ini", None)
    qtbot.addWidget(window)
    try:
        window.show()
        window.load_charts()
        qtbot.waitExposed(window)
        assert window.model.rowCount() == 2  # the Page with an unreadable added_at is left out
        assert "followers = 'lots'" in window.age.text()
        assert "added_at = 'soon'" in window.age.text()
        assert "followers = &#x27;lots&#x27;" in window.age.toolTip()  # whole, and escaped
    finally:
        window.store.close()


def test_a_sync_beside_bad_rows_and_a_garbage_throttle(store: Store, graph_state, graph,
                                                       memory_keyring) -> None:
    from engage_desktop.core import accounts
    from engage_desktop.core.graph import GraphClient
    from engage_desktop.core.net import NetworkSettings, make_session
    from engage_desktop.core.sync import SyncOptions, run_sync
    from engage_desktop.core.tokens import TokenVault

    vault = TokenVault(memory_keyring)
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    accounts.connect(store, vault, client, graph_state.users["1000001"].token)
    first = run_sync(store, vault, client, options=SyncOptions(sleep=lambda _: None))
    conn = sqlite3.connect(store.path)  # another program edits the file
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE readings SET followers = 'lots' WHERE page_id = '111111111111111'")
    conn.execute("UPDATE metric_status SET covered_from = 'March', last_ok_at = 5")
    conn.execute("UPDATE sync_runs SET started_at = 'today', pages_ok = -1")
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('sync_throttle', "
                 "'{\"user\": \"soon\", \"page:1\": 5}')")
    conn.commit()
    conn.close()

    second = run_sync(store, vault, client, options=SyncOptions(sleep=lambda _: None))
    assert second.status == first.status and second.pages_ok == first.pages_ok
    assert store.latest_readings()["111111111111111"].followers == 24810  # the sync's own
    warnings = " ".join(store.warnings)
    assert "The setting 'sync_throttle' in the database cannot be used (the pause of user " \
           "ends at 'soon')" in warnings
    assert "last_ok_at = '5'" in warnings and "metric_status table" in warnings
    assert [run.id for run in store.sync_runs()] == [second.run_id]
    assert "started_at = 'today'" in " ".join(store.warnings)


def test_all_starts_at_the_oldest_readable_reading(template: Path, tmp_path: Path) -> None:
    path = tmp_path / "first.sqlite"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE readings SET taken_at = '' WHERE taken_at = "
                 "(SELECT min(taken_at) FROM readings)")
    oldest = conn.execute("SELECT min(taken_at) FROM readings WHERE taken_at != ''"
                          ).fetchone()[0]
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert store.first_day(date(2099, 1, 1)) == uk_day(
            datetime.fromisoformat(oldest.replace("Z", "+00:00")))
