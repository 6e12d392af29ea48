"""The wheel carries the web service: templates, GOV.UK assets, migrations and the demo register."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(ROOT)], check=True)
    [built] = out.glob("riskscreen-*.whl")
    return built


def test_wheel_carries_the_web_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "riskscreen/web/templates/base.html",
        "riskscreen/web/templates/engagements/_result.html",
        "riskscreen/web/static/govuk/govuk-frontend.min.css",
        "riskscreen/web/static/govuk/govuk-frontend.min.js",
        "riskscreen/web/static/govuk/LICENSE.txt",
        "riskscreen/store/migrations/env.py",
        "riskscreen/store/migrations/versions/0001_accounts.py",
        "riskscreen/store/migrations/versions/0002_engagements.py",
        "riskscreen/store/migrations/versions/0003_review.py",
        "riskscreen/_bundled/examples/register.yaml",
    } <= names
    assert not any("GDS" in name or name.endswith((".woff", ".woff2")) for name in names)  # no GOV.UK font
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Provides-Extra: web" in metadata and "extra == 'web'" in metadata


def test_installed_wheel_migrates_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "RISKSCREEN_DATA_DIR": str(tmp_path / "data")}
    env.pop("RISKSCREEN_DATABASE_URL", None)
    code = "import sys; from riskscreen.cli import main; sys.exit(main())"
    done = subprocess.run([sys.executable, "-c", code, "db", "upgrade"], cwd=elsewhere, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    from riskscreen.store.migrate import head_revision

    assert f"Database schema upgraded from empty to {head_revision()}." in done.stdout
    assert (tmp_path / "data" / "riskscreen.sqlite3").is_file()
    demo = subprocess.run([sys.executable, "-c", "from riskscreen.web.demo import example_register as e; print(e())"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert demo.stdout.strip() == str(target / "riskscreen" / "_bundled" / "examples" / "register.yaml")
