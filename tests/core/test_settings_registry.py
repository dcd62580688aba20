"""The database settings registry (engage_desktop.core.settings): every key declared once,
each setting's value written and read back the same through a real SQLite file, bad stored
shapes falling back to the default with a warning, and the old shape of the traffic light's
thresholds upgraded by migration, for a database opened writable or read-only."""

from __future__ import annotations

import ast
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from engage_desktop.core import settings
from engage_desktop.core.engagement import INTERACTIONS, TALKING_ABOUT, Mode, Thresholds
from engage_desktop.core.net import NetworkSettings
from engage_desktop.core.settings import AlertThresholds, Setting
from engage_desktop.core.store import Store, open_store

PACKAGE = Path(settings.__file__).resolve().parent.parent
README = PACKAGE.parent / "README.md"
# where a key is spelt out on purpose: the registry, and migrations (never changed once shipped)
SPELT_OUT = {PACKAGE / "core" / "settings.py", PACKAGE / "core" / "store" / "schema.py"}


def test_every_setting_is_declared_once_and_listed() -> None:
    declared = [value for value in vars(settings).values() if isinstance(value, Setting)]
    assert {id(s) for s in declared} == {id(s) for s in settings.ALL}
    keys = [s.key for s in settings.ALL]
    assert len(keys) == len(set(keys))
    assert set(keys) == {"network", "demo", "sync_throttle", "graph_api_version_seen",
                         "published_copy", "graph_api_url", "public_reader", "alert_thresholds",
                         "traffic_light", "traffic_light_interactions"}
    assert all(s.description.strip() for s in settings.ALL)
    assert settings.THRESHOLDS == {TALKING_ABOUT: settings.TRAFFIC_LIGHT,
                                   INTERACTIONS: settings.TRAFFIC_LIGHT_INTERACTIONS}


def test_no_other_module_spells_a_settings_key() -> None:
    # "demo" and "network" are also a command, a reading's source and an error kind: only the
    # keys no other word shares are looked for
    keys = {s.key for s in settings.ALL if "_" in s.key}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in SPELT_OUT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in keys:
                # the traffic_light *table* of a published copy is not the setting
                if node.value == "traffic_light" and path.name.startswith("publishing"):
                    continue
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value}")
    assert found == []


def test_the_readme_names_every_setting() -> None:
    text = README.read_text(encoding="utf-8")
    database = text[text.index("## Database"):text.index("## Development")]
    assert [s.key for s in settings.ALL if f"`{s.key}`" not in database] == []


def test_each_default_is_a_new_value() -> None:
    first = settings.SYNC_THROTTLE.default
    first["app"] = "2026-01-01T00:00:00Z"
    assert settings.SYNC_THROTTLE.default == {}
    assert settings.NETWORK.default == NetworkSettings()
    assert settings.TRAFFIC_LIGHT.default == Thresholds()
    assert settings.ALERT_THRESHOLDS.default == AlertThresholds()


_TEXT = st.text(min_size=1, max_size=30)
_NUMBER = st.floats(min_value=0, max_value=10_000, allow_nan=False)
_THRESHOLDS = st.builds(lambda amber, gap, mode: Thresholds(amber, amber + gap, mode),
                        _NUMBER, st.floats(min_value=0.5, max_value=1_000), st.sampled_from(Mode))
_PROXY = st.sampled_from(["http://proxy.council.gov.uk:8080", "https://10.0.0.1:3128"])
_NETWORK = st.one_of(
    st.builds(NetworkSettings, st.sampled_from(["system", "none"]), st.none(),
              st.none() | _TEXT),
    st.builds(NetworkSettings, st.just("manual"), _PROXY, st.none() | _TEXT))
_VALUES = {
    "traffic_light": _THRESHOLDS,
    "traffic_light_interactions": _THRESHOLDS,
    "alert_thresholds": st.builds(AlertThresholds,
                                  st.floats(min_value=0.01, max_value=100, allow_nan=False),
                                  st.integers(1, 365)),
    "network": _NETWORK,
    "graph_api_url": _TEXT,
    "public_reader": _TEXT,
    "graph_api_version_seen": _TEXT,
    "sync_throttle": st.dictionaries(_TEXT, _TEXT, max_size=4),
    "demo": st.booleans(),
    "published_copy": st.fixed_dictionaries({"published_at": _TEXT, "source": _TEXT}),
}


def test_every_setting_has_values_to_try() -> None:
    assert set(_VALUES) == {s.key for s in settings.ALL}


@hypothesis_settings(max_examples=30, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_value_written_is_read_back_the_same(store: Store, data: st.DataObject) -> None:
    setting = data.draw(st.sampled_from(settings.ALL))
    value = data.draw(_VALUES[setting.key])
    assert setting.parse(json.loads(json.dumps(setting.dump(value)))) == value
    store.settings.set(setting, value)
    assert store.settings.get(setting) == value
    assert store.warnings == []


@pytest.mark.parametrize(("setting", "stored", "problem"), [
    (settings.TRAFFIC_LIGHT, "amber=10", "'amber=10' is not readable"),
    (settings.TRAFFIC_LIGHT, '"green"', "the mode 'green' is neither absolute nor relative"),
    (settings.TRAFFIC_LIGHT, '{"amber": "x"}', "The amber threshold must be a number"),
    (settings.TRAFFIC_LIGHT_INTERACTIONS, '{"amber": 60, "green": 50}',
     "must be below the green threshold"),
    (settings.ALERT_THRESHOLDS, '{"stale_days": 0}', "a whole number from 1 to 365, not 0"),
    (settings.ALERT_THRESHOLDS, "[1, 2]", "[1, 2] is not a set of named values"),
    (settings.NETWORK, "5", "it is not a set of named values"),
    (settings.NETWORK, '{"proxy_mode": 5}', "its proxy_mode is not text"),
    (settings.NETWORK, '{"proxy_mode": "manual"}', "The manual proxy must be a URL"),
    (settings.GRAPH_URL, "5", "5 is not text"),
    (settings.PUBLIC_READER, "[1]", "[1] is not text"),
    (settings.API_VERSION_SEEN, "{}", "{} is not text"),
    (settings.SYNC_THROTTLE, '"soon"', "'soon' is not a set of named values"),
    (settings.DEMO, '"yes"', "'yes' is neither true nor false"),
    (settings.PUBLISHED_COPY, "3", "3 is not a set of named values"),
])
def test_a_bad_stored_shape_falls_back_to_the_default_with_a_warning(
        store: Store, setting: Setting[object], stored: str, problem: str) -> None:
    store.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [setting.key, stored])
    assert store.settings.get(setting) == setting.default
    assert len(store.warnings) == 1 and problem in store.warnings[0], store.warnings
    if setting in settings.THRESHOLDS.values() and "not readable" not in problem:
        assert store.warnings[0].startswith("The stored traffic-light thresholds cannot be used")
        assert "so the defaults (amber 20, green 50) apply" in store.warnings[0]
    else:
        assert store.warnings[0].startswith(f"The setting '{setting.key}' in the database "
                                            "cannot be used (")
        fallback, remedy = ((settings.DEFAULT_FALLBACK, settings.DEFAULT_REMEDY)
                            if "not readable" in problem else (setting.fallback, setting.remedy))
        assert store.warnings[0].endswith(f"), so {fallback}; {remedy}.")


def test_nothing_stored_or_null_is_the_default_without_a_warning(store: Store) -> None:
    store.conn.execute("INSERT INTO settings (key, value) VALUES ('demo', 'null')")
    for setting in settings.ALL:
        assert store.settings.get(setting) == setting.default
    assert store.warnings == []


def _old_database(path: Path, stored: dict[str, object]) -> Path:
    """A database as a version before migration 0006 left it: the thresholds' mode alone."""
    open_store(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0006_thresholds_shape'")
        conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?)",
                         [(key, json.dumps(value)) for key, value in stored.items()])
    conn.close()
    return path


OLD = {"traffic_light": "relative", "traffic_light_interactions": "absolute"}


def test_the_old_shape_is_rewritten_once_when_opened_writable(tmp_path: Path) -> None:
    path = _old_database(tmp_path / "old.sqlite", OLD)
    with open_store(path) as store:
        assert store.thresholds() == Thresholds(mode=Mode.RELATIVE)
        assert store.thresholds(INTERACTIONS) == Thresholds()
        assert store.warnings == []
    conn = sqlite3.connect(path)
    rows = dict(conn.execute("SELECT key, value FROM settings"))
    conn.close()
    assert {key: json.loads(rows[key]) for key in OLD} == {
        "traffic_light": {"mode": "relative"}, "traffic_light_interactions": {"mode": "absolute"}}


def test_the_old_shape_is_read_the_same_opened_read_only(tmp_path: Path) -> None:
    path = _old_database(tmp_path / "old.sqlite", OLD)
    before = path.read_bytes()
    with open_store(path, read_only=True) as store:
        assert store.thresholds() == Thresholds(mode=Mode.RELATIVE)
        assert store.thresholds(INTERACTIONS) == Thresholds()
        assert [w for w in store.warnings if "older version" not in w] == []
    assert path.read_bytes() == before  # upgraded in memory only


def test_an_old_bad_mode_still_says_what_is_wrong(tmp_path: Path) -> None:
    path = _old_database(tmp_path / "old.sqlite", {"traffic_light": 5})
    with open_store(path) as store:
        assert store.thresholds() == Thresholds()
        assert "the mode 5 is neither absolute nor relative" in store.warnings[0]
