"""Waivers (valid, expired, unknown, inline) and baselines."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.register.conftest import CLEAN, MEDIA, TELECOMS, Invoke, engagement, write_yaml


def waivers(path: Path, items: list[dict[str, object]]) -> Path:
    path.write_text(yaml.safe_dump({"waivers": items}, sort_keys=False), encoding="utf-8")
    return path


WAIVER = {"engagement_id": "TEL-1", "rule_id": "t_telecoms", "reason": "DDU cleared the partner",
          "approved_by": "Head of Legal", "expires": "2027-06-30"}


def test_current_waiver_lets_the_check_pass_and_stays_visible(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    waivers(tmp_path / "waivers.yaml", [WAIVER])
    result = invoke("check", "register.yaml", "--waivers", "waivers.yaml", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    tel = report["results"][1]
    assert (tel["tier"], tel["effective_tier"], tel["waived"], tel["failing"]) == (
        "alignment", "autonomy", True, False)
    assert tel["findings"][0]["waiver"] == {"reason": "DDU cleared the partner", "approved_by": "Head of Legal",
                                            "expires": "2027-06-30", "source": "waivers.yaml:2"}
    summary = report["summary"]
    assert (summary["waived"], summary["waived_findings"], summary["failing"]) == (1, 1, 0)
    text = invoke("check", "register.yaml", "--waivers", "waivers.yaml").stdout
    assert "TEL-1       alignment  autonomy   Dortmund City  DE       1 (1 waived)  line 15  waived" in text


def test_expired_waiver_no_longer_applies_and_is_reported(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [TELECOMS])
    waivers(tmp_path / "waivers.yaml", [{**WAIVER, "expires": "2026-01-01"}])
    result = invoke("check", "register.yaml", "--waivers", "waivers.yaml", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["waiver_notes"] == [{
        "kind": "expired", "engagement_id": "TEL-1", "rule_id": "t_telecoms",
        "message": "waiver for TEL-1 / t_telecoms expired on 2026-01-01 and no longer applies",
        "source": "waivers.yaml:2"}]
    assert report["summary"]["expired_waivers"] == 1


def test_unknown_engagement_is_a_warning(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN])
    waivers(tmp_path / "waivers.yaml", [{**WAIVER, "engagement_id": "GONE-1"}])
    result = invoke("check", "register.yaml", "--waivers", "waivers.yaml", "--format", "json")
    assert result.exit_code == 0
    notes = json.loads(result.stdout)["waiver_notes"]
    assert [(n["kind"], n["engagement_id"], n["rule_id"]) for n in notes] == [
        ("unknown_engagement", "GONE-1", "t_telecoms")]


def test_misspelt_rule_in_a_waivers_file_is_an_error_with_the_nearest_rule(
        invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN])
    waivers(tmp_path / "waivers.yaml", [{**WAIVER, "engagement_id": "CLEAN-1", "rule_id": "t_telecom"},
                                        {**WAIVER, "engagement_id": "CLEAN-1", "rule_id": "t_nope"}])
    result = invoke("check", "register.yaml", "--waivers", "waivers.yaml", "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [
        "Error: waivers.yaml:2, field 'rule_id': no such rule in the rule pack (got 't_telecom'); "
        "did you mean 't_telecoms'? finding rules: t_media, t_review_passed, t_telecoms",
        "Error: waivers.yaml:7, field 'rule_id': no such rule in the rule pack (got 't_nope'); "
        "finding rules: t_media, t_review_passed, t_telecoms",
    ]


def test_inline_waiver_and_invalid_waivers_file(invoke: Invoke, tmp_path: Path) -> None:
    inline = engagement("TEL-1", sectors=["telecommunications"], waivers=[
        {"rule_id": "t_telecoms", "reason": "Cleared", "approved_by": "DDU", "expires": "2027-01-01"}])
    write_yaml(tmp_path / "register.yaml", [inline])
    assert invoke("check", "register.yaml").exit_code == 0
    waivers(tmp_path / "bad.yaml", [{"engagement_id": "TEL-1", "reason": "x", "approved_by": "DDU",
                                     "expires": "soon"}])
    bad = invoke("check", "register.yaml", "--waivers", "bad.yaml")
    assert bad.exit_code == 2
    assert "Error: bad.yaml:" in bad.stderr and "field 'waivers[0].reason'" in bad.stderr
    assert "field 'waivers[0].expires'" in bad.stderr


def test_baseline_fails_only_on_new_or_worse(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    written = invoke("check", "register.yaml", "--write-baseline", "baseline.json")
    assert written.exit_code == 0
    assert json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8")) == {"version": 1, "entries": [
        {"engagement_id": "CLEAN-1", "tier": "autonomy", "rules": []},
        {"engagement_id": "TEL-1", "tier": "alignment", "rules": ["t_telecoms"]}]}
    assert invoke("check", "register.yaml", "--baseline", "baseline.json").exit_code == 0
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS, engagement("TEL-2", sectors=["telecommunications"])])
    report = json.loads(invoke("check", "register.yaml", "--baseline", "baseline.json", "--format", "json").stdout)
    assert [(r["engagement_id"], r["baseline"], r["failing"]) for r in report["results"]] == [
        ("CLEAN-1", "known", False), ("TEL-1", "known", False), ("TEL-2", "new", True)]
    assert report["summary"]["baselined"] == 1
    write_yaml(tmp_path / "register.yaml", [engagement("CLEAN-1", sectors=["telecommunications"]), MEDIA])
    report = json.loads(invoke("check", "register.yaml", "--baseline", "baseline.json", "--format", "json").stdout)
    assert [(r["engagement_id"], r["baseline"], r["failing"]) for r in report["results"]] == [
        ("CLEAN-1", "worse", True), ("MEDIA-1", "new", False)]
