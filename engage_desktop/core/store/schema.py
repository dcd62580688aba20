"""The database schema, as an ordered list of migrations.

Every change to the schema is a new migration appended here, never an edit to one that has
shipped: databases in the field have already run the old ones. The table layout is a public
format (README documents it), so keep names plain and timestamps UTC ISO-8601 text.
"""

from __future__ import annotations

import json

from sqlite_utils import Database, Migrations

from engage_desktop.core.store.versions import APPLICATION_ID, MIGRATION_SET

migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    for statement in _INITIAL_SQL:
        db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


_INITIAL_SQL = [
    """
    CREATE TABLE pages (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        username TEXT,
        link TEXT,
        category TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('own', 'public', 'imported')),
        tracked INTEGER NOT NULL DEFAULT 1 CHECK (tracked IN (0, 1)),
        added_at TEXT NOT NULL,
        token_status TEXT NOT NULL DEFAULT 'missing'
            CHECK (token_status IN ('ok', 'missing', 'needs_reconnect')),
        token_checked_at TEXT,
        notes TEXT
    )
    """,
    """
    CREATE TABLE sync_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'ok', 'partial', 'failed', 'cancelled')),
        pages_ok INTEGER NOT NULL DEFAULT 0,
        pages_failed INTEGER NOT NULL DEFAULT 0,
        requests INTEGER NOT NULL DEFAULT 0,
        api_version TEXT,
        resume_after TEXT,
        message TEXT
    )
    """,
    """
    CREATE TABLE sync_errors (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
        page_id TEXT,
        code INTEGER,
        subcode INTEGER,
        kind TEXT NOT NULL,
        message TEXT NOT NULL
    )
    """,
    "CREATE INDEX sync_errors_run ON sync_errors(run_id)",
    """
    CREATE TABLE snapshots (
        page_id TEXT NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        taken_at TEXT NOT NULL,
        followers INTEGER CHECK (followers >= 0),
        fans INTEGER CHECK (fans >= 0),
        talking_about INTEGER CHECK (talking_about >= 0),
        npe INTEGER CHECK (npe IN (0, 1)),
        source TEXT NOT NULL CHECK (source IN ('graph', 'import', 'demo')),
        sync_run_id INTEGER REFERENCES sync_runs(id) ON DELETE SET NULL,
        PRIMARY KEY (page_id, taken_at)
    ) WITHOUT ROWID
    """,
    # Partial: imported and demo readings belong to no run and cost nothing here.
    "CREATE INDEX snapshots_sync_run ON snapshots(sync_run_id) WHERE sync_run_id IS NOT NULL",
    """
    CREATE TABLE insights (
        page_id TEXT NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        metric TEXT NOT NULL,
        period TEXT NOT NULL,
        end_time TEXT NOT NULL,
        value REAL,
        PRIMARY KEY (page_id, metric, period, end_time)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE metric_status (
        page_id TEXT NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        metric TEXT NOT NULL,
        available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
        last_ok_at TEXT,
        unavailable_since TEXT,
        last_error TEXT,
        PRIMARY KEY (page_id, metric)
    )
    """,
    """
    CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        page_id TEXT REFERENCES pages(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        text TEXT NOT NULL CHECK (length(trim(text)) > 0)
    )
    """,
    # The same note on the same day for the same Page (or all Pages) is stored once.
    "CREATE UNIQUE INDEX annotations_unique ON annotations(ifnull(page_id, ''), day, text)",
    "CREATE INDEX annotations_day ON annotations(day)",
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
]


@migrations(name="0002_token_problem")
def _token_problem(db: Database) -> None:
    # Why a Page needs reconnecting, in words ("the Facebook password was changed").
    db.execute("ALTER TABLE pages ADD COLUMN token_problem TEXT")


@migrations(name="0003_insights_coverage")
def _insights_coverage(db: Database) -> None:
    # The days (Meta's Pacific days, as YYYY-MM-DD) whose Insights have been
    # fetched for a Page and metric: the back-fill resumes from these after an interruption.
    db.execute("ALTER TABLE metric_status ADD COLUMN covered_from TEXT")
    db.execute("ALTER TABLE metric_status ADD COLUMN covered_until TEXT")


@migrations(name="0004_insights_source")
def _insights_source(db: Database) -> None:
    # Where an Insights value came from: 'graph' (synced) or 'import' (a file). A synced value
    # wins over an imported one for the same day unless the officer chooses otherwise.
    db.execute("ALTER TABLE insights ADD COLUMN source TEXT NOT NULL DEFAULT 'graph' "
               "CHECK (source IN ('graph', 'import'))")


@migrations(name="0005_alerts")
def _alerts(db: Database) -> None:
    # What a sync found that the officer should hear of: a Page that turned red, recovered,
    # fell, went quiet, needs reconnecting, or was held back by Meta's throttling. ``day`` is
    # the UK day it was found; ``numbers`` a JSON object of the figures behind ``sentence``;
    # ``seen_at`` is set when the officer has seen it. The same alert is kept once a day.
    db.execute("""
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            page_id TEXT NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            day TEXT NOT NULL,
            numbers TEXT NOT NULL DEFAULT '{}',
            sentence TEXT NOT NULL,
            created_at TEXT NOT NULL,
            seen_at TEXT,
            UNIQUE (page_id, kind, day)
        )
        """)
    db.execute("CREATE INDEX alerts_day ON alerts(day)")


@migrations(name="0006_thresholds_shape")
def _thresholds_shape(db: Database) -> None:
    # The traffic light's thresholds were once stored as the mode alone ("relative"); they are
    # a JSON object now: {"amber": 20, "green": 50, "mode": "absolute"}. The keys are spelt
    # out (not taken from engage_desktop.core.settings): a migration is never changed. A value
    # that is not JSON is left for the store to report when it is read.
    rows = db.execute("SELECT key, value FROM settings WHERE key IN "
                      "('traffic_light', 'traffic_light_interactions')").fetchall()
    for key, value in rows:
        try:
            stored = json.loads(value)
        except (ValueError, TypeError):
            continue
        if stored is not None and not isinstance(stored, dict):
            db.execute("UPDATE settings SET value = ? WHERE key = ?",
                       [json.dumps({"mode": stored}), key])


@migrations(name="0007_one_word_per_idea")
def _one_word_per_idea(db: Database) -> None:
    # One word for each idea, as the window says it: a Page is followed (not tracked); a row
    # of figures is a reading (not a snapshot); a note is on a day on the charts (not an
    # annotation); the officer's text about a Page is its description (not its notes).
    # SQLite renames the column in its CHECK constraint too, and the indexes go with their
    # table; they are made again under names that say the new word.
    for statement in (
        "ALTER TABLE pages RENAME COLUMN tracked TO followed",
        "ALTER TABLE pages RENAME COLUMN notes TO description",
        "ALTER TABLE snapshots RENAME TO readings",
        "DROP INDEX snapshots_sync_run",
        "CREATE INDEX readings_sync_run ON readings(sync_run_id) WHERE sync_run_id IS NOT NULL",
        "ALTER TABLE annotations RENAME TO notes",
        "DROP INDEX annotations_unique",
        "DROP INDEX annotations_day",
        "CREATE UNIQUE INDEX notes_unique ON notes(ifnull(page_id, ''), day, text)",
        "CREATE INDEX notes_day ON notes(day)",
    ):
        db.execute(statement)
