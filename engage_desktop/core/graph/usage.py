"""Meta's rate-limit headers on a Graph API answer (``X-App-Usage``, ``X-Page-Usage`` and
``X-Business-Use-Case-Usage``), read into :class:`Usage`: how near the app, a Page and each
business object are to their limits, and how long to wait when over.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


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
