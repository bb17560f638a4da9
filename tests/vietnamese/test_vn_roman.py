"""Roman numerals for congress ordinals."""

from __future__ import annotations

import pytest

from daihoi.vietnamese import RomanNumeralError, from_roman, to_roman


@pytest.mark.parametrize(
    ("n", "roman"),
    [
        (1, "I"),
        (4, "IV"),
        (9, "IX"),
        (13, "XIII"),
        (14, "XIV"),
        (17, "XVII"),
        (40, "XL"),
        (90, "XC"),
        (400, "CD"),
        (900, "CM"),
        (1994, "MCMXCIV"),
        (2020, "MMXX"),
        (3999, "MMMCMXCIX"),
    ],
)
def test_examples(n: int, roman: str) -> None:
    assert to_roman(n) == roman
    assert from_roman(roman) == n


def test_round_trip_1_to_3999() -> None:
    seen = set()
    for n in range(1, 4000):
        roman = to_roman(n)
        assert from_roman(roman) == n
        seen.add(roman)
    assert len(seen) == 3999


def test_tolerates_case_and_spaces() -> None:
    assert from_roman("xvii") == 17
    assert from_roman(" XVII ") == 17


@pytest.mark.parametrize(
    "text",
    [
        "IIII",
        "VX",
        "",
        " ",
        "ABC",
        "IC",
        "IL",
        "XM",
        "VV",
        "LL",
        "DD",
        "MMMM",
        "IIV",
        "XIIII",
        "CCCC",
        "IXI",
        "IVI",
        "XVII.",
        "X VII",
        "Ⅻ",
        "0",
    ],
)
def test_from_roman_refuses(text: str) -> None:
    with pytest.raises(RomanNumeralError) as info:
        from_roman(text)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == f"Số La Mã không hợp lệ: «{text}»"


@pytest.mark.parametrize("n", [0, -1, 4000, 10**6, True, 1.0, "17"])
def test_to_roman_refuses(n: object) -> None:
    with pytest.raises(RomanNumeralError):
        to_roman(n)  # type: ignore[arg-type]
