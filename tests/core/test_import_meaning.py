"""What the importer makes of the files officers really hold (issue 16): classic exports give
talking-about, each file's dates settle their own order, post exports join the Page, Instagram
is kept apart, breakdowns are left out. Every file is written here, in the reference's shapes."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from engage_desktop.core import traffic_light
from engage_desktop.core.engagement import Status
from engage_desktop.core.importing import Importer, ImportOptions, Order
from engage_desktop.core.store import Store, open_store
from tests.core.test_import_formats_more import classic_xls
from tests.export_shapes import (
    classic_rows,
    classic_titles,
    days_from,
    facebook_posts,
    instagram_posts,
    mbs_blocks,
    write_classic,
)
from tests.factories import page

TODAY = date(2026, 11, 26)


def run(store: Store, paths, **options):
    importer = Importer(store, list(paths), ImportOptions(**options), today=TODAY)
    return importer, importer.preview()


def readings(store: Store, page_id: str) -> list[tuple]:
    return store.conn.execute(
        "SELECT substr(taken_at, 1, 10), followers, fans, talking_about FROM readings "
        "WHERE page_id = ? ORDER BY taken_at", [page_id]).fetchall()


def metrics(store: Store, page_id: str) -> set[tuple[str, str]]:
    return set(store.conn.execute("SELECT DISTINCT metric, period FROM insights "
                                  "WHERE page_id = ?", [page_id]).fetchall())


# Classic exports ------------------------------------------------------------------------------

def test_classic_export_of_2000_columns_gives_likes_and_talking_about(store: Store,
                                                                      tmp_path: Path) -> None:
    span = days_from(date(2014, 2, 1), 40)  # US dates: 2/13/2014 settles the order
    path = write_classic(tmp_path / "Facebook Insights Data Export - Kelderby Museum.csv",
                         span, columns=2100, talking=lambda n: 30 + n, likes=lambda n: 800 + n)
    raw = path.read_bytes()
    assert b"\r\n" in raw and "Café".encode("cp1252") in raw
    importer, preview = run(store, [path], page="Kelderby Museum")
    assert preview.ready, (preview.questions, preview.files[0].problem)
    report = preview.files[0]
    assert report.format == "classic" and report.container == "CSV (Windows-1252)"
    assert report.rows_used == 40 and report.skipped == 0
    assert report.date_order == "dates read month-first: 2/13/2014 settles it"
    assert report.mapping["Weekly People Talking About This"] == "talking_about"
    assert report.mapping["Lifetime Total Likes"] == "fans"
    assert report.mapping["Daily People Talking About This"] == "page_storytellers"
    # Page-level columns kept; breakdowns (by city, age, hour, story type) left out
    assert report.breakdowns_left_out == 2100 - 1 - len(report.mapping) + 1
    assert not any(" - " in title or " by " in title for title in report.mapping)
    importer.commit()
    rows = readings(store, "imported-kelderby-museum")
    assert rows[0] == ("2014-02-01", None, 800, 30)
    assert rows[-1] == ("2014-03-12", None, 839, 69)
    kept = metrics(store, "imported-kelderby-museum")
    assert ("page_storytellers", "day") in kept and ("page_storytellers", "days_28") in kept
    assert ("page_engaged_users", "week") in kept
    assert ("classic_daily_total_reach", "day") in kept
    assert not any("city" in metric or "online" in metric for metric, _ in kept)
    # a total's split by how people were reached is a breakdown too; the total is kept
    assert ("classic_weekly_total_impressions", "week") in kept
    assert not any(word in metric for metric, _ in kept for word in ("organic", "paid", "viral"))


def test_talking_about_from_a_classic_export_lights_the_traffic_light(tmp_path: Path) -> None:
    # (today's date: the traffic light reads the latest week)
    from engage_desktop.core.timeutil import uk_day, utc_now

    today = uk_day(utc_now())
    span = days_from(date.fromordinal(today.toordinal() - 20), 20)
    path = write_classic(tmp_path / "classic.csv", span, columns=300, us_dates=False,
                         talking=lambda n: 3, likes=lambda n: 200)
    with open_store(tmp_path / "engage.sqlite") as store:
        importer = Importer(store, [path], ImportOptions(page="Youth Service"))
        assert importer.preview().ready
        importer.commit()
        (row,) = traffic_light.build(store).rows
    assert row.status is Status.RED  # 3 talking about of 200: 15 per 1,000


def test_breakdowns_are_kept_only_when_asked(store: Store, tmp_path: Path) -> None:
    path = write_classic(tmp_path / "classic.csv", days_from(date(2015, 5, 1), 20),
                         columns=400)
    importer, preview = run(store, [path], page="P", keep_breakdowns=True)
    assert preview.files[0].breakdowns_left_out == 0
    importer.commit()
    kept = {metric for metric, _ in metrics(store, "imported-p")}
    assert "classic_daily_liked_and_online_13" in kept
    assert any(metric.startswith("classic_lifetime_likes_by_city") for metric in kept)


def test_classic_api_name_titles_map_the_same(store: Store, tmp_path: Path) -> None:
    """The "Excel" vintages title columns with API names and describe them in row 2."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "page_fans:lifetime", "page_storytellers:week",
                  "page_storytellers:day", "page_engaged_users:days_28",
                  "page_fans_city:lifetime - Kelderby", "page_storytellers_by_story_type:week"])
    sheet.append(["", "Lifetime Total Likes", "Weekly People Talking About This", "Daily",
                  "28 Days Page Engaged Users", "Likes by city", "By story type"])
    for n, day in enumerate(days_from(date(2016, 3, 1), 10)):
        sheet.append([day.isoformat(), 500 + n, 20 + n, 4, 90, 7, 3])
    path = tmp_path / "classic.xlsx"
    book.save(path)
    importer, preview = run(store, [path], page="Old Page")
    report = preview.files[0]
    assert report.format == "classic"
    assert report.mapping == {"Date": "date", "page_fans:lifetime": "fans",
                              "page_storytellers:week": "talking_about",
                              "page_storytellers:day": "page_storytellers",
                              "page_engaged_users:days_28": "page_engaged_users"}
    assert report.breakdowns_left_out == 2
    assert report.date_order.startswith("dates written year-first")
    importer.commit()
    assert readings(store, "imported-old-page")[0] == ("2016-03-01", None, 500, 20)
    assert metrics(store, "imported-old-page") == {("page_storytellers", "day"),
                                                   ("page_engaged_users", "days_28")}


def test_the_excel_export_with_api_names_gives_talking_about(store: Store,
                                                             tmp_path: Path) -> None:
    """The XML Spreadsheet 2003 "Excel" vintage titled with API names, stray characters and
    all (the container is read by tables; the titles are mapped here)."""
    path = classic_xls(tmp_path / "Facebook Insights Data Export - Kelderby.xls",
                       date(2016, 1, 1), 6, api_names=True)
    importer, preview = run(store, [path], page="Kelderby Old Page")
    report = preview.files[0]
    assert report.container == "XML Spreadsheet 2003" and preview.ready
    assert report.mapping["page_storytellers:week"] == "talking_about"
    assert report.mapping["page_fans:lifetime"] == "fans"
    importer.commit()
    rows = readings(store, "imported-kelderby-old-page")
    assert [(r[2], r[3]) for r in rows] == [(1000 + n, 40 + n) for n in range(6)]
    assert metrics(store, "imported-kelderby-old-page") == {("page_fan_adds", "day")}


def test_column_choices_work_for_classic_files(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "classic.csv"
    path.write_text(
        "Date,Lifetime Total Likes,Daily People Talking About This,"
        "Weekly People Talking About This,Daily Total Reach\n"
        ",likes,daily,weekly,reach\n"
        "2019-03-01,1000,5,40,900\n2019-03-02,1005,6,41,950\n", encoding="utf-8")
    importer, preview = run(store, [path], page="P", columns={
        "Daily People Talking About This": "talking_about", "Daily Total Reach": "ignore"})
    report = preview.files[0]
    assert report.mapping["Daily People Talking About This"] == "talking_about"
    # the weekly figure gives way to the officer's choice and stays an Insights value
    assert report.mapping["Weekly People Talking About This"] == (
        "classic_weekly_people_talking_about_this")
    assert "Daily Total Reach" not in report.mapping and report.columns_ignored == 1
    importer.commit()
    assert [r[3] for r in readings(store, "imported-p")] == [5, 6]


def test_lifetime_talking_about_stands_in_only_without_the_weekly_figure(
        store: Store, tmp_path: Path) -> None:
    path = tmp_path / "classic.csv"
    path.write_text(
        "Date,Lifetime Talking About This (Unique Users),Weekly People Talking About This\n"
        ",rare,weekly\n2019-03-01,99,40\n", encoding="utf-8")
    importer, preview = run(store, [path], page="P", followers=100)
    assert preview.files[0].mapping["Weekly People Talking About This"] == "talking_about"
    importer.commit()
    assert ("2019-03-01", None, None, 40) in readings(store, "imported-p")


# Date order per file --------------------------------------------------------------------------

def test_each_file_is_read_in_the_order_its_own_dates_settle(store: Store,
                                                             tmp_path: Path) -> None:
    """A UK spreadsheet that needs --dates dmy, imported together with a US classic export:
    the answer is for the spreadsheet only; the classic file's 1/13/2014 settles its own.
    (Days before the clock change: readings are stored at the start of the UK day.)"""
    classic = write_classic(tmp_path / "classic.csv", days_from(date(2014, 1, 1), 40),
                            columns=200)
    sheet = tmp_path / "uk.csv"
    sheet.write_text("Date,Followers\n01/03/2014,200\n02/03/2014,201\n", encoding="utf-8")
    uk_proven = tmp_path / "uk-proven.csv"
    uk_proven.write_text("Date,Talking about\n12/03/2014,4\n13/03/2014,5\n")
    _, asked = run(store, [classic, sheet], page="P")
    assert asked.needs == {"dates"} and "uk.csv" in asked.questions[0].text
    importer, preview = run(store, [classic, sheet, uk_proven], page="P",
                            dates=Order.DAY_FIRST)
    assert preview.ready and sum(f.skipped for f in preview.files) == 0
    assert [f.date_order for f in preview.files] == [
        "dates read month-first: 1/13/2014 settles it",
        "dates read day-first, as answered: every day is 12 or below, so the file does not "
        "settle it",
        "dates read day-first: 13/03/2014 settles it"]
    assert preview.files[0].first_day == date(2014, 1, 1)
    importer.commit()
    rows = dict((day, (followers, talking)) for day, followers, _, talking
                in readings(store, "imported-p"))
    assert rows["2014-01-13"][1] is not None  # the US file's own day, not 1 Jan 2015
    assert all(day < "2014-03-14" for day in rows)
    assert rows["2014-03-01"][0] == 200 and rows["2014-03-02"][0] == 201
    assert rows["2014-03-13"][1] == 5


def test_a_us_file_with_dates_dmy_loses_no_rows(store: Store, tmp_path: Path) -> None:
    sheet = tmp_path / "us.csv"
    sheet.write_text("Date,Likes\n" + "".join(f"2/{d}/2014,{100 + d}\n" for d in range(1, 29)))
    _, preview = run(store, [sheet], page="P", dates=Order.DAY_FIRST)
    assert preview.files[0].skipped == 0 and preview.files[0].rows_used == 28
    assert preview.files[0].date_order == "dates read month-first: 2/13/2014 settles it"


def test_a_metric_file_resaved_with_local_dates_says_how_they_were_read(
        store: Store, tmp_path: Path) -> None:
    path = tmp_path / "Views.csv"
    text = '"Views"\r\n"Date";"Primary"\r\n' + "".join(
        f'"0{n}.08.2025 00:00";"1{n}"\r\n' for n in range(1, 4))
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    _, preview = run(store, [path], page="Museum", followers=300)
    assert preview.ready and preview.files[0].first_day == date(2025, 8, 1)
    assert preview.files[0].date_order == (
        "dates read day-first, as Excel re-saves Business Suite files in the UK and Europe")


# Dry run = import -----------------------------------------------------------------------------

def test_rows_left_out_stop_the_import_when_not_accepted(store: Store, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Date,Followers\n2024-03-01,200\n2024-03-02,lots\n")
    importer, preview = run(store, [sheet], page="P", skip_bad_rows=False)
    assert preview.skipped == 1 and preview.stopped_by_skips and not preview.ready
    assert preview.as_json()["ready"] is False and preview.as_json()["stopped_by_skips"]
    with pytest.raises(Exception, match="1 rows would be left out"):
        importer.commit()
    assert store.pages() == []
    importer, preview = run(store, [sheet], page="P", skip_bad_rows=True)
    assert preview.ready and preview.skipped == 1
    importer.commit()
    assert len(readings(store, "imported-p")) == 1


# One Page, one history ------------------------------------------------------------------------

def _week_of_follows(tmp_path: Path) -> Path:
    return mbs_blocks(tmp_path / "Follows.csv",
                      [("Facebook follows", dict.fromkeys(days_from(date(2025, 8, 1), 7), 2))])


def _posts(tmp_path: Path, name: str = "Kelderby Museum") -> Path:
    return facebook_posts(tmp_path / "posts.csv", "1234567890", name,
                          [("1234567890_1", "08/01/2025 09:30", 10),
                           ("1234567890_2", "08/02/2025 17:00", 4)])


def test_posts_and_metric_files_with_page_make_one_page(store: Store, tmp_path: Path) -> None:
    importer, preview = run(store, [_week_of_follows(tmp_path), _posts(tmp_path, "KM")],
                            page="Kelderby Museum", followers=3000)
    assert preview.ready
    (plan,) = preview.pages
    # a new Page takes the Facebook Page ID the posts give, and the name given for it
    assert (plan.page_id, plan.name, plan.new) == ("1234567890", "Kelderby Museum", True)
    importer.commit()
    assert [p.id for p in store.pages()] == ["1234567890"]
    assert {m for m, _ in metrics(store, "1234567890")} == {
        "page_daily_follows_unique", "posts_published", "post_interactions"}


def test_posts_join_the_page_imported_before_by_its_name(store: Store, tmp_path: Path) -> None:
    importer, _ = run(store, [_week_of_follows(tmp_path)], page="Kelderby Museum",
                      followers=3000)
    importer.commit()
    importer, preview = run(store, [_posts(tmp_path)], followers=3000)  # no --page: by name
    (plan,) = preview.pages
    assert (plan.page_id, plan.new) == ("imported-kelderby-museum", False)
    importer.commit()
    assert [p.id for p in store.pages()] == ["imported-kelderby-museum"]
    # a later import with --page and a different name on the posts still joins it
    importer, preview = run(store, [_posts(tmp_path, "Kelderby Museum & Gallery")],
                            page="Kelderby Museum")
    assert [(p.page_id, p.new) for p in preview.pages] == [("imported-kelderby-museum", False)]


def test_posts_join_a_synced_page_by_its_id(store: Store, tmp_path: Path) -> None:
    store.upsert_pages([page("1234567890", "Kelderby Museum (official)")])
    _, preview = run(store, [_posts(tmp_path, "Something else")])
    assert [(p.page_id, p.new) for p in preview.pages] == [("1234567890", False)]


def test_a_new_page_only_when_nothing_matches(store: Store, tmp_path: Path) -> None:
    store.upsert_pages([page("42", "Kelderby Libraries")])
    _, preview = run(store, [_posts(tmp_path)])
    assert [(p.page_id, p.name, p.new) for p in preview.pages] == [
        ("1234567890", "Kelderby Museum", True)]


# Instagram kept apart -------------------------------------------------------------------------

@pytest.mark.parametrize(("sep", "sep_line"), [(",", True), ("\t", True), ("\t", False)])
def test_two_block_files_keep_the_facebook_block_only(store: Store, tmp_path: Path,
                                                      sep: str, sep_line: bool) -> None:
    week = days_from(date(2024, 2, 1), 7)
    path = mbs_blocks(tmp_path / "Follows.csv", [
        ("Facebook follows", dict.fromkeys(week, 3)),
        ("Instagram follows", dict.fromkeys(days_from(date(2024, 1, 1), 234), 9))], sep=sep,
        sep_line=sep_line)
    importer, preview = run(store, [path], page="Museum", followers=500,
                            skip_bad_rows=False)  # no --skip-bad-rows needed
    report = preview.files[0]
    assert preview.ready, (preview.questions, report.problem, report.skips[:3])
    assert report.skipped == 0 and report.rows_used == 7
    assert report.notes == ["Instagram block skipped: 234 rows (“Instagram follows”, line "
                            f"{12 if sep_line else 11}; only Facebook Pages are kept)"]
    importer.commit()
    values = store.conn.execute("SELECT count(*), sum(value) FROM insights").fetchone()
    assert values == (7, 21)


def test_an_instagram_block_first_leaves_the_facebook_block_after_it(store: Store,
                                                                    tmp_path: Path) -> None:
    path = mbs_blocks(tmp_path / "Reach.csv", [
        ("Instagram reach", dict.fromkeys(days_from(date(2024, 2, 1), 5), 70)),
        ("Facebook reach", dict.fromkeys(days_from(date(2024, 2, 1), 5), 40))],
        blank_between=False)
    importer, preview = run(store, [path], page="Museum", followers=500, skip_bad_rows=False)
    report = preview.files[0]
    assert preview.ready and report.rows_used == 5
    assert report.mapping == {"Facebook reach": "facebook_reach"}
    assert report.notes[0].startswith("Instagram block skipped: 5 rows (“Instagram reach”")
    importer.commit()
    assert store.conn.execute("SELECT DISTINCT value FROM insights").fetchall() == [(40,)]


def test_a_file_whose_title_names_instagram_is_not_read_as_the_page(store: Store,
                                                                    tmp_path: Path) -> None:
    visits = mbs_blocks(tmp_path / "Visits.csv", [
        ("Instagram profile visits", dict.fromkeys(days_from(date(2025, 3, 1), 30), 12))])
    views = mbs_blocks(tmp_path / "Views.csv", [
        ("Views", dict.fromkeys(days_from(date(2025, 3, 1), 5), 40))])
    importer, preview = run(store, [visits, views], page="Museum", followers=500)
    assert preview.ready
    assert preview.files[0].notes[0].startswith("Instagram block skipped: 30 rows")
    assert preview.files[0].mapping == {} and preview.files[0].rows_used == 0
    # a title that names no platform: said, with the Page it goes to
    assert preview.files[1].notes == [
        "“Views” does not say Facebook or Instagram: read as Facebook data of Museum"]
    importer.commit()
    assert {m for m, _ in metrics(store, "imported-museum")} == {"page_media_view"}


def test_instagram_post_exports_are_refused_in_words(store: Store, tmp_path: Path) -> None:
    path = instagram_posts(tmp_path / "posts.csv", [("C1", "08/01/2025 09:30", 120),
                                                    ("C2", "08/02/2025 10:00", 80)])
    _, preview = run(store, [path], page="Museum")
    report = preview.files[0]
    assert report.format == "instagram_posts" and not preview.ready
    assert "Instagram post export" in report.problem and "Facebook Pages only" in report.problem
    assert store.pages() == []


# Fuzzing ----------------------------------------------------------------------------------------

def _classic_text(titles: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([titles, *rows])
    return buffer.getvalue().encode("cp1252", errors="replace")


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_classic_and_two_block_files_only_give_the_importers_own_answers(
        tmp_path: Path, data) -> None:
    span = days_from(date(2014, 2, 10), data.draw(st.integers(1, 12)))
    titles = classic_titles(data.draw(st.integers(2, 120)))
    shapes = [
        _classic_text(titles, classic_rows(titles, span, us_dates=data.draw(st.booleans()))),
        mbs_blocks(tmp_path / "blocks.csv", [
            ("Facebook follows", dict.fromkeys(span, 2)),
            ("Instagram follows", dict.fromkeys(span, 5))],
            sep=data.draw(st.sampled_from([",", "\t"]))).read_bytes(),
    ]
    content = bytearray(data.draw(st.sampled_from(shapes)))
    for _ in range(data.draw(st.integers(0, 6))):
        position = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            content[position] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del content[max(position, 1):]
        else:
            content[position:position] = data.draw(st.binary(min_size=1, max_size=8))
    path = tmp_path / "fuzz.csv"
    path.write_bytes(bytes(content))
    with open_store(tmp_path / f"fuzz-{data.draw(st.integers(0, 10**9))}.sqlite") as store:
        importer = Importer(store, [path], ImportOptions(
            page="P", followers=100, dates=data.draw(st.sampled_from([None, *Order])),
            skip_bad_rows=data.draw(st.booleans())), today=TODAY)
        preview = importer.preview()  # never raises: problems are in the preview
        preview.as_json()
        if preview.ready and preview.changes:
            importer.commit()
            (talking,) = store.conn.execute(
                "SELECT count(*) FROM insights WHERE metric LIKE '%instagram%'").fetchone()
            assert talking == 0

