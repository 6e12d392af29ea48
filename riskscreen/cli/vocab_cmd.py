"""``riskscreen vocab [NAME]``: the vocabularies an engagement uses, with ids and meanings."""

from __future__ import annotations

import json
from pathlib import Path

import click

from riskscreen.authoring.vocabularies import VOCABULARIES, all_vocabularies, vocabulary
from riskscreen.cli.output import emit
from riskscreen.inputs.resources import bundled_dir
from riskscreen.inputs.taxonomy import Taxonomies, load_taxonomies


def taxonomies_option(function: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--taxonomies",
        "taxonomies_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Taxonomies directory (default: the bundled taxonomies).",
    )(function)


def load(taxonomies_dir: Path | None) -> Taxonomies:
    return load_taxonomies(taxonomies_dir or bundled_dir("taxonomies"))


@click.command("vocab")
@click.argument("name", required=False, metavar="[NAME]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@taxonomies_option
def vocab(name: str | None, fmt: str, taxonomies_dir: Path | None) -> None:
    """List the vocabularies, or one vocabulary's ids, labels and descriptions.

    \b
    Examples:
      riskscreen vocab
      riskscreen vocab sectors
      riskscreen vocab partner_types --format json
    """
    taxonomies = load(taxonomies_dir)
    if name is None:
        vocabularies = all_vocabularies(taxonomies)
        if fmt == "json":
            data = [{"name": v.name, "fields": list(v.fields), "summary": v.summary,
                     "count": len(v.terms)} for v in vocabularies]
            emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n", None)
            return
        width = max(len(n) for n in VOCABULARIES)
        lines = [f"{v.name:<{width}}  {len(v.terms):>3}  {', '.join(v.fields):<20}  {v.summary}"
                 for v in vocabularies]
        lines.append("")
        lines.append("Show one with: riskscreen vocab NAME")
        emit("\n".join(lines) + "\n", None)
        return
    chosen = vocabulary(taxonomies, name)
    if fmt == "json":
        one: dict[str, object] = {"name": chosen.name, "fields": list(chosen.fields), "summary": chosen.summary,
                "terms": [{"id": t.id, "label": t.label, "description": t.description}
                          for t in chosen.terms]}
        emit(json.dumps(one, indent=2, ensure_ascii=False) + "\n", None)
        return
    width = max(len(t.id) for t in chosen.terms)
    lines = [f"{chosen.summary} ({', '.join(chosen.fields)}):", ""]
    for term in chosen.terms:
        lines.append(f"{term.id:<{width}}  {term.label}")
        if term.description:
            lines.append(f"{'':<{width}}    {term.description}")
    emit("\n".join(lines) + "\n", None)
