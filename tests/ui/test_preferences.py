"""The window's preferences registry (engage_desktop.ui.preferences): every QSettings key
declared once with the name officers' saved settings already use, each value written to a real
INI file and read back the same, and hand-edited values that cannot be read giving the
default."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QByteArray, QDate, QSettings

from engage_desktop.ui import preferences
from engage_desktop.ui.preferences import Preference

UI = Path(preferences.__file__).resolve().parent
_FILES = itertools.count()


def test_every_preference_is_declared_once_with_its_old_key() -> None:
    declared = [v for v in vars(preferences).values() if isinstance(v, Preference)]
    assert {id(p) for p in declared} == {id(p) for p in preferences.ALL}
    keys = [p.key for p in preferences.ALL]
    assert len(keys) == len(set(keys))
    # the keys saved by earlier versions: renaming one would lose what officers chose
    assert set(keys) == {
        "window/geometry", "window/splitter", "charts/range", "charts/from", "charts/to",
        "charts/average", "table/hidden", "sync/on_open", "import/folder", "publish/folder",
        "export/folder", "export/what", "export/preset", "export/width", "export/height",
        "export/format", "export/briefing-format", "export/average-chart",
        "export/average-briefing"}
    assert all(p.description.strip() for p in preferences.ALL)


def test_no_other_module_spells_a_preference_key() -> None:
    keys = {p.key for p in preferences.ALL}
    found = [f"{path.relative_to(UI)}:{node.lineno} {node.value}"
             for path in sorted(UI.rglob("*.py")) if path.name != "preferences.py"
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and node.value in keys]
    assert found == []


def _ini(tmp_path: Path, text: str = "") -> QSettings:
    path = tmp_path / f"settings-{next(_FILES)}.ini"
    path.write_text(text, encoding="utf-8")
    return QSettings(str(path), QSettings.Format.IniFormat)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=30)
_DAY = st.dates().map(lambda day: QDate(day.year, day.month, day.day))
_VALUES = {
    "window/geometry": st.binary(min_size=1, max_size=40).map(QByteArray),
    "window/splitter": st.binary(min_size=1, max_size=40).map(QByteArray),
    "charts/range": st.integers(0, 5),
    "charts/from": _DAY,
    "charts/to": _DAY,
    "charts/average": st.booleans(),
    "table/hidden": st.sets(st.integers(0, 20), max_size=6),
    "sync/on_open": st.booleans(),
    "import/folder": _TEXT,
    "publish/folder": _TEXT,
    "export/folder": _TEXT,
    "export/what": st.sampled_from(["chart", "briefing", "traffic_light", "series"]),
    "export/preset": st.sampled_from(["slide", "document", "custom"]),
    "export/width": st.integers(200, 8000),
    "export/height": st.integers(200, 8000),
    "export/format": st.sampled_from(["png", "svg", "pdf"]),
    "export/briefing-format": st.sampled_from(["pdf", "png", "docx"]),
    "export/average-chart": st.booleans(),
    "export/average-briefing": st.booleans(),
}


def test_every_preference_has_values_to_try() -> None:
    assert set(_VALUES) == {p.key for p in preferences.ALL}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_value_saved_is_read_back_the_same_from_the_file(tmp_path: Path,
                                                           data: st.DataObject) -> None:
    preference = data.draw(st.sampled_from(preferences.ALL))
    value = data.draw(_VALUES[preference.key])
    written = _ini(tmp_path)
    preference.set(written, value)
    written.sync()
    assert written.status() == QSettings.Status.NoError
    assert preference.get(QSettings(written.fileName(), QSettings.Format.IniFormat)) == value


def test_nothing_saved_gives_the_defaults(tmp_path: Path) -> None:
    empty = _ini(tmp_path)
    assert {p.key: p.get(empty) for p in preferences.ALL} == {
        p.key: p.default for p in preferences.ALL}
    assert preferences.RANGE.default == 2 and preferences.BRIEFING_AVERAGE.default is True
    assert preferences.FROM.default == QDate.currentDate().addMonths(-6)


def test_hand_edited_values_that_cannot_be_read_give_the_defaults(tmp_path: Path) -> None:
    edited = _ini(tmp_path, "[charts]\nrange=lots\nfrom=yesterday\nto=@Invalid()\n"
                            "average=perhaps\n[window]\ngeometry=big\nsplitter=half\n"
                            "[table]\nhidden=a, b, 3\n[sync]\non_open=sometimes\n"
                            "[export]\nwidth=wide\nheight=-\naverage-briefing=maybe\n"
                            "what=\nfolder=\n")
    assert preferences.RANGE.get(edited) == 2
    assert preferences.FROM.get(edited) == QDate.currentDate().addMonths(-6)
    assert preferences.TO.get(edited) == QDate.currentDate()
    assert preferences.STEADY_LINE.get(edited) is False
    assert preferences.GEOMETRY.get(edited) is None
    assert preferences.SPLITTER.get(edited) is None
    assert preferences.HIDDEN_COLUMNS.get(edited) == {3}  # the words are left out
    assert preferences.SYNC_ON_OPEN.get(edited) is False
    assert preferences.EXPORT_WIDTH.get(edited) == 1600
    assert preferences.EXPORT_HEIGHT.get(edited) == 900
    assert preferences.BRIEFING_AVERAGE.get(edited) is True
    assert preferences.EXPORT_WHAT.get(edited) == "chart"
    assert preferences.EXPORT_FOLDER.get(edited) == ""


def test_yes_and_no_as_an_ini_file_writes_them(tmp_path: Path) -> None:
    edited = _ini(tmp_path, "[sync]\non_open=true\n[charts]\naverage=1\n"
                            "[export]\naverage-briefing=false\naverage-chart=0\n")
    assert preferences.SYNC_ON_OPEN.get(edited) is True
    assert preferences.STEADY_LINE.get(edited) is True
    assert preferences.BRIEFING_AVERAGE.get(edited) is False
    assert preferences.CHART_AVERAGE.get(edited) is False
