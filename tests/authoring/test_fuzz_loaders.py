"""Fuzzing every loader through the CLI: whatever the bytes, riskscreen answers with exit code
0, 1 or 2 and never a traceback (YAML, JSON, CSV and XLSX; raw bytes and structured input)."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen.cli import main
from riskscreen.registers.rows import COLUMN_KINDS
from riskscreen.screening.engine import Engine

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORIGINAL_LOAD = Engine.load


@pytest.fixture(scope="module", autouse=True)
def _one_engine() -> Iterator[None]:
    """Build each engine once: the loaders are under test here, not engine loading."""

    @cache
    def load(rules: Any = None, taxonomies: Any = None, watchlists: Any = (), backend: Any = None) -> Engine:
        return ORIGINAL_LOAD(rules=rules, taxonomies=taxonomies, watchlists=list(watchlists), backend=backend)

    def cached(rules: Any = None, taxonomies: Any = None, watchlists: Any = (), backend: Any = None) -> Engine:
        return load(rules, taxonomies, tuple(watchlists), backend)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Engine, "load", staticmethod(cached))
        yield


def _run(suffix: str, content: bytes, command: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"input{suffix}"
        path.write_bytes(content)
        out = Path(directory) / "out.txt"
        result = CliRunner().invoke(main, ["--no-config", command, str(path), "-o", str(out),
                                           "--as-of", "2026-12-01", "--backend", "python"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.startswith("Error: ") or result.stderr.startswith("Usage: "), result.stderr


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["culture", "CN", "twinning", "local_authority", "2026-01-01", "01/02/2030"]))
keys = st.sampled_from(["id", "title", "lead", "partner", "name", "type", "country", "sectors", "involves",
                        "agreement_type", "engagements", "waivers", "review_date", "value_gbp", "x"])
nested = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=6)),
                      max_leaves=25)


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([".yaml", ".json", ".csv", ".xlsx"]))
def test_raw_bytes(content: bytes, suffix: str) -> None:
    _run(suffix, content, "check")
    if suffix in (".yaml", ".json"):
        _run(suffix, content, "screen")


@FUZZ
@given(nested, st.sampled_from([".yaml", ".json"]))
def test_structured_yaml_and_json(data: Any, suffix: str) -> None:
    if suffix == ".json":
        text = json.dumps(data, default=str)
    else:
        text = yaml.safe_dump(data, allow_unicode=True)
    _run(suffix, text.encode("utf-8"), "check")
    _run(suffix, text.encode("utf-8"), "screen")


cell_text = st.one_of(st.text(max_size=20), st.sampled_from(["culture; CN", "twinning", "FR", "1e309", ";;"]))


@FUZZ
@given(st.lists(st.sampled_from([*sorted(COLUMN_KINDS), "bogus", ""]), min_size=1, max_size=8),
       st.lists(st.lists(cell_text, max_size=9), max_size=5),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_csv_registers(header: list[str], rows: list[list[str]], encoding: str) -> None:
    lines = [",".join(header)] + [",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows]
    _run(".csv", "\n".join(lines).encode(encoding, errors="replace"), "check")


xlsx_cell = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                      st.booleans(), st.dates(min_value=date(1900, 3, 1)),
                      st.datetimes(min_value=datetime(1900, 3, 1)),
                      st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=20))


@FUZZ
@given(st.lists(st.sampled_from([*sorted(COLUMN_KINDS), "bogus", None]), min_size=1, max_size=8),
       st.lists(st.lists(xlsx_cell, max_size=9), max_size=5))
def test_xlsx_registers(header: list[str | None], rows: list[list[Any]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _run(".xlsx", buffer.getvalue(), "check")
