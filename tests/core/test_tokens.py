"""The token vault: an in-memory keyring, the failing keyring, and a real Secret Service."""

from __future__ import annotations

from pathlib import Path

import keyring.backends.fail
import keyring.errors
import pytest
from keyrings import MemoryKeyring

from engage_desktop.core.tokens import (
    SERVICE,
    InvalidTokenTextError,
    Storage,
    TokenKey,
    TokenVault,
    VaultError,
    VaultUnavailableError,
    backend_name,
    clean_token,
    forget_session_tokens,
)

TOKEN = "EAAGm0PX4ZCpsBAKqXy7hZBZCZBtest0123456789abcdef"


def test_one_entry_per_token_under_a_stable_name(memory_keyring: MemoryKeyring) -> None:
    vault = TokenVault(memory_keyring)
    assert vault.store(TokenKey.page("111"), TOKEN) is Storage.KEYRING
    vault.store(TokenKey.user("9"), TOKEN + "u")
    assert memory_keyring.entries == {(SERVICE, "page:111"): TOKEN,
                                      (SERVICE, "user:9"): TOKEN + "u"}
    assert vault.get(TokenKey.page("111")) == TOKEN
    assert vault.get(TokenKey.page("222")) is None
    vault.delete(TokenKey.page("111"))
    vault.delete(TokenKey.page("111"))  # already gone is fine
    assert vault.get(TokenKey.page("111")) is None


@pytest.mark.parametrize(("pasted", "expected"), [
    (f"  {TOKEN}\n", TOKEN), (f"OAuth {TOKEN}", TOKEN), (f"Bearer {TOKEN}\r\n", TOKEN)])
def test_pasted_tokens_are_cleaned(pasted: str, expected: str) -> None:
    assert clean_token(pasted) == expected


@pytest.mark.parametrize(("pasted", "message"), [
    ("", "No token"), ("   \n", "No token"), (f"{TOKEN} {TOKEN}", "does not look like"),
    ("my token is: " + TOKEN, "does not look like"), ("x" * 1281, "too long")])
def test_what_cannot_be_a_token_is_refused_without_quoting_it(pasted: str, message: str) -> None:
    with pytest.raises(InvalidTokenTextError, match=message) as caught:
        clean_token(pasted)
    assert TOKEN not in str(caught.value) and "x" * 20 not in str(caught.value)
    assert caught.value.hint


def test_the_windows_size_limit_is_checked_before_writing(memory_keyring) -> None:
    vault = TokenVault(memory_keyring)
    vault.store(TokenKey.page("1"), "E" * 1280)  # 2,560 bytes in UTF-16: the most Windows takes
    with pytest.raises(InvalidTokenTextError, match="too long"):
        vault.store(TokenKey.page("2"), "E" * 1281)
    assert (SERVICE, "page:2") not in memory_keyring.entries


def test_no_keyring_is_refused_plainly_and_never_falls_back_to_a_file(tmp_path: Path) -> None:
    vault = TokenVault(keyring.backends.fail.Keyring())
    with pytest.raises(VaultUnavailableError, match="is not available to Engage Desktop") as caught:
        vault.store(TokenKey.page("1"), TOKEN)
    assert "never writes tokens to a file" in str(caught.value)
    assert "session only" in caught.value.hint
    assert vault.location == "no keyring"


def test_session_only_use_when_allowed() -> None:
    vault = TokenVault(keyring.backends.fail.Keyring(), session_fallback=True)
    assert vault.store(TokenKey.page("1"), TOKEN) is Storage.SESSION
    assert vault.get(TokenKey.page("1")) == TOKEN
    assert "this session only" in vault.location
    vault.delete(TokenKey.page("1"))
    assert "this session only" not in vault.location


def test_session_tokens_belong_to_the_program_not_to_one_vault() -> None:
    """The window connects with one vault and syncs with another: both see the tokens."""
    TokenVault(keyring.backends.fail.Keyring(), session_fallback=True).store(
        TokenKey.user("9"), TOKEN)
    other = TokenVault(keyring.backends.fail.Keyring())
    assert other.get(TokenKey.user("9")) == TOKEN
    forget_session_tokens()
    with pytest.raises(VaultUnavailableError):
        other.get(TokenKey.user("9"))


def test_a_locked_keyring_says_so() -> None:
    vault = TokenVault(MemoryKeyring(fail_with=keyring.errors.KeyringLocked("locked")))
    with pytest.raises(VaultUnavailableError, match="locked") as caught:
        vault.get(TokenKey.page("1"))
    assert "Unlock" in caught.value.hint


@pytest.mark.parametrize("error", [keyring.errors.PasswordSetError(f"bad data {TOKEN}"),
                                   RuntimeError(f"stub received bad data {TOKEN}")])
def test_other_keyring_errors_become_one_plain_error_without_the_token(error) -> None:
    vault = TokenVault(MemoryKeyring(fail_with=error))
    with pytest.raises(VaultError, match="could not save") as caught:
        vault.store(TokenKey.page("1"), TOKEN)
    assert TOKEN not in str(caught.value)
    # not chained either way: the keyring's exception (and its text) stays behind
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_backend_names_are_the_ones_people_know(memory_keyring) -> None:
    assert backend_name(keyring.backends.fail.Keyring()) == "no keyring"
    from keyring.backends import SecretService, Windows

    assert backend_name(Windows.WinVaultKeyring()) == "Windows Credential Manager"
    assert backend_name(SecretService.Keyring()).startswith("Secret Service")


def test_the_real_secret_service_round_trip(secret_service, secret_service_env) -> None:
    vault = TokenVault()
    assert vault.location.startswith("Secret Service")
    assert vault.store(TokenKey.page("777"), TOKEN) is Storage.KEYRING
    assert secret_service.get_password(SERVICE, "page:777") == TOKEN
    assert TokenVault().get(TokenKey.page("777")) == TOKEN
    keyring_files = list(Path(secret_service_env["KEYRING_DATA_DIR"]).rglob("*"))
    assert keyring_files, "gnome-keyring keeps its collection on disk"
    for path in keyring_files:
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), "the collection is encrypted"
    vault.delete(TokenKey.page("777"))
    assert secret_service.get_password(SERVICE, "page:777") is None


@pytest.mark.parametrize(("platform", "store", "advice"), [
    ("win32", "Windows Credential Manager is", "policy turns Credential Manager off"),
    ("darwin", "The macOS Keychain is", "Keychain Access"),
    ("linux", "The Secret Service (GNOME Keyring, KWallet or KeePassXC) is", "password store"),
])
def test_keyring_problems_are_in_the_platforms_words(platform: str, store: str,
                                                     advice: str) -> None:
    from engage_desktop.core.tokens import _unavailable

    missing = _unavailable(locked=False, verb="read", platform=platform)
    assert missing.message.startswith(f"{store} not available to Engage Desktop, so it cannot "
                                      "read the token")
    assert "saved safely" not in missing.message  # a sync reads; it saves nothing
    assert advice in missing.hint
    locked = _unavailable(locked=True, verb="save", platform=platform)
    assert locked.message == f"{store} locked, so Engage Desktop cannot save the token."
