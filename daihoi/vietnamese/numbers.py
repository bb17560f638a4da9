"""Numbers in Vietnamese notation: dot for thousands, comma for decimals (domain.md §8)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

__all__ = ["VietnameseNumberError", "format_number", "format_percent", "parse_number"]

Number = int | float | Decimal


class VietnameseNumberError(ValueError):
    """A text that is not an unambiguous number; the message is in Vietnamese."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"Số không hợp lệ: «{text}»")


def _to_decimal(value: Number) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("format_number không nhận giá trị đúng/sai (bool)")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # repr gives the shortest decimal that round-trips, i.e. what the user typed:
        # 2.675 stays 2.675 (not 2.67499999...). Floats carry no significant trailing zeros.
        result = Decimal(repr(value))
        if result.is_finite() and result == result.to_integral_value():
            result = result.to_integral_value()  # no precision limit, unlike quantize
    else:
        raise TypeError(f"Không định dạng được kiểu {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"Số không hữu hạn: {value!r}")
    return result


def _round_half_up(value: Decimal, decimals: int) -> Decimal:
    if decimals < 0:
        raise ValueError("Số chữ số thập phân phải không âm")
    # Enough precision that quantize never fails on large values.
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + decimals + 2)
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    """Insert a dot every three digits from the right: 1234567 -> 1.234.567."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def format_number(value: Number, decimals: int | None = None) -> str:
    """Format with a dot for thousands and a decimal comma: 1234.5 -> "1.234,5".

    ``decimals`` fixes the number of places, rounding half up (99.265 -> "99,27"). Without it,
    a Decimal keeps its own exponent (Decimal("1.50") -> "1,50").
    """
    number = _to_decimal(value)
    if decimals is not None:
        number = _round_half_up(number, decimals)
    text = format(number.copy_abs(), "f")  # abs() would round to the context precision
    integer, _, fraction = text.partition(".")
    sign = "-" if number.is_signed() and number != 0 else ""  # never print "-0"
    return sign + _group(integer) + ("," + fraction if fraction else "")


def _to_fraction(value: Number | Fraction) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(_to_decimal(value))


def format_percent(
    numerator: Number | Fraction, denominator: Number | Fraction, decimals: int = 2
) -> str:
    """Return numerator/denominator as a percentage, exact and rounded half up: 2/3 -> "66,67%"."""
    # Fractions keep the division exact; only the final rounding loses anything.
    num, den = _to_fraction(numerator), _to_fraction(denominator)
    if den == 0:
        raise ValueError("Không tính được tỷ lệ phần trăm khi mẫu số bằng 0")
    if decimals < 0:
        raise ValueError("Số chữ số thập phân phải không âm")
    scaled = num * 100 * 10**decimals / den
    # Half up means away from zero on a tie, as ROUND_HALF_UP does in decimal.
    rounded = int(abs(scaled) + Fraction(1, 2))
    if scaled < 0:
        rounded = -rounded
    return format_number(Decimal(rounded).scaleb(-decimals), decimals) + "%"


# Integer part: plain digits, or groups of three after a first group of 1-3 digits that does not
# start with 0, all groups separated by the same character (dot or a kind of space).
_NUMBER = re.compile(
    r"""
    (?P<sign>[-+\u2212]?)
    (?P<int>\d+|[1-9]\d{0,2}(?P<sep>[.\u0020\u00a0\u202f])\d{3}(?:(?P=sep)\d{3})*)
    (?:,(?P<frac>\d+))?
    """,
    re.ASCII | re.VERBOSE,
)


def parse_number(text: str) -> Decimal:
    """Parse "1.234,5", "1234,5", "1 234,5" or "1234" into a Decimal.

    An English-style "1,234.5" or a misplaced dot ("1.23") is refused, not guessed.
    """
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise VietnameseNumberError(text)
    sign = "-" if match["sign"] in {"-", "\u2212"} else ""
    integer = match["int"].replace(match["sep"], "") if match["sep"] else match["int"]
    fraction = match["frac"]
    return Decimal(sign + integer + ("." + fraction if fraction else ""))
