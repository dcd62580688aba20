"""What a format's reader yields for a file: a :class:`Layout` first (what it found), then
:class:`Record` values (one number for one Page, day and field), :class:`Skip` notes (a row
left out, and why) and :class:`Note` lines (something the officer should know). A reader that
cannot go on without a choice from the officer raises :class:`NeedsAnswer`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

# the fields that become readings; anything else is an Insights metric
READING_FIELDS = ("followers", "fans", "talking_about")


class Record(NamedTuple):
    """Numbers for one Page and day from one row: a reading (any of followers, fans,
    talking_about), or one Insights value (``metric``, ``period``, ``value``)."""

    line: int
    page_id: str | None  # from the file; None means the Page the officer chooses
    page_name: str | None
    day: date
    followers: float | None = None
    fans: float | None = None
    talking_about: float | None = None
    metric: str | None = None
    period: str = "day"
    value: float | None = None
    summed: bool = False  # several values for one day add up (posts), instead of clashing
    item: str | None = None  # what is summed (a post's ID): counted once however often seen


class Skip(NamedTuple):
    line: int
    reason: str


class Note(NamedTuple):
    """Something about a file the preview says in one line (an Instagram block left out)."""

    line: int
    text: str


class NeedsAnswer(Exception):
    """The file cannot be read without a choice from the officer (the message asks; ``need``
    names the choice, as in :class:`~engage_desktop.core.importing.preview.Question`)."""

    def __init__(self, need: str, text: str) -> None:
        super().__init__(text)
        self.need = need


@dataclass
class Layout:
    """What a format found in a file: its name, and which column became which field."""

    format: str
    mapping: dict[str, str]
    data_from: int  # the line the numbers start on
    header: tuple[str, ...]  # the column titles
    data_to: int | None = None  # the last line of numbers, when the rest is not read
    dates: str = ""  # which order numeric dates were read in, and why
    ignored: int = 0  # columns not read (no meaning here, or set to be ignored)
    breakdowns: int = 0  # breakdown columns left out (by city, country, age…)
    unnamed_title: str | None = None  # a metric title that names no platform


Parsed = Iterator["Record | Skip | Note | Layout"]
