"""Structure, accessibility and escaping of the HTML reports, read with the stdlib html.parser."""

from __future__ import annotations

import itertools
import re

from riskscreen import Engine
from riskscreen.models.register import RegisterReport
from riskscreen.models.result import ScreeningResult
from riskscreen.render import RenderOptions, render_register, render_screening
from tests.reports.conftest import load, screen
from tests.reports.htmlcheck import Reader, parse

SECTIONS = {"next", "why", "profile", "findings", "change", "escalation", "checklist"}


def _assert_accessible(doc: Reader) -> None:
    assert doc.doctype == "DOCTYPE html"
    assert doc.mismatched == []
    html = doc.root.find_all("html")[0]
    assert html.attrs["lang"] == "en-GB"
    assert len(doc.root.find_all("h1")) == 1
    levels = [int(e.tag[1]) for e in doc.order if re.fullmatch(r"h[1-6]", e.tag)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"a heading level is skipped: {levels}"
    for table in doc.root.find_all("table"):
        assert table.children[0].tag == "caption", "every table starts with a caption"
    assert all(th.attrs.get("scope") in ("col", "row") for th in doc.root.find_all("th"))
    ids = [e.attrs["id"] for e in doc.order if "id" in e.attrs]
    assert len(ids) == len(set(ids)), "ids are unique"
    for link in doc.root.find_all("a"):
        href = link.attrs["href"]
        assert href.startswith("#") and href[1:] in ids, f"link to a missing section: {href}"


def _assert_offline(html: str) -> None:
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "url(http" not in html


def test_screening_structure(investment: ScreeningResult, python_engine: Engine) -> None:
    html = render_screening(investment, "html", RenderOptions(engine=python_engine))
    doc = parse(html)
    _assert_accessible(doc)
    _assert_offline(html)
    assert doc.root.find_all("script") == []
    assert {e.attrs["id"] for e in doc.root.find_all("h2")} == SECTIONS
    banner = doc.root.find_all("div", class_="banner")[0]
    assert banner.classes() == {"banner", f"banner-{investment.tier}"}
    assert f"{investment.tier.upper()} {investment.tier_label}" in banner.text
    assert len(doc.root.find_all("article", class_="finding")) == len(investment.findings)
    assert [th.text for th in doc.root.find_all("table", class_="profile")[0].find_all("th")] == [
        "Geopolitical", "Political", "Security", "Commercial", "Institutional"]
    steps = doc.root.find_all("table", class_="steps")[0].find_all("tbody")[0].find_all("tr")
    assert len(steps) == len(investment.what_would_change)
    checklist = doc.root.find_all("table", class_="checklist")[0].find_all("tbody")[0].find_all("tr")
    assert [row.classes() for row in checklist] == [{f"check-{item.status}"} for item in investment.checklist]
    escalation = doc.root.find_all("table", class_="escalation")[0].find_all("tbody")[0].find_all("tr")
    assert len(escalation) == len(investment.escalation)


def test_partner_script_renders_as_text(python_engine: Engine) -> None:
    data = load("culture-exchange.yaml")
    data["partner"]["name"] = "<script>alert(1)</script>"
    data["title"] = '"><img src=x onerror=alert(2)>'
    html = render_screening(screen(python_engine, data), "html", RenderOptions(engine=python_engine))
    assert "<script>alert(1)" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    doc = parse(html)
    assert doc.root.find_all("script") == [] and doc.root.find_all("img") == []
    assert "<script>alert(1)</script> (Private company)" not in doc.root.text
    assert "Partner <script>alert(1)</script> (Cultural body)" in doc.root.text


def test_register_structure(register: RegisterReport, python_engine: Engine) -> None:
    html = render_register(register, "html", RenderOptions(engine=python_engine))
    doc = parse(html)
    _assert_accessible(doc)
    _assert_offline(html)
    scripts = doc.root.find_all("script")
    assert len(scripts) == 1 and "src" not in scripts[0].attrs  # our inline progressive enhancement only
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rows = doc.root.find_all("table", id="engagement-table")[0].find_all("tbody")[0].find_all("tr")
    assert [row.attrs["data-tier"] for row in rows] == [r.result.tier for r in register.results]
    sections = doc.root.find_all("section", class_="engagement")
    failing = [r.result.engagement_id for r in register.results if r.failing]
    assert failing and len(failing) < len(register.results)
    assert [s.find_all("h3")[0].text.split(":")[0] for s in sections] == failing  # --detail failing
    every = parse(render_register(register, "html", RenderOptions(engine=python_engine, detail="all")))
    assert [s.find_all("h3")[0].text for s in every.root.find_all("section", class_="engagement")] == [
        "REG-001: Youth orchestra exchange", "REG-002: Port investment memorandum",
        "REG-003: Research partnership | phase 2", "REG-004: Sister-city renewal",
        "REG-005: Trade mission to Kaohsiung"]
    none = parse(render_register(register, "html", RenderOptions(engine=python_engine, detail="summary")))
    assert none.root.find_all("section", class_="engagement") == []
    catalogue = {a.attrs["id"] for a in doc.root.find_all("article", class_="rule")}
    assert catalogue == {f"rule-{f.rule_id}" for r in register.results for f in r.result.findings}
    chart = doc.root.find_all("svg", class_="chart")[0]
    assert chart.attrs["role"] == "img"
    assert chart.find_all("desc")[0].text == "; ".join(
        f"{label}: {register.summary.by_tier[t]}" for t, label in
        [("autonomy", "Within local autonomy"), ("advice", "Seek advice"), ("alignment", "National alignment"),
         ("stop", "Stop")])


def test_register_heatmap_counts(register: RegisterReport, python_engine: Engine) -> None:
    doc = parse(render_register(register, "html", RenderOptions(engine=python_engine)))
    rows = doc.root.find_all("table", id="heat-table")[0].find_all("tbody")[0].find_all("tr")
    shown = {row.find_all("th")[0].text: int(row.find_all("td")[-1].text) for row in rows}
    expected = {label: sum(1 for r in register.results if any(f.risk_type == rt for f in r.result.findings))
                for rt, label in [("geopolitical", "Geopolitical"), ("political", "Political"),
                                  ("security", "Security"), ("commercial", "Commercial"),
                                  ("institutional", "Institutional")]}
    assert shown == expected


def test_review_table(register: RegisterReport, python_engine: Engine) -> None:
    doc = parse(render_register(register, "html", RenderOptions(engine=python_engine)))
    rows = doc.root.find_all("table", class_="reviews")[0].find_all("tbody")[0].find_all("tr")
    assert [(row.find_all("th")[0].text, row.find_all("td")[-1].text) for row in rows] == [
        ("REG-003", "Overdue by 52 days"), ("REG-004", "Due in 28 days"), ("REG-001", "Due in 54 days")]
    failing = {r.result.engagement_id for r in register.results if r.failing}
    # an engagement links to its detail when it has one (failing ones, by default)
    assert {row.find_all("th")[0].text for row in rows if row.find_all("a")} == failing & {"REG-003", "REG-004", "REG-001"}
