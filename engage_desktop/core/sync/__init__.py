"""One sync run: read every followed Page (and own Pages' Insights) into the local history.

How it reads (``reference/graph-api.md`` sections 3-7), and what it does when things go wrong,
is told in each part:

- ``run``: one run from start to end: the sync lock, the tokens, the order of the reads;
- ``batches``: the batch runner: batch items, posting, answers and usage headers matched to
  their jobs, retries of whole requests, a network that cannot be reached;
- ``insights``: the Insights back-fill: windows, coverage, empty answers asked again later,
  refused metrics, and the per-Page retry budget;
- ``throttle``: the throttle book: pauses per scope (app, user, ``page:<id>``), kept in the
  ``sync_throttle`` setting, and what a pause leaves out;
- ``ledger``: per-Page results, what each request saved, the summary and its message;
- ``answers``: Meta's answers as readings and Insights values, impossible counts refused;
- ``state``: the run's shared state, options and progress, and the sub-request (job).

The names other code imports stay importable from ``engage_desktop.core.sync``.
"""

from engage_desktop.core.graph import MAX_BATCH
from engage_desktop.core.sync.answers import (
    COUNT_NAMES,
    _Impossible,
    _insight_values,
)
from engage_desktop.core.sync.batches import MAX_FRONT_REJECTIONS
from engage_desktop.core.sync.insights import (
    BACKFILL_DAYS,
    EMPTY_REASK,
    INSIGHT_METRICS,
    RETRY_BUDGET,
    TRAILING_DAYS,
    WINDOW_DAYS,
    insight_windows,
)
from engage_desktop.core.sync.ledger import NPE_NOTE, SyncSummary
from engage_desktop.core.sync.run import SyncBusyError, run_sync
from engage_desktop.core.sync.state import (
    READING_FIELDS,
    Progress,
    SyncCancelled,
    SyncOptions,
)
from engage_desktop.core.sync.throttle import (
    APP,
    BLOCK_PAUSE,
    DEFAULT_PAUSE,
    USAGE_LIMIT,
    USER,
)
from engage_desktop.core.timeutil import PACIFIC  # Meta's day: one definition, in timeutil

__all__ = [
    "APP",
    "BACKFILL_DAYS",
    "BLOCK_PAUSE",
    "COUNT_NAMES",
    "DEFAULT_PAUSE",
    "EMPTY_REASK",
    "INSIGHT_METRICS",
    "MAX_BATCH",
    "MAX_FRONT_REJECTIONS",
    "NPE_NOTE",
    "PACIFIC",
    "READING_FIELDS",
    "RETRY_BUDGET",
    "TRAILING_DAYS",
    "USAGE_LIMIT",
    "USER",
    "WINDOW_DAYS",
    "Progress",
    "SyncBusyError",
    "SyncCancelled",
    "SyncOptions",
    "SyncSummary",
    "_Impossible",
    "_insight_values",
    "insight_windows",
    "run_sync",
]
