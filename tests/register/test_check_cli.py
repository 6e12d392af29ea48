"""`riskscreen check`: every format, every exit code, invalid input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskscreen.cli.check import REGISTER_FORMATS
from riskscreen.registers.notices import NO_SANCTIONS_LIST
from tests.register.conftest import (
    CLEAN,
    MEDIA,
    TELECOMS,
    Invoke,
    engagement,
    write_csv,
    write_json,
    write_yaml,
)


def test_clean_register_exits_0_with_exact_table(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, MEDIA])
    result = invoke("check", "register.yaml")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "register.yaml (as of 2026-11-22, fail on alignment)"
    assert lines[2] == f"NOTICE: {NO_SANCTIONS_LIST}"  # the test pack's watchlist has no designations
    assert lines[4].split() == ["ENGAGEMENT", "TIER", "EFFECTIVE", "PARTNER", "COUNTRY", "FINDINGS", "WHERE",
                                "STATUS"]
    assert lines[5].split() == ["CLEAN-1", "autonomy", "autonomy", "Dortmund", "City", "DE", "0", "line", "2", "ok"]
    assert lines[6].split() == ["MEDIA-1", "advice", "advice", "Dortmund", "City", "DE", "1", "line", "15", "ok"]
    assert lines[-1] == ("2 engagement(s): autonomy 1, advice 1, alignment 0, stop 0. 0 failing at or above "
                         "'alignment'; 0 waived (0 finding(s)); 0 expired waiver(s); 0 waiver warning(s)")


@pytest.mark.parametrize(("fail_on", "expected"), [("advice", 1), ("alignment", 1), ("stop", 0)])
def test_fail_on_sets_exit_code(invoke: Invoke, tmp_path: Path, fail_on: str, expected: int) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    assert invoke("check", "register.yaml", "--fail-on", fail_on).exit_code == expected


def test_advice_only_register_fails_only_on_advice(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [MEDIA])
    assert invoke("check", "register.yaml").exit_code == 0
    assert invoke("check", "register.yaml", "--fail-on", "advice").exit_code == 1


@pytest.mark.parametrize("fmt", REGISTER_FORMATS)
def test_every_format_gives_exit_codes_0_1_2(invoke: Invoke, tmp_path: Path, fmt: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if fmt in ("md", "html"):  # another module renders these; check only calls it through the table
        monkeypatch.setitem(__import__("riskscreen.render", fromlist=["x"]).REGISTER_RENDERERS, fmt,
                            "tests.register.fake_renderer:render_register")
    write_yaml(tmp_path / "clean.yaml", [CLEAN])
    write_yaml(tmp_path / "failing.yaml", [TELECOMS])
    write_yaml(tmp_path / "bad.yaml", [engagement("X", sectors=["telecoms"])])
    assert invoke("check", "clean.yaml", "--format", fmt).exit_code == 0
    assert invoke("check", "failing.yaml", "--format", fmt).exit_code == 1
    bad = invoke("check", "bad.yaml", "--format", fmt)
    assert bad.exit_code == 2
    assert "bad.yaml:" in bad.stderr


def test_md_and_html_go_through_render_register(invoke: Invoke, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from riskscreen import render

    monkeypatch.setitem(render.REGISTER_RENDERERS, "md", "tests.register.fake_renderer:render_register")
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    result = invoke("check", "register.yaml", "--format", "md")
    assert result.stdout == "fake register: register.yaml CLEAN-1,TEL-1 fail_on=alignment\n"


def test_every_invalid_row_is_reported_with_line_and_field(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [
        engagement("OK-1"),
        engagement("BAD-1", sectors=["telecoms"]),
        engagement("BAD-2", partner__country="Atlantis"),
        engagement("BAD-3", value_gbp="lots"),
    ])
    result = invoke("check", "register.yaml", "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    assert len(errors) == 3
    assert errors[0].startswith("Error: register.yaml:25, field 'sectors[0]': unknown sector id (got 'telecoms'); "
                              "did you mean 'telecommunications'?")
    assert errors[1].startswith("Error: register.yaml:35, field 'partner.country': unknown country")
    assert errors[2] == ("Error: register.yaml:54, field 'value_gbp': Input should be a valid number, unable to "
                         "parse string as a number (got 'lots')")


def test_invalid_csv_rows_are_reported_by_row(invoke: Invoke, tmp_path: Path) -> None:
    write_csv(tmp_path / "register.csv", [
        CLEAN,
        engagement("BAD-1", agreement_type="mouu"),
        engagement("TEL-1", sectors=["telecommunications"]),
        engagement("BAD-2", lead__type="council"),
    ])
    result = invoke("check", "register.csv")
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert errors[0] == ("Error: register.csv: row 3, field 'agreement_type': unknown agreement type id "
                         "(got 'mouu'); did you mean 'mou'? (all 18 agreement types: riskscreen vocab "
                         "agreement_types)")
    # this taxonomies directory has no synonyms.yaml: the few lead types are all listed instead
    assert errors[1] == ("Error: register.csv: row 5, field 'lead.type': unknown lead type id "
                         "(got 'council'); lead types: strategic_authority, local_authority, university, "
                         "growth_company, cultural_institution, business_body, other")
    assert len(errors) == 2


def test_register_level_errors(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "dupes.yaml", [CLEAN, TELECOMS, engagement("CLEAN-1")])
    (tmp_path / "empty.yaml").write_text("engagements: []\n", encoding="utf-8")
    (tmp_path / "cols.csv").write_text("id,partner.contry,sector\nA,DE,culture\n", encoding="utf-8")
    dupes = invoke("check", "dupes.yaml")
    assert dupes.exit_code == 2
    assert dupes.stderr == ("Error: dupes.yaml:40, field 'id': duplicate engagement id (got 'CLEAN-1'); "
                            "first used at dupes.yaml:2; ids must be unique in a register\n")
    empty = invoke("check", "empty.yaml")
    assert (empty.exit_code, empty.stderr) == (2, "Error: empty.yaml: the register is empty; add at least "
                                                  "one engagement\n")
    cols = invoke("check", "cols.csv")
    assert cols.exit_code == 2
    assert "Error: cols.csv: row 1, field 'partner.contry': unknown column (spreadsheet column B); did you mean 'partner.country'" \
        in cols.stderr
    assert "Error: cols.csv: row 1, field 'sector': unknown column (spreadsheet column C); did you mean 'sectors'" in cols.stderr


def test_json_results_are_compact_with_the_rule_catalogue_once(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    (tmp_path / "tel.yaml").write_text(json.dumps(TELECOMS), encoding="utf-8")
    report = json.loads(invoke("check", "register.yaml", "--format", "json").stdout)
    single = json.loads(invoke("screen", "tel.yaml", "--format", "json").stdout)
    assert report["schema_version"] == 2
    tel = report["results"][1]
    assert (tel["engagement_id"], tel["tier"]) == (single["engagement_id"], single["tier"])
    assert [(f["rule_id"], f["risk_type"], f["tier"]) for f in tel["findings"]] == [
        (f["rule_id"], f["risk_type"], f["tier"]) for f in single["findings"]]
    assert [f["evidence"] for f in tel["findings"]] == [
        {e["fact"]: e["value"] for e in f["evidence"]} for f in single["findings"]]
    for finding in single["findings"]:  # the texts are stated once, in the catalogue
        rule = report["rules"][finding["rule_id"]]
        assert (rule["title"], rule["rationale"], rule["advice"]) == (
            finding["title"], finding["rationale"], finding["advice"])
    assert [c["id"] for c in report["checklist"]] == [c["id"] for c in single["checklist"]]
    assert tel["location"] == {"line": 15}
    assert (tel["effective_tier"], tel["waived"], tel["failing"]) == ("alignment", False, True)
    assert report["summary"]["by_tier"] == {"autonomy": 1, "advice": 0, "alignment": 1, "stop": 0}
    assert report["summary"]["failing"] == 1


def test_jsonl_has_a_header_one_line_per_result_and_a_summary(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    whole = json.loads(invoke("check", "register.yaml", "--format", "json").stdout)
    lines = [json.loads(line) for line in invoke("check", "register.yaml", "--format", "jsonl").stdout.splitlines()]
    assert [line["type"] for line in lines] == ["register", "result", "result", "summary"]
    assert lines[0]["schema_version"] == 2 and lines[0]["register"] == "register.yaml"
    assert [{k: v for k, v in line.items() if k != "type"} for line in lines[1:3]] == whole["results"]
    assert lines[3]["summary"] == whole["summary"]


def test_json_register_with_tabs_loads(invoke: Invoke, tmp_path: Path) -> None:
    write_json(tmp_path / "register.json", [CLEAN, TELECOMS])
    report = json.loads(invoke("check", "register.json", "--format", "json").stdout)
    assert [(r["engagement_id"], r["location"]["line"]) for r in report["results"]] == [
        ("CLEAN-1", 2), ("TEL-1", 20)]


def test_output_is_byte_identical_across_runs_and_jobs(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [engagement(f"E{i}", sectors=["telecommunications"] if i % 3 else
                                                       ["culture"]) for i in range(40)])
    one = invoke("check", "register.yaml", "--format", "json", "--jobs", "1").stdout
    assert one == invoke("check", "register.yaml", "--format", "json").stdout
    assert one == invoke("check", "register.yaml", "--format", "json", "--jobs", "2").stdout


def test_auto_jobs_switches_to_workers_past_the_threshold(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import riskscreen.registers.pool as pool

    write_yaml(tmp_path / "register.yaml", [engagement(f"E{i}", sectors=["telecommunications"] if i % 3 else
                                                       ["culture"]) for i in range(30)])
    one = invoke("check", "register.yaml", "--format", "json", "--jobs", "1").stdout
    started: list[int] = []
    real_pool = pool.multiprocessing.get_context("spawn").Pool

    class CountingContext:
        def Pool(self, jobs: int, **kwargs: object) -> object:  # the name multiprocessing uses
            started.append(jobs)
            return real_pool(jobs, **kwargs)

    monkeypatch.setattr(pool, "AUTO_THRESHOLD", 10)
    monkeypatch.setattr(pool, "auto_workers", lambda: 2)
    monkeypatch.setattr(pool.multiprocessing, "get_context", lambda _method: CountingContext())
    assert one == invoke("check", "register.yaml", "--format", "json", "--jobs", "auto").stdout
    assert started == [2]


def test_jobs_must_be_auto_or_a_positive_number(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN])
    result = invoke("check", "register.yaml", "--jobs", "0")
    assert result.exit_code == 2
    assert "'0' is not 'auto' or a whole number from 1" in result.stderr


def test_as_of_reaches_review_date_rules(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [engagement("R-1", review_date="2026-06-30")])
    before = json.loads(invoke("check", "register.yaml", "--format", "json").stdout)
    assert [f["rule_id"] for f in before["results"][0]["findings"]] == ["t_review_passed"]
    result = CliRunner_invoke_with_date(invoke, tmp_path)
    assert [f["rule_id"] for f in result["results"][0]["findings"]] == []


def CliRunner_invoke_with_date(invoke: Invoke, tmp_path: Path) -> dict[str, object]:
    from tests.register.conftest import RULES, TAXONOMIES

    result = invoke("check", "register.yaml", "--format", "json", "--rules", str(RULES), "--taxonomies",
                    str(TAXONOMIES), "--as-of", "2026-01-01", engine=False)
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_several_registers_as_pre_commit_passes_them(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from riskscreen.cli import main

    root = Path(__file__).resolve().parents[2] / "examples"
    bad = tmp_path / "register-bad.yaml"
    bad.write_text("- id: [\n", encoding="utf-8")
    runner = CliRunner()
    both = runner.invoke(main, ["check", str(root / "register.yaml"), str(root / "register.csv"),
                                "--format", "github", "--as-of", "2026-11-22", "--fail-on", "stop"])
    assert both.exit_code == 0, both.output
    assert both.stdout.count("riskscreen: 55 engagement(s)") == 2
    worst = runner.invoke(main, ["check", str(bad), str(root / "register.yaml"), "--as-of", "2026-11-22"])
    assert worst.exit_code == 2
    assert worst.stderr.startswith(f"Error: {bad}:")
    assert "55 engagement(s)" in worst.stdout
    refused = runner.invoke(main, ["check", str(root / "register.yaml"), str(root / "register.csv"),
                                   "--format", "sarif"])
    assert refused.exit_code == 2
    assert "several registers can only be checked with --format text or github" in refused.stderr


def test_no_sanctions_list_notice_in_every_summary_until_one_is_loaded(invoke: Invoke, tmp_path: Path) -> None:
    designated = Path(__file__).resolve().parents[1] / "cases" / "data" / "designated-watchlist.yaml"
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    data = json.loads(invoke("check", "register.yaml", "--format", "json").stdout)
    assert data["summary"]["notices"] == [NO_SANCTIONS_LIST]
    assert NO_SANCTIONS_LIST in invoke("check", "register.yaml", "--format", "md").stdout.replace("\\", "")
    html = invoke("check", "register.yaml", "--format", "html").stdout
    assert 'class="banner notice"' in html and "No sanctions designations list loaded" in html
    loaded = json.loads(invoke("check", "register.yaml", "--format", "json", "--watchlist", str(designated)).stdout)
    assert loaded["provenance"]["sanctions_list_loaded"] is True
    assert loaded["summary"]["notices"] == []
