"""Keeping tokens out of logs, messages and files.

Two layers: every token the program handles is registered here and replaced wherever it
appears, and anything shaped like a token or a credential parameter is replaced as well, so a
token the program never saw (pasted into a URL by someone) is caught too.
"""

from __future__ import annotations

import logging
import re
import threading

REPLACEMENT = "[redacted]"
# Meta's tokens start EAA…; app tokens are "id|secret"; plus credential parameters in URLs,
# JSON and headers.
_PATTERNS = [
    (re.compile(r"EAA[A-Za-z0-9]{12,}"), REPLACEMENT),
    (re.compile(r"\b\d{6,}\|[A-Za-z0-9_\-]{16,}"), REPLACEMENT),
    (re.compile(r"((?:access_token|input_token|client_secret|appsecret_proof|fb_exchange_token)"
                r"=)[^&\s\"'#]+", re.IGNORECASE), rf"\1{REPLACEMENT}"),
    (re.compile(r"(\"(?:access_token|token)\"\s*:\s*\")[^\"]*", re.IGNORECASE),
     rf"\1{REPLACEMENT}"),
    (re.compile(r"((?:OAuth|Bearer)\s+)[A-Za-z0-9_\-.|~+/=%]{8,}"), rf"\1{REPLACEMENT}"),
]
_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def register_secret(secret: str) -> None:
    """Remember a token so it is redacted wherever it shows up in this process."""
    if secret and len(secret) >= 8:
        with _lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REPLACEMENT)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def install_log_redaction() -> None:
    """Redact every log record as it is made, whichever handler later writes it."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _redact_record(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed log call: keep what can be kept
        message = str(record.msg)
    record.msg = redact(message)
    record.args = None
    if record.exc_info:
        formatted = logging.Formatter().formatException(record.exc_info)
        record.exc_text = redact(formatted)
        record.exc_info = None
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
