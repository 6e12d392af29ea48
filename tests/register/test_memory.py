"""The register pipeline streams: peak memory does not grow with the register (not a timed test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.register.conftest import (
    AS_OF,
    CLEAN,
    MEDIA,
    RULES,
    TAXONOMIES,
    TELECOMS,
    engagement,
    write_csv,
)

PEAK = (
    "import json, resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(json.dumps([done.returncode, done.stderr[-500:], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
)


def peak_rss_kb(register: Path, fmt: str) -> int:
    """Peak RSS of one `riskscreen check` run in a fresh process."""
    command = [sys.executable, "-c", PEAK, sys.executable, "-c", "from riskscreen.cli import main; main()",
               "check", str(register), "--format", fmt, "--jobs", "1", "--backend", "python", "--quiet",
               "--rules", str(RULES), "--taxonomies", str(TAXONOMIES), "--as-of", AS_OF,
               "-o", str(register.with_suffix(f".{fmt}"))]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    code, stderr, peak = json.loads(done.stdout)
    assert code in (0, 1), stderr
    return int(peak)


def test_peak_memory_is_flat_from_20k_to_60k_rows(tmp_path: Path) -> None:
    kinds = [CLEAN, TELECOMS, MEDIA, engagement("X", sectors=["telecommunications"], involves=["media_profile"])]
    for rows in (20_000, 60_000):
        write_csv(tmp_path / f"r{rows}.csv", [{**kinds[i % 4], "id": f"E{i:06d}"} for i in range(rows)])
    for fmt in ("json", "html"):
        small = peak_rss_kb(tmp_path / "r20000.csv", fmt)
        large = peak_rss_kb(tmp_path / "r60000.csv", fmt)
        assert (tmp_path / "r60000.csv").with_suffix(f".{fmt}").stat().st_size > 2.5 * (
            tmp_path / "r20000.csv").with_suffix(f".{fmt}").stat().st_size  # three times the output...
        assert large < small * 1.15 + 8 * 1024, (fmt, small, large)  # ...in the same memory
