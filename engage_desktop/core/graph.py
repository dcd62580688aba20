"""A small client for Meta's Graph API: requests, errors, paging, batch reads, rate limits.

Pages are read one ``relative_url`` each inside batch requests (``POST /`` with ``batch``), never
with ``GET /?ids=``: Meta no longer serves multi-ID reads to new apps, and one unreadable Page
would fail the whole request.

Meta answers errors with ``{"error": {...}}`` whatever the HTTP status (and inside batches);
:func:`parse_error` turns that into one typed :class:`GraphError` subclass per row of the error
table in ``reference/graph-api.md``. Meta's own message can quote a malformed token, so it is
redacted before it is kept anywhere.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

from engage_desktop.core.errors import EngageError
from engage_desktop.core.net import NetworkSettings, auth_header, describe_failure
from engage_desktop.core.redaction import redact, register_secret

log = logging.getLogger(__name__)

GRAPH_URL_ENV = "ENGAGE_GRAPH_URL"
DEFAULT_GRAPH_URL = "https://graph.facebook.com/v27.0"
GRAPH_URL_SETTING = "graph_api_url"
MAX_BATCH = 50  # sub-requests Meta accepts in one batch request
PAGE_FIELDS = "id,name,username,link,category"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

TOKEN_SUBCODES = {
    458: "the Engage Desktop app was removed from the Facebook account",
    459: "Facebook wants the account holder to log in and pass a security check",
    460: "the Facebook password was changed",
    463: "the token expired",
    464: "the Facebook account is not confirmed yet",
    467: "the token is no longer valid (the person logged out or it was revoked)",
    492: "the person no longer has a role on this Page",
}
THROTTLE_CODES = {4, 17, 32, 341, 613} | set(range(80000, 80015))


class GraphError(EngageError):
    """Meta refused or failed a request. ``kind`` is a stable word for the database and JSON:
    ``token``, ``permission``, ``throttled``, ``temporary``, ``not_found``,
    ``invalid_parameter``, ``blocked`` or ``unknown``."""

    kind = "unknown"
    usually_passes = False  # a kind of failure that often goes away when asked again

    def __init__(self, message: str, hint: str = "", *, code: int | None = None,
                 subcode: int | None = None, http_status: int | None = None,
                 meta_message: str = "", fbtrace_id: str | None = None,
                 is_transient: bool | None = None) -> None:
        super().__init__(message, hint)
        self.code = code
        self.subcode = subcode
        self.http_status = http_status
        self.meta_message = meta_message
        self.fbtrace_id = fbtrace_id
        self.is_transient = is_transient  # Meta's own word, when its answer says

    @property
    def retryable(self) -> bool:
        """Whether asking again in the same run may work: never when Meta says
        ``is_transient: false``; otherwise for the kinds that usually pass (codes 1 and 2,
        ``is_transient: true``, HTTP 5xx, an answer cut short or dropped)."""
        return self.usually_passes and self.is_transient is not False


class TokenInvalidError(GraphError):
    kind = "token"

    @property
    def meaning(self) -> str:
        return TOKEN_SUBCODES.get(self.subcode or 0, "Meta no longer accepts the token")


class PermissionDeniedError(GraphError):
    kind = "permission"


class ThrottledError(GraphError):
    kind = "throttled"

    def __init__(self, *args: Any, regain_minutes: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regain_minutes = regain_minutes


class TemporaryError(GraphError):
    kind = "temporary"
    usually_passes = True


class TooMuchDataError(GraphError):
    """Code 1, "reduce the amount of data": the same request again would fail again."""

    kind = "too_much_data"


class NotFoundError(GraphError):
    kind = "not_found"


class InvalidParameterError(GraphError):
    kind = "invalid_parameter"


class BlockedError(GraphError):
    kind = "blocked"


@dataclass(frozen=True, slots=True)
class BusinessUsage:
    type: str
    call_count: int
    total_cputime: int
    total_time: int
    regain_minutes: int  # estimated_time_to_regain_access is in MINUTES


@dataclass(frozen=True, slots=True)
class Usage:
    """Rate-limit usage Meta reported on one response (percentages of the limit)."""

    app: Mapping[str, int] = field(default_factory=dict)
    page: Mapping[str, int] = field(default_factory=dict)
    business: Mapping[str, Sequence[BusinessUsage]] = field(default_factory=dict)

    @property
    def regain_minutes(self) -> int:
        return max((self.regain_minutes_for(owner) for owner in self.business), default=0)

    def regain_minutes_for(self, owner: str) -> int:
        """Minutes until Meta lets calls for this Page (business use case) through again."""
        return max((entry.regain_minutes for entry in self.business.get(owner, ())), default=0)

    def over(self, limit: int) -> tuple[bool, list[str]]:
        """Whether the app/user usage, and which Pages' usage, reached ``limit`` percent."""
        user = max([*self.app.values(), *self.page.values()], default=0) >= limit
        pages = [owner for owner, entries in self.business.items()
                 if any(max(e.call_count, e.total_cputime, e.total_time) >= limit
                        for e in entries)]
        return user, pages


def parse_usage(headers: Mapping[str, str]) -> Usage:
    """Read ``X-App-Usage``, ``X-Page-Usage`` and ``X-Business-Use-Case-Usage``; a header
    that is missing or malformed is treated as absent."""
    lowered = {key.lower(): value for key, value in headers.items()}

    def percentages(name: str) -> dict[str, int]:
        data = _json_or_none(lowered.get(name))
        if not isinstance(data, dict):
            return {}
        return {key: _int(value) for key, value in data.items() if _is_number(value)}

    business: dict[str, list[BusinessUsage]] = {}
    data = _json_or_none(lowered.get("x-business-use-case-usage"))
    if isinstance(data, dict):
        for owner, entries in data.items():
            if isinstance(entries, list):
                business[str(owner)] = [
                    BusinessUsage(str(e.get("type", "")), _int(e.get("call_count")),
                                  _int(e.get("total_cputime")), _int(e.get("total_time")),
                                  _int(e.get("estimated_time_to_regain_access")))
                    for e in entries if isinstance(e, dict)]
    return Usage(percentages("x-app-usage"), percentages("x-page-usage"), business)


def parse_error(body: Any, http_status: int | None, usage: Usage | None = None) -> GraphError:
    """The typed error for Meta's ``{"error": {...}}`` body (or for a status without one)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        if http_status is not None and http_status >= 500:
            return TemporaryError(f"Meta had a problem answering (HTTP {http_status}).",
                                  "Try again in a few minutes.", http_status=http_status)
        return GraphError(f"Meta gave an answer Engage Desktop does not understand "
                          f"(HTTP {http_status}).", "Try again later.", http_status=http_status)
    code = _int_or_none(error.get("code"))
    subcode = _int_or_none(error.get("error_subcode"))
    meta_message = redact(str(error.get("message", "")))[:500]
    transient = error.get("is_transient")
    common = {"code": code, "subcode": subcode, "http_status": http_status,
              "meta_message": meta_message, "fbtrace_id": error.get("fbtrace_id"),
              "is_transient": transient if isinstance(transient, bool) else None}
    said = f" Meta said: {meta_message}" if meta_message else ""
    if code in (190, 102):
        meaning = TOKEN_SUBCODES.get(subcode or 0, "Meta no longer accepts the token")
        hint = ("Ask a Page admin to give the person their role back; a new token will not "
                "help until then." if subcode == 492 else
                "Reconnect: get a new token from Meta and connect it again.")
        return TokenInvalidError(f"The token no longer works: {meaning}.", hint, **common)
    if code in THROTTLE_CODES:
        regain = usage.regain_minutes if usage else 0
        when = f" for about {regain} minutes" if regain else ""
        return ThrottledError(f"Meta is limiting how often Engage Desktop may call it{when}.",
                              "Nothing is lost: the next sync carries on where this one "
                              "stopped.", regain_minutes=regain or None, **common)
    if code == 368:
        return BlockedError("Meta has temporarily blocked these calls under its policies.",
                            "Wait a day before syncing again.", **common)
    if code == 1 and "reduce the amount of data" in meta_message.lower():
        return TooMuchDataError("Meta asked for a smaller request." + said,
                                "Engage Desktop asks again for less.", **common)
    if code in (1, 2) or error.get("is_transient") is True:
        return TemporaryError("Meta had a temporary problem." + said,
                              "Try again in a few minutes.", **common)
    if code == 10 or (code is not None and 200 <= code <= 299):
        return PermissionDeniedError(
            "Meta refused: the token lacks a permission this needs." + said,
            "Reconnect with a token that has pages_read_engagement (and read_insights for "
            "Insights), from someone with a role on the Page.", **common)
    if code == 803:
        return NotFoundError("Facebook has no Page with that name or ID." + said,
                             "Check the Page's address; it may have been renamed or removed.",
                             **common)
    if code == 100:
        return InvalidParameterError("Meta did not accept the request." + said,
                                     "This usually means Meta changed its API; update "
                                     "Engage Desktop.", **common)
    if http_status is not None and http_status >= 500:
        return TemporaryError("Meta had a problem answering." + said,
                              "Try again in a few minutes.", **common)
    return GraphError("Meta refused the request." + said, "Try again later.", **common)


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
        self.item_usages: list[Usage] = []  # usage reported by batch items since last read
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
            body = self._request("GET", next_url, token)

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
            return None  # a null item did not complete
        headers = {h.get("name", ""): h.get("value", "") for h in answer.get("headers") or []
                   if isinstance(h, dict)}
        usage = parse_usage(headers)
        self.item_usages.append(usage)
        try:
            body = json.loads(answer.get("body") or "")
        except ValueError:
            return None  # cut short
        code = _int_or_none(answer.get("code")) or 0
        if code == 200 and isinstance(body, dict) and "error" not in body:
            return body
        return parse_error(body, code, usage)

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
            raise parse_error(body, response.status_code, self.usage)
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


def _json_or_none(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _int(value: Any) -> int:
    return max(0, int(value)) if _is_number(value) and math.isfinite(value) else 0


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
