"""Reading one engagement from a YAML/JSON file or a mapping, with located errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.limits import MAX_ENGAGEMENT_FILE_BYTES
from riskscreen.inputs.taxonomy import Taxonomies
from riskscreen.inputs.validation import problems_from
from riskscreen.inputs.yamlio import load_yaml_file, parse_yaml
from riskscreen.models.engagement import Engagement


def validate_engagement(
    data: Any,
    taxonomies: Taxonomies,
    *,
    source: str | None = None,
    row: int | None = None,
    prefix: Sequence[str | int] = (),
) -> Engagement:
    """Validate one engagement mapping; every problem is reported with its location."""
    if not isinstance(data, Mapping):
        raise InputError(
            Problem(
                "an engagement must be a mapping of fields",
                Location(source, row=row, line=getattr(data, "line", None)),
                value=type(data).__name__,
            )
        )
    try:
        return Engagement.model_validate(data, context={"taxonomies": taxonomies})
    except ValidationError as exc:
        raise InputError(
            problems_from(exc, data, Engagement, source, row=row, prefix=prefix)
        ) from None


def load_engagement_file(path: Path | str, taxonomies: Taxonomies) -> Engagement:
    """Load a single-engagement YAML or JSON file."""
    path = path if isinstance(path, Path) else Path(path)
    data = load_yaml_file(path, max_bytes=MAX_ENGAGEMENT_FILE_BYTES)
    shown = display_path(path)
    if isinstance(data, list) or (isinstance(data, Mapping) and "engagements" in data):
        raise InputError(
            Problem(
                "this file holds a register of engagements",
                Location(shown),
                suggestion="use 'riskscreen check' for registers",
            )
        )
    return validate_engagement(data, taxonomies, source=shown)


def load_engagement_stdin(stream: TextIO, taxonomies: Taxonomies) -> Engagement:
    """One engagement (YAML or JSON) read from standard input (``riskscreen screen -``)."""
    source = "<stdin>"
    text = stream.read(MAX_ENGAGEMENT_FILE_BYTES + 1)
    if len(text) > MAX_ENGAGEMENT_FILE_BYTES:
        raise InputError(
            Problem(
                f"input is too large (limit {MAX_ENGAGEMENT_FILE_BYTES:,} characters; "
                "see docs/limits.md)",
                Location(source),
            )
        )
    data = parse_yaml(text, source)
    if data is None:
        raise InputError(Problem("no input on standard input", Location(source)))
    return validate_engagement(data, taxonomies, source=source)
