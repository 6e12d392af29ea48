"""Register-check fixtures: a small fixed rule pack and taxonomies, and register writers."""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from riskscreen import Engine
from riskscreen.cli import main
from riskscreen.cli.check import check, diff

DATA = Path(__file__).parent / "data"
RULES = DATA / "rules"
TAXONOMIES = DATA / "taxonomies"
AS_OF = "2026-11-22"

# The lead registers these in cli/__init__.py; adding them twice is harmless.
main.add_command(check)
main.add_command(diff)

BASE: dict[str, Any] = {
    "title": "Link",
    "lead": {"name": "Leeds City Council", "type": "local_authority"},
    "partner": {"name": "Dortmund City", "type": "city_government", "country": "DE"},
    "agreement_type": "friendship_agreement",
    "sectors": ["culture"],
    "review_date": "2030-01-01",
}


def engagement(id: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["id"] = id
    for key, value in changes.items():
        head, _, tail = key.partition("__")
        if tail:
            data[head][tail] = value
        else:
            data[key] = value
    return data


CLEAN = engagement("CLEAN-1")
TELECOMS = engagement("TEL-1", sectors=["telecommunications"])
MEDIA = engagement("MEDIA-1", involves=["media_profile"])


def write_yaml(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text(yaml.safe_dump({"engagements": items}, sort_keys=False), encoding="utf-8")
    return path


def write_json(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(items, indent="\t"), encoding="utf-8")
    return path


COLUMNS = ["id", "title", "lead.name", "lead.type", "partner.name", "partner.type", "partner.country",
           "agreement_type", "sectors", "involves", "review_date"]


def flat_row(item: dict[str, Any]) -> list[str]:
    cells = []
    for column in COLUMNS:
        head, _, tail = column.partition(".")
        value = item.get(head, {}).get(tail) if tail else item.get(head)
        cells.append(";".join(value) if isinstance(value, list) else "" if value is None else str(value))
    return cells


def write_csv(path: Path, items: list[dict[str, Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        writer.writerows(flat_row(item) for item in items)
    return path


@pytest.fixture(scope="session")
def test_engine() -> Iterator[Engine]:
    with Engine.load(rules=RULES, taxonomies=TAXONOMIES) as loaded:
        yield loaded


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Invoke:
    """Run a riskscreen command in-process with the test pack, a fixed date, from tmp_path."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str, engine: bool = True) -> Result:
        extra = ["--rules", str(RULES), "--taxonomies", str(TAXONOMIES), "--as-of", AS_OF] if engine else []
        return CliRunner().invoke(main, [*args, *extra], catch_exceptions=False)

    return run
