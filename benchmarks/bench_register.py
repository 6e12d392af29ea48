"""Time `riskscreen check` end to end on synthetic CSV registers and report rows/s and peak RSS.

Usage:
    python benchmarks/bench_register.py                  # 10k, 50k and 100k rows, --jobs 1 and 2
    python benchmarks/bench_register.py --rows 100000 --jobs 2

Each run is a fresh process (the installed `riskscreen` command), so peak RSS is that run's own.
Peak RSS is the largest single process of the run (ru_maxrss of children is a high-water mark,
so each run is measured from its own fresh parent).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = ["id", "title", "lead.name", "lead.type", "lead.due_diligence", "lead.approval", "partner.name",
           "partner.type", "partner.country", "agreement_type", "sectors", "involves", "term_years",
           "review_date"]
COUNTRIES = ["DE", "FR", "JP", "US", "CN", "IN", "TW", "BR", "NG", "AE", "RU", "KR"]
AGREEMENTS = ["twinning", "friendship_agreement", "mou", "research_collaboration", "investment",
              "trade_mission", "cultural_exchange", "student_exchange"]
SECTORS = ["culture", "education", "tourism", "research", "energy", "telecommunications",
           "artificial_intelligence", "trade_promotion", "health", "transport"]
INVOLVES = ["", "personal_data", "media_profile", "ip_transfer", "critical_infrastructure", "foreign_funding"]
PARTNERS = ["city_government", "university", "private_company", "state_owned_enterprise", "research_institute"]


LAUNCH = "import sys; from riskscreen.cli import main; main(sys.argv[1:])"


def write_register(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for i in range(rows):
            writer.writerow([
                f"ENG-{i:06d}", f"Engagement {i}", "Example City Council", "local_authority",
                rng.choice(["sanctions;ownership", "", "sanctions"]), rng.choice(["committee", "officer"]),
                f"Partner {rng.randrange(5000)}", rng.choice(PARTNERS), rng.choice(COUNTRIES),
                rng.choice(AGREEMENTS), ";".join(rng.sample(SECTORS, rng.randint(1, 2))),
                rng.choice(INVOLVES), rng.choice(["", "3", "5"]), rng.choice(["", "2025-06-30", "2027-03-31"]),
            ])


def run(register: Path, jobs: int, fmt: str) -> tuple[float, int]:
    command = [sys.executable, "-c", LAUNCH, "check", str(register), "--format", fmt,
               "--as-of", "2026-11-22", "--fail-on", "stop", "--jobs", str(jobs), "-o", str(register) + ".out"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"check failed ({done.returncode}): {done.stderr[:2000]}")
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 50_000, 100_000])
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--format", default="sarif")
    args = parser.parse_args()
    print(f"{'rows':>8} {'jobs':>4} {'seconds':>8} {'rows/s':>8} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as directory:
        for rows in args.rows:
            register = Path(directory) / f"register-{rows}.csv"
            write_register(register, rows)
            for jobs in args.jobs:
                elapsed, peak_kb = _isolated(register, jobs, args.format)
                print(f"{rows:>8} {jobs:>4} {elapsed:>8.1f} {rows / elapsed:>8.0f} {peak_kb / 1024:>12.0f}",
                      flush=True)


def _isolated(register: Path, jobs: int, fmt: str) -> tuple[float, int]:
    """Run one check in a child Python so the RSS high-water mark belongs to this run only."""
    code = (
        f"import sys, json; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_register as b; "
        f"from pathlib import Path; print(json.dumps(b.run(Path({str(register)!r}), {jobs}, {fmt!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    elapsed, peak = __import__("json").loads(done.stdout)
    return float(elapsed), int(peak)


if __name__ == "__main__":
    main()
