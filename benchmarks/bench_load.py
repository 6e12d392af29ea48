"""Engine start-up: what loading costs, what the load-time proof adds, and that starts never fail.

    python benchmarks/bench_load.py [--screens 10] [--parallel 30] [--loads 0]

Prints:
- in one process, the median of 9 runs of: an Engine.load() on durable-rules, building the
  durable-rules backend alone, and the load-time proof (screening/selfcheck.py) split into
  making the rule-example facts and matching them on durable-rules and the Python oracle;
- ``riskscreen screen examples/greater-manchester-osaka.yaml`` end to end in fresh processes
  (``--screens`` runs one after another: minimum and median wall time, import included, and the
  median CPU time, which other work on the machine disturbs less; the target is a median under
  0.5 s wall). The package's bytecode is compiled first, as pip does when it installs a wheel, so
  no run pays for compiling it; the load average is printed beside the figures;
- ``--parallel`` such processes started at once: every one must exit 0 with the same output;
- with ``--loads N``, N Engine.load() calls in one process and how many were refused (durable-rules
  2.0.28 refused about one in 400 before the fix recorded as guard 12 in
  rulepack/backends/durable.py).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import riskscreen
from riskscreen import Engine
from riskscreen.errors import RiskscreenError
from riskscreen.rulepack.backends import make_backend
from riskscreen.rulepack.backends.python import PythonBackend
from riskscreen.screening.selfcheck import first_disagreement, proof_facts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "greater-manchester-osaka.yaml"
SCREEN = [sys.executable, "-c", "from riskscreen.cli import main; main()", "screen", str(EXAMPLE)]


def median_ms(work: Callable[[], object], runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def in_process() -> None:
    engine = Engine.load(backend="durable")
    pack, taxonomies, watchlist = engine.pack, engine.taxonomies, engine.watchlist
    rulesets = pack.compiled()
    facts = proof_facts(pack, taxonomies, watchlist)
    oracle = PythonBackend(rulesets)
    print(
        f"Engine.load() on durable-rules, proof included: {median_ms(lambda: Engine.load(backend='durable').close()):.1f} ms"
    )
    print(
        f"  the durable-rules backend alone: {median_ms(lambda: make_backend('durable', rulesets).close()):.1f} ms"
    )
    made = median_ms(lambda: proof_facts(pack, taxonomies, watchlist))
    matched = median_ms(lambda: first_disagreement(engine.backend, oracle, facts))
    print(
        f"  the proof: {made + matched:.1f} ms ({len(facts)} facts: making them {made:.1f} ms, matching both backends {matched:.1f} ms)"
    )
    engine.close()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def screens(count: int) -> None:
    compileall.compile_dir(Path(riskscreen.__file__).parent, quiet=2)
    subprocess.run(SCREEN, check=True, capture_output=True)  # warm the file cache
    load = os.getloadavg()[0]
    walls, cpus = [], []
    for _ in range(count):
        cpu = _children_cpu()
        start = time.perf_counter()
        subprocess.run(SCREEN, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    median = statistics.median(walls)
    print(
        f"riskscreen screen {EXAMPLE.name}, {count} fresh processes: min {min(walls):.3f} s, "
        f"median {median:.3f} s wall (median CPU {statistics.median(cpus):.3f} s; "
        f"load average {load:.2f} at the start) - {'under' if median < 0.5 else 'over'} the 0.5 s target"
    )


def parallel(count: int) -> bool:
    start = time.perf_counter()
    running = [
        subprocess.Popen(SCREEN, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(count)
    ]
    outcomes = []
    for process in running:
        out, err = process.communicate()
        outcomes.append((process.returncode, out, err))
    failed = [
        (code, err.strip().splitlines()[-1:] or [""]) for code, _out, err in outcomes if code != 0
    ]
    outputs = {out for code, out, _err in outcomes if code == 0}
    print(
        f"{count} parallel screens: {count - len(failed)} succeeded, {len(outputs)} distinct output(s), {time.perf_counter() - start:.1f} s"
    )
    for code, last in failed:
        print(f"  exit {code}: {last[0]}")
    return not failed and len(outputs) == 1


def loads(count: int) -> bool:
    refused = 0
    start = time.perf_counter()
    for _ in range(count):
        try:
            Engine.load(backend="durable").close()
        except RiskscreenError as exc:
            refused += 1
            print(f"  refused: {exc}")
    print(
        f"{count} Engine.load() calls in one process: {refused} refused ({time.perf_counter() - start:.0f} s)"
    )
    return refused == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, default=10)
    parser.add_argument("--parallel", type=int, default=30)
    parser.add_argument("--loads", type=int, default=0)
    args = parser.parse_args()
    in_process()
    ok = True
    if args.screens:
        screens(args.screens)
    if args.parallel:
        ok = parallel(args.parallel) and ok
    if args.loads:
        ok = loads(args.loads) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
