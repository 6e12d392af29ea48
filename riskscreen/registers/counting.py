"""A quick estimate of a register's row count, for the progress bar's total and ETA."""

from __future__ import annotations

from pathlib import Path

_CHUNK = 1 << 20


def estimate_rows(path: Path) -> int | None:
    """CSV: lines less the header; XLSX: the sheet's stated rows; YAML/JSON: the ``id`` keys."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return max(0, _count(path, (b"\n",)) - 1)
        if suffix in (".yaml", ".yml"):
            return _count(path, (b"- id:",)) or None
        if suffix == ".json":
            return _count(path, (b'"id":',)) or None
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            sheet = load_workbook(path, read_only=True).worksheets[0]
            return max(0, (sheet.max_row or 1) - 1)
    except Exception:  # only an estimate: the reader reports what is wrong with the file
        return None
    return None


def _count(path: Path, needles: tuple[bytes, ...]) -> int:
    count = 0
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            count += sum(data.count(needle) for needle in needles)
            keep = max(len(n) for n in needles) - 1
            # a needle split across chunks is counted once: keep its start for the next round
            tail = data[-keep:] if keep else b""
            count -= sum(tail.count(needle) for needle in needles)
    return count + sum(tail.count(needle) for needle in needles)
