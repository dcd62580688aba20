"""A small client for Meta's Graph API: requests, errors, paging, batch reads, rate limits.

Pages are read one ``relative_url`` each inside batch requests (``POST /`` with ``batch``), never
with ``GET /?ids=``: Meta no longer serves multi-ID reads to new apps, and one unreadable Page
would fail the whole request.

Meta answers errors with ``{"error": {...}}`` whatever the HTTP status (and inside batches);
:func:`parse_error` turns that into a typed :class:`GraphError` by the first matching row of
:data:`ERROR_TABLE` (Meta's codes as documented and as recorded in the wild): its kind, its scope,
whether to retry, and what the officer or IT can do, followed by Meta's own words. Meta's own
message can quote a malformed token, so it is redacted before it is kept anywhere.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

from engage_desktop.core.errors import EngageError
from engage_desktop.core.net import NetworkSettings, auth_header, describe_failure
from engage_desktop.core.redaction import redact, register_secret

log = logging.getLogger(__name__)

GRAPH_URL_ENV = "ENGAGE_GRAPH_URL"
DEFAULT_GRAPH_URL = "https://graph.facebook.com/v27.0"
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
NO_PERSON_TOKEN_CODES = {104, 2500}  # "An active access token must be used…"
NO_PERSON_TOKEN = "Meta got an app token, or no token, instead of a person's token"
PAGE_TOKEN_NEEDED = 2069032  # 190 subcode: "User access token is not supported"


class GraphError(EngageError):
    """Meta refused or failed a request. ``kind`` is a stable word for the database and JSON:
    ``token``, ``permission``, ``throttled``, ``temporary``, ``too_much_data``, ``not_found``,
    ``invalid_parameter``, ``blocked`` or ``unknown``. ``scope`` is what it is about: ``page``
    (this Page), ``token`` (this token), ``app`` (the app) or ``request`` (this request)."""

    kind = "unknown"
    retryable = False
    scope = "request"
    usage: Usage | None = None  # the rate-limit headers on the answer (or batch item) it came in

    def __init__(self, message: str, hint: str = "", *, code: int | None = None,
                 subcode: int | None = None, http_status: int | None = None,
                 meta_message: str = "", fbtrace_id: str | None = None,
                 user_words: str = "", regain_minutes: int | None = None,
                 is_transient: bool | None = None) -> None:
        super().__init__(message, hint)
        self.code = code
        self.subcode = subcode
        self.http_status = http_status
        self.meta_message = meta_message
        self.fbtrace_id = fbtrace_id
        self.user_words = user_words  # Meta's error_user_title and error_user_msg
        self.regain_minutes = regain_minutes
        self.is_transient = is_transient  # Meta's own word, when its answer says

    @property
    def said(self) -> str:
        """Meta's own words for a person, then Meta's message with its code and subcode ("" if
        Meta said nothing)."""
        return _said(self.code, self.subcode, self.meta_message, self.user_words)


class TokenInvalidError(GraphError):
    kind = "token"
    scope = "token"

    @property
    def meaning(self) -> str:
        return _meaning(self.code, self.subcode)


class PermissionDeniedError(GraphError):
    kind = "permission"


class PageTokenNeededError(PermissionDeniedError):
    """190/2069032 (or "must be called with a Page access token"): the token works, but Meta
    wants this Page's own token. Reconnecting with the same kind of token does not help."""


class ThrottledError(GraphError):
    kind = "throttled"


class TemporaryError(GraphError):
    kind = "temporary"
    retryable = True


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

    def app_over(self, limit: int) -> bool:
        """Whether the app's usage (``X-App-Usage``) reached ``limit`` percent."""
        return max(self.app.values(), default=0) >= limit

    def page_over(self, limit: int) -> bool:
        """Whether the usage of the Page whose token made the call (``X-Page-Usage``)
        reached ``limit`` percent: that Page's limit, not the user's."""
        return max(self.page.values(), default=0) >= limit

    def business_over(self, limit: int) -> list[str]:
        """The business objects (Page IDs or business IDs) whose use-case usage reached
        ``limit`` percent, or for which Meta gives a time to wait."""
        return [owner for owner, entries in self.business.items()
                if any(max(e.call_count, e.total_cputime, e.total_time) >= limit
                       or e.regain_minutes > 0 for e in entries)]


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


@dataclass(frozen=True, slots=True)
class ErrorRule:
    """One row of the error table: which of Meta's answers it matches, and what follows. The
    texts may name ``{meaning}``, ``{needs}``, ``{feature}``, ``{todo}``, ``{minutes}`` and
    ``{until}``, filled from Meta's answer (see :func:`_details`)."""

    codes: frozenset[int]
    error: type[GraphError]
    scope: str  # page (this Page), token (this token), app (the app), request (this request)
    retry: bool  # worth asking again in this run
    message: str  # what is wrong
    hint: str  # what the officer, or IT, can do
    subcodes: frozenset[int] = frozenset()  # empty: any subcode
    words: tuple[str, ...] = ()  # one of these in Meta's message (lower case); empty: any

    def matches(self, code: int | None, subcode: int | None, said: str) -> bool:
        return (code in self.codes and (not self.subcodes or subcode in self.subcodes)
                and (not self.words or any(word in said for word in self.words)))


def _codes(*codes: int | range) -> frozenset[int]:
    return frozenset(n for c in codes for n in (c if isinstance(c, range) else [c]))


_PERMISSION_CODES = _codes(10, range(200, 300))
_PAGE_TOKEN_HINT = (
    "Connect with the user token of someone who runs this Page (engage-desktop connect "
    "--token-stdin): Engage Desktop then takes the Page's own token from the list of their "
    "Pages Meta gives. Reconnecting with the same token does not help, and a Page you do not "
    "run cannot be read this way.")
_THROTTLED = ("Meta is limiting how often Engage Desktop may call it{minutes}.",
              "Nothing is lost: the next sync carries on where this one stopped.")
_UNREADABLE = ("Facebook cannot read this Page: it does not exist, was removed, or this token "
               "may not read it.",
               "Check the Page's address and that the Page is published and not limited by age "
               "or country; a Page you run needs a token from someone with a role on it. The "
               "other Pages are not affected.")

# First match wins. From Meta's documentation and the answers recorded in the wild
# (reference/graph-api.md section 6, reference/real-world.md "Error bodies").
ERROR_TABLE: tuple[ErrorRule, ...] = (
    ErrorRule(_codes(190, 102), PageTokenNeededError, "page", False,
              "Meta reads this only with the Page's own token: the token used is a valid user "
              "token, which Meta does not accept here.", _PAGE_TOKEN_HINT,
              subcodes=_codes(PAGE_TOKEN_NEEDED)),
    ErrorRule(_codes(190, 210), PageTokenNeededError, "page", False,
              "Meta reads this only with the Page's own token.", _PAGE_TOKEN_HINT,
              words=("page access token",)),
    ErrorRule(_codes(190, 102), TokenInvalidError, "token", False,
              "The token no longer works: {meaning}.",
              "Ask a Page admin to give the person their role back; a new token will not help "
              "until then.", subcodes=_codes(492)),
    ErrorRule(_codes(190, 102), TokenInvalidError, "token", False,
              "The token no longer works: {meaning}.",
              "Reconnect: get a new token from Meta and connect it again."),
    ErrorRule(_codes(*NO_PERSON_TOKEN_CODES), TokenInvalidError, "token", False,
              "The token cannot be used: {meaning}.",
              "Connect a user, system-user or Page token made in Meta's Graph API Explorer or "
              "Business Manager (see 'Connecting Facebook' in the README). An app token cannot "
              "read Pages and must not be given to Engage Desktop."),
    ErrorRule(_codes(4, 341), ThrottledError, "app", False, *_THROTTLED),
    ErrorRule(_codes(17, 613), ThrottledError, "token", False, *_THROTTLED),
    ErrorRule(_codes(32, range(80000, 80015)), ThrottledError, "page", False, *_THROTTLED),
    ErrorRule(_codes(368), BlockedError, "token", False,
              "Meta has temporarily blocked calls with this token under its policies{minutes}.",
              "Engage Desktop makes no more calls with it in this sync. Wait{until} before "
              "syncing again; if it keeps happening, ask IT to check the app in Meta's "
              "developer dashboard."),
    ErrorRule(_codes(1), TooMuchDataError, "request", False, "Meta asked for a smaller request.",
              "Engage Desktop asks again for less.", words=("reduce the amount of data",)),
    ErrorRule(_codes(1, 2), TemporaryError, "request", True, "Meta had a temporary problem.",
              "Try again in a few minutes."),
    ErrorRule(_codes(100), PermissionDeniedError, "app", False,
              "Meta refused: reading Pages of other organisations needs Meta to approve the "
              "Engage Desktop app for {feature}.",
              "For IT: the app's owner must ask for {feature} in Meta's app review (App Review "
              "in the app's dashboard); an app secret proof is no way round it, as an app secret "
              "must never ship in a desktop program. Your own Pages are not affected.",
              words=("appsecret_proof", "app secret proof", "public content access")),
    ErrorRule(_PERMISSION_CODES, PermissionDeniedError, "page", False,
              "Meta refused: this needs {needs}.", "{todo}"),
    ErrorRule(_codes(12), InvalidParameterError, "request", False,
              "Meta no longer offers something Engage Desktop asks for: it is deprecated in "
              "this version of the Graph API.",
              "An update of Engage Desktop is needed: tell IT, with Meta's message."),
    ErrorRule(_codes(803), NotFoundError, "page", False,
              "Facebook has no Page with that name or ID.",
              "Check the Page's address; it may have been renamed or removed."),
    ErrorRule(_codes(100), NotFoundError, "page", False, *_UNREADABLE, subcodes=_codes(33)),
    ErrorRule(_codes(100), NotFoundError, "page", False, *_UNREADABLE,
              words=("does not exist", "cannot be loaded due to missing permissions")),
    ErrorRule(_codes(100), InvalidParameterError, "page", False,
              "Meta no longer serves an Insights metric Engage Desktop asked for.",
              "It is noted and left out; the other metrics carry on.",
              words=("valid insights metric",)),
    ErrorRule(_codes(100), InvalidParameterError, "request", False,
              "Meta did not accept the request.",
              "Meta may have changed its API: if this keeps happening, tell IT, with Meta's "
              "message; an update of Engage Desktop may be needed."),
)
_PERMISSION_NAME = re.compile(r"\b((?:pages|read|business|instagram|ads|publish)_[a-z_]+)\b")
_FEATURE = re.compile(r"\bpages? public (content|metadata) access\b", re.IGNORECASE)
# kinds waited out rather than asked again at once, whatever is_transient says
_NOT_AGAIN = frozenset({"throttled", "blocked", "token"})
_TEMPORARY = ErrorRule(frozenset(), TemporaryError, "request", True,
                       "Meta had a problem answering.", "Try again in a few minutes.")
_UNKNOWN = ErrorRule(frozenset(), GraphError, "request", False, "Meta refused the request.",
                     "If this keeps happening, tell IT, with Meta's message and code.")


def parse_error(body: Any, http_status: int | None, usage: Usage | None = None) -> GraphError:
    """The typed error for Meta's ``{"error": {...}}`` body (or for a status without one): the
    first row of :data:`ERROR_TABLE` that matches, or, for a code not in it, Meta's own words
    with a neutral hint (a temporary error when Meta says ``is_transient`` or the status is
    5xx). ``is_transient: false`` is never retried."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        if http_status is not None and http_status >= 500:
            return TemporaryError(f"Meta had a problem answering (HTTP {http_status}).",
                                  "Try again in a few minutes.", http_status=http_status)
        return GraphError(f"Meta gave an answer Engage Desktop does not understand "
                          f"(HTTP {http_status}).", "Try again later.", http_status=http_status)
    code = _int_or_none(error.get("code"))
    subcode = _int_or_none(error.get("error_subcode"))
    meta_message = redact(str(error.get("message", ""))).strip()[:500]
    user_words = ": ".join(redact(text.strip())[:300].rstrip(":")
                           for text in (error.get("error_user_title"), error.get("error_user_msg"))
                           if isinstance(text, str) and text.strip())
    regain = (usage.regain_minutes if usage else 0) or None
    transient = error.get("is_transient")
    rule = next((row for row in ERROR_TABLE if row.matches(code, subcode, meta_message.lower())),
                None) or (_TEMPORARY if transient is True or (http_status or 0) >= 500
                          else _UNKNOWN)
    details = _details(meta_message, code, subcode, regain)
    said = _said(code, subcode, meta_message, user_words)
    result = rule.error(f"{rule.message.format_map(details)} {said}".strip(),
                        rule.hint.format_map(details), code=code, subcode=subcode,
                        http_status=http_status, meta_message=meta_message,
                        fbtrace_id=error.get("fbtrace_id"), user_words=user_words,
                        regain_minutes=regain,
                        is_transient=transient if isinstance(transient, bool) else None)
    result.scope = rule.scope
    # Meta's is_transient has the last word: false is never asked again, true is (but a
    # limit, a block or a dead token is waited out, not asked again at once)
    result.retryable = transient is not False and (
        rule.retry or (transient is True and rule.error.kind not in _NOT_AGAIN))
    return result


def _details(meta_message: str, code: int | None, subcode: int | None,
             regain: int | None) -> dict[str, str]:
    """What the table's texts can name, read from Meta's answer."""
    named = " and ".join(dict.fromkeys(_PERMISSION_NAME.findall(meta_message)))
    found = _FEATURE.search(meta_message)
    feature = f"Page Public {found.group(1).title()} Access" if found else (
        "Page Public Content Access")
    review = (f"For Pages of other organisations, IT must have the app approved for {feature} "
              "in Meta's app review.")
    if named and found:
        needs = (f"the permission {named} (for a Page you run) or, for Pages of other "
                 f"organisations, Meta's approval of the app for {feature}")
    elif named:
        needs = f"the permission {named}, which the token lacks"
    elif found:
        needs = f"Meta's approval of the app for {feature}"
    else:
        needs = "a permission the token lacks"
    reconnect = ("Reconnect with a token that has "
                 f"{named or 'pages_read_engagement (and read_insights for Insights)'}, from "
                 "someone with a role on the Page.")
    return {"meaning": _meaning(code, subcode),
            "needs": needs, "feature": feature,
            "todo": review if found and not named else (
                f"{reconnect} {review}" if found else reconnect),
            "minutes": f" for about {regain} minutes" if regain else "",
            "until": f" about {regain} minutes" if regain else " a day"}


def _meaning(code: int | None, subcode: int | None) -> str:
    if code in NO_PERSON_TOKEN_CODES:
        return NO_PERSON_TOKEN
    return TOKEN_SUBCODES.get(subcode or 0, "Meta no longer accepts the token")


def _said(code: int | None, subcode: int | None, meta_message: str, user_words: str) -> str:
    """Meta's own words for a person, then Meta's message with its code and subcode: what is
    added to Engage Desktop's words wherever a failure is shown or kept."""
    numbers = ", ".join([f"code {code}"] * (code is not None)
                        + [f"subcode {subcode}"] * (subcode is not None))
    parts = [f'Meta\'s note: "{user_words}"'] if user_words else []
    if meta_message:
        parts.append(f"Meta said: {meta_message.rstrip('. ')}"
                     + (f" ({numbers})." if numbers else "."))
    elif numbers:
        parts.append(f"Meta's {numbers}.")
    return " ".join(parts)


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
        code = _int_or_none(answer.get("code")) or 0
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
