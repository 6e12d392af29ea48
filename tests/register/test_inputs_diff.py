"""XLSX and Excel CSV registers, row-order independence, and `riskscreen diff`."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from riskscreen import Engine
from riskscreen.models.engagement import Engagement
from riskscreen.registers import read_register
from riskscreen.registers.check import CheckSettings, check_register
from tests.register.conftest import (
    CLEAN,
    COLUMNS,
    MEDIA,
    RULES,
    TELECOMS,
    Invoke,
    engagement,
    flat_row,
    write_csv,
    write_yaml,
)


def engagements_of(engine: Engine, path: Path) -> list[Engagement]:
    return [engine.validate(row.data or {}, source=path.name, row=row.location.row) for row in read_register(path)]


def test_xlsx_register_with_typed_cells(invoke: Invoke, tmp_path: Path, test_engine: Engine) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([*COLUMNS, "value_gbp", "term_years", "binding"])
    sheet.append([*flat_row(TELECOMS)[:-1], date(2030, 1, 1), 250000, 5, True])
    sheet.append([None] * 3)
    sheet.append([*flat_row(engagement("MIX-1", sectors=["culture", "sport"]))])
    book.save(tmp_path / "register.xlsx")
    report = json.loads(invoke("check", "register.xlsx", "--format", "json").stdout)
    assert [(r["engagement_id"], r["tier"], r["location"]["row"]) for r in report["results"]] == [
        ("TEL-1", "alignment", 2), ("MIX-1", "autonomy", 4)]
    tel, mix = engagements_of(test_engine, tmp_path / "register.xlsx")
    assert (tel.value_gbp, tel.term_years, tel.binding, tel.review_date) == (250000.0, 5.0, True, date(2030, 1, 1))
    assert mix.sectors == ["culture", "sport"]


def test_excel_csv_with_bom_and_cp1252(invoke: Invoke, tmp_path: Path, test_engine: Engine) -> None:
    item = engagement("ACC-1", title="Échange culturel £5,000", partner__name="Société Générale de Lyon")
    write_csv(tmp_path / "bom.csv", [item], encoding="utf-8-sig")
    write_csv(tmp_path / "ansi.csv", [item], encoding="cp1252")
    assert (tmp_path / "ansi.csv").read_bytes().count(b"\xa3") == 1  # the £ really is cp1252
    for name in ("bom.csv", "ansi.csv"):
        report = json.loads(invoke("check", name, "--format", "json").stdout)
        assert [r["engagement_id"] for r in report["results"]] == ["ACC-1"]
        [item_read] = engagements_of(test_engine, tmp_path / name)
        assert (item_read.title, item_read.partner.name) == ("Échange culturel £5,000", "Société Générale de Lyon")


def test_csv_with_bad_cell_under_unnamed_column(invoke: Invoke, tmp_path: Path) -> None:
    with (tmp_path / "register.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow([*COLUMNS, ""])
        writer.writerow([*flat_row(CLEAN), "stray"])
    result = invoke("check", "register.csv")
    assert result.exit_code == 2
    assert result.stderr == ("Error: register.csv: row 2, field 'column L': value in a column with no name "
                             "(got 'stray'); name the column in the header row or delete the value\n")


_ENGINE = Engine.load(rules=RULES, taxonomies=RULES.parent / "taxonomies")
_ITEMS = [CLEAN, TELECOMS, MEDIA, engagement("R-1", review_date="2025-01-01"),
          engagement("T-2", sectors=["telecommunications"], involves=["media_profile"])]


def _check(path: Path) -> tuple[dict[str, str], str]:
    report = check_register(_ENGINE, path, CheckSettings(as_of=date(2026, 11, 22)))
    per_id = {r.result.engagement_id: r.result.model_dump_json() for r in report.results}
    return per_id, report.summary.model_dump_json()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(_ITEMS))))
def test_register_result_does_not_depend_on_row_order(tmp_path: Path, order: list[int]) -> None:
    baseline = _check(write_csv(tmp_path / "a.csv", _ITEMS))
    assert _check(write_csv(tmp_path / "b.csv", [_ITEMS[i] for i in order])) == baseline


def test_diff_under_two_rule_packs(invoke: Invoke, tmp_path: Path) -> None:
    shutil.copytree(RULES, tmp_path / "old-rules")
    findings = tmp_path / "old-rules" / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text[: text.index("  - id: t_media")], encoding="utf-8")
    write_yaml(tmp_path / "register.yaml", [CLEAN, MEDIA, TELECOMS])
    result = invoke("diff", "register.yaml", "register.yaml", "--old-rules", "old-rules", "--exit-code")
    assert result.exit_code == 1
    assert result.stdout == (
        "riskscreen diff: register.yaml → register.yaml\n"
        "1 raised, 0 lowered, 0 with changed findings, 0 added, 0 removed, 2 unchanged\n"
        "\n"
        "MEDIA-1: raised (autonomy → advice)\n"
        "  - new finding t_media [advice]: High media profile (because involves = ['media_profile'])\n"
        "  - tier set by tier_advice_called: A finding calls for advice\n"
    )
    data = json.loads(invoke("diff", "register.yaml", "register.yaml", "--old-rules", "old-rules",
                             "--format", "json").stdout)
    assert data["changes"][0]["added_findings"] == ["t_media"]
    md = invoke("diff", "register.yaml", "register.yaml", "--old-rules", "old-rules", "--format", "md").stdout
    assert "| MEDIA-1 | raised | autonomy → advice | t_media | — |" in md


def test_diff_of_two_registers(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "old.yaml", [CLEAN, TELECOMS])
    write_yaml(tmp_path / "new.yaml", [engagement("TEL-1"), MEDIA])
    data = json.loads(invoke("diff", "old.yaml", "new.yaml", "--format", "json").stdout)
    assert [(c["engagement_id"], c["change"], c["old_tier"], c["new_tier"]) for c in data["changes"]] == [
        ("TEL-1", "lowered", "alignment", "autonomy"), ("MEDIA-1", "added", None, "advice"),
        ("CLEAN-1", "removed", "autonomy", None)]
    assert invoke("diff", "old.yaml", "old.yaml").exit_code == 0


def test_binary_and_control_characters_are_located_errors(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from riskscreen.cli import main

    binary = tmp_path / "register.yaml"
    binary.write_bytes(b"- id: A\n  notes: caf\xe9\xff\n")
    control = tmp_path / "register2.yaml"
    control.write_bytes(b"- id: A\n  \x01notes: x\n")
    runner = CliRunner()
    first = runner.invoke(main, ["check", str(binary), "-o", str(tmp_path / "out.json"), "--format", "json"])
    assert (first.exit_code, first.stderr) == (2, f"Error: {binary}: file is not valid UTF-8; save it as UTF-8\n")
    second = runner.invoke(main, ["check", str(control)])
    assert second.exit_code == 2
    assert second.stderr.startswith(f"Error: {control}: file holds a control character YAML does not allow")
    assert not (tmp_path / "out.json").exists()
