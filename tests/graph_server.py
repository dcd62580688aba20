"""A loopback Graph API server: real HTTP on 127.0.0.1, answering as Meta documents.

Its behaviour follows ``reference/graph-api.md``, not Engage Desktop's expectations: ``/me``
(with ``metadata=1``), ``/me/accounts`` (cursor-paged), ``/{page}``, batch ``POST /`` (per-item
tokens and errors, ``null`` items, Pages that answer #100 or #100/33), a refusal (#12) of
multi-ID reads ``/?ids=`` as Meta gives new apps since Graph API v27.0,
``/{page}/insights`` (93-day limit, #100 on a retired metric; opt-in: ``{"data": []}``, a
metric left out, breakdown values, lifetime values without ``end_time``, errors 1 and 2 with
``is_transient``, Unix-second paging), the rate-limit headers, and
scripted faults: latency, HTTP 500, dropped connections, truncated JSON, throttling with a regain
time, a token that expires part way, permission errors for one Page. Opt in to answers as recorded
in the wild: :class:`MetaError` bodies (``meta_errors``), gzip ``text/javascript`` answers
(``gzip``), ``/me/accounts`` paged through ``/{user-id}/accounts`` with the token in ``next``
(``accounts_next_by_id``), throttling codes 4, 17, 32, 341, 613, 80001 and 368 inside one Page's
batch items (``item_throttles``), rate-limit headers on items or on the whole batch answer
(``item_headers``, ``batch_headers``, built with :func:`usage_headers`, business-keyed use-case
entries included).

Tests build a :class:`GraphState`, start a :class:`GraphServer` on an ephemeral port and point
``ENGAGE_GRAPH_URL`` at ``server.url``. ``python tests/graph_server.py`` serves an example
council for trying the program by hand.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

API_VERSION = "v27.0"
MAX_BATCH = 50
MAX_INSIGHTS_DAYS = 90  # the reference: 90 days, though Meta's error text says 93
PACIFIC = ZoneInfo("America/Los_Angeles")
PAGE_FIELDS = {"id", "name", "username", "link", "category", "fan_count", "followers_count",
               "talking_about_count", "has_transitioned_to_new_page_experience", "about",
               "new_like_count"}
USER_FIELDS = {"id", "name"}
LIVE_METRICS = {"page_follows", "page_daily_follows_unique", "page_daily_unfollows_unique",
                "page_post_engagements", "page_views_total", "page_media_view",
                "page_total_media_view_unique"}
ITEM_FAULTS = {"null_item", "permission", "throttle", "http500", "transient"}
RETIRED_METRICS = {"page_fans", "page_fan_adds", "page_fan_adds_unique", "page_fan_removes",
                   "page_impressions", "page_impressions_unique", "page_engaged_users",
                   "page_content_activity", "page_consumptions"}


@dataclass
class FakePage:
    id: str
    name: str
    username: str | None = None
    category: str = "Local Government"
    # Counts as Meta sends them: any JSON value (a test may serve 1e20 or "12"); None leaves
    # the field out
    fan_count: Any = 1000
    followers_count: Any = 1000
    talking_about_count: Any = 30
    npe: bool = True
    token: str | None = None  # the Page's own token
    public_readable: bool = True  # False: reading it with a user token is a #10

    def node(self, fields: set[str]) -> dict[str, Any]:
        unknown = fields - PAGE_FIELDS
        if unknown:
            raise GraphError(400, 100, f"(#100) Tried accessing nonexisting field "
                                       f"({sorted(unknown)[0]}) on node type (Page)")
        full: dict[str, Any] = {
            "id": self.id, "name": self.name, "category": self.category,
            "link": f"https://www.facebook.com/{self.username or self.id}",
            "has_transitioned_to_new_page_experience": self.npe,
        }
        if self.username:
            full["username"] = self.username
        counts = {"fan_count": self.followers_count if self.npe else self.fan_count,
                  "followers_count": self.followers_count,
                  "talking_about_count": self.talking_about_count}
        full.update({key: value for key, value in counts.items() if value is not None})
        return {key: value for key, value in full.items() if key in fields or key == "id"}


@dataclass
class FakeUser:
    id: str
    name: str
    token: str
    page_ids: list[str] = field(default_factory=list)
    tasks: tuple[str, ...] = ("ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE")


@dataclass
class Fault:
    """A scripted failure for requests whose path contains ``match`` (empty: every request).

    kinds: ``http500`` (Meta's unknown error, code 1), ``gateway`` (HTTP 502 with an HTML
    body), ``drop`` (connection closed with no answer), ``cut`` (connection closed half-way
    through the body), ``truncate`` (a complete HTTP answer whose JSON is cut short),
    ``transient`` (code 2), ``throttle`` (code 80001 for a Page token, 4 for others, with the
    usage headers and ``regain_minutes``), ``permission`` (code 10), ``latency`` (waits
    ``seconds`` first), ``null_item`` (a batch item that did not complete).
    """

    kind: str
    match: str = ""
    times: int = 1  # how many matching requests it affects; -1 for all
    after: int = 0  # how many matching requests it lets through first
    seconds: float = 0.0
    regain_minutes: int = 19


# Meta's words for its throttling codes, and for 368 (a temporary block for policy reasons)
THROTTLE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    341: "(#341) Application limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try "
           "again.",
    368: "The action attempted has been deemed abusive or is otherwise disallowed",
}


@dataclass
class ItemThrottle:
    """Batch items that read one Page answer with throttling ``code`` (or 368), each with
    ``headers`` on the item (see :func:`usage_headers`), ``times`` times (-1: always)."""

    code: int
    headers: dict[str, str] = field(default_factory=dict)
    times: int = -1


def usage_headers(*, app: int | None = None, page: int | None = None,
                  business: dict[str, tuple[int, int]] | None = None) -> dict[str, str]:
    """Rate-limit headers as Meta sends them: ``X-App-Usage`` and ``X-Page-Usage`` at that
    percent, ``X-Business-Use-Case-Usage`` keyed by business object ID (a Page ID or a
    business ID) -> (call_count percent, estimated_time_to_regain_access in minutes)."""
    headers = {}
    if app is not None:
        headers["X-App-Usage"] = json.dumps(
            {"call_count": app, "total_time": app // 2, "total_cputime": app // 3})
    if page is not None:
        headers["X-Page-Usage"] = json.dumps(
            {"call_count": page, "total_time": page // 2, "total_cputime": page // 3})
    if business is not None:
        headers["X-Business-Use-Case-Usage"] = json.dumps({key: [{
            "type": "pages", "call_count": count, "total_cputime": count // 4,
            "total_time": count // 3, "estimated_time_to_regain_access": minutes}]
            for key, (count, minutes) in business.items()})
    return headers


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    token_in_url: bool
    authorization: str | None  # the scheme only ("OAuth", "Bearer"), never the token
    batch_size: int = 0
    batch_paths: tuple[str, ...] = ()  # each sub-request's path and query, tokens removed


class GraphError(Exception):
    def __init__(self, status: int, code: int, message: str, subcode: int | None = None,
                 headers: dict[str, str] | None = None, kind: str = "OAuthException",
                 **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": {
            "message": message, "type": kind, "code": code,
            "fbtrace_id": base64.b64encode(message.encode()).decode()[:11]}}
        if subcode is not None:
            self.body["error"]["error_subcode"] = subcode
        # is_transient, error_user_title, error_user_msg: as real answers carry them
        self.body["error"].update({key: value for key, value in extra.items()
                                   if value is not None})
        self.headers = headers or {}


@dataclass
class MetaError:
    """An error answered as recorded in the wild (``real-world.md``, "Error bodies"): any HTTP
    status (a 190 inside a 500, a code 2 inside a 400), ``is_transient``, Meta's words for a
    person, and headers such as ``WWW-Authenticate``."""

    status: int
    code: int
    message: str
    subcode: int | None = None
    is_transient: bool | None = None
    user_title: str | None = None
    user_msg: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def error(self) -> GraphError:
        return GraphError(self.status, self.code, self.message, self.subcode,
                          dict(self.headers), is_transient=self.is_transient,
                          error_user_title=self.user_title, error_user_msg=self.user_msg)


@dataclass
class GraphState:
    pages: dict[str, FakePage] = field(default_factory=dict)
    users: dict[str, FakeUser] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    retired_metrics: set[str] = field(default_factory=lambda: set(RETIRED_METRICS))
    accounts_page_size: int = 25
    empty_first_page: bool = False  # /me/accounts starts with an empty page that has a next
    latency: float = 0.0
    api_version: str = API_VERSION
    invalid_tokens: dict[str, int] = field(default_factory=dict)  # token -> 190 subcode
    expire_after: dict[str, tuple[int, int]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    calls_by_token: dict[str, int] = field(default_factory=dict)
    calls_per_hour: int = 2000  # the rate limit the usage headers report against
    # (Page ID, metric, Meta's day) -> the value served instead of a plausible one
    insight_values: dict[tuple[str, str, date], Any] = field(default_factory=dict)
    # Page ID -> the subcode (None for none) of the #100 "does not exist, cannot be loaded due
    # to missing permissions" Meta answers when that one Page cannot be read
    unreadable: dict[str, int | None] = field(default_factory=dict)
    # Insights as real Pages answer (reference/real-world.md, "Insights"), all opt-in:
    no_insights: set[str] = field(default_factory=set)  # these Pages get {"data": []}
    missing_metrics: set[tuple[str, str]] = field(default_factory=set)  # (Page, metric) left out
    object_metrics: set[tuple[str, str]] = field(default_factory=set)  # values are breakdowns
    lifetime_metrics: set[tuple[str, str]] = field(default_factory=set)  # no end_time
    # Page -> (code 1 or 2, is_transient or None to leave it out) for every Insights request
    insights_errors: dict[str, tuple[int, bool | None]] = field(default_factory=dict)
    unix_paging: bool = False  # paging previous/next carry since/until as Unix seconds
    # Real answers, opt in (real-world.md "Graph API answers"). A request, or a batch item,
    # whose path and query hold a key is answered with its error, every time:
    meta_errors: dict[str, MetaError] = field(default_factory=dict)
    gzip: bool = False  # answers gzip-compressed and typed text/javascript; charset=UTF-8
    # /me/accounts' next link as Meta writes it: /{version}/{user-id}/accounts?access_token=…
    # &limit=…&after=… (the token in the URL), with a summary. An empty /me/accounts is a
    # FakeUser with no page_ids; a listed Page without a token is a FakePage with token None.
    accounts_next_by_id: bool = False
    # Page ID -> how batch items reading that Page (its node or its Insights) are throttled
    item_throttles: dict[str, ItemThrottle] = field(default_factory=dict)
    # Page ID -> headers added to every batch item reading that Page; headers added to the
    # whole batch answer
    item_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    batch_headers: dict[str, str] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def add_page(self, page: FakePage) -> FakePage:
        self.pages[page.id] = page
        return page

    def add_user(self, user: FakeUser) -> FakeUser:
        self.users[user.id] = user
        return user

    def expire(self, token: str, subcode: int = 463, *, after_requests: int = 0) -> None:
        """The token stops working (190 with ``subcode``) after that many more requests."""
        with self.lock:
            if after_requests <= 0:
                self.invalid_tokens[token] = subcode
            else:
                self.expire_after[token] = (after_requests, subcode)

    def fault(self, kind: str, match: str = "", **options: Any) -> Fault:
        fault = Fault(kind, match, **options)
        with self.lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, target: str, kinds: set[str] | None = None, *,
                   item: bool = False) -> Fault | None:
        """The first live fault of those kinds whose ``match`` is in ``target`` (a path with
        its query, or a batch item's relative URL; a batch item only takes faults that name
        something in it)."""
        with self.lock:
            for fault in self.faults:
                if fault.times == 0 or (kinds is not None and fault.kind not in kinds):
                    continue
                if item and not fault.match:
                    continue
                if fault.match in target:
                    if fault.after > 0:
                        fault.after -= 1
                        continue
                    if fault.times > 0:
                        fault.times -= 1
                    return fault
        return None

    def meta_error(self, target: str) -> MetaError | None:
        return next((error for key, error in self.meta_errors.items() if key in target), None)

    def requests_to(self, fragment: str) -> list[Recorded]:
        return [r for r in self.requests if fragment in r.path]

    # Who a token belongs to -----------------------------------------------------------------

    def owner(self, token: str | None) -> FakePage | FakeUser:
        if not token:
            raise GraphError(400, 104, "An access token is required to request this resource.")
        with self.lock:
            if token in self.expire_after:
                remaining, subcode = self.expire_after[token]
                if remaining <= 0:
                    del self.expire_after[token]
                    self.invalid_tokens[token] = subcode
                else:
                    self.expire_after[token] = (remaining - 1, subcode)
            subcode = self.invalid_tokens.get(token)
        if subcode is not None:
            raise GraphError(400, 190, _token_message(subcode), subcode,
                             {"WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" '
                                                  '"Error validating access token"'})
        for page in self.pages.values():
            if page.token == token:
                return page
        for user in self.users.values():
            if user.token == token:
                return user
        # Meta quotes a token it cannot parse back in its message.
        raise GraphError(400, 190, f"Malformed access token {token}")

    def find_page(self, alias: str) -> FakePage | None:
        if alias in self.pages:
            return self.pages[alias]
        for page in self.pages.values():
            if page.username and page.username.lower() == alias.lower():
                return page
        return None

    # The Graph API --------------------------------------------------------------------------

    def get(self, path: str, query: dict[str, str], token: str | None,
            base: str) -> tuple[Any, dict[str, str]]:
        who = self.owner(token)
        headers = self._usage_headers(who, token or "")
        parts = [part for part in path.strip("/").split("/") if part]
        fields = _fields(query.get("fields"))
        if not parts:
            # Multi-ID reads: refused to apps created since 4 November 2026, on every version
            raise GraphError(400, 12, "(#12) Multi-ID requests (ids) are deprecated for versions "
                                      "v27.0 and higher")
        if parts == ["me"]:
            return self._me(who, query, fields), headers
        if parts == ["me", "accounts"] or (
                self.accounts_next_by_id and parts == [getattr(who, "id", ""), "accounts"]):
            return self._accounts(who, query, base, token or ""), headers
        if len(parts) == 1:
            return self._read_one(who, parts[0], fields), headers
        if len(parts) == 2 and parts[1] == "insights":
            return self._insights(who, parts[0], query, base), headers
        raise GraphError(400, 100, f"Unsupported get request. Object with ID '{parts[0]}' does "
                                   "not exist, cannot be loaded due to missing permissions, or "
                                   "does not support this operation.", 33)

    def _usage_headers(self, who: FakePage | FakeUser, token: str) -> dict[str, str]:
        with self.lock:
            calls = self.calls_by_token.get(token, 0) + 1
            self.calls_by_token[token] = calls
        percent = min(100, calls * 100 // self.calls_per_hour)
        headers = {"facebook-api-version": self.api_version}
        if isinstance(who, FakePage):
            headers["x-business-use-case-usage"] = json.dumps({who.id: [{
                "type": "pages", "call_count": percent, "total_cputime": percent // 2,
                "total_time": percent // 2, "estimated_time_to_regain_access": 0}]})
        else:
            headers["x-app-usage"] = json.dumps(
                {"call_count": percent, "total_time": percent // 2, "total_cputime": percent // 3})
        return headers

    def _me(self, who: FakePage | FakeUser, query: dict[str, str],
            fields: set[str]) -> dict[str, Any]:
        if isinstance(who, FakePage):
            node = who.node(fields or {"id", "name"})
            kind = "page"
        else:
            unknown = (fields or {"id"}) - USER_FIELDS
            if unknown:
                raise GraphError(400, 100, f"(#100) Tried accessing nonexisting field "
                                           f"({sorted(unknown)[0]}) on node type (User)")
            node = {"id": who.id, "name": who.name}
            kind = "user"
        if query.get("metadata") == "1":
            node["metadata"] = {"type": kind}
        return node

    def _accounts(self, who: FakePage | FakeUser, query: dict[str, str], base: str,
                  token: str) -> dict[str, Any]:
        if isinstance(who, FakePage):
            raise GraphError(400, 100, "(#100) Tried accessing nonexisting field (accounts) "
                                       "on node type (Page)")
        limit = min(int(query.get("limit", self.accounts_page_size)), self.accounts_page_size)
        start = int(base64.b64decode(query["after"]).decode()) if query.get("after") else 0
        # Meta may send an empty page that still has a next link: the first one, if asked.
        empty = self.empty_first_page and not query.get("after")
        page_ids = [] if empty else who.page_ids[start:start + limit]
        fields = _fields(query.get("fields")) or {"id", "name"}
        data = []
        for page_id in page_ids:
            page = self.pages[page_id]
            node = page.node(fields - {"access_token", "tasks"})
            if "access_token" in fields and page.token:
                node["access_token"] = page.token
            if "tasks" in fields:
                node["tasks"] = list(who.tasks)
            data.append(node)
        result: dict[str, Any] = {"data": data}
        end = start + len(page_ids)
        if start < len(who.page_ids):
            cursors = {"before": base64.b64encode(str(start).encode()).decode(),
                       "after": base64.b64encode(str(end).encode()).decode()}
            result["paging"] = {"cursors": cursors}
            if end < len(who.page_ids):
                params = {k: v for k, v in query.items() if k != "after"}
                params["after"] = cursors["after"]
                if query.get("access_token"):
                    params["access_token"] = token  # Meta copies a query token into next
                result["paging"]["next"] = f"{base}/me/accounts?{urlencode(params)}"
                if self.accounts_next_by_id:
                    params = {"access_token": token, **params}
                    result["paging"]["next"] = f"{base}/{who.id}/accounts?{urlencode(params)}"
        if self.accounts_next_by_id:
            result["summary"] = {"total_count": len(who.page_ids)}
        return result

    def _readable(self, who: FakePage | FakeUser, alias: str) -> FakePage:
        page = self.find_page(alias)
        if page is None:
            raise GraphError(400, 803, f"(#803) Some of the aliases you requested do not "
                                       f"exist: {alias}")
        if isinstance(who, FakePage) and who.id == page.id:
            return page
        if page.id in self.unreadable:
            raise GraphError(400, 100, f"Unsupported get request. Object with ID '{alias}' does "
                                       "not exist, cannot be loaded due to missing permissions, "
                                       "or does not support this operation. Please read the "
                                       "Graph API documentation at "
                                       "https://developers.facebook.com/docs/graph-api",
                             self.unreadable[page.id], kind="GraphMethodException")
        if not page.public_readable or isinstance(who, FakePage):
            raise GraphError(400, 10,
                             "(#10) This endpoint requires the 'pages_read_engagement' "
                             "permission or the 'Page Public Metadata Access' feature.")
        return page

    def _read_one(self, who: FakePage | FakeUser, alias: str,
                  fields: set[str]) -> dict[str, Any]:
        if alias == "me":
            return self._me(who, {}, fields)
        return self._readable(who, alias).node(fields or {"id", "name"})

    def _insights(self, who: FakePage | FakeUser, alias: str, query: dict[str, str],
                  base: str) -> dict[str, Any]:
        page = self.find_page(alias)
        if page is None:
            raise GraphError(400, 803, f"(#803) Some of the aliases you requested do not "
                                       f"exist: {alias}")
        if not (isinstance(who, FakePage) and who.id == page.id):
            raise GraphError(400, 190, "(#190) This method must be called with a Page Access "
                                       "Token")
        if page.id in self.insights_errors:
            raise _insights_error(*self.insights_errors[page.id])
        metrics = [m for m in query.get("metric", "").split(",") if m]
        if not metrics:
            raise GraphError(400, 100, "(#100) The parameter metric is required")
        for metric in metrics:
            if metric in self.retired_metrics or metric not in LIVE_METRICS:
                raise GraphError(400, 100, "(#100) The value must be a valid insights metric")
        if query.get("period", "day") != "day":
            raise GraphError(400, 100, "(#100) Invalid period")
        until = _parse_day(query.get("until")) or datetime.now(PACIFIC).date()
        since = _parse_day(query.get("since")) or until - timedelta(days=2)
        if (until - since).days > MAX_INSIGHTS_DAYS:
            raise GraphError(400, 100, "(#100) There cannot be more than 93 days (8035200 s) "
                                       "between since and until")
        oldest = datetime.now(PACIFIC).date() - timedelta(days=730)
        data = []
        for metric in metrics:
            if page.id in self.no_insights or (page.id, metric) in self.missing_metrics:
                continue
            if (page.id, metric) in self.lifetime_metrics:
                data.append({"name": metric, "period": "lifetime",
                             "values": [{"value": _metric_value(page.id, metric, until)}],
                             "id": f"{page.id}/insights/{metric}/lifetime"})
                continue
            values = []
            day = max(since, oldest)
            while day < until:
                end = datetime.combine(day + timedelta(days=1), datetime.min.time(),
                                       tzinfo=PACIFIC).astimezone(UTC)
                value = self.insight_values.get((page.id, metric, day),
                                                _metric_value(page.id, metric, day))
                if (page.id, metric) in self.object_metrics:
                    value = {"London": value, "Leeds": 3, "Cardiff": 1}
                values.append({"value": value,
                               "end_time": end.strftime("%Y-%m-%dT%H:%M:%S+0000")})
                day += timedelta(days=1)
            data.append({"name": metric, "period": "day", "values": values,
                         "title": metric.replace("_", " ").title(),
                         "description": f"Daily: {metric}",
                         "id": f"{page.id}/insights/{metric}/day"})
        span = until - since
        shown = _unix_seconds if self.unix_paging else str
        paging = {"previous": f"{base}/{alias}/insights?" + urlencode(
                      {**query, "since": shown(since - span), "until": shown(since)}),
                  "next": f"{base}/{alias}/insights?" + urlencode(
                      {**query, "since": shown(until), "until": shown(until + span)})}
        if page.id in self.no_insights:
            return {"data": []}
        return {"data": data, "paging": paging}

    def batch(self, items: list[Any], top_token: str | None, base: str) -> list[Any]:
        if top_token is None:
            raise GraphError(400, 100, "(#100) Missing access_token: a batch needs a "
                                       "top-level access token")
        if len(items) > MAX_BATCH:
            raise GraphError(400, 1, f"Too many requests in batch message. Maximum batch "
                                     f"size is {MAX_BATCH}")
        self.owner(top_token)
        answers: list[Any] = []
        for item in items:
            if not isinstance(item, dict) or not item.get("relative_url"):
                error = GraphError(400, 100, "(#100) Each batch item needs a relative_url")
                answers.append({"code": 400, "headers": [], "body": json.dumps(error.body)})
                continue
            relative = str(item["relative_url"])
            fault = self.take_fault(relative, ITEM_FAULTS, item=True)
            if fault and fault.kind == "null_item":
                answers.append(None)
                continue
            split = urlsplit("/" + relative.lstrip("/"))
            meta_error = self.meta_error(relative)
            if meta_error:
                error = meta_error.error()
                answers.append({"code": error.status, "headers": _header_list(
                    {"Content-Type": "text/javascript; charset=UTF-8", **error.headers}),
                    "body": json.dumps(error.body)})
                continue
            query = {k: v[-1] for k, v in parse_qs(split.query).items()}
            token = query.pop("access_token", None) or top_token
            try:
                if str(item.get("method", "GET")).upper() != "GET":
                    raise GraphError(400, 100, "(#100) Only GET is supported here")
                if fault:
                    _raise_fault(self, fault, token)
                self._item_throttle(split.path)
                body, headers = self.get(split.path, query, token, base)
                answers.append({"code": 200, "headers": _header_list(
                    {**headers, **self._extra_item_headers(split.path)}),
                    "body": json.dumps(body)})
            except GraphError as exc:
                status = 403 if exc.body["error"]["code"] in (10, 200) else exc.status
                answers.append({"code": status, "headers": _header_list(
                    {"Content-Type": "text/javascript; charset=UTF-8", **exc.headers,
                     **self._extra_item_headers(split.path)}),
                    "body": json.dumps(exc.body)})
        return answers

    def _item_throttle(self, path: str) -> None:
        page_id = path.strip("/").split("/")[0]
        with self.lock:
            throttle = self.item_throttles.get(page_id)
            if throttle is None or throttle.times == 0:
                return
            if throttle.times > 0:
                throttle.times -= 1
        raise GraphError(400, throttle.code, THROTTLE_MESSAGES[throttle.code],
                         headers=dict(throttle.headers))

    def _extra_item_headers(self, path: str) -> dict[str, str]:
        return dict(self.item_headers.get(path.strip("/").split("/")[0], {}))


def _insights_error(code: int, transient: bool | None) -> GraphError:
    """Code 1 (in an HTTP 500) or code 2 (in a 400, as Meta sends it), with ``is_transient``
    when given."""
    error = (GraphError(500, 1, "An unknown error occurred", kind="OAuthException")
             if code == 1 else GraphError(400, 2, "An unexpected error has occurred. Please "
                                                  "retry your request later."))
    if transient is not None:
        error.body["error"]["is_transient"] = transient
    return error


def _unix_seconds(day: date) -> str:
    """A day as Meta writes it in Insights paging: Unix seconds of its start (Pacific)."""
    return str(int(datetime.combine(day, datetime.min.time(), tzinfo=PACIFIC).timestamp()))


def _token_message(subcode: int) -> str:
    return {
        458: "Error validating access token: The user has not authorized application.",
        459: "Error validating access token: You cannot access the app till you log in to "
             "www.facebook.com and follow the instructions given.",
        460: "Error validating access token: The session has been invalidated because the "
             "user changed their password.",
        463: "Error validating access token: Session has expired on Tuesday, 24-Nov-26 "
             "08:00:00 PST.",
        464: "Error validating access token: Sessions for the user are not allowed because "
             "the user is not a confirmed user.",
        467: "Error validating access token: The user is enrolled in a blocking, logged-in "
             "checkpoint",
        492: "Error validating access token: The user does not have a role on this Page.",
    }.get(subcode, "Error validating access token.")


def _fields(text: str | None) -> set[str]:
    return {part.strip() for part in (text or "").split(",") if part.strip()}


def _parse_day(text: str | None) -> date | None:
    if not text:
        return None
    if text.isdigit():
        return datetime.fromtimestamp(int(text), PACIFIC).date()
    return date.fromisoformat(text[:10])


def _metric_value(page_id: str, metric: str, day: date) -> int:
    """Deterministic, plausible-looking numbers."""
    if metric == "page_follows":
        return 5000 + day.toordinal() % 300
    return (int(page_id[-6:]) * 31 + day.toordinal() * 17 + len(metric) * 7) % 400


def _batch_paths(items: list[Any]) -> tuple[str, ...]:
    paths = []
    for item in items:
        relative = str(item.get("relative_url", "")) if isinstance(item, dict) else ""
        split = urlsplit("/" + relative.lstrip("/"))
        query = {k: v for k, v in parse_qs(split.query).items() if k != "access_token"}
        paths.append(f"{split.path}?{urlencode(query, doseq=True)}")
    return tuple(paths)


def _header_list(headers: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers.items()]


def _raise_fault(state: GraphState, fault: Fault, token: str | None) -> None:
    """Answer as Meta does when the scripted fault happens."""
    if fault.kind == "http500":
        raise GraphError(500, 1, "An unknown error occurred")
    if fault.kind == "transient":
        raise GraphError(503, 2, "Service temporarily unavailable")
    if fault.kind == "permission":
        raise GraphError(400, 10, "(#10) Requires pages_read_engagement permission")
    if fault.kind == "throttle":
        who = None
        with contextlib.suppress(GraphError):
            who = state.owner(token)
        if isinstance(who, FakePage):
            usage = {who.id: [{"type": "pages", "call_count": 100, "total_cputime": 23,
                               "total_time": 31,
                               "estimated_time_to_regain_access": fault.regain_minutes}]}
            raise GraphError(400, 80001, "(#80001) There have been too many calls to this Page "
                                         "account. Wait a bit and try again.",
                             headers={"x-business-use-case-usage": json.dumps(usage)})
        raise GraphError(400, 4, "(#4) Application request limit reached",
                         headers={"x-app-usage": json.dumps(
                             {"call_count": 100, "total_time": 40, "total_cputime": 30})})


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        state = self.server.state
        split = urlsplit(self.path)
        path = split.path
        if path.startswith("/v") and "/" in path[1:]:
            path = "/" + path.split("/", 2)[2]
        elif path.startswith("/v") and path[1:].replace(".", "").replace("v", "").isdigit():
            path = "/"
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        form: dict[str, str] = {}
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        header = self.headers.get("Authorization") or ""
        scheme, _, header_token = header.partition(" ")
        token = header_token.strip() or query.get("access_token") or form.get("access_token")
        batch_items: list[Any] = []
        if method == "POST" and "batch" in form:
            try:
                batch_items = json.loads(form["batch"])
            except ValueError:
                batch_items = []
        with state.lock:
            state.requests.append(Recorded(method, path, parse_qs(split.query),
                                           "access_token" in query, scheme or None,
                                           len(batch_items), _batch_paths(batch_items)))
        if state.latency:
            time.sleep(state.latency)
        target = f"{path}?{split.query}" if split.query else path
        fault = state.take_fault(target, {"http500", "gateway", "drop", "cut", "truncate",
                                          "transient", "throttle", "permission", "latency"})
        if fault and fault.kind == "latency":
            time.sleep(fault.seconds)
            fault = None
        if fault and fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        base = f"{self.server.scheme}://127.0.0.1:{self.server.server_port}/{state.api_version}"
        try:
            if fault:
                _raise_fault(state, fault, token)
            meta_error = state.meta_error(target)
            if meta_error:
                raise meta_error.error()
            if method == "POST":
                if path.strip("/") or "batch" not in form:
                    raise GraphError(400, 100, "(#100) Unsupported post request")
                body: Any = state.batch(batch_items, token, base)
                headers = {"facebook-api-version": state.api_version, **state.batch_headers}
            else:
                body, headers = state.get(path, query, token, base)
            self._send(200, body, headers, fault)
        except GraphError as exc:
            self._send(exc.status, exc.body,
                       {"facebook-api-version": state.api_version, **exc.headers}, fault)

    def _send(self, status: int, body: Any, headers: dict[str, str],
              fault: Fault | None) -> None:
        if fault and fault.kind == "gateway":
            status, payload = 502, b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            content_type = "text/html"
        else:
            payload = json.dumps(body).encode()
            content_type = "application/json; charset=UTF-8"
            if self.server.state.gzip:
                payload = gzip.compress(payload)
                content_type = "text/javascript; charset=UTF-8"
                headers = {**headers, "Content-Encoding": "gzip"}
        if fault and fault.kind == "truncate":
            payload = payload[: max(1, len(payload) // 2)]
        declared = len(payload)
        if fault and fault.kind == "cut":
            payload = payload[: max(1, len(payload) // 2)]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(declared))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        if fault and fault.kind == "cut":
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: GraphState
    scheme: str


class GraphServer:
    """The server, running on a background thread while in a ``with`` block."""

    def __init__(self, state: GraphState | None = None, *,
                 tls: ssl.SSLContext | None = None) -> None:
        self.state = state or GraphState()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self.state
        self._server.scheme = "https" if tls else "http"
        if tls:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True, name="graph-server")

    @property
    def url(self) -> str:
        host = "127.0.0.1"
        return f"{self._server.scheme}://{host}:{self._server.server_port}/{self.state.api_version}"

    def __enter__(self) -> GraphServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def example_council(make_token: Callable[[str], str] = lambda who: f"EAAFAKE{who}TOKEN0123456789"
                    ) -> GraphState:
    """A council officer who manages three Pages, and two neighbours' public Pages."""
    state = GraphState()
    own = [
        FakePage("111111111111111", "Example Borough Council", "ExampleBoroughCouncil",
                 followers_count=24810, fan_count=24810, talking_about_count=512,
                 token=make_token("page1")),
        FakePage("222222222222222", "Example Libraries", "ExampleLibraries", "Library",
                 fan_count=4310, followers_count=4355, talking_about_count=19, npe=False,
                 token=make_token("page2")),
        FakePage("333333333333333", "Example Leisure", None, "Sports & Recreation",
                 followers_count=200, fan_count=200, talking_about_count=3,
                 token=make_token("page3")),
    ]
    for page in own:
        state.add_page(page)
    state.add_page(FakePage("444444444444444", "Example District Council",
                            "ExampleDistrictCouncil", followers_count=9120, fan_count=9120,
                            talking_about_count=87))
    state.add_page(FakePage("555555555555555", "Example County Council", "ExampleCounty",
                            followers_count=30100, fan_count=30100, talking_about_count=640))
    state.add_user(FakeUser("1000001", "Sam Officer", make_token("user"),
                            [page.id for page in own]))
    return state


if __name__ == "__main__":
    council = example_council()
    with GraphServer(council) as running:
        print(f"Loopback Graph API at {running.url} (Ctrl+C to stop)")
        print(f"  ENGAGE_GRAPH_URL={running.url}")
        for user in council.users.values():
            print(f"  user token for {user.name}: {user.token}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
