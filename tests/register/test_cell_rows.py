"""Lazily converted spreadsheet rows: the same fields as eager conversion, in this process or
after crossing to a worker process (they pickle as their cells)."""

from __future__ import annotations

import pickle
from pathlib import Path

from riskscreen.registers import read_register
from riskscreen.registers.rows import CellRow
from tests.register.conftest import CLEAN, MEDIA, TELECOMS, engagement, write_csv


def test_lazy_rows_give_the_fields_eager_rows_give(tmp_path: Path) -> None:
    items = [CLEAN, TELECOMS, MEDIA, engagement("FORMULA-1", title="'=SUM(A1)", partner__name="  Köln  ")]
    path = write_csv(tmp_path / "register.csv", items)
    eager = [row.data for row in read_register(path)]
    lazy = [row.data for row in read_register(path, fast=True)]
    assert all(isinstance(data, CellRow) for data in lazy)
    assert [dict(data) for data in lazy if data is not None] == eager
    assert eager[3] is not None and eager[3]["title"] == "=SUM(A1)" and eager[3]["partner"]["name"] == "Köln"


def test_a_lazy_row_pickles_as_its_cells_and_converts_on_the_other_side(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "register.csv", [TELECOMS])
    [row] = list(read_register(path, fast=True))
    assert isinstance(row.data, CellRow)
    sent = pickle.dumps(row.data)
    assert row.data._data is None  # the parent never converted it
    received = pickle.loads(sent)
    assert received.materialise() == next(iter(read_register(path))).data
    assert received["sectors"] == ["telecommunications"] and len(received) == len(dict(received))
