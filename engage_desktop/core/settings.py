"""Every setting kept in the database's ``settings`` table, declared once.

A :class:`Setting` names its key, its default, how the stored JSON becomes a typed value
(``parse``, which raises :class:`SettingProblem` saying what is wrong with a shape it cannot
use), how a value becomes JSON again (``dump``), what it is for, and what the officer is told
when the stored value cannot be used. The store reads and writes them through
:class:`engage_desktop.core.store.settings.Settings` (``store.settings.get(DEMO)``); the
modules that use a setting import its declaration here instead of spelling the key.

Shapes written by older versions are not upgraded here: a migration in
:mod:`engage_desktop.core.store.schema` rewrites them once. The window's own preferences
(geometry, folders, chart choices) are not database settings: see
``engage_desktop.ui.preferences``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from engage_desktop.core.engagement import Mode, Thresholds
from engage_desktop.core.errors import InvalidSettingError

if TYPE_CHECKING:
    from engage_desktop.core.net import NetworkSettings

T = TypeVar("T")

DEFAULT_FALLBACK = "the default is used"
DEFAULT_REMEDY = "save it again in Engage Desktop, or delete its row in the settings table"
_SENTENCE = "The setting {key} in the database cannot be used ({problem}), so {fallback}; {remedy}."


class SettingProblem(ValueError):
    """A stored value of a setting that cannot be used; ``problem`` says why, in words that
    fit "cannot be used (…)"."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True, eq=False)
class Setting(Generic[T]):
    """One database setting: its key, default, JSON parse and dump, and what it is for.

    ``fallback`` and ``remedy`` finish the warning shown when a stored value cannot be used;
    ``sentence`` is that warning's wording when it is not the usual one."""

    key: str
    make_default: Callable[[], T]  # a new value each time: a caller may change what it gets
    parse: Callable[[Any], T]
    dump: Callable[[T], Any]
    description: str
    fallback: str = DEFAULT_FALLBACK
    remedy: str = DEFAULT_REMEDY
    sentence: str = _SENTENCE

    @property
    def default(self) -> T:
        """The value used when none is stored, or the stored one cannot be used."""
        return self.make_default()

    def warning(self, problem: str) -> str:
        """The warning for a stored value that cannot be used because of ``problem``."""
        return self.sentence.format(key=repr(self.key), problem=problem,
                                    fallback=self.fallback, remedy=self.remedy)


def unusable(key: str, problem: str, fallback: str = DEFAULT_FALLBACK,
             remedy: str = DEFAULT_REMEDY) -> str:
    """The usual warning for a stored setting ``key`` that cannot be used."""
    return _SENTENCE.format(key=repr(key), problem=problem, fallback=fallback, remedy=remedy)


def shown(value: object) -> str:
    """A stored value in a warning, shortened."""
    if isinstance(value, bytes):
        return "binary data"
    text = json.dumps(value) if isinstance(value, dict | list) else repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


# Parsers and dumpers ---------------------------------------------------------------------------

def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise SettingProblem(f"{shown(value)} is not text")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingProblem(f"{shown(value)} is neither true nor false")
    return value


def _named_values(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SettingProblem(f"{shown(value)} is not a set of named values")
    return value


def _nothing() -> None:
    return None


def _same(value: T) -> T:
    return value


def _parse_thresholds(value: Any) -> Thresholds:
    if not isinstance(value, dict):
        if not any(value == mode.value for mode in Mode):
            raise SettingProblem(f"the mode {shown(value)} is neither absolute nor relative")
        raise SettingProblem(f"{shown(value)} is not a set of named values")
    default = Thresholds()
    mode = value.get("mode", default.mode.value)
    if not any(mode == known.value for known in Mode):
        raise SettingProblem(f"the mode {shown(mode)} is neither absolute nor relative")
    try:
        return Thresholds(amber=value.get("amber", default.amber),
                          green=value.get("green", default.green), mode=Mode(mode))
    except InvalidSettingError as exc:
        raise SettingProblem(exc.message.rstrip(".")) from None


def _dump_thresholds(thresholds: Thresholds) -> dict[str, Any]:
    return {"amber": thresholds.amber, "green": thresholds.green,
            "mode": thresholds.mode.value}


@dataclass(frozen=True, slots=True)
class AlertThresholds:
    """When a fall or old data becomes an alert."""

    fall_percent: float = 25.0  # week on week, of the average per 1,000
    stale_days: int = 8  # the latest reading older than this

    def __post_init__(self) -> None:
        percent = self.fall_percent
        if (isinstance(percent, bool) or not isinstance(percent, int | float)
                or not math.isfinite(percent) or not 0 < percent <= 100):
            raise InvalidSettingError(
                f"The fall that raises an alert must be a share between 1 and 100 %, not "
                f"{percent!r}.", "Enter a percentage, such as 25 (a quarter).")
        days = self.stale_days
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise InvalidSettingError(
                f"The days without new figures that raise an alert must be a whole number "
                f"from 1 to 365, not {days!r}.", "Enter a number of days, such as 8.")


def _parse_alert_thresholds(value: Any) -> AlertThresholds:
    stored = _named_values(value)
    default = AlertThresholds()
    try:
        return AlertThresholds(fall_percent=stored.get("fall_percent", default.fall_percent),
                               stale_days=stored.get("stale_days", default.stale_days))
    except InvalidSettingError as exc:
        raise SettingProblem(exc.message.rstrip(".")) from None


def _dump_alert_thresholds(chosen: AlertThresholds) -> dict[str, Any]:
    return {"fall_percent": chosen.fall_percent, "stale_days": chosen.stale_days}


def _parse_network(value: Any) -> NetworkSettings:
    from engage_desktop.core.net import NetworkError, NetworkSettings

    if not isinstance(value, dict):
        raise SettingProblem("it is not a set of named values")
    values = {"proxy_mode": value.get("proxy_mode", "system"),
              "proxy_url": value.get("proxy_url"),
              "extra_ca_file": value.get("extra_ca_file")}
    for name, item in values.items():
        if item is not None and not isinstance(item, str):
            raise SettingProblem(f"its {name} is not text")
    try:
        return NetworkSettings(**values)
    except NetworkError as error:
        raise SettingProblem(error.message.rstrip(".")) from None


def _default_network() -> NetworkSettings:
    # requests comes with the network module: imported here, it stays off the start-up path
    from engage_desktop.core.net import NetworkSettings

    return NetworkSettings()


def _dump_network(settings: NetworkSettings) -> dict[str, Any]:
    return {"proxy_mode": settings.proxy_mode, "proxy_url": settings.proxy_url,
            "extra_ca_file": settings.extra_ca_file}


# The settings ----------------------------------------------------------------------------------

_THRESHOLDS_SENTENCE = ("The stored traffic-light thresholds cannot be used ({problem}), so "
                        "{fallback} until they are set again (in Settings, or with "
                        "'engage-desktop thresholds').")

TRAFFIC_LIGHT: Setting[Thresholds] = Setting(
    "traffic_light", Thresholds, _parse_thresholds, _dump_thresholds,
    "The traffic light's thresholds of people talking per 1,000 followers: "
    '{"amber": 20, "green": 50, "mode": "absolute" or "relative"}.',
    fallback="the defaults (amber 20, green 50) apply", sentence=_THRESHOLDS_SENTENCE)
TRAFFIC_LIGHT_INTERACTIONS: Setting[Thresholds] = Setting(
    "traffic_light_interactions", Thresholds, _parse_thresholds, _dump_thresholds,
    "The same thresholds for post engagements per 1,000 followers over 7 days, the measure "
    "used when Meta gives no talking-about figure.",
    fallback="the defaults (amber 20, green 50) apply", sentence=_THRESHOLDS_SENTENCE)
ALERT_THRESHOLDS: Setting[AlertThresholds] = Setting(
    "alert_thresholds", AlertThresholds, _parse_alert_thresholds, _dump_alert_thresholds,
    'When a fall or old data becomes an alert: {"fall_percent": 25, "stale_days": 8}.',
    fallback="the defaults (a fall of 25 %, 8 days) apply")
NETWORK: Setting[NetworkSettings] = Setting(
    "network", _default_network, _parse_network, _dump_network,
    'How to reach the Graph API: {"proxy_mode": "system", "none" or "manual", "proxy_url", '
    '"extra_ca_file"}.',
    fallback="the system's proxy settings are used",
    remedy="choose the network settings again in Settings, or with "
           "'engage-desktop network --proxy'")
GRAPH_URL: Setting[str | None] = Setting(
    "graph_api_url", _nothing, _text, _same,
    "The Graph API address including its version, when not the default "
    "(ENGAGE_GRAPH_URL overrides it).")
PUBLIC_READER: Setting[str | None] = Setting(
    "public_reader", _nothing, _text, _same,
    "The Facebook user ID whose token (in the keyring) reads the public Pages followed.")
API_VERSION_SEEN: Setting[str | None] = Setting(
    "graph_api_version_seen", _nothing, _text, _same,
    "The Graph API version of the last sync; a new one asks again for metrics Meta refused.")
SYNC_THROTTLE: Setting[dict[str, Any]] = Setting(
    "sync_throttle", dict, _named_values, _same,
    "Meta's pauses still running: scope (app, user, page:ID) to the UTC time it may be asked "
    "again.")
DEMO: Setting[bool] = Setting(
    "demo", bool, _flag, _same, "true in a database of generated demo data.")
PUBLISHED_COPY: Setting[dict[str, Any] | None] = Setting(
    "published_copy", _nothing, _named_values, _same,
    'Marks a copy published for the team, opened read-only: {"published_at": UTC time, '
    '"source": file name}.')

ALL: tuple[Setting[Any], ...] = (
    TRAFFIC_LIGHT, TRAFFIC_LIGHT_INTERACTIONS, ALERT_THRESHOLDS, NETWORK, GRAPH_URL,
    PUBLIC_READER, API_VERSION_SEEN, SYNC_THROTTLE, DEMO, PUBLISHED_COPY)
# the thresholds of each measure of the traffic light (engagement.TALKING_ABOUT, INTERACTIONS)
THRESHOLDS = {"talking_about": TRAFFIC_LIGHT, "interactions": TRAFFIC_LIGHT_INTERACTIONS}
