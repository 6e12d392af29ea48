"""Regenerate the golden Markdown reports in tests/reports/golden/ — deliberately, never in a test run.

    /work/venv/bin/python tests/reports/regenerate_golden.py

Run it after a change to the templates or the bundled rule pack, then read the diff
(``git diff tests/reports/golden``) before committing it: the diff *is* the review.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from riskscreen.cli import main

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
GOLDEN = HERE / "golden"
AS_OF = "2026-11-22"
# Golden name → fixture engagement. The plain-Python backend keeps the footer the same on every Python.
CASES = {
    "investment-mou.md": DATA / "investment-mou.yaml",
    "culture-exchange.md": DATA / "culture-exchange.yaml",
}


def render_case(name: str) -> str:
    """The Markdown report for one case, through the CLI exactly as a user would produce it."""
    args = ["screen", str(CASES[name]), "--format", "md", "--as-of", AS_OF, "--backend", "python"]
    result = CliRunner().invoke(main, args)
    if result.exit_code != 0:
        raise RuntimeError(f"riskscreen {' '.join(args)} failed ({result.exit_code}): {result.stderr}")
    return result.stdout


def main_() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name in CASES:
        (GOLDEN / name).write_text(render_case(name), encoding="utf-8")
        print(f"wrote {(GOLDEN / name).relative_to(HERE.parents[1])}")


if __name__ == "__main__":
    main_()
