"""The Export dialog itself: the choices on the left, the preview on the right, what was saved
under them, and Save, which asks where, writes the export and says in the dialog what was
saved or why it could not be (the dialog stays open, so that the same chart can be saved in
another format).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.engagement import Status
from engage_desktop.core.errors import EngageError
from engage_desktop.core.store import Store
from engage_desktop.ui import briefing, fitting, preferences, rendering
from engage_desktop.ui import theme as themes
from engage_desktop.ui.export_dialog.choices import FORMAT_CHOICES, ExportChoices
from engage_desktop.ui.export_dialog.contents import ExportContents, error_text
from engage_desktop.ui.export_dialog.preview import ExportPreview

FILTERS = {"png": "PNG images (*.png)", "svg": "SVG drawings (*.svg)",
           "pdf": "PDF documents (*.pdf)", "csv": "CSV files (*.csv)"}


class ExportDialog(QDialog):
    """Export a chart of ``page_ids`` from ``first`` to ``last``, or the data as CSV."""

    def __init__(self, store: Store, page_ids: list[str], first: date, last: date,
                 settings: QSettings, parent: QWidget | None = None, *,
                 what: str | None = None) -> None:
        """``what`` opens the dialog on that export (a key of WHATS) instead of the last one
        chosen."""
        super().__init__(parent)
        self.settings = settings
        self.contents = ExportContents(store, page_ids, first, last)
        self.saved: list[Path] = []  # every file written, newest last
        # Where to save: the suggested path in, the chosen path (None: cancelled) out.
        # Tests replace it, so that no file dialog opens.
        self.ask_path: Callable[[Path], Path | None] = self._ask_path

        self.setWindowTitle("Export")
        self.setAccessibleName("Export")
        self.setAccessibleDescription(
            "Save a chart of the selected Pages as PNG, SVG or PDF, a one-page briefing as PDF "
            "or PNG, or the data as CSV.")
        self.choices = ExportChoices(self.contents, settings, what)
        self.previewer = ExportPreview(self.contents, self.choices)
        self._build()
        self.preview_timer.timeout.connect(self.render_preview)
        self.choices.changed.connect(self._changed)
        self.choices.restore()
        self._update()
        self.resize(820, 560)
        self.preview_timer.start(0)  # once the dialog is on screen

    def _build(self) -> None:
        # the form's fields and the preview's label and timer, under the names the dialog has
        # always given them (the window's tests and the screen tests reach them so)
        choices = self.choices
        self.what, self.note, self.chart_options = (choices.what, choices.note,
                                                    choices.chart_options)
        self.format, self.preset, self.title, self.average = (
            choices.format, choices.preset, choices.title, choices.average)
        self.width_box, self.height_box = choices.width_box, choices.height_box
        self.preview, self.preview_timer = self.previewer.label, self.previewer.timer

        preview_box = QGroupBox("Preview")
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.preview)

        body = QHBoxLayout()
        body.addWidget(choices)
        body.addWidget(preview_box, 1)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Export result")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()

        self.save_button = QPushButton("&Save…")
        self.save_button.setAccessibleName("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        fitting.fit_dialog(self)

    # What is chosen and exported ------------------------------------------------------------

    @property
    def page_ids(self) -> list[str]:
        return self.contents.page_ids

    @property
    def first(self) -> date:
        return self.contents.first

    @property
    def last(self) -> date:
        return self.contents.last

    @property
    def content(self) -> rendering.ChartContent | None:
        """The chart of the selected Pages (None: no Page is selected, or it cannot be
        drawn)."""
        return self.contents.content

    def current_what(self) -> str:
        return self.choices.current_what()

    def current_format(self) -> str:
        return self.choices.current_format()

    def output(self) -> rendering.Output:
        """The chosen size (raises ExportError for a custom size that cannot be drawn)."""
        return self.choices.chosen().output()

    def chart_for_export(self) -> rendering.ChartContent:
        return self.contents.chart(self.choices.chosen())

    def briefing_for_export(self) -> briefing.BriefingContent:
        """The briefing of the selected Pages, or of every followed Page with none selected
        (raises ExportError when there is nothing to brief on)."""
        return self.contents.briefing_as(self.choices.chosen())

    def render_preview(self) -> None:
        """Draw the preview now."""
        self.previewer.render()

    def _changed(self) -> None:
        self.status.hide()  # a result said before the change no longer applies
        self.save_button.setEnabled(self.choices.usable())
        self.previewer.schedule()

    def _update(self) -> None:
        """Enable what can be used, and say why the rest cannot."""
        self.choices.update_fields()
        self.save_button.setEnabled(self.choices.usable())

    def remember(self) -> None:
        """Keep the choices for the next export."""
        self.choices.remember()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.current_what() in FORMAT_CHOICES:
            self.previewer.schedule()  # drawn again to fit

    def done(self, result: int) -> None:
        self.preview_timer.stop()
        self.remember()
        super().done(result)

    # Saving ---------------------------------------------------------------------------------

    def suggested_name(self) -> str:
        return self.contents.suggested_name(self.choices.chosen())

    def folder(self) -> Path:
        saved = preferences.EXPORT_FOLDER.get(self.settings)
        if saved and Path(saved).is_dir():
            return Path(saved)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def _ask_path(self, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "Export", str(suggested),
                                              FILTERS[self.current_format()])
        return Path(name) if name else None

    def save(self) -> Path | None:
        """Ask where and write the export there; the saved path, or None."""
        suffix = "." + self.current_format()
        chosen = self.ask_path(self.folder() / self.suggested_name())
        if chosen is None:
            return None
        path = Path(chosen)
        # The file dialog has already asked whether to replace a file of the chosen name, so
        # that file is replaced (force). A path from ask_path is treated the same way, as tests
        # do. A name without the format's ending gets it, and that file was never asked about:
        # it is not replaced.
        force = True
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
            force = False
        preferences.EXPORT_FOLDER.set(self.settings, str(path.parent))
        self.save_button.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = self.contents.write(self.choices.chosen(), path, force)
        except EngageError as exc:
            self._show_status(error_text(exc), error=True)
            return None
        finally:
            QApplication.restoreOverrideCursor()
            self._update()
        self.saved.append(path)
        self.remember()
        more = (f" and {len(written) - 1} more pages beside it ({written[1].name}…)"
                if len(written) > 1 else "")
        self._show_status(f"Saved {path}{more}", error=False)
        return path

    def _show_status(self, text: str, *, error: bool) -> None:
        colour = themes.current().status[Status.RED if error else Status.GREEN]
        self.status.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.status.setText(text)
        self.status.setAccessibleDescription(text)
        self.status.show()
