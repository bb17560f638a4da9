"""Read an uploaded spreadsheet (.xlsx, or CSV as Excel writes it) into a header and rows.

Row numbers are those the user sees in Excel (1-based). Formula cells give their cached value;
a formula without one (a file never opened in Excel) is reported, not read as blank.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from daihoi.core.services.errors import InvalidInput
from daihoi.vietnamese import fold, nfc

HEADER_SCAN_ROWS = 10  # a title such as "DANH SÁCH ĐẠI BIỂU" may sit above the header


@dataclass
class Table:
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cells), blank rows left out
    # Cells "=…" with no cached value: (row number, column index).
    formulas: set[tuple[int, int]] = field(default_factory=set)
    problems: list[tuple[int, str]] = field(default_factory=list)  # header problems


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = " ".join(nfc(value).split())
        return value or None
    return value


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _decode(data: bytes) -> str:
    """CSV bytes as Excel saves them: UTF-8 with or without BOM, UTF-16, or Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("Không đọc được bảng mã của tệp CSV; hãy lưu lại dưới dạng CSV UTF-8."),
            code="bad_encoding",
        ) from None


def _read_csv(data: bytes) -> list[tuple[int, list[Any]]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    for cells in reader:
        rows.append((start, [_clean(c) for c in cells]))
        start = reader.line_num + 1
    return rows


def _read_xlsx(stream: IO[bytes]) -> tuple[list[tuple[int, list[Any]]], set[tuple[int, int]]]:
    try:
        values = load_workbook(stream, read_only=True, data_only=True)
        stream.seek(0)
        formulas = load_workbook(stream, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise InvalidInput(_("Không mở được tệp Excel."), code="bad_xlsx") from None
    try:
        sheet, formula_sheet = values.worksheets[0], formulas.worksheets[0]
        rows: list[tuple[int, list[Any]]] = []
        missing: set[tuple[int, int]] = set()
        pairs = zip(
            sheet.iter_rows(values_only=True), formula_sheet.iter_rows(values_only=True),
            strict=False,
        )  # fmt: skip
        for number, (cells, raw) in enumerate(pairs, start=1):
            cells = [_clean(c) for c in cells]
            for col, cell in enumerate(raw):
                formula = isinstance(cell, str) and cell.startswith("=")
                if formula and col < len(cells) and cells[col] is None:
                    missing.add((number, col))
            rows.append((number, cells))
        return rows, missing
    finally:
        values.close()
        formulas.close()


def read_table(stream: IO[bytes], name: str, known: frozenset[str]) -> Table:
    """Read the first sheet; the header is the first of the top rows naming ≥ 2 `known`
    (folded) headers, else the first non-blank row."""
    stream.seek(0)
    if PurePath(name).suffix.lower() == ".xlsx":
        rows, formulas = _read_xlsx(stream)
    else:
        rows, formulas = _read_csv(stream.read()), set()
    rows = [(n, cells) for n, cells in rows if not _blank(cells)]
    if not rows:
        raise InvalidInput(_("Tệp không có dữ liệu."), code="empty_table")
    index = next(
        (
            i
            for i, (_n, cells) in enumerate(rows[:HEADER_SCAN_ROWS])
            if sum(1 for c in cells if c is not None and fold(str(c)) in known) >= 2
        ),
        0,
    )
    header_row, header_cells = rows[index]
    body = rows[index + 1 :]
    width = max(len(cells) for _n, cells in rows)
    headers = [str(c) if c is not None else "" for c in header_cells] + [""] * (
        width - len(header_cells)
    )
    table = Table(headers, header_row, body, formulas)
    seen: dict[str, int] = {}
    for col, header in enumerate(headers):
        letter = _column_letter(col)
        if not header:
            if any(col < len(cells) and cells[col] is not None for _n, cells in body):
                table.problems.append(
                    (header_row, _("Cột %(col)s có dữ liệu nhưng ô tiêu đề trống (ô bị gộp?).")
                     % {"col": letter})
                )  # fmt: skip
            continue
        key = fold(header)
        if key in seen:
            table.problems.append(
                (header_row, _("Tiêu đề «%(name)s» xuất hiện hai lần (cột %(a)s và %(b)s).")
                 % {"name": header, "a": _column_letter(seen[key]), "b": letter})
            )  # fmt: skip
        else:
            seen[key] = col
    return table


def _column_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col + 1)
