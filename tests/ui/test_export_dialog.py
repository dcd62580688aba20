"""The Export action and dialog: charts of the selected Pages as PNG, SVG and PDF at a preset
or custom size with the officer's own title, the one-page briefing as PDF and PNG, the data as
CSV, remembered choices, errors shown in the dialog, and what is offered with no Page
selected."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QImage, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolBar,
)

from engage_desktop.core import traffic_light
from engage_desktop.core.demo import write_demo
from engage_desktop.core.exporting import data
from engage_desktop.core.store import open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import briefing, rendering
from engage_desktop.ui.export_dialog import EVERY_PAGE, ExportDialog
from engage_desktop.ui.main_window import settings_for
from engage_desktop.ui.traffic_model import PAGE

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))
TODAY = uk_day(utc_now())
FIRST = TODAY - timedelta(days=364)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export-dialog") / "demo.sqlite"
    with open_store(path) as store:
        write_demo(store)
    return path


@pytest.fixture
def store(demo_path: Path):
    with open_store(demo_path) as opened:
        yield opened


@pytest.fixture
def settings(tmp_path: Path):
    return settings_for(tmp_path / "settings.ini")


@pytest.fixture
def window(open_window, store, settings):
    return open_window(store, (1400, 800), settings=settings)


def _ids(store, *names: str) -> list[str]:
    by_name = {page.name: page.id for page in store.pages()}
    return [by_name[name] for name in names]


def _dialog(qtbot, store, settings, names=("Kelderby Libraries",)) -> ExportDialog:
    ui_app.application()
    dialog = ExportDialog(store, _ids(store, *names), FIRST, TODAY, settings)
    qtbot.addWidget(dialog)
    return dialog


def _choose(combo: QComboBox, key: str) -> None:
    index = combo.findData(key)
    assert index >= 0, key
    combo.setCurrentIndex(index)


def _save_to(dialog: ExportDialog, folder: Path) -> list[Path]:
    """Answer the file chooser with the suggested name in ``folder``; the paths it was
    offered."""
    offered: list[Path] = []

    def ask(suggested: Path) -> Path:
        offered.append(suggested)
        return folder / suggested.name

    dialog.ask_path = ask
    return offered


def _screenshot(widget, name: str) -> QImage:
    image = widget.grab().toImage()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(str(ARTIFACTS / f"{name}.png"))
    return image


def test_ctrl_e_exports_a_png_of_the_selected_page_at_the_preset_size(
        qtbot, window, tmp_path) -> None:
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    toolbar = window.findChild(QToolBar, "main-toolbar")
    actions = toolbar.actions()
    assert actions.index(window.export_action) == actions.index(window.import_action) + 1
    names = [window.proxy.index(r, PAGE).data() for r in range(window.proxy.rowCount())]
    # (not selectRow, which adds to the selection while Qt still thinks an earlier key
    # click's Ctrl is held)
    flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
             | QItemSelectionModel.SelectionFlag.Rows)
    window.table.selectionModel().select(
        window.proxy.index(names.index("Kelderby Libraries"), PAGE), flags)
    seen: list[ExportDialog] = []

    def run(dialog: ExportDialog) -> int:
        seen.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.current_what() == "chart"  # the first time: a chart
        assert dialog.preset.currentData() == "slide" and dialog.current_format() == "png"
        assert dialog.title.placeholderText() == "Kelderby Libraries: is anyone talking?"
        qtbot.waitUntil(lambda: not dialog.preview.pixmap().isNull())
        offered = _save_to(dialog, tmp_path)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert offered[0].name == f"Kelderby Libraries talking {TODAY.isoformat()}.png"
        assert dialog.status.text() == f"Saved {tmp_path / offered[0].name}"
        assert dialog.status.isVisible() and not dialog.note.isVisible()
        _screenshot(dialog, "export-dialog")
        dialog.reject()
        return dialog.result()

    window.run_export_dialog = run
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window
    qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1
    dialog = seen[0]
    assert dialog.page_ids == _ids(window.store, "Kelderby Libraries")
    assert (dialog.first, dialog.last) == window.date_range()
    [path] = dialog.saved
    image = QImage(str(path))
    slide = rendering.PRESETS["slide"]
    assert (image.width(), image.height()) == (slide.width, slide.height)
    assert window.settings.value("export/folder") == str(tmp_path)


def test_the_preview_is_the_chart_and_follows_the_size(qtbot, store, settings) -> None:
    dialog = _dialog(qtbot, store, settings)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.render_preview()
    slide = dialog.preview.pixmap()
    assert not slide.isNull()
    assert slide.width() / slide.height() == pytest.approx(1920 / 1080, rel=0.02)
    _choose(dialog.preset, "square")
    assert dialog.preview_timer.isActive()  # debounced, not drawn at once
    qtbot.waitUntil(lambda: not dialog.preview_timer.isActive())
    square = dialog.preview.pixmap()
    assert square.width() == pytest.approx(square.height(), abs=2)
    assert "Kelderby Libraries: is anyone talking?" in dialog.preview.accessibleDescription()


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_svg_and_pdf_write_files(qtbot, store, settings, tmp_path, fmt: str) -> None:
    dialog = _dialog(qtbot, store, settings)
    _choose(dialog.format, fmt)
    offered = _save_to(dialog, tmp_path)
    path = dialog.save()
    assert path == tmp_path / f"Kelderby Libraries talking {TODAY.isoformat()}.{fmt}"
    assert offered[0].suffix == f".{fmt}"
    if fmt == "pdf":
        assert path.read_bytes().startswith(b"%PDF")
    else:
        assert ET.parse(path).getroot().tag.endswith("svg")


def test_a_custom_size(qtbot, store, settings, tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings)
    assert not dialog.width_box.isEnabled()
    assert (dialog.width_box.value(), dialog.height_box.value()) == (1920, 1080)  # the slide's
    _choose(dialog.preset, "custom")
    assert dialog.width_box.isEnabled() and dialog.height_box.isEnabled()
    dialog.width_box.setValue(1200)
    dialog.height_box.setValue(800)
    _choose(dialog.preset, "square")
    assert (dialog.width_box.value(), dialog.height_box.value()) == (1080, 1080)
    _choose(dialog.preset, "custom")  # the custom size is kept while a preset is chosen
    assert (dialog.width_box.value(), dialog.height_box.value()) == (1200, 800)
    _save_to(dialog, tmp_path)
    image = QImage(str(dialog.save()))
    assert (image.width(), image.height()) == (1200, 800)


def test_a_custom_size_that_cannot_be_drawn_is_explained(qtbot, store, settings,
                                                         tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings)
    _choose(dialog.preset, "custom")
    dialog.width_box.setValue(4000)
    dialog.height_box.setValue(200)
    dialog.render_preview()
    assert dialog.preview.text().startswith("Cannot export:")
    assert "too narrow or too flat" in dialog.preview.text()
    _save_to(dialog, tmp_path)
    assert dialog.save() is None
    assert dialog.status.text().startswith("Cannot export:")
    assert "Keep the width between" in dialog.status.text()  # the hint
    assert list(tmp_path.glob("*.png")) == []


def test_the_title_override_is_in_the_svg(qtbot, store, settings, tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings)
    _choose(dialog.format, "svg")
    qtbot.keyClicks(dialog.title, "Libraries: summer reading worked")
    _save_to(dialog, tmp_path)
    root = ET.parse(dialog.save()).getroot()
    texts = " ".join("".join(element.itertext()) for element in root.iter()
                     if element.tag.endswith("text"))
    assert "Libraries: summer reading worked" in texts
    assert "is anyone talking?" not in texts


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_the_data_exports_write_csv_with_the_documented_header(qtbot, store, settings,
                                                               tmp_path) -> None:
    names = ("Kelderby Libraries", "Visit Kelderby")
    dialog = _dialog(qtbot, store, settings, names)
    _choose(dialog.what, "status")
    assert not dialog.chart_options.isEnabled()
    dialog.render_preview()
    assert "page_id, page_name, status" in dialog.preview.text()
    offered = _save_to(dialog, tmp_path)
    status = dialog.save()
    assert offered[-1].name == f"traffic light {TODAY.isoformat()}.csv"
    rows = _csv(status)
    assert tuple(rows[0]) == data.STATUS_COLUMNS and len(rows) == 13  # every Page

    _choose(dialog.what, "series")
    series = dialog.save()
    assert offered[-1].name == f"series {TODAY.isoformat()}.csv"
    rows = _csv(series)
    assert tuple(rows[0]) == data.SERIES_COLUMNS
    assert {row[1] for row in rows[1:]} == set(names)
    assert dialog.saved == [status, series]


def test_several_pages_are_named_by_their_number(qtbot, store, settings) -> None:
    names = ("Kelderby Borough Council", "Kelderby Libraries", "Kelderby Youth Service",
             "Visit Kelderby", "Kelderby Elections")
    dialog = _dialog(qtbot, store, settings, names)
    assert dialog.suggested_name() == f"5 Pages talking {TODAY.isoformat()}.png"


def test_choices_are_remembered_in_a_new_dialog(qtbot, store, settings, tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings)
    _choose(dialog.format, "pdf")
    _choose(dialog.preset, "custom")
    dialog.width_box.setValue(1000)
    dialog.height_box.setValue(700)
    _save_to(dialog, tmp_path)
    assert dialog.save() is not None
    dialog.reject()
    again = _dialog(qtbot, store, settings)
    assert again.format.currentData() == "pdf"
    assert again.preset.currentData() == "custom"
    assert (again.width_box.value(), again.height_box.value()) == (1000, 700)
    assert again.folder() == tmp_path
    # what to export is remembered too, when closed without saving
    _choose(again.what, "series")
    again.reject()
    assert _dialog(qtbot, store, settings).current_what() == "series"


def test_an_error_is_shown_in_the_dialog(qtbot, store, settings, tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.render_preview()
    dialog.ask_path = lambda suggested: tmp_path / "no such folder" / suggested.name
    assert dialog.save() is None
    text = dialog.status.text()
    assert text.startswith("Cannot export: The folder ") and "does not exist" in text
    assert "Choose a folder that exists" in text  # the hint
    assert "Traceback" not in text and dialog.status.isVisible()
    assert dialog.saved == []
    _screenshot(dialog, "export-dialog-error")


def test_a_name_without_its_ending_gets_one_and_replaces_nothing(qtbot, store, settings,
                                                                 tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings)
    earlier = tmp_path / "briefing.png"
    earlier.write_text("an earlier chart")
    dialog.ask_path = lambda suggested: tmp_path / "briefing"
    assert dialog.save() is None  # briefing.png was never offered for replacing
    assert "already exists" in dialog.status.text()
    assert earlier.read_text() == "an earlier chart"
    # the file dialog asked about this one: it is replaced
    dialog.ask_path = lambda suggested: earlier
    assert dialog.save() == earlier
    assert QImage(str(earlier)).width() == 1920


def test_cancelling_the_file_chooser_writes_nothing(qtbot, store, settings, tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings)
    dialog.ask_path = lambda suggested: None
    assert dialog.save() is None
    assert dialog.saved == [] and not dialog.status.isVisibleTo(dialog)


def test_with_no_selection_the_traffic_light_and_briefing_are_offered(
        qtbot, window, store, settings, tmp_path) -> None:
    settings.setValue("export/what", "chart")
    window.table.clearSelection()
    seen: list[ExportDialog] = []

    def run(dialog: ExportDialog) -> int:
        seen.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.render_preview()
        _screenshot(dialog, "export-dialog-no-selection")
        _save_to(dialog, tmp_path)
        dialog.save()
        dialog.reject()
        return dialog.result()

    window.run_export_dialog = run
    assert window.export_current() is True
    dialog = seen[0]
    # with nothing selected, the briefing of every Page (not a CSV file) is offered first
    assert dialog.current_what() == "briefing"
    assert dialog.note.text() == EVERY_PAGE and dialog.note.isVisibleTo(dialog)
    model = dialog.what.model()
    assert isinstance(model, QStandardItemModel)
    enabled = {dialog.what.itemData(i): model.item(i).isEnabled()
               for i in range(dialog.what.count())}
    assert enabled == {"chart": False, "briefing": True, "status": True, "series": False}
    assert [p.name for p in dialog.saved] == [f"briefing {TODAY.isoformat()}.pdf"]
    # the officer's choice of a chart is kept for when a Page is selected
    assert settings.value("export/what") == "chart"


def test_every_input_has_a_name_and_a_label(qtbot, store, settings) -> None:
    dialog = _dialog(qtbot, store, settings)
    dialog.show()
    inputs = [*dialog.findChildren(QComboBox), *dialog.findChildren(QSpinBox),
              *dialog.findChildren(QLineEdit)]
    inputs = [w for w in inputs if not isinstance(w.parent(), QSpinBox | QComboBox)]
    assert len(inputs) == 6
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    for widget in inputs:
        assert widget.accessibleName(), widget
        assert widget in buddies, widget.accessibleName()
    _choose(dialog.what, "briefing")
    assert dialog.format.accessibleName() == "Briefing format"
    assert dialog.title.accessibleName() == "Briefing title"
    assert dialog.chart_options.accessibleName() == "Briefing options"
    for widget in inputs:
        assert widget.accessibleName(), widget
    for button in dialog.findChildren(QAbstractButton):
        if isinstance(button.parent(), QLineEdit):
            continue  # the title's clear button, Qt's own
        assert button.accessibleName() or button.text(), button
    assert dialog.save_button.isDefault()


# The briefing ---------------------------------------------------------------------------------

A4 = 210 / 297
BRIEFING_NAMES = ("Kelderby Libraries", "Visit Kelderby", "Kelderby Youth Service")


def _pdf_title(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    [title] = [line.split(":", 1)[1].strip() for line in info.stdout.splitlines()
               if line.startswith("Title:")]
    return title


def _formats(dialog: ExportDialog) -> list[str]:
    return [dialog.format.itemData(i) for i in range(dialog.format.count())]


def test_the_briefing_is_a_pdf_of_the_selected_pages(qtbot, store, settings,
                                                     tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings, BRIEFING_NAMES)
    _choose(dialog.what, "briefing")
    assert _formats(dialog) == ["pdf", "png"] and dialog.current_format() == "pdf"
    assert dialog.chart_options.isEnabled() and dialog.chart_options.title() == "Briefing"
    assert dialog.format.isEnabled() and dialog.title.isEnabled()
    # always A4 pages: no size to choose
    assert not any(box.isEnabled() for box in (dialog.preset, dialog.width_box,
                                               dialog.height_box))
    assert dialog.preset.currentIndex() == -1  # its placeholder shown instead
    assert dialog.preset.placeholderText() == "A4 pages, portrait"
    assert dialog.width_box.text() == dialog.height_box.text() == "–"
    assert dialog.title.placeholderText() == "Is anyone talking to our Facebook Pages?"
    assert "the 3 selected Pages" in dialog.note.text() and dialog.note.isVisibleTo(dialog)
    assert dialog.save_button.isEnabled()
    offered = _save_to(dialog, tmp_path)
    path = dialog.save()
    assert offered[0].name == f"briefing {TODAY.isoformat()}.pdf"
    assert path == tmp_path / offered[0].name and dialog.saved == [path]
    assert path.read_bytes().startswith(b"%PDF")
    assert dialog.status.text() == f"Saved {path}"
    assert [row.page.name for row in dialog.briefing_for_export().rows] == list(BRIEFING_NAMES)
    if shutil.which("pdfinfo"):
        assert _pdf_title(path) == briefing.DEFAULT_TITLE


def test_the_png_briefing_is_an_a4_page(qtbot, store, settings, tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings, BRIEFING_NAMES)
    _choose(dialog.what, "briefing")
    _choose(dialog.format, "png")
    offered = _save_to(dialog, tmp_path)
    image = QImage(str(dialog.save()))
    assert offered[0].name == f"briefing {TODAY.isoformat()}.png"
    assert image.width() / image.height() == pytest.approx(A4, abs=0.002)
    assert image.width() == round(briefing.PAGE.width() * briefing.PNG_SCALE)
    assert round(image.dotsPerMeterX() * 0.0254) == 192


def test_the_briefing_title_override_is_used(qtbot, store, settings, tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings, BRIEFING_NAMES)
    _choose(dialog.what, "briefing")
    qtbot.keyClicks(dialog.title, "Libraries: summer reading worked")
    assert dialog.briefing_for_export().title == "Libraries: summer reading worked"
    _save_to(dialog, tmp_path)
    path = dialog.save()
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):  # the PDF's title is the briefing's
        assert _pdf_title(path) == "Libraries: summer reading worked"
    dialog.title.clear()
    assert dialog.briefing_for_export().title == briefing.DEFAULT_TITLE


def test_the_briefing_preview_is_the_page(qtbot, store, settings) -> None:
    dialog = _dialog(qtbot, store, settings, BRIEFING_NAMES)
    dialog.show()
    qtbot.waitExposed(dialog)
    _choose(dialog.what, "briefing")
    qtbot.keyClicks(dialog.title, "Kelderby: who is talking to us?")
    dialog.render_preview()
    pixmap = dialog.preview.pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() / pixmap.height() == pytest.approx(A4, rel=0.02)
    shown = pixmap.deviceIndependentSize()
    assert shown.height() <= dialog.preview.height() and shown.width() <= dialog.preview.width()
    description = dialog.preview.accessibleDescription()
    assert "“Kelderby: who is talking to us?”" in description and "A4" in description
    page = pixmap.toImage()
    assert page.pixelColor(2, 2).name() == "#ffffff"  # the page is white, on grey
    _screenshot(dialog, "export-dialog-briefing")


def test_with_no_selection_the_briefing_covers_every_page(qtbot, store, settings,
                                                          tmp_path) -> None:
    dialog = _dialog(qtbot, store, settings, names=())
    assert dialog.current_what() == "briefing"  # the default with nothing selected
    model = dialog.what.model()
    assert isinstance(model, QStandardItemModel)
    assert model.item(dialog.what.findData("status")).isEnabled()
    qtbot.keyClick(dialog.what, Qt.Key.Key_Down)  # the officer can choose the CSV instead
    assert dialog.current_what() == "status"
    qtbot.keyClick(dialog.what, Qt.Key.Key_Up)
    assert dialog.current_what() == "briefing"
    assert dialog.note.text() == EVERY_PAGE and dialog.note.isVisibleTo(dialog)
    assert dialog.save_button.isEnabled() and dialog.format.isEnabled()
    dialog.render_preview()
    assert not dialog.preview.pixmap().isNull()
    assert "every followed Page" in dialog.preview.accessibleDescription()
    _save_to(dialog, tmp_path)
    path = dialog.save()
    assert path is not None and path.read_bytes().startswith(b"%PDF")
    every = [row.page.id for row in traffic_light.build(store).rows]
    assert [row.page.id for row in dialog.briefing_for_export().rows] == every
    dialog.reject()
    # chosen, the briefing is offered again first even with no selection
    assert _dialog(qtbot, store, settings, names=()).current_what() == "briefing"


def test_the_chart_and_briefing_formats_are_remembered_apart(qtbot, store, settings) -> None:
    dialog = _dialog(qtbot, store, settings)
    _choose(dialog.format, "svg")
    _choose(dialog.preset, "custom")
    dialog.width_box.setValue(1000)
    dialog.height_box.setValue(700)
    _choose(dialog.what, "briefing")
    assert dialog.current_format() == "pdf"  # no SVG briefing
    _choose(dialog.format, "png")
    _choose(dialog.what, "chart")
    assert _formats(dialog) == ["png", "svg", "pdf"] and dialog.current_format() == "svg"
    assert dialog.format.accessibleName() == "Chart format"
    # the chart's size is kept while the briefing's is shown
    assert dialog.preset.currentData() == "custom" and dialog.width_box.isEnabled()
    assert (dialog.width_box.value(), dialog.height_box.value()) == (1000, 700)
    _choose(dialog.what, "briefing")
    dialog.reject()
    again = _dialog(qtbot, store, settings)
    assert again.current_what() == "briefing" and again.current_format() == "png"
    _choose(again.what, "chart")
    assert again.current_format() == "svg" and again.preset.currentData() == "custom"
    assert (again.width_box.value(), again.height_box.value()) == (1000, 700)
