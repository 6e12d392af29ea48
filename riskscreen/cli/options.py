"""Options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from riskscreen.cli.console import detail
from riskscreen.errors import display_path
from riskscreen.screening.engine import Engine

F = TypeVar("F", bound=Callable[..., Any])

FAIL_ON = ("advice", "alignment", "stop")


def _compose(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


engine_options = _compose(
    click.option(
        "--rules",
        "rules_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Rule pack directory (default: the bundled pack).",
    ),
    click.option(
        "--taxonomies",
        "taxonomies_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Taxonomies directory (default: the bundled taxonomies).",
    ),
    click.option(
        "--watchlist",
        "watchlists",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Extra watchlist YAML file; repeatable.",
    ),
    click.option(
        "--backend",
        type=click.Choice(["auto", "durable", "python"]),
        default="auto",
        show_default=True,
        help="Matching backend: durable-rules, plain Python, or the best available.",
    ),
)


def as_of_option(function: F) -> F:
    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Screening date (YYYY-MM-DD; default today) — fixes review-date checks and report dates.",
    )(function)


def output_option(function: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write to this file instead of standard output.",
    )(function)


def templates_option(function: F) -> F:
    return click.option(
        "--templates",
        "templates_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Report templates directory (default: the bundled templates).",
    )(function)


def build_engine(
    rules_dir: Path | None, taxonomies_dir: Path | None, watchlists: tuple[Path, ...], backend: str
) -> Engine:
    engine = Engine.load(
        rules=rules_dir, taxonomies=taxonomies_dir, watchlists=list(watchlists), backend=backend
    )
    describe_engine(engine)
    return engine


def describe_engine(engine: Engine) -> None:
    """With --verbose: which rule pack, taxonomies and backend a command is using."""
    pack, taxonomies = engine.pack, engine.taxonomies
    detail(f"rule pack {pack.version} (sha256 {pack.digest[:12]})")
    detail(
        f"taxonomies {taxonomies.version} from {display_path(taxonomies.directory)} "
        f"(sha256 {taxonomies.digest[:12]})"
    )
    detail(f"backend {engine.backend.name}")


def as_date(value: Any) -> date:
    return value.date() if value is not None else date.today()
