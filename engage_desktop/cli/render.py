"""The command line's text: tables, counts, sentences and JSON, apart from the handlers.

Functions here build text from the core's results and print nothing but ``print_json``; the
handlers decide what goes to standard output and what to standard error. The core's modules
are imported where they are used: ``--version`` and ``--help`` need none of them."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from engage_desktop.core.wording import count, padded_day

if TYPE_CHECKING:
    from datetime import datetime

MAPPING_SHOWN = 4  # Insights columns named in the text summary; the rest are counted


def print_json(value) -> None:
    import json

    json.dump(value, sys.stdout, indent=2)
    print()


def when(moment: datetime) -> str:
    from engage_desktop.core.timeutil import UK

    return moment.astimezone(UK).strftime("%a %d %b %Y")


# --- status ------------------------------------------------------------------------------------
_COLUMNS = (("Status", "<", 9), ("Page", "<", 32), ("Followers", ">", 9), ("Talking", ">", 7),
            ("Per 1,000", ">", 9), ("Trend 28d", "<", 9), ("As of", "<", 17))


def status_table(light) -> str:
    def line(cells: Sequence[str]) -> str:
        return "  ".join(f"{cell:{align}{width}}" for cell, (_, align, width)
                         in zip(cells, _COLUMNS, strict=True)).rstrip()

    from engage_desktop.core.engagement import Status

    lines = [line([name for name, _, _ in _COLUMNS])]
    notes, fallbacks = [], []
    for row in light.rows:
        latest = row.latest
        per_1000 = row.assessment.per_1000
        name = row.page.name if len(row.page.name) <= 32 else row.page.name[:31] + "…"
        lines.append(line([
            f"{row.status.shape} {row.status.word}",
            name,
            count(row.audience),
            count(latest.talking_about if latest else None),
            "–" if per_1000 is None else f"{per_1000:.1f}"
            + ("*" if row.assessment.measure == "interactions" else ""),
            row.trend.describe() if row.trend else "–",
            when(latest.taken_at) if latest else "never",
        ]))
        if row.status is Status.NO_DATA:
            notes.append(f"  {row.page.name}: {row.assessment.reason}")
        elif row.assessment.measure == "interactions":
            fallbacks.append(f"  {row.page.name}: {row.assessment.reason}")
    lines += ["", light.summary(), light.thresholds.describe(),
              "Trend: the last 7 days' average per 1,000 against the same 7 days 28 days before."]
    if fallbacks:
        lines += ["", "* Interactions per 1,000 followers over 7 days, not talking about:",
                  *fallbacks]
    if notes:
        lines += ["", "No data:", *notes]
    return "\n".join(lines)


def changes_text(found) -> str:
    from engage_desktop.core import changes

    lines = [f"{changes.HEADING}. {changes.SCOPE}"]
    lines += [f"- {change.sentence}" for change in found or []]
    if not found:
        lines.append(changes.NOTHING)
    return "\n".join(lines)


def thresholds_text(current, measure: str) -> str:
    if measure == "interactions":
        return ("Interactions (used when a Page has no talking-about figure): "
                + current.describe().replace("people talking", "interactions over 7 days"))
    return current.describe()


# --- alerts ------------------------------------------------------------------------------------
def alert_line(alert, *, seen: bool = False) -> str:
    mark = (" (seen)" if alert.seen_at else " (new)") if seen else ""
    return f"{alert.day.day} {alert.day:%b %Y}{mark}: {alert.sentence}"


def new_alerts_lines(new) -> list[str]:
    if not new:
        return []
    return [f"New alert{'s' if len(new) != 1 else ''} ({len(new)}):",
            *(f"  {alert_line(alert)}" for alert in new)]


# --- Pages -------------------------------------------------------------------------------------
def pages_json(pages, latest) -> list[dict]:
    from engage_desktop.core.timeutil import to_utc_text

    return [{
        "page_id": page.id, "name": page.name, "username": page.username, "kind": page.kind,
        "followed": page.followed, "token_status": page.token_status,
        "token_problem": page.token_problem,
        "last_reading": to_utc_text(latest[page.id].taken_at) if page.id in latest else None,
    } for page in pages]


def pages_table(pages, latest) -> str:
    lines = [f"{'Page':<34}  {'ID':<17}  {'Kind':<8}  {'Token':<16}  Last reading"]
    for page in pages:
        name = page.name if len(page.name) <= 34 else page.name[:33] + "…"
        token = page.token_status.replace("_", " ")
        last = when(latest[page.id].taken_at) if page.id in latest else "never"
        following = "" if page.followed else "  (not followed)"
        lines.append(f"{name:<34}  {page.id:<17}  {page.kind:<8}  {token:<16}  {last}"
                     f"{following}")
        if page.token_problem:
            lines.append(f"{'':<34}  Reconnect: {page.token_problem}.")
    return "\n".join(lines)


def connected_text(result) -> str:
    if result.token_kind == "page":
        lines = [f"Connected the Page {result.pages[0].page.name} ({result.owner_id}) with its "
                 "Page token."]
    elif not result.pages:
        lines = [f"Connected no Pages with the token of {result.owner_name} "
                 f"({result.owner_id})."]
    else:
        lines = [f"Connected {len(result.pages)} Page{'s' if len(result.pages) != 1 else ''} "
                 f"with the token of {result.owner_name} ({result.owner_id}):"]
        for connected in result.pages:
            tasks = f"  [{', '.join(connected.tasks)}]" if connected.tasks else ""
            lines.append(f"  {connected.page.name} ({connected.page.id}){tasks}")
    lines += [f"  Not connected: {name}: {why}." for name, why in result.skipped]
    lines.append(f"Tokens are kept in: {result.location}.")
    return "\n".join(lines)


# --- sync --------------------------------------------------------------------------------------
def sync_text(summary, names: dict[str, str]) -> str:
    version = f", Graph API {summary.api_version}" if summary.api_version else ""
    lines = [f"{summary.message} ({summary.requests} requests{version})."]
    for error in summary.errors:
        name = names.get(error.page_id or "", error.page_id or "")
        lines.append(f"  {name}: {error.message}")
    lines += new_alerts_lines(summary.alerts)
    return "\n".join(lines)


# --- settings, demo, publishing ----------------------------------------------------------------
def network_text(current) -> str:
    proxy_text = {"system": "the system's proxy settings", "none": "no proxy"}.get(
        current.proxy_mode, f"the proxy {current.proxy_url}")
    return (f"Proxy: {proxy_text}.\n"
            f"Extra CA certificate: {current.extra_ca_file or 'none'} (TLS is always verified "
            "with this computer's trust store).")


def demo_text(path, summary) -> str:
    return (f"Wrote demo data to {path}: {summary.pages} Pages, {summary.readings:,} readings "
            f"from {padded_day(summary.first_day)} to {padded_day(summary.last_day)}, "
            f"{summary.notes} notes.")


def published_text(published) -> str:
    from engage_desktop.core.timeutil import UK

    return (f"Published {published.pages:,} Page{'s' if published.pages != 1 else ''} "
            f"({published.readings:,} readings) at {when(published.published_at)} "
            f"{published.published_at.astimezone(UK):%H:%M} to {published.database}, with "
            f"{published.metadata.name} for Datasette.")


# --- import ------------------------------------------------------------------------------------
def import_text(preview, *, dry_run: bool) -> str:
    from engage_desktop.core.importing.formats import FORMAT_NAMES

    lines = []
    for report in preview.files:
        if report.problem:
            lines.append(f"{report.path.name}: cannot be imported: {report.problem}")
            continue
        span = (f", {padded_day(report.first_day)} to {padded_day(report.last_day)}"
                if report.first_day else "")
        lines.append(f"{report.path.name}: {FORMAT_NAMES.get(report.format, report.format)} "
                     f"({report.container}), {report.rows_read:,} rows read, "
                     f"{report.rows_used:,} used{span}")
        lines += [f"  {line}" for line in columns_summary(report)]
        if report.date_order:
            lines.append(f"  {report.date_order}")
        lines += [f"  {note}" for note in report.notes]
        if report.skipped:
            lines.append(f"  {report.skipped:,} row{'s' if report.skipped != 1 else ''} skipped:")
            lines += [f"    line {skip.line}: {skip.reason}" for skip in report.skips[:20]]
            if report.skipped > 20:
                lines.append(f"    … and {report.skipped - 20:,} more (--json lists "
                             f"{len(report.skips):,})")
    for page in preview.pages:
        parts = [f"{page.readings_new:,} new reading{'' if page.readings_new == 1 else 's'}"]
        if page.readings_changed:
            parts.append(f"{page.readings_changed:,} changed")
        if page.readings_unchanged:
            parts.append(f"{page.readings_unchanged:,} already there")
        if page.readings_synced_kept:
            parts.append(f"{page.readings_synced_kept:,} days kept as synced (--replace-synced "
                         "to use the file's numbers)")
        if page.readings_synced_replaced:
            parts.append(f"{page.readings_synced_replaced:,} synced days replaced")
        insights = page.insights_new + page.insights_changed
        if insights or page.insights_unchanged or page.insights_synced_kept:
            parts.append(f"{insights:,} Insights values to write"
                         + (f" ({page.insights_synced_kept:,} synced kept)"
                            if page.insights_synced_kept else ""))
        span = (f" ({padded_day(page.first_day)} to {padded_day(page.last_day)})"
                if page.first_day else "")
        lines.append(f"{page.name}{' (new Page)' if page.new else ''}{span}: "
                     + ", ".join(parts))
        if page.followers_from:
            lines.append(f"  followers from {page.followers_from}")
    hints = {"page": " (--page PAGE)", "dates": " (--dates dmy or --dates mdy)",
             "followers": " (--followers N, or N@YYYY-MM-DD for a total on another day)",
             "on": " (--on YYYY-MM-DD)", "year": " (--year YYYY)"}
    for question in preview.questions:
        lines.append(f"Needs an answer: {question}{hints.get(question.need, '')}")
    skipped = preview.skipped
    if preview.stopped_by_skips:
        lines.append(f"{'Dry run: the import would stop. ' if dry_run else ''}"
                     f"Nothing was written: {skipped:,} row{'s' if skipped != 1 else ''} would "
                     "be skipped (listed above). Correct the file, or run again with "
                     "--skip-bad-rows to import the rest.")
    elif not preview.ready:
        lines.append("Nothing was written.")
    elif dry_run:
        lines.append("Dry run: nothing was written. Run again without --dry-run to import"
                     + (f" ({skipped:,} unreadable row{'s' if skipped != 1 else ''} left out)."
                        if skipped else "."))
    elif preview.changes:
        lines.append(f"Imported {preview.changes:,} changes in one go.")
    else:
        lines.append("Nothing to change: the database already holds these numbers.")
    return "\n".join(lines)


def columns_summary(report) -> list[str]:
    """A file's column mapping in a line or two, however many columns it has."""
    from engage_desktop.core.importing.formats import READING_FIELDS

    def short(title: str) -> str:
        return title if len(title) <= 40 else title[:39] + "…"

    named = [(title, field) for title, field in report.mapping.items()
             if field in (*READING_FIELDS, "date", "page_id", "page_name")]
    metrics = [(title, field) for title, field in report.mapping.items()
               if (title, field) not in named]
    shown = named + metrics[:MAPPING_SHOWN] if len(metrics) > MAPPING_SHOWN + 1 \
        else named + metrics
    lines = ["columns: " + ", ".join(f"{short(title)} → {field}" for title, field in shown)]
    rest = []
    if len(shown) < len(report.mapping):
        rest.append(f"{len(report.mapping) - len(shown):,} more as Insights values "
                    "(--json lists them)")
    if report.breakdowns_left_out:
        rest.append(f"{report.breakdowns_left_out:,} breakdown columns left out "
                    "(--keep-breakdowns keeps them)")
    if report.columns_ignored:
        rest.append(f"{report.columns_ignored:,} column{'s' if report.columns_ignored != 1 else ''}"
                    " not used")
    if rest:
        lines.append("; ".join(rest))
    return lines
