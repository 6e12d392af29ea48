"""CSV registers: dotted headers, one engagement per row, streamed.

Excel saves CSV as UTF-8 with a byte-order mark or as Windows-1252 depending on the choice in
its Save As dialog, so the encoding is decided by a constant-memory pre-scan of the file.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.models.register import SourceLocation
from riskscreen.registers.rows import ColumnMap, RegisterRow, is_blank

_CHUNK = 1 << 20


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' when the file is UTF-8 (BOM or not), else 'cp1252' (Excel's "CSV" on Windows)."""
    if _decodes(path, "utf-8"):
        return "utf-8-sig"
    if _decodes(path, "cp1252"):
        return "cp1252"
    raise InputError(Problem("file is neither UTF-8 nor Windows-1252 text", Location(display_path(path)),
                             suggestion="save it from your spreadsheet as 'CSV UTF-8'"))


def read_csv_register(path: Path, lazy: bool = False) -> Iterator[RegisterRow]:
    """Stream the rows; ``lazy`` rows turn their cells into fields when first read."""
    shown = display_path(path)
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as stream:
        reader = csv.reader(stream)
        row = 0
        try:
            header = next(reader, None)
            if header is None:
                return
            row = 1
            columns = ColumnMap(header, shown)
            if columns.problems:
                yield RegisterRow(None, SourceLocation(file=shown, line=1, row=1), columns.problems)
            end_line = reader.line_num
            for cells in reader:
                row += 1
                start_line, end_line = end_line + 1, reader.line_num
                if is_blank(cells):
                    continue
                yield columns.row(cells, row, start_line, lazy)
        except csv.Error as exc:
            raise InputError(Problem(f"invalid CSV: {exc}", Location(shown, row=row + 1))) from None
