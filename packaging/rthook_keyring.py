"""PyInstaller runtime hook: choose the operating system's keyring backend explicitly.

keyring normally discovers its backends through package entry points and picks the viable one
with the highest priority; in a frozen program that discovery can fail or find nothing, and
keyring then falls back to ``fail.Keyring`` (every call raises NoKeyringError). Naming the
backend avoids the discovery. A value the user (or IT) has set already wins.

Runs before the program's own code, inside the built program only.
"""

import os
import sys


def _backend() -> str | None:
    if sys.platform == "win32":
        return "keyring.backends.Windows.WinVaultKeyring"
    if sys.platform == "darwin":
        return "keyring.backends.macOS.Keyring"
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        # gnome-keyring, KWallet (5.97+) and KeePassXC all speak the Secret Service API.
        return "keyring.backends.SecretService.Keyring"
    return None


if not os.environ.get("PYTHON_KEYRING_BACKEND"):
    _chosen = _backend()
    if _chosen:
        os.environ["PYTHON_KEYRING_BACKEND"] = _chosen
