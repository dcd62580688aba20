"""Connecting Facebook tokens and choosing which Pages to follow.

- :func:`connect` takes a token a person pasted. A Page token connects that Page; a user or
  system-user token connects every Page listed by ``/me/accounts``, each with its own Page
  token, and is itself kept for reading public Pages.
- :func:`follow` adds public Pages (other councils, for comparison) by ID, username or URL,
  each read on its own inside batch requests of 50, so one Meta cannot read fails alone.
- :func:`forget` removes Pages' tokens (and with ``purge`` their data).
- :func:`mark_needs_reconnect` records that Meta rejected a token (error 190) and why.

Tokens go to the vault only; the database records which Pages have one.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph import (
    MAX_BATCH,
    PAGE_FIELDS,
    GraphClient,
    GraphError,
    TokenInvalidError,
)
from engage_desktop.core.models import PageInfo
from engage_desktop.core.settings import PUBLIC_READER
from engage_desktop.core.store import Store
from engage_desktop.core.tokens import Storage, TokenKey, TokenVault, clean_token

# What to say when /me/accounts lists nothing for a user token (real-world.md, /me/accounts)
NO_PAGES = ("Meta lists no Pages for this token. If you run the council's Pages, they probably "
            "belong to a business portfolio (Meta Business Suite) and the token lacks the "
            "business_management permission, or you have no role in that business.",
            "Make a new token with business_management as well as pages_show_list, "
            "pages_read_engagement and read_insights, or ask the business portfolio's admin "
            "for a role on the Pages (or for a system-user token), then connect again. The "
            "token is kept, for following public Pages.")
_ACCOUNT_FIELDS = "id,name,username,link,category,access_token,tasks"
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,99}")
_FACEBOOK_HOSTS = re.compile(r"^(?:[a-z]+\.)?(?:facebook|fb)\.com$")


@dataclass(frozen=True, slots=True)
class ConnectedPage:
    page: PageInfo
    tasks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConnectResult:
    token_kind: Literal["page", "user"]
    owner_id: str
    owner_name: str
    pages: list[ConnectedPage]
    storage: Storage
    location: str  # where the tokens are kept, in words
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (Page name, why)

    @property
    def nothing_listed(self) -> bool:
        """A user token for which Meta listed no Pages at all (see :data:`NO_PAGES`)."""
        return self.token_kind == "user" and not self.pages and not self.skipped


@dataclass(frozen=True, slots=True)
class FollowResult:
    added: list[PageInfo]
    failed: list[tuple[str, GraphError]]


def connect(store: Store, vault: TokenVault, client: GraphClient, pasted: str) -> ConnectResult:
    """Find the Pages a token can read and keep their tokens; see the module docstring."""
    token = clean_token(pasted)
    me = client.get("me", token, {"fields": "id,name", "metadata": "1"})
    kind = (me.get("metadata") or {}).get("type")
    if kind == "page":
        node = client.get("me", token, {"fields": PAGE_FIELDS})
        info = _page_info(node, "own")
        storage = _store_tokens(vault, [(TokenKey.page(info.id), token)])
        with store.transaction():
            store.upsert_pages([info])
            store.set_followed([info.id], True)
            store.set_token_status([info.id], "ok")
        return ConnectResult("page", info.id, info.name, [ConnectedPage(info, ())], storage,
                             vault.location)

    listed = list(client.paged("me/accounts", token, {"fields": _ACCOUNT_FIELDS,
                                                      "limit": 100}))
    user_id, user_name = str(me["id"]), str(me.get("name", ""))
    connected: list[tuple[ConnectedPage, str]] = []
    skipped: list[tuple[str, str]] = []
    for item in listed:
        page_token = item.get("access_token")
        if not page_token:
            tasks = ", ".join(str(task) for task in item.get("tasks") or [])
            skipped.append((str(item.get("name", item.get("id"))),
                            "Meta gave no Page token for it: your tasks on this Page "
                            f"({tasks or 'none listed'}) do not allow reading it. The person "
                            "needs a task such as 'Analyse' or 'Moderate' (a Page admin can "
                            "give it under Page access); then connect again"))
            continue
        connected.append((ConnectedPage(_page_info(item, "own"), tuple(item.get("tasks", []))),
                          str(page_token)))
    entries = [(TokenKey.user(user_id), token)]
    entries += [(TokenKey.page(page.page.id), page_token) for page, page_token in connected]
    storage = _store_tokens(vault, entries)
    ids = [page.page.id for page, _ in connected]
    # Public Pages are read with this token from now on: a problem with the old one is gone.
    public = [p.id for p in store.pages() if p.kind == "public"
              and p.token_status == "needs_reconnect"]
    with store.transaction():
        store.upsert_pages([page.page for page, _ in connected])
        store.set_followed(ids, True)
        store.set_token_status(ids + public, "ok")
        store.settings.set(PUBLIC_READER, user_id)
    return ConnectResult("user", user_id, user_name, [page for page, _ in connected], storage,
                         vault.location, skipped)


def follow(store: Store, vault: TokenVault, client: GraphClient,
          refs: Sequence[str]) -> FollowResult:
    """Follow Pages the user does not manage (read with the connected user token)."""
    aliases = {page_ref(ref): ref for ref in refs}
    reader = store.settings.get(PUBLIC_READER)
    token = vault.get(TokenKey.user(reader)) if reader else None
    if not token:
        raise EngageError(
            "Following other Pages needs a user or system-user token, and none is connected.",
            "Connect one first: engage-desktop connect --token-stdin")
    found: dict[str, dict] = {}
    failed: dict[str, GraphError] = {}
    unique = list(aliases)
    for start in range(0, len(unique), MAX_BATCH):
        # Each reference is its own item of a batch: one Meta cannot read fails alone.
        chunk = unique[start:start + MAX_BATCH]
        try:
            chunk_found, chunk_failed = client.read_each(chunk, token)
        except TokenInvalidError as exc:
            public = [page.id for page in store.pages() if page.kind == "public"]
            mark_needs_reconnect(store, public, exc)
            raise
        except GraphError as exc:  # the whole batch failed: each of its references did
            chunk_found, chunk_failed = {}, dict.fromkeys(chunk, exc)
        found.update(chunk_found)
        failed.update(chunk_failed)
    added: dict[str, PageInfo] = {}  # by Page ID: an ID and a username may name one Page
    for node in found.values():
        existing = store.page(str(node["id"]))
        info = _page_info(node, existing.kind if existing else "public")
        added[info.id] = info
    with store.transaction():
        store.upsert_pages(added.values())
        store.set_followed(list(added), True)
        store.set_token_status([p.id for p in added.values() if p.kind == "public"], "ok")
    return FollowResult(list(added.values()),
                       [(aliases[alias], error) for alias, error in failed.items()])


def forget(store: Store, vault: TokenVault, refs: Sequence[str], *,
           purge: bool = False) -> list[str]:
    """Stop following Pages and remove their tokens from the keyring; with ``purge`` also
    delete their history. Returns the names of the Pages forgotten. Nothing changes when any
    reference is unknown."""
    pages = []
    unknown = []
    for ref in refs:
        try:
            page = store.find_page(page_ref(ref))
        except EngageError:
            page = None
        (pages.append(page) if page else unknown.append(ref))
    if unknown:
        raise EngageError(f"No Page in this database matches {', '.join(map(repr, unknown))}.",
                          "Use an ID or username shown by: engage-desktop pages")
    for page in pages:
        vault.delete(TokenKey.page(page.id))
    ids = [page.id for page in pages]
    if purge:
        store.delete_pages(ids)
    else:
        with store.transaction():
            store.set_followed(ids, False)
            store.set_token_status(ids, "missing")
    return [page.name for page in pages]


def mark_needs_reconnect(store: Store, page_ids: Sequence[str], error: TokenInvalidError) -> None:
    """Meta rejected these Pages' token (error 190): say so, and why, until reconnected."""
    store.set_token_status(page_ids, "needs_reconnect", error.meaning)


def page_ref(text: str) -> str:
    """The Graph alias for what a person typed: an ID, a username (with or without @), or a
    Facebook address such as ``https://www.facebook.com/KelderbyCouncil`` or
    ``facebook.com/profile.php?id=123``."""
    ref = _bare(text)
    parts = urlsplit(ref if "://" in ref else f"https://{ref}")
    if _FACEBOOK_HOSTS.match((parts.hostname or "").lower()):
        query_id = parse_qs(parts.query).get("id", [""])[0]
        segments = [segment for segment in parts.path.split("/") if segment]
        if query_id.isdigit():
            return query_id
        if segments and segments[0] in ("people", "pages") and segments[-1].isdigit():
            return segments[-1]
        if len(segments) == 1 and _USERNAME.fullmatch(segments[0]) and not segments[0].endswith(
                ".php"):
            return segments[0]
        raise EngageError(f"Cannot find a Page name or ID in {text!r}.",
                          "Open the Page in a browser and copy its address, or give its ID.")
    if "/" in ref or not _USERNAME.fullmatch(ref):
        raise EngageError(f"{text!r} is not a Page ID, username or facebook.com address.",
                          "Give the Page's facebook.com address, its username or its ID.")
    return ref


def _bare(text: str) -> str:
    return text.strip().lstrip("@").rstrip("/")


def _page_info(node: dict, kind: Literal["own", "public", "imported"]) -> PageInfo:
    return PageInfo(id=str(node["id"]), name=str(node.get("name") or node["id"]), kind=kind,
                    username=node.get("username"), link=node.get("link"),
                    category=node.get("category"))


def _store_tokens(vault: TokenVault, entries: list[tuple[TokenKey, str]]) -> Storage:
    """Keep every token, or none: a failure part way puts back what the keyring held before
    (so a failed reconnect does not lose tokens that worked)."""
    previous: dict[TokenKey, str | None] = {}
    for key, _ in entries:
        try:
            previous[key] = vault.get(key)
        except EngageError:  # no keyring: nothing was there to lose
            previous[key] = None
    stored: list[TokenKey] = []
    storage = Storage.KEYRING
    try:
        for key, token in entries:
            if vault.store(key, token) is Storage.SESSION:
                storage = Storage.SESSION
            stored.append(key)
    except EngageError:
        for key in stored:
            with contextlib.suppress(EngageError):
                old = previous[key]
                vault.store(key, old) if old else vault.delete(key)
        raise
    return storage
