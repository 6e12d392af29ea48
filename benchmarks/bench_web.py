"""Load-test the web service on loopback: `riskscreen serve` with two workers on a temporary SQLite
file holding 10,000 screened engagements, driven by an async HTTP client on the same machine.

Usage:
    python benchmarks/bench_web.py                       # every scenario, 20 and 100 clients
    python benchmarks/bench_web.py --duration 10 --max-requests 2000 --engagements 10000

Scenarios (each bounded by --duration seconds and --max-requests, after a short warm-up):
  - POST /api/v1/screen with distinct engagements (every request screened afresh) and with one
    engagement repeated (the service memoises identical inputs);
  - the result page of a stored engagement (GET /engagements/{id});
  - the organisation's engagement list with 10,000 stored (GET /engagements, first page and a
    text search).
Prints requests/s and latency percentiles, with the machine's load average before each run:
the machine may be shared, and the client competes with the server for the same cores.
Targets: >= 300 screenings/s; pages p95 < 150 ms at 20 clients; the list p95 < 300 ms.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
LAUNCH = "import sys; from riskscreen.cli import main; main(sys.argv[1:])"
AS_OF = "2026-11-22"
EMAIL = "bench@bench-council.example"
ORGANISATION = "Bench City Council"


@dataclass
class Outcome:
    name: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    load_before: float = 0.0

    def row(self) -> list[str]:
        done = len(self.latencies)
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive") if done > 1 else [0.0] * 99
        return [self.name, str(self.clients), str(done), str(self.errors),
                f"{done / self.elapsed:,.0f}" if self.elapsed else "-",
                f"{cuts[49] * 1000:.0f}", f"{cuts[94] * 1000:.0f}", f"{cuts[98] * 1000:.0f}",
                f"{self.load_before:.2f}"]

    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[94]


def example_engagements() -> list[dict[str, Any]]:
    """The example register's rows as JSON objects (the API's body)."""
    from riskscreen.registers import read_register

    rows = [row.data for row in read_register(REPO / "examples" / "register.yaml")]
    return [json.loads(json.dumps(row, default=str)) for row in rows if row is not None]


def prepare(database_url: str, engagements: int) -> tuple[str, str, list[int]]:
    """Schema, one officer, an API token, a browser session and N screened engagements.
    Returns (token, session cookie, engagement ids)."""
    from riskscreen import Engine
    from riskscreen.store import Store
    from riskscreen.store.accounts import add_user, create_token, start_session
    from riskscreen.store.engagements import create_engagement, record_screening
    from riskscreen.store.passwords import generate_password

    store = Store(database_url)
    store.upgrade()
    engine = Engine.load()
    examples = example_engagements()
    ids: list[int] = []
    with store.session() as session:
        user = add_user(session, email=EMAIL, name="Bench Officer", role="officer",
                        organisation=ORGANISATION, password=generate_password())
        _, token = create_token(session, user, "benchmark")
        cookie = start_session(session, user)
        for i in range(engagements):
            data = {**examples[i % len(examples)], "id": f"BENCH-{i:05d}"}
            record = create_engagement(session, user, data)
            record_screening(session, record, engine.screen(data, as_of=date.fromisoformat(AS_OF),
                                                            what_if=False), user)
            ids.append(record.id)
    store.close()
    return token, cookie, ids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(database_url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "serve", "--port", str(port), "--workers", str(workers),
             "--db", database_url], stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"riskscreen serve exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=5):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"riskscreen serve did not start:\n{log.read_text()}")


async def drive(client: httpx.AsyncClient, outcome: Outcome, make: Any, duration: float,
                max_requests: int, warmup: int) -> None:
    """`clients` concurrent loops issuing requests until the time or request budget runs out."""
    issued = 0

    async def one() -> tuple[float, bool]:
        method, url, kwargs = make()
        start = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        return time.perf_counter() - start, ok

    await asyncio.gather(*(one() for _ in range(warmup)))
    outcome.load_before = os.getloadavg()[0]
    deadline = time.perf_counter() + duration

    async def loop() -> None:
        nonlocal issued
        while issued < max_requests and time.perf_counter() < deadline:
            issued += 1
            latency, ok = await one()
            if ok:
                outcome.latencies.append(latency)
            else:
                outcome.errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(outcome.clients)))
    outcome.elapsed = time.perf_counter() - started


async def run_all(base: str, token: str, cookie: str, ids: list[int], args: argparse.Namespace) -> list[Outcome]:
    examples = example_engagements()
    rng = random.Random(11)
    counter = iter(range(10**9))
    api = {"Authorization": f"Bearer {token}"}

    def distinct() -> tuple[str, str, dict[str, Any]]:
        data = {**rng.choice(examples), "id": f"API-{next(counter):07d}"}
        return "POST", f"/api/v1/screen?as_of={AS_OF}", {"json": data, "headers": api}

    repeated_body = examples[0]

    def repeated() -> tuple[str, str, dict[str, Any]]:
        return "POST", f"/api/v1/screen?as_of={AS_OF}", {"json": repeated_body, "headers": api}

    def result_page() -> tuple[str, str, dict[str, Any]]:
        return "GET", f"/engagements/{rng.choice(ids)}", {}

    def engagement_list() -> tuple[str, str, dict[str, Any]]:
        return "GET", "/engagements", {}

    def engagement_search() -> tuple[str, str, dict[str, Any]]:
        return "GET", f"/engagements?q=BENCH-{rng.randrange(len(ids)):05d}", {}

    scenarios = [
        ("POST /api/v1/screen (distinct inputs)", distinct, (20, 100)),
        ("POST /api/v1/screen (one input repeated)", repeated, (20, 100)),
        ("GET result page", result_page, (20, 100)),
        (f"GET engagement list ({len(ids):,} stored)", engagement_list, (20, 100)),
        (f"GET engagement list, text search ({len(ids):,} stored)", engagement_search, (20,)),
    ]
    outcomes = []
    for name, make, levels in scenarios:
        for clients in levels:
            limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
            async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60,
                                         cookies={"rs_session": cookie}) as client:
                outcome = Outcome(name, clients)
                await drive(client, outcome, make, args.duration, args.max_requests, warmup=clients)
                print(" | ".join(outcome.row()), flush=True)
                outcomes.append(outcome)
    return outcomes


def verdicts(outcomes: list[Outcome]) -> list[str]:
    lines = []
    for o in outcomes:
        if not o.latencies:
            continue
        rate = len(o.latencies) / o.elapsed
        if o.name.startswith("POST /api/v1/screen (distinct"):
            lines.append(f"{o.name}, {o.clients} clients: {rate:,.0f}/s "
                         f"({'meets' if rate >= 300 else 'misses'} >= 300/s)")
        elif o.name.startswith("GET result page") and o.clients == 20:
            lines.append(f"result page, 20 clients: p95 {o.p95() * 1000:.0f} ms "
                         f"({'meets' if o.p95() < 0.150 else 'misses'} < 150 ms)")
        elif o.name.startswith("GET engagement list (") and o.clients == 20:
            lines.append(f"engagement list, 20 clients: p95 {o.p95() * 1000:.0f} ms "
                         f"({'meets' if o.p95() < 0.300 else 'misses'} < 300 ms)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario (default 10)")
    parser.add_argument("--max-requests", type=int, default=3000, help="requests per scenario (default 3000)")
    parser.add_argument("--engagements", type=int, default=10_000, help="stored engagements (default 10,000)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (default 2)")
    args = parser.parse_args()

    from riskscreen.web.security import SESSION_COOKIE

    assert SESSION_COOKIE == "rs_session", SESSION_COOKIE
    with tempfile.TemporaryDirectory(prefix="riskscreen-bench-web-") as directory:
        database_url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        started = time.perf_counter()
        token, cookie, ids = prepare(database_url, args.engagements)
        print(f"stored {len(ids):,} screened engagements in {time.perf_counter() - started:.0f} s")
        port = free_port()
        server = start_server(database_url, port, args.workers, Path(directory) / "serve.log")
        try:
            print(f"riskscreen serve --workers {args.workers} on 127.0.0.1:{port}; {os.cpu_count()} cores; "
                  f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            header = ["scenario", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms",
                      "p99 ms", "load avg (1 min)"]
            print(" | ".join(header))
            outcomes = asyncio.run(run_all(f"http://127.0.0.1:{port}", token, cookie, ids, args))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for outcome in outcomes:
        print("| " + " | ".join(outcome.row()) + " |")
    print()
    for line in verdicts(outcomes):
        print(line)


if __name__ == "__main__":
    main()
