"""SARIF, JUnit and GitHub annotations: schema-valid, stable identities, exact content."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import xmlschema
from junitparser import JUnitXml

from riskscreen.render.github import command, escape_data, escape_property
from riskscreen.render.sarif import fingerprint
from tests.register.conftest import CLEAN, DATA, MEDIA, TELECOMS, Invoke, engagement, write_yaml

SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def sarif_of(invoke: Invoke, *args: str) -> dict[str, object]:
    result = invoke("check", *args, "--format", "sarif")
    data: dict[str, object] = json.loads(result.stdout)
    jsonschema.validate(data, SARIF_SCHEMA)
    return data


def test_sarif_is_valid_with_rules_locations_and_fingerprints(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS, MEDIA])
    run = sarif_of(invoke, "register.yaml")["runs"][0]  # type: ignore[index]
    driver = run["tool"]["driver"]
    assert driver["name"] == "riskscreen"
    assert [r["id"] for r in driver["rules"]] == ["t_telecoms"]
    rule = driver["rules"][0]
    assert rule["shortDescription"]["text"] == "Telecommunications partner"
    assert rule["properties"]["security-severity"] == "7.5"
    assert rule["properties"]["tags"] == ["riskscreen", "security", "tier-alignment"]
    assert rule["help"]["text"].startswith("Refer to the DDU before negotiation.")
    [result] = run["results"]
    assert result["ruleId"] == "t_telecoms" and result["level"] == "error"
    assert result["message"]["text"].startswith("TEL-1: Telecommunications partner")
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "register.yaml", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 15}}
    assert result["partialFingerprints"] == {"riskscreenEngagementRule/v1": fingerprint("t_telecoms", "TEL-1")}
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_fingerprint_does_not_change_when_lines_move(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [TELECOMS])
    before = sarif_of(invoke, "register.yaml")["runs"][0]["results"][0]  # type: ignore[index]
    write_yaml(tmp_path / "register.yaml", [CLEAN, engagement("OTHER"), TELECOMS])
    after = sarif_of(invoke, "register.yaml")["runs"][0]["results"][0]  # type: ignore[index]
    assert before["locations"] != after["locations"]
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_sarif_on_invalid_input_writes_failed_invocation_and_exits_2(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [engagement("A", sectors=["telecoms"]), engagement("B", lead__type="x")])
    result = invoke("check", "register.yaml", "--format", "sarif", "-o", "out.sarif")
    assert result.exit_code == 2
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(log, SARIF_SCHEMA)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["region"]["startLine"] for n in notes] == [12, 18]
    assert [n["level"] for n in notes] == ["error", "error"]
    assert log["runs"][0]["results"] == []


def test_junit_validates_and_parses(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    result = invoke("check", "register.yaml", "--format", "junit", "-o", "out.xml")
    assert result.exit_code == 1
    xmlschema.XMLSchema(str(DATA / "junit-ant.xsd")).validate(str(tmp_path / "out.xml"))
    [suite] = list(JUnitXml.fromfile(str(tmp_path / "out.xml")))
    cases = {(case.classname, case.name): [type(r).__name__ for r in case.result] for case in suite}
    assert cases == {("register.yaml", "CLEAN-1"): [], ("register.yaml", "TEL-1"): ["Failure"]}
    assert (suite.tests, suite.failures) == (2, 1)
    failure = next(iter(next(c for c in suite if c.name == "TEL-1").result))
    assert failure.text.splitlines()[1] == "- t_telecoms [alignment] security: Telecommunications partner"


def test_github_annotations_exact(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS, MEDIA])
    result = invoke("check", "register.yaml", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=register.yaml,line=15,title=t_telecoms (TEL-1)::TEL-1: Telecommunications partner "
        "[alignment]. Refer to the DDU before negotiation.",
        "::warning file=register.yaml,line=28,title=t_media (MEDIA-1)::MEDIA-1: High media profile [advice]. "
        "Agree the communications plan.",
        "riskscreen: 3 engagement(s), 1 failing at or above 'alignment', 0 waived, 0 expired waiver(s)",
    ]


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert command("error", "x: y", file="a,b.yaml", line=3, title="t:1") == \
        "::error file=a%2Cb.yaml,line=3,title=t%3A1::x: y"


def test_sarif_results_are_exact_json_with_suppressions_and_baseline_states(invoke: Invoke, tmp_path: Path) -> None:
    hostile = 'TEL-"2"\\</script>\u00e9\U0001f600'
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    assert invoke("check", "register.yaml", "--write-baseline", "baseline.json").exit_code == 0
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS, engagement(hostile, sectors=["telecommunications"])])
    (tmp_path / "waivers.yaml").write_text(json.dumps({"waivers": [{
        "engagement_id": "TEL-1", "rule_id": "t_telecoms", "reason": 'Cleared "in full"\n\u00e9',
        "approved_by": "Head of Legal", "expires": "2027-06-30"}]}), encoding="utf-8")
    text = invoke("check", "register.yaml", "--baseline", "baseline.json", "--waivers", "waivers.yaml",
                  "--format", "sarif", "--fail-on", "advice").stdout
    run = json.loads(text)["runs"][0]
    jsonschema.validate(json.loads(text), SARIF_SCHEMA)
    waived, new = run["results"]
    # Each result is written exactly as json.dumps writes the object it parses to.
    written = [line.strip().removesuffix(",") for line in text.splitlines() if line.startswith('        {"ruleId"')]
    assert written == [json.dumps(result, ensure_ascii=False) for result in (waived, new)]
    assert waived["suppressions"] == [{"kind": "external", "status": "accepted",
                                       "justification": 'Cleared "in full"\n\u00e9 (approved by Head of Legal, '
                                                        "expires 2027-06-30; waivers.yaml:1)"}]
    assert waived["baselineState"] == "unchanged" and "suppressions" not in new
    assert new["baselineState"] == "new" and new["message"]["text"].startswith(hostile + ": ")
    assert new["locations"][0]["logicalLocations"] == [{"name": hostile, "kind": "object"}]
    assert new["properties"] == {"engagement_id": hostile, "tier": "alignment", "effective_tier": "alignment",
                                 "failing": True}
    assert list(new) == ["ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints",
                         "properties", "baselineState"]
    assert new["partialFingerprints"] == {"riskscreenEngagementRule/v1": fingerprint("t_telecoms", hostile)}
