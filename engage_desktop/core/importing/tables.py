"""Reading a file as rows of cells, whatever it really is: CSV text in UTF-8, UTF-16 or
Windows-1252, or an Excel workbook (whatever its name says), streamed so memory stays flat.

Every failure is an :class:`ImportFileError` naming the file and, where there is one, the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import operator
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from engage_desktop.core.errors import EngageError
from engage_desktop.core.paths import special_file

SNIFF_BYTES = 64 * 1024
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel (.xls) container


class ImportFileError(EngageError):
    """A file that cannot be imported as it is."""

    def __init__(self, path: Path, message: str, hint: str = "", line: int | None = None):
        where = f"{path.name}, line {line}" if line else path.name
        super().__init__(f"{where}: {message}", hint)
        self.path = path
        self.line = line


class Row(NamedTuple):
    line: int  # 1-based line (CSV) or row (spreadsheet) number, as the officer sees it
    cells: tuple[str, ...] | list[str]


class Table(ABC):
    """A file opened for reading: what it is (``container``, such as "CSV (UTF-16)"), and
    its rows, read lazily. Each kind of container below reads its own way."""

    def __init__(self, path: Path, container: str) -> None:
        self.path = path
        self.container = container

    @abstractmethod
    def rows(self) -> Iterator[Row]: ...


def open_table(path: Path) -> Table:
    """What kind of file ``path`` is, from its first bytes (never its name)."""
    kind = special_file(path)
    if kind:
        raise ImportFileError(path, f"this is {kind}, not a file to import.",
                              "Choose an export file downloaded from Meta Business Suite.")
    try:
        with path.open("rb") as file:
            head = file.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise ImportFileError(path, "there is no such file.",
                              "Check the name and folder.") from None
    except IsADirectoryError:
        raise ImportFileError(path, "this is a folder, not a file.",
                              "Choose the files inside it.") from None
    except OSError as exc:
        raise ImportFileError(path, f"cannot be read ({exc.strerror or exc}).",
                              "Copy it to a local folder you can read, then import it.") from None
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError(path, "the file is empty.",
                              "Download the export again from Meta Business Suite.")
    if head.startswith(_ZIP):
        return _Workbook(path, "Excel workbook")
    if head.startswith(_OLE2):
        raise ImportFileError(
            path, "this is an old-style Excel file (.xls), which cannot be read directly.",
            "Open it in Excel and save it as an Excel Workbook (.xlsx) or CSV, then import "
            "that.")
    from engage_desktop.core.importing.spreadsheetml import SpreadsheetML, xml_encoding

    xml = xml_encoding(head)
    if xml is not None:
        return SpreadsheetML(path, xml)
    encoding, label = _text_encoding(path, head)
    return _Csv(path, f"CSV ({label})", encoding)


def _text_encoding(path: Path, head: bytes) -> tuple[str, str]:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8"
    if b"\x00" in head:
        # UTF-16 without its byte-order mark: every other byte of plain text is zero
        zeros_odd = head[1::2].count(0)
        zeros_even = head[0::2].count(0)
        if zeros_odd > len(head) // 3:
            return "utf-16-le", "UTF-16"
        if zeros_even > len(head) // 3:
            return "utf-16-be", "UTF-16"
        raise ImportFileError(path, "this is not a text or spreadsheet file.",
                              "Choose the CSV or .xlsx file that Meta Business Suite or your "
                              "spreadsheet program saved.")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut_by_the_sniff = len(head) == SNIFF_BYTES and exc.start >= len(head) - 3
        if not cut_by_the_sniff:
            return "cp1252", "Windows-1252"
    return "utf-8", "UTF-8"


class _Csv(Table):
    def __init__(self, path: Path, container: str, encoding: str) -> None:
        super().__init__(path, container)
        self.encoding = encoding
        self.delimiter = ","

    def rows(self) -> Iterator[Row]:
        path = self.path
        lines = _Lines(self)
        start = 1
        try:
            with path.open("rb") as raw:
                text = lines.read(raw)
                first = next(text, "")
                hint = first.rstrip("\r\n")
                sample = iter(())  # lines read to sniff the separator, not yet given to csv
                if hint.lower().startswith("sep=") and len(hint) == 5:
                    self.delimiter = hint[4]  # Excel's hint line ("sep=,"): not data
                    start = 2
                else:
                    head = [first, *itertools.islice(text, SNIFF_LINES - 1)]
                    self.delimiter = sniff_delimiter(head)
                    sample = iter(head)
                    text = itertools.chain(sample, text)
                self._name_delimiter()
                reader = csv.reader(text, delimiter=self.delimiter, strict=True)
                if self.delimiter == ";":
                    reader = ([_european_number(c) for c in cells] for cells in reader)
                # csv reads no further than the row it returns, so a row starts on the line
                # after the previous row (a quoted cell may run over several lines): the
                # lines read, less those of the sample csv has not taken yet
                for cells in reader:
                    yield Row(start, cells)
                    left = operator.length_hint(sample)
                    start = lines.number - left + 1
                    if not left:
                        break
                for cells in reader:  # (the sample taken: the quick way)
                    yield Row(start, cells)
                    start = lines.number + 1
        except UnicodeDecodeError:
            raise ImportFileError(
                path, f"the text is not valid {self.container[5:-1].split(',')[0]}.",
                "The file may be damaged or cut short: download or save it again (as "
                "'CSV UTF-8' from Excel).", lines.number + 1) from None
        except csv.Error as exc:
            raise ImportFileError(path, f"the CSV is malformed ({exc}).",
                                  "The file may be cut short: download or save it again.",
                                  start) from None
        except OSError as exc:
            raise ImportFileError(path, f"reading stopped ({exc.strerror or exc}).",
                                  "Copy it to a local folder, then import it.",
                                  lines.number) from None

    def _name_delimiter(self) -> None:
        """Say in the container's name when the cells are not separated by commas."""
        encoding = self.container[5:-1].split(",")[0]
        named = {";": ", semicolons", "\t": ", tabs"}.get(self.delimiter, "")
        self.container = f"CSV ({encoding}{named})"


SNIFF_LINES = 30  # lines read to tell which character separates the cells
_SEPARATORS = (",", ";", "\t")  # in order of preference when the sample cannot tell


def sniff_delimiter(sample: list[str]) -> str:
    """The character that separates the cells of ``sample`` (a file's first lines): comma,
    semicolon (Excel's CSV in European locales, where the comma is the decimal mark) or tab.

    Each is tried with the csv module, so quoted cells holding the others count for nothing;
    one that breaks the quoting ("Date";"Primary" read with commas) is out. Of the rest, the
    one that splits the most lines into the same number (above one) of cells wins: decimal
    commas split only some lines, and by different numbers."""
    best, best_score = ",", None
    for delimiter in _SEPARATORS:
        widths: list[int] = []
        reader = csv.reader(sample, delimiter=delimiter, strict=True)
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    widths.append(len(cells))
        except csv.Error as exc:
            if not (reader.line_num == len(sample) and "end of data" in str(exc)):
                continue  # the quoting says this is not the separator
            # (else the sample ends inside a quoted cell that goes on after it)
        split = [width for width in widths if width > 1]
        if not split:
            continue
        common = max(set(split), key=lambda width: (split.count(width), width))
        agreeing = split.count(common)
        score = (agreeing - (len(split) - agreeing), common)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


# (a group mark after a leading 0 is a decimal point: "0.125" is kept as it is)
_EUROPEAN_NUMBER = re.compile(r"[+-]?(?:[1-9]\d{0,2}(?:[.\u00a0\u202f ]\d{3})+|\d+)(?:,\d+)?")


def _european_number(cell: str) -> str:
    """A number as Excel writes it where the comma is the decimal mark ("1.234,5", "3,5"),
    written the way the rest of the importer reads numbers ("1234.5"). Other text is kept."""
    text = cell.strip()
    if not text or not text[-1].isdigit() or not _EUROPEAN_NUMBER.fullmatch(text):
        return cell
    if "," not in text and not any(mark in text for mark in ".\u00a0\u202f "):
        return cell
    return (text.replace(".", "").replace("\u00a0", "").replace("\u202f", "")
            .replace(" ", "").replace(",", "."))


class _Lines:
    """The text lines of a CSV file, counted as they are read (``number``), refusing binary
    data (csv would take NUL bytes as text; cells longer than csv's 128 KiB limit it refuses
    itself).

    A file taken for UTF-8 whose first bytes beyond ASCII are not UTF-8 is read as
    Windows-1252 from there on: what Excel on Windows saves as "CSV", often with a £ or an
    accented name far down the file."""

    def __init__(self, table: _Csv) -> None:
        self.table = table
        self.number = 0

    def read(self, raw: BinaryIO) -> Iterator[str]:
        if self.table.encoding in ("utf-8", "cp1252"):
            lines = self._bytes(raw)
        else:
            lines = io.TextIOWrapper(raw, encoding=self.table.encoding, newline="")
        for line in lines:
            self.number += 1
            if "\x00" in line:
                raise ImportFileError(self.table.path, "the file holds binary data, not text.",
                                      "Check that this is the right file.", self.number)
            yield line

    def _bytes(self, raw: BinaryIO) -> Iterator[str]:
        table = self.table
        ascii_so_far = True
        for data in raw:
            try:
                text = data.decode(table.encoding)
            except UnicodeDecodeError:
                if table.encoding != "utf-8" or not ascii_so_far:
                    raise
                table.encoding, table.container = "cp1252", "CSV (Windows-1252)"
                table._name_delimiter()
                text = data.decode("cp1252")
            ascii_so_far = ascii_so_far and text.isascii()
            # old Macintosh files end lines with a bare CR
            yield from _BARE_CR.split(text) if "\r" in text.rstrip("\r\n") else (text,)


_BARE_CR = re.compile(r"(?<=\r)(?!\n)")


class _Workbook(Table):
    def rows(self) -> Iterator[Row]:

        from openpyxl import load_workbook

        path = self.path
        try:
            # Read from a file object: openpyxl would refuse a workbook named ".csv" by its
            # name. read_only streams the sheet; formulas stay text ("=HYPERLINK(…)"), never run.
            file = path.open("rb")
        except OSError as exc:
            raise ImportFileError(path, f"cannot be read ({exc.strerror or exc}).",
                                  "Copy it to a local folder, then import it.") from None
        try:
            book = load_workbook(file, read_only=True, data_only=False)
        except Exception as exc:  # a damaged zip raises many types inside openpyxl
            file.close()
            raise ImportFileError(
                path, "this looks like a zip or Excel file but cannot be opened as a "
                f"workbook ({type(exc).__name__}).",
                "Open it in Excel and save it again as .xlsx or CSV.") from None
        try:
            sheet = book.worksheets[0] if book.worksheets else None
            if sheet is None:
                raise ImportFileError(path, "the workbook has no sheets.",
                                      "Check that this is the right file.")
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = tuple(_cell_text(value) for value in values)
                while cells and cells[-1] == "":
                    cells = cells[:-1]
                yield Row(number, cells)
        except ImportFileError:
            raise
        except Exception as exc:  # openpyxl raises many types for damaged parts of a sheet
            raise ImportFileError(path, f"the workbook is damaged ({type(exc).__name__}).",
                                  "Open it in Excel and save it again as .xlsx or CSV.") from None
        finally:
            book.close()
            file.close()


def _cell_text(value: object) -> str:
    """A spreadsheet cell as text, the way the CSV of the same sheet would hold it."""
    from datetime import date, datetime

    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
