"""A CLI that behaves as people expect: --quiet/--verbose everywhere, -V, '-' for stdin, a
project configuration file, output files with the usual permissions, shell completion."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import click
import pytest

from riskscreen import Engine
from riskscreen.cli import main
from riskscreen.inputs.resources import bundled_dir
from tests.authoring.conftest import DATA, Invoke, no_traceback, umask

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "greater-manchester-osaka.yaml"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", [(), *_commands(main)], ids=lambda path: " ".join(path) or "riskscreen")
def test_every_command_takes_quiet_and_verbose(invoke: Invoke, path: tuple[str, ...]) -> None:
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    assert "-q, --quiet" in result.stdout and "--verbose" in result.stdout


def test_version_long_and_short(invoke: Invoke) -> None:
    from riskscreen import __version__

    assert invoke("--version").stdout == invoke("-V").stdout == f"riskscreen, version {__version__}\n"


def test_verbose_names_what_was_loaded_and_quiet_silences_notes(invoke: Invoke, tmp_path: Path) -> None:
    verbose = invoke("screen", str(EXAMPLE), "--verbose")
    assert verbose.exit_code == 0
    lines = verbose.stderr.splitlines()
    assert lines[0].startswith("rule pack ") and lines[1].startswith("taxonomies ")
    assert lines[2] in ("backend durable", "backend python")
    noted = invoke("init", "-o", "a.yaml")
    assert noted.stderr == "Wrote a.yaml; check it with: riskscreen screen a.yaml\n"
    quiet = invoke("init", "-o", "b.yaml", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert invoke("screen", str(EXAMPLE), "-q", "--verbose").stderr == ""


def test_dash_reads_standard_input(invoke: Invoke) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    from_stdin = invoke("screen", "-", "--format", "json", "--as-of", "2026-12-01", input=text)
    from_file = invoke("screen", str(EXAMPLE), "--format", "json", "--as-of", "2026-12-01")
    assert from_stdin.exit_code == 0
    assert from_stdin.stdout.replace("<stdin>", "X") == from_file.stdout.replace(str(EXAMPLE), "X")
    bad = invoke("screen", "-", input=(DATA / "newcomer" / "port.yaml").read_text(encoding="utf-8"))
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: <stdin>:5, field 'lead.type': unknown lead type id")


@pytest.mark.parametrize("name", ["register.yaml", "register.csv"])
def test_dash_reads_a_register_from_standard_input(invoke: Invoke, name: str) -> None:
    content = (ROOT / "examples" / name).read_text(encoding="utf-8")
    from_stdin = invoke("check", "-", "--format", "json", "--as-of", "2026-12-01", input=content)
    from_file = invoke("check", str(ROOT / "examples" / name), "--format", "json", "--as-of", "2026-12-01")
    assert from_stdin.exit_code == from_file.exit_code == 1
    assert from_stdin.stdout.replace('"<stdin>"', "X") == from_file.stdout.replace(
        f'"{ROOT / "examples" / name}"', "X")
    bad = invoke("check", "-", input="engagements:\n- id: X\n")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: <stdin>:2, field 'lead': required field is missing\n")


def test_new_output_files_follow_the_umask_and_replaced_files_keep_their_mode(
        invoke: Invoke, tmp_path: Path) -> None:
    assert invoke("screen", str(EXAMPLE), "-o", "new.md", "--format", "md").exit_code == 0
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o666 & ~umask()
    shared = tmp_path / "shared.html"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o664)
    assert invoke("screen", str(EXAMPLE), "-o", "shared.html", "--format", "html").exit_code == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    assert shared.read_text(encoding="utf-8").startswith("<!")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md", "shared.html"]  # no temporary left


def test_project_configuration_sets_shared_defaults(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "register.yaml").write_text(
        (ROOT / "examples" / "register.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    baseline = invoke("check", "register.yaml", "--format", "json")
    assert baseline.exit_code == 1  # the example register has alignment results
    (tmp_path / "riskscreen.toml").write_text('fail-on = "stop"\n', encoding="utf-8")
    assert invoke("check", "register.yaml", "--format", "json").exit_code == 0
    assert invoke("check", "register.yaml", "--format", "json", "--fail-on", "alignment").exit_code == 1
    assert invoke("--no-config", "check", "register.yaml", "--format", "json").exit_code == 1
    (tmp_path / "riskscreen.toml").unlink()
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.riskscreen]\nfail-on = "stop"\ntaxonomies = "{bundled_dir("taxonomies")}"\n'
        'rules = "my-rules"\n', encoding="utf-8")
    missing_rules = invoke("check", "register.yaml")
    assert missing_rules.exit_code == 2
    assert "my-rules" in missing_rules.stderr


def test_configuration_mistakes_are_located_errors(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "riskscreen.toml").write_text('fail_on = "stop"\nwatchlist = ["w.yaml"]\n', encoding="utf-8")
    result = invoke("vocab")
    no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: riskscreen.toml, field 'watchlist': unknown field; did you mean 'watchlists'? valid fields: "
        "rules, taxonomies, watchlists, fail-on, waivers",
    ]
    (tmp_path / "riskscreen.toml").write_text('fail-on = "high"\n', encoding="utf-8")
    result = invoke("vocab")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: riskscreen.toml, field 'fail-on': Input should be 'advice', "
                                    "'alignment' or 'stop' (got 'high')")


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from riskscreen.cli.console import colour_enabled

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colour_enabled(Tty())  # type: ignore[arg-type]
    with Path(os.devnull).open("w") as devnull:
        assert not colour_enabled(devnull)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_enabled(Tty())  # type: ignore[arg-type]


def test_shell_completion_script_is_generated() -> None:
    riskscreen = Path(sys.executable).with_name("riskscreen")
    result = subprocess.run([str(riskscreen)], env={**os.environ, "_RISKSCREEN_COMPLETE": "bash_source"},
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0
    assert "_riskscreen_completion()" in result.stdout
    assert "complete -o nosort -F _riskscreen_completion riskscreen" in result.stdout


def test_python_api_takes_str_paths() -> None:
    with Engine.load(rules=str(bundled_dir("rules")), taxonomies=str(bundled_dir("taxonomies")),
                     backend="python") as engine:
        assert engine.validate({
            "id": "X-1", "lead": {"name": "City Council", "type": "local_authority"},
            "partner": {"name": "Kaohsiung City Government", "type": "city_government", "country": "Taiwan"},
            "agreement_type": "friendship_agreement", "sectors": ["culture"]}).partner.country == "TW"
