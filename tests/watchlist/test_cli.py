from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from riskscreen.cli.watchlist_cmd import watchlist
from riskscreen.errors import RiskscreenError

DATA = Path(__file__).resolve().parent / "data"
TAXONOMIES = Path(__file__).resolve().parents[2] / "taxonomies"


class _Main(click.Group):
    """Stands in for the main CLI's contract: RiskscreenError → 'Error: …', exit 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except RiskscreenError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)


main = _Main(name="riskscreen")
main.add_command(watchlist)


def test_import_to_output_file(tmp_path: Path) -> None:
    out = tmp_path / "uk.yaml"
    result = CliRunner().invoke(
        main,
        [
            "watchlist",
            "import",
            str(DATA / "uk_sanctions_list.csv"),
            "--format",
            "uk-sanctions-csv",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("description: Imported by `riskscreen watchlist import` from ")
    assert "id: RUS9001" in text
    assert [p.name for p in tmp_path.iterdir()] == ["uk.yaml"]  # no temp files left behind


def test_import_to_stdout_is_deterministic() -> None:
    args = ["watchlist", "import", str(DATA / "entities.ftm.json"), "--format", "opensanctions-ftm"]
    first = CliRunner().invoke(main, args)
    second = CliRunner().invoke(main, args)
    assert first.exit_code == 0
    assert first.output == second.output
    assert "id: NK-fict1" in first.output


def test_import_bad_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(
        main,
        [
            "watchlist",
            "import",
            str(DATA / "broken.ftm.json"),
            "--format",
            "opensanctions-ftm",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert "broken.ftm.json:2: invalid JSON" in result.output
    assert list(tmp_path.iterdir()) == []


def test_import_keeps_existing_output_on_error(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    out.write_text("previous", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "watchlist",
            "import",
            str(DATA / "uk_sanctions_missing_column.csv"),
            "--format",
            "uk-sanctions-csv",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous"


def test_check_prints_the_match() -> None:
    result = CliRunner().invoke(
        main,
        [
            "watchlist",
            "check",
            "Huawei Tech (UK) Ltd",
            "--taxonomies",
            str(TAXONOMIES),
            "--limit",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:5] == [
        "'Huawei Tech (UK) Ltd' normalised to 'huawei technologies'; threshold 0.85",
        "1. 1.0000 MATCH: Huawei Technologies Co., Ltd. [huawei-technologies]",
        "   matched name: Huawei Technologies Co., Ltd. ('huawei technologies')",
        "   parts: exact 1.0000, token_overlap 1.0000, token_set 1.0000, jaro_winkler 1.0000",
        "   tags: state_linked, telecoms_vendor_restricted; country: CN",
    ]


def test_check_json_with_extra_watchlist(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text("- id: nsh\n  name: Northern Strategic Holdings\n  source: mine\n", "utf-8")
    result = CliRunner().invoke(
        main,
        [
            "watchlist",
            "check",
            "Northern Bakery Ltd",
            "--taxonomies",
            str(TAXONOMIES),
            "--watchlist",
            str(extra),
            "--format",
            "json",
            "--limit",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["normalised"] == "northern bakery"
    assert payload["matches"][0]["entry_id"] == "nsh"
    assert payload["matches"][0]["over_threshold"] is False


def test_check_default_taxonomies_are_bundled() -> None:
    result = CliRunner().invoke(main, ["watchlist", "check", "Газпром", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "MATCH: Gazprom [gazprom]" in result.output


def test_check_bad_watchlist_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: a\n  source: s\n", "utf-8")
    result = CliRunner().invoke(
        main,
        [
            "watchlist",
            "check",
            "x",
            "--taxonomies",
            str(TAXONOMIES),
            "--watchlist",
            str(bad),
        ],
    )
    assert result.exit_code == 2
    assert "bad.yaml:1, field 'name': missing required field 'name'" in result.output
