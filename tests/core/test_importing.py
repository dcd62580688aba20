"""Importing files officers hold: every format from its documented layout, bad input, the
preview/commit contract, conflicts with synced data, and the fallback measure."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from engage_desktop.core import traffic_light
from engage_desktop.core.engagement import INTERACTIONS, Status
from engage_desktop.core.exporting.data import SERIES_COLUMNS
from engage_desktop.core.importing import (
    ImportBlockedError,
    Importer,
    ImportOptions,
    Order,
)
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from tests.factories import page, reading, utc

TODAY = date(2026, 11, 26)


def mbs_metric(path: Path, metric: str, values: dict[date, object]) -> Path:
    """A Meta Business Suite metric file as Meta writes it: UTF-16 LE with a BOM."""
    lines = ["sep=,", f'"{metric}"', '"Date","Primary"']
    lines += [f'"{day.isoformat()}T00:00:00","{value}"' for day, value in values.items()]
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    return path


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def run(store: Store, paths, **options):
    importer = Importer(store, list(paths), ImportOptions(**options), today=TODAY)
    return importer, importer.preview()


def commit(store: Store, paths, **options):
    importer, preview = run(store, paths, **options)
    assert preview.ready, (preview.questions, [f.problem for f in preview.files])
    return importer.commit()


def readings(store: Store, page_id: str) -> list[tuple]:
    return store.conn.execute(
        "SELECT taken_at, followers, fans, talking_about, source FROM readings "
        "WHERE page_id = ? ORDER BY taken_at", [page_id]).fetchall()


# Formats ----------------------------------------------------------------------------------

def test_meta_business_suite_metric_files_import_together(store: Store, tmp_path: Path) -> None:
    week = days(TODAY - timedelta(days=7), 7)  # up to yesterday, as Meta's files are
    follows = mbs_metric(tmp_path / "Follows.csv", "Facebook follows",
                         {d: n for d, n in zip(week, [3, 4, 5, 2, 0, 6, 1], strict=True)})
    # Meta leaves out some days: a missing day is unknown, not zero
    interactions = mbs_metric(tmp_path / "Interactions.csv", "Content interactions",
                              {d: 10 for d in week if d != week[2]})
    importer, preview = run(store, [follows, interactions], page="Kelderby Museum",
                            followers=3000)
    assert [f.format for f in preview.files] == ["mbs_metric", "mbs_metric"]
    assert preview.files[0].container == "CSV (UTF-16)"
    assert preview.files[1].mapping == {"Content interactions": "page_post_engagements"}
    (plan,) = preview.pages
    assert plan.new and plan.name == "Kelderby Museum"
    assert plan.insights_new == 7 + 6
    assert "3,000" in plan.followers_from
    assert store.pages() == []  # a preview writes nothing
    importer.commit()
    values = {v.end_time.date(): v.value for v in store.insights(plan.page_id,
                                                                  "page_post_engagements")}
    assert len(values) == 6  # the missing day stays missing
    # followers carried back from today's total through each day's new follows
    rows = readings(store, plan.page_id)
    assert rows[-1][1] == 3000
    assert rows[-2][1] == 3000  # yesterday: nothing followed after it in the files
    assert rows[0][1] == 3000 - (4 + 5 + 2 + 0 + 6 + 1)


def test_follows_that_end_long_before_todays_total_are_not_carried_back(
        store: Store, tmp_path: Path) -> None:
    follows = mbs_metric(tmp_path / "Follows.csv", "Facebook follows",
                         {d: 5 for d in days(date(2025, 8, 1), 7)})
    importer, preview = run(store, [follows], page="Museum", followers=3000)
    assert "too long before it" in preview.pages[0].followers_from
    importer.commit()
    assert [r[1] for r in readings(store, "imported-museum")] == [3000]  # today's, as given


def test_classic_insights_export_maps_likes_and_keeps_other_metrics(store: Store,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "classic.csv"
    path.write_text(
        "Date,Lifetime Total Likes,Daily New Likes,Lifetime Talking About This (Unique Users),"
        "Weekly Page Engaged Users,Daily Total Reach\n"
        ",Total likes,New likes,People talking,Engaged,Reach\n"
        "2019-03-01,1000,5,40,100,900\n2019-03-02,1005,6,41,101,950\n", encoding="utf-8")
    commit(store, [path], page="Kelderby Old Page")
    rows = readings(store, "imported-kelderby-old-page")
    assert [(r[2], r[3]) for r in rows] == [(1000, 40), (1005, 41)]
    assert {v.value for v in store.insights("imported-kelderby-old-page",
                                            "page_engaged_users")} == {100, 101}
    assert len(store.insights("imported-kelderby-old-page", "classic_daily_total_reach")) == 2


def test_post_exports_in_csv_and_xlsx_add_up_interactions_per_day(store: Store,
                                                                  tmp_path: Path) -> None:
    header = ["Title", "Post ID", "Page ID", "page name", "PUBLISH TIME", "Reactions",
              "Comments", "Shares", "Reach", "Extra"]
    rows = [["a", "1", "555", "Kelderby Libraries", "08/01/2025 09:30", "10", "2", "1", "5", ""],
            ["b", "2", "555", "Kelderby Libraries", "08/01/2025 17:00", "4", "0", "0", "5", ""],
            ["c", "3", "555", "Kelderby Libraries", "08/02/2025 10:00", "1", "1", "1", "5", ""]]
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    xlsx = tmp_path / "posts.csv"  # named .csv, but a workbook: the content decides
    book.save(xlsx)
    store.upsert_pages([page("555", "Kelderby Libraries")])
    store.add_readings([reading("555", utc(2025, 8, 3, 9), 4000, None)])
    importer, preview = run(store, [xlsx])
    assert preview.files[0].container == "Excel workbook"
    assert preview.files[0].format == "mbs_posts"
    importer.commit()
    totals = [v.value for v in store.insights("555", "post_interactions")]
    assert totals == [17, 3]
    assert [v.value for v in store.insights("555", "posts_published")] == [2, 1]


def test_generic_spreadsheet_with_uk_dates_and_a_manual_column(store: Store,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "kept by hand.csv"
    path.write_text("When,Page Likes,People talking about this\n"
                    "1 Mar 2024,200,3\n02/03/2024,\"1,201\",4\n13/03/2024,205,\n45366,210,5\n",
                    encoding="cp1252")
    importer, preview = run(store, [path], page="Youth Service", columns={"When": "date"})
    assert preview.files[0].format == "generic"
    assert preview.files[0].mapping["When"] == "date"
    importer.commit()
    rows = readings(store, "imported-youth-service")
    assert [(r[2], r[3]) for r in rows] == [(200, 3), (1201, 4), (205, None), (210, 5)]
    assert uk_day(utc(2024, 3, 15, 12)) == date(2024, 3, 15)  # 45366 is Excel's 15 Mar 2024
    assert rows[-1][0] == "2024-03-15T00:00:00Z"


def test_windows_1252_is_recognised_even_far_down_a_file(store: Store, tmp_path: Path) -> None:
    rows = [f"Page {n},2024-03-13,{100 + n},1" for n in range(4000)]
    rows.append("Musée de Kelderby £,2024-03-13,500,9")  # beyond the first 64 KiB
    path = tmp_path / "excel.csv"
    path.write_bytes(("Page,Date,Followers,Talking about\r\n" + "\r\n".join(rows))
                     .encode("cp1252"))
    importer, preview = run(store, [path])
    assert preview.ready, preview.files[0].problem
    assert preview.files[0].container == "CSV (Windows-1252)"
    importer.commit()
    assert any(p.name == "Musée de Kelderby £" for p in store.pages())


def test_line_numbers_count_every_line_of_the_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "metric.csv"
    lines = ["sep=,", '"Views"', '"Date","Primary"', '"2025-08-01T00:00:00","5"',
             '"2025-08-02T00:00:00","x"']
    path.write_text("\r".join(lines) + "\r")  # old Macintosh line ends, too
    _, preview = run(store, [path], page="P")
    assert [skip.line for skip in preview.files[0].skips] == [5]
    many = [f'"{date(2020, 1, 1) + timedelta(days=n)}T00:00:00","5"' for n in range(3000)]
    path.write_text("\n".join([*lines[:3], *many, "bad\x00line"]))  # a NUL beyond 64 KiB
    _, preview = run(store, [path], page="P")
    assert "line 3004" in preview.files[0].problem


def test_ambiguous_numeric_dates_are_asked_about_never_guessed(store: Store,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("Date,Followers\n01/03/2024,200\n02/03/2024,201\n")
    _, preview = run(store, [path], page="P")
    assert not preview.ready and preview.needs == {"dates"}
    assert "day/month/year (UK)" in str(preview.questions[0])
    assert preview.files[0].format == "generic" and preview.files[0].problem is None
    importer, preview = run(store, [path], page="P", dates=Order.MONTH_FIRST)
    importer.commit()
    assert [r[0][:10] for r in readings(store, "imported-p")] == ["2024-01-03", "2024-02-03"]


def test_own_series_export_round_trips(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "series.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(SERIES_COLUMNS)
        writer.writerow(["123", "Kelderby Council", "2026-11-01", "24816", "", "1012", "40.8"])
        writer.writerow(["456", "Visit Kelderby", "2026-11-01", "15209", "", "524", "34.5"])
    importer, preview = run(store, [path])
    assert preview.files[0].format == "own"
    assert {p.page_id for p in preview.pages} == {"123", "456"}
    importer.commit()
    assert readings(store, "456")[0][1:4] == (15209, None, 524)


# The preview and commit contract ------------------------------------------------------------

def test_reimporting_the_same_files_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("Date,Followers,Talking about\n2026-11-01,200,3\n2026-11-02,201,4\n")
    commit(store, [path], page="P")
    before = readings(store, "imported-p")
    _, again = run(store, [path], page="P")
    assert again.changes == 0 and again.pages[0].readings_unchanged == 2
    commit(store, [path], page="P")
    assert readings(store, "imported-p") == before


def test_synced_readings_win_unless_the_officer_chooses_the_file(store: Store,
                                                                 tmp_path: Path) -> None:
    store.upsert_pages([page("9", "Synced Page")])
    store.add_readings([reading("9", utc(2026, 11, 2, 9), 500, 20)])
    path = tmp_path / "sheet.csv"
    path.write_text("Date,Followers,Talking about\n2026-11-01,480,3\n2026-11-02,490,4\n")
    _, preview = run(store, [path], page="Synced Page")
    (plan,) = preview.pages
    assert (plan.readings_new, plan.readings_synced_kept) == (1, 1)
    commit(store, [path], page="9")
    assert [(r[1], r[4]) for r in readings(store, "9")] == [(480, "import"), (500, "graph")]
    commit(store, [path], page="9", replace_synced=True)
    assert [(r[1], r[4]) for r in readings(store, "9")] == [(480, "import"), (490, "import")]


def test_bad_rows_are_reported_with_their_line_and_skipped(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    future = (TODAY + timedelta(days=3)).strftime("%d/%m/%Y")
    path.write_text("Date,Followers,Talking about\n"
                    "13/03/2024,200,3\n"            # 2: fine
                    "14/03/2024,-5,3\n"             # 3: negative
                    "15/03/2024,=HYPERLINK(\"x\"),3\n"  # 4: a formula is data, never run
                    "13/03/2024,201,3\n"            # 5: the same date again
                    f"{future},300,3\n"             # 6: in the future
                    "31/02/2024,200,3\n"            # 7: no such day
                    "16/03/2024,99999999999,3\n")   # 8: absurd
    importer, preview = run(store, [path], page="P")
    report = preview.files[0]
    reasons = {skip.line: skip.reason for skip in report.skips}
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert "negative" in reasons[3] and "formula" in reasons[4]
    assert "first on line 2" in reasons[5] and "future" in reasons[6]
    assert "not a real date" in reasons[7] and "larger" in reasons[8]
    assert preview.ready and preview.changes == 1
    importer.commit()
    assert len(readings(store, "imported-p")) == 1


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"\x00\x01\x02\x03binary\x00\xff" * 50, "not a text or spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
    (b"PK\x03\x04 not really a zip", "cannot be opened as a workbook"),
    (b"Name,Colour\nfox,red\n", "not a format"),
    (codecs.BOM_UTF16_LE + 'sep=,\r\n"Views"\r\n"Date","Primary"\r\n"2025-0'.encode(
        "utf-16-le")[:-1], "not valid UTF-16"),
    (b'Date,Followers\n2024-03-13,"200\n', "malformed"),
])
def test_files_that_cannot_be_read_block_the_import_and_write_nothing(
        store: Store, tmp_path: Path, content: bytes, message: str) -> None:
    good = tmp_path / "good.csv"
    good.write_text("Date,Followers\n2024-03-13,200\n")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    importer, preview = run(store, [good, bad], page="P")
    assert not preview.ready
    assert message in preview.files[1].problem
    assert "bad.csv" in preview.files[1].problem
    with pytest.raises(ImportBlockedError):
        importer.commit()
    assert store.pages() == []


def test_a_page_must_be_chosen_for_files_that_name_none(store: Store, tmp_path: Path) -> None:
    path = mbs_metric(tmp_path / "Views.csv", "Views", {date(2025, 8, 1): 5})
    _, preview = run(store, [path])
    assert not preview.ready and preview.needs == {"page"}
    assert "which Page" in str(preview.questions[0])


# The fallback measure -----------------------------------------------------------------------

def test_without_talking_about_the_traffic_light_uses_interactions_and_says_so(
        store: Store, tmp_path: Path) -> None:
    today = uk_day(utc_now())
    week = days(today - timedelta(days=7), 7)  # Meta's files end with yesterday
    path = mbs_metric(tmp_path / "Interactions.csv", "Content interactions",
                      {d: 30 for d in [*week, today]})  # today's count is not finished
    importer = Importer(store, [path], ImportOptions(page="Museum", followers=2000))
    assert importer.preview().ready
    importer.commit()
    (row,) = traffic_light.build(store).rows
    assert row.assessment.measure == INTERACTIONS
    assert row.assessment.per_1000 == pytest.approx(210 / 2000 * 1000)
    assert row.status is Status.GREEN
    assert "uses interactions instead" in row.assessment.reason


# Fuzzing --------------------------------------------------------------------------------------

VALID = [
    codecs.BOM_UTF16_LE + 'sep=,\r\n"Views"\r\n"Date","Primary"\r\n"2025-08-01T00:00:00","5"\r\n'
    .encode("utf-16-le"),
    b"Date,Followers,Talking about\n13/03/2024,200,3\n14/03/2024,201,4\n",
    b"Date,Lifetime Total Likes,Daily New Likes\n,desc,desc\n2019-03-01,1000,5\n",
    b'Post ID,Page ID,Page name,Publish time,"Reactions, Comments and Shares"\n'
    b"1,5,P,08/01/2025 09:30,12\n",
]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_and_mutated_files_only_ever_give_the_importers_own_errors(
        tmp_path: Path, data) -> None:
    base = data.draw(st.sampled_from([*VALID, b""]))
    if base and data.draw(st.booleans()):
        content = bytearray(base)
        for _ in range(data.draw(st.integers(1, 8))):
            position = data.draw(st.integers(0, len(content) - 1))
            action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
            if action == "flip":
                content[position] = data.draw(st.integers(0, 255))
            elif action == "cut":
                del content[position:]
                if not content:
                    break
            else:
                content[position:position] = data.draw(st.binary(min_size=1, max_size=8))
    else:
        content = data.draw(st.binary(max_size=400))
    path = tmp_path / "fuzz.csv"
    path.write_bytes(bytes(content))
    with open_store(tmp_path / f"fuzz-{data.draw(st.integers(0, 10**9))}.sqlite") as store:
        importer = Importer(store, [path], ImportOptions(page="P", followers=100),
                            today=TODAY)
        preview = importer.preview()  # never raises: problems are in the preview
        preview.as_json()
        if preview.ready and preview.changes:
            importer.commit()


def test_a_large_file_is_streamed(tmp_path: Path, store: Store) -> None:
    # 40,000 rows through the whole path; the 550,000-row figures are in the benchmark
    buffer = io.StringIO()
    buffer.write("Page,Date,Followers,Talking about\n")
    for n in range(40_000):
        buffer.write(f"Page {n % 40},{date(2021, 1, 1) + timedelta(days=n // 40)},"
                     f"{1000 + n},{n % 50}\n")
    path = tmp_path / "big.csv"
    path.write_text(buffer.getvalue())
    importer, preview = run(store, [path])
    assert preview.ready and preview.files[0].rows_used == 40_000
    importer.commit()
    assert store.conn.execute("SELECT count(*) FROM readings").fetchone()[0] == 40_000


def test_the_demo_traffic_light_is_rebuilt_from_files_alone(tmp_path: Path) -> None:
    """Done when: the demo's traffic light can be rebuilt on an empty database from exported
    files: one series file in this program's export layout for every demo Page."""
    from engage_desktop.core.demo import write_demo

    today = uk_day(utc_now())
    source = open_store(tmp_path / "demo.sqlite")
    write_demo(source)
    path = tmp_path / "series.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(SERIES_COLUMNS)
        for demo_page in source.pages():
            for point in source.daily_series(demo_page.id, today - timedelta(days=800), today):
                writer.writerow([demo_page.id, demo_page.name, point.day.isoformat(),
                                 point.followers, point.fans, point.talking_about, ""])
    expected = {row.page.id: row for row in traffic_light.build(source).rows}
    source.close()
    with open_store(tmp_path / "rebuilt.sqlite") as rebuilt:
        importer = Importer(rebuilt, [path], ImportOptions())
        assert importer.preview().ready
        importer.commit()
        rows = {row.page.id: row for row in traffic_light.build(rebuilt).rows}
    assert set(rows) == set(expected)
    for page_id, row in rows.items():
        was = expected[page_id]
        assert row.status is was.status, row.page.name
        assert row.assessment.per_1000 == was.assessment.per_1000
        assert (row.trend and row.trend.arrow) == (was.trend and was.trend.arrow)


def test_commit_respects_what_changed_since_the_preview(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("Date,Followers,Talking about\n2026-11-01,480,3\n2026-11-02,490,4\n")
    store.upsert_pages([page("9", "Synced Page")])
    importer, preview = run(store, [path], page="9")
    assert preview.pages[0].readings_new == 2
    # a sync lands between the preview and the import: its reading wins
    store.add_readings([reading("9", utc(2026, 11, 2, 9), 500, 20)])
    done = importer.commit()
    assert (done.pages[0].readings_new, done.pages[0].readings_synced_kept) == (1, 1)
    assert [(r[1], r[4]) for r in readings(store, "9")] == [(480, "import"), (500, "graph")]
    with pytest.raises(ImportBlockedError, match="imported already"):
        importer.commit()


def test_a_later_preview_on_the_same_database_stops_an_earlier_import(
        store: Store, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text("Date,Followers\n2026-11-01,480\n")
    second = tmp_path / "second.csv"
    second.write_text("Date,Followers\n2026-11-01,999\n")
    early, _ = run(store, [first], page="P")
    late, _ = run(store, [second], page="Q")
    with pytest.raises(ImportBlockedError, match="previewed"):
        early.commit()
    late.commit()
    assert [p.name for p in store.pages()] == ["Q"]


def test_two_pages_whose_names_differ_only_in_punctuation_stay_two(
        store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("Page,Date,Followers\nSt. John's,2025-01-01,100\nSt John's,2025-01-01,555\n"
                    "日本,2025-01-01,7\n")
    commit(store, [path])
    assert sorted((p.id, p.name) for p in store.pages()) == [
        ("imported-st-john-s", "St John's"), ("imported-st-john-s-2", "St. John's"),
        ("imported-日本", "日本")]
    other = tmp_path / "other.csv"
    other.write_text("Date,Followers\n2025-01-02,101\n")
    commit(store, [other], page="imported-st-john-s-2")  # chosen by its ID, as the window does
    assert len(readings(store, "imported-st-john-s-2")) == 2


def test_overlapping_post_exports_count_each_post_once(store: Store, tmp_path: Path) -> None:
    header = 'Post ID,Page ID,Page name,Publish time,"Reactions, Comments and Shares"\n'
    one = tmp_path / "july.csv"
    one.write_text(header + "1,5,P,08/01/2025 09:30,10\n2,5,P,08/01/2025 12:00,5\n"
                            "2,5,P,08/01/2025 12:00,5\n")
    two = tmp_path / "august.csv"
    two.write_text(header + "2,5,P,08/01/2025 12:00,5\n3,5,P,08/02/2025 10:00,7\n")
    importer, preview = run(store, [one, two], followers=100)
    assert [skip.line for skip in preview.files[0].skips] == [4]
    importer.commit()
    assert [v.value for v in store.insights("5", "post_interactions")] == [15, 7]
    assert [v.value for v in store.insights("5", "posts_published")] == [2, 1]


def test_counts_must_be_whole_plain_numbers(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text('Date,Followers\n2024-03-13,102.7\n2024-03-14,1_000\n2024-03-15,"1,234"\n'
                    "2024-03-16,1.234\n")
    _, preview = run(store, [path], page="P")
    reasons = {skip.line: skip.reason for skip in preview.files[0].skips}
    assert "not a whole number" in reasons[2] and "not a number" in reasons[3]
    assert "not a whole number" in reasons[5]  # a European "1.234" is not guessed at
    assert preview.files[0].rows_used == 1


def test_a_duplicate_day_in_another_file_names_that_file(store: Store, tmp_path: Path) -> None:
    one = tmp_path / "one.csv"
    one.write_text("Date,Followers\n2024-03-13,100\n")
    two = tmp_path / "two.csv"
    two.write_text("Date,Followers\n2024-03-13,100\n")
    _, preview = run(store, [one, two], page="P")
    assert "first on one.csv, line 2" in preview.files[1].skips[0].reason


def test_importing_a_pages_files_follows_it_again(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("Date,Followers,Talking about\n2026-11-01,200,3\n")
    commit(store, [path], page="Archives")
    store.set_followed(["imported-archives"], False)  # "Stop following"
    path.write_text("Date,Followers,Talking about\n2026-11-02,201,3\n")
    commit(store, [path], page="Archives")
    assert store.page("imported-archives").followed
