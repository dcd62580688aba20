"""Colours for the light and dark schemes: status colours, chart colours, and the contrast
check that keeps them readable (WCAG 2.2: text 4.5:1, graphics 3:1)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from engage_desktop.core.engagement import Status


@dataclass(frozen=True)
class Theme:
    dark: bool
    background: str
    text: str
    grid: str
    status: dict[Status, str]
    bands: dict[Status, str]  # translucent fills behind the ratio chart
    followers: str
    talking: str
    ratio: str
    note: str
    series: tuple[str, ...]  # compared Pages, distinguishable by colour-blind readers
    muted: str = "#5f6368"  # secondary text: subtitles, sources


LIGHT = Theme(
    dark=False, background="#ffffff", text="#1f1f1f", grid="#d0d0d0",
    status={Status.RED: "#b3261e", Status.AMBER: "#8a5300", Status.GREEN: "#1b6e20",
            Status.NO_DATA: "#5f6368"},
    bands={Status.RED: "#fbe3e1", Status.AMBER: "#fdf0d5", Status.GREEN: "#e2f3e3"},
    followers="#1a5fb4", talking="#a51d2d", ratio="#1f1f1f", note="#6b4fa0",
    # Okabe-Ito (safe for colour-blind readers) darkened where needed for 3:1 on white and on
    # every band, one blue only, then a violet and a grey; each line also has its own dash
    # pattern and marker (charts.series_look), which tell the lines apart when printed in grey
    series=("#0072b2", "#d55e00", "#007a5e", "#b8457f", "#8a6d00", "#1f1f1f", "#6a3d9a",
            "#767676"),
)
DARK = Theme(
    dark=True, background="#1e1e1e", text="#f0f0f0", grid="#4a4a4a",
    status={Status.RED: "#ff8a80", Status.AMBER: "#ffc266", Status.GREEN: "#7bd88f",
            Status.NO_DATA: "#b0b0b0"},
    bands={Status.RED: "#4a2523", Status.AMBER: "#4a3a1c", Status.GREEN: "#22402a"},
    followers="#8cb8ff", talking="#ff9b9b", ratio="#f0f0f0", note="#c9a7ff",
    series=("#56b4e9", "#e69f00", "#2ecc9a", "#f08cc6", "#f0e442", "#f0f0f0", "#b9a0e8",
            "#a8a8a8"),
    muted="#b8b8b8",
)
EXPORT = LIGHT  # exports are on white whatever the window's scheme (briefings, print)


def current() -> Theme:
    """The theme for the operating system's colour scheme."""
    app = QGuiApplication.instance()
    if app is not None and QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        return DARK
    return LIGHT


# Link colours, 4.5:1 or more on the window's and the base's backgrounds of each scheme
LINK = {False: "#0b57d0", True: "#8ab4f8"}


def palette(theme: Theme) -> QPalette:
    """A Fusion palette for the theme."""
    result = QPalette()
    base = QColor(theme.background)
    window = QColor("#f3f3f3") if not theme.dark else QColor("#2a2a2a")
    text = QColor(theme.text)
    for role, colour in ((QPalette.ColorRole.Window, window),
                         (QPalette.ColorRole.Base, base),
                         (QPalette.ColorRole.AlternateBase,
                          QColor("#f7f7f7") if not theme.dark else QColor("#262626")),
                         (QPalette.ColorRole.WindowText, text),
                         (QPalette.ColorRole.Text, text),
                         (QPalette.ColorRole.ButtonText, text),
                         (QPalette.ColorRole.Button, window),
                         (QPalette.ColorRole.ToolTipBase, base),
                         (QPalette.ColorRole.ToolTipText, text),
                         (QPalette.ColorRole.Highlight,
                          QColor("#1a5fb4") if not theme.dark else QColor("#3d7bd9")),
                         (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
                         # links (Connect's help): Qt's default blue is unreadable on dark
                         (QPalette.ColorRole.Link, QColor(LINK[theme.dark])),
                         (QPalette.ColorRole.LinkVisited, QColor(LINK[theme.dark])),
                         (QPalette.ColorRole.PlaceholderText,
                          QColor("#5f6368") if not theme.dark else QColor("#a0a0a0"))):
        result.setColor(role, colour)
    # Disabled controls look disabled (still readable: WCAG exempts inactive controls, but
    # these stay above 3:1)
    disabled = QColor("#8a8a8a") if not theme.dark else QColor("#8c8c8c")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return result


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours."""
    def luminance(colour: str) -> float:
        c = QColor(colour)
        channels = []
        for value in (c.redF(), c.greenF(), c.blueF()):
            channels.append(value / 12.92 if value <= 0.03928 else
                            ((value + 0.055) / 1.055) ** 2.4)
        red, green, blue = channels
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
