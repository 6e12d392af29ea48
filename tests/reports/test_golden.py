"""The Markdown for the fixture engagements matches the checked-in golden files exactly.

When a template or the bundled rule pack changes on purpose, regenerate them with
``python tests/reports/regenerate_golden.py`` and review the diff; this test never writes them.
"""

from __future__ import annotations

import pytest

from tests.reports.regenerate_golden import CASES, GOLDEN, render_case


@pytest.mark.parametrize("name", sorted(CASES))
def test_markdown_matches_golden(name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert render_case(name) == expected, f"{name} differs: run tests/reports/regenerate_golden.py and review the diff"


def test_markdown_is_byte_identical_across_runs() -> None:
    assert render_case("investment-mou.md") == render_case("investment-mou.md")
