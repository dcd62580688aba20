"""The Graph API's errors as Engage Desktop's: Meta answers errors with
``{"error": {...}}`` whatever the HTTP status (and inside batches); :func:`parse_error` turns
that into a typed :class:`GraphError` by the first matching row of :data:`ERROR_TABLE` (Meta's
codes as documented and as recorded in the wild): its kind, its scope, whether to retry, and
what the officer or IT can do, followed by Meta's own words. Meta's own message can quote a
malformed token, so it is redacted before it is kept anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph.usage import Usage
from engage_desktop.core.redaction import redact

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
    code = int_or_none(error.get("code"))
    subcode = int_or_none(error.get("error_subcode"))
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


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
