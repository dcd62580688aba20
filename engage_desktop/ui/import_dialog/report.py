"""The import preview in words: the summary beside the Import button, the "What will change"
page, each file's details, and the questions and problems (plain text and HTML, no Qt)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from engage_desktop.core.errors import EngageError
from engage_desktop.core.importing import Preview
from engage_desktop.core.importing.formats import FORMAT_NAMES
from engage_desktop.core.importing.importer import FileReport, PagePlan
from engage_desktop.core.wording import counted, padded_days
from engage_desktop.ui.words import in_window

FIELD_NAMES = {"date": "date", "followers": "followers", "fans": "Page likes",
               "talking_about": "talking about", "page_name": "Page name",
               "page_id": "Page ID", "post_id": "post ID", "published": "publish time",
               "interactions": "interactions", "reactions": "reactions",
               "comments": "comments", "shares": "shares"}
# Where in the dialog each of the importer's questions is answered
WHERE_ANSWERED = {"page": " (Page, above)", "dates": " (Date order, above)",
                  "followers": " (Follower total, above)",
                  "on": " (Audience total's day, above)",
                  "year": " (Year the dates start in, above)"}
WHERE_COLUMNS = " (Columns, on the file tab)"
COLUMNS_NAMED = 8  # Insights columns named on a file's tab; beyond this, counted


def question_lines(preview: Preview | None, columns_shown: Sequence[bool]) -> list[str]:
    """The questions and file problems, as shown (each starts with what it is);
    ``columns_shown`` says for each file whether its tab lets its columns be chosen."""
    if preview is None:
        return []
    lines = [f"Needs an answer: {q}{WHERE_ANSWERED.get(q.need, '')}"
             for q in preview.questions]
    lines += [f"Cannot read {report.path.name}: {report.problem}"
              + (WHERE_COLUMNS if shown else "")
              for report, shown in zip(preview.files, columns_shown, strict=True)
              if report.problem]
    return lines


def questions_html(lines: Sequence[str]) -> str:
    """``question_lines`` for the questions banner: what each line is, in bold."""
    return "<br>".join("<b>{}:</b> {}".format(*map(html.escape, line.split(": ", 1)))
                       for line in lines)


def error_html(title: str, error: EngageError) -> str:
    """An error for the error banner: what failed, what is wrong, and what to do."""
    text = f"<b>{html.escape(title)}:</b> {html.escape(in_window(error.message))}"
    if error.hint:
        text += f"<br>{html.escape(in_window(error.hint))}"
    return text


def summary_text(preview: Preview | None, stopped: str) -> str:
    """The sentence beside the Import button once no job is under way; ``stopped`` is
    "preview" or "import" when the officer stopped one."""
    if stopped == "preview":
        return "Preview stopped: choose Preview again, or change an answer, to read the files."
    if preview is None:
        return "Nothing can be imported until the files can be read."
    if stopped == "import":
        return "Import stopped: nothing was written. Choose Import to import after all."
    if not preview.ready:
        return "Answer the questions above to see what would be imported."
    if preview.changes == 0:
        return ("Nothing to import: every number in these files is already in the "
                "database (or a synced one is kept).")
    new = sum(1 for plan in preview.pages if plan.new)
    pages = counted(len(preview.pages), "Page") + (f" ({new} new)" if new else "")
    return (f"Ready to import {counted(preview.changes, 'change')} for {pages}. Nothing "
            "is written until you choose Import.")


def overview_html(preview: Preview | None, busy: bool, stopped: str) -> str:
    """The "What will change" page: each Page's changes, and each file in a line."""
    if preview is None and busy:
        return ("<p>The files are being read. What importing them would change is shown "
                "here once they have been read; the answers above can be changed "
                "meanwhile.</p>")
    if preview is None and stopped:
        return "<p>The preview was stopped before the files had been read.</p>"
    if preview is None:
        return ""
    parts = []
    if preview.pages:
        parts.append("<h3>Pages</h3>")
        parts.extend(page_html(plan) for plan in preview.pages)
    elif not any(r.problem for r in preview.files):
        parts.append("<p>The Pages these numbers are for are not settled yet: see the "
                     "questions above.</p>")
    parts.append("<h3>Files</h3><ul>")
    for report in preview.files:
        name = html.escape(report.path.name)
        if report.problem:
            parts.append(f"<li><b>{name}</b>: cannot be imported "
                         f"({html.escape(report.problem)})</li>")
            continue
        kind = html.escape(FORMAT_NAMES.get(report.format, report.format))
        notes = "".join(f"<br>{html.escape(note)}." for note in report.notes)
        parts.append(f"<li><b>{name}</b>: {kind}. {rows_text(report)}; "
                     f"{padded_days(report.first_day, report.last_day)}.{notes}</li>")
    parts.append("</ul>")
    return "".join(parts)


def page_html(plan: PagePlan) -> str:
    """What importing would change for one Page."""
    status = "a new Page" if plan.new else "already in the database"
    lines = []
    readings = plan.readings_new + plan.readings_changed + plan.readings_unchanged
    if readings or plan.readings_synced_kept or plan.readings_synced_replaced:
        lines.append(f"Daily readings (followers, likes, talking about): "
                     f"{plan.readings_new:,} new, {plan.readings_changed:,} changed, "
                     f"{plan.readings_unchanged:,} unchanged.")
    if plan.readings_synced_kept:
        lines.append(f"{counted(plan.readings_synced_kept, 'day')} already "
                     f"{'has' if plan.readings_synced_kept == 1 else 'have'} a reading "
                     "synced from Facebook: the synced reading is kept (tick “Imported "
                     "numbers replace synced ones” to use the file's instead).")
    if plan.readings_synced_replaced:
        lines.append(f"{counted(plan.readings_synced_replaced, 'day')} with a synced "
                     "reading: the imported numbers replace it.")
    insights = plan.insights_new + plan.insights_changed + plan.insights_unchanged
    if insights or plan.insights_synced_kept:
        lines.append(f"Insights values: {plan.insights_new:,} new, "
                     f"{plan.insights_changed:,} changed, "
                     f"{plan.insights_unchanged:,} unchanged"
                     + (f", {plan.insights_synced_kept:,} synced ones kept"
                        if plan.insights_synced_kept else "") + ".")
    lines.append(f"Dates: {padded_days(plan.first_day, plan.last_day)}.")
    if plan.followers_from:
        lines.append(f"Follower totals (not in the files) come from "
                     f"{html.escape(plan.followers_from)}.")
    items = "".join(f"<li>{line}</li>" for line in lines)
    return (f"<p><b>{html.escape(plan.name)}</b> — {status}"
            f"{'' if plan.changes else ' (nothing changes)'}</p><ul>{items}</ul>")


def rows_text(report: FileReport) -> str:
    return (f"{counted(report.rows_read, 'row')} read, {report.rows_used:,} to import, "
            f"{report.skipped:,} skipped")


def file_html(report: FileReport) -> str:
    """A file's details, on its tab."""
    parts = [f"<h3>{html.escape(report.path.name)}</h3>",
             f"<p style='color:gray'>{html.escape(str(report.path.parent))}</p>"]
    if report.problem:
        parts.append(f"<p><b>Cannot be imported:</b> "
                     f"{html.escape(report.problem)}</p>")
    rows = []
    if report.format:
        rows.append(("Format", FORMAT_NAMES.get(report.format, report.format)))
    if report.container:
        rows.append(("File type", report.container))
    if report.mapping:
        rows.append(("Columns", columns_text(report.mapping)))
    if report.breakdowns_left_out or report.columns_ignored:
        rows.append(("Not kept", left_out_text(report)))
    if report.format:
        rows.append(("Rows", rows_text(report)))
        rows.append(("Dates", padded_days(report.first_day, report.last_day)))
    if report.date_order:
        rows.append(("Date order", report.date_order[0].upper() + report.date_order[1:]))
    rows += [("Note", note) for note in report.notes]
    if rows:
        parts.append("<table cellspacing='0' cellpadding='3'>" + "".join(
            f"<tr><td><b>{label}:</b></td><td>{html.escape(text)}</td></tr>"
            for label, text in rows) + "</table>")
    if report.skips:
        parts.append("<p><b>Skipped rows:</b></p><ul>" + "".join(
            f"<li>Line {skip.line:,}: {html.escape(skip.reason)}</li>"
            for skip in report.skips) + "</ul>")
        more = report.skipped - len(report.skips)
        if more > 0:
            parts.append(f"<p>… and {counted(more, 'more skipped row')} not listed.</p>")
    return "".join(parts)


def left_out_text(report: FileReport) -> str:
    parts = []
    if report.breakdowns_left_out:
        parts.append(f"{counted(report.breakdowns_left_out, 'breakdown column')} (by city, "
                     "country, age, paid or organic…): only Page-level figures are kept")
    if report.columns_ignored:
        parts.append(f"{counted(report.columns_ignored, 'column')} with no meaning here")
    return "; ".join(parts)


def columns_text(mapping: dict[str, str]) -> str:
    """Which column became what: every column that gives a reading, date or Page, and the
    Insights columns by name while they are few (a classic export has dozens)."""
    named = [(column, field) for column, field in mapping.items() if field in FIELD_NAMES]
    insights = [(column, field) for column, field in mapping.items()
                if field not in FIELD_NAMES]
    text = "; ".join(f"“{column}” → {FIELD_NAMES[field]}" for column, field in named)
    if len(insights) <= COLUMNS_NAMED:
        return "; ".join(filter(None, [text, *(f"“{column}” → Insights: {field}"
                                                for column, field in insights)]))
    return "; ".join(filter(None, [text, f"{counted(len(insights), 'more column')} kept as "
                                         "Insights values"]))
