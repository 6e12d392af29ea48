"""Reading agreement registers (YAML, JSON, CSV, XLSX) one row at a time.

``read_register(path)`` streams :class:`RegisterRow` objects: the row as a nested mapping ready
for engagement validation, where it sits in the file, and any problems found while reading it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.registers.rows import RegisterRow

YAML_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def read_register(path: Path) -> Iterator[RegisterRow]:
    """Stream the rows of a register file, choosing the reader by file suffix."""
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        from riskscreen.registers.yaml_json import read_yaml_register

        return read_yaml_register(path)
    if suffix in CSV_SUFFIXES:
        from riskscreen.registers.csv_reader import read_csv_register

        return read_csv_register(path)
    if suffix in XLSX_SUFFIXES:
        from riskscreen.registers.xlsx_reader import read_xlsx_register

        return read_xlsx_register(path)
    known = ", ".join(YAML_SUFFIXES + CSV_SUFFIXES + XLSX_SUFFIXES)
    raise InputError(
        Problem("unsupported register format", Location(display_path(path)), value=path.suffix or path.name,
                suggestion=f"use one of {known}")
    )


__all__ = ["RegisterRow", "read_register"]
