"""``riskscreen screen FILE``: screen one engagement."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from riskscreen.cli.options import (
    as_date,
    as_of_option,
    build_engine,
    engine_options,
    output_option,
    templates_option,
)
from riskscreen.cli.output import emit
from riskscreen.inputs.loading import load_engagement_file, load_engagement_stdin
from riskscreen.render import RenderOptions, render_screening


@click.command()
@click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "html", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
@engine_options
@as_of_option
@templates_option
def screen(
    file: Path,
    fmt: str,
    output: Path | None,
    rules_dir: Path | None,
    taxonomies_dir: Path | None,
    watchlists: tuple[Path, ...],
    backend: str,
    as_of: Any,
    templates_dir: Path | None,
) -> None:
    """Screen one engagement (YAML or JSON) and report its tier, findings and escalation.

    \b
    Examples:
      riskscreen screen examples/edinburgh-kaohsiung.yaml
      riskscreen screen mou.yaml --format html -o mou-screening.html
      riskscreen screen mou.yaml --format json --as-of 2026-11-22
      cat mou.yaml | riskscreen screen -
    """
    engine = build_engine(rules_dir, taxonomies_dir, watchlists, backend)
    if str(file) == "-":
        engagement = load_engagement_stdin(sys.stdin, engine.taxonomies)
    else:
        engagement = load_engagement_file(file, engine.taxonomies)
    # Every format shows "what would change it", so every format asks for the re-screened steps.
    result = engine.screen(engagement, as_of=as_date(as_of), what_if=True)
    options = RenderOptions(engine=engine, templates_dir=templates_dir, source=str(file))
    emit(render_screening(result, fmt, options), output, colour=fmt == "text")
