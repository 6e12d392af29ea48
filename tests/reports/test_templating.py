"""User templates: overriding one template, sandboxing, autoescaping, and errors without tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from riskscreen.cli import main
from riskscreen.errors import InputError
from riskscreen.models.result import ScreeningResult
from riskscreen.render import RenderOptions, render_screening
from riskscreen.render.view import heat_class
from tests.reports.conftest import DATA


def test_user_template_overrides_one_file(tmp_path: Path, investment: ScreeningResult) -> None:
    (tmp_path / "screening.md.j2").write_text("Tier {{ v.result.tier }} for {{ v.result.engagement.partner_name }}\n")
    text = render_screening(investment, "md", RenderOptions(templates_dir=tmp_path))
    assert text == "Tier alignment for Harbourside Capital Partners\n"
    # Templates it does not override still come from the bundled set.
    assert render_screening(investment, "html", RenderOptions(templates_dir=tmp_path)).startswith("<!DOCTYPE html>")


def test_user_html_template_is_autoescaped(tmp_path: Path, investment: ScreeningResult) -> None:
    (tmp_path / "screening.html.j2").write_text("<p>{{ '<b>' ~ v.result.tier }}</p>\n")
    assert render_screening(investment, "html", RenderOptions(templates_dir=tmp_path)) == "<p>&lt;b&gt;alignment</p>\n"


def test_user_templates_are_sandboxed(tmp_path: Path, investment: ScreeningResult) -> None:
    (tmp_path / "screening.md.j2").write_text("{{ v.__class__.__init__.__globals__ }}\n")
    with pytest.raises(InputError, match="template error"):
        render_screening(investment, "md", RenderOptions(templates_dir=tmp_path))


def test_template_syntax_error_is_located(tmp_path: Path, investment: ScreeningResult) -> None:
    (tmp_path / "screening.md.j2").write_text("line one\n{% if %}\n")
    with pytest.raises(InputError) as caught:
        render_screening(investment, "md", RenderOptions(templates_dir=tmp_path))
    assert caught.value.problems[0].location.line == 2


def test_cli_reports_a_missing_templates_dir(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["screen", str(DATA / "culture-exchange.yaml"), "--format", "md",
                                       "--templates", str(tmp_path / "nope"), "--as-of", "2026-11-22"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'nope'}: templates directory not found")
    assert result.stdout == ""


@pytest.mark.parametrize(("count", "peak", "expected"), [(0, 5, 0), (1, 4, 1), (2, 4, 2), (3, 4, 3), (4, 4, 4),
                                                         (1, 1, 4), (3, 0, 0)])
def test_heat_class(count: int, peak: int, expected: int) -> None:
    assert heat_class(count, peak) == expected
