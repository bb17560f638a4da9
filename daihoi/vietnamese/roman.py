"""Roman numerals for congress ordinals ("Đại hội lần thứ XVII")."""

from __future__ import annotations

__all__ = ["RomanNumeralError", "from_roman", "to_roman"]

_MIN, _MAX = 1, 3999
_VALUES: tuple[tuple[int, str], ...] = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_SYMBOLS: dict[str, int] = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


class RomanNumeralError(ValueError):
    """Not a canonical Roman numeral in 1..3999; the message is in Vietnamese."""

    def __init__(self, value: object) -> None:
        self.value = value
        super().__init__(f"Số La Mã không hợp lệ: «{value}»")


def to_roman(n: int) -> str:
    """Return the canonical Roman numeral of ``n`` (1..3999): 17 -> "XVII"."""
    if isinstance(n, bool) or not isinstance(n, int) or not _MIN <= n <= _MAX:
        raise RomanNumeralError(n)
    parts: list[str] = []
    for value, symbol in _VALUES:
        count, n = divmod(n, value)
        parts.append(symbol * count)
    return "".join(parts)


def from_roman(s: str) -> int:
    """Parse a canonical Roman numeral; "IIII", "VX" or "IC" are refused, not guessed.

    Surrounding spaces and lower case are tolerated ("xvii"); the form itself must be canonical.
    """
    text = s.strip().upper()
    if not text or any(ch not in _SYMBOLS for ch in text):
        raise RomanNumeralError(s)
    # Read additively with the subtractive rule, then insist on the canonical spelling:
    # this refuses every non-standard form without a long list of special cases.
    total = 0
    for i, ch in enumerate(text):
        value = _SYMBOLS[ch]
        following = _SYMBOLS[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    if not _MIN <= total <= _MAX or to_roman(total) != text:
        raise RomanNumeralError(s)
    return total
