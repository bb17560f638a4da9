"""Vietnamese collation (domain.md §8): alphabet, tones, case, NFC/NFD."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.vietnamese import ALPHABET, collation_key, nfc, nfd

EXPECTED_ALPHABET = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # none huyền hỏi ngã sắc nặng
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]

LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwzAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYFJWZ09"
MARKS = "\u0300\u0309\u0303\u0301\u0323\u0306\u0302\u031b\u0308"
vietnamese_text = st.text(alphabet=st.sampled_from(LETTERS + MARKS + " -"), max_size=20)
any_text = st.one_of(vietnamese_text, st.text(max_size=20))


def ordered(words: list[str]) -> bool:
    keys = [collation_key(w) for w in words]
    return all(a < b for a, b in zip(keys, keys[1:], strict=False))


def test_alphabet_constant() -> None:
    assert list(ALPHABET) == EXPECTED_ALPHABET


@pytest.mark.parametrize("case", [str.lower, str.upper])
def test_alphabet_order_letter_by_letter(case: object) -> None:
    letters = [case(letter) for letter in EXPECTED_ALPHABET]  # type: ignore[operator]
    for before, after in zip(letters, letters[1:], strict=False):
        assert collation_key(before) < collation_key(after), (before, after)


def test_alphabet_order_ignores_case() -> None:
    # Level 1 comes first: "B" is after "a" and before "c" whatever the case.
    assert ordered(["a", "B", "c", "Đ", "e"])
    assert ordered(["An", "ăn", "Ăn", "ân"])


@pytest.mark.parametrize("vowel", VOWELS)
def test_tone_order_on_each_vowel(vowel: str) -> None:
    forms = [nfc(vowel + tone) for tone in TONES]
    assert len(set(forms)) == 6
    assert ordered(forms)
    assert ordered([form.upper() for form in forms])


def test_tone_order_on_a_syllable() -> None:
    assert ordered(["a", "à", "ả", "ã", "á", "ạ"])
    assert ordered(["ma", "mà", "mả", "mã", "má", "mạ"])
    assert ordered(["tuân", "tuần", "tuẩn", "tuẫn", "tuấn", "tuận"])


def test_base_letters_before_tones() -> None:
    assert ordered(["ba", "bà", "bác"])
    assert ordered(["bạ", "bac"])  # level 1 "ba" < "bac" beats the heavy tone
    assert ordered(["bà c", "ba d"])
    assert ordered(["an", "án", "anh"])


def test_tones_compared_left_to_right_over_the_string() -> None:
    assert ordered(["ca ba", "ca bà", "cà ba", "cà bà"])


def test_tone_position_in_the_syllable_does_not_matter_before_tiebreak() -> None:
    old, new = collation_key("hòa"), collation_key("hoà")
    assert old[:4] == new[:4]
    assert old != new  # still a total order: the NFC text breaks the tie
    assert collation_key("hoa") < old and old < collation_key("hoá")
    assert collation_key("hoa") < new and new < collation_key("hoá")


def test_d_stroke_is_its_own_letter_after_d() -> None:
    assert ordered(["Dũng", "Dương", "Dzũng", "Đa", "Đào", "Đinh", "E"])
    assert ordered(["dz", "đa"])
    assert ordered(["Hà Dũng", "Hà Đông"])


def test_modified_vowels_are_letters() -> None:
    assert ordered(["Sơn", "Sửu"])
    assert ordered(["Tuấn", "Tuyến"])
    assert ordered(["Hùng", "Hưng"])
    assert ordered(["Ngô", "Nguyễn"])
    assert ordered(["Hải", "Hằng"])


def test_case_is_the_last_tiebreak_lower_first() -> None:
    assert ordered(["an", "An", "AN"])
    assert ordered(["đào", "Đào"])
    assert ordered(["Ba", "bà"])  # the tone outranks the case


def test_digits_before_letters_and_space_before_everything() -> None:
    assert ordered(["", " ", "-", "0", "1", "9", "a", "z"])
    assert ordered(["An", "An Bình", "Anh"])
    assert ordered(["Tổ 1", "Tổ 2", "Tổ A"])


def test_whitespace_is_collapsed_for_comparison() -> None:
    assert collation_key(" Hà   Nội ")[:4] == collation_key("Hà Nội")[:4]


def test_non_vietnamese_letters_sort_deterministically() -> None:
    assert ordered(["o", "ö", "ô"])  # foreign accents are a minor difference
    assert ordered(["z", "α", "ж"])  # other scripts after Latin


@pytest.mark.parametrize("text", ["Nguyễn", "Đặng Thị Hường", "Phường Ô Chợ Dừa", "Ưng Hoàng Phúc"])
def test_nfd_input_gives_the_same_key(text: str) -> None:
    assert collation_key(nfd(text)) == collation_key(text)


@given(any_text, any_text)
def test_key_equality_is_nfc_equality(a: str, b: str) -> None:
    assert (collation_key(a) == collation_key(b)) == (nfc(a) == nfc(b))


@given(any_text)
def test_key_ignores_normal_form(text: str) -> None:
    assert collation_key(nfd(text)) == collation_key(nfc(text)) == collation_key(text)


@given(any_text, any_text)
def test_key_is_a_strict_total_order(a: str, b: str) -> None:
    ka, kb = collation_key(a), collation_key(b)
    assert [ka < kb, ka == kb, ka > kb].count(True) == 1


@given(any_text, any_text, any_text)
def test_key_is_transitive(a: str, b: str, c: str) -> None:
    ka, kb, kc = sorted([collation_key(a), collation_key(b), collation_key(c)])
    assert ka <= kb <= kc and ka <= kc


@given(st.lists(vietnamese_text, max_size=15))
def test_sorting_is_stable_under_nfc_and_nfd(words: list[str]) -> None:
    by_nfc = [nfc(w) for w in sorted((nfc(w) for w in words), key=collation_key)]
    by_nfd = [nfc(w) for w in sorted((nfd(w) for w in words), key=collation_key)]
    assert by_nfc == by_nfd
