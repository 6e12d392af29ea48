"""The optional project configuration: ``riskscreen.toml`` or ``[tool.riskscreen]`` in
``pyproject.toml``, found in the working directory or the nearest parent that has one.

It sets defaults that CI and officers share (rules, taxonomies, watchlists, fail-on, waivers);
options on the command line still win. Paths are relative to the configuration file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.validation import problems_from
from riskscreen.models.base import StrictModel

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_FILE = "riskscreen.toml"
PYPROJECT = "pyproject.toml"


class ProjectConfig(StrictModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    rules: str | None = None
    taxonomies: str | None = None
    watchlists: list[str] = Field(default_factory=list)
    fail_on: Literal["advice", "alignment", "stop"] | None = Field(default=None, alias="fail-on")
    waivers: str | None = None


def _read(path: Path) -> dict[str, Any]:
    shown = display_path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Problem(f"invalid TOML: {exc}", Location(shown))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Problem(f"cannot read configuration: {exc}", Location(shown))) from None
    return data


def find_config(start: Path) -> Path | None:
    """The nearest riskscreen.toml, or pyproject.toml with [tool.riskscreen], from ``start`` up."""
    for directory in (start, *start.parents):
        # in the starting directory, name the file as the user would type it
        base = Path() if directory == start else directory
        if (directory / CONFIG_FILE).is_file():
            return base / CONFIG_FILE
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and "riskscreen" in _read(pyproject).get("tool", {}):
            return base / PYPROJECT
    return None


def load_config(path: Path) -> tuple[ProjectConfig, Path]:
    """The configuration in ``path`` and the directory its relative paths start from."""
    data = _read(path)
    section = data.get("tool", {}).get("riskscreen", {}) if path.name == PYPROJECT else data
    shown = display_path(path)
    prefix = ("tool", "riskscreen") if path.name == PYPROJECT else ()
    if not isinstance(section, dict):
        raise InputError(Problem("[tool.riskscreen] must be a table", Location(shown)))
    try:
        return ProjectConfig.model_validate(section), path.parent
    except ValidationError as exc:
        raise InputError(
            problems_from(exc, section, ProjectConfig, shown, prefix=prefix)
        ) from None
