"""The program's own error types.

Every failure a person can see is one of these: a plain-English ``message`` saying what is wrong
and a ``hint`` saying what to do. The window and the command line show them the same way.
"""

from __future__ import annotations


class EngageError(Exception):
    """A failure the user can act on."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class InvalidSettingError(EngageError):
    """A setting (such as a traffic-light threshold) that cannot be used."""


class DatabaseError(EngageError):
    """The database file cannot be used as asked."""


class DatabaseMissingError(DatabaseError):
    """There is no database at the path and we were asked not to create one."""


class NotADatabaseError(DatabaseError):
    """The file exists but is not an SQLite database."""


class ForeignDatabaseError(DatabaseError):
    """An SQLite database written by some other program."""


class NewerSchemaError(DatabaseError):
    """A database written by a newer version of Engage Desktop."""


class DatabaseNotWritableError(DatabaseError):
    """The file or its folder cannot be written."""


class DiskFullError(DatabaseError):
    """A write failed because the disk (or the database's size limit) is full."""


class DatabaseBusyError(DatabaseError):
    """Another program held the database for longer than the busy timeout."""


class InvalidDataError(DatabaseError):
    """Figures the database refuses (negative, too large, for an unknown Page)."""


class OlderSchemaError(DatabaseError):
    """A database from an older version, opened where it may not be brought up to date."""


class ReadOnlyDatabaseError(DatabaseError):
    """A write to a database opened read-only (a published copy, ``--read-only``, or a file
    that cannot be written): refused before anything was written."""
