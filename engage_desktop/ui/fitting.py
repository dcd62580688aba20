"""Windows that fit the officer's screen: a council laptop is often 1366×768 at 125 % (about
1093×614 for Qt), and a window state may have been saved on a bigger monitor since unplugged.

``fit_window`` keeps the main window inside the screen's available area (what the taskbar and
docks leave); ``fit_dialog`` puts a dialog's contents in a scroll area above its buttons and
sizes it to the area, so its buttons are always on screen. Every dialog uses ``fit_dialog``."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

# Room kept for the window manager's title bar and borders, before the window has a frame to
# measure (logical pixels)
FRAME_ALLOWANCE = QSize(16, 40)


def available_area(widget: QWidget | None = None) -> QRect:
    """The available area (without taskbar or docks) of the screen ``widget`` is on, or of the
    primary screen."""
    # QGuiApplication's static screenAt(), never widget.screen(): PySide makes the QScreen
    # that a widget's method returns a child of the widget's wrapper, and when a dialog's
    # wrapper was collected with it, the application's only QScreen was deleted with it
    # (a segfault the next time Qt asked the screen anything: issue 17's crash, found with
    # a hardware watchpoint on the screen)
    screen = (QGuiApplication.screenAt(widget.frameGeometry().center())
              if widget is not None else None)
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _frame_margins(widget: QWidget) -> QSize:
    """How much bigger the window's frame is than its contents: measured once it is shown on a
    window manager, otherwise the allowance."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    if widget.isVisible() and frame.size() != inner.size():
        return frame.size() - inner.size()
    return FRAME_ALLOWANCE


def largest_size(widget: QWidget) -> QSize:
    """The largest contents size that leaves the window's frame inside the available area."""
    area = available_area(widget)
    return area.size() - _frame_margins(widget)


def clamp(widget: QWidget, wanted: QSize | None = None) -> None:
    """Resize ``widget`` (a top-level window) to ``wanted`` (its present size when None), no
    larger than the available area, and move it so that all of its frame is inside."""
    if widget.isMaximized() or widget.isFullScreen():
        return
    area = available_area(widget)
    size = (wanted or widget.size()).boundedTo(largest_size(widget))
    size = size.expandedTo(widget.minimumSize())
    widget.resize(size)
    margins = _frame_margins(widget)
    outer = QRect(widget.frameGeometry().topLeft(), size + margins)
    x = min(max(outer.left(), area.left()), area.right() + 1 - outer.width())
    y = min(max(outer.top(), area.top()), area.bottom() + 1 - outer.height())
    widget.move(QPoint(max(x, area.left()), max(y, area.top())))


def fit_window(window: QWidget, preferred: QSize) -> None:
    """The main window inside the available area: at ``preferred`` size when it was never
    placed (or its saved place could not be read), else where it was, made to fit."""
    clamp(window, window.size() if window.testAttribute(Qt.WidgetAttribute.WA_Resized)
          else preferred)


def fit_dialog(dialog: QWidget) -> QScrollArea:
    """Put everything in ``dialog``'s box layout except its last row (its buttons) into a
    scroll area, and size the dialog to what it asks for within the available area: on a
    small screen its contents scroll and the buttons stay on screen. Returns the scroll area
    (its ``widget()`` holds the contents)."""
    outer = dialog.layout()
    if not isinstance(outer, QBoxLayout) or outer.count() < 2:
        raise ValueError("fit_dialog needs a box layout whose last row is the buttons")
    wanted = dialog.size() if dialog.testAttribute(Qt.WidgetAttribute.WA_Resized) \
        else QSize(0, 0)
    wanted = wanted.expandedTo(dialog.sizeHint())
    body = QWidget()
    body.setObjectName("dialog-body")
    inner = QVBoxLayout(body)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.setSpacing(outer.spacing())
    buttons_row = outer.count() - 1
    for _ in range(buttons_row):
        stretch = outer.stretch(0)
        item = outer.takeAt(0)
        if item.widget() is not None:
            inner.addWidget(item.widget(), stretch, item.alignment())
        elif item.layout() is not None:
            inner.addLayout(item.layout(), stretch)
        else:  # a spacer or stretch
            inner.addItem(item)
            if stretch:
                inner.setStretch(inner.count() - 1, stretch)
    scroll = QScrollArea()
    scroll.setObjectName("dialog-scroll")
    scroll.setAccessibleName(f"{dialog.windowTitle()}: contents")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls inside
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    scroll.setWidget(body)
    outer.insertWidget(0, scroll, 1)
    outer.setSizeConstraint(QLayout.SizeConstraint.SetDefaultConstraint)
    clamp(dialog, wanted)
    return scroll
