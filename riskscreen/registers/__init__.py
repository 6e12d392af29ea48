"""Reading agreement registers (YAML, JSON, CSV, XLSX) one row at a time.

``read_register(path)`` streams :class:`RegisterRow` objects: the row as a nested mapping ready
for engagement validation, where it sits in the file, and any problems found while reading it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.limits import MAX_REGISTER_FILE_BYTES, MAX_REGISTER_ROWS
from riskscreen.registers.rows import RegisterRow

YAML_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def read_register(path: Path | str, fast: bool = False) -> Iterator[RegisterRow]:
    """Stream the rows of a register file, choosing the reader by file suffix.

    ``fast`` reads YAML with LibYAML and JSON with the standard library's C parser, keeping
    only each engagement's line, and leaves CSV cells to be converted by whoever reads the row;
    the default keeps the line of every field, for errors.
    """
    path = path if isinstance(path, Path) else Path(path)
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES + CSV_SUFFIXES + XLSX_SUFFIXES:
        _check_size(path)
    if fast and suffix == ".json":
        from riskscreen.registers.json_reader import read_json_register

        return _limited(read_json_register(path), path)
    if fast and suffix in YAML_SUFFIXES:
        from riskscreen.registers.yaml_blocks import fast_yaml_available, read_block_register

        if fast_yaml_available():
            return _limited(read_block_register(path), path)
    if suffix in YAML_SUFFIXES:
        from riskscreen.registers.yaml_json import read_yaml_register

        return _limited(read_yaml_register(path, fast=fast), path)
    if suffix in CSV_SUFFIXES:
        from riskscreen.registers.csv_reader import read_csv_register

        return _limited(read_csv_register(path, lazy=fast), path)
    if suffix in XLSX_SUFFIXES:
        from riskscreen.registers.xlsx_reader import read_xlsx_register

        return _limited(read_xlsx_register(path), path)
    known = ", ".join(YAML_SUFFIXES + CSV_SUFFIXES + XLSX_SUFFIXES)
    raise InputError(
        Problem("unsupported register format", Location(display_path(path)), value=path.suffix or path.name,
                suggestion=f"use one of {known}")
    )


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_REGISTER_FILE_BYTES:
        raise InputError(Problem(
            f"file is too large ({size:,} bytes; limit {MAX_REGISTER_FILE_BYTES:,}, see docs/limits.md)",
            Location(display_path(path)), suggestion="split the register into several files"))


def _limited(rows: Iterator[RegisterRow], path: Path) -> Iterator[RegisterRow]:
    """Stop at MAX_REGISTER_ROWS (docs/limits.md) with a located error, before screening more."""
    for count, row in enumerate(rows, 1):
        if count > MAX_REGISTER_ROWS:
            raise InputError(Problem(
                f"more than {MAX_REGISTER_ROWS:,} engagements (see docs/limits.md)",
                Location(display_path(path), line=row.location.line, row=row.location.row),
                suggestion="split the register into several files"))
        yield row


__all__ = ["RegisterRow", "read_register"]
