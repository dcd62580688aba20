"""Hostile Page names, notes and titles: shown and drawn as the text they are, never as markup,
and written to CSV so that a spreadsheet runs none of it and our own importer reads it back."""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage_desktop.core import traffic_light
from engage_desktop.core.demo import write_demo
from engage_desktop.core.exporting import data
from engage_desktop.core.importing import Importer, ImportOptions
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.core.wording import short
from engage_desktop.ui.plain import one_line
from tests.factories import page, reading, utc

FORMULAS = ["=HYPERLINK(\"http://x.test\",\"Click\")", "+1+1", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1", "'=already quoted", "''+twice"]
HOSTILE = [
    "<b>Bold</b> <img src=\"{png}\">",
    "<script>alert(1)</script>&amp;&lt;",
    "Kelderby \u202eecivreS htuoY\u202c Page",
    "Nul\x00Page \x07bell \x1b[31mred\x1b[0m",
    "Long " * 2000,
    "👩‍👩‍👧 Family 🏳️‍🌈 Hub",
    "Line one\nLine two",
    *FORMULAS,
]


def without_controls(text: str) -> str:
    """``text`` as a CSV export keeps it: control characters gone, tabs and line breaks kept."""
    return "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n\r")


def imported(name: str) -> str:
    """The name the importer reads back: trimmed, except for a leading tab or carriage return,
    which the formula guard's apostrophe keeps."""
    text = without_controls(name)
    return text.rstrip() if text.startswith(("\t", "\r")) else text.strip()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def _hostile_store(path: Path, names: list[str]) -> Store:
    """A store with one Page and a reading per hostile name."""
    store = open_store(path)
    store.upsert_pages([page(str(100 + n), name) for n, name in enumerate(names)])
    store.add_readings([reading(str(100 + n), utc(2026, 11, 1, 9), 1000 + n, 30)
                         for n in range(len(names))])
    return store


def rename(store: Store, page_id: str, name: str) -> None:
    """Give a Page a name as Meta or an imported file could."""
    with store.transaction():
        store.conn.execute("UPDATE pages SET name = ? WHERE id = ?", [name, page_id])


def _imported_names(csv_path: Path, db: Path) -> dict[str, str]:
    with open_store(db) as store:
        importer = Importer(store, [csv_path], ImportOptions())
        preview = importer.preview()
        assert preview.ready, preview
        assert preview.files[0].skipped == 0
        importer.commit()
        return {p.id: p.name for p in store.pages()}


@pytest.mark.parametrize("text", [*FORMULAS, "=", "-", "\t", "\r"])
def test_formula_starters_are_guarded_and_the_guard_comes_off_again(text: str) -> None:
    guarded = data.safe_text(text)
    assert guarded == "'" + text
    assert data.unsafe_text(guarded) == text


@given(st.text(max_size=12))
def test_the_guard_is_undone_exactly_for_any_text(text: str) -> None:
    guarded = data.safe_text(text)
    assert guarded == text or guarded == "'" + text
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert data.unsafe_text(guarded) == text


def test_hostile_names_round_trip_through_the_series_file(tmp_path: Path) -> None:
    names = [name.format(png="/tmp/x.png") for name in HOSTILE]
    with _hostile_store(tmp_path / "a.sqlite", names) as store:
        path = data.write_series(store, [p.id for p in store.pages()], utc(2026, 10, 1).date(),
                                 utc(2026, 11, 2).date(), tmp_path / "series.csv")
    rows = _rows(path)
    assert "\x00" not in path.read_text(encoding="utf-8-sig")
    written = {row["page_id"]: row["page_name"] for row in rows}
    for n, name in enumerate(names):
        cell = written[str(100 + n)]
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert data.unsafe_text(cell) == without_controls(name)
    again = _imported_names(path, tmp_path / "b.sqlite")
    assert again == {str(100 + n): imported(name) for n, name in enumerate(names)}


@settings(max_examples=30)  # two databases and an import each
@given(st.lists(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30)
                .filter(imported),
                min_size=1, max_size=4))
def test_any_names_come_back_from_the_series_file(tmp_path_factory, names: list[str]) -> None:
    folder = tmp_path_factory.mktemp("names")
    with _hostile_store(folder / "a.sqlite", names) as store:
        path = data.write_series(store, [p.id for p in store.pages()], utc(2026, 10, 1).date(),
                                 utc(2026, 11, 2).date(), folder / "series.csv")
    again = _imported_names(path, folder / "b.sqlite")
    assert again == {str(100 + n): imported(name) for n, name in enumerate(names)}


def test_status_file_guards_text_and_leaves_negative_numbers_as_numbers(tmp_path: Path) -> None:
    with open_store(tmp_path / "demo.sqlite") as store:
        write_demo(store)
        ids = [p.id for p in store.pages()]
        for pid, name in zip(ids, FORMULAS, strict=False):
            rename(store, pid, name)
        light = traffic_light.build(store)
        rows = _rows(data.write_status(light, tmp_path / "status.csv"))
    by_id = {row["page_id"]: row for row in rows}
    for pid, name in zip(ids, FORMULAS, strict=False):
        assert by_id[pid]["page_name"] == "'" + name
    trends = [row["trend_28d"] for row in rows if row["trend_28d"]]
    assert any(trend.startswith("-") for trend in trends)  # a falling Page, as a number
    assert all(float(trend) == float(trend) for trend in trends)


def test_the_command_line_series_export_re_imports_a_hostile_name(tmp_path: Path,
                                                                  run_cli) -> None:
    db = tmp_path / "d.sqlite"
    assert run_cli("demo", "--db", str(db), "--pages", "3", "--days", "30").returncode == 0
    name = "=cmd|' /C calc'!A0\x00<b>x</b>\u202e\x1b"
    with open_store(db) as store:
        pid = store.pages()[0].id
        rename(store, pid, name)
    out = tmp_path / "series.csv"
    result = run_cli("export", "data", "--what", "series", "--page", pid, "--out", str(out),
                     "--db", str(db))
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again.sqlite"
    result = run_cli("import", str(out), "--db", str(again))
    assert result.returncode == 0, result.stderr
    result = run_cli("pages", "--json", "--db", str(again))
    assert {p["page_id"]: p["name"] for p in json.loads(result.stdout)} == \
        {pid: "=cmd|' /C calc'!A0<b>x</b>\u202e"}
    today = uk_day(utc_now())
    with open_store(db) as before, open_store(again) as after:
        first = today - timedelta(days=40)
        assert [(p.day, p.followers, p.talking_about)
                for p in after.daily_series(pid, first, today)] == \
            [(p.day, p.followers, p.talking_about) for p in before.daily_series(pid, first, today)]


# The window and the exports ---------------------------------------------------------------

SHOWN = [  # hostile names that every text in the window and in the exports must show as written
    "<b>Bold</b> <img src=\"{png}\">",
    "<script>alert(1)</script>&amp;&lt;",
    "=HYPERLINK(\"http://x.test\",\"Click\")",
]
NOTE = "<i>Storm</i> <img src=\"{png}\"> &amp; flood"
PAGE_DESCRIPTION = "<u>Runs</u> on Fridays <img src=\"{png}\">"
# a word of each hostile name, and the text around it a label must show as written
FRAGMENTS = {"Bold": "<b>Bold</b> <img src=", "alert(1)": "<script>alert(1)</script>&amp;&lt;",
             "HYPERLINK": "=HYPERLINK(\"http"}
EARLIEST = uk_day(utc_now()) - timedelta(days=400)  # the days the tests chart
LATEST = uk_day(utc_now())


@pytest.fixture
def local_png(tmp_path: Path) -> Path:
    """A real picture on this computer, which a name in HTML could pull in."""
    from PySide6.QtGui import QColor, QImage

    from engage_desktop.ui import app as ui_app

    ui_app.application()
    path = tmp_path / "local.png"
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("#ff00ff"))
    assert image.save(str(path))
    return path


@pytest.fixture
def hostile_db(tmp_path: Path, local_png: Path) -> tuple[Path, dict[str, str]]:
    """Demo data whose first Pages have hostile names, one of them hostile notes, a hostile
    note on the charts and a sync whose error names the Page."""
    from engage_desktop.core.models import SyncError

    path = tmp_path / "hostile.sqlite"
    names = [name.format(png=local_png) for name in HOSTILE]
    with open_store(path) as store:
        write_demo(store)
        ids = [p.id for p in store.pages(followed_only=True)]
        chosen = dict(zip(ids, names, strict=False))
        for pid, name in chosen.items():
            rename(store, pid, name)
        first = ids[0]
        store.set_page_description(first, PAGE_DESCRIPTION.format(png=local_png))
        today = uk_day(utc_now())
        store.add_note(today - timedelta(days=20), NOTE.format(png=local_png), first)
        run = store.start_sync_run("v26.0")
        store.finish_sync_run(run, "partial", pages_ok=1, pages_failed=1,
                              message=f"Could not read {names[0]}",
                              errors_=[SyncError(first, "permission", f"<b>Meta</b> says no "
                                                 f"to {names[1]}", 10, None)])
    return path, chosen


def rendered(text: str) -> str:
    """What Qt shows for a label's or tooltip's text left to guess its format."""
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtGui import QTextDocument

    if not GuiQt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_shows(label) -> str:
    """What a QLabel shows, as its text format makes of its text."""
    from PySide6.QtCore import Qt

    text = label.text()
    if label.textFormat() == Qt.TextFormat.PlainText:
        return text
    if label.textFormat() == Qt.TextFormat.RichText:
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return rendered(text)


def assert_labels_show_names_as_written(widget) -> int:
    """Every label of ``widget`` mentioning a hostile name shows it as written (and no
    picture); returns how many labels did."""
    from PySide6.QtWidgets import QLabel

    checked = 0
    for label in widget.findChildren(QLabel):
        written = [text for marker, text in FRAGMENTS.items() if marker in label.text()]
        if not written:
            continue
        shown = label_shows(label)
        assert "\ufffc" not in shown, shown  # an embedded object: a picture
        for text in written:
            assert text in shown, (label.accessibleName(), shown)
        checked += 1
    return checked


def test_the_window_shows_hostile_names_notes_and_messages_as_written(
        qtbot, hostile_db, tmp_path: Path) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtWidgets import QLabel

    from engage_desktop.ui.charts import PageSeries
    from engage_desktop.ui.note_dialog import NoteDialog
    from engage_desktop.ui.page_actions import PageDescriptionDialog, forget_question
    from engage_desktop.ui.sync_log import SyncLogDialog
    from engage_desktop.ui.traffic_model import PAGE, PAGE_ID_ROLE
    from tests.ui.window_helpers import shown_window

    db, chosen = hostile_db
    window = shown_window(qtbot, db, tmp_path)
    try:
        model = window.model
        rows = {model.index(r, 0).data(PAGE_ID_ROLE): r for r in range(model.rowCount())}
        for pid, name in chosen.items():
            cell = model.index(rows[pid], PAGE)
            # the cell is drawn as plain text (a sync's error is said in the Status column)
            assert cell.data() == name
            tip = rendered(cell.data(Qt.ItemDataRole.ToolTipRole))
            assert f"{name}: " in tip.split("\n\n")[-1] and "\ufffc" not in tip, tip[:200]
        first = next(iter(chosen))
        notes_tip = rendered(model.index(rows[first], PAGE).data(Qt.ItemDataRole.ToolTipRole))
        assert f"Description: {window.store.page(first).description}" in notes_tip

        # the chart of one Page: its title, the note's label, the readout under the pointer
        # select_row: the one Page whatever keys an earlier test left held (selectRow adds)
        window.select_row(window.proxy.mapFromSource(model.index(rows[first], 0)).row())
        window.load_charts()
        qtbot.waitUntil(lambda: window.charts.series and window.charts.series[0].page_id == first)
        charts = window.charts
        plot = charts.plots[0]
        name = chosen[first]
        title = plot.titleLabel.item.toPlainText()  # as written; cut to fit the plot
        assert title == name or (title.endswith("…") and name.startswith(title[:-1])), title
        assert plot.titleLabel.itemRect().width() <= plot.vb.width()
        note = next(n for n in window.store.notes(EARLIEST, LATEST)
                    if n.text.startswith("<i>"))
        listed = [charts.notes_list.item(row).text()
                  for row in range(charts.notes_list.count())]
        assert any(line.endswith(f"{note.day:%b %Y}: {one_line(note.text)}")
                   for line in listed), listed
        charts._moved((plot.vb.sceneBoundingRect().center(),))
        assert charts.hover.textFormat() == Qt.TextFormat.PlainText
        charts._hover_day = note.day  # the day last pointed at, as the menu key uses it
        menu = charts.note_menu(QPointF(-1e6, -1e6))
        edits = [a.text().replace("&&", "&") for a in menu.actions() if "Edit note" in a.text()]
        assert edits and edits[0].endswith(f"{note.text[:31]}…")

        # several Pages compared: the legend (rich text on purpose, escaped) and the readout
        compared = [PageSeries(pid, chosen[pid], window.store.daily_series(
            pid, EARLIEST, LATEST)) for pid in list(chosen)[:3]]
        charts.show_pages(compared, [], window.store.thresholds(), EARLIEST, LATEST)
        legend = label_shows(charts.legend)
        for series in compared:
            assert short(series.name) in legend.replace("\xa0", " ")
        assert "\ufffc" not in legend
        day = compared[0].points[-1].day
        assert f"{short(compared[0].name)}: " in charts._describe(day)
        assert assert_labels_show_names_as_written(window) >= 1

        # the Page's description, the note dialog, the sync log and the questions asked
        page = window.store.page(first)
        dialog = PageDescriptionDialog(page, window.store, window)
        title_label = next(lb for lb in dialog.findChildren(QLabel) if "Description of" in
                           lb.text())
        assert title_label.textFormat() == Qt.TextFormat.PlainText
        assert name.replace("&", "&&") in title_label.text()
        assert dialog.windowTitle() == f"Description of {name}"
        assert dialog.text.toPlainText() == page.description
        dialog.close()
        editing = NoteDialog(window.store, note.day, [(first, name)], note, parent=window)
        assert editing.pages.itemText(1) == name and editing.text.text() == note.text
        assert editing.hint.textFormat() == Qt.TextFormat.PlainText
        editing.close()
        log = SyncLogDialog(window.store, window)
        details = log.details.toPlainText()
        assert f"{name}: <b>Meta</b> says no to {list(chosen.values())[1]}" in details
        message = log.model.index(0, 5)
        assert rendered(message.data(Qt.ItemDataRole.ToolTipRole)) == f"Could not read {name}"
        log.close()
        box = forget_question(window, page)
        assert box.textFormat() == Qt.TextFormat.PlainText and name in box.text()
        from engage_desktop.core.errors import EngageError
        from engage_desktop.ui.errors_shown import error_box

        error = error_box(window, "Sync failed", EngageError(f"{name} failed", f"Fix {name}"))
        assert error.textFormat() == Qt.TextFormat.PlainText
        assert assert_labels_show_names_as_written(error) == 2  # the message and the hint
    finally:
        window.close()
        window.store.close()



def _svg_text(path: Path) -> tuple[str, str]:
    """The SVG parsed as XML (it must be well formed): its title, and its drawn text."""
    from xml.etree import ElementTree

    svg = "{http://www.w3.org/2000/svg}"
    root = ElementTree.parse(path).getroot()
    return (root.findtext(f"{svg}title") or "",
            " ".join("".join(node.itertext()) for node in root.iter(f"{svg}text")))


def _pdf_text(path: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.slow
def test_every_export_draws_hostile_names_and_titles_as_text(tmp_path: Path, hostile_db,
                                                             local_png: Path, run_cli) -> None:
    import base64

    db, chosen = hostile_db
    ids = list(chosen)
    picture = base64.b64encode(local_png.read_bytes())[:40].decode()
    title = f"<b>Our</b> title <img src=\"{local_png}\"> &amp; more"
    shown = [(pid, name) for pid, name in chosen.items()
             if name in [n.format(png=local_png) for n in SHOWN]]
    outputs = {}
    charts = (("one", [shown[0][0]], []), ("compared", [*ids[:5], shown[2][0]], []),
              ("titled", ids[:2], ["--title", title]))
    for fmt in ("svg", "pdf", "png"):
        for which, pages, extra in charts if fmt != "png" else charts[2:]:
            out = tmp_path / f"{which}.{fmt}"
            result = run_cli("export", "chart", "--db", str(db), "--page", *pages, "--out",
                             str(out), "--range", "12m", *extra)
            assert result.returncode == 0, result.stderr
            outputs[which, fmt] = out
    for fmt in ("pdf", "png"):
        out = tmp_path / f"briefing.{fmt}"
        result = run_cli("export", "briefing", "--db", str(db), "--out", str(out), "--title",
                         title)
        assert result.returncode == 0, result.stderr
        outputs["briefing", fmt] = out

    for (which, fmt), out in outputs.items():
        data_bytes = out.read_bytes()
        assert picture.encode() not in data_bytes, (which, fmt)
        if fmt == "svg":
            assert b"<image" not in data_bytes, which
            heading, text = _svg_text(out)
            assert heading.startswith(title if which == "titled" else
                                      "People talking" if which == "compared" else
                                      f"{shown[0][1]}: ")
        elif fmt == "pdf":
            text = _pdf_text(out)
        else:
            continue
        if which == "one":
            assert shown[0][1][:60] in text, (fmt, text)
        elif which == "titled":  # a long title is set smaller, then cut with an ellipsis
            assert title[:60] in text, (fmt, text[:300])
        elif which == "compared":
            for _, name in shown:
                assert short(name)[:60] in text, (fmt, name)
        else:  # the briefing: its title wrapped over lines
            assert "".join(title.split()) in "".join(text.split())
            assert shown[1][1] in text


def test_the_import_and_export_dialogs_show_hostile_names_as_written(
        qtbot, hostile_db, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from engage_desktop.ui.export_dialog import ExportDialog
    from engage_desktop.ui.import_dialog import ImportDialog
    from engage_desktop.ui.main_window import settings_for

    db, chosen = hostile_db
    first, name = next(iter(chosen.items()))
    with open_store(db) as store:
        series = data.write_series(store, list(chosen)[:3], EARLIEST, LATEST,
                                   tmp_path / "series.csv")
        exporting = ExportDialog(store, [first], EARLIEST, LATEST,
                                 settings_for(tmp_path / "settings.ini"))
        qtbot.addWidget(exporting)
        exporting.show()
        qtbot.waitUntil(lambda: exporting.content is not None)
        tip = rendered(exporting.title.toolTip())
        assert tip.startswith(f"Empty: “{name}: is anyone talking?") and "\ufffc" not in tip
        assert exporting.title.placeholderText() == f"{name}: is anyone talking?"
        assert exporting.preview.textFormat() == Qt.TextFormat.PlainText
        assert_labels_show_names_as_written(exporting)  # any label naming the Page
        exporting.close()

    with open_store(tmp_path / "fresh.sqlite") as fresh:
        importing = ImportDialog(fresh, [series])
        qtbot.addWidget(importing)
        importing.show()
        qtbot.waitUntil(lambda: importing.preview is not None and importing.preview.ready)
        overview = importing.overview.toPlainText()
        for pid in list(chosen)[:3]:
            assert imported(chosen[pid]) in overview
        assert "\ufffc" not in overview
        assert importing.summary.textFormat() == Qt.TextFormat.PlainText
        assert_labels_show_names_as_written(importing)
        importing.close()
