"""``riskscreen init``: start an engagement from a commented template, or by answering questions."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from riskscreen.authoring.fields import field_help
from riskscreen.authoring.schema import shipped_input_schema
from riskscreen.authoring.template import DEFAULT_PRESET, PRESETS, preset, render_template
from riskscreen.authoring.vocabularies import Term, vocabulary
from riskscreen.cli.console import note
from riskscreen.cli.options import output_option
from riskscreen.cli.output import emit
from riskscreen.cli.vocab_cmd import load, taxonomies_option
from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.taxonomy import Taxonomies


@click.command("init")
@click.option(
    "--type",
    "kind",
    type=click.Choice(sorted(PRESETS)),
    default=DEFAULT_PRESET,
    show_default=True,
    help="Kind of engagement the template starts from.",
)
@click.option("--interactive", "-i", is_flag=True, help="Ask the questions one by one instead.")
@click.option(
    "--schema",
    "schema_ref",
    default=None,
    help="JSON Schema path or URL for the editor modeline (default: the one riskscreen ships; "
    "with --taxonomies, make your own with 'riskscreen schema input').",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@output_option
@taxonomies_option
def init(
    kind: str,
    interactive: bool,
    schema_ref: str | None,
    force: bool,
    output: Path | None,
    taxonomies_dir: Path | None,
) -> None:
    """Write a commented engagement: every field, what it means and its allowed values.

    \b
    Examples:
      riskscreen init --type twinning -o twinning.yaml
      riskscreen init --type investment > deal.yaml
      riskscreen init --interactive -o mou.yaml
    """
    if output is not None and output.exists() and not force:
        raise InputError(
            Problem("file exists", Location(display_path(output)),
                    suggestion="choose another name, or add --force to replace it")
        )
    taxonomies = load(taxonomies_dir)
    if schema_ref is None and taxonomies_dir is None:
        schema_ref = shipped_input_schema().as_uri()
    values = _ask(taxonomies, preset(kind)) if interactive else preset(kind)
    emit(render_template(taxonomies, values, kind=kind, schema_ref=schema_ref), output)
    if output is not None:
        note(f"Wrote {display_path(output)}; check it with: riskscreen screen {display_path(output)}")


# -- interactive -------------------------------------------------------------------------


def _menu(terms: Sequence[Term]) -> None:
    width = len(str(len(terms)))
    for number, term in enumerate(terms, 1):
        click.echo(f"  {number:>{width}}) {term.id} — {term.label}", err=True)


def _pick(terms: Sequence[Term], name: str, many: bool, optional: bool,
          synonyms: Mapping[str, Sequence[str]]) -> Callable[[str], Any]:
    ids = [t.id for t in terms]

    def convert(text: str) -> Any:
        chosen: list[str] = []
        parts = [p.strip() for p in text.split(",")] if many else [text.strip()]
        for part in filter(None, parts):
            if part.isdigit() and 1 <= int(part) <= len(ids):
                chosen.append(ids[int(part) - 1])
            elif part in ids:
                chosen.append(part)
            else:
                raise click.UsageError(
                    f"{part!r} is not a number from 1 to {len(ids)} or an id of {name}; "
                    + did_you_mean(part, ids, name.replace("_", " "), synonyms=synonyms))
        if not chosen and not optional:
            raise click.UsageError("choose at least one" if many else "choose one")
        return list(dict.fromkeys(chosen)) if many else chosen[0]

    return convert


def _choose(taxonomies: Taxonomies, path: str, name: str, default: Any, many: bool = False,
            optional: bool = False) -> Any:
    terms = vocabulary(taxonomies, name).terms
    click.echo(f"\n{field_help(path)}", err=True)
    _menu(terms)
    hint = "numbers or ids, separated by commas" if many else "number or id"
    shown = ", ".join(default) if isinstance(default, list) else default
    if optional:
        shown = shown or ""
    answer = click.prompt(f"{path} ({hint})", default=shown if shown or optional else None,
                          show_default=bool(shown), err=True)
    if optional and not str(answer).strip():
        return [] if many else None
    synonyms = taxonomies.synonyms.for_vocabulary(name)
    return _pick(terms, name, many, optional, synonyms)(str(answer))


def _reask(question: Callable[[], Any]) -> Any:
    while True:
        try:
            return question()
        except click.UsageError as exc:
            click.echo(f"Error: {exc.message}", err=True)


def _text(path: str, default: str | None, required: bool) -> str | None:
    click.echo(f"\n{field_help(path)}", err=True)
    answer = click.prompt(path, default=default or ("" if not required else None),
                          show_default=bool(default), err=True)
    return str(answer).strip() or None


def _country(taxonomies: Taxonomies, default: str) -> str:
    click.echo(f"\n{field_help('partner.country')}", err=True)
    resolver = taxonomies.country_resolver
    while True:
        answer = str(click.prompt("partner.country", default=default, err=True)).strip()
        code = resolver.resolve(answer)
        if code is not None:
            return code
        close = resolver.suggestions(answer)
        click.echo("Error: unknown country" + (f"; did you mean {' or '.join(close)}?" if close
                                               else "; list them with: riskscreen vocab countries"),
                   err=True)


def _yes_no(path: str, default: bool | None) -> bool | None:
    click.echo(f"\n{field_help(path)}", err=True)
    shown = {True: "yes", False: "no", None: "skip"}[default]
    answer = click.prompt(path, type=click.Choice(["yes", "no", "skip"]), default=shown, err=True)
    return {"yes": True, "no": False, "skip": None}[answer]


def _number(path: str, default: float | None) -> float | None:
    click.echo(f"\n{field_help(path)}", err=True)
    while True:
        answer = str(click.prompt(path, default="" if default is None else str(default),
                                  show_default=default is not None, err=True)).strip()
        if not answer:
            return None
        try:
            value = float(answer.replace(",", "").replace("£", ""))
        except ValueError:
            click.echo("Error: write a number (e.g. 250000), or leave it empty", err=True)
            continue
        return int(value) if value.is_integer() else value


def _ask(taxonomies: Taxonomies, start: dict[str, Any]) -> dict[str, Any]:
    """Ask for each field in turn; the preset supplies defaults (Enter keeps them)."""
    click.echo("Answer each question; press Enter to keep the value in [brackets].", err=True)
    lead, partner = dict(start.get("lead", {})), dict(start.get("partner", {}))
    values: dict[str, Any] = {"id": _text("id", start.get("id"), True),
                              "title": _text("title", start.get("title"), False)}
    lead["name"] = _text("lead.name", lead.get("name"), True)
    lead["type"] = _reask(lambda: _choose(taxonomies, "lead.type", "lead_types", lead.get("type")))
    lead["approval"] = _reask(lambda: _choose(taxonomies, "lead.approval", "approval_levels",
                                              lead.get("approval"), optional=True))
    lead["due_diligence"] = _reask(lambda: _choose(
        taxonomies, "lead.due_diligence", "due_diligence", lead.get("due_diligence", []),
        many=True, optional=True))
    partner["name"] = _text("partner.name", partner.get("name"), True)
    partner["type"] = _reask(lambda: _choose(taxonomies, "partner.type", "partner_types",
                                             partner.get("type")))
    partner["country"] = _country(taxonomies, partner.get("country", ""))
    partner["state_linked"] = _yes_no("partner.state_linked", partner.get("state_linked"))
    partner["parent"] = _text("partner.parent", partner.get("parent"), False)
    values["lead"] = {k: v for k, v in lead.items() if v not in (None, [])}
    values["partner"] = {k: v for k, v in partner.items() if v is not None}
    values["agreement_type"] = _reask(lambda: _choose(
        taxonomies, "agreement_type", "agreement_types", start.get("agreement_type")))
    values["sectors"] = _reask(lambda: _choose(taxonomies, "sectors", "sectors",
                                               start.get("sectors", []), many=True))
    values["involves"] = _reask(lambda: _choose(taxonomies, "involves", "involves",
                                                start.get("involves", []), many=True,
                                                optional=True))
    values["value_gbp"] = _number("value_gbp", start.get("value_gbp"))
    values["term_years"] = _number("term_years", start.get("term_years"))
    for flag in ("binding", "published", "objectives_defined"):
        values[flag] = _yes_no(flag, start.get(flag))
    return {k: v for k, v in values.items() if v is not None}
