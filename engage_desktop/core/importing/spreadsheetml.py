"""XML Spreadsheet 2003 ("SpreadsheetML"): the text format of the classic Page Insights
"Excel" export, named ``.xls`` though it is no binary workbook.

Some of those files are not well-formed XML (a stray control character, a bare ``&``), so the
text is cleaned as it streams (characters XML cannot hold are left out, a bare ``&`` is read as
itself, HTML entity names as their characters) and then parsed by the standard library's
streaming parser, so memory stays flat. The sheet read is the one named "Key Metrics", or the
first sheet when none is; cells placed by ``ss:Index`` (on rows and cells) land in their row and
column, as Excel places them.
"""

from __future__ import annotations

import codecs
import html.entities
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from engage_desktop.core.importing.tables import ImportFileError, Row, Table

CONTAINER = "XML Spreadsheet 2003"
KEY_SHEET = "key metrics"
CHUNK_BYTES = 256 * 1024
MAX_COLUMNS = 16_384  # Excel's own limit
_NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"
_INDEX = f"{{{_NAMESPACE}}}Index"
_MERGE = f"{{{_NAMESPACE}}}MergeAcross"
_TYPE = f"{{{_NAMESPACE}}}Type"
_CELL = f"{{{_NAMESPACE}}}Cell"
_DATA = f"{{{_NAMESPACE}}}Data"
# Characters XML 1.0 cannot hold, even as a reference
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# "&" that starts no well-formed reference, or a reference XML would refuse
_AMPERSAND = re.compile(r"&(?:#(\d{1,10});|#[xX]([0-9a-fA-F]{1,8});|([A-Za-z][A-Za-z0-9]{0,31});)?")
_XML_NAMES = {"amp", "lt", "gt", "quot", "apos"}
_SHEET_START = re.compile(r"<(?:\w+:)?Worksheet\b(?:[^>]*?\bss:Name\s*=\s*(\"[^\"]*\"|'[^']*'))?")
_DECLARED = re.compile(r"<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']")
_ENTITY_ROOM = 40  # the longest reference, and then some: kept for the next chunk


def xml_encoding(head: bytes) -> str | None:
    """The text encoding of ``head`` if it is the start of an XML Spreadsheet 2003 file (or of
    any XML document), or None when it is not XML."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            text = head[len(bom):].decode(encoding.replace("-sig", ""), "ignore")
            return encoding if _looks_like_spreadsheet(text) else None
    if head[:4] in (b"<\x00?\x00", b"<\x00W\x00"):
        return "utf-16-le" if _looks_like_spreadsheet(head.decode("utf-16-le", "ignore")) \
            else None
    if head[:4] in (b"\x00<\x00?", b"\x00<\x00W"):
        return "utf-16-be" if _looks_like_spreadsheet(head.decode("utf-16-be", "ignore")) \
            else None
    text = head.decode("latin-1")
    if not _looks_like_spreadsheet(text):
        return None
    declared = _DECLARED.match(text.lstrip(" \t\r\n"))
    if declared:  # such as windows-1252, as some older exports declare
        try:
            name = codecs.lookup(declared[1]).name
        except LookupError:
            name = "utf-8"
        if name not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            return name
    return "utf-8"  # (read as Windows-1252 from the first byte that is not UTF-8)


def _looks_like_spreadsheet(text: str) -> bool:
    start = text.lstrip(" \t\r\n\ufeff")
    if not start.startswith(("<?xml", "<Workbook", "<ss:Workbook", "<?mso-application")):
        return False
    return _NAMESPACE in text or "<Workbook" in text or "<ss:Workbook" in text


class SpreadsheetML(Table):
    """An XML Spreadsheet 2003 file, read leniently (see the module's notes)."""

    def __init__(self, path: Path, encoding: str) -> None:
        super().__init__(path, CONTAINER)
        self.encoding = encoding
        self._sheet: tuple[int, str] | None = None  # the sheet to read: (position, name)

    @property
    def sheet_name(self) -> str:
        """The name of the sheet read, as the file writes it."""
        if self._sheet is None:
            self._sheet = self._choose_sheet()
        return self._sheet[1]

    def rows(self) -> Iterator[Row]:
        if self._sheet is None:
            self._sheet = self._choose_sheet()
        wanted = self._sheet[0]
        # Only the ends of elements are reported (half the work of starts and ends): a row
        # belongs to the sheet whose end comes next, so the rows wanted are those between the
        # ends of the sheets before it and its own end.
        parser = ET.XMLPullParser(events=("end",))
        ended = 0  # sheets ended so far
        row_number = 0
        try:
            for text in self._text():
                try:
                    parser.feed(text)
                    events = list(parser.read_events())
                except ET.ParseError as exc:
                    raise self._damaged(exc) from None
                for _event, element in events:
                    name = element.tag.rpartition("}")[2] if element.tag not in (
                        _CELL, _DATA) else ""
                    if name == "Row":
                        if ended == wanted:
                            row_number = self._row_number(element, row_number)
                            cells = self._cells(element, row_number)
                            if cells:
                                yield Row(row_number, cells)
                        element.clear()  # read: let its cells go (an empty row stays)
                    elif name == "Worksheet":
                        if ended == wanted:
                            return  # the sheet wanted has been read: the rest is not
                        ended += 1
                        element.clear()
            try:
                parser.close()
            except ET.ParseError as exc:
                raise self._damaged(exc) from None
        except UnicodeDecodeError:
            raise ImportFileError(self.path, "the text of this XML spreadsheet is damaged.",
                                  "Open it in Excel and save it as .xlsx or CSV, then import "
                                  "that.") from None
        except OSError as exc:
            raise ImportFileError(self.path, f"reading stopped ({exc.strerror or exc}).",
                                  "Copy it to a local folder, then import it.") from None
        raise ImportFileError(self.path, "this XML file holds no worksheet.",
                              "Check that this is the right file: the Page Insights export "
                              "saved as Excel.")

    def _choose_sheet(self) -> tuple[int, str]:
        """The sheet to read, (its position, its name): "Key Metrics" when the file has one,
        else the first. Found from the worksheets' start tags, without parsing the file."""
        buffer = ""
        first = ""
        position = 0
        try:
            for text in itertools.chain(self._text(), [None]):
                buffer += text or ""
                # a tag that may go on into the next chunk is left for then
                cut = len(buffer) if text is None else max(0, len(buffer) - 1000)
                for match in _SHEET_START.finditer(buffer):
                    if match.start() >= cut:
                        break
                    name = html.unescape((match[1] or "  ")[1:-1]).strip()
                    if position == 0:
                        first = name
                    if name.lower() == KEY_SHEET:
                        return position, name
                    position += 1
                buffer = buffer[cut:]
        except (UnicodeDecodeError, OSError):
            pass  # reported when the rows are read
        return 0, first

    def _text(self) -> Iterator[str]:
        """The file's text, cleaned, in chunks."""
        encoding = self.encoding
        decoder = codecs.getincrementaldecoder(encoding)()
        ascii_so_far = True
        carry = ""
        with self.path.open("rb") as raw:
            while True:
                data = raw.read(CHUNK_BYTES)
                final = not data
                try:
                    text = decoder.decode(data, final)
                except UnicodeDecodeError:
                    # taken for UTF-8, but not UTF-8 beyond plain ASCII: Windows-1252, as an
                    # old Excel on Windows saves (a £ or an accented name)
                    if encoding != "utf-8" or not ascii_so_far:
                        raise
                    encoding = "cp1252"
                    decoder = codecs.getincrementaldecoder(encoding)()
                    text = decoder.decode(data, final)
                ascii_so_far = ascii_so_far and text.isascii()
                text = carry + text
                cut = len(text) if final else text.rfind("&", len(text) - _ENTITY_ROOM)
                if cut < 0:
                    cut = len(text)
                text, carry = text[:cut], text[cut:]
                if text:
                    yield _clean(text)
                if final:
                    return

    def _row_number(self, row: ET.Element, previous: int) -> int:
        index = row.get(_INDEX)
        if index is None:
            return previous + 1
        number = _whole(index)
        if number is None or number <= previous:
            raise ImportFileError(self.path, f"a row's ss:Index ({index[:20]!r}) is not a row "
                                  "number after the previous row's.",
                                  "Open it in Excel and save it as .xlsx or CSV, then import "
                                  "that.", previous + 1)
        return number

    def _cells(self, row: ET.Element, row_number: int) -> tuple[str, ...]:
        cells: list[str] = []
        for cell in row:
            if cell.tag != _CELL and cell.tag != "Cell":
                continue
            if cell.attrib:  # placed by ss:Index, or merged across (rare: the slow way)
                self._place(cell, cells, row_number)
            else:
                cells.append(_cell_text(cell))
        if len(cells) > MAX_COLUMNS:
            raise ImportFileError(self.path, f"a row has more than {MAX_COLUMNS:,} columns.",
                                  "Check that this is the right file.", row_number)
        while cells and cells[-1] == "":
            cells.pop()
        return tuple(cells)

    def _place(self, cell: ET.Element, cells: list[str], row_number: int) -> None:
        index = cell.get(_INDEX)
        if index is not None:
            column = _whole(index)
            if column is None or column <= len(cells) or column > MAX_COLUMNS:
                raise ImportFileError(
                    self.path, f"a cell's ss:Index ({index[:20]!r}) is not a column after the "
                    "previous cell's.",
                    "Open it in Excel and save it as .xlsx or CSV, then import that.",
                    row_number)
            cells.extend([""] * (column - 1 - len(cells)))
        cells.append(_cell_text(cell))
        merged = _whole(cell.get(_MERGE) or "0") or 0
        cells.extend([""] * min(merged, MAX_COLUMNS + 1 - len(cells)))

    def _damaged(self, exc: ET.ParseError) -> ImportFileError:
        line = exc.position[0] if getattr(exc, "position", None) else None
        reason = str(exc).split(":")[0]
        return ImportFileError(self.path, f"the XML spreadsheet is damaged ({reason}).",
                               "Open it in Excel and save it as .xlsx or CSV, then import "
                               "that.", line)


def _clean(text: str) -> str:
    """``text`` with what XML cannot hold left out and every "&" made well-formed."""
    if "&" in text:
        text = _AMPERSAND.sub(_reference, text)
    return _ILLEGAL.sub("", text)


def _reference(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match[1], match[2], match[3]
    if decimal or hexadecimal:
        code = int(decimal, 10) if decimal else int(hexadecimal, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or _ILLEGAL.match(chr(code)):
            return ""  # a reference to a character XML cannot hold
        return match[0]
    if name:
        if name in _XML_NAMES:
            return match[0]
        character = html.entities.html5.get(name + ";")
        if character is not None:  # an HTML entity such as &nbsp;
            return character.replace("&", "&amp;").replace("<", "&lt;")
    return "&amp;" + match[0][1:]  # a bare "&": the character itself


def _whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _cell_text(cell: ET.Element) -> str:
    """A cell's value as text, the way the CSV of the same sheet would hold it."""
    data = cell.find(_DATA)  # (a comment's text, in a child of its own, is not the cell's)
    if data is None:
        data = cell.find("Data")
        if data is None:
            return ""
    text = data.text or ""
    if len(data):  # rich text: <B>, <Font> and the like inside
        text = "".join(data.itertext())
    text = text.strip()
    if text.isdigit() and (text[0] != "0" or len(text) == 1):
        return text  # a plain count, whatever its type says: the common case, made quick
    kind = data.get(_TYPE)
    if kind == "Number":
        try:
            value = float(text)
        except ValueError:
            return text
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return text
    if kind == "DateTime" and text.endswith(".000"):
        return text[:-4]
    return text
