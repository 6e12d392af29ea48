"""XLSX registers: the first sheet, same dotted headers as CSV, streamed in read-only mode."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.models.register import SourceLocation
from riskscreen.registers.rows import ColumnMap, RegisterRow, is_blank


def read_xlsx_register(path: Path) -> Iterator[RegisterRow]:
    from openpyxl import load_workbook  # only XLSX users pay for importing openpyxl

    shown = display_path(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(Problem(f"cannot open as an XLSX workbook: {exc}", Location(shown))) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(min_row=1, values_only=True)
        header = next(rows, None)
        if header is None:
            return
        columns = ColumnMap(header, shown)
        if columns.problems:
            yield RegisterRow(None, SourceLocation(file=shown, row=1), columns.problems)
        for number, cells in enumerate(rows, start=2):
            if is_blank(cells):
                continue
            yield columns.row(cells, number)
    finally:
        workbook.close()
