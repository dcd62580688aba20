"""Reading files into the import's scratch tables, one at a time: each file's format is
recognised, its records are streamed in batches (memory stays flat however large the file),
and its :class:`~engage_desktop.core.importing.preview.FileReport` is filled in. The reader
remembers what settling the Pages needs: the Pages the files name, which of them post exports
name, and metric titles that name no platform.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from engage_desktop.core.importing import formats
from engage_desktop.core.importing.formats import Layout, Note, Skip
from engage_desktop.core.importing.preview import FileReport, ImportOptions
from engage_desktop.core.importing.tables import ImportFileError, Row, open_table
from engage_desktop.core.store.staging import Staging

SHOWN_SKIPS = 200  # skipped rows listed one by one; beyond this, counted
SAMPLE_ROWS = 5
BATCH = 5000
PROGRESS_ROWS = 5000  # rows read between progress reports (and checks for a cancel)


class FileReader:
    """Reads the files of one preview into ``staging``; ``reading(number, rows)`` hears how
    far file ``number`` has got every :data:`PROGRESS_ROWS` rows (and may stop the preview)."""

    def __init__(self, staging: Staging, options: ImportOptions, today: date,
                 reading: Callable[[int, int], None]) -> None:
        self.staging = staging
        self.options = options
        self.today = today
        self.reading = reading
        self.page_names: dict[str, str | None] = {}  # page key -> the name the files give
        self.post_keys: set[str] = set()  # Pages named by post exports
        self.unnamed_titles: dict[int, str | None] = {}  # file -> a title naming no platform

    def read(self, number: int, path: Path, report: FileReport) -> None:
        """Stream file ``number`` into the scratch tables and fill in its ``report``;
        ImportFileError or NeedsAnswer when it cannot be read as it is."""
        table = open_table(path)
        report.container = table.container
        head: list[Row] = []
        for row in table.rows():
            head.append(row)
            if len(head) == 3:
                break
        kind = formats.detect(head, self.options.columns)
        if kind is None:
            # its first row, so that the columns can be chosen by hand (--column, or the
            # window's column choices)
            report.header = tuple(head[0].cells) if head else ()
            raise ImportFileError(
                path, "this is not a format Engage Desktop knows.",
                "Import Meta Business Suite exports (metric or post files), classic Page "
                "Insights exports, or a spreadsheet with a date column and followers, likes "
                "or talking-about columns; for a spreadsheet, say which column holds what.")
        report.format = kind
        options = self.options
        parsed = formats.parse(kind, table, dates=options.dates, columns=options.columns,
                               today=self.today, year=options.year, on=options.on,
                               keep_breakdowns=options.keep_breakdowns)
        layout = next(parsed)
        assert isinstance(layout, Layout)
        report.format = layout.format
        report.mapping = layout.mapping
        report.header = layout.header
        report.date_order = layout.dates
        report.columns_ignored = layout.ignored
        report.breakdowns_left_out = layout.breakdowns
        self.unnamed_titles[number] = layout.unnamed_title
        staging = self.staging
        readings: list[tuple] = []
        values: list[tuple] = []
        last_line = last_used = -1
        keys: dict[tuple[str | None, str | None], str] = {}
        days: dict[date, str] = {}
        for item in parsed:
            if type(item) is Note:
                report.notes.append(item.text)
                continue
            if item.line != last_line:  # a format gives a row's records one after another
                report.rows_read += 1
                last_line = item.line
                if report.rows_read % PROGRESS_ROWS == 0:
                    self.reading(number, report.rows_read)
            if type(item) is Skip:
                report.skipped += 1
                if len(report.skips) < SHOWN_SKIPS:
                    report.skips.append(item)
                continue
            (line, page_id, page_name, day, followers, fans, talking_about, metric, period,
             value, summed, post) = item
            if line != last_used:
                report.rows_used += 1
                last_used = line
            key = keys.get((page_id, page_name))
            if key is None:
                key = keys[page_id, page_name] = (
                    f"id:{page_id}" if page_id
                    else f"name:{page_name.lower()}" if page_name else "")
                self.page_names.setdefault(key, page_name)
            iso = days.get(day)
            if iso is None:
                iso = days[day] = day.isoformat()
            if metric is None:
                readings.append((number, line, key, iso, followers, fans, talking_about))
                if len(readings) >= BATCH:
                    staging.add_rows(readings)
                    readings.clear()
            else:
                values.append((number, line, key, iso, metric, period, value, summed, post))
                if len(values) >= BATCH:
                    staging.add_values(values)
                    values.clear()
        staging.add_rows(readings)
        staging.add_values(values)
        if layout.format == formats.posts.FORMAT:
            self.post_keys.update(keys.values())
        report.container = table.container  # a CSV may turn out to be Windows-1252 part way
        report.first_day = min(days, default=None)
        report.last_day = max(days, default=None)
        report.sample = []
        for row in table.rows():
            if layout.data_to is not None and row.line > layout.data_to:
                break
            if row.line >= layout.data_from:
                report.sample.append(tuple(row.cells))
                if len(report.sample) == SAMPLE_ROWS:
                    break
