"""The deadline grammar: dates, months, quarters, half-years, years, periodic and event words.

Patterns run on length-preserving folded text (see textutil.fold_keep), so a match's span gives
the words as written in the original.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from daihoi.tasks.status import month_end, quarter_end, year_end
from daihoi.vietnamese import RomanNumeralError, from_roman

DATE = "date"
MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
PERIODIC = "periodic"
EVENT = "event"
NONE = "none"


@dataclass(frozen=True)
class Deadline:
    kind: str = NONE
    date: dt.date | None = None
    text: str | None = None

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "text": self.text,
        }


_CUE = (
    r"(?:(?:hoan thanh|xong|trinh|nop|gui|bao cao)\s+)?(?:truoc|cham nhat(?:\s+(?:la|vao))?"
    r"|den(?:\s+het)?|trong|vao|han(?:\s+chot)?|hoan thanh|xong|het|cuoi)"
)
_D = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?"
_DL = r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*,?\s+nam\s+(\d{4}))?"
_ROMAN = r"(iv|iii|ii|i|[1-4])"

_PERIODIC_DAY = re.compile(
    rf"(?:{_CUE}\s+)?(?:ngay\s+)?\d{{1,2}}\s+(?:hang|hang)\s+(?:thang|quy|tuan|nam)"
)
_TIME = r"(?:\d{1,2}\s*(?:h|gio|:)\s*(?:\d{2})?(?:\s*phut)?\s*,?\s*)?"
_DATE = re.compile(rf"(?:{_CUE}\s+){_TIME}(?:(?:ngay)\s+)?(?:{_D}|{_DL})(?![\d/])")
_BARE_DATE = re.compile(rf"^\s*(?:ngay\s+)?(?:{_D}|{_DL})\s*$")
_MONTH = re.compile(rf"(?:{_CUE}\s+)?thang\s+(\d{{1,2}})(?:\s*[/-]\s*|\s+nam\s+)(\d{{4}})(?![\d/])")
_QUARTER = re.compile(rf"(?:{_CUE}\s+)?quy\s+{_ROMAN}(?:\s*[/-]\s*|\s+nam\s+)(\d{{4}})")
_QUARTER_NOYEAR = re.compile(rf"(?:{_CUE}\s+)quy\s+{_ROMAN}\b(?!\s*[/-]\s*\d)")
_HALF = re.compile(rf"(?:{_CUE}\s+)?(?:6|sau)\s+thang\s+(dau|cuoi)\s+nam(?:\s+(\d{{4}}))?")
_YEAR = re.compile(rf"(?:{_CUE})\s+nam\s+(\d{{4}})(?![\d/-])")
_PERIODIC = re.compile(
    r"(?:dinh ky(?:\s+hang\s+(?:thang|quy|tuan|nam))?|hang\s+(?:thang|quy|tuan|nam|ngay)"
    r"|thuong xuyen|thoi xuyen|lien tuc)\b"
)
_EVENT = re.compile(
    r"(?:truoc,\s*trong\s+va\s+sau|truoc\s+va\s+trong|trong\s+va\s+sau|truoc|trong|sau|ket thuc)"
    r"\s+(?:khi\s+)?(?:suot\s+)?(?:thoi gian\s+)?(?:dien ra\s+|dien\s+|to chuc\s+)?"
    r"(?:dai hoi|ky hop|hoi nghi)"
    r"(?:\s+(?:lan thu\s+)?[xvi]+\b|\s+dang bo(?:\s+cac cap|\s+thanh pho|\s+tinh)?|\s+dai bieu)*"
)
_DIGIT = re.compile(r"\d")
_SOON = re.compile(r"\bsom\b")


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _quarter(token: str) -> int:
    if token.isdigit():
        return int(token)
    try:
        return from_roman(token.upper())
    except RomanNumeralError:
        return 0


def _safe_date(year: int | None, month: int, day: int) -> dt.date | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_deadline(original: str, folded: str, year: int | None = None) -> Deadline:
    """The most specific deadline in a clause; ``year`` completes dates written without one."""

    def words(m: re.Match[str]) -> str:
        return original[m.start() : m.end()].strip()

    digits = _DIGIT.search(folded) is not None
    if digits and "hang" in folded and (m := _PERIODIC_DAY.search(folded)):
        return Deadline(PERIODIC, None, words(m))
    if digits and (found := _numeric(folded, words, year)):
        return found
    if "quy" in folded and (m := _QUARTER_NOYEAR.search(folded)):
        q = _quarter(m.group(1))
        if 1 <= q <= 4:
            return Deadline(QUARTER, quarter_end(year, q) if year else None, words(m))
    if "thang" in folded and (m := _HALF.search(folded)):
        yy = _int(m.group(2)) or year
        q = 2 if m.group(1) == "dau" else 4
        return Deadline(QUARTER, quarter_end(yy, q) if yy else None, words(m))
    return _wordy(folded, words)


def _numeric(folded: str, words, year: int | None) -> Deadline | None:
    """Dates, months, quarters and years written with numbers."""
    if (m := _DATE.search(folded)) or (m := _BARE_DATE.search(folded)):
        g = m.groups()
        day, month, yy = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
        when = _safe_date(_int(yy) or year, int(month), int(day))
        if when or not yy:
            return Deadline(DATE, when, words(m))
    if "thang" in folded and (m := _MONTH.search(folded)):
        month, yy = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            before = folded[m.start() : m.start() + 5] == "truoc"
            if before:
                prev = dt.date(yy, month, 1) - dt.timedelta(days=1)
                return Deadline(DATE, prev, words(m))
            return Deadline(MONTH, month_end(yy, month), words(m))
    if "quy" in folded and (m := _QUARTER.search(folded)):
        q = _quarter(m.group(1))
        if 1 <= q <= 4:
            return Deadline(QUARTER, quarter_end(int(m.group(2)), q), words(m))
    if "nam" in folded and (m := _YEAR.search(folded)):
        return Deadline(YEAR, year_end(int(m.group(1))), words(m))
    return None


def _wordy(folded: str, words) -> Deadline:
    """Deadlines without numbers: periodic, event-relative, "sớm"."""
    if m := _PERIODIC.search(folded):
        return Deadline(PERIODIC, None, words(m))
    if ("dai hoi" in folded or "ky hop" in folded or "hoi nghi" in folded) and (
        m := _EVENT.search(folded)
    ):
        return Deadline(EVENT, None, words(m))
    if "som" in folded and (m := _SOON.search(folded)):
        return Deadline(NONE, None, words(m))
    return Deadline()
