"""Markdown escaping and structure: user text cannot break tables, open headings or inject HTML."""

from __future__ import annotations

import re

import pytest

from riskscreen import Engine
from riskscreen.models.register import RegisterReport
from riskscreen.render import RenderOptions, render_register, render_screening
from riskscreen.render.templating import md_code, md_escape
from riskscreen.render.view import github_slug
from tests.reports.conftest import build_register, load, screen

HOSTILE = {
    "title": "# Take over\n| a | b |",
    "partner": {"name": "<script>alert(1)</script> | Ltd\n## injected", "type": "private_company", "country": "FR"},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a | b\nc", "a \\| b c"),
        ("# heading", "\\# heading"),
        ("## heading", "\\## heading"),
        ("1. item", "1\\. item"),
        ("- item", "\\- item"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("*bold* _em_ snake_case", "\\*bold\\* \\_em\\_ snake_case"),
        ("AT&T &amp; &#60;", "AT&T &amp;amp; &amp;#60;"),
        ("2026.11.1", "2026.11.1"),
        ("`tick`", "\\`tick\\`"),
    ],
)
def test_md_escape(text: str, expected: str) -> None:
    assert md_escape(text) == expected


def test_md_code_keeps_pipes_out_of_the_table() -> None:
    assert md_code("a|b") == "`a\\|b`"
    assert md_code("x`y") == "``x`y``"


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def _tables(markdown: str) -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def _assert_tables_intact(markdown: str) -> None:
    for table in _tables(markdown):
        widths = {_unescaped_pipes(line) for line in table}
        assert len(widths) == 1, f"a row has a different number of cells: {table}"


def test_hostile_text_is_escaped_in_a_screening(python_engine: Engine) -> None:
    data = load("culture-exchange.yaml") | HOSTILE
    markdown = render_screening(screen(python_engine, data), "md", RenderOptions(engine=python_engine))
    assert "<script" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| Ltd ## injected" in markdown
    assert [line for line in markdown.splitlines() if line.startswith("# ")] == [
        "# Screening: \\# Take over \\| a \\| b \\|"
    ]
    _assert_tables_intact(markdown)


def test_every_table_in_the_register_is_intact(register: RegisterReport, python_engine: Engine) -> None:
    markdown = render_register(register, "md", RenderOptions(engine=python_engine))
    assert "<script" not in markdown
    _assert_tables_intact(markdown)


def test_register_links_point_at_headings(register: RegisterReport, python_engine: Engine) -> None:
    markdown = render_register(register, "md", RenderOptions(engine=python_engine))
    headings = {github_slug(line.lstrip("#").strip().replace("\\", ""))
                for line in markdown.splitlines() if line.startswith("### ")}
    targets = set(re.findall(r"\]\(#([^)]+)\)", markdown))
    assert targets == {"reg-001-youth-orchestra-exchange", "reg-002-port-investment-memorandum",
                       "reg-003-research-partnership--phase-2", "reg-004-sister-city-renewal",
                       "reg-005-trade-mission-to-kaohsiung"}
    assert targets <= headings


def test_register_summary_and_reviews(register: RegisterReport, python_engine: Engine) -> None:
    markdown = render_register(register, "md", RenderOptions(engine=python_engine))
    reviews = markdown.split("### Reviews due", 1)[1].split("## All engagements", 1)[0]
    rows = [line for line in reviews.splitlines() if line.startswith("| [")]
    assert [row.split("]")[0] for row in rows] == ["| [REG-003", "| [REG-004", "| [REG-001"]
    assert "**Overdue** by 52 days" in rows[0]
    assert "Due in 28 days" in rows[1]
    assert "Due in 54 days" in rows[2]
    assert "2 engagements have no review date." in reviews
    assert f"{register.summary.total} engagements screened as of 22 November 2026." in markdown


def test_same_register_renders_identically(python_engine: Engine) -> None:
    first = render_register(build_register(python_engine, load("register.yaml")), "md",
                            RenderOptions(engine=python_engine))
    second = render_register(build_register(python_engine, load("register.yaml")), "md",
                             RenderOptions(engine=python_engine))
    assert first == second


def test_renders_without_an_engine(investment: object) -> None:
    markdown = render_screening(investment, "md", RenderOptions())
    assert "| Agreement type | Investment, not binding |" in markdown
