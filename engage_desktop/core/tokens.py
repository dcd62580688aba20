"""The token vault: Facebook tokens in the operating system's keyring, one entry per token.

Entries live under the service ``engage-desktop`` with a stable username: ``page:<id>`` for a
Page's own token, ``user:<id>`` for a person's (or system user's) token. keyring cannot list
entries portably, so the database keeps the index (``pages.token_status``), never a token.

There is no plaintext fallback. When no keyring works, a vault created with
``session_fallback=True`` holds tokens in memory until the program exits and says so
(``Storage.SESSION``); otherwise it raises :class:`VaultUnavailableError` with what to do.
Session tokens belong to the process, not to one vault: every vault in the program (a sync's,
say) reads them.
Every keyring exception becomes a :class:`VaultError` with a plain message; none carries the
token.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from engage_desktop.core.errors import EngageError
from engage_desktop.core.redaction import register_secret

SERVICE = "engage-desktop"
# Windows Credential Manager refuses a secret over 2,560 bytes, and keyring stores UTF-16.
MAX_SECRET_BYTES = 2560
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_\-.|~+/=%]+")
_SESSION_TOKENS: dict[str, str] = {}  # by entry username, for this process only

_FRIENDLY_BY_MODULE = {
    "keyring.backends.Windows": "Windows Credential Manager",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.SecretService": "Secret Service (GNOME Keyring, KWallet or KeePassXC)",
    "keyring.backends.libsecret": "Secret Service (libsecret)",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.fail": "no keyring",
    "keyring.backends.null": "no keyring",
}


class VaultError(EngageError):
    """The keyring could not do what was asked."""


class VaultUnavailableError(VaultError):
    """No keyring works on this machine (or it is locked)."""


class InvalidTokenTextError(VaultError):
    """What was pasted cannot be a token."""


class Storage(Enum):
    KEYRING = "keyring"
    SESSION = "session"  # in memory until the program exits


@dataclass(frozen=True, slots=True)
class TokenKey:
    kind: str  # "page" or "user"
    id: str

    def __post_init__(self) -> None:
        if self.kind not in ("page", "user") or not self.id:
            raise ValueError(f"bad token key {self.kind}:{self.id}")

    @property
    def username(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def page(cls, page_id: str) -> TokenKey:
        return cls("page", page_id)

    @classmethod
    def user(cls, user_id: str) -> TokenKey:
        return cls("user", user_id)


def clean_token(text: str) -> str:
    """The token in what a person pasted: surrounding spaces and line breaks removed.

    Raises :class:`InvalidTokenTextError` (which never quotes the text) when it cannot be one.
    """
    token = text.strip()
    if token.lower().startswith(("oauth ", "bearer ")):
        token = token.split(None, 1)[1].strip()
    register_secret(token)  # before anything can echo it back (Meta quotes a bad token)
    if not token:
        raise InvalidTokenTextError("No token was given.",
                                    "Paste the access token you copied from Meta.")
    if not _TOKEN_SHAPE.fullmatch(token):
        raise InvalidTokenTextError(
            "That does not look like an access token: it contains spaces or other characters "
            "a token never has.",
            "Copy the token again from Meta's Graph API Explorer or Business Settings, "
            "and paste only the token.")
    check_size(token)
    return token


def check_size(token: str) -> None:
    size = len(token.encode("utf-16-le"))
    if size > MAX_SECRET_BYTES:
        raise InvalidTokenTextError(
            f"That is too long for a token ({len(token):,} characters; the Windows "
            f"Credential Manager holds at most {MAX_SECRET_BYTES // 2:,}).",
            "Check that you pasted only the token, once.")


def backend_name(backend: KeyringBackend) -> str:
    """A name a person recognises, such as "Windows Credential Manager"."""
    module = type(backend).__module__
    for prefix, friendly in _FRIENDLY_BY_MODULE.items():
        if module.startswith(prefix):
            return friendly
    if module.startswith("keyring.backends.chainer"):
        inner = getattr(backend, "backends", [])
        return " + ".join(backend_name(b) for b in inner) or "no keyring"
    return str(getattr(backend, "name", type(backend).__name__))


class TokenVault:
    """Keeps tokens in the keyring (or, when allowed, in memory for this session)."""

    def __init__(self, backend: KeyringBackend | None = None, *,
                 session_fallback: bool = False) -> None:
        self._backend = backend
        self.session_fallback = session_fallback
        self._session = _SESSION_TOKENS

    @property
    def backend(self) -> KeyringBackend:
        if self._backend is None:
            self._backend = keyring.get_keyring()
        return self._backend

    @property
    def location(self) -> str:
        """Where tokens are kept, in words for the window and the command line."""
        if self._session:
            return "this session only (no keyring works here; they are forgotten on exit)"
        return backend_name(self.backend)

    def store(self, key: TokenKey, token: str) -> Storage:
        check_size(token)
        register_secret(token)
        failure = self._attempt(lambda: self.backend.set_password(SERVICE, key.username, token),
                                "save", key)
        if failure is None:
            self._session.pop(key.username, None)
            return Storage.KEYRING
        if isinstance(failure, VaultUnavailableError) and self.session_fallback:
            self._session[key.username] = token
            return Storage.SESSION
        raise failure

    def get(self, key: TokenKey) -> str | None:
        if key.username in self._session:
            return self._session[key.username]
        found: list[str | None] = []
        failure = self._attempt(
            lambda: found.append(self.backend.get_password(SERVICE, key.username)), "read", key)
        if failure is not None:
            raise failure
        token = found[0]
        if token:
            register_secret(token)
        return token or None

    def delete(self, key: TokenKey) -> None:
        """Remove a token; a token that is not there is already gone."""
        in_session = self._session.pop(key.username, None) is not None

        def remove() -> None:
            if self.backend.get_password(SERVICE, key.username) is not None:
                self.backend.delete_password(SERVICE, key.username)

        failure = self._attempt(remove, "remove", key)
        if failure is None or (in_session and isinstance(failure, VaultUnavailableError)):
            return
        raise failure

    @staticmethod
    def _attempt(action: Callable[[], object], verb: str, key: TokenKey) -> VaultError | None:
        """Run a keyring call; its failure as our error, or None. The keyring's exception is
        not chained to ours: its text or attributes may hold the token."""
        error: VaultError | None = None
        try:
            action()
        except keyring.errors.PasswordDeleteError:
            pass  # already gone
        except keyring.errors.KeyringLocked:
            error = _unavailable(locked=True, verb=verb)
        except (keyring.errors.NoKeyringError, keyring.errors.InitError):
            error = _unavailable(locked=False, verb=verb)
        except Exception as exc:  # PasswordSetError and whatever a backend raises
            error = _failed(verb, key, type(exc).__name__)
        return error


def forget_session_tokens() -> None:
    """Drop every token held for this session only (as when the program exits)."""
    _SESSION_TOKENS.clear()


def platform_store(platform: str | None = None) -> str:
    """This system's own password store, as its users know it."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "Windows Credential Manager"
    if platform == "darwin":
        return "The macOS Keychain"
    return "The Secret Service (GNOME Keyring, KWallet or KeePassXC)"


_UNAVAILABLE_HINTS = {
    "win": "Ask IT whether policy turns Credential Manager off for your account.",
    "darwin": "Open Keychain Access and check that your login keychain is there, or ask IT.",
    "linux": "Start your desktop's password store (GNOME Keyring, KWallet or KeePassXC), or "
             "ask IT.",
}
_LOCKED_HINTS = {
    "win": "Sign out of Windows and in again, then try again.",
    "darwin": "Unlock your login keychain in Keychain Access, then try again.",
    "linux": "Unlock it (your password manager asks for your password), then try again.",
}


def _unavailable(locked: bool, verb: str = "read",
                 platform: str | None = None) -> VaultUnavailableError:
    """The system's password store cannot be used: in the system's own words."""
    platform = platform or sys.platform
    family = "win" if platform.startswith("win") else "darwin" if platform == "darwin" \
        else "linux"
    store = platform_store(platform)
    if locked:
        return VaultUnavailableError(
            f"{store} is locked, so Engage Desktop cannot {verb} the token.",
            _LOCKED_HINTS[family])
    return VaultUnavailableError(
        f"{store} is not available to Engage Desktop, so it cannot {verb} the token there. "
        "Engage Desktop never writes tokens to a file.",
        f"{_UNAVAILABLE_HINTS[family]} In the window you can still use the token for this "
        "session only.")


def _failed(action: str, key: TokenKey, kind: str) -> VaultError:
    what = "a Page's token" if key.kind == "page" else "your token"
    # The keyring's own message may quote what it was given; keep only its type.
    return VaultError(
        f"The keyring could not {action} {what} for {key.username} ({kind}).",
        "Try again; if it keeps failing, check that your keyring is unlocked and not full, "
        "or ask IT whether policy blocks saved credentials.")
