"""Vietnamese text, collation, dates, numbers and Roman numerals (plain Python, no Django).

Everything here follows domain.md §2 (date line of Party documents) and §8 (Vietnamese text).
"""

from __future__ import annotations

from .collation import (
    ALPHABET,
    TONE_MARKS,
    CollationKey,
    PersonSortKey,
    collation_key,
    person_sort_key,
    split_person_name,
)
from .dates import VietnameseDateError, format_date, format_date_line, parse_date
from .numbers import VietnameseNumberError, format_number, format_percent, parse_number
from .roman import RomanNumeralError, from_roman, to_roman
from .text import collapse_whitespace, fold, nfc, nfd

__all__ = [
    "ALPHABET",
    "TONE_MARKS",
    "CollationKey",
    "PersonSortKey",
    "RomanNumeralError",
    "VietnameseDateError",
    "VietnameseNumberError",
    "collapse_whitespace",
    "collation_key",
    "fold",
    "format_date",
    "format_date_line",
    "format_number",
    "format_percent",
    "from_roman",
    "nfc",
    "nfd",
    "parse_date",
    "parse_number",
    "person_sort_key",
    "split_person_name",
    "to_roman",
]
