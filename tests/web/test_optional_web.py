"""The core and the CLI's other commands never import the web stack."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys
from click.testing import CliRunner
import riskscreen
from riskscreen import Engine
from riskscreen.cli import main
result = CliRunner().invoke(main, ["screen", "examples/edinburgh-kaohsiung.yaml", "--format", "json"])
assert result.exit_code == 0, result.output
result = CliRunner().invoke(main, ["check", "examples/register.yaml", "--fail-on", "stop", "--jobs", "1"])
assert result.exit_code in (0, 1), result.output
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"fastapi", "starlette", "sqlalchemy",
    "alembic", "uvicorn", "argon2", "govuk_frontend_jinja"} or m.startswith(("riskscreen.web", "riskscreen.store")))
print(",".join(loaded))
"""


def test_screen_and_check_load_no_web_module() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"web modules imported by the core: {done.stdout}"
