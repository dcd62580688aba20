"""The Export dialog's preview: the chart or the briefing drawn as it will be saved (the same
painting, at a smaller resolution), or in words what a CSV file holds or why nothing can be
exported. It is drawn again shortly after a change (``schedule``), once typing or spinning
pauses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QSizePolicy

from engage_desktop.core.errors import EngageError
from engage_desktop.ui import briefing, plain, rendering
from engage_desktop.ui.export_dialog.choices import ExportChoices
from engage_desktop.ui.export_dialog.contents import NO_SELECTION, ExportContents, error_text

PREVIEW_DELAY_MS = 250  # the preview is drawn again once typing or spinning pauses
PREVIEW_BOX = (440, 300)  # the largest the preview is shown, in pixels
PREVIEW_STYLE = "QLabel {{ background: {background}; padding: 12px; }}"


class ExportPreview:
    """The preview ``label`` of what ``choices`` chooses from ``contents``, and the ``timer``
    that draws it again after a change (its owner connects it to a call of ``render``)."""

    def __init__(self, contents: ExportContents, choices: ExportChoices) -> None:
        self.contents = contents
        self.choices = choices
        self._rendering = False
        self.label = plain.label()
        self.label.setAccessibleName("Preview")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setMinimumSize(*PREVIEW_BOX)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.label.setFrameShape(QFrame.Shape.StyledPanel)
        # the dialog connects the timer to its own method, which calls render: the dialog is
        # then referenced while the preview is drawn (drawing lets events through, and Python's
        # garbage collector, run by a timer, would otherwise delete a closed dialog under it)
        self.timer = QTimer(self.label)
        self.timer.setSingleShot(True)

    def schedule(self) -> None:
        """Draw again once changes pause."""
        self.timer.start(PREVIEW_DELAY_MS)

    def render(self) -> None:
        """Draw the preview: the chart or the briefing as it will be saved, or what the CSV
        file holds."""
        if self._rendering:  # drawing lets events through: a change then draws again
            self.schedule()
            return
        self.timer.stop()
        chosen = self.choices.chosen()
        if chosen.what == "briefing":
            self._render_briefing()
            return
        if chosen.what != "chart":
            self._show_text(self.contents.describe_data(chosen.what))
            return
        try:
            content = self.contents.chart(chosen)
            output = chosen.output()
        except EngageError as exc:
            self._show_text(error_text(exc) if self.contents.page_ids else NO_SELECTION + ".")
            return
        box_width = max(self.label.width() - 26, 200)
        box_height = max(self.label.height() - 26, 120)
        scale = min(box_width / output.width, box_height / output.height)
        ratio = self.label.devicePixelRatioF()
        small = dataclasses.replace(output, width=max(round(output.width * scale * ratio), 1),
                                    height=max(round(output.height * scale * ratio), 1))
        image = self._rendered(lambda: rendering.chart_image(content, small))
        if image is None:
            return
        self._show_image(
            image, ratio, f"The chart “{content.heading}”, {output.width} × {output.height} "
            "pixels.")

    def _render_briefing(self) -> None:
        try:
            content = self.contents.briefing_as(self.choices.chosen())
        except EngageError as exc:
            self._show_text(error_text(exc))
            return
        page = briefing.PAGE
        box_width = max(self.label.width() - 26, 120)
        box_height = max(self.label.height() - 26, 170)
        ratio = self.label.devicePixelRatioF()
        scale = min(box_width / page.width(), box_height / page.height()) * ratio
        image = self._rendered(lambda: briefing.briefing_image(content, scale))
        if image is None:
            return
        pages = (self.contents.pages_named() if self.contents.page_ids
                 else "every followed Page")
        count = briefing.page_count(content)
        sheets = "one A4 page" if count == 1 else f"{count} A4 pages (the first shown)"
        self._show_image(
            image, ratio, f"The briefing “{content.title}”, {sheets} on {pages}.")

    def _rendered(self, render: Callable[[], QImage]) -> QImage | None:
        """The preview ``render`` draws, or None with what went wrong shown in its place."""
        self._rendering = True
        try:
            return render()
        except EngageError as exc:
            self._show_text(error_text(exc))
            return None
        finally:
            self._rendering = False

    def _show_image(self, image: QImage, ratio: float, description: str) -> None:
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        # the white page on grey, so that its edges show as the file's
        self.label.setStyleSheet(PREVIEW_STYLE.format(background="palette(mid)"))
        self.label.setPixmap(pixmap)
        self.label.setAccessibleDescription(description)

    def _show_text(self, text: str) -> None:
        self.label.setPixmap(QPixmap())
        self.label.setStyleSheet(PREVIEW_STYLE.format(background="palette(base)"))
        self.label.setText(text)
        self.label.setAccessibleDescription(text)
