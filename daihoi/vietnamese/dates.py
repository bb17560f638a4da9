"""Dates in Vietnamese documents: dd/mm/yyyy and the Party date line (Hướng dẫn 36-HD/VPTW)."""

from __future__ import annotations

import re
from datetime import date

from .text import collapse_whitespace, fold, nfc

__all__ = ["VietnameseDateError", "format_date", "format_date_line", "parse_date"]


class VietnameseDateError(ValueError):
    """A text that is not a valid date; the message is in Vietnamese, ready for the user."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"Ngày không hợp lệ: «{text}»")


# Patterns run on folded text (no diacritics, lower case), so "Ngày", "ngay" and NFD all match.
# Years must have four digits: "22/6/20" is refused rather than guessed.
_NUMERIC = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
# An optional place before a comma: "Hà Nội, ngày 03 tháng 02 năm 2018".
_LINE = re.compile(r"(?:.*,\s*)?ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})", re.ASCII)


def format_date(d: date) -> str:
    """Return ``dd/mm/yyyy``, zero-padded: 22/06/2020."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_date_line(d: date, place: str | None = None) -> str:
    """Return the document date line, e.g. "Hà Nội, ngày 03 tháng 02 năm 2018".

    Hướng dẫn 36-HD/VPTW pads days below 10 and the months 1 and 2 with a zero, so that nobody
    can add a digit in front of them; other months are written as is.
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    line = f"ngày {d.day:02d} tháng {month} năm {d.year:04d}"
    where = collapse_whitespace(nfc(place)) if place else ""
    return f"{where}, {line}" if where else line


def parse_date(text: str) -> date:
    """Parse a date typed or found in a document; raise VietnameseDateError otherwise.

    Accepts 22/6/2020, 22/06/2020, 22-6-2020, 22.6.2020, ISO 2020-06-22 and the date line with or
    without a leading place, with or without diacritics, in any case, NFC or NFD.
    """
    folded = fold(text)
    if match := _ISO.fullmatch(folded):
        year, month, day = match.groups()
    elif match := _NUMERIC.fullmatch(folded):
        day, _, month, year = match.groups()
    elif match := _LINE.fullmatch(folded):
        day, month, year = match.groups()
    else:
        raise VietnameseDateError(text)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:  # impossible dates such as 31/2/2020, and year 0000
        raise VietnameseDateError(text) from None
