"""How the window shows a failure: the one place an error becomes words on the screen.

An :class:`~engage_desktop.core.errors.EngageError` is shown as what is wrong and what to do
(its message and hint, in the window's words); any other exception is a bug, shown as
"something unexpected went wrong" with its details to copy for IT. Nothing shown can hold a
token: every text is redacted. :func:`error_words` is the text (for a status bar or a label),
:func:`show_error` the message box, and the default failure handler of background operations.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from engage_desktop import APP_NAME
from engage_desktop.core.errors import EngageError
from engage_desktop.core.redaction import redact
from engage_desktop.ui.words import error_text, in_window

DETAILS_LENGTH = 500  # characters of an unexpected error's own text kept in its details


def error_words(error: BaseException, before: str = "") -> str:
    """``error`` on one line: for an EngageError what is wrong and what to do, in the
    window's words; for anything else that something unexpected went wrong, and its kind.
    ``before`` (such as "Could not publish:") starts the line."""
    if isinstance(error, EngageError):
        return redact(error_text(error, before))
    unexpected = f"something unexpected went wrong ({type(error).__name__})."
    if not before:
        unexpected = unexpected[0].upper() + unexpected[1:]
    return " ".join(part for part in (before, unexpected) if part)


def error_details(error: BaseException) -> str:
    """An unexpected error's kind and text, redacted, to copy for IT."""
    return f"{type(error).__name__}: {redact(str(error))[:DETAILS_LENGTH]}"


def error_box(parent: QWidget | None, title: str, error: BaseException) -> QMessageBox:
    """A failure in a message box: what is wrong, and what to do under it (an unexpected
    error: its details behind "Show Details…", to copy)."""
    if isinstance(error, EngageError):
        text, hint, details = in_window(error.message), in_window(error.hint), ""
    else:
        text = error_words(error)
        hint = "Please try again; if it happens again, copy the details for IT."
        details = error_details(error)
    box = QMessageBox(QMessageBox.Icon.Warning, title, redact(text),
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names and Meta's words as written
    box.setInformativeText(redact(hint))
    if details:
        box.setDetailedText(details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return box


def show_error(parent: QWidget | None, error: BaseException,
               title: str = APP_NAME) -> QMessageBox:
    """Show ``error`` in a message box over ``parent`` (modal to it; this returns at once and
    the box goes when closed): the default failure handler of background operations, and
    how the window shows what stops it."""
    box = error_box(parent, title, error)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
