"""The Datasette metadata of a published copy: its title, where the figures come from, and
every table and column described in plain words with its unit, the traffic light's facets and
the canned queries a colleague needs first. Datasette reads it with ``-m metadata.json``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engage_desktop.core.engagement import per_1000_sql
from engage_desktop.core.timeutil import UK

SOURCE = "Facebook Graph API via Engage Desktop"
DATABASE = "engage"  # the copy's file name without .sqlite: Datasette's name for it

_PAGE = "the Page's Facebook ID (see the pages table)"
_UTC = "UTC, as 2026-11-25T09:12:00Z"

TABLES: dict[str, dict[str, Any]] = {
    "traffic_light": {
        "description": "Is anyone talking to each Page? One row per followed Page, most "
                       "urgent first, as Engage Desktop showed it when this copy was "
                       "published (the same rows as its status command gives). Each status "
                       "is a word (red, amber, green, no_data), never a colour alone.",
        "columns": {
            "position": "1 is the Page most in need of attention (red first, then amber, "
                        "green and no data; lowest rate first within each)",
            "page_id": _PAGE,
            "name": "the Page's name",
            "followers": "people following the Page (likes when Meta gives no follower "
                         "count), at the latest reading; a count of people",
            "talking_about": "people talking about this: unique people who interacted with "
                             "the Page in the 7 days before the reading; a count of people",
            "per_1000": "people talking about the Page per 1,000 followers (talking_about ÷ "
                        "followers × 1,000); per 1,000 followers. For measure "
                        "'interactions', interactions over 7 days per 1,000 followers",
            "status": "red, amber or green against the thresholds; no_data when there is no "
                      "reading of the last 8 days, or it cannot be rated (see reason)",
            "trend_28d": "the last 7 days' average per 1,000 against the same 7 days 28 days "
                         "before; in points per 1,000 followers (positive: rising)",
            "as_of": f"when the reading was taken; {_UTC}",
            "reason": "the rate's formula with its figures, or why there is no status",
            "kind": "own (the council holds its Page token), public (followed to compare), "
                    "imported (from Meta Business Suite files)",
            "measure": "talking_about, or interactions for a Page without a talking-about "
                       "figure",
        },
        "facets": ["status", "kind", "measure"],
    },
    "pages": {
        "description": "The Pages Engage Desktop knows. It says whether a working token is "
                       "kept in the officer's keyring; it never holds a token.",
        "columns": {
            "id": "the Page's Facebook ID", "name": "the Page's name",
            "username": "the @name in the Page's facebook.com address",
            "link": "the Page's facebook.com address", "category": "Facebook's category",
            "kind": "own, public or imported (see traffic_light.kind)",
            "followed": "1 when the Page is followed, 0 when its history is kept only",
            "added_at": f"when it was added; {_UTC}",
            "token_status": "ok, missing, or needs_reconnect",
            "token_checked_at": f"when the token was last checked; {_UTC}",
            "description": "the officer's description of the Page (who runs it, what it is for)",
            "token_problem": "why the Page needs reconnecting, in words",
        },
        "facets": ["kind", "followed", "token_status"],
    },
    "readings": {
        "description": "Every reading of every Page, one row per Page per reading. Empty "
                       "cells mean Meta did not report the figure, never zero.",
        "columns": {
            "page_id": _PAGE, "taken_at": f"when the reading was taken; {_UTC}",
            "followers": "people following the Page; a count of people",
            "fans": "people who like the Page (Meta's older count); a count of people",
            "talking_about": "people talking about the Page in the 7 days before; a count "
                             "of people",
            "npe": "1 when the Page uses Meta's New Pages Experience",
            "source": "graph (synced from Meta), import (from a file) or demo",
            "sync_run_id": "the sync that read it (see sync_runs)",
        },
    },
    "insights": {
        "description": "Page Insights values of the council's own Pages, from Meta or from "
                       "imported Meta Business Suite files.",
        "columns": {
            "page_id": _PAGE, "metric": "Meta's metric name, such as page_post_engagements",
            "period": "day, week or days_28: what the value counts over",
            "end_time": f"when Meta's (Pacific time) day ends; {_UTC}",
            "value": "the metric's value: a count unless the metric's name says otherwise",
            "source": "graph (synced) or import (from a file)",
        },
        "facets": ["metric", "period"],
    },
    "metric_status": {
        "description": "Which Insights metrics Meta still serves for each Page, and which "
                       "days it has sent values for.",
        "columns": {
            "page_id": _PAGE, "metric": "Meta's metric name",
            "available": "1 while Meta serves the metric",
            "last_ok_at": f"the last time Meta answered with values; {_UTC}",
            "unavailable_since": f"since when Meta has answered without values; {_UTC}",
            "last_error": "what Meta said then",
            "covered_from": "the first Pacific day (YYYY-MM-DD) fetched",
            "covered_until": "the last Pacific day (YYYY-MM-DD) fetched",
        },
    },
    "sync_runs": {
        "description": "One row per sync with Meta: when, how it ended, and how many Pages "
                       "were saved.",
        "columns": {
            "id": "the sync's number", "started_at": _UTC, "finished_at": _UTC,
            "status": "running, ok, partial, failed or cancelled",
            "pages_ok": "Pages whose reading was saved; a count of Pages",
            "pages_failed": "the other Pages; a count of Pages",
            "requests": "requests made to Meta; a count",
            "api_version": "the Graph API version used",
            "resume_after": f"when Meta lets Engage Desktop call again; {_UTC}",
            "message": "the sync's summary, as the officer saw it",
        },
        "facets": ["status"],
    },
    "sync_errors": {
        "description": "What each sync could not get, per Page, with what to do.",
        "columns": {
            "run_id": "the sync (see sync_runs)", "page_id": _PAGE,
            "code": "Meta's error code", "subcode": "Meta's error subcode",
            "kind": "token, throttled, permission, network… (README, Database)",
            "message": "what the officer was shown: what is wrong and what to do",
        },
        "facets": ["kind"],
    },
    "alerts": {
        "description": "What the syncs found that needs a look: a Page that turned red or "
                       "green again, fell week on week, gained followers while fewer talk "
                       "about it, has no new figures, needs reconnecting, or was delayed by "
                       "Meta. At most one per Page, kind and day.",
        "columns": {
            "page_id": _PAGE,
            "kind": "turned_red, recovered (green again), fell, likes_without_talk, stale, "
                    "needs_reconnect or throttled",
            "day": "the UK calendar day it was found, YYYY-MM-DD",
            "numbers": "the figures behind the sentence, as JSON (such as per_1000_before, "
                       "per_1000_after in people per 1,000 followers, fall_percent, days_old)",
            "sentence": "what the officer was told",
            "created_at": f"when it was recorded; {_UTC}",
            "seen_at": f"when the officer marked it seen (empty: not yet); {_UTC}",
        },
        "facets": ["kind", "day"],
    },
    "notes": {
        "description": "Notes on days: campaigns, storms, the switch to the New Pages "
                       "Experience. Drawn on the charts and carried into briefings.",
        "columns": {"page_id": "the Page the note is about; empty for every Page",
                    "day": "the UK calendar day, YYYY-MM-DD", "text": "the note"},
    },
    "settings": {
        "description": "Settings kept with the data, as JSON: the traffic-light thresholds "
                       "(traffic_light), when an alert is raised (alert_thresholds), and "
                       "published_copy: when this copy was published "
                       "and from which file.",
        "columns": {"key": "the setting's name", "value": "its value, as JSON"},
    },
    "_sqlite_migrations": {"hidden": True},
}

QUERIES = {
    "needs_attention": {
        "title": "Pages that need attention",
        "description": "Red Pages and Pages without a usable reading, most urgent first.",
        "sql": "SELECT position, name, status, per_1000, followers, talking_about, as_of, "
               "reason FROM traffic_light WHERE status IN ('red', 'no_data') "
               "ORDER BY position",
    },
    "page_readings": {
        "title": "One Page's readings, newest first",
        "description": "Followers, people talking about it and the rate per 1,000 followers "
                       "at every reading of a Page. Give the Page's ID (see traffic_light).",
        "sql": "SELECT taken_at, followers, fans, talking_about, round("
               + per_1000_sql("talking_about", "coalesce(nullif(followers, 0), nullif(fans, 0))")
               + ", 1) AS per_1000, source FROM readings "
               "WHERE page_id = :page_id ORDER BY taken_at DESC",
    },
}


def datasette_metadata(*, published_at: datetime, source: str, summary: str,
                       thresholds: str) -> dict[str, Any]:
    """The metadata for a copy of the file named ``source`` published at ``published_at``,
    whose traffic light reads ``summary`` ("3 red · 5 amber · …") against ``thresholds``."""
    when = published_at.astimezone(UK).strftime("%d %b %Y at %H:%M")
    return {
        "title": "Engage Desktop: is anyone talking to our Facebook Pages?",
        "description": (f"A copy of {source} published for the team on {when} (UK time). "
                        f"Traffic light: {summary}. {thresholds}"),
        "source": SOURCE,
        "databases": {DATABASE: {
            "description": "Followers and 'people talking about this' of each Page over time, "
                           "with the traffic light when this copy was published. Start with "
                           "the traffic_light table, or the query 'Pages that need "
                           "attention'.",
            "source": SOURCE,
            "tables": TABLES,
            "queries": QUERIES,
        }},
    }
