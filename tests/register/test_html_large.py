"""The HTML report of a large register: rows as embedded data drawn by script, the rest plain HTML.

The threshold is lowered here (``LARGE_ROWS``) so the 55-row example register counts as large.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import riskscreen.render.register_data as register_data
import riskscreen.render.register_html as register_html
from riskscreen.cli import main
from riskscreen.models.base import TIER_ORDER
from tests.reports.htmlcheck import Element, parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "register.yaml"
HOSTILE = "</script><script>alert(1)</script><!-- &amp; ]]>"


def check(register: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["check", str(register), "--as-of", "2026-11-22", "--backend", "python",
                                       "--fail-on", "advice", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


def embedded(html: str, name: str) -> Any:
    found = re.search(f'<script type="application/json" id="register-{name}">(.*?)</script>', html, re.S)
    assert found, name
    return json.loads(found.group(1))


def page(html: str) -> Element:
    reader = parse(html)
    assert not reader.mismatched, reader.mismatched[:3]
    return reader.root


def hostile_register(tmp_path: Path) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["engagements"][2]["title"] = HOSTILE
    data["engagements"][3]["partner"]["name"] = "<!--<script>alert(2)</script>"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registers of more than 20 rows count as large; 5 failing engagements are listed plainly."""
    monkeypatch.setattr(register_html, "LARGE_ROWS", 20)
    monkeypatch.setattr(register_html, "LISTED", 5)


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return json.loads(check(EXAMPLE, "--format", "json"))


def test_a_register_up_to_the_threshold_stays_plain_html(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(register_html, "LARGE_ROWS", 55)
    doc = page(check(EXAMPLE, "--format", "html"))
    table = doc.find_all("table", id="engagement-table")[0]
    assert len(table.find_all("tr", **{"data-tier": "autonomy"})) == 30  # every row in the markup
    assert not doc.find_all("script", type="application/json")
    monkeypatch.setattr(register_html, "LARGE_ROWS", 54)
    assert '<script type="application/json" id="register-rows">' in check(EXAMPLE, "--format", "html")


def test_large_layout_keeps_summary_charts_and_rules_as_html(large: None, results: dict[str, Any]) -> None:
    html = check(EXAMPLE, "--format", "html")
    doc = page(html)
    assert [e.text for e in doc.find_all("dd")][:2] == ["55", "25"]  # engagements, failing
    assert doc.find_all("svg", **{"aria-labelledby": "tier-chart-title tier-chart-desc"})
    fired = {f["rule_id"] for r in results["results"] for f in r["findings"]}
    assert {a.attrs["id"] for a in doc.find_all("article", class_="rule")} == {f"rule-{r}" for r in fired}
    app = doc.find_all("div", id="register-app")[0]
    assert "hidden" in app.attrs and not app.find_all("tr", **{"data-tier": "advice"})  # rows come from data
    needs = doc.find_all("p", id="table-needs-script")[0]
    assert "The table of all 55 engagements is drawn by JavaScript" in needs.text
    assert "the first 5 of the 25 failing engagements" in needs.text
    assert [s.attrs.get("id") for s in doc.find_all("script")] == [
        "register-meta", "register-findings", "register-rows", None]


def _plain_failing(doc: Element) -> list[str]:
    return [s.find_all("h3")[0].text.split(":")[0] for s in doc.find_all("section", class_="engagement")]


def test_without_javascript_the_first_failing_engagements_are_listed(large: None, results: dict[str, Any],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    failing = [r["engagement_id"] for r in results["results"] if r["failing"]]
    doc = page(check(EXAMPLE, "--format", "html"))
    assert _plain_failing(doc) == failing[:5]
    section = doc.find_all("section", **{"aria-labelledby": "details"})[0]
    assert ("The first 5 of the 25 failing engagements, in register order, to read and print without "
            "JavaScript. All 25 are in the table above") in section.text
    assert "--format json" in section.text
    # --detail summary lists them as table rows; every failing engagement when few enough fail
    brief = page(check(EXAMPLE, "--format", "html", "--detail", "summary"))
    rows = brief.find_all("table", id="failing-table")[0].find_all("tr")[1:]
    assert [r.find_all("th")[0].text for r in rows] == failing[:5] and not _plain_failing(brief)
    monkeypatch.setattr(register_html, "LISTED", 100)
    every = page(check(EXAMPLE, "--format", "html"))
    assert _plain_failing(every) == failing
    assert "All 25 failing engagements, in register order." in every.text


@pytest.mark.parametrize("shared", [20_000, 1])
def test_every_row_is_in_the_data_with_its_findings(large: None, results: dict[str, Any],
                                                   monkeypatch: pytest.MonkeyPatch, shared: int) -> None:
    monkeypatch.setattr(register_data, "SHARED_FINDINGS", shared)  # 1: the sharing memory keeps emptying
    html = check(EXAMPLE, "--format", "html", "--detail", "all")
    meta, findings, rows = (embedded(html, name) for name in ("meta", "findings", "rows"))
    source = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["engagements"]
    assert meta["tiers"][2][0] == "alignment" and meta["detail"] == "all"
    assert len(rows) == len(results["results"]) == 55
    for row, expected, data in zip(rows, results["results"], source, strict=True):
        assert row[0] == expected["engagement_id"] and row[1] == data.get("title", "")
        assert row[2] == data["partner"]["name"] and meta["labels"][row[3]].endswith(f"({data['partner']['country']})")
        assert TIER_ORDER[row[5]] == expected["tier"] and row[6] == (1 if expected["failing"] else 0)
        detail = row[8]
        assert meta["labels"][detail[0]] == str(EXAMPLE)
        assert detail[1] == f"line {expected['location']['line']}"
        got = [(meta["rules"][findings[i][0]][0], TIER_ORDER[findings[i][1]], [fact for fact, _ in findings[i][2]])
               for i in detail[4]]
        assert got == [(f["rule_id"], f["tier"], list(f["evidence"])) for f in expected["findings"]]
        top = expected["findings"][0]["rule_id"] if expected["findings"] else None
        assert (meta["rules"][row[7]][0] if row[7] >= 0 else None) == top
    if shared == 1:  # findings are stated again once forgotten, never wrongly shared
        assert len(findings) > len({json.dumps(f) for f in findings})
    for rule_id, title, _risk, tier, advice, _refer in meta["rules"]:
        rule = results["rules"][rule_id]
        assert (title, TIER_ORDER[tier], advice) == (rule["title"], rule["tier"], rule["advice"])


def test_failing_detail_only_for_failing_rows_and_none_for_summary(large: None, results: dict[str, Any]) -> None:
    rows = embedded(check(EXAMPLE, "--format", "html"), "rows")
    assert [bool(r[8]) for r in rows] == [r["failing"] for r in results["results"]]
    assert not any(r[8] for r in embedded(check(EXAMPLE, "--format", "html", "--detail", "summary"), "rows"))


def test_hostile_text_cannot_leave_the_data(large: None, tmp_path: Path) -> None:
    html = check(hostile_register(tmp_path), "--format", "html")
    data = html[html.index('<script type="application/json" id="register-meta">'):]
    assert data.count("</script>") == 4 and "<!--" not in data and "]]>" not in data.split("<script>")[0]
    assert len(re.findall(r"<script\b", html)) == 4
    rows = embedded(html, "rows")
    assert rows[2][1] == HOSTILE and rows[3][2] == "<!--<script>alert(2)</script>"
    assert "<script>alert" not in html and "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in html


def test_large_report_is_identical_whatever_jobs(large: None) -> None:
    one = check(EXAMPLE, "--format", "html", "--jobs", "1")
    assert one == check(EXAMPLE, "--format", "html", "--jobs", "2")
    assert one == check(EXAMPLE, "--format", "html", "--jobs", "1")


def test_a_large_register_with_nothing_failing_says_so(large: None) -> None:
    doc = page(check(EXAMPLE, "--format", "html", "--fail-on", "stop"))
    assert "and no failing engagement, as none fails" in doc.find_all("p", id="table-needs-script")[0].text
    section = doc.find_all("section", **{"aria-labelledby": "details"})[0]
    assert section.find_all("p")[0].text == "No engagement is failing." and not _plain_failing(doc)
