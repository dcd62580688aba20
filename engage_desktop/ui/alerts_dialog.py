"""The Alerts window and the desktop notice: what the syncs found (:mod:`..core.alerts`).

The window lists the alerts not seen yet, newest first, each as "New" or "Seen" in words (not
by colour alone), its day and its sentence. Activating one (Enter, a click or a double-click)
selects its Page in the traffic light and marks it seen; "Mark all seen" marks the rest
(neither on a database open read-only). After a sync run by the window finds new alerts, a
desktop notice says so when the system has a tray to show it in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QPushButton, QSystemTrayIcon, QWidget

from engage_desktop.core import wording
from engage_desktop.core.alerts import WORDS
from engage_desktop.core.models import Alert
from engage_desktop.core.store import Store
from engage_desktop.ui import plain
from engage_desktop.ui.sentence_list import SentencesDialog, sentence_item

TITLE = "Alerts"
SCOPE = ("What the syncs found that needs a look, newest first: Pages that turned red or green "
         "again, fell week on week, gained followers while fewer talk about them, have no new "
         "figures, need reconnecting, or were delayed by Meta. Press Enter on one to select its "
         "Page; it is then marked seen.")
NOTHING = "No alerts to see: the syncs found nothing new."
ALERT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
NOTICE_MS = 10_000  # how long the desktop notice stays


def notice(new: Sequence[Alert]) -> tuple[str, str] | None:
    """The desktop notice's title and text for the alerts a sync found, or None for none."""
    if not new:
        return None
    count = len(new)
    title = f"Engage Desktop: {count} new alert{'s' if count != 1 else ''}"
    lines = [f"{alert.name}: {WORDS[alert.kind].lower()}" for alert in new[:3]]
    if count > 3:
        lines.append(f"and {count - 3} more")
    return title, "\n".join(lines) + "\nOpen Alerts in Engage Desktop to see them."


def show_notice(tray: QSystemTrayIcon | None, new: Sequence[Alert],
                icon: QIcon) -> QSystemTrayIcon | None:
    """Show the notice for ``new`` in the system tray, making the tray icon the first time;
    nothing (None) when there is nothing to say or the system has no tray."""
    said = notice(new)
    if said is None or not QSystemTrayIcon.isSystemTrayAvailable():
        return tray
    if tray is None:
        tray = QSystemTrayIcon(icon)
        tray.setToolTip("Engage Desktop")
    tray.show()
    tray.showMessage(*said, QSystemTrayIcon.MessageIcon.Information, NOTICE_MS)
    return tray


class AlertsDialog(SentencesDialog):
    """Beside the window (not modal); ``select_page`` is called with the Page ID of an
    activated alert, and ``seen_changed`` after alerts were marked seen."""

    def __init__(self, store: Store, select_page: Callable[[str], object],
                 seen_changed: Callable[[], object], parent: QWidget | None = None, *,
                 read_only: str | None = None) -> None:
        """``read_only``: why the database cannot be written (its alerts are then shown, and
        none can be marked seen)."""
        mark_all = QPushButton("&Mark all seen")
        mark_all.setAccessibleName("Mark all alerts seen")
        mark_all.setAutoDefault(False)
        super().__init__(TITLE, SCOPE,
                         "One alert a line, newest first, each marked New or Seen. Press Enter "
                         "on one to select its Page in the traffic light and mark it seen.",
                         780, self._activated, parent, (mark_all,))
        self.store = store
        self.read_only = read_only
        self.select_page = select_page
        self.seen_changed = seen_changed
        self.mark_all = mark_all
        self.mark_all.clicked.connect(self.mark_all_seen)
        self.show_alerts()

    def show_alerts(self) -> None:
        """Read the unseen alerts again (after a sync), the first one current."""
        found = self.store.alerts(unseen_only=True)
        items = []
        for alert in found:
            item = sentence_item(_line(alert), alert.sentence, alert.name)
            item.setData(alert.id, ALERT_ID_ROLE)
            item.setData(alert.page_id, PAGE_ID_ROLE)
            items.append(item)
        self.show_items(items, NOTHING)
        self.mark_all.setEnabled(bool(found) and self.read_only is None)
        if self.read_only is not None:
            self.mark_all.setToolTip(f"Not available: {self.read_only}")

    def mark_all_seen(self) -> None:
        ids = [self.model.item(row).data(ALERT_ID_ROLE) for row in range(self.model.rowCount())]
        self.store.mark_alerts_seen([alert_id for alert_id in ids if alert_id is not None])
        self.show_alerts()
        self.seen_changed()

    def _activated(self, index) -> None:
        alert_id = index.data(ALERT_ID_ROLE)
        if alert_id is None:
            return
        self.select_page(index.data(PAGE_ID_ROLE))
        if self.read_only is None and self.store.mark_alerts_seen([alert_id]):
            alert = self.store.alerts(unseen_only=False, ids=[alert_id])
            if alert:  # kept in the list, marked seen, so the keyboard stays where it was
                item = self.model.itemFromIndex(index)
                item.setText(_line(alert[0]))
                item.setData(_line(alert[0]), Qt.ItemDataRole.AccessibleTextRole)
            self.seen_changed()


def _line(alert: Alert) -> str:
    seen = "Seen" if alert.seen_at else "New"
    return f"{seen} · {wording.day(alert.day)} · {plain.one_line(alert.sentence)}"
