"""An installed (non-editable) wheel finds its bundled rules, taxonomies and templates from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True,
    )
    [built] = out.glob("riskscreen-*.whl")
    return built


def test_the_wheel_carries_the_bundled_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "riskscreen/_bundled/rules/proportionality.yaml" in names
    assert "riskscreen/_bundled/taxonomies/countries.yaml" in names
    assert "riskscreen/_bundled/reports/README.md" in names


def test_installed_wheel_screens_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    example = ROOT / "examples" / "edinburgh-kaohsiung.yaml"
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "import sys; from riskscreen.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", code, "screen", str(example), "--format", "json", "--as-of", "2026-11-22"],
        cwd=workdir, env=env, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"engagement_id": "EDI-KHH-2019"' in done.stdout
    located = subprocess.run([sys.executable, "-c", "import riskscreen.inputs.resources as r; print(r.bundled_dir('rules'))"],
                             cwd=workdir, env=env, capture_output=True, text=True, check=True)
    assert located.stdout.strip() == str(target / "riskscreen" / "_bundled" / "rules")
