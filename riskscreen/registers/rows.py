"""Spreadsheet rows -> engagement mappings: dotted headers, ``;`` lists and typed cells.

A CSV or XLSX register has one engagement per row and one field per column, named by its
dotted path (``partner.country``). List fields hold ``;``-separated ids. Cells are converted
only as far as the spreadsheet format loses information (numbers typed into text fields,
Excel dates); everything else is left to engagement validation so errors read the same for
every register format.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from riskscreen.errors import Location, Problem
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.models.engagement import Engagement, Lead, Partner
from riskscreen.models.register import SourceLocation

LIST_SEPARATOR = ";"
# A leading apostrophe keeps text that starts like a formula from being run by a spreadsheet;
# Excel hides it, and so does the reader (riskscreen's own CSV export writes it).
FORMULA_STARTS = ("=", "+", "-", "@")
FORMULA_ESCAPE = "'"
# Waivers are nested records, not cells; spreadsheet registers take them from --waivers.
_NOT_COLUMNS = frozenset({"waivers"})


@dataclass(frozen=True)
class RegisterRow:
    """One register entry: its data (None when unreadable), where it is, and reading problems."""

    data: Mapping[str, Any] | None
    location: SourceLocation
    problems: tuple[Problem, ...] = field(default=())


def _kind(annotation: Any) -> str:
    text = str(annotation)
    if text.startswith("list["):
        return "list"
    if annotation is str or text in ("str | None", "typing.Optional[str]"):
        return "str"
    if "date" in text:
        return "date"
    return "other"


def _column_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for name, info in Engagement.model_fields.items():
        if name in _NOT_COLUMNS:
            continue
        if info.annotation in (Lead, Partner):
            nested: Any = info.annotation
            for sub, sub_info in nested.model_fields.items():
                kinds[f"{name}.{sub}"] = _kind(sub_info.annotation)
        else:
            kinds[name] = _kind(info.annotation)
    return kinds


COLUMN_KINDS: dict[str, str] = _column_kinds()


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def convert_cell(kind: str, value: Any) -> Any:
    """A cell as the engagement model expects it; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if kind == "str":  # the common case first: CSV cells are all text
            return value[1:] if value[0] == FORMULA_ESCAPE and value[1:].startswith(FORMULA_STARTS) else value
    if kind == "list":
        parts = [part.strip() for part in _text(value).split(LIST_SEPARATOR)]
        return [part for part in parts if part]
    if kind == "str":
        text = _text(value)
        return text[1:] if text.startswith(FORMULA_ESCAPE) and text[1:].startswith(FORMULA_STARTS) else text
    if kind == "date" and isinstance(value, datetime):
        return value.date()
    return value


class ColumnMap:
    """The register's header row, checked once; turns each later row into a nested mapping."""

    def __init__(self, header: Sequence[Any], file: str, header_row: int = 1) -> None:
        self.file = file
        self.columns: list[tuple[int, str, str]] = []  # (index, dotted name, kind)
        self.unnamed: list[int] = []
        problems: list[Problem] = []
        seen: set[str] = set()
        for index, cell in enumerate(header):
            name = "" if cell is None else str(cell).strip()
            letter = _column_letter(index)
            if not name:
                self.unnamed.append(index)
                continue
            if name in seen:
                problems.append(Problem(f"column {letter} repeats a column name",
                                        Location(file, row=header_row, field=name)))
                continue
            seen.add(name)
            if name not in COLUMN_KINDS:
                problems.append(Problem(f"unknown column (spreadsheet column {letter})", Location(file, row=header_row, field=name),
                                        suggestion=did_you_mean(name, COLUMN_KINDS, "valid columns")))
                continue
            self.columns.append((index, name, COLUMN_KINDS[name]))
        if "id" not in seen:
            problems.append(Problem("the header row has no 'id' column", Location(file, row=header_row),
                                    suggestion="name the first row's columns with dotted field names, "
                                               "e.g. id, title, partner.name, partner.country"))
        self.problems = tuple(problems)
        # (index, head, tail, kind): dotted names split once, not once per row.
        self._plan = [(index, *_split(name), kind) for index, name, kind in self.columns]

    def row(self, cells: Sequence[Any], row: int, line: int | None = None, lazy: bool = False) -> RegisterRow:
        """The row at ``row``; ``lazy`` defers turning cells into fields to whoever reads them
        (a worker process, when the register is screened in parallel)."""
        data = CellRow(self, cells) if lazy else self.data(cells)
        problems = () if not self.unnamed else tuple(
            Problem("value in a column with no name", Location(self.file, row=row,
                    field=f"column {_column_letter(index)}"), value=cells[index],
                    suggestion="name the column in the header row or delete the value")
            for index in self.unnamed
            if index < len(cells) and convert_cell("other", cells[index]) is not None
        )
        return RegisterRow(data, SourceLocation.model_construct(file=self.file, line=line, row=row), problems)

    def data(self, cells: Sequence[Any]) -> dict[str, Any]:
        """One row's cells as the nested mapping the engagement model reads."""
        data: dict[str, Any] = {}
        count = len(cells)
        for index, head, tail, kind in self._plan:
            if index >= count:
                continue
            value = cells[index]
            if kind == "str" and value.__class__ is str:  # most cells: text for a text field
                value = value.strip()
                if not value:
                    continue
                if value[0] == FORMULA_ESCAPE and value[1:].startswith(FORMULA_STARTS):
                    value = value[1:]
            else:
                value = convert_cell(kind, value)
                if value is None:
                    continue
            if tail:
                nested = data.get(head)
                if nested is None:
                    nested = data[head] = {}
                nested[tail] = value
            else:
                data[head] = value
        return data


class LazyRow(Mapping[str, Any]):
    """A register row's fields, made from what was read (cells, item text) when first needed.

    It pickles as what was read, so the parent process that reads the register sends plain
    strings and the worker that screens the row does the converting. ``materialise`` raises
    InputError when the text turns out not to be an engagement; the pipeline then re-reads the
    register with the exact readers, which locate the problem.
    """

    __slots__ = ("_data",)

    def __init__(self) -> None:
        self._data: dict[str, Any] | None = None

    def materialise(self) -> dict[str, Any]:
        if self._data is None:
            self._data = self._convert()
        return self._data

    def _convert(self) -> dict[str, Any]:
        raise NotImplementedError

    def __getitem__(self, key: str) -> Any:
        return self.materialise()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.materialise())

    def __len__(self) -> int:
        return len(self.materialise())



class CellRow(LazyRow):
    """A spreadsheet row: its cells and the (shared) column map."""

    __slots__ = ("_cells", "_columns")

    def __init__(self, columns: ColumnMap, cells: Sequence[Any]) -> None:
        super().__init__()
        self._columns = columns
        self._cells = cells

    def _convert(self) -> dict[str, Any]:
        return self._columns.data(self._cells)

    def __reduce__(self) -> tuple[Any, ...]:
        return CellRow, (self._columns, self._cells)


def _split(name: str) -> tuple[str, str]:
    head, _, tail = name.partition(".")
    return head, tail


def is_blank(cells: Sequence[Any]) -> bool:
    return all(convert_cell("other", cell) is None for cell in cells)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
