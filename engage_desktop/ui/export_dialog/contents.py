"""What the Export dialog exports from the Pages it was opened on: the chart's content (made
when the dialog opens), the briefing (made when first shown or saved), the words that describe
each, the file name suggested, and the writing of the chosen export to a file.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from engage_desktop.core import traffic_light, wording
from engage_desktop.core.errors import EngageError
from engage_desktop.core.exporting import data
from engage_desktop.core.exporting.files import ExportError
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.ui import briefing, rendering
from engage_desktop.ui.errors_shown import error_words

if TYPE_CHECKING:
    from engage_desktop.ui.export_dialog.choices import Chosen

NO_SELECTION = "Select one or more Pages in the traffic light first"
EVERY_PAGE = "No Page is selected, so the briefing covers every followed Page, worst first."
# Characters that Windows, macOS or Linux refuse in a file name
_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def _file_name(text: str) -> str:
    """``text`` usable as a file name on every system (a Page called "A/B" is "A-B")."""
    return _UNSAFE_NAME.sub("-", text).strip(" .") or "export"


def error_text(exc: EngageError) -> str:
    return error_words(exc, "Cannot export:")


class ExportContents:
    """The exports of ``page_ids`` from ``first`` to ``last`` (none selected: the traffic
    light, and the briefing of every followed Page)."""

    def __init__(self, store: Store, page_ids: list[str], first: date, last: date) -> None:
        self.store = store
        self.page_ids = list(page_ids)
        self.first = first
        self.last = last
        names = {page.id: page.name for page in store.pages()}
        self.names = [names.get(pid, pid) for pid in self.page_ids]
        self.content: rendering.ChartContent | None = None
        self.content_error: EngageError | None = None
        if self.page_ids:
            try:
                self.content = rendering.chart_content(store, self.page_ids, first, last)
            except EngageError as exc:
                self.content_error = exc
        # The briefing, made when first shown or saved
        self.briefing: briefing.BriefingContent | None = None
        self.briefing_error: EngageError | None = None

    def chart(self, chosen: Chosen) -> rendering.ChartContent:
        """The chart as chosen (raises ExportError when no chart can be drawn)."""
        if self.content is None:
            raise self.content_error or ExportError(NO_SELECTION + ".")
        return dataclasses.replace(self.content, title=chosen.title or None,
                                   average=chosen.chart_average)

    def briefing_as(self, chosen: Chosen) -> briefing.BriefingContent:
        """The briefing of the selected Pages, or of every followed Page with none selected
        (raises ExportError when there is nothing to brief on)."""
        if self.briefing is None and self.briefing_error is None:
            try:
                self.briefing = briefing.briefing_content(self.store, self.page_ids or None)
            except EngageError as exc:
                self.briefing_error = exc
        if self.briefing is None:
            raise self.briefing_error or ExportError("There are no Pages to brief on.")
        title = chosen.title or briefing.DEFAULT_TITLE
        chart = self.briefing.chart
        if chart is not None:
            chart = dataclasses.replace(chart, average=chosen.briefing_average)
        return dataclasses.replace(self.briefing, title=title, chart=chart)

    # In words -------------------------------------------------------------------------------

    def pages_named(self) -> str:
        """The one selected Page's name, or how many are selected: "3 Pages"."""
        return self.names[0] if len(self.names) == 1 else f"{len(self.names)} Pages"

    def describe_briefing(self) -> str:
        """Which Pages the briefing covers."""
        if not self.page_ids:
            return EVERY_PAGE
        pages = (f"the selected Page, {self.names[0]}" if len(self.names) == 1
                 else f"the {len(self.names)} selected Pages")
        if len(self.names) > briefing.FIRST_PAGE_ROWS:
            pages += (f" (the first {briefing.FIRST_PAGE_ROWS} on the first page, the others "
                      "on the pages after it)")
        return f"The briefing covers {pages}. Its chart shows the last 12 months."

    def describe_data(self, what: str) -> str:
        """What the CSV file of ``what`` ("status" or "series") holds."""
        if what == "status":
            return ("The traffic light as it is now: one row per Page, worst first.\n\n"
                    "Columns: " + ", ".join(data.STATUS_COLUMNS) + ".")
        if not self.page_ids:
            return NO_SELECTION + "."
        return (f"Daily readings of {self.pages_named()} from {wording.day(self.first)} to "
                f"{wording.day(self.last)}: the last reading of each UK day (days "
                "without one are left out).\n\nColumns: " + ", ".join(data.SERIES_COLUMNS)
                + ".\n\nThe file can be imported back.")

    def suggested_name(self, chosen: Chosen) -> str:
        what, file_format = chosen.what, chosen.file_format
        if what == "status":
            return _file_name(f"traffic light {uk_day(utc_now()).isoformat()}.csv")
        if what == "series":
            return _file_name(f"series {self.last.isoformat()}.csv")
        if what == "briefing":
            return _file_name(f"briefing {uk_day(utc_now()).isoformat()}.{file_format}")
        return _file_name(f"{self.pages_named()} talking {self.last.isoformat()}."
                          f"{file_format}")

    # Writing --------------------------------------------------------------------------------

    def write(self, chosen: Chosen, path: Path, force: bool) -> list[Path]:
        """Write the export chosen; the files written (a PNG briefing has one a page)."""
        what = chosen.what
        if what == "status":
            data.write_status(traffic_light.build(self.store), path, force=force)
        elif what == "series":
            if not self.page_ids:
                raise ExportError(NO_SELECTION + ".")
            data.write_series(self.store, self.page_ids, self.first, self.last, path,
                              force=force)
        elif what == "briefing":
            return briefing.export_briefing(self.briefing_as(chosen), path, force=force)
        else:
            rendering.export_chart(self.chart(chosen), chosen.output(), path,
                                   chosen.file_format, force=force)
        return [path]
