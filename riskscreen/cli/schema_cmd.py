"""``riskscreen schema SUBJECT``: print the JSON Schema of an output, for tools that consume it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from riskscreen.cli.options import output_option
from riskscreen.cli.output import emit

SUBJECTS = {
    "result": "screen --format json: one screening",
    "register": "check --format json: a register, schema-versioned",
    "register-line": "check --format jsonl: one line",
}


@click.command()
@click.argument("subject", type=click.Choice(sorted(SUBJECTS)))
@output_option
def schema(subject: str, output: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of a riskscreen JSON output.

    \\b
    Subjects:
      result          screen --format json: one screening
      register        check --format json: a register, schema-versioned
      register-line   check --format jsonl: one line

    \\b
    Examples:
      riskscreen schema register -o register.schema.json
    """
    from riskscreen.render.schemas import SCHEMAS

    emit(json.dumps(SCHEMAS[subject](), indent=2, ensure_ascii=False) + "\n", output)


__all__ = ["schema"]
