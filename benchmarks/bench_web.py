"""Load-test the web service on loopback: `riskscreen serve` with two workers on a temporary SQLite
file holding 10,000 screened engagements, driven by a load generator on the same machine: wrk
(Debian's package; C, so it leaves the shared cores to the server) when installed, else an async
httpx client.

Usage:
    python benchmarks/bench_web.py                       # every scenario, 20 and 100 clients
    python benchmarks/bench_web.py --duration 10 --max-requests 2000 --engagements 10000
    python benchmarks/bench_web.py --client httpx

Scenarios (each bounded by --duration seconds, and with httpx also by --max-requests, after a
short warm-up):
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
import shutil
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
    # Set directly by wrk, which reports its own counts and percentiles (seconds).
    requests: int = 0
    percentiles: tuple[float, float, float] | None = None

    def done(self) -> int:
        return self.requests or len(self.latencies)

    def cuts(self) -> tuple[float, float, float]:
        if self.percentiles is not None:
            return self.percentiles
        if len(self.latencies) < 2:
            return (0.0, 0.0, 0.0)
        q = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return (q[49], q[94], q[98])

    def rate(self) -> float:
        return self.done() / self.elapsed if self.elapsed else 0.0

    def p95(self) -> float:
        return self.cuts()[1]

    def row(self) -> list[str]:
        p50, p95, p99 = self.cuts()
        return [self.name, str(self.clients), str(self.done()), str(self.errors), f"{self.rate():,.0f}",
                f"{p50 * 1000:.0f}", f"{p95 * 1000:.0f}", f"{p99 * 1000:.0f}", f"{self.load_before:.2f}"]


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


SCENARIOS = [
    ("POST /api/v1/screen (distinct inputs)", "distinct", (20, 100)),
    ("POST /api/v1/screen (one input repeated)", "repeated", (20, 100)),
    ("GET result page", "result", (20, 100)),
    ("GET engagement list ({n} stored)", "list", (20, 100)),
    ("GET engagement list, text search ({n} stored)", "search", (20,)),
]


async def run_httpx(base: str, token: str, cookie: str, ids: list[int],
                    args: argparse.Namespace) -> list[Outcome]:
    examples = example_engagements()
    rng = random.Random(11)
    counter = iter(range(10**9))
    api = {"Authorization": f"Bearer {token}"}
    makers = {
        "distinct": lambda: ("POST", f"/api/v1/screen?as_of={AS_OF}",
                             {"json": {**rng.choice(examples), "id": f"API-{next(counter):07d}"},
                              "headers": api}),
        "repeated": lambda: ("POST", f"/api/v1/screen?as_of={AS_OF}",
                             {"json": examples[0], "headers": api}),
        "result": lambda: ("GET", f"/engagements/{rng.choice(ids)}", {}),
        "list": lambda: ("GET", "/engagements", {}),
        "search": lambda: ("GET", f"/engagements?q=BENCH-{rng.randrange(len(ids)):05d}", {}),
    }
    outcomes = []
    for name, kind, levels in SCENARIOS:
        for clients in levels:
            limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
            async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60,
                                         cookies={"rs_session": cookie}) as client:
                outcome = Outcome(name.format(n=f"{len(ids):,}"), clients)
                await drive(client, outcome, makers[kind], args.duration, args.max_requests,
                            warmup=clients)
                print(" | ".join(outcome.row()), flush=True)
                outcomes.append(outcome)
    return outcomes


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk_script(kind: str, token: str, cookie: str, ids: list[int]) -> str:
    """A wrk Lua script: builds each request and prints the counts and percentiles at the end."""
    bodies = ", ".join(_lua_string(json.dumps({**e, "id": "@ID@"})) for e in example_engagements())
    requests = {
        "distinct": 'n = n + 1\n  local body = string.gsub(bodies[(n % #bodies) + 1], "@ID@", '
                    'string.format("API-%d-%d", tid, n))\n'
                    '  return wrk.format("POST", screen_path, api_headers, body)',
        "repeated": 'return wrk.format("POST", screen_path, api_headers, string.gsub(bodies[1], "@ID@", "REPEATED"))',
        "result": 'return wrk.format("GET", "/engagements/" .. ids[math.random(#ids)], page_headers)',
        "list": 'return wrk.format("GET", "/engagements", page_headers)',
        "search": 'return wrk.format("GET", string.format("/engagements?q=BENCH-%05d", '
                  'math.random(#ids) - 1), page_headers)',
    }
    return f"""
bodies = {{{bodies}}}
ids = {{{", ".join(str(i) for i in ids)}}}
screen_path = "/api/v1/screen?as_of={AS_OF}"
api_headers = {{["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json"}}
page_headers = {{["Cookie"] = "rs_session={cookie}"}}
n = 0
next_tid = 1
function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
end
function init(args)
  math.randomseed(11 + tid)
end
function request()
  {requests[kind]}
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def run_wrk(base: str, token: str, cookie: str, ids: list[int], args: argparse.Namespace,
            directory: Path) -> list[Outcome]:
    outcomes = []
    for name, kind, levels in SCENARIOS:
        script = directory / f"{kind}.lua"
        script.write_text(wrk_script(kind, token, cookie, ids), encoding="utf-8")
        for clients in levels:
            command = ["wrk", "-t", "2", "-c", str(clients), "--timeout", "30s", "-s", str(script)]
            subprocess.run([*command, "-d", "2s", base], capture_output=True, check=True)  # warm-up
            outcome = Outcome(name.format(n=f"{len(ids):,}"), clients, load_before=os.getloadavg()[0])
            done = subprocess.run([*command, "-d", f"{int(args.duration)}s", base],
                                  capture_output=True, text=True, check=True)
            line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
            if line is None:
                raise SystemExit(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
            count, errors, micros, p50, p95, p99 = (int(x) for x in line.split()[1:])
            outcome.requests, outcome.errors, outcome.elapsed = count - errors, errors, micros / 1e6
            outcome.percentiles = (p50 / 1e6, p95 / 1e6, p99 / 1e6)
            print(" | ".join(outcome.row()), flush=True)
            outcomes.append(outcome)
    return outcomes


def verdicts(outcomes: list[Outcome]) -> list[str]:
    lines = []
    for o in outcomes:
        if not o.done():
            continue
        rate = o.rate()
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
    parser.add_argument("--client", choices=("auto", "wrk", "httpx"), default="auto",
                        help="load generator: wrk (C, light on the shared cores; Debian's wrk package) "
                             "or httpx (Python, async); auto prefers wrk when installed")
    args = parser.parse_args()

    from riskscreen.web.security import SESSION_COOKIE

    assert SESSION_COOKIE == "rs_session", SESSION_COOKIE
    client = args.client if args.client != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    with tempfile.TemporaryDirectory(prefix="riskscreen-bench-web-") as directory:
        database_url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        started = time.perf_counter()
        token, cookie, ids = prepare(database_url, args.engagements)
        print(f"stored {len(ids):,} screened engagements in {time.perf_counter() - started:.0f} s")
        port = free_port()
        server = start_server(database_url, port, args.workers, Path(directory) / "serve.log")
        try:
            print(f"riskscreen serve --workers {args.workers} on 127.0.0.1:{port}; client {client}; "
                  f"{os.cpu_count()} cores; "
                  f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            header = ["scenario", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms",
                      "p99 ms", "load avg (1 min)"]
            print(" | ".join(header))
            base = f"http://127.0.0.1:{port}"
            if client == "wrk":
                outcomes = run_wrk(base, token, cookie, ids, args, Path(directory))
            else:
                outcomes = asyncio.run(run_httpx(base, token, cookie, ids, args))
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
