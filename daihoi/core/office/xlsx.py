"""The one spreadsheet writer of the project: Excel workbooks and CSV files.

Every string that Excel could read as a formula (= + - @, tab, carriage return at the start) is
written as text, so an exported cell never runs (architecture.md §6, "exports neutralise
formulas"). In .xlsx the cell keeps its exact text, typed as a string with Excel's own
"quote prefix" flag (what Excel stores when a user types a leading apostrophe); in CSV, which has
no types, the cell gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "PERCENT_FORMAT",
    "Sheet",
    "csv_bytes",
    "is_formula_like",
    "new_workbook",
    "safe_sheet_title",
    "sanitize_csv_cell",
    "set_cell",
    "workbook_bytes",
    "write_sheet",
    "xlsx_bytes",
]

Value = str | int | float | Decimal | dt.date | dt.datetime | bool | None

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.00%"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XML 1.0 (and so openpyxl) refuses; tab, LF and CR are allowed.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE = 500


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could evaluate this text (OWASP "CSV injection")."""
    return text.startswith(FORMULA_PREFIXES)


def sanitize_csv_cell(value: Value) -> str:
    """The text of one CSV cell; a formula-like string gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool | int | float | Decimal):
        return str(value)  # a number is data, never a formula, even when negative
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([sanitize_csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([sanitize_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _local(moment: dt.datetime) -> dt.datetime:
    # Excel has no time zones: write the wall-clock time of the project's zone.
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def set_cell(cell: Cell, value: Value, number_format: str | None = None) -> None:
    """Write one value: dates as real Excel dates, formula-like strings as plain text."""
    if isinstance(value, dt.datetime):
        cell.value = _local(value)
        cell.number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = number_format or DATE_FORMAT
    elif isinstance(value, str):
        text = _ILLEGAL.sub("", value)
        cell.value = text
        if is_formula_like(text):
            cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
            cell.quotePrefix = True
    else:
        cell.value = value
        if number_format:
            cell.number_format = number_format


def stream_value(sheet, value: Value):
    """For a write-only (streaming) sheet: the value itself when it can go in as it is,
    otherwise a cell written by set_cell (dates with their format, formula-like or illegal
    text made safe). Lets a report append hundreds of thousands of rows in bounded memory."""
    if isinstance(value, dt.date) or (
        isinstance(value, str) and (is_formula_like(value) or _ILLEGAL.search(value))
    ):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet)
        set_cell(cell, value)
        return cell
    return value


def safe_sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: ≤ 31 characters, none of []:*?/\\, not taken (Excel ignores
    case when comparing names). The chosen name is added to `taken` (lower-cased)."""
    base = _SHEET_FORBIDDEN.sub(" ", _ILLEGAL.sub("", title)).strip().strip("'").strip()
    base = " ".join(base.split()) or "Sheet"
    if base.lower() == "history":  # reserved by Excel
        base = "History 1"
    candidate, n = base[:SHEET_TITLE_MAX].rstrip(), 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix
    taken.add(candidate.lower())
    return candidate


@dataclass
class Sheet:
    """One table: a header row and data rows; `formats` maps a column index to a number format;
    `notes` are lines written under the table (sources, definitions)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Value]]
    formats: Mapping[int, str] = field(default_factory=dict)
    notes: Sequence[str] = ()
    bold_rows: Sequence[int] = ()  # indexes into rows, e.g. a total row


def new_workbook() -> Workbook:
    """A streaming (write-only) workbook: rows go straight to the file, so a 10,000-task report
    stays within seconds and bounded memory. Sheets are added by name with write_sheet."""
    return Workbook(write_only=True)


def _width(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _plain(value: Value) -> bool:
    """Values the streaming writer can take as they are, without a styled cell."""
    if isinstance(value, str):
        return not value.startswith(FORMULA_PREFIXES) and not _ILLEGAL.search(value)
    return value is None or isinstance(value, bool | int | float | Decimal)


def write_sheet(workbook: Workbook, sheet: Sheet, taken: set[str] | None = None) -> Worksheet:
    """Add a sheet with a bold, frozen header row and column widths that fit the content."""
    taken = {ws.title.lower() for ws in workbook.worksheets} if taken is None else taken
    ws = workbook.create_sheet(safe_sheet_title(sheet.title, taken))
    rows = [list(row) for row in sheet.rows]  # twice: widths first, then the cells
    widths = [_width(h) for h in sheet.headers]
    # Widths from the first rows are enough (they are capped at MAX_WIDTH anyway).
    for row in rows[:WIDTH_SAMPLE]:
        for col, value in enumerate(row):
            if col < len(widths):
                widths[col] = max(widths[col], _width(value))
            else:
                widths.append(_width(value))
    # A streaming sheet takes its layout before its rows.
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(
            max(width + 2, MIN_WIDTH), MAX_WIDTH
        )
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_alignment = Alignment(wrap_text=True, vertical="center")

    def styled(value: Value, number_format: str | None = None, font: Font | None = None):
        cell = WriteOnlyCell(ws)
        set_cell(cell, value, number_format)
        if font is not None:
            cell.font = font
        return cell

    headers = [styled(h, font=bold) for h in sheet.headers]
    for cell in headers:
        cell.alignment = header_alignment
    ws.append(headers)
    bold_rows = set(sheet.bold_rows)
    formats = sheet.formats
    for index, row in enumerate(rows):
        font = bold if index in bold_rows else None
        ws.append(
            [
                value
                if font is None and col not in formats and _plain(value)
                else styled(value, formats.get(col), font)
                for col, value in enumerate(row)
            ]
        )
    if sheet.notes:
        ws.append([])
        for note in sheet.notes:
            ws.append([note if _plain(note) else styled(note)])
    return ws


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A whole workbook from its sheets, in order."""
    workbook = new_workbook()
    taken: set[str] = set()
    for sheet in sheets:
        write_sheet(workbook, sheet, taken)
    if not workbook.worksheets:
        write_sheet(workbook, Sheet("Sheet", [], []), taken)
    return workbook_bytes(workbook)
