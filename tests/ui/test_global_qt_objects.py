"""The application's own Qt objects (its screens, its style) are reached through the static
QGuiApplication / QApplication calls only, never through a widget's method.

PySide makes the object a widget's method returns a child of that widget's Python wrapper.
For a QScreen this was fatal: when a dialog's wrapper was collected, the application's only
screen was deleted with it, and the next QIcon made (or anything else asking the screen its
pixel ratio) crashed the interpreter (exit 139), one run in three of the export-dialog tests.
A hardware watchpoint on the screen showed the wrapper's deallocation calling ~QScreen from the
garbage collector. This guards the rule in the window's code and its test helpers."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# a widget's screen, window handle's screen, or style, asked of an instance
FORBIDDEN = re.compile(r"\b(?!QApplication\b|QGuiApplication\b)\w+(\(\))?\.(screen|style)\(\)")


def test_no_widget_method_hands_out_a_global_qt_object() -> None:
    offenders = []
    for folder in (ROOT / "engage_desktop" / "ui", ROOT / "tests" / "ui"):
        for path in sorted(folder.rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if FORBIDDEN.search(code):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], ("use QGuiApplication.screenAt()/primaryScreen() or "
                             "QApplication.style():\n" + "\n".join(offenders))
