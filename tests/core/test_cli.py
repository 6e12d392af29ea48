"""The command line, in-process with click's CliRunner: output, exit codes and error lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from riskscreen.cli import main

from .helpers import engagement

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_screen_text(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "clean.yaml", engagement())
    result = runner.invoke(main, ["screen", str(path), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["EXAMPLE: Example engagement", "TIER: AUTONOMY — Within local autonomy"]
    assert "FINDINGS (0)" in lines


def test_screen_json_to_file_is_deterministic(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "cn.yaml", engagement(partner={"country": "CN"}, agreement_type="mou", sectors=["energy"]))
    outputs = []
    for name in ("a.json", "b.json"):
        result = runner.invoke(main, ["screen", str(path), "--format", "json", "-o", str(tmp_path / name),
                                      "--as-of", "2026-11-22"])
        assert (result.exit_code, result.stdout) == (0, "")
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    assert data["engagement_id"] == "EXAMPLE"
    # An energy MoU with a Chinese city and no supply, data or money link: exchange, so advice (policy 8).
    assert data["tier"] == "advice"
    assert {"rule_id", "risk_type"} <= set(data["findings"][0])


def test_bad_input_is_one_located_line_exit_2_and_no_output_file(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", engagement(agreement_type="twining"))
    out = tmp_path / "out.json"
    result = runner.invoke(main, ["screen", str(path), "--format", "json", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {path}:")
    assert "field 'agreement_type': unknown agreement type id (got 'twining'); did you mean 'twinning'" in line
    assert not out.exists()
    assert "Traceback" not in result.output


def test_broken_yaml_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: A\nlead: [\n", encoding="utf-8")
    result = runner.invoke(main, ["screen", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:3: invalid YAML")


def test_broken_rule_pack_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.yaml").write_text("stage: findings\nrules: []\n", encoding="utf-8")
    result = runner.invoke(main, ["screen", str(write(tmp_path, "e.yaml", engagement())), "--rules", str(rules)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {rules / 'x.yaml'}:2, field 'rules': List should have at least 1 item")


def test_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["screen", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_backend_option_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "e.yaml", engagement())
    result = runner.invoke(main, ["screen", str(path), "--backend", "python", "--format", "json"])
    assert json.loads(result.stdout)["provenance"]["backend"] == "python"


def test_rules_list_show_test_lint(runner: CliRunner) -> None:
    listed = runner.invoke(main, ["rules", "list"])
    assert listed.exit_code == 0
    assert any(line.startswith("tier_stop_legal_bar ") for line in listed.stdout.splitlines())
    shown = runner.invoke(main, ["rules", "show", "tier_stop_legal_bar"])
    assert shown.exit_code == 0
    assert "id: tier_stop_legal_bar" in shown.stdout
    assert shown.stdout.startswith("# ") and "proportionality.yaml:" in shown.stdout.splitlines()[0]
    tested = runner.invoke(main, ["rules", "test"])
    assert tested.exit_code == 0, tested.stdout
    assert " 0 failed " in tested.stdout
    linted = runner.invoke(main, ["rules", "lint"])
    assert linted.exit_code == 0, linted.stdout
    assert linted.stdout.rstrip().endswith(", 0 issue(s)")


def test_rules_show_unknown_suggests(runner: CliRunner) -> None:
    result = runner.invoke(main, ["rules", "show", "tier_stop_legal"])
    assert result.exit_code == 2
    assert "Error: no such rule (got 'tier_stop_legal'); did you mean 'tier_stop_legal_bar'" in result.stderr


def test_rules_test_fails_on_a_wrong_example(runner: CliRunner, tmp_path: Path) -> None:
    from .helpers import finding_rule, write_rules

    text = finding_rule() + "    examples:\n      match: [{sectors: [culture]}]\n      no_match: [{sectors: [energy]}]\n"
    rules = write_rules(tmp_path, {"security.yaml": text})
    result = runner.invoke(main, ["rules", "test", "test_rule", "--rules", str(rules)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "FAIL test_rule: match example 1 should fire but did not (fired: nothing)",
        "FAIL test_rule: no_match example 1 should not fire but did (fired: test_rule)",
    ]
    lint = runner.invoke(main, ["rules", "lint", "--rules", str(rules)])
    assert lint.exit_code == 1
    assert "test_rule: is never shown to fire: no 'match' example fires it" in lint.stdout


def _commands(group: object, prefix: str = "") -> list[tuple[str, object]]:
    import click

    found = []
    assert isinstance(group, click.Group)
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix}{name} "))
    return found


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    for name, _command in _commands(main):
        result = runner.invoke(main, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, f"'riskscreen {name} --help' shows no example"


def test_screen_imports_only_what_screening_needs() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from riskscreen.cli import main\n"
        "main(['screen', sys.argv[1]], standalone_mode=False)\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    example = ROOT / "examples" / "greater-manchester-osaka.yaml"
    done = subprocess.run(
        [sys.executable, "-c", code, str(example)], capture_output=True, text=True, check=True
    )
    loaded = set(done.stderr.split())
    assert {"riskscreen.cli.screen", "riskscreen.screening.engine"} <= loaded
    for module in ("riskscreen.cli.check", "riskscreen.registers", "riskscreen.authoring",
                   "riskscreen.cli.web_cmd", "riskscreen.review", "riskscreen.web"):
        assert module not in loaded
