"""Reports an officer can act on: next steps first, plain-English evidence, the sanctions-list notice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from riskscreen import Engine
from riskscreen.models.result import Evidence, ScreeningResult
from riskscreen.render import RenderOptions, render_screening
from riskscreen.render.evidence import EvidenceWriter
from riskscreen.render.next_steps import IMPORT_COMMAND
from riskscreen.render.view import Labels, reference_text, screening_view
from riskscreen.rulepack.facts_catalogue import ENGAGEMENT_FACTS
from tests.reports.conftest import AS_OF, load, screen
from tests.reports.htmlcheck import parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SANCTIONS_WATCHLIST = ROOT / "tests" / "cases" / "data" / "designated-watchlist.yaml"
FACT_NAME = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in ENGAGEMENT_FACTS if "_" in name))
EMPTY_VALUES = {"", "none", "None", "[]", "not stated", "no tags"}


def _examples(engine: Engine) -> list[ScreeningResult]:
    results = []
    for path in EXAMPLES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "lead" in data:
            results.append(engine.screen(data, as_of=AS_OF, what_if=True))
    return results


@pytest.fixture(scope="module")
def example_results(python_engine: Engine) -> list[ScreeningResult]:
    results = _examples(python_engine)
    assert len(results) >= 10, "the examples directory holds the seed cases"
    return results


@pytest.fixture(scope="module")
def sanctions_engine() -> Iterator[Engine]:
    with Engine.load(backend="python", watchlists=[SANCTIONS_WATCHLIST]) as loaded:
        yield loaded


def _render(result: ScreeningResult, fmt: str, engine: Engine | None) -> str:
    return render_screening(result, fmt, RenderOptions(engine=engine))


# -- next steps come first ------------------------------------------------------------------


def test_markdown_leads_with_next_steps(investment: ScreeningResult, python_engine: Engine) -> None:
    markdown = _render(investment, "md", python_engine)
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings[0] == "## What to do next"
    assert markdown.index("**Tier: ALIGNMENT") < markdown.index("## What to do next")
    section = markdown.split("## What to do next", 1)[1].split("\n## ", 1)[0]
    assert "**Before negotiation continues:**" in section
    assert "- **Devolved Diplomacy Unit (Cabinet Office)** — why: " in section
    assert "**Then, before signing:** Investment Security Unit (Cabinet Office); Monitoring officer" in section
    # The DDU is said to be a proposal, with the interim route, in the same section.
    assert "**The Devolved Diplomacy Unit is a proposal and does not exist yet**" in section
    assert "Interim route: Until the Unit exists, write to the FCDO country desk" in section


def test_html_leads_with_next_steps(investment: ScreeningResult, python_engine: Engine) -> None:
    doc = parse(_render(investment, "html", python_engine))
    assert [h.attrs["id"] for h in doc.root.find_all("h2")][:3] == ["next", "why", "profile"]
    summary = doc.root.find_all("div", class_="summary-page")[0]
    assert summary.children[0].classes() == {"banner", "banner-alignment"}
    nxt = doc.root.find_all("section", class_="next")[0]
    contacts = [li.text for li in nxt.find_all("li")]
    assert contacts[0].startswith("Devolved Diplomacy Unit (Cabinet Office) — why: ")
    first = [x for x in investment.escalation if x.by_when == "before_negotiation"]
    assert len(contacts) == len(first) < len(investment.escalation)
    later = [x.name.split(" — ")[0] for x in investment.escalation if x.by_when == "before_signing"]
    assert nxt.find_all("p", class_="deadline-later")[0].text == "Then, before signing: " + "; ".join(later) + "."
    proposed = nxt.find_all("p", class_="proposed")[0].text
    assert "is a proposal and does not exist yet" in proposed and "Interim route:" in proposed


def test_text_leads_with_next_steps_and_has_why_and_change(
    investment: ScreeningResult, python_engine: Engine
) -> None:
    text = _render(investment, "text", python_engine)
    order = ["TIER: ALIGNMENT", "WHAT TO DO NEXT", "WHY THIS TIER", "RISK PROFILE", "FINDINGS",
             "WHAT WOULD CHANGE IT", "ESCALATION", "GOOD-PRACTICE CHECKLIST"]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    nxt = text.split("WHAT TO DO NEXT", 1)[1].split("WHY THIS TIER", 1)[0]
    assert "Before negotiation continues:" in nxt
    assert "The Devolved Diplomacy Unit is a proposal and does not exist yet" in nxt
    change = text.split("WHAT WOULD CHANGE IT", 1)[1].split("ESCALATION", 1)[0]
    for step in investment.what_would_change:
        assert step.action.split(" (")[0][:40] in " ".join(change.split())
    why = text.split("WHY THIS TIER", 1)[1].split("RISK PROFILE", 1)[0]
    assert "tier_alignment_called" in why


def test_autonomy_says_no_referral(python_engine: Engine) -> None:
    result = screen(python_engine, load("culture-exchange.yaml"))
    view = screening_view(result, Labels(python_engine.taxonomies))
    assert result.tier == "autonomy"
    assert view.next.deadlines == [] and view.next.proposed == []
    markdown = _render(result, "md", python_engine)
    assert "No referral is needed: record this screening with the decision." in markdown
    assert "Devolved Diplomacy Unit" not in markdown


def test_cli_text_report_includes_what_would_change(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from riskscreen.cli import main

    args = ["screen", str(ROOT / "tests/reports/data/investment-mou.yaml"), "--as-of", "2026-11-22",
            "--backend", "python"]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.stderr
    change = out.stdout.split("WHAT WOULD CHANGE IT", 1)[1]
    assert "Each step was checked by screening the engagement again" in change
    assert "→ tier after:" in change


# -- evidence in plain English ----------------------------------------------------------------


def _evidence_lines(result: ScreeningResult, engine: Engine) -> dict[str, list[str]]:
    text = _render(result, "text", engine)
    markdown = _render(result, "md", engine)
    html = parse(_render(result, "html", engine))
    md_lines = [line[4:] for line in markdown.splitlines() if line.startswith("  - ")]
    text_lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("      because "):
            text_lines.append(line.removeprefix("      because "))
        elif line.startswith("        ") and text_lines and not line.startswith("         "):
            text_lines[-1] += " " + line.strip()
    return {
        "text": text_lines,
        "md": md_lines,
        "html": [li.text for ul in html.root.find_all("ul", class_="evidence") for li in ul.find_all("li")],
    }


def test_no_fact_names_and_no_empty_reasons_in_any_format(
    example_results: list[ScreeningResult], python_engine: Engine
) -> None:
    checked = 0
    for result in example_results:
        for fmt, lines in _evidence_lines(result, python_engine).items():
            for line in lines:
                checked += 1
                # "not recorded — record the term (term_years)" names the input field to fill in.
                said = re.sub(r"\([\w.]+\)$", "", line) if "not recorded — " in line else line
                assert not FACT_NAME.search(said), f"{result.engagement_id} {fmt}: fact name in {line!r}"
                assert " = " not in line, f"{result.engagement_id} {fmt}: {line!r}"
                value = line.partition(": ")[2]
                assert value.strip() not in EMPTY_VALUES, f"{result.engagement_id} {fmt}: {line!r}"
    assert checked > 100


def test_evidence_reads_as_plain_english(python_engine: Engine) -> None:
    data = yaml.safe_load((ROOT / "examples/huawei-5g-partnership.yaml").read_text(encoding="utf-8"))
    result = python_engine.screen(data, as_of=AS_OF)
    writer = EvidenceWriter(result, Labels(python_engine.taxonomies))
    by_rule = {f.rule_id: [(ev.label, ev.value) for ev in writer.for_finding(f)] for f in result.findings}
    critical = dict(by_rule["sec_critical_infrastructure"])
    assert critical["partner country"] == (
        "China (high sensitivity: named as sensitive by the Commission; state actor of concern)"
    )
    assert critical["state control"] == "yes (on the watchlist as Huawei Technologies Co., Ltd.)"
    assert critical["sectors"] == "Telecommunications, Smart city systems (critical infrastructure)"
    assert dict(by_rule["sec_restricted_telecoms_vendor"])["watchlist"] == (
        "Huawei Technologies Co., Ltd. (state-linked, telecoms vendor under UK security restrictions)"
    )


@pytest.mark.parametrize(
    ("fact", "value", "inputs", "expected"),
    [
        ("term_years", None, {}, ("term", "not recorded — record the term (term_years)")),
        ("lead_due_diligence", [], {}, ("due diligence", "not recorded — record the checks you made (lead.due_diligence)")),
        ("lead_approval_rank", None, {}, ("approval", "not recorded — record who approved it (lead.approval)")),
        ("published", None, {}, ("publication", "not recorded — record whether it will be published (published)")),
        ("published", False, {"published": False}, ("publication", "will not be published")),
        ("has_review_date", False, {}, ("review date", "not recorded — record a review date (review_date)")),
        ("value_gbp", 2500000.0, {"value_gbp": 2500000.0}, ("value", "£2.5m")),
        ("country_sensitivity_rank", 0, {"partner.country": "FR"}, ("partner country", "France (standard sensitivity)")),
        ("agreement_tags", [], {}, None),
        ("involves", [], {}, None),
        ("watchlist_tags", [], {}, None),
        ("sector_tags", [], {}, None),
    ],
)
def test_evidence_phrases(
    python_engine: Engine, fact: str, value: Any, inputs: dict[str, Any], expected: tuple[str, str] | None
) -> None:
    result = screen(python_engine, load("culture-exchange.yaml"))
    writer = EvidenceWriter(result, Labels(python_engine.taxonomies))
    view = writer.describe(Evidence(fact=fact, value=value, inputs=inputs))
    assert (None if view is None else (view.label, view.value)) == expected


def test_every_catalogued_fact_has_a_phrase_that_never_shows_its_name(python_engine: Engine) -> None:
    result = screen(python_engine, load("investment-mou.yaml"))
    writer = EvidenceWriter(result, Labels(python_engine.taxonomies))
    samples: dict[str, Any] = {"string": "x", "number": 1, "bool": True, "list": ["x"]}
    for name, spec in ENGAGEMENT_FACTS.items():
        view = writer.describe(Evidence(fact=name, value=samples[spec.type]))
        if view is not None:
            assert name not in f"{view.label}: {view.value}" or "_" not in name, name


# -- the sanctions-list notice ------------------------------------------------------------------


def test_provenance_says_whether_a_sanctions_list_is_loaded(
    python_engine: Engine, sanctions_engine: Engine
) -> None:
    assert python_engine.provenance(AS_OF).sanctions_list_loaded is False
    assert sanctions_engine.provenance(AS_OF).sanctions_list_loaded is True
    result = sanctions_engine.screen(load("culture-exchange.yaml"), as_of=AS_OF)
    assert result.model_dump(mode="json")["provenance"]["sanctions_list_loaded"] is True


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_sanctions_notice_in_every_format(fmt: str, python_engine: Engine, sanctions_engine: Engine) -> None:
    data = load("culture-exchange.yaml")
    without = _render(screen(python_engine, data), fmt, python_engine)
    with_list = _render(screen(sanctions_engine, data), fmt, sanctions_engine)
    flat = " ".join(without.split())
    assert "No list of sanctions designations was loaded".lower() in flat.lower()
    assert IMPORT_COMMAND in flat
    assert "--watchlist uk-sanctions.yaml" in flat
    # Prominent: inside the next steps, before the reasons and the findings.
    marker = {"text": "WHY THIS TIER", "md": "## Why this tier", "html": 'id="why"'}[fmt]
    assert flat.lower().index("no list of sanctions designations") < flat.index(marker)
    assert IMPORT_COMMAND not in " ".join(with_list.split())


# -- sources ------------------------------------------------------------------------------------


def test_reference_with_bibliography_fields() -> None:
    ref: Any = SimpleNamespace(
        source="commission-2026", section="V. Risk appetite and management", title="Devolution and Diplomacy",
        author="Commission on Devolution and Diplomacy", year=2026, url="https://example.org/report",
    )
    assert reference_text(ref) == (
        "Devolution and Diplomacy (Commission on Devolution and Diplomacy, 2026), "
        "V. Risk appetite and management — https://example.org/report"
    )


def test_reference_without_bibliography_fields_falls_back() -> None:
    ref: Any = SimpleNamespace(source="reference/policy-facts.md", section="UK sanctions")
    assert reference_text(ref) == "reference/policy-facts.md, UK sanctions"
    ref = SimpleNamespace(source="reference/policy-facts.md", section=None, title=None)
    assert reference_text(ref) == "reference/policy-facts.md"


# -- printing -----------------------------------------------------------------------------------


def _print_rules() -> list[tuple[str, str]]:
    css = (ROOT / "reports" / "report.css").read_text(encoding="utf-8")
    block = css.split("@media print", 1)[1]
    block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block)]


def test_print_keeps_findings_flowing_and_breaks_only_after_the_summary() -> None:
    rules = _print_rules()
    forced = [sel for sel, body in rules if re.search(r"break-(before|after):\s*(page|always)", body)]
    assert "body.screening .summary-page" in forced
    assert not [sel for sel in forced if "finding" in sel or "risk-group" in sel]
    unbreakable = {s.strip() for sel, body in rules if "break-inside: avoid" in body for s in sel.split(",")}
    assert ".finding" not in unbreakable and "article" not in unbreakable


def test_screening_html_marks_the_summary_page(investment: ScreeningResult, python_engine: Engine) -> None:
    doc = parse(_render(investment, "html", python_engine))
    assert doc.root.find_all("body")[0].classes() == {"screening"}
    summary = doc.root.find_all("div", class_="summary-page")[0]
    assert [s.attrs.get("class") for s in summary.find_all("section")][:1] == ["next"]
    assert {h.attrs["id"] for h in summary.find_all("h2")} == {"next", "why", "profile"}
