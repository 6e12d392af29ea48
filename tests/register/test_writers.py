"""Register export: CSV and XLSX written in the format the readers take, read back as the same
engagements, and checked by `riskscreen check` with the same results as the original register."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskscreen import Engine, InputError
from riskscreen.cli import main
from riskscreen.models.engagement import Engagement
from riskscreen.registers import read_register
from riskscreen.registers.writers import COLUMNS, write_csv, write_xlsx
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "register.yaml"


def engagements(engine: Engine, path: Path) -> list[Engagement]:
    out = []
    for row in read_register(path):
        assert not row.problems and row.data is not None, row.problems
        out.append(engine.validate(row.data))
    return out


def tricky(engine: Engine) -> Engagement:
    return engine.validate({
        "id": "=1+1", "title": "=HYPERLINK(\"http://evil.example\",\"click\")",
        "lead": {"name": "@Leeds, \"City\" Council", "type": "local_authority", "international_team_fte": 2.5,
                 "has_international_strategy": False, "due_diligence": ["sanctions", "ownership"]},
        "partner": {"name": "-Dortmund\nCity", "type": "city_government", "country": "Germany",
                    "aliases": ["Stadt Dortmund", "+Dortmund"], "state_linked": False},
        "agreement_type": "friendship_agreement", "sectors": ["culture"], "value_gbp": 1234.5,
        "term_years": 3, "binding": True, "review_date": "2030-01-31", "notes": "line one\nline two, with comma",
    })


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip(engine: Engine, tmp_path: Path, suffix: str) -> None:
    original = [*engagements(engine, EXAMPLE), tricky(engine)]
    path = tmp_path / f"register{suffix}"
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            assert write_csv(original, out) == len(original)
    else:
        assert write_xlsx(original, path) == len(original)
    back = engagements(engine, path)
    assert [e.model_dump() for e in back] == [e.model_dump(exclude={"waivers"}) | {"waivers": []}
                                             for e in original]


def test_formula_text_is_kept_as_text(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_csv([tricky(engine)], out)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert "'=HYPERLINK" in text and "'=1+1" in text and "'@Leeds" in text
    xlsx = tmp_path / "r.xlsx"
    write_xlsx([tricky(engine)], xlsx)
    from openpyxl import load_workbook

    cell = load_workbook(xlsx).worksheets[0]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_a_list_item_with_the_separator_is_refused(engine: Engine, tmp_path: Path) -> None:
    bad = tricky(engine).model_copy(update={"id": "X-1"})
    bad.partner.aliases = ["Dortmund; the city"]
    with pytest.raises(InputError, match=r"field 'partner\.aliases': a list item contains ';'"), \
            (tmp_path / "x.csv").open("w", encoding="utf-8") as out:
        write_csv([bad], out)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_check_gives_the_same_results(engine: Engine, tmp_path: Path, suffix: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    original = engagements(engine, EXAMPLE)
    path = tmp_path / f"export{suffix}"
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            write_csv(original, out)
    else:
        write_xlsx(original, path)

    def results(register: Path) -> list[object]:
        run = CliRunner().invoke(main, ["check", str(register), "--format", "json", "--as-of", "2026-11-22"],
                                 catch_exceptions=False)
        assert run.exit_code in (0, 1), run.output
        return [{k: v for k, v in r.items() if k != "location"} for r in json.loads(run.stdout)["results"]]

    assert results(path) == results(EXAMPLE)
