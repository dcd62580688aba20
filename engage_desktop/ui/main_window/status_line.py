"""The window's status bar, apart from a sync's progress (sync_controller.py) and the
read-only notice (read_only.py): how old the data shown is, with the database's warnings,
where the database is, and that an operation waits for the one under way."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStatusBar

from engage_desktop.core.timeutil import UK, uk_day, utc_now
from engage_desktop.ui import plain
from engage_desktop.ui.words import in_window


class StatusLine(QObject):
    """The data's age (``age``, left) and the database's place (``location``, right) in
    ``bar``, and the waiting words of the window's operation queue."""

    def __init__(self, bar: QStatusBar, database: Path) -> None:
        super().__init__(bar)
        self.bar = bar
        self.age = plain.label()  # plain: warnings quote cells of the database
        self.age.setAccessibleName("Data age")
        self.location = plain.label(str(database))
        self.location.setAccessibleName("Database")
        bar.addWidget(self.age, 1)
        bar.addPermanentWidget(self.location)
        self._waiting_shown = ""  # the waiting words the status bar shows, to clear them

    def show_age(self, readings: list[datetime], sync_state: str | None,
                 synced_at: datetime | None, warnings: list[str]) -> None:
        """The newest of ``readings`` and how old it is, whether the last sync this session
        worked or found no network, and the database's ``warnings`` after it."""
        if readings:
            newest = max(readings)
            # calendar days in the UK, not periods of 24 hours: 09:36 on Monday is
            # "yesterday" at 02:00 on Tuesday (a reading a little ahead is still "today")
            days = max((uk_day(utc_now()) - uk_day(newest)).days, 0)
            age = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
            when = f"{newest.astimezone(UK):%a %d %b %H:%M}, {age}"
            # "Offline" only when a sync found no network, never merely for not having synced
            if sync_state == "synced" and synced_at is not None:
                text = f"Synced at {synced_at.astimezone(UK):%H:%M}: data as of {when}"
            elif sync_state == "offline":
                text = f"Offline — showing data as of {when}"
            else:
                text = f"Data as of {when}"
        else:
            text = "No readings yet"
        warnings = [in_window(warning) for warning in warnings]
        from engage_desktop.core.paths import portable_dir

        if portable_dir() is not None:
            warnings.insert(0, "Portable: data beside the program")
        self.age.setText(" · ".join([text, *warnings]))
        # the whole of each warning, one a line, when the status bar is too narrow for them
        self.age.setToolTip("<br>".join(html.escape(warning) for warning in warnings))

    def show_waiting(self, words: str) -> None:
        """Where the window says that an operation waits for the one under way."""
        shown = self.bar.currentMessage()
        if words:
            self.bar.showMessage(words)
        elif shown and shown == self._waiting_shown:
            self.bar.clearMessage()
        self._waiting_shown = words
