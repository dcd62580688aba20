"""The containers and formats officers' files really come in, each file written here in the
shape the reference describes: the classic "Excel" export (XML Spreadsheet 2003, some not
well-formed), real binary .xls, Excel's semicolon re-saves with decimal commas, tab-separated
files, the Audience export, dates without a year and a follower total from another day."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import xml.sax.saxutils
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage_desktop.core.importing import Importer, ImportFileError, ImportOptions
from engage_desktop.core.importing.dates import YearlessDates, yearless
from engage_desktop.core.importing.tables import open_table, sniff_delimiter
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import from_utc_text, uk_day

TODAY = date(2026, 11, 26)
NAMESPACES = ('xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
              'xmlns:o="urn:schemas-microsoft-com:office:office" '
              'xmlns:x="urn:schemas-microsoft-com:office:excel" '
              'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" '
              'xmlns:html="http://www.w3.org/TR/REC-html40"')


def run(store: Store, paths, **options):
    importer = Importer(store, list(paths), ImportOptions(**options), today=TODAY)
    return importer, importer.preview()


def readings(store: Store, page_id: str) -> list[tuple]:
    """(UK day, followers, fans, talking about) of each imported reading."""
    rows = store.conn.execute(
        "SELECT taken_at, followers, fans, talking_about FROM readings "
        "WHERE page_id = ? ORDER BY taken_at", [page_id]).fetchall()
    return [(uk_day(from_utc_text(taken)).isoformat(), *rest) for taken, *rest in rows]


# Writers: every file is made here, in the shape the reference describes ---------------------

def xml_cell(value: object, index: int | None = None, merge: int = 0, raw: bool = False) -> str:
    """One SpreadsheetML cell: numbers typed Number, dates DateTime, the rest String (``raw``
    text is written as it is, stray characters and all)."""
    attributes = (f' ss:Index="{index}"' if index else "") + (
        f' ss:MergeAcross="{merge}"' if merge else "")
    if isinstance(value, int | float):
        kind, text = "Number", repr(value)
    elif isinstance(value, date):
        kind, text = "DateTime", f"{value.isoformat()}T00:00:00.000"
    else:
        kind, text = "String", value if raw else xml.sax.saxutils.escape(str(value))
    return f'<Cell{attributes}><Data ss:Type="{kind}">{text}</Data></Cell>'


def xml_row(cells: list[str], index: int | None = None) -> str:
    return f'<Row{f" ss:Index={chr(34)}{index}{chr(34)}" if index else ""}>{"".join(cells)}</Row>'


def spreadsheetml(path: Path, sheets: dict[str, list[str]], *, encoding: str = "utf-8") -> Path:
    """An XML Spreadsheet 2003 workbook as the classic Page Insights "Excel" export writes it:
    one worksheet per metric group."""
    body = "".join(f'<Worksheet ss:Name="{name}"><Table>{"".join(rows)}</Table></Worksheet>'
                   for name, rows in sheets.items())
    text = (f'<?xml version="1.0" encoding="{encoding}"?>\r\n'
            '<?mso-application progid="Excel.Sheet"?>\r\n'
            f"<Workbook {NAMESPACES}>\r\n{body}\r\n</Workbook>\r\n")
    path.write_bytes(text.encode(encoding))
    return path


def classic_xls(path: Path, first: date, count: int, *, api_names: bool = False) -> Path:
    """The classic export's "Key Metrics" sheet after another sheet, US-style: titles, a row of
    descriptions (with a stray control character and a bare "&", as some real files have),
    then a row a day; a day's empty cells left out with ss:Index."""
    titles = (["Date", "page_fans:lifetime", "page_fan_adds:day", "page_storytellers:week"]
              if api_names else
              ["Date", "Lifetime Total Likes", "Daily New Likes",
               "Lifetime Talking About This (Unique Users)"])
    rows = [xml_row([xml_cell(t) for t in titles]),
            xml_row([xml_cell(""), xml_cell("Total likes \x0b& fans", raw=True),
                     xml_cell("New likes &nbsp;per day", raw=True),
                     xml_cell("People sharing stories & more\x1f", raw=True)])]
    for n in range(count):
        day = first + timedelta(days=n)
        if n % 3 == 2:  # no new likes recorded that day: the cell is left out
            rows.append(xml_row([xml_cell(day), xml_cell(1000 + n),
                                 xml_cell(40 + n, index=4)]))
        else:
            rows.append(xml_row([xml_cell(day), xml_cell(1000 + n), xml_cell(n % 5),
                                 xml_cell(40 + n)]))
    other = [xml_row([xml_cell("Date"), xml_cell("Daily Total Reach")]),
             xml_row([xml_cell(first), xml_cell(99999)])]
    return spreadsheetml(path, {"Daily Reach": other, "Key Metrics": rows})


def utf16(path: Path, lines: list[str]) -> Path:
    path.write_bytes(codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    return path


def audience_export(path: Path, *, facebook: bool = True) -> Path:
    """Meta Business Suite's Audience export: follower blocks, then breakdowns."""
    lines = ["sep=,"]
    if facebook:
        lines += ['"Facebook followers"', '"FB_PAGE FOLLOW UNIQUE_USERS"', '"4,347"', ""]
    lines += ['"Instagram followers"', '"IG_USER FOLLOW UNIQUE_USERS"', '"1210"', "",
              '"Age & gender"', '"Age","Women","Men"', '"18-24","5.2","3.1"',
              '"25-34","12.5","9.8"', "", '"Top cities"', '"City","Value"',
              '"Kelderby, England","42.5"', '"Leeds, England","3.1"', "",
              '"Top countries"', '"Country","Value"', '"United Kingdom","96.1"']
    return utf16(path, lines)


# XML Spreadsheet 2003 ---------------------------------------------------------------------

def test_classic_excel_export_is_read_leniently_from_its_key_metrics_sheet(
        store: Store, tmp_path: Path) -> None:
    path = classic_xls(tmp_path / "Facebook Insights Data Export - Kelderby.xls",
                       date(2014, 2, 10), 6)
    importer, preview = run(store, [path], page="Kelderby Old Page")
    (report,) = preview.files
    assert report.problem is None
    assert report.container == "XML Spreadsheet 2003"
    assert report.format == "classic"
    assert report.rows_used == 6 and report.skipped == 0
    assert report.first_day == date(2014, 2, 10) and report.last_day == date(2014, 2, 15)
    assert preview.ready
    importer.commit()
    rows = readings(store, "imported-kelderby-old-page")
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ((date(2014, 2, 10) + timedelta(days=n)).isoformat(), 1000 + n, 40 + n)
        for n in range(6)]
    # the day whose New Likes cell was left out has no value, not the next column's
    new_likes = {v.end_time.date(): v.value for v in store.insights(
        "imported-kelderby-old-page", "page_fan_adds")}
    assert len(new_likes) == 4 and 99999 not in new_likes.values()


def test_api_name_titles_and_skipped_cells_land_in_their_columns(tmp_path: Path) -> None:
    path = classic_xls(tmp_path / "export.xls", date(2016, 1, 1), 3, api_names=True)
    table = open_table(path)
    rows = list(table.rows())
    assert table.sheet_name == "Key Metrics"
    assert rows[0].cells == ("Date", "page_fans:lifetime", "page_fan_adds:day",
                             "page_storytellers:week")
    # the stray control characters are left out; "&" and &nbsp; read as themselves
    assert rows[1].cells == ("", "Total likes & fans", "New likes \u00a0per day",
                             "People sharing stories & more")
    assert rows[2].cells == ("2016-01-01T00:00:00", "1000", "0", "40")
    assert rows[4].cells == ("2016-01-03T00:00:00", "1002", "", "42")  # ss:Index="4"
    assert [row.line for row in rows] == [1, 2, 3, 4, 5]


def test_row_indexes_and_merged_cells_place_cells_as_excel_does(tmp_path: Path) -> None:
    path = spreadsheetml(tmp_path / "placed.xls", {"Sheet1": [
        xml_row([xml_cell("Date"), xml_cell("Followers"), xml_cell("Talking about")]),
        xml_row([xml_cell(date(2024, 3, 1)), xml_cell(200, merge=1), xml_cell(3)], index=4),
        xml_row([xml_cell(date(2024, 3, 2)), xml_cell(7, index=3)]),
    ]}, encoding="utf-16")
    rows = list(open_table(path).rows())
    assert [(row.line, row.cells) for row in rows] == [
        (1, ("Date", "Followers", "Talking about")),
        (4, ("2024-03-01T00:00:00", "200", "", "3")),
        (5, ("2024-03-02T00:00:00", "", "7"))]


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1252", "utf-16"])
def test_the_encoding_the_file_declares_is_read(tmp_path: Path, encoding: str) -> None:
    path = spreadsheetml(tmp_path / "named.xls", {"Key Metrics": [
        xml_row([xml_cell("Page name"), xml_cell("Café Kelderby £ “news”")])]},
        encoding=encoding)
    assert [row.cells for row in open_table(path).rows()] == [
        ("Page name", "Café Kelderby £ “news”")]


def test_a_workbook_without_key_metrics_is_read_from_its_first_sheet(
        store: Store, tmp_path: Path) -> None:
    path = spreadsheetml(tmp_path / "kept.xls", {
        "Readings": [xml_row([xml_cell("Date"), xml_cell("Followers"),
                              xml_cell("Talking about")]),
                     xml_row([xml_cell("13/03/2024"), xml_cell(200), xml_cell(3)])],
        "Notes": [xml_row([xml_cell("anything")])]})
    _importer, preview = run(store, [path], page="P")
    assert preview.files[0].format == "generic" and preview.ready
    assert preview.files[0].container == "XML Spreadsheet 2003"


def test_xml_damaged_beyond_repair_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xls"
    path.write_text(f'<?xml version="1.0"?>\n<Workbook {NAMESPACES}>\n<Worksheet ss:Name="A">'
                    "<Table>\n<Row><Cell><Data>x</Cell></Row>\n</Table></Worksheet></Workbook>",
                    encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        list(open_table(path).rows())
    assert "XML spreadsheet is damaged" in caught.value.message
    assert caught.value.line == 4
    assert ".xlsx or CSV" in caught.value.hint


def test_a_real_binary_xls_is_refused_with_the_fix_in_words(store: Store,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    _importer, preview = run(store, [path], page="P")
    problem = preview.files[0].problem
    assert "old-style Excel file (.xls)" in problem
    assert "Excel Workbook (.xlsx) or CSV" in problem


# Separators -------------------------------------------------------------------------------

def test_excel_semicolon_resave_with_decimal_commas(store: Store, tmp_path: Path) -> None:
    """A classic export re-saved by Excel in a European locale: semicolons, no sep= line,
    UTF-8 with a BOM, decimal commas and "." between thousands."""
    path = tmp_path / "classic-de.csv"
    lines = ["Date;Lifetime Total Likes;Weekly Average Reach per Post;Daily New Likes",
             ";Total likes;Reach, on average;New likes"]
    lines += [f"2019-03-0{n};1.2{n}0;3,{n};{n}" for n in range(1, 5)]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode("utf-8"))
    importer, preview = run(store, [path], page="Museum")
    (report,) = preview.files
    assert report.container == "CSV (UTF-8, semicolons)"
    assert report.format == "classic" and report.skipped == 0
    importer.commit()
    assert [r[2] for r in readings(store, "imported-museum")] == [1210, 1220, 1230, 1240]
    # the decimal commas are decimal marks: 3,1 is three point one, never 31
    rows = list(open_table(path).rows())
    assert rows[1].cells == ["", "Total likes", "Reach, on average", "New likes"]
    assert rows[2].cells == ["2019-03-01", "1210", "3.1", "1"]


def test_metric_file_resaved_with_semicolons_and_local_dates(store: Store,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "Views.csv"
    text = '"Views"\r\n"Date";"Primary"\r\n' + "".join(
        f'"0{n}.08.2025 00:00";"1.0{n}5"\r\n' for n in range(1, 4))
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    importer, preview = run(store, [path], page="Museum", followers=300)
    assert preview.files[0].format == "mbs_metric" and preview.ready
    importer.commit()
    assert sorted(v.value for v in store.insights("imported-museum", "page_media_view")) == [
        1015, 1025, 1035]


def test_a_sep_line_is_still_obeyed(tmp_path: Path) -> None:
    path = tmp_path / "hinted.csv"
    path.write_text("sep=;\nDate;Followers\n2024-03-01;1,5\n", encoding="utf-8")
    table = open_table(path)
    assert [r.cells for r in table.rows()] == [["Date", "Followers"], ["2024-03-01", "1.5"]]
    assert [r.line for r in table.rows()] == [2, 3]


def test_tab_separated_metric_file_in_utf16(store: Store, tmp_path: Path) -> None:
    path = utf16(tmp_path / "Follows.csv",
                 ['"Facebook follows"', '"Date"\t"Primary"']
                 + [f'"2025-08-0{n}T00:00:00"\t"{n}"' for n in range(1, 6)])
    _importer, preview = run(store, [path], page="Museum", followers=300)
    (report,) = preview.files
    assert report.container == "CSV (UTF-16, tabs)"
    assert report.format == "mbs_metric" and report.rows_used == 5 and preview.ready


def test_two_block_tab_file_parses_as_a_table(tmp_path: Path) -> None:
    """A 2023-24 Business Suite file: a Facebook block, then an Instagram block (what each
    means is the formats' business; the table must come out cell by cell)."""
    lines = ['"Facebook follows"', '"Date"\t"Primary"']
    lines += [f'"2024-01-0{n}T00:00:00"\t"{n}"' for n in range(1, 4)]
    lines += ["", '"Instagram follows"', '"Date"\t"Primary"']
    lines += [f'"2024-01-0{n}T00:00:00"\t"{10 + n}"' for n in range(1, 4)]
    table = open_table(utf16(tmp_path / "Follows.csv", lines))
    rows = [(row.line, tuple(row.cells)) for row in table.rows()]
    assert table.container == "CSV (UTF-16, tabs)"
    assert rows[0] == (1, ("Facebook follows",))
    assert rows[1] == (2, ("Date", "Primary"))
    assert rows[4] == (5, ("2024-01-03T00:00:00", "3"))
    assert rows[5] == (6, ())
    assert rows[6] == (7, ("Instagram follows",))
    assert rows[8] == (9, ("2024-01-01T00:00:00", "11"))
    assert len(rows) == 11


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(breaks=st.lists(st.integers(0, 3), min_size=1, max_size=60),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_rows_keep_their_line_numbers_across_the_sniffed_lines(tmp_path: Path, breaks,
                                                               delimiter: str) -> None:
    """Captions running over several lines, before, across and after the lines read to sniff
    the separator: each row is numbered by the line it starts on."""
    lines, starts, line = [f"Post ID{delimiter}Caption"], [], 2
    for number, extra in enumerate(breaks):
        starts.append(line)
        caption = "\n".join(f"part {n}" for n in range(extra + 1))
        lines.append(f'{number}{delimiter}"{caption}"')
        line += extra + 1
    path = tmp_path / "posts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = list(open_table(path).rows())
    assert [row.line for row in rows[1:]] == starts


def test_quoted_commas_in_a_comma_file_do_not_fool_the_sniffer(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text('Post ID,Page ID,Page name,Publish time,"Reactions, Comments and Shares"\n'
                    '1,5,"Kelderby; Museum",08/01/2025 09:30,"1,204"\n', encoding="utf-8")
    table = open_table(path)
    assert table.container == "CSV (UTF-8)"
    assert list(table.rows())[1].cells == ["1", "5", "Kelderby; Museum", "08/01/2025 09:30",
                                           "1,204"]


# Audience export --------------------------------------------------------------------------

def test_audience_export_gives_a_follower_reading_on_the_day_given(store: Store,
                                                                   tmp_path: Path) -> None:
    path = audience_export(tmp_path / "Audience.csv")
    _importer, asked = run(store, [path], page="Museum")
    assert asked.files[0].format == "audience"
    assert asked.needs == {"on"}
    assert "4,347" in asked.questions[0].text
    assert "Which day is this follower total from?" in asked.questions[0].text

    importer, preview = run(store, [path], page="Museum", on=date(2025, 2, 28))
    assert preview.ready and preview.files[0].mapping == {"Facebook followers": "followers"}
    assert preview.files[0].skipped == 0  # Instagram and the breakdowns are not rows to skip
    # the sample shown is the total alone, under its block's title: nothing of Instagram's
    assert preview.files[0].header == ("Facebook followers",)
    assert preview.files[0].sample == [("4,347",)]
    importer.commit()
    assert readings(store, "imported-museum") == [("2025-02-28", 4347, None, None)]


def test_audience_day_in_the_future_is_asked_again(store: Store, tmp_path: Path) -> None:
    _importer, preview = run(store, [audience_export(tmp_path / "Audience.csv")], page="M",
                             on=TODAY + timedelta(days=1))
    assert preview.needs == {"on"} and "in the future" in preview.questions[0].text


def test_audience_export_without_facebook_followers_is_refused(store: Store,
                                                               tmp_path: Path) -> None:
    path = audience_export(tmp_path / "Audience.csv", facebook=False)
    _importer, preview = run(store, [path], page="M", on=date(2025, 2, 28))
    assert "holds no Facebook follower total" in preview.files[0].problem


def test_an_audience_total_split_over_cells_is_refused_not_misread(store: Store,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "Audience.csv"  # 4,347 unquoted: two cells, "4" and "347"
    path.write_text("Facebook followers\nFB_PAGE FOLLOW UNIQUE_USERS\n4,347\n",
                    encoding="utf-8")
    _importer, preview = run(store, [path], page="M", on=date(2025, 2, 28))
    assert "split over several cells ('4, 347')" in preview.files[0].problem


def test_audience_total_anchors_a_pages_follows(store: Store, tmp_path: Path) -> None:
    """The Audience export's total stands beside the metric files of the same Page, so no
    other total is asked for."""
    follows = utf16(tmp_path / "Follows.csv",
                    ["sep=,", '"Facebook follows"', '"Date","Primary"']
                    + [f'"2025-02-{d:02d}T00:00:00","2"' for d in range(22, 28)])
    audience = audience_export(tmp_path / "Audience.csv")
    importer, preview = run(store, [follows, audience], page="Museum", on=date(2025, 2, 28))
    assert preview.ready, preview.questions
    importer.commit()
    assert ("2025-02-28", 4347, None, None) in readings(store, "imported-museum")


# Follower total from another day ------------------------------------------------------------

def test_a_follower_total_with_its_own_date_is_carried_back_from_that_day(
        store: Store, tmp_path: Path) -> None:
    follows = utf16(tmp_path / "Follows.csv",
                    ["sep=,", '"Facebook follows"', '"Date","Primary"']
                    + [f'"2025-02-{d:02d}T00:00:00","{d - 17}"' for d in range(22, 28)])
    importer, preview = run(store, [follows], page="Museum", followers=5000,
                            followers_on=date(2025, 2, 28))
    assert "5,000 followers on 28 Feb 2025, as given" in preview.pages[0].followers_from
    assert "carried back" in preview.pages[0].followers_from
    importer.commit()
    rows = dict((r[0], r[1]) for r in readings(store, "imported-museum"))
    assert rows["2025-02-28"] == 5000
    assert rows["2025-02-27"] == 5000  # nothing followed after it in the file
    assert rows["2025-02-26"] == 5000 - 10  # the 27th's ten new follows came after it


def test_a_follower_total_dated_in_the_future_is_asked_again(store: Store,
                                                             tmp_path: Path) -> None:
    follows = utf16(tmp_path / "Follows.csv",
                    ["sep=,", '"Facebook follows"', '"Date","Primary"',
                     '"2025-03-01T00:00:00","2"'])
    _importer, preview = run(store, [follows], page="Museum", followers=5000,
                             followers_on=TODAY + timedelta(days=3))
    assert preview.needs == {"followers"} and "in the future" in str(preview.questions[0])


# Dates without a year ---------------------------------------------------------------------

def test_dates_without_a_year_ask_for_it_and_move_on_at_new_year(store: Store,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "kept.csv"
    path.write_text("Date,Followers,Talking about\n"
                    "30 Dec,200,3\nDec 31,201,4\n1st January,202,5\nJan 2,203,6\n",
                    encoding="utf-8")
    _importer, asked = run(store, [path], page="Museum")
    assert asked.needs == {"year"}
    assert "which year do they start in?" in asked.questions[0].text
    assert "'30 Dec'" in asked.questions[0].text

    importer, preview = run(store, [path], page="Museum", year=2024)
    assert preview.ready and preview.files[0].skipped == 0
    importer.commit()
    assert [r[0] for r in readings(store, "imported-museum")] == [
        "2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02"]


def test_newest_first_dates_without_a_year_run_back_a_year() -> None:
    years = YearlessDates(2025)
    assert [years.resolve(t) for t in ["2 Jan", "1 Jan", "31 Dec", "15 Aug"]] == [
        "2025-01-02", "2025-01-01", "2024-12-31", "2024-08-15"]


def test_dates_without_a_year_that_are_not_real_days_are_skipped(store: Store,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "kept.csv"
    path.write_text("Date,Followers\n28 Feb,200\n30 Feb,201\n", encoding="utf-8")
    _importer, preview = run(store, [path], page="M", year=2025)
    assert [(s.line, s.reason) for s in preview.files[0].skips] == [
        (3, "'2025-02-30' is not a real date")]


@pytest.mark.parametrize(("text", "expected"), [
    ("12 Feb", (2, 12)), ("Feb 12", (2, 12)), ("August 18", (8, 18)), ("18th Aug.", (8, 18)),
    ("Mon, 3 March", (3, 3)), ("12 Feb 2024", None), ("2024-02-12", None), ("Febr 12", None),
    ("Date", None), ("12", None)])
def test_which_texts_are_dates_without_a_year(text: str, expected) -> None:
    assert yearless(text) == expected


# Fuzzing ----------------------------------------------------------------------------------

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=12).filter(
    str.strip)
CELLS = st.one_of(
    st.integers(0, 10**7).map(str),
    st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda p: f"{p[0]},{p[1]}"),
    st.text(alphabet='abc ,;\t"é£', max_size=10),
    st.dates(date(2010, 1, 1), date(2026, 1, 1)).map(date.isoformat))


@settings(max_examples=200, deadline=None)
@given(delimiter=st.sampled_from([",", ";", "\t"]), columns=st.integers(2, 6),
       data=st.data())
def test_sniffer_finds_the_separator_a_table_was_written_with(delimiter: str, columns: int,
                                                              data) -> None:
    """Quoted cells holding the other separators, and decimal commas, never mislead it when
    the titles are plain words (as every export's are)."""
    header = data.draw(st.lists(WORDS, min_size=columns, max_size=columns))
    rows = data.draw(st.lists(st.lists(CELLS, min_size=columns, max_size=columns),
                              min_size=1, max_size=20))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    lines = buffer.getvalue().splitlines(keepends=True)
    assert sniff_delimiter(lines) == delimiter


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.text(max_size=60), max_size=30))
def test_sniffer_never_fails_on_any_text(lines: list[str]) -> None:
    assert sniff_delimiter(lines) in (",", ";", "\t")


XML_TEXT = st.text(alphabet=st.sampled_from([*"ab01 &<>\"'é£\x01\x0b\x1f\t", "\u00a0"]),
                   max_size=12)


def _as_written(text: str) -> str:
    """Cell text as a lenient file writes it: escaped, except that "&" followed by a space is
    left bare and control characters stay in, as in real damaged exports."""
    return xml.sax.saxutils.escape(text).replace("&amp; ", "& ")


def _as_read(text: str) -> str:
    return "".join(c for c in text if c in "\t" or ord(c) >= 0x20).strip()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=st.lists(st.lists(st.tuples(st.integers(0, 2), XML_TEXT), max_size=6),
                     min_size=1, max_size=8))
def test_spreadsheetml_cells_land_where_their_indexes_put_them(tmp_path: Path, grid) -> None:
    rows, expected = [], []
    for cells in grid:
        written, values = [], []
        for gap, text in cells:
            values += [""] * gap + [_as_read(text)]
            written.append(f'<Cell ss:Index="{len(values)}"><Data ss:Type="String">'
                           f"{_as_written(text)}</Data></Cell>" if gap else
                           f'<Cell><Data ss:Type="String">{_as_written(text)}</Data></Cell>')
        rows.append(f"<Row>{''.join(written)}</Row>")
        while values and values[-1] == "":
            values.pop()
        expected.append(tuple(values))
    path = spreadsheetml(tmp_path / "fuzz.xls", {"Key Metrics": rows})
    got = {row.line: row.cells for row in open_table(path).rows()}
    assert got == {n: cells for n, cells in enumerate(expected, start=1) if cells}


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_spreadsheetml_only_ever_gives_the_importers_own_errors(
        tmp_path: Path, data) -> None:
    base = classic_xls(tmp_path / "base.xls", date(2014, 2, 10), 4).read_bytes()
    content = bytearray(base)
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            content[position] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del content[max(position, 1):]
        else:
            content[position:position] = data.draw(st.sampled_from(
                [b"&", b"<", b"\x00", b"\x0b", b'ss:Index="0"', b'ss:Index="x"', b"</Row>",
                 b"<Row>", b"&#0;", b"\xff\xfe", b"\xe9"]))
    path = tmp_path / "fuzz.xls"
    path.write_bytes(bytes(content))
    with contextlib.suppress(ImportFileError):  # the only error a damaged file may give
        list(open_table(path).rows())
    with open_store(tmp_path / f"fuzz-{data.draw(st.integers(0, 10**9))}.sqlite") as store:
        importer = Importer(store, [path], ImportOptions(page="P", followers=100),
                            today=TODAY)
        preview = importer.preview()  # never raises: problems are in the preview
        preview.as_json()
