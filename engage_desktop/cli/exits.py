"""The command line's exit codes and every rule for choosing one, in one place.

0 done; 1 the job could not be done (the message says why and what to do); 2 the command was
not understood; 3 done in part (some Pages failed); 4 no usable token (Meta rejected it); 5 the
network could not be reached; 6 the database is open read-only (a copy published for the team,
``--read-only``, or a file that cannot be written), so a command that writes to it refused;
130 stopped by Ctrl+C.
"""

from __future__ import annotations

from engage_desktop.core.errors import EngageError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_NO_TOKEN = 4
EXIT_OFFLINE = 5
EXIT_READ_ONLY = 6
EXIT_INTERRUPTED = 130  # stopped by Ctrl+C, as shells report it (128 + SIGINT)


def for_error(exc: EngageError) -> int:
    """A command stopped by a situation the program knows (its message says what to do)."""
    from engage_desktop.core.errors import ReadOnlyDatabaseError
    from engage_desktop.core.graph import TokenInvalidError
    from engage_desktop.core.net import NetworkError

    if isinstance(exc, ReadOnlyDatabaseError):
        return EXIT_READ_ONLY
    if isinstance(exc, TokenInvalidError):
        return EXIT_NO_TOKEN
    if isinstance(exc, NetworkError) and exc.kind != "config":
        return EXIT_OFFLINE
    return EXIT_FAILED


def for_connect(result) -> int:
    """Done in part: a Page Meta listed without its token, or no Page at all (the user token
    is kept for following public Pages, so something was done)."""
    return EXIT_PARTIAL if result.skipped or result.nothing_listed else EXIT_OK


def for_follow(result) -> int:
    if result.failed:
        return EXIT_PARTIAL if result.added else EXIT_FAILED
    return EXIT_OK


def for_sync(summary) -> int:
    kinds = {error.kind for error in summary.errors}
    if summary.status == "ok":
        return EXIT_OK
    if summary.status != "failed":
        return EXIT_PARTIAL  # done in part, or cancelled
    if "network" in kinds:
        return EXIT_OFFLINE
    if kinds == {"token"}:
        return EXIT_NO_TOKEN  # Meta rejected the token of every Page
    return EXIT_FAILED


def for_import(preview, *, dry_run: bool) -> int:
    """A dry run gives the verdict the import would: the same exit code."""
    return EXIT_OK if preview.committed or (
        preview.ready and (dry_run or not preview.changes)) else EXIT_FAILED
