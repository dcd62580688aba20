"""Parts of the import dialog that stand alone: a column's spreadsheet letter on a file's tab,
and which columns the dialog shows as used before the importer has read a file."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from engage_desktop.ui.import_dialog.columns import columns_used
from engage_desktop.ui.import_dialog.file_tab import column_letter


def _index(letters: str) -> int:
    """A spreadsheet's column letters back to the column's index (A -> 0)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def test_columns_are_lettered_as_spreadsheets_letter_them() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702, 2699)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "CYV"]


@given(st.integers(min_value=0, max_value=20_000))
def test_every_column_has_its_own_letters(index: int) -> None:
    letters = column_letter(index)
    assert letters.isascii() and letters.isupper() and letters.isalpha()
    assert _index(letters) == index
    assert len(column_letter(index + 1)) >= len(letters)  # letters never get shorter


def test_the_importers_guesses_show_until_a_column_is_chosen() -> None:
    header = ("Date", "Followers", "Talking about", "Notes")
    assert columns_used(header, {}) == {"date": "date", "followers": "followers",
                                        "talking about": "talking_about"}
    chosen = columns_used(header, {"Followers": "ignore", "Notes": "fans"})
    assert chosen == {"date": "date", "talking about": "talking_about", "notes": "fans"}
