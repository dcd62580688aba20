"""Rows with a date column and one column per field (hand-kept spreadsheets, classic
exports): the column plan is worked out once per file, and :meth:`WideRows.read` runs once
per row.
"""

from __future__ import annotations

from datetime import date

from engage_desktop.core.exporting.data import unsafe_text
from engage_desktop.core.importing.dates import Order, YearlessDates
from engage_desktop.core.importing.formats.cells import number
from engage_desktop.core.importing.formats.date_columns import checked_day
from engage_desktop.core.importing.formats.records import READING_FIELDS, Record, Skip
from engage_desktop.core.importing.tables import Row


class WideRows:
    """Reads one file's rows into records: a reading (followers, fans, talking about) and an
    Insights value per other numeric column, or a Skip saying why the row is left out."""

    def __init__(self, found: dict[int, str], order: Order | None, today: date,
                 periods: dict[int, str] | None = None,
                 years: YearlessDates | None = None) -> None:
        by_field = {field: index for index, field in found.items()}
        self.date = by_field["date"]
        self.page_id = by_field.get("page_id")
        self.page_name = by_field.get("page_name")
        self.order = order
        self.today = today
        self.years = years  # for dates written without a year
        # (column, field, its place among the reading fields or None, Insights period)
        self.numbers = [(index, field,
                         READING_FIELDS.index(field) if field in READING_FIELDS else None,
                         (periods or {}).get(index, "day"))
                        for index, field in found.items()
                        if field not in ("date", "page_id", "page_name")]
        self.width = max(found) + 1

    def read(self, row: Row) -> list[Record | Skip]:
        cells = row.cells
        if len(cells) < self.width:
            cells = (*cells, *[""] * (self.width - len(cells)))
        if not "".join(cells).strip():
            return []
        text = cells[self.date]
        if self.years is not None:
            text = self.years.resolve(text)
        day = checked_day(text, self.order, self.today)
        if isinstance(day, str):
            return [Skip(row.line, day)]
        # (text cells a spreadsheet might take for a formula were protected with a "'")
        page_id = (unsafe_text(cells[self.page_id].strip()) or None
                   if self.page_id is not None else None)
        page_name = (unsafe_text(cells[self.page_name].strip()) or None
                     if self.page_name is not None else None)
        reading = [None, None, None]  # followers, fans, talking about
        metrics = []
        for index, field, slot, period in self.numbers:
            try:
                value = number(cells[index])
            except ValueError as exc:
                return [Skip(row.line, f"{field.replace('_', ' ')}: {exc}")]
            if value is None:
                continue
            if slot is not None:
                if not value.is_integer():
                    return [Skip(row.line, f"{field.replace('_', ' ')}: {value:g} is not a "
                                           "whole number of people")]
                reading[slot] = value
            else:
                metrics.append((field, value, period))
        line = row.line
        records = ([Record(line, page_id, page_name, day, *reading)]
                   if reading != [None, None, None] else [])
        if not records and not metrics:
            return [Skip(line, "no numbers on this row")]
        records += [Record(line, page_id, page_name, day, metric=metric, period=period,
                           value=value) for metric, value, period in metrics]
        return records
