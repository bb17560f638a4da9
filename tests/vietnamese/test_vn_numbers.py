"""Numbers: dot for thousands, decimal comma, exact percentages rounded half up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.vietnamese import VietnameseNumberError, format_number, format_percent, parse_number


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234.5, None, "1.234,5"),
        (1234567, None, "1.234.567"),
        (-1234.5, None, "-1.234,5"),
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (-1000000, None, "-1.000.000"),
        (1234.0, None, "1.234"),
        (1e20, None, "100.000.000.000.000.000.000"),
        (-0.0, None, "0"),
        (0.5, None, "0,5"),
        (Decimal("1234.50"), None, "1.234,50"),
        (Decimal("-0.001"), None, "-0,001"),
        (Decimal("1E+3"), None, "1.000"),
        (Decimal("12345678901234567890.123"), None, "12.345.678.901.234.567.890,123"),
        (99.265, 2, "99,27"),
        (Decimal("99.265"), 2, "99,27"),
        (Decimal("99.2649"), 2, "99,26"),
        (2.675, 2, "2,68"),  # the decimal the user wrote, not the binary float below it
        (Decimal("-2.5"), 0, "-3"),  # half up rounds away from zero
        (Decimal("2.5"), 0, "3"),
        (1234567, 2, "1.234.567,00"),
        (Decimal("-0.004"), 2, "0,00"),  # never "-0,00"
        (Decimal("12345678901234567890123456789.5"), 0, "12.345.678.901.234.567.890.123.456.790"),
    ],
)
def test_format_number(value: int | float | Decimal, decimals: int | None, text: str) -> None:
    assert format_number(value, decimals) == text


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")])
def test_format_number_refuses_non_finite(bad: float | Decimal) -> None:
    with pytest.raises(ValueError):
        format_number(bad)


def test_format_number_refuses_negative_decimals_and_bools() -> None:
    with pytest.raises(ValueError):
        format_number(1, -1)
    with pytest.raises(TypeError):
        format_number(True)


@pytest.mark.parametrize(
    ("num", "den", "decimals", "text"),
    [
        (2, 3, 2, "66,67%"),
        (1, 8, 2, "12,50%"),
        (1, 3, 2, "33,33%"),
        (1, 1, 2, "100,00%"),
        (0, 7, 2, "0,00%"),
        (496, 500, 2, "99,20%"),
        (9927, 10000, 2, "99,27%"),
        (1, 800, 2, "0,13%"),  # 0,125 exactly: half up
        (1, 8, 0, "13%"),  # 12,5 exactly: half up
        (1, 8, 1, "12,5%"),
        (-1, 8, 0, "-13%"),
        (1, 16, 3, "6,250%"),
        (1, 160, 2, "0,63%"),  # 0,625 exactly
        (30, 1, 2, "3.000,00%"),
        (Decimal("0.1"), Decimal("0.3"), 2, "33,33%"),
        (0.1, 0.8, 2, "12,50%"),  # floats read as the decimals they print as
        (Fraction(1, 3), 1, 4, "33,3333%"),
        (1, 200000, 3, "0,001%"),  # 0,0005 exactly
    ],
)
def test_format_percent(num: object, den: object, decimals: int, text: str) -> None:
    assert format_percent(num, den, decimals) == text  # type: ignore[arg-type]


def test_format_percent_default_two_places() -> None:
    assert format_percent(2, 3) == "66,67%"


def test_format_percent_zero_denominator() -> None:
    with pytest.raises(ValueError):
        format_percent(1, 0)
    with pytest.raises(ValueError):
        format_percent(0, Decimal("0.00"))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234,5", Decimal("1234.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("1234", Decimal("1234")),
        ("1.234", Decimal("1234")),  # a dot is always a thousands separator
        ("1.234.567", Decimal("1234567")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("-1.234,5", Decimal("-1234.5")),
        ("+12", Decimal("12")),
        ("\u22125", Decimal("-5")),
        ("0,5", Decimal("0.5")),
        ("0", Decimal("0")),
        ("007", Decimal("7")),
        ("  42 ", Decimal("42")),
        ("99,27", Decimal("99.27")),
    ],
)
def test_parse_number(text: str, value: Decimal) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "1,234.5",  # English notation
        "1234.5",  # a decimal point is ambiguous
        "1.23",
        "1.2345",
        "1.234.56",
        "1.234 567",  # mixed separators
        "1..234",
        "0.001",
        ".5",
        ",5",
        "5,",
        "1,2,3",
        "--1",
        "1-",
        "1e5",
        "12%",
        "١٢٣",  # non-ASCII digits
        "1 234.5",
    ],
)
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(VietnameseNumberError) as info:
        parse_number(text)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == f"Số không hợp lệ: «{text}»"


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trips(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**12), max_value=10**12
    ),
    st.integers(0, 4),
)
def test_fixed_places_round_trip(value: Decimal, decimals: int) -> None:
    text = format_number(value, decimals)
    parsed = parse_number(text)
    assert abs(parsed - value) <= Decimal(1).scaleb(-decimals) / 2
    assert len(text.partition(",")[2]) == decimals


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_round_trip_to_their_repr(value: float) -> None:
    assert parse_number(format_number(value)) == Decimal(repr(value))


@given(st.integers())
def test_integers_round_trip(value: int) -> None:
    text = format_number(value)
    assert parse_number(text) == value
    assert "," not in text


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_percent_matches_decimal_half_up(num: int, den: int) -> None:
    exact = Fraction(num * 100, den)
    text = format_percent(num, den)
    shown = parse_number(text.removesuffix("%"))
    assert abs(Fraction(shown) - exact) <= Fraction(1, 200)
    # Half up: a remainder of exactly half a unit always goes to the larger value.
    if (exact * 100) % 1 == Fraction(1, 2):
        assert Fraction(shown) > exact
