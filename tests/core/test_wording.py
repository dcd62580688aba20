"""How figures, days and long names are written (core/wording.py): what each gives for any
input, and the texts the window, briefing and sentences show."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from engage_desktop.core import wording

days = st.dates(min_value=date(2004, 1, 1), max_value=date(2100, 12, 31))


def test_the_texts_shown() -> None:
    assert wording.count(1234567) == "1,234,567"
    assert wording.count(0) == "0"
    assert wording.count(None) == "–"
    assert wording.counted(1, "row") == "1 row"
    assert wording.counted(1234, "row") == "1,234 rows"
    assert wording.counted(2, "breakdown column") == "2 breakdown columns"
    assert wording.counted(3, "reply", "replies") == "3 replies"
    assert wording.day(date(2026, 11, 30)) == "30 Nov 2026"
    assert wording.day(date(2026, 3, 5)) == "5 Mar 2026"
    assert wording.day(datetime(2026, 3, 5, 14, 30)) == "5 Mar 2026"
    assert wording.span(date(2026, 3, 5), date(2026, 3, 5)) == "on 5 Mar 2026"
    assert wording.span(date(2026, 3, 5), date(2026, 4, 9)) == "from 5 Mar 2026 to 9 Apr 2026"
    assert wording.padded_day(date(2026, 3, 5)) == "05 Mar 2026"
    assert wording.padded_day(None) == "?"
    assert wording.padded_days(None, None) == "no dates"
    assert wording.padded_days(date(2024, 12, 30), date(2025, 1, 1)) == (
        "30 Dec 2024 to 01 Jan 2025")
    assert wording.short("Kelderby Libraries", 10) == "Kelderby …"
    assert wording.short("Kelderby", 10) == "Kelderby"


@given(st.integers())
def test_a_count_reads_back_as_its_number(value: int) -> None:
    text = wording.count(value)
    assert int(text.replace(",", "")) == value
    whole = text.lstrip("-")
    groups = whole.split(",")
    assert 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


@given(st.integers(min_value=0), st.sampled_from(["row", "Page", "more skipped row"]))
def test_counted_says_the_number_and_one_word_or_many(number: int, one: str) -> None:
    text = wording.counted(number, one)
    figure, words = text.split(" ", 1)
    assert figure == wording.count(number)
    assert words == (one if number == 1 else one + "s")


@given(days)
def test_a_day_reads_back_and_has_no_leading_zero(day: date) -> None:
    text = wording.day(day)
    assert datetime.strptime(text, "%d %b %Y").date() == day
    assert not text.startswith("0")
    assert wording.day(datetime.combine(day, datetime.min.time())) == text


@given(days)
def test_a_padded_day_reads_back_with_two_digits(day: date) -> None:
    text = wording.padded_day(day)
    assert datetime.strptime(text, "%d %b %Y").date() == day
    assert len(text.split(" ")[0]) == 2


@given(days, days)
def test_a_span_names_its_days(first: date, last: date) -> None:
    text = wording.span(first, last)
    if first == last:
        assert text == f"on {wording.day(first)}"
        assert wording.padded_days(first, last) == wording.padded_day(first)
    else:
        assert text == f"from {wording.day(first)} to {wording.day(last)}"
        assert wording.padded_days(first, last) == (
            f"{wording.padded_day(first)} to {wording.padded_day(last)}")


@given(st.text(), st.integers(min_value=1, max_value=200))
def test_short_keeps_what_fits_and_cuts_the_rest_with_an_ellipsis(text: str, limit: int) -> None:
    shown = wording.short(text, limit)
    assert len(shown) <= limit
    if len(text) <= limit:
        assert shown == text
    else:
        assert len(shown) == limit
        assert shown == text[:limit - 1] + "…"


@given(st.text(min_size=81))
def test_short_cuts_to_80_characters_unless_told(text: str) -> None:
    assert wording.short(text) == text[:79] + "…"
