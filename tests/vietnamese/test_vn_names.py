"""Person names: splitting and ballot order (given, family, middle)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.vietnamese import nfc, nfd, person_sort_key, split_person_name

name_word = st.text(alphabet=st.sampled_from("aăâbdđeêhiklmnoôơtuưyÀẢÃÁẠàảãáạĐ"), min_size=1)

# Derived by hand: given name first, then family, then middle names, each in Vietnamese order.
EXPECTED_BALLOT_ORDER = [
    "Bùi Thị An",  # An: family Bùi < Nguyễn
    "Nguyễn Thị An",  # same given and family: middle Thị < Văn
    "Nguyễn Văn An",
    "Lê Anh",  # An < Anh (shorter prefix first)
    "Nguyễn Tuấn Anh",
    "Ánh",  # one word: no family name, first among the Ánh
    "Đào Thị Ánh",  # Anh < Ánh (no tone < sắc); family Đ < T
    "Trần Thị Ánh",
    "Lê Bình",
    "Nguyễn Đức Chung",
    "Đinh Tiến Dũng",
    "Phùng Thị Hồng Hà",  # Hà < Hạ (huyền < nặng)
    "Trần Văn Hạ",
    "Hoàng Trung Hải",  # "ha" < "hai"
    "Ngô Thị Thanh Hằng",  # a < ă
    "Vương Đình Huệ",  # h-u-ê < h-u-n
    "Nguyễn Văn Hùng",  # u < ư
    "Nguyễn Văn Hưng",
    "Ngô Văn Nam",  # family Ngô < Nguyễn (ô < u)
    "Nguyễn Văn Nam",
    "Nguyễn Văn Phong",
    "Lê Hồng Sơn",  # ơ < ư
    "Nguyễn Văn Sửu",
    "Lê Văn Thành",
    "Đào Đức Toàn",  # o < u
    "Dương Đức Tuấn",  # family D < Đ
    "Đỗ Anh Tuấn",
    "Nguyễn Ngọc Tuấn",
    "Nguyễn Thị Tuyến",  # â < y
]


def test_expected_order_holds_for_shuffled_input() -> None:
    rng = random.Random(20201011)
    for _ in range(50):
        names = EXPECTED_BALLOT_ORDER[:]
        rng.shuffle(names)
        assert sorted(names, key=person_sort_key) == EXPECTED_BALLOT_ORDER


def test_expected_order_holds_for_nfd_input() -> None:
    names = [nfd(name) for name in reversed(EXPECTED_BALLOT_ORDER)]
    assert [nfc(n) for n in sorted(names, key=person_sort_key)] == EXPECTED_BALLOT_ORDER


def test_extra_spaces_do_not_change_the_order() -> None:
    names = ["  Trần   Thị  Ánh ", "Đào Thị Ánh"]
    assert sorted(names, key=person_sort_key) == ["Đào Thị Ánh", "  Trần   Thị  Ánh "]


def test_full_string_breaks_ties() -> None:
    a, b = "Nguyễn Văn Hòa", "Nguyễn Văn Hoà"
    assert person_sort_key(a) != person_sort_key(b)
    assert person_sort_key(a)[:3] == person_sort_key(b)[:3]


def test_spelling_of_the_tone_position_falls_back_to_family_name() -> None:
    # "Hòa" and "Hoà" are one name spelt two ways: the family name decides, not the spelling.
    names = ["Trần Văn Hòa", "Lê Thị Hoà", "Nguyễn Hòa", "Bùi Văn Hoà"]
    expected = ["Bùi Văn Hoà", "Lê Thị Hoà", "Nguyễn Hòa", "Trần Văn Hòa"]
    assert sorted(names, key=person_sort_key) == expected


@given(
    st.lists(name_word, min_size=1, max_size=4).map(" ".join),
    st.lists(name_word, min_size=1, max_size=4).map(" ".join),
)
def test_person_key_equality_is_nfc_equality(a: str, b: str) -> None:
    assert (person_sort_key(a) == person_sort_key(b)) == (nfc(a) == nfc(b))


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("Ngô Thị Thanh Hằng", ("Ngô", "Thị Thanh", "Hằng")),
        ("Lê Bình", ("Lê", "", "Bình")),
        ("Ánh", ("", "", "Ánh")),
        ("  Vương   Đình\tHuệ ", ("Vương", "Đình", "Huệ")),
        (nfd("Đặng Thị Hường"), ("Đặng", "Thị", "Hường")),
        ("", ("", "", "")),
    ],
)
def test_split_person_name(name: str, parts: tuple[str, str, str]) -> None:
    assert split_person_name(name) == parts


@given(st.lists(name_word, min_size=1, max_size=5))
def test_split_then_join_gives_the_name_back(words: list[str]) -> None:
    family, middle, given_name = split_person_name(" ".join(words))
    assert " ".join(p for p in (family, middle, given_name) if p) == nfc(" ".join(words))
    assert given_name == nfc(words[-1])


@given(st.lists(st.lists(name_word, min_size=1, max_size=4).map(" ".join), max_size=12))
def test_ballot_order_is_stable_under_nfc_and_nfd(names: list[str]) -> None:
    by_nfc = [nfc(n) for n in sorted(map(nfc, names), key=person_sort_key)]
    by_nfd = [nfc(n) for n in sorted(map(nfd, names), key=person_sort_key)]
    assert by_nfc == by_nfd
