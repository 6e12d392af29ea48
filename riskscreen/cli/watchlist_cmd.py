"""`riskscreen watchlist import|check`: build watchlists from official lists and try names."""

from __future__ import annotations

import json
from pathlib import Path

import click

from riskscreen.cli.console import note
from riskscreen.cli.output import emit
from riskscreen.errors import display_path
from riskscreen.inputs.limits import MAX_NAME_LENGTH
from riskscreen.inputs.resources import bundled_dir
from riskscreen.watchlist import WatchlistHit, load_watchlists
from riskscreen.watchlist.importers import FORMATS, import_file, to_yaml
from riskscreen.watchlist.normalise import normalise


def _default_taxonomies() -> Path:
    return bundled_dir("taxonomies")


@click.group(name="watchlist")
def watchlist() -> None:
    """Import official lists as watchlists and check names against them.

    \b
    Examples:
      riskscreen watchlist check "Huawei Technologies (UK) Co Ltd"
      riskscreen watchlist import entities.ftm.json --format opensanctions-ftm -o os.yaml
    """


@watchlist.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Layout of FILE.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the watchlist YAML here (default: standard output).",
)
@click.option(
    "--include-individuals", is_flag=True, help="Also import people (default: organisations only)."
)
@click.option(
    "--schema",
    "schemas",
    multiple=True,
    help="OpenSanctions schema to import (repeatable; overrides the default set).",
)
def import_cmd(
    file: Path, fmt: str, output: Path | None, include_individuals: bool, schemas: tuple[str, ...]
) -> None:
    """Convert an official list into watchlist YAML, sorted by id.

    \b
    Example:
      riskscreen watchlist import UK_Sanctions_List.csv --format uk-sanctions-csv -o uk.yaml
      riskscreen check register.csv --watchlist uk.yaml
    """
    entries = import_file(file, fmt, include_individuals=include_individuals, schemas=schemas)
    text = to_yaml(entries, f"Imported by `riskscreen watchlist import` from {file.name} ({fmt}).")
    if output is None:
        click.echo(text, nl=False)
        return
    emit(text, output)
    note(f"Wrote {len(entries)} entries to {display_path(output)}")


def _hit_json(hit: WatchlistHit) -> dict[str, object]:
    return {**hit.model_dump(mode="json"), "over_threshold": hit.score >= hit.threshold}


def _name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if len(value) > MAX_NAME_LENGTH:  # matching cost grows with length; no real name is this long
        raise click.BadParameter(
            f"too long: {len(value):,} characters (limit {MAX_NAME_LENGTH:,}; see docs/limits.md)"
        )
    return value


@watchlist.command(name="check")
@click.argument("name", callback=_name)
@click.option(
    "--watchlist",
    "watchlists",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Extra watchlist file (repeatable).",
)
@click.option(
    "--taxonomies",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Taxonomy directory (default: the bundled one).",
)
@click.option(
    "--limit",
    default=5,
    show_default=True,
    type=click.IntRange(1, 100),
    help="How many matches to show.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def check_cmd(
    name: str, watchlists: tuple[Path, ...], taxonomies: Path | None, limit: int, fmt: str
) -> None:
    """Show the closest watchlist entries for NAME, with scores and why.

    \b
    Example:
      riskscreen watchlist check "Huawei Technologies (UK) Co Ltd"
    """
    matcher = load_watchlists(taxonomies or _default_taxonomies(), watchlists)
    hits = matcher.best_matches(name, limit=limit)
    if fmt == "json":
        payload = {
            "name": name,
            "normalised": normalise(name).display,
            "threshold": matcher.threshold,
            "fingerprint": matcher.fingerprint(),
            "matches": [_hit_json(hit) for hit in hits],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"'{name}' normalised to '{normalise(name).display}'; threshold {matcher.threshold:g}"
    )
    if not hits:
        click.echo("No similar watchlist entries.")
        return
    for rank, hit in enumerate(hits, start=1):
        verdict = "MATCH" if hit.score >= hit.threshold else "no match"
        click.echo(f"{rank}. {hit.score:.4f} {verdict}: {hit.entry_name} [{hit.entry_id}]")
        click.echo(f"   matched name: {hit.matched_name} ('{hit.normalised_match}')")
        click.echo("   parts: " + ", ".join(f"{k} {v:.4f}" for k, v in hit.parts.items()))
        click.echo(f"   tags: {', '.join(hit.tags) or '-'}; country: {hit.country or '-'}")
        click.echo(f"   source: {hit.source}")
