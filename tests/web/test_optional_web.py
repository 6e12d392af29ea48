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


def test_web_commands_without_the_extra_say_how_to_install_it() -> None:
    probe = ("import sys\n"
             "for name in ('sqlalchemy', 'fastapi', 'uvicorn'):\n"
             "    sys.modules[name] = None  # as if the web extra were not installed\n"
             "from riskscreen.cli import main\n"
             "sys.argv = ['riskscreen', 'db', 'upgrade', '--db', 'sqlite://']\n"
             "main()\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == ("Error: the web service needs the 'web' extra: "
                                   "pip install 'riskscreen[web]' (sqlalchemy is missing)")
