"""Comment normalisation: cleaning, folding both ways, abbreviations, and its properties."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from daihoi.consultation.synthesis.normalise import clean, match_key, match_tokens
from daihoi.vietnamese import nfd

VIETNAMESE = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
TEXT = st.text(
    alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " .,!?:;-_'\"()0123456789😀❤"),
    max_size=60,
)


def test_clean_keeps_diacritics_and_drops_noise() -> None:
    text = "Hotline khó gọi quá!!! gọi mãi ko thưa 😡😡 xem https://vi.example.org/a?b=1 nhé"
    assert clean(text) == "hotline khó gọi quá gọi mãi không thưa xem nhé"


def test_match_key_folds_and_matches_text_typed_without_diacritics() -> None:
    assert match_key("Đồng ý với DỰ THẢO!") == "dong y voi du thao"
    assert match_key("dong y voi du thao") == match_key("Đồng ý với dự thảo")
    # NFD input (some phones send it) gives the same key as NFC.
    assert match_key(nfd("Đề nghị bổ sung")) == match_key("Đề nghị bổ sung") == "de nghi bo sung"


def test_informal_abbreviations_are_written_out() -> None:
    assert match_tokens("ko đc, k biết j") == ["khong", "duoc", "khong", "biet", "gi"]
    assert clean("tks ad") == "cảm ơn ad"
    # "k" after a number is a thousand, not "không"; ambiguous "kh" is left alone.
    assert clean("phí 50 k") == "phí 50 k"
    assert clean("kh khó lắm") == "kh khó lắm"


def test_elongated_letters_and_case() -> None:
    assert clean("HAYYYY quááá") == "hay quá"
    assert match_key("QUÁ TỆỆỆ") == "qua te"
    # Folding can make a new run ("áaa" -> "aaa"): the key is still a fixed point.
    assert match_key("quáaa") == "qua"


def test_only_noise_gives_an_empty_key() -> None:
    assert match_key("😀😀 !!! https://x.vn") == ""
    assert match_key("   ") == ""


@given(TEXT)
def test_clean_is_idempotent_and_nfc(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert unicodedata.is_normalized("NFC", once)


@given(st.text(max_size=40))
def test_any_unicode_cleans_to_a_fixed_point(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    key = match_key(text)
    assert match_key(key) == key
    assert unicodedata.is_normalized("NFC", key)


@given(TEXT)
def test_match_key_is_idempotent_and_ascii_for_vietnamese(text: str) -> None:
    key = match_key(text)
    assert match_key(key) == key
    assert key.isascii()


@given(TEXT)
def test_folding_both_ways(text: str) -> None:
    """With diacritics, without them, in NFD, upper case: one key."""
    key = match_key(text)
    bare = "".join(ch for ch in nfd(text) if unicodedata.category(ch) != "Mn")
    bare = bare.replace("đ", "d").replace("Đ", "D")
    assert match_key(bare) == key
    assert match_key(nfd(text)) == key
    assert match_key(text.upper()) == key
