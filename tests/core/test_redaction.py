"""Tokens are redacted from text and from every log record."""

from __future__ import annotations

import logging

from hypothesis import given
from hypothesis import strategies as st

from engage_desktop.core.redaction import install_log_redaction, redact, register_secret

tokens = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                 min_size=20, max_size=300)


def test_token_shapes_and_credential_parameters_are_redacted() -> None:
    text = ("GET /v26.0/me?fields=id&access_token=abc123SECRETxyz&x=1 "
            "Authorization: OAuth sometokenvalue123 Bearer anothertoken456789 "
            '{"access_token": "pagetoken999"} EAAGm0PX4ZCpsBAKqXy7hZBZ '
            "123456789|appsecretvalue12345")
    cleaned = redact(text)
    for secret in ("abc123SECRETxyz", "sometokenvalue123", "anothertoken456789", "pagetoken999",
                   "EAAGm0PX4ZCpsBAKqXy7hZBZ", "appsecretvalue12345"):
        assert secret not in cleaned
    assert "fields=id" in cleaned and "&x=1" in cleaned


@given(token=tokens, before=st.text(max_size=40), after=st.text(max_size=40))
def test_a_registered_token_never_survives(token: str, before: str, after: str) -> None:
    register_secret(token)
    assert token not in redact(before + token + after)


def test_log_records_are_redacted_whatever_the_handler(caplog) -> None:
    install_log_redaction()
    register_secret("registeredSecretToken42")
    logger = logging.getLogger("engage_desktop.test")
    with caplog.at_level(logging.DEBUG):
        logger.debug("calling with %s", "registeredSecretToken42")
        try:
            raise ValueError("failed for access_token=registeredSecretToken42")
        except ValueError:
            logger.exception("it broke")
    text = caplog.text + "".join(record.getMessage() for record in caplog.records)
    assert "registeredSecretToken42" not in text
    assert "[redacted]" in text and "it broke" in text
