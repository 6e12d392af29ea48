"""The pre-commit hook, run as docs/ci.md shows it (``rev:`` a commit SHA) from a local clone.

pre-commit builds the hook's environment with pip from the package index already configured for
this machine; nothing else is fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not PRE_COMMIT.exists() or not (ROOT / ".git").exists(),
    reason="needs git, pre-commit and a git checkout of riskscreen")


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def test_hook_from_a_local_clone_fails_on_alignment_and_passes_when_clean(tmp_path: Path) -> None:
    clone = tmp_path / "riskscreen"
    _git("clone", "--quiet", str(ROOT), str(clone), cwd=tmp_path)
    sha = _git("rev-parse", "HEAD", cwd=clone)
    project = tmp_path / "council"
    project.mkdir()
    _git("init", "--quiet", cwd=project)
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{
        "repo": str(clone), "rev": sha,
        "hooks": [{"id": "riskscreen-check", "args": ["--fail-on", "alignment"]}]}]}), encoding="utf-8")
    register = yaml.safe_load((ROOT / "examples" / "register.yaml").read_text(encoding="utf-8"))
    (project / "register.yaml").write_text(yaml.safe_dump(register, sort_keys=False), encoding="utf-8")
    _git("add", "-A", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(PRE_COMMIT), "run", "--all-files", "--color", "never"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=900, check=False)

    failing = run()
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "riskscreen check (agreement register)" in failing.stdout and "Failed" in failing.stdout
    assert "failing at or above 'alignment'" in failing.stdout

    clean = {"engagements": [e for e in register["engagements"] if e["id"] == "BHM-LYS-1951"]}
    (project / "register.yaml").write_text(yaml.safe_dump(clean, sort_keys=False), encoding="utf-8")
    _git("add", "-A", cwd=project)
    passing = run()
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "riskscreen check (agreement register)" in passing.stdout and "Passed" in passing.stdout
