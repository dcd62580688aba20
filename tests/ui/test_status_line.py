"""The status bar's "Data as of …" counts UK calendar days, not periods of 24 hours."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QStatusBar

from engage_desktop.ui.main_window import status_line
from engage_desktop.ui.main_window.status_line import StatusLine


@pytest.mark.parametrize(("now", "newest", "age"), [
    # Tuesday 02:00 UK, the newest reading Monday 09:36 UK: yesterday, though 16 hours ago
    (datetime(2026, 12, 1, 2, 0, tzinfo=UTC), datetime(2026, 11, 30, 9, 36, tzinfo=UTC),
     "Mon 30 Nov 09:36, yesterday"),
    (datetime(2026, 11, 30, 23, 59, tzinfo=UTC), datetime(2026, 11, 30, 0, 1, tzinfo=UTC),
     "Mon 30 Nov 00:01, today"),
    # summer time: 23:30 UTC on 1 July is already 2 July in the UK
    (datetime(2026, 7, 1, 23, 30, tzinfo=UTC), datetime(2026, 7, 1, 22, 0, tzinfo=UTC),
     "Wed 01 Jul 23:00, yesterday"),
    (datetime(2026, 12, 8, 12, 0, tzinfo=UTC), datetime(2026, 11, 30, 23, 0, tzinfo=UTC),
     "Mon 30 Nov 23:00, 8 days ago"),
    # a reading a few minutes ahead of this computer's clock, past UK midnight
    (datetime(2026, 11, 30, 23, 58, tzinfo=UTC), datetime(2026, 12, 1, 0, 10, tzinfo=UTC),
     "Tue 01 Dec 00:10, today"),
])
def test_the_age_of_the_data_is_in_uk_calendar_days(qtbot, monkeypatch, now, newest,
                                                    age) -> None:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    line = StatusLine(bar, Path("engage.sqlite"))
    monkeypatch.setattr(status_line, "utc_now", lambda: now)
    line.show_age([newest], None, None, [])
    assert line.age.text() == f"Data as of {age}"
