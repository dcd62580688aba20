"""Sync benchmark: 500 followed Pages (400 public, 100 own) against the loopback Graph API
with 80 ms added to every request.

Run on demand (not part of the test suite):  python tests/benchmarks/bench_sync.py
Needs dbus-daemon and gnome-keyring (the sync process reads its tokens from a real Secret
Service). The loopback server refuses multi-ID reads (``GET /?ids=``) as Meta does for new apps
since Graph API v27.0: every Page is read as one item of a batch request. Prints, measured in one
run:
- the requests for readings (target: at most ceil(100/50) + ceil(400/50) = 10);
- the engine without Insights, in this process, against a one-request-per-Page loop over the
  same Pages (target: at least 20x faster, and at most 2 s);
- ``engage-desktop sync --no-insights`` as a whole process, with its peak memory (target
  under 200 MB), and the first sync with the two-year Insights back-fill;
- the request counts of each.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from graph_server import FakePage, GraphServer, example_council  # noqa: E402
from keyrings import MemoryKeyring, secret_service_session  # noqa: E402

from engage_desktop.core import accounts  # noqa: E402
from engage_desktop.core.graph import GraphClient  # noqa: E402
from engage_desktop.core.net import NetworkSettings, make_session  # noqa: E402
from engage_desktop.core.settings import PUBLIC_READER  # noqa: E402
from engage_desktop.core.store import open_store  # noqa: E402
from engage_desktop.core.sync import READING_FIELDS, SyncOptions, run_sync  # noqa: E402
from engage_desktop.core.tokens import TokenKey, TokenVault  # noqa: E402

LATENCY = 0.080
OWN, PUBLIC = 100, 400
READING_REQUESTS = math.ceil(OWN / 50) + math.ceil(PUBLIC / 50)

_MEASURE = """
import resource, sys, time
from engage_desktop.cli import main
started = time.perf_counter()
code = main(sys.argv[1:])
print(json.dumps({"code": code, "seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
      file=sys.stderr)
"""


def council():
    state = example_council()
    user = state.users["1000001"]
    user.page_ids.clear()
    for pid in [p.id for p in state.pages.values()]:
        del state.pages[pid]
    for index in range(OWN):
        page = state.add_page(FakePage(f"7{index:014d}", f"Own Page {index:03d}",
                                       followers_count=1000 + index, fan_count=1000 + index,
                                       token=f"EAAOWN{index:03d}TOKEN0123456789"))
        user.page_ids.append(page.id)
    for index in range(PUBLIC):
        state.add_page(FakePage(f"8{index:014d}", f"Public Page {index:03d}"))
    return state


def one_request_per_page(client: GraphClient, vault: TokenVault, store) -> int:
    """The obvious loop: each Page read on its own, with its own token."""
    user_token = vault.get(TokenKey.user(store.settings.get(PUBLIC_READER)))
    for page in store.pages(followed_only=True):
        token = vault.get(TokenKey.page(page.id)) if page.kind == "own" else user_token
        client.get(page.id, token, {"fields": READING_FIELDS})
    return client.requests_made


def main() -> None:
    state = council()
    state.calls_per_hour = 10_000  # a large app's limit: the runs below stay well under it
    work = Path(tempfile.mkdtemp(prefix="engage-sync-bench-"))
    with GraphServer(state) as server, secret_service_session() as keyring_env:
        os.environ.update(keyring_env)
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
        os.environ["ENGAGE_GRAPH_URL"] = server.url
        memory = TokenVault(MemoryKeyring())
        databases = {}
        for name, vault in (("memory", memory), ("keyring", TokenVault())):
            path = work / f"{name}.sqlite"
            with open_store(path) as store:
                client = GraphClient(server.url, make_session(NetworkSettings()))
                accounts.connect(store, vault, client, state.users["1000001"].token)
                accounts.follow(store, vault, client,
                               [p.id for p in state.pages.values() if p.token is None])
            databases[name] = path
        state.latency = LATENCY

        with open_store(databases["memory"]) as store:
            client = GraphClient(server.url, make_session(NetworkSettings()))
            started = time.perf_counter()
            loop_requests = one_request_per_page(client, memory, store)
            loop_seconds = time.perf_counter() - started

            state.calls_by_token.clear()  # the loop's calls count against the next hour
            client = GraphClient(server.url, make_session(NetworkSettings()))
            state.requests.clear()
            started = time.perf_counter()
            summary = run_sync(store, memory, client, options=SyncOptions(insights=False))
            engine_seconds = time.perf_counter() - started
        assert summary.status == "ok", summary.errors
        assert not any(r.query.get("ids") for r in state.requests), "a multi-ID read was sent"
        ratio = loop_seconds / engine_seconds
        print(f"{OWN + PUBLIC} Pages ({OWN} own, {PUBLIC} public), {LATENCY * 1000:.0f} ms "
              "added to every request, multi-ID reads (?ids=) refused")
        print(f"one request per Page: {loop_requests} requests, {loop_seconds:.2f} s")
        print(f"sync engine, no Insights: {summary.requests} requests for readings (target <= "
              f"{READING_REQUESTS}: {'meets' if summary.requests <= READING_REQUESTS else 'MISSES'}"
              f"), {engine_seconds:.2f} s (target <= 2 s: "
              f"{'meets' if engine_seconds <= 2 else 'MISSES'}); {ratio:.1f}x faster than one "
              f"request per Page (target >= 20x: {'meets' if ratio >= 20 else 'MISSES'})")

        for label, extra in (("engage-desktop sync --no-insights", ["--no-insights"]),
                             ("engage-desktop sync, first run with the Insights back-fill",
                              [])):
            state.requests.clear()
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-c", "import json\n" + _MEASURE, "sync", "--json",
                 "--db", str(databases["keyring"]), *extra],
                capture_output=True, text=True, env=os.environ, check=False)
            wall = time.perf_counter() - started
            figures = json.loads(result.stderr.strip().splitlines()[-1])
            out = json.loads(result.stdout)
            windows = sum(any("/insights" in p for p in r.batch_paths) for r in state.requests)
            print(f"{label}: {out['requests']} requests ({out['requests'] - windows} for "
                  f"readings, {windows} for Insights windows), status {out['status']}, "
                  f"{wall:.2f} s as a whole process ({figures['seconds']:.2f} s in the sync), "
                  f"peak memory {figures['peak_mb']:.0f} MB (target < 200 MB: "
                  f"{'meets' if figures['peak_mb'] < 200 else 'MISSES'})")


if __name__ == "__main__":
    main()
