"""The ``settings`` table: typed reads and writes of the settings declared in
:mod:`engage_desktop.core.settings`.

``store.settings.get(TRAFFIC_LIGHT)`` gives a ``Thresholds``: the default when nothing is
stored, and the default with a warning (in ``store.warnings``, naming the setting, what is
used instead and what to do) when the stored text is not JSON or not of the shape the setting
expects. ``store.settings.set(TRAFFIC_LIGHT, thresholds)`` writes it as JSON.
"""

from __future__ import annotations

import json
from typing import TypeVar

from engage_desktop.core.engagement import TALKING_ABOUT, Thresholds
from engage_desktop.core.settings import (
    DEFAULT_FALLBACK,
    DEFAULT_REMEDY,
    THRESHOLDS,
    Setting,
    SettingProblem,
    shown,
    unusable,
)
from engage_desktop.core.store.connection import Connection

T = TypeVar("T")


class Settings:
    """The settings of one store (its connection, transactions and warnings)."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, setting: Setting[T]) -> T:
        """The stored value of ``setting``; its default when none is stored, or (with a
        warning) when the stored one cannot be used."""
        rows = self._c.rows("SELECT value FROM settings WHERE key = ?", [setting.key])
        if not rows:
            return setting.default
        try:
            stored = json.loads(rows[0]["value"])
        except (ValueError, TypeError):  # not JSON, or a blob that is not text
            self._c.warn(unusable(setting.key, f"{shown(rows[0]['value'])} is not readable"))
            return setting.default
        if stored is None:
            return setting.default
        try:
            return setting.parse(stored)
        except SettingProblem as problem:
            self._c.warn(setting.warning(problem.problem))
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        with self._c.transaction():
            self._c.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [setting.key, json.dumps(setting.dump(value))])

    def problem(self, setting: Setting[T], problem: str, fallback: str = DEFAULT_FALLBACK,
                remedy: str = DEFAULT_REMEDY) -> None:
        """Warn that part of the stored ``setting`` cannot be used (``problem``), what is used
        instead and what to do."""
        self._c.warn(unusable(setting.key, problem, fallback, remedy))

    def thresholds(self, measure: str = TALKING_ABOUT) -> Thresholds:
        """The traffic-light thresholds of the talking-about measure, or of the interactions
        measure used when talking-about is absent."""
        return self.get(THRESHOLDS[measure])

    def set_thresholds(self, thresholds: Thresholds, measure: str = TALKING_ABOUT) -> None:
        self.set(THRESHOLDS[measure], thresholds)
