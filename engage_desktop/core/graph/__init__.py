"""A small client for Meta's Graph API: requests, errors, paging, batch reads, rate limits.

Pages are read one ``relative_url`` each inside batch requests (``POST /`` with ``batch``), never
with ``GET /?ids=``: Meta no longer serves multi-ID reads to new apps, and one unreadable Page
would fail the whole request.

Meta's errors become typed :class:`GraphError` values in ``graph.errors`` (its error table),
and its rate-limit headers :class:`Usage` in ``graph.usage``; this module is the client, and
the names other modules import from ``engage_desktop.core.graph`` are all here.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph.errors import (
    ERROR_TABLE,
    BlockedError,
    GraphError,
    InvalidParameterError,
    NotFoundError,
    PageTokenNeededError,
    PermissionDeniedError,
    TemporaryError,
    ThrottledError,
    TokenInvalidError,
    TooMuchDataError,
    int_or_none,
    parse_error,
)
from engage_desktop.core.graph.usage import Usage, parse_usage
from engage_desktop.core.net import NetworkSettings, auth_header, describe_failure
from engage_desktop.core.redaction import register_secret

log = logging.getLogger(__name__)

GRAPH_URL_ENV = "ENGAGE_GRAPH_URL"
DEFAULT_GRAPH_URL = "https://graph.facebook.com/v27.0"
MAX_BATCH = 50  # sub-requests Meta accepts in one batch request
PAGE_FIELDS = "id,name,username,link,category"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# (the names other modules and tests import from here)
__all__ = ["DEFAULT_GRAPH_URL", "ERROR_TABLE", "GRAPH_URL_ENV", "MAX_BATCH", "PAGE_FIELDS",
           "BlockedError", "GraphClient", "GraphError", "InvalidParameterError",
           "NotFoundError", "PageTokenNeededError", "PermissionDeniedError", "TemporaryError",
           "ThrottledError", "TokenInvalidError", "TooMuchDataError", "Usage", "graph_base_url",
           "parse_error", "parse_usage"]


def graph_base_url(configured: str | None = None,
                   environ: Mapping[str, str] | None = None) -> str:
    """The Graph API base URL including its version: ``ENGAGE_GRAPH_URL``, else the setting,
    else the default. Plain HTTP is allowed only to this computer (the test server)."""
    environ = os.environ if environ is None else environ
    url = (environ.get(GRAPH_URL_ENV) or configured or DEFAULT_GRAPH_URL).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return url
    raise EngageError(f"The Graph API address {url!r} is not usable: it must start with "
                      "https:// (plain http only for 127.0.0.1).",
                      f"Fix {GRAPH_URL_ENV} or the Graph API setting, or remove it to use "
                      f"{DEFAULT_GRAPH_URL}.")


class GraphClient:
    """GET and POST against one Graph API base URL, counting requests and remembering the
    API version and rate-limit usage Meta reported last."""

    def __init__(self, base_url: str, session: requests.Session,
                 settings: NetworkSettings | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.timeout = (settings or NetworkSettings()).timeout
        self.requests_made = 0
        self.responses = 0  # answers received over HTTP: the network works when above 0
        self.api_version: str | None = None
        self.usage = Usage()
        # usage reported by batch items since last cleared, one per item in order
        self.item_usages: list[Usage] = []
        base = urlsplit(self.base_url)
        self._origin = (base.scheme, base.hostname, base.port)

    def get(self, path: str, token: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._request("GET", self._url(path), token, params=params)

    def post(self, path: str, token: str, data: Mapping[str, Any] | None = None) -> Any:
        return self._request("POST", self._url(path), token, data=data)

    def paged(self, path: str, token: str,
              params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paged edge, following ``paging.next`` until it is absent
        (a page may be empty and still have a next)."""
        body = self.get(path, token, params)
        while True:
            yield from body.get("data", []) if isinstance(body, dict) else []
            next_url = body.get("paging", {}).get("next") if isinstance(body, dict) else None
            if not next_url:
                return
            parts = urlsplit(next_url)
            if (parts.scheme, parts.hostname, parts.port) != self._origin:
                # Never send a token to a host we were not configured for.
                raise GraphError("Meta's next-page link pointed to another server; "
                                 "Engage Desktop stopped there.", "Try again later.")
            # Meta copies a token into the link (/{version}/{user-id}/accounts?access_token=…):
            # it is taken out, and sent in the header as always.
            query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                     if key != "access_token"]
            body = self._request("GET", parts._replace(query=urlencode(query)).geturl(), token)

    def read_each(self, chunk: Sequence[str], token: str, fields: str = PAGE_FIELDS
                  ) -> tuple[dict[str, dict[str, Any]], dict[str, GraphError]]:
        """Read up to 50 nodes as one batch of single reads, each with its own outcome.
        Items that did not complete are tried again once."""
        pending = list(chunk)
        found: dict[str, dict[str, Any]] = {}
        failed: dict[str, GraphError] = {}
        for _ in range(2):
            answers = self.batch([f"{item}?{urlencode({'fields': fields})}"
                                  for item in pending], token)
            retry = []
            for item, answer in zip(pending, answers, strict=True):
                if isinstance(answer, dict):
                    found[item] = answer
                    failed.pop(item, None)
                elif isinstance(answer, GraphError) and not answer.retryable:
                    failed[item] = answer
                else:
                    retry.append(item)
                    if answer is not None:
                        failed[item] = answer  # Meta's words, if the last try fails too
            pending = retry
            if not pending:
                break
        for item in pending:
            failed.setdefault(item, TemporaryError("Meta did not answer for this Page.",
                                                   "The next sync tries again."))
        return found, failed

    def batch(self, relative_urls: Sequence[str], token: str
              ) -> list[dict[str, Any] | GraphError | None]:
        """One batch request of up to 50 GETs. Each answer is the decoded body, the item's
        typed error (its ``retryable`` says whether asking again may work), or None when the
        item did not complete (or came back cut short) and should be tried again. ``token``
        is the batch's own token; an item may carry its own ``access_token`` (it travels in
        the POST body, never in a URL)."""
        items = [{"method": "GET", "relative_url": url} for url in relative_urls]
        answers = self.post("", token, {"batch": json.dumps(items), "include_headers": "true"})
        if not isinstance(answers, list) or len(answers) != len(items):
            raise TemporaryError("Meta's answer to a batch request was incomplete.",
                                 "Try again.")
        return [self._batch_item(answer) for answer in answers]

    def _batch_item(self, answer: Any) -> dict[str, Any] | GraphError | None:
        if not isinstance(answer, dict):
            self.item_usages.append(Usage())  # one per item, in the batch's order
            return None  # a null item did not complete
        headers = {h.get("name", ""): h.get("value", "") for h in answer.get("headers") or []
                   if isinstance(h, dict)}
        usage = parse_usage(headers)
        self.item_usages.append(usage)
        try:
            body = json.loads(answer.get("body") or "")
        except ValueError:
            return None  # cut short
        code = int_or_none(answer.get("code")) or 0
        if code == 200 and isinstance(body, dict) and "error" not in body:
            return body
        error = parse_error(body, code, usage)
        error.usage = usage
        return error

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def _request(self, method: str, url: str, token: str, **kwargs: Any) -> Any:
        self.requests_made += 1
        register_secret(token)
        log.debug("%s %s", method, urlsplit(url).path)
        # Errors are raised outside the except blocks so that requests' exceptions (whose
        # request carries the Authorization header) are not chained to ours.
        failure: EngageError | None = None
        response = None
        try:
            response = self.session.request(method, url, headers=auth_header(token),
                                            timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            failure = describe_failure(exc, url)
        if failure is not None:
            raise failure
        assert response is not None
        self.responses += 1
        self.api_version = response.headers.get("facebook-api-version", self.api_version)
        self.usage = parse_usage(response.headers)
        body: Any = None
        try:
            body = response.json()
        except ValueError:
            failure = _not_json(response)
        if failure is not None:
            raise failure
        if (isinstance(body, dict) and "error" in body) or not response.ok:
            error = parse_error(body, response.status_code, self.usage)
            error.usage = self.usage
            raise error
        return body


def _not_json(response: requests.Response) -> GraphError:
    status = response.status_code
    if status >= 500 or response.ok:
        return TemporaryError("Meta's answer was cut off or garbled.",
                              "Try again; the network may have dropped part of it.",
                              http_status=status)
    return GraphError(
        f"Something other than Meta answered (HTTP {status}, not the Graph API's JSON): a web "
        "filter or proxy may be blocking graph.facebook.com.",
        "Ask IT to allow graph.facebook.com for Engage Desktop.", http_status=status)
