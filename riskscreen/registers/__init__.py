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


def read_register(path: Path, fast: bool = False) -> Iterator[RegisterRow]:
    """Stream the rows of a register file, choosing the reader by file suffix.

    ``fast`` reads YAML with LibYAML and JSON with the standard library's C parser, keeping
    only each engagement's line; the default keeps the line of every field, for errors.
    """
    suffix = path.suffix.lower()
    if fast and suffix == ".json":
        from riskscreen.registers.json_reader import read_json_register

        return read_json_register(path)
    if fast and suffix in YAML_SUFFIXES:
        from riskscreen.registers.yaml_blocks import fast_yaml_available, read_block_register

        if fast_yaml_available():
            return read_block_register(path)
    if suffix in YAML_SUFFIXES:
        from riskscreen.registers.yaml_json import read_yaml_register

        return read_yaml_register(path, fast=fast)
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
