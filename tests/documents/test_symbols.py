"""Số, ký hiệu: both forms, what people type, refusals with their messages (no database)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.documents.symbols import (
    DOCUMENT_TYPES,
    ISSUERS,
    PARTY,
    STATE,
    SymbolError,
    canonical_code,
    canonical_issuer,
    format_symbol,
    normalize_term,
    parse_symbol,
)

TYPE_CODES = [row[0] for row in DOCUMENT_TYPES]
ISSUER_CODES = [row[0] for row in ISSUERS]


@pytest.mark.parametrize(
    ("text", "number", "number_text", "type_code", "issuer"),
    [
        ("2682-TB/TU", 2682, "2682", "TB", "TU"),
        ("01-KH/TBTCPV", 1, "01", "KH", "TBTCPV"),
        ("164-KH/TU", 164, "164", "KH", "TU"),
        ("190-QĐ/TW", 190, "190", "QĐ", "TW"),
        ("36-HD/VPTW", 36, "36", "HD", "VPTW"),
        ("59-CV/TU", 59, "59", "CV", "TU"),
        ("04-HD/TW", 4, "04", "HD", "TW"),
    ],
)
def test_party_examples(text, number, number_text, type_code, issuer):
    parsed = parse_symbol(text)
    assert parsed.system == PARTY
    assert (parsed.number, parsed.number_text) == (number, number_text)
    assert (parsed.type_code, parsed.issuer_code, parsed.year) == (type_code, issuer, None)
    assert parsed.symbol == text


@pytest.mark.parametrize(
    ("text", "number", "year", "type_code", "issuer"),
    [
        ("42/2014/QĐ-TTg", 42, 2014, "QĐ", "TTg"),
        ("15/2020/NĐ-CP", 15, 2020, "NĐ", "CP"),
        ("1234/QĐ-UBND", 1234, None, "QĐ", "UBND"),
    ],
)
def test_state_examples(text, number, year, type_code, issuer):
    parsed = parse_symbol(text)
    assert parsed.system == STATE
    assert (parsed.number, parsed.year, parsed.type_code, parsed.issuer_code) == (
        number,
        year,
        type_code,
        issuer,
    )
    assert parsed.symbol == text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Số 2682-TB/TU", "2682-TB/TU"),
        ("số: 2682-TB/TU", "2682-TB/TU"),
        ("SỐ 2682-TB/TU", "2682-TB/TU"),
        ("So 2682-TB/TU", "2682-TB/TU"),
        ("Thông báo số 2682-TB/TU ngày 22/6/2020", "2682-TB/TU"),
        ("Kế hoạch số 01-KH/TBTCPV, ngày 19/8/2019", "01-KH/TBTCPV"),
        ("Kế hoạch số 164-KH/TU ngay 16/10/2019", "164-KH/TU"),
        ("  2682 - TB / TU ", "2682-TB/TU"),
        ("2682–TB/TU", "2682-TB/TU"),  # en dash from a word processor
        ("2682-tb/tu", "2682-TB/TU"),
        ("12-qđi/tw", "12-QĐi/TW"),  # canonical case from the type table
        ("12-QĐI/TW", "12-QĐi/TW"),
        ("5-ctr/tu", "5-CTr/TU"),
        ("7-TTR/BTCTU", "7-TTr/BTCTU"),
        ("190-QD/TW", "190-QĐ/TW"),  # typed without the stroke
        ("3-tb/đuk", "3-TB/ĐUK"),
        ("42 / 2014 / qđ - ttg", "42/2014/QĐ-TTg"),
        ("9/2021/qyđ-ubnd", "9/2021/QyĐ-UBND"),
        ("1/QĐ-ubnd-kgvx", "1/QĐ-UBND-KGVX"),
    ],
)
def test_what_people_type_is_normalised(typed, expected):
    assert parse_symbol(typed).symbol == expected


def test_nfd_input_gives_nfc():
    typed = unicodedata.normalize("NFD", "Số: 190-QĐi/ĐU")
    assert typed != unicodedata.normalize("NFC", typed)
    parsed = parse_symbol(typed)
    assert parsed.symbol == "190-QĐi/ĐU"
    assert unicodedata.is_normalized("NFC", parsed.symbol)


def test_type_codes_come_from_the_argument():
    assert parse_symbol("3-XY/TU", type_codes=["XY"]).type_code == "XY"
    with pytest.raises(SymbolError, match="Thể loại «TB» không có trong danh mục"):
        parse_symbol("3-TB/TU", type_codes=["XY"])


def test_same_document_key_ignores_case_and_leading_zeros():
    assert parse_symbol("01-KH/TBTCPV").key == parse_symbol("1-kh/tbtcpv").key
    assert parse_symbol("01-KH/TBTCPV").key != parse_symbol("01-KH/TU").key


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "empty", "Chưa nhập số, ký hiệu văn bản"),
        ("Số ", "empty", "Chưa nhập số, ký hiệu văn bản"),
        ("2682", "missing_type", "Thiếu ký hiệu thể loại"),
        ("2682/TU", "missing_type", "Thiếu ký hiệu thể loại"),
        ("2682-/TU", "missing_type", "Thiếu ký hiệu thể loại"),
        ("2682-TB", "missing_issuer", "Thiếu ký hiệu cơ quan ban hành"),
        ("2682-TB/", "missing_issuer", "Thiếu ký hiệu cơ quan ban hành"),
        ("-TB/TU", "missing_number", "Thiếu số văn bản"),
        ("0-TB/TU", "bad_number", "Số phải là số nguyên dương"),
        ("00-TB/TU", "bad_number", "Số phải là số nguyên dương"),
        ("ab-TB/TU", "bad_number", "Số phải là số nguyên dương (đang là «ab»)"),
        ("12345678-TB/TU", "bad_number", "quá lớn"),
        ("2682-XY/TU", "unknown_type", "Thể loại «XY» không có trong danh mục"),
        ("2682-T3/TU", "bad_type", "chỉ được gồm chữ cái"),
        ("2682-TB/T_U", "bad_issuer", "chỉ được gồm chữ cái và chữ số"),
        ("42/14/QĐ-TTg", "bad_year", "phải có 4 chữ số"),
        ("2682 TB/TU", "bad_format", "khoảng trắng"),
        ("1/2/3/QĐ-TTg", "bad_format", "không đúng mẫu"),
        ("1-TB/" + "X" * 60, "too_long", "dài quá 60"),
    ],
)
def test_refusals_say_what_is_wrong(text, code, message):
    with pytest.raises(SymbolError) as caught:
        parse_symbol(text)
    assert caught.value.code == code
    assert message in caught.value.message
    assert isinstance(caught.value, ValueError)


def test_code_tables_are_unambiguous_even_without_diacritics():
    for table in (TYPE_CODES, ISSUER_CODES):
        for code in table:
            assert canonical_code(code.lower(), table) == code
    assert canonical_code("QD", TYPE_CODES) == "QĐ"
    assert canonical_code("XX", TYPE_CODES) is None
    assert canonical_issuer("ttg") == "TTg"
    assert canonical_issuer("ubnd-kgvx") == "UBND-KGVX"


@pytest.mark.parametrize(
    ("typed", "term"),
    [("2015-2020", "2015–2020"), ("2015 – 2020", "2015–2020"), ("nhiệm kỳ 2020-2025", "2020–2025"),
     ("", "")],
)  # fmt: skip
def test_terms_are_normalised(typed, term):
    assert normalize_term(typed) == term


@pytest.mark.parametrize("typed", ["2020", "2020-2015", "năm nay"])
def test_bad_terms_are_refused(typed):
    with pytest.raises(SymbolError, match="Nhiệm kỳ"):
        normalize_term(typed)


# --- Generated symbols: parse(format(x)) gives x back, however it is typed ---

_LETTERS = "ABCDĐEGHIKLMNOPQRSTUVXY"


def _plain_acronym(code: str) -> bool:
    # "DU" would be read as the known "ĐU" (typed without the stroke); leave those out.
    return canonical_code(code, ISSUER_CODES) in (None, code)


_acronym = st.text(alphabet=_LETTERS, min_size=1, max_size=8).filter(_plain_acronym)
_party_issuer = st.sampled_from(ISSUER_CODES) | _acronym
_state_issuer = st.lists(st.sampled_from(ISSUER_CODES) | _acronym, min_size=1, max_size=3).map(
    "-".join
)
_number_text = st.integers(1, 99_999).flatmap(
    lambda n: st.sampled_from([str(n), f"{n:02d}", f"{n:04d}"])
)


@st.composite
def symbols(draw):
    system = draw(st.sampled_from([PARTY, STATE]))
    number_text = draw(_number_text)
    type_code = draw(st.sampled_from(TYPE_CODES))
    if system == PARTY:
        return system, number_text, type_code, draw(_party_issuer), None
    return (
        system,
        number_text,
        type_code,
        draw(_state_issuer),
        draw(st.none() | st.integers(1945, 2100)),
    )


@given(symbols())
def test_round_trip(parts):
    system, number_text, type_code, issuer, year = parts
    text = format_symbol(system, number_text, type_code, issuer, year)
    parsed = parse_symbol(text)
    assert (parsed.system, parsed.number_text, parsed.type_code) == (system, number_text, type_code)
    assert (parsed.issuer_code, parsed.year, parsed.symbol) == (issuer, year, text)
    assert parsed.number == int(number_text)


@given(
    symbols(),
    st.sampled_from(["", "Số ", "số: ", "SỐ:", "so "]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_round_trip_as_typed(parts, prefix, lower, spaced, decomposed):
    text = format_symbol(*parts)
    typed = text.lower() if lower else text
    if spaced:
        typed = typed.replace("-", " - ").replace("/", " / ")
    typed = prefix + typed
    if decomposed:
        typed = unicodedata.normalize("NFD", typed)
    assert parse_symbol(typed).symbol == text
