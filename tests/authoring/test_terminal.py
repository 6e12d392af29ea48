"""In a real terminal (a pty, driven by pexpect): init --interactive, and colour on a TTY only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from riskscreen.inputs.loading import load_engagement_file
from riskscreen.screening.engine import Engine

RISKSCREEN = str(Path(sys.executable).with_name("riskscreen"))
EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "edinburgh-kaohsiung.yaml")
ESCAPE = "\x1b["


def _spawn(args: list[str], cwd: Path, **env: str) -> pexpect.spawn:
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm"} | env
    return pexpect.spawn(RISKSCREEN, ["--no-config", *args], cwd=str(cwd), env=environment,
                         encoding="utf-8", timeout=60, dimensions=(50, 200))


def test_init_interactive_in_a_terminal(tmp_path: Path, engine: Engine) -> None:
    child = _spawn(["init", "--type", "investment", "--interactive", "-o", "deal.yaml"], tmp_path)
    steps = [
        (r"id \[INV-0001\]: ", "CA-PORT-2026"),
        (r"title \[.*\]: ", "Sale of a minority stake in the port company"),
        (r"lead\.name \[.*\]: ", "Example Mayoral Combined Authority"),
        (r"lead\.type \(number or id\) \[strategic_authority\]: ", "mayoral_combined_authority"),
        (r"did you mean 'strategic_authority'\?.*lead\.type \(number or id\) \[strategic_authority\]: ", ""),
        (r"lead\.approval \(number or id\) \[cabinet\]: ", ""),
        (r"lead\.due_diligence \(numbers or ids, separated by commas\) \[.*\]: ", "sanctions, ownership, legal"),
        (r"partner\.name \[.*\]: ", "Gulf Sovereign Investment Fund"),
        (r"partner\.type \(number or id\) \[private_company\]: ", "state_owned_enterprise"),
        (r"partner\.country \[CA\]: ", "UAE"),
        (r"partner\.state_linked \(yes, no, skip\) \[skip\]: ", "yes"),
        (r"partner\.parent: ", ""),
        (r"agreement_type \(number or id\) \[investment\]: ", ""),
        (r"sectors \(numbers or ids, separated by commas\) \[property\]: ", "transport"),
        (r"involves \(numbers or ids, separated by commas\) \[equity_stake\]: ", "equity_stake, critical_infrastructure"),
        (r"value_gbp \[1000000\]: ", "250,000,000"),
        (r"term_years: ", ""),
        (r"binding \(yes, no, skip\) \[yes\]: ", ""),
        (r"published \(yes, no, skip\) \[yes\]: ", ""),
        (r"objectives_defined \(yes, no, skip\) \[yes\]: ", "no"),
    ]
    for prompt, answer in steps:
        child.expect(prompt)
        child.sendline(answer)
    child.expect("Wrote deal.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    engagement = load_engagement_file(tmp_path / "deal.yaml", engine.taxonomies)
    assert (engagement.lead.type, engagement.partner.country, engagement.partner.state_linked) == (
        "strategic_authority", "AE", True)
    assert engagement.sectors == ["transport"] and engagement.value_gbp == 250_000_000
    assert engagement.involves == ["equity_stake", "critical_infrastructure"]
    assert engagement.objectives_defined is False


def test_colour_on_a_terminal(tmp_path: Path) -> None:
    child = _spawn(["screen", EXAMPLE], tmp_path)
    child.expect(pexpect.EOF)
    assert "TIER: \x1b[33m\x1b[1mALIGNMENT\x1b[0m" in child.before


@pytest.mark.parametrize("how", ["NO_COLOR", "pipe"])
def test_no_colour_with_no_color_or_off_a_terminal(tmp_path: Path, how: str) -> None:
    if how == "NO_COLOR":
        child = _spawn(["screen", EXAMPLE], tmp_path, NO_COLOR="1")
        child.expect(pexpect.EOF)
        text = child.before
    else:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        text = subprocess.run([RISKSCREEN, "--no-config", "screen", EXAMPLE], capture_output=True, text=True,
                              env=env, check=True, timeout=60).stdout
    assert "TIER: ALIGNMENT" in text
    assert ESCAPE not in text


def test_errors_are_red_on_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: X\n", encoding="utf-8")
    child = _spawn(["screen", "bad.yaml"], tmp_path)
    child.expect(pexpect.EOF)
    assert child.before.startswith(ESCAPE)
    assert "Error:" in child.before
