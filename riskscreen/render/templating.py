"""The jinja2 environments for the Markdown and HTML reports, and the filters they share.

HTML is autoescaped. Markdown has no autoescaping of its own, so the Markdown environment
escapes every ``{{ … }}`` through ``finalize``: user text cannot open a table cell, a heading,
a link or an HTML tag unless a filter marks it as :class:`MdSafe` on purpose. Templates from a
user's ``--templates`` directory run sandboxed and fall back to the bundled ones, so a DDU can
override one partial without copying the rest.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from riskscreen.errors import InputError, Location, Problem
from riskscreen.inputs.resources import bundled_dir

Kind = Literal["md", "html"]

_MD_PUNCTUATION = re.compile(r"([\\`*\[\]|~]|(?<!\w)_|_(?!\w))")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^( ?)(#{1,6}|[+=-]+|\d{1,9}[.)])(?=\s|$)")


class MdSafe(str):
    """Markdown a filter or the renderer built on purpose; the Markdown environment leaves it as is."""

    __slots__ = ()


def md_escape(value: Any) -> MdSafe:
    """Text that shows as itself in GitHub/GitLab Markdown, on one line, inside or outside a table."""
    if isinstance(value, MdSafe):
        return value
    text = re.sub(r"\s+", " ", _plain(value))  # a newline would end a table row or open a block
    text = _MD_ENTITY.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_PUNCTUATION.sub(r"\\\1", text)
    # At the start of a line these would open a heading, a list or a rule; escape the marker.
    text = _MD_LINE_START.sub(_escape_marker, text)
    return MdSafe(text)


def _escape_marker(match: re.Match[str]) -> str:
    space, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return f"{space}{marker[:-1]}\\{marker[-1]}"
    return f"{space}\\{marker}"


def md_code(value: Any) -> MdSafe:
    """An identifier as inline code; pipes stay escaped so the span is safe in a table cell."""
    text = re.sub(r"\s+", " ", _plain(value)).strip().replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MdSafe(f"{fence}{pad}{text}{pad}{fence}")


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def money(value: float | None) -> str:
    if value is None:
        return "not recorded"
    if value >= 1_000_000_000:
        return f"£{value / 1_000_000_000:,.1f}bn".replace(".0bn", "bn")
    if value >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m".replace(".0m", "m")
    return f"£{value:,.0f}"


def long_date(value: date | None) -> str:
    """``22 November 2026``: the form a committee paper uses (no locale, so output is stable)."""
    if value is None:
        return "not set"
    return f"{value.day} {value.strftime('%B')} {value.year}"


def years(value: float | None) -> str:
    if value is None:
        return "not recorded"
    shown = _plain(value)
    return f"{shown} year" if shown == "1" else f"{shown} years"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def thousands(count: int) -> str:
    """A count with thousands separators: 100,000."""
    return f"{count:,}"


def humanise(value: Any) -> str:
    """``before_negotiation`` → ``before negotiation``."""
    return _plain(value).replace("_", " ")


FILTERS: dict[str, Any] = {
    "money": money,
    "long_date": long_date,
    "years": years,
    "plural": plural,
    "thousands": thousands,
    "humanise": humanise,
    "plain": _plain,
    "md": md_escape,
    "code": md_code,
}


def _md_finalize(value: Any) -> str:
    return md_escape(value)


def _html_finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if isinstance(value, (bool, date, float)) or value is None:
        return _plain(value)
    return value


def environment(kind: Kind, templates_dir: Path | None = None) -> jinja2.Environment:
    """The environment for one output kind; user templates are sandboxed and override the bundled."""
    bundled = jinja2.FileSystemLoader(str(bundled_dir("reports")))
    loader: jinja2.BaseLoader = bundled
    env_class: type[jinja2.Environment] = jinja2.Environment
    if templates_dir is not None:
        if not templates_dir.is_dir():
            raise InputError(Problem(
                "templates directory not found", Location(str(templates_dir)),
                suggestion="pass a directory holding screening.md.j2, screening.html.j2 or partials to override",
            ))
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(templates_dir)), bundled])
        env_class = jinja2.sandbox.SandboxedEnvironment
    env = env_class(
        loader=loader,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2", "svg.j2"), disabled_extensions=("md.j2", "css"),
            default_for_string=kind == "html", default=kind == "html",
        ),
        finalize=_md_finalize if kind == "md" else _html_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def render(kind: Kind, template: str, templates_dir: Path | None, **context: Any) -> str:
    """Render one template; template mistakes become located input errors, not tracebacks."""
    env = environment(kind, templates_dir)
    try:
        text = env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(Problem(f"template error: {exc.message}", Location(exc.filename or exc.name or template,
                                                                            line=exc.lineno))) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(Problem(f"template not found: {exc.name}", Location(template))) from None
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as exc:
        raise InputError(Problem(f"template error: {exc}", Location(template))) from None
    # One trailing newline, no trailing spaces: stable diffs and clean golden files.
    lines: list[str] = []
    for line in (raw.rstrip() for raw in text.splitlines()):
        if kind == "md" and not line and (not lines or not lines[-1]):
            continue  # one blank line between Markdown blocks, whatever the template's layout
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


__all__ = ["FILTERS", "MdSafe", "environment", "md_code", "md_escape", "render"]
