"""Writing a register in exactly the formats the readers take: CSV (UTF-8, dotted headers, ``;``
lists) and XLSX (the same columns on the first sheet). What is written reads back as the same
engagements — the round trip is tested.

Text that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``) is written
so it stays text: in CSV behind an apostrophe, which Excel hides and the reader removes; in XLSX
as a string cell. Waivers are not columns (``riskscreen check`` takes them from ``--waivers``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from riskscreen.errors import InputError, Location, Problem
from riskscreen.models.engagement import Engagement
from riskscreen.registers.rows import COLUMN_KINDS, FORMULA_ESCAPE, FORMULA_STARTS, LIST_SEPARATOR

COLUMNS: tuple[str, ...] = tuple(COLUMN_KINDS)


def _value(data: dict[str, Any], column: str) -> Any:
    head, _, tail = column.partition(".")
    value = data.get(head)
    if tail:
        value = value.get(tail) if isinstance(value, dict) else None
    return value


def _cells(engagement: Engagement) -> list[Any]:
    """The engagement's row as typed values (None for empty), lists joined."""
    data = engagement.model_dump(mode="python", exclude={"waivers"})
    row: list[Any] = []
    for column in COLUMNS:
        value = _value(data, column)
        if isinstance(value, list):
            clash = [item for item in value if LIST_SEPARATOR in str(item)]
            if clash:
                raise InputError(Problem(f"a list item contains '{LIST_SEPARATOR}', which a spreadsheet "
                                         "register uses to separate items", Location(field=column),
                                         value=clash[0], suggestion=f"engagement {engagement.id}: "
                                         "export it as YAML instead"))
            value = LIST_SEPARATOR.join(str(item) for item in value) if value else None
        row.append(value)
    return row


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return FORMULA_ESCAPE + text if text.startswith(FORMULA_STARTS) else text


def write_csv(engagements: Iterable[Engagement], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for engagement in engagements:
        writer.writerow([_csv_text(v) for v in _cells(engagement)])
        count += 1
    return count


def write_xlsx(engagements: Iterable[Engagement], path: Path) -> int:
    """Stream the rows into a workbook (write-only mode keeps memory flat for large registers)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("register")
    sheet.append(list(COLUMNS))
    count = 0
    for engagement in engagements:
        row: list[Any] = []
        for value in _cells(engagement):
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
                row.append(cell)
            else:
                row.append(value)
        sheet.append(row)
        count += 1
    workbook.save(path)
    return count
