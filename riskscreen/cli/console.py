"""How much the CLI says and whether in colour.

``--quiet``/``-q`` and ``--verbose`` are added to every command (see ``RiskscreenGroup``); the
choice lives in the click context so any command can ask. Colour is used only on a terminal and
never when ``NO_COLOR`` is set (https://no-color.org).
"""

from __future__ import annotations

import os
import re
from typing import IO, Any

import click

QUIET, NORMAL, VERBOSE = 0, 1, 2
_KEY = "riskscreen.verbosity"

TIER_COLOURS = {"autonomy": "green", "advice": "cyan", "alignment": "yellow", "stop": "red"}
_TIER_HEADING = re.compile(r"^(TIER: )([A-Z]+)", re.MULTILINE)
_TIER_CELL = re.compile(r"(?<=  )(autonomy|advice|alignment|stop)(?=  |$)", re.MULTILINE)
_STATUS = re.compile(r"(?<=  )(FAIL|ok)$", re.MULTILINE)


def verbosity() -> int:
    context = click.get_current_context(silent=True)
    if context is None:
        return NORMAL
    meta = context.find_root().meta
    # --quiet wins over --verbose when both are given: say less, never more
    if meta.get(f"{_KEY}.quiet"):
        return QUIET
    return VERBOSE if meta.get(f"{_KEY}.verbose") else NORMAL


def _set(flag: str) -> Any:
    def callback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.find_root().meta[f"{_KEY}.{flag}"] = True

    return callback


def verbosity_options() -> list[click.Option]:
    """Fresh option objects for one command (click options must not be shared)."""
    return [
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set("quiet"),
            help="Print only results and errors (no progress or notes).",
        ),
        click.Option(
            ["--verbose"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set("verbose"),
            help="Also print what was loaded (configuration, rule pack, taxonomies, backend).",
        ),
    ]


def note(message: str) -> None:
    """A side remark on stderr, silenced by --quiet."""
    if verbosity() >= NORMAL:
        click.echo(message, err=True)


def detail(message: str) -> None:
    """Only with --verbose."""
    if verbosity() >= VERBOSE:
        click.echo(message, err=True)


def colour_enabled(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def colourise(text: str) -> str:
    """Tiers and pass/fail in a plain-text report, coloured by tier."""

    def heading(match: re.Match[str]) -> str:
        tier = match.group(2)
        colour = TIER_COLOURS.get(tier.lower())
        return match.group(1) + (click.style(tier, fg=colour, bold=True) if colour else tier)

    text = _TIER_HEADING.sub(heading, text)
    text = _TIER_CELL.sub(lambda m: click.style(m.group(1), fg=TIER_COLOURS[m.group(1)]), text)
    return _STATUS.sub(
        lambda m: click.style(m.group(1), fg="red" if m.group(1) == "FAIL" else "green",
                              bold=m.group(1) == "FAIL"),
        text,
    )


def error_prefix() -> str:
    import sys

    return click.style("Error:", fg="red", bold=True) if colour_enabled(sys.stderr) else "Error:"
