"""nfc and fold: normalisation and diacritic-free matching."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.vietnamese import collapse_whitespace, fold, nfc, nfd

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
MARKS = "\u0300\u0309\u0303\u0301\u0323\u0306\u0302\u031b"
vietnamese_text = st.text(alphabet=st.sampled_from(VIETNAMESE + MARKS + " \t\n"), max_size=30)
any_text = st.one_of(vietnamese_text, st.text(max_size=30))


def test_nfc_composes_decomposed_input() -> None:
    decomposed = "Nguye\u0302\u0303n"
    assert nfc(decomposed) == "Nguyễn"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))
    assert nfd("Nguyễn") == decomposed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tôi đồng ý", "toi dong y"),
        ("TÔI ĐỒNG Ý", "toi dong y"),
        ("  Tôi \t đồng\n ý  ", "toi dong y"),
        ("Đại hội đại biểu lần thứ XVII", "dai hoi dai bieu lan thu xvii"),
        ("Nguyễn Thị Thanh Hằng", "nguyen thi thanh hang"),
        ("Thông báo số 2682-TB/TU", "thong bao so 2682-tb/tu"),
        ("ưu tiên Ơn", "uu tien on"),
        ("", ""),
    ],
)
def test_fold_examples(text: str, expected: str) -> None:
    assert fold(text) == expected
    assert fold(nfd(text)) == expected


def test_fold_matches_unaccented_typing() -> None:
    assert fold("Toi dong y") == fold("Tôi đồng ý")
    assert fold("Ha Noi") == fold("Hà Nội")


def test_collapse_whitespace() -> None:
    assert collapse_whitespace("  a \u00a0 b\n\nc ") == "a b c"


@given(any_text)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(any_text)
def test_fold_ignores_normal_form(text: str) -> None:
    assert fold(nfd(text)) == fold(nfc(text)) == fold(text)


@given(vietnamese_text)
def test_fold_of_vietnamese_is_plain_ascii(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert "  " not in folded
    assert folded == folded.strip()
