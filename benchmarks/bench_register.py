"""`riskscreen check` end to end on realistic registers: rows/s, peak RSS and output size.

Usage:
    python benchmarks/bench_register.py                        # 2k, 20k, 100k rows; CSV, JSON, YAML; 5 outputs
    python benchmarks/bench_register.py --rows 100000 --inputs csv --formats sarif json
    python benchmarks/bench_register.py --rows 20000 --jobs 1 2 --formats jsonl   # --jobs crossover
    python benchmarks/bench_register.py --open-html 100000     # headless Chromium opens the 100k HTML

Set PYTHONPATH to a checkout to measure that code. Registers are built from the ~70 seed engagements of examples/ (the example register and the
single-engagement examples) with fresh ids; a share of rows get a sensitive partner country, a
state-linked partner type or a watchlisted partner name, so well over half have findings. Each
check is a fresh process (the installed command, as a user runs it); peak RSS is the largest
single process of that run (its workers included). The same run also times, over the same
facts, the bare durable-rules loop (``bare_loop.py``: assert, drain, delete state, nothing else), the plain-Python
evaluation of the same conditions, and the in-process engine (validate + match + compact), so
the pipeline's cost reads as a ratio to the engine's own limit on the same machine load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-22"
FORMATS = ("json", "jsonl", "sarif", "junit", "html")
INPUTS = ("csv", "json", "yaml")
OPEN_TIMEOUT = 180
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SENSITIVE = ["CN", "RU", "IR", "KP", "BY", "SA", "AE", "TR"]
STATE_LINKED = ["state_owned_enterprise", "national_government"]
WATCHLISTED = ["Huawei Technologies Co., Ltd.", "Gazprom", "Sichuan Guodong Construction Group",
               "Beijing Construction Engineering Group Co., Ltd."]


def seeds() -> list[dict[str, Any]]:
    """The example register's engagements and the single-engagement examples, waivers left out."""
    from riskscreen.registers import read_register

    rows = [dict(row.data) for row in read_register(ROOT / "examples" / "register.yaml") if row.data]
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        if path.name != "register.yaml":
            rows.append(yaml.safe_load(path.read_text(encoding="utf-8")))
    return [{k: v for k, v in row.items() if k not in ("waivers", "notes")} for row in rows]


def mix(count: int, seed: int = 7) -> list[dict[str, Any]]:
    from riskscreen import Engine

    taxonomies = Engine.load(backend="python").taxonomies
    base = seeds()
    rng = random.Random(seed)
    items = []
    for i in range(count):
        item = json.loads(json.dumps(rng.choice(base), default=str))
        item["id"] = f"ENG-{i:06d}"
        partner = item["partner"]
        draw = rng.random()
        if draw < 0.15:
            partner["country"] = rng.choice(SENSITIVE)
            partner.pop("region", None)  # a region belongs to the country it was written for
        elif draw < 0.25:
            partner["type"] = rng.choice(STATE_LINKED)
        elif draw < 0.30:
            partner["name"] = rng.choice(WATCHLISTED)
        item["sectors"] = [s for s in item.get("sectors", []) if s in taxonomies.sectors] or ["culture"]
        # Amounts and terms differ from one real agreement to the next, and the rules see them.
        if item.get("value_gbp"):
            item["value_gbp"] = round(item["value_gbp"] * rng.uniform(0.5, 2.0), -2)
        if item.get("term_years"):
            item["term_years"] = rng.choice([1, 2, 3, 4, 5, 10])
        items.append(item)
    return items


def columns() -> list[str]:
    from riskscreen.registers.rows import COLUMN_KINDS

    return list(COLUMN_KINDS)


def write(items: list[dict[str, Any]], path: Path) -> None:
    if path.suffix == ".json":
        path.write_text(json.dumps(items, indent=2, ensure_ascii=False), encoding="utf-8")
    elif path.suffix == ".yaml":
        with path.open("w", encoding="utf-8") as stream:
            stream.write("engagements:\n")
            for item in items:  # one item at a time: a 100k register is never one YAML document in memory
                stream.write(yaml.safe_dump([item], sort_keys=False, allow_unicode=True))
    else:
        names = columns()
        with path.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(names)
            for item in items:
                cells = []
                for name in names:
                    head, _, tail = name.partition(".")
                    value = item.get(head, {}).get(tail) if tail else item.get(head)
                    cells.append(";".join(value) if isinstance(value, list) else "" if value is None else str(value))
                writer.writerow(cells)


def check(register: Path, fmt: str, jobs: str, backend: str, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """One `riskscreen check` in a fresh child (so ru_maxrss is this run's own)."""
    code = (
        "import json, resource, subprocess, sys, time; start = time.perf_counter(); "
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(json.dumps([time.perf_counter() - start, done.returncode, done.stderr[-2000:], "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
    )
    out = register.with_suffix(f".{fmt}.out")
    command = [sys.executable, "-c", code, sys.executable, "-c", "from riskscreen.cli import main; main()", "check",
               str(register), "--format", fmt, "--as-of", AS_OF, "--fail-on", "alignment", "--jobs", jobs,
               "--quiet", "--backend", backend, *extra, "-o", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds, code_, stderr, peak_kb = json.loads(done.stdout)
    if code_ not in (0, 1):
        raise SystemExit(f"check failed ({code_}): {stderr}")
    size = out.stat().st_size
    results = None
    if fmt == "sarif":
        results = len(json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"])
    if fmt != "html":
        out.unlink()
    return {"seconds": seconds, "peak_mb": peak_kb / 1024, "bytes": size, "sarif_results": results, "out": out}


def engine_limits(items: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds for the bare durable-rules loop, plain-Python evaluation and the in-process engine."""
    from bare_loop import bare_durable_seconds

    from riskscreen import Engine
    from riskscreen.rulepack.backends.python import PythonBackend

    day = date.fromisoformat(AS_OF)
    engine = Engine.load(backend="durable")
    engagements = [engine.validate(item) for item in items]
    facts = [engine.facts(e, day) for e in engagements]
    compiled = {"engagement": engine.pack.compiled()["engagement"]}
    times: dict[str, float] = {}

    times["bare durable-rules loop"] = bare_durable_seconds(compiled["engagement"], facts)

    python = PythonBackend(compiled)
    start = time.perf_counter()
    for fact in facts:
        python.match("engagement", fact)
    times["plain-Python evaluation"] = time.perf_counter() - start

    for backend in ("durable", "python"):
        with Engine.load(backend=backend) as one:
            start = time.perf_counter()
            for item in items:
                engagement = one.validate(item)
                one.compact(engagement, day, one.match(engagement, day))
            times[f"engine in-process ({backend})"] = time.perf_counter() - start
    return times


def stages(items: list[dict[str, Any]], directory: Path, backend: str) -> dict[str, float]:
    """Seconds per pipeline stage over the same rows, in one process (where the time goes)."""
    from riskscreen import Engine
    from riskscreen.registers import read_register
    from riskscreen.registers.pipeline import PipelineSettings, run_register
    from riskscreen.render import RenderOptions
    from riskscreen.render.stream import RegisterContext, open_writer

    day = date.fromisoformat(AS_OF)
    engine = Engine.load(backend=backend)
    times: dict[str, float] = {}
    from riskscreen.registers.rows import LazyRow

    for kind in INPUTS:
        register = directory / f"stages.{kind}"
        write(items, register)
        list(read_register(register, fast=True))  # warm: imports, encoding detection
        start = time.perf_counter()
        read = [row.data for row in read_register(register, fast=True)]
        times[f"read {kind}"] = time.perf_counter() - start
        start = time.perf_counter()
        rows = [row.materialise() if isinstance(row, LazyRow) else row for row in read]
        if kind != "json":  # JSON items arrive parsed; CSV cells and YAML items are done by workers
            times[f"  {kind}: {'convert cells' if kind == 'csv' else 'parse items'} (in the worker)"] = (
                time.perf_counter() - start)
    start = time.perf_counter()
    engagements = [engine.validate(row or {}) for row in rows]
    times["validate"] = time.perf_counter() - start
    start = time.perf_counter()
    matched = [engine.match(e, day) for e in engagements]
    times["match (facts, watchlist, rules)"] = time.perf_counter() - start
    start = time.perf_counter()
    for e, m in zip(engagements, matched, strict=True):
        engine.compact(e, day, m)
    times["assemble compact result"] = time.perf_counter() - start
    register = directory / "stages.csv"
    for fmt in ("json", "sarif", "html"):
        writer = open_writer(fmt, RegisterContext(str(register), day, "alignment", RenderOptions(engine=engine)))
        settings = PipelineSettings(as_of=day)
        start = time.perf_counter()
        outcome = run_register(engine, register, settings, writer)
        with (directory / f"stages.{fmt}").open("w", encoding="utf-8") as out:
            writer.finish(outcome, out)
        writer.close()
        times[f"whole pipeline, one process, {fmt}"] = time.perf_counter() - start
    return times


def open_html(path: Path) -> float:
    """Seconds from navigating to the report until headless Chromium has loaded it, run its script
    and painted the frame after: Playwright driving Debian's chromium, as the browser tests do,
    with the browser already started. NaN when either is missing; inf past OPEN_TIMEOUT."""
    try:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        from playwright.sync_api import sync_playwright
    except ImportError:
        return float("nan")
    chromium = Path(os.environ.get("RISKSCREEN_CHROMIUM", "/usr/bin/chromium"))
    if not chromium.is_file():
        return float("nan")
    if path.suffix != ".html":  # under another name Chromium would show the file as text
        path = path.rename(path.with_suffix(".html"))
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto("about:blank")
            start = time.perf_counter()
            try:
                page.goto(path.as_uri(), wait_until="load", timeout=OPEN_TIMEOUT * 1000)
                page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            except PlaywrightTimeout:
                return float("inf")
            return time.perf_counter() - start
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="*", default=[2_000, 20_000, 100_000])
    parser.add_argument("--inputs", nargs="*", choices=INPUTS, default=list(INPUTS))
    parser.add_argument("--formats", nargs="*", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--jobs", nargs="*", default=["auto"])
    parser.add_argument("--backend", default="durable", choices=["durable", "python"])
    parser.add_argument("--limits", type=int, default=20_000, help="rows for the engine limits (0: skip)")
    parser.add_argument("--stages", type=int, default=5_000, help="rows for the per-stage profile (0: skip)")
    parser.add_argument("--open-html", type=int, default=100_000, help="rows of the HTML to open (0: skip)")
    parser.add_argument("--memo", type=int, default=None,
                        help="facts the durable-rules backend remembers per process (0: off; default: riskscreen's)")
    args = parser.parse_args()
    if args.memo is not None:  # before riskscreen is imported here or in any child
        os.environ["RISKSCREEN_MATCH_MEMO"] = str(args.memo)
    print(f"load average before: {os.getloadavg()}; cores: {os.cpu_count()}; backend: {args.backend}", flush=True)
    with tempfile.TemporaryDirectory() as directory:
        base = mix(max([*args.rows, args.limits]))
        findings = _share_with_findings(base[:2000])
        print(f"mix: {len(seeds())} seed engagements; {findings:.0%} of rows have findings", flush=True)
        print(f"distinct rule facts: {_distinct_facts(base[:20_000]):,} in the first {min(len(base), 20_000):,} rows; "
              f"durable-rules memo: {os.environ.get('RISKSCREEN_MATCH_MEMO', 'default')}", flush=True)
        if args.limits:
            times = engine_limits(base[: args.limits])
            print(f"\nengine limits over the same {args.limits:,} facts, one process:")
            for label, seconds in times.items():
                print(f"  {label:<30} {args.limits / seconds:>9,.0f} rows/s")
            ratio = times["engine in-process (durable)"] / times["bare durable-rules loop"]
            print(f"  engine ÷ bare durable-rules loop: {ratio:.2f}x", flush=True)
        if args.stages:
            times = stages(base[: args.stages], Path(directory), args.backend)
            print(f"\nwhere the time goes, {args.stages:,} rows, one process ({args.backend}):")
            for label, seconds in times.items():
                print(f"  {label:<36} {seconds / args.stages * 1e6:>7.0f} µs/row", flush=True)
        print(f"\n{'rows':>7} {'input':>5} {'format':>6} {'jobs':>4} {'seconds':>8} {'rows/s':>8} "
              f"{'peak MB':>8} {'bytes/row':>9} {'B/result':>8}", flush=True)
        for rows in args.rows:
            for kind in args.inputs:
                register = Path(directory) / f"register-{rows}.{kind}"
                write(base[:rows], register)
                for fmt in args.formats:
                    for jobs in args.jobs:
                        got = check(register, fmt, jobs, args.backend)
                        per_result = f"{got['bytes'] / got['sarif_results']:.0f}" if got["sarif_results"] else ""
                        print(f"{rows:>7} {kind:>5} {fmt:>6} {jobs:>4} {got['seconds']:>8.1f} "
                              f"{rows / got['seconds']:>8,.0f} {got['peak_mb']:>8.0f} "
                              f"{got['bytes'] / rows:>9.0f} {per_result:>8}", flush=True)
                        if fmt == "html" and rows == args.open_html:
                            print(f"        headless Chromium opens it (--detail failing) in "
                                  f"{open_html(got['out']):.1f} s", flush=True)
                            brief = check(register, fmt, jobs, args.backend, ("--detail", "summary"))
                            print(f"        with --detail summary: {brief['bytes'] / rows:.0f} bytes/row, opens in "
                                  f"{open_html(brief['out']):.1f} s", flush=True)
                register.unlink()
    print(f"load average after: {os.getloadavg()}")


def _distinct_facts(items: list[dict[str, Any]]) -> int:
    """How many different facts the rules see (the durable-rules backend asserts each once)."""
    from riskscreen import Engine

    engine = Engine.load(backend="python")
    day = date.fromisoformat(AS_OF)
    return len({json.dumps(engine.facts(engine.validate(item), day), sort_keys=True) for item in items})


def _share_with_findings(items: list[dict[str, Any]]) -> float:
    from riskscreen import Engine

    engine = Engine.load(backend="python")
    day = date.fromisoformat(AS_OF)
    hits = 0
    for item in items:
        engagement = engine.validate(item)
        hits += bool(engine.compact(engagement, day, engine.match(engagement, day)).findings)
    return hits / len(items)


if __name__ == "__main__":
    main()
