"""``riskscreen schema SUBJECT``: JSON Schemas of riskscreen's contracts."""

from __future__ import annotations

from pathlib import Path

import click

from riskscreen.authoring.schema import SUBJECTS, build_schema, schema_text
from riskscreen.cli.options import output_option
from riskscreen.cli.output import emit
from riskscreen.cli.vocab_cmd import load, taxonomies_option


@click.command("schema")
@click.argument("subject", type=click.Choice(sorted(SUBJECTS)))
@output_option
@taxonomies_option
def schema(subject: str, output: Path | None, taxonomies_dir: Path | None) -> None:
    """Print the JSON Schema of a contract; 'input' is one engagement, with the
    taxonomies' ids as allowed values (for editors and other tools); 'result' is
    `screen --format json`, 'register' is `check --format json` and 'register-line'
    one line of `check --format jsonl`.

    \b
    Examples:
      riskscreen schema input -o engagement.schema.json
      riskscreen schema register -o register.schema.json
      riskscreen schema input --taxonomies my-taxonomies/ -o my.schema.json
    """
    emit(schema_text(build_schema(subject, load(taxonomies_dir))), output)
