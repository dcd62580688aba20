"""The dialogs the window opens: Import (from the menu, the empty window's button or files
dropped on the window), Export and the briefing, Publish for the team, Settings, Connect,
the sync log, Help; and those that stay open beside it, What changed and Alerts (with the
desktop notice of new alerts), read again when the window is.

Each modal dialog is made by the window's ``*_dialog_factory`` (None: the real one, imported
when first opened) and run by its ``run_*_dialog`` (``exec``); tests replace them to drive
the dialog instead."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QSystemTrayIcon

from engage_desktop.ui import preferences
from engage_desktop.ui.main_window import actions

if TYPE_CHECKING:
    from engage_desktop.ui.main_window.shell import MainWindow

IMPORT_FILTERS = ("Exports and spreadsheets (*.csv *.xlsx *.txt);;CSV files (*.csv);;"
                  "Excel workbooks (*.xlsx);;All files (*)")


class WindowDialogs(QObject):
    """Opens ``window``'s dialogs on its store, queue and settings; ``changes_dialog`` and
    ``alerts_dialog`` are those beside the window while they are open."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.changes_dialog: QDialog | None = None  # "What changed", while it is open
        self.alerts_dialog: QDialog | None = None  # "Alerts", while it is open
        self.tray: QSystemTrayIcon | None = None  # made for the first desktop notice

    # Importing -------------------------------------------------------------------------------

    def choose_import_files(self) -> bool:
        settings = self.window.settings
        folder = preferences.IMPORT_FOLDER.get(settings)
        names, _ = QFileDialog.getOpenFileNames(self.window, "Import files", folder,
                                                IMPORT_FILTERS)
        if not names:
            return False
        paths = [Path(name) for name in names]
        preferences.IMPORT_FOLDER.set(settings, str(paths[0].parent))
        return self.import_files(paths)

    def import_files(self, paths: list[Path]) -> bool:
        """Preview ``paths`` in the import dialog; True when the officer imported them (the
        traffic light and charts then show the new history)."""
        window = self.window
        if not paths or window.refuse_when_read_only("import files"):
            return False
        factory = window.import_dialog_factory
        if factory is None:
            from engage_desktop.ui.import_dialog import ImportDialog  # not needed at start-up

            factory = ImportDialog
        dialog = factory(window.store, paths, window)
        try:
            if window.run_import_dialog(dialog) != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        window.after_data_changed(chart_something=True)
        return True

    # Exporting and publishing ----------------------------------------------------------------

    def export(self, page_ids: list[str], **options: str) -> bool:
        """The export dialog for ``page_ids`` over the window's date range; True when
        something was saved from it."""
        window = self.window
        factory = window.export_dialog_factory
        if factory is None:
            from engage_desktop.ui.export_dialog import ExportDialog  # imports the renderer

            factory = ExportDialog
        first, last = window.date_range()
        dialog = factory(window.store, page_ids, first, last, window.settings, window,
                         **options)
        try:
            window.run_export_dialog(dialog)
            return bool(getattr(dialog, "saved", None))
        finally:
            dialog.deleteLater()

    def open_publish(self) -> QDialog:
        """Publish for the team: the team's folder, when it was last published, and a
        Publish button that writes the copy in the background."""
        from engage_desktop.ui.publish_dialog import PublishDialog

        window = self.window
        dialog = PublishDialog(window.store.path, window.runner, window.settings, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # Settings and Connect --------------------------------------------------------------------

    def open_settings(self) -> bool:
        """The Settings dialog; True when the officer saved (the traffic light is then read
        again with the new thresholds)."""
        window = self.window
        factory = window.settings_dialog_factory
        if factory is None:
            from engage_desktop.ui.settings_dialog import SettingsDialog

            factory = SettingsDialog
        dialog = factory(window.store, window.model.light, window.runner, window.settings,
                         window)
        try:
            if window.run_settings_dialog(dialog) != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        window.after_data_changed()
        return True

    def open_connect(self) -> int:
        """The Connect dialog (tokens, followed Pages, public Pages to compare); on closing it
        the traffic light is read again, since Pages may have been connected or unfollowed."""
        window = self.window
        if window.refuse_when_read_only("connect"):
            return QDialog.DialogCode.Rejected
        factory = window.connect_dialog_factory
        if factory is None:
            from engage_desktop.ui.connect_dialog import ConnectDialog  # imports the keyring

            factory = ConnectDialog
        dialog = factory(window.store, window.runner, window)
        try:
            return window.run_connect_dialog(dialog)
        finally:
            dialog.deleteLater()
            window.after_data_changed(chart_something=True)

    # Beside the window: What changed, Alerts, the sync log -----------------------------------

    def what_changed(self) -> list:
        """The core's "What changed" for the traffic light shown."""
        from engage_desktop.core import changes

        return changes.what_changed(self.window.store, light=self.window.model.light)

    def open_what_changed(self) -> QDialog:
        """"What changed", beside the window (not modal): activating a sentence selects its
        Page."""
        from engage_desktop.ui.changes_dialog import WhatChangedDialog

        if self.changes_dialog is None:
            dialog = WhatChangedDialog(self.what_changed(), self.window.select_page,
                                       self.window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(self._changes_dialog_closed)
            self.changes_dialog = dialog
        return _brought_forward(self.changes_dialog)

    def _changes_dialog_closed(self) -> None:
        self.changes_dialog = None

    def show_alert_count(self) -> int:
        """The unseen alerts' number on the Alerts action (in its text: not colour alone)."""
        unseen = self.window.store.unseen_alert_count()
        self.window.alerts_action.setText(actions.alerts_text(unseen))
        return unseen

    def open_alerts(self) -> QDialog:
        """The alerts not seen yet, beside the window (not modal): activating one selects its
        Page and marks it seen."""
        from engage_desktop.ui.alerts_dialog import AlertsDialog

        window = self.window
        if self.alerts_dialog is None:
            dialog = AlertsDialog(window.store, window.select_page, self.show_alert_count,
                                  window, read_only=window.read_only_reason)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(self._alerts_dialog_closed)
            self.alerts_dialog = dialog
        return _brought_forward(self.alerts_dialog)

    def _alerts_dialog_closed(self) -> None:
        self.alerts_dialog = None

    def read_again(self) -> None:
        """After the window read the traffic light again: the dialogs beside it too, and the
        number of alerts not seen."""
        if self.changes_dialog is not None:  # open beside the window: read again
            self.changes_dialog.show_changes(self.what_changed())
        self.show_alert_count()
        if self.alerts_dialog is not None:
            self.alerts_dialog.show_alerts()

    def notify_alerts(self, new: list) -> None:
        """A desktop notice of the alerts a sync found (when the system has a tray); a click
        on it opens Alerts."""
        from engage_desktop.ui.alerts_dialog import show_notice

        made = self.tray is None
        self.tray = show_notice(self.tray, new, self.window.windowIcon())
        if made and self.tray is not None:
            self.tray.messageClicked.connect(self.window.open_alerts)

    def open_sync_log(self) -> QDialog:
        """The sync log, beside the window (not modal: it can stay open during a sync)."""
        from engage_desktop.ui.sync_log import SyncLogDialog

        dialog = SyncLogDialog(self.window.store, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # Help ------------------------------------------------------------------------------------

    def show_shortcuts(self) -> int:
        from engage_desktop.ui.help_dialogs import ShortcutsDialog

        dialog = ShortcutsDialog(self.window)
        try:
            return self.window.run_help_dialog(dialog)
        finally:
            dialog.deleteLater()

    def show_about(self) -> int:
        from engage_desktop.ui.help_dialogs import AboutDialog

        dialog = AboutDialog(self.window.store.path, self.window)
        try:
            return self.window.run_help_dialog(dialog)
        finally:
            dialog.deleteLater()


def _brought_forward(dialog: QDialog) -> QDialog:
    """A dialog beside the window shown, raised and given the keyboard on its list."""
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.list.setFocus()
    return dialog
