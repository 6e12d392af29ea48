"""Turning pydantic validation errors into located, one-line problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from riskscreen.errors import Location, Problem
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.yamlio import LineDict, LineList

ModelT = TypeVar("ModelT", bound=BaseModel)


def line_for(data: Any, loc: Sequence[str | int]) -> int | None:
    """The most precise line known for a location path inside line-tracked YAML data."""
    line: int | None = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str):
            line = node.line_of(part) or line
            node = node.get(part)
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part] if part < len(node.item_lines) else line
            node = node[part]
        else:
            break
    return line


def dotted(loc: Sequence[str | int]) -> str:
    """('partner', 'country') -> 'partner.country'; ('sectors', 2) -> 'sectors[2]'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


def _allowed_fields(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names valid at the parent of ``loc`` (for 'did you mean' on unknown fields)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        annotation = fields[part].annotation
        current = _model_in(annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return [info.alias or name for name, info in fields.items()]


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _short(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        text = repr(dict(value) if isinstance(value, dict) else list(value))
        return text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, str) and len(value) > 60:
        return value[:57] + "..."
    return value


def problems_from(
    exc: ValidationError,
    data: Any,
    model: type[BaseModel],
    file: str | None,
    *,
    row: int | None = None,
    prefix: Sequence[str | int] = (),
) -> list[Problem]:
    """One located problem per pydantic error, in a stable order."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(
            p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))
        )
        kind = error["type"]
        line = None if row is not None else line_for(data, loc)
        field = dotted([*prefix, *loc]) or None
        location = Location(file, line=line, row=row, field=field)
        ctx = error.get("ctx") or {}
        if kind == "extra_forbidden":
            allowed = _allowed_fields(model, loc)
            problems.append(
                Problem(
                    "unknown field",
                    location,
                    suggestion=did_you_mean(loc[-1], allowed, "valid fields"),
                )
            )
        elif kind in ("string_too_long", "too_long"):
            limit = ctx.get("max_length")
            size = len(error.get("input") or ())
            unit = "characters" if kind == "string_too_long" else "items"
            problems.append(
                Problem(
                    f"too long: {size:,} {unit} (limit {limit:,}; see docs/limits.md)",
                    location,
                )
            )
        elif kind == "missing":
            problems.append(Problem("required field is missing", location))
        elif kind in ("vocabulary", "located"):
            problems.append(
                Problem(
                    str(ctx.get("reason", error["msg"])),
                    location,
                    value=ctx.get("value", error.get("input")),
                    suggestion=ctx.get("suggestion"),
                )
            )
        else:
            message = error["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            value = error.get("input")
            problems.append(
                Problem(
                    message,
                    location,
                    value=_short(value) if not isinstance(value, (dict, LineDict)) else None,
                )
            )
    return problems
