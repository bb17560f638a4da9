"""The printable ballot: kinds, ballot order, page sizes, 100 names, NFC text, identical copies."""

from __future__ import annotations

import io
import re
from collections import Counter
from itertools import product

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, landscape

from daihoi.elections import BallotKind
from daihoi.elections.ballot_pdf import (
    BallotError,
    BallotSpec,
    ballot_order,
    choose_layout,
    render_ballots,
)
from daihoi.vietnamese import nfc, nfd

CONGRESS = "Đại hội đại biểu lần thứ XVII Đảng bộ thành phố Hà Nội, nhiệm kỳ 2020–2025"
BODY = "Ban Chấp hành Đảng bộ thành phố khóa XVII"
FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLES = ["Văn", "Thị", "Quốc", "Minh", "Thanh", "Đức", "Ngọc", "Hữu", "Xuân", "Thu"]
GIVENS = ["An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Phương", "Thắng", "Yến"]


def names(count: int) -> tuple[str, ...]:
    """`count` distinct Vietnamese names (at most 1,000), in ballot order."""
    combos = product(GIVENS, FAMILIES, MIDDLES)
    people = [f"{family} {middle} {given}" for given, family, middle in combos]
    return ballot_order(people[i * 7 % len(people)] for i in range(count))


def spec(count: int = 12, seats: int | None = None, kind: str = "strike", **kwargs) -> BallotSpec:
    if seats is None:
        seats = count - 1 if kind == "strike" else count
    return BallotSpec(CONGRESS, BODY, seats, kind, names(count), **kwargs)


def pages(data: bytes) -> list:
    return PdfReader(io.BytesIO(data)).pages


def lines(page) -> Counter:
    return Counter(line.strip() for line in page.extract_text().splitlines())


def size(page) -> tuple[float, float]:
    return (round(float(page.mediabox.width)), round(float(page.mediabox.height)))


def rounded(sheet: tuple[float, float]) -> tuple[int, int]:
    return (round(sheet[0]), round(sheet[1]))


# --- Ballot order ---------------------------------------------------------------------------


def test_ballot_order_given_name_then_family_then_middle() -> None:
    # Given names An, An, Ánh, Bình: "An" < "Ánh" (a prefix first), and between the two "An"
    # the family name decides, Lê < Nguyễn.
    given = ["Nguyễn Văn An", "Trần Thị Bình", "Lê An", "Phạm Ánh"]
    assert ballot_order(given) == ("Lê An", "Nguyễn Văn An", "Phạm Ánh", "Trần Thị Bình")


def test_ballot_order_tones_letters_and_middle_names() -> None:
    given = [
        "Trần Thị Ánh",
        "Đỗ Văn Bình",
        "Nguyễn Văn An",
        "Đặng Anh",
        "Nguyễn Thị An",
        "Dương Văn Bình",
    ]
    # An (Nguyễn: middle Thị < Văn) < Anh < Ánh (no tone < sắc) < Bình (family D < Đ).
    assert ballot_order(given) == (
        "Nguyễn Thị An",
        "Nguyễn Văn An",
        "Đặng Anh",
        "Trần Thị Ánh",
        "Dương Văn Bình",
        "Đỗ Văn Bình",
    )


def test_ballot_order_returns_nfc() -> None:
    assert ballot_order([nfd("Phạm Ánh"), nfd("Lê Thị Ánh")]) == ("Lê Thị Ánh", "Phạm Ánh")


# --- The three kinds ------------------------------------------------------------------------


def test_strike_ballot_content() -> None:
    ballot = BallotSpec(CONGRESS, BODY, 71, BallotKind.STRIKE, names(81))
    (page,) = pages(render_ballots(ballot))
    text = page.extract_text()
    for expected in (
        CONGRESS,
        "PHIẾU BẦU CỬ",
        BODY,
        "Bầu 71 đồng chí",
        "STT",
        "Họ và tên",
        "Dấu của cấp ủy triệu tập đại hội",
    ):
        assert expected in text
    flat = " ".join(text.split())
    assert "không đồng ý bầu đồng chí nào thì gạch ngang giữa cả chữ họ và tên" in flat
    assert "giữ nguyên họ và tên" in flat
    assert "Số người được giữ lại không quá 71 đồng chí" in flat
    assert "Không đồng ý" not in text  # no boxes on a strike ballot
    assert "Bầu lần thứ" not in text  # round 1 prints nothing


@pytest.mark.parametrize("kind, count", [("agree", 15), ("single", 1)])
def test_agree_and_single_ballots_have_two_boxes(kind: str, count: int) -> None:
    (page,) = pages(render_ballots(spec(count, kind=kind)))
    text = page.extract_text()
    assert all(head in text for head in ("STT", "Họ và tên", "Đồng ý", "Không"))
    assert f"Bầu {count} đồng chí" in text
    flat = " ".join(text.split())
    assert "đánh dấu X vào ô «Đồng ý»" in flat
    assert "đánh dấu X vào ô «Không đồng ý»" in flat
    assert all(lines(page)[name] == 1 for name in names(count))


def test_second_round_is_printed() -> None:
    (page,) = pages(render_ballots(spec(3, seats=1, round=2)))
    assert "Bầu lần thứ 2" in page.extract_text()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "strike", "seats": 12},  # no surplus: cannot be a strike ballot
        {"kind": "agree", "seats": 11},  # surplus: cannot be an agree ballot
        {"kind": "single", "seats": 1},  # 12 names
        {"kind": "vote", "seats": 11},
        {"kind": "strike", "seats": 0},
        {"kind": "strike", "seats": 11, "round": 0},
        {"kind": "strike", "seats": 11, "page_size": "Letter"},
    ],
)
def test_specs_that_cannot_be_printed(kwargs: dict) -> None:
    with pytest.raises(BallotError):
        spec(12, **kwargs)


def test_duplicate_or_blank_names_are_refused() -> None:
    with pytest.raises(BallotError):
        BallotSpec(CONGRESS, BODY, 1, "strike", ["Lê An", nfd("Lê  An ")])
    with pytest.raises(BallotError):
        BallotSpec(CONGRESS, BODY, 1, "strike", ["Lê An", " "])
    with pytest.raises(BallotError):
        render_ballots(spec(3), copies=0)


# --- Page sizes and columns -----------------------------------------------------------------


def test_short_list_on_a5_long_list_on_a4_in_two_columns() -> None:
    assert (choose_layout(spec(12)).page, choose_layout(spec(12)).columns) == ("A5", 1)
    assert (choose_layout(spec(24)).page, choose_layout(spec(24)).columns) == ("A4", 1)
    assert (choose_layout(spec(40)).page, choose_layout(spec(40)).columns) == ("A4", 2)
    assert size(pages(render_ballots(spec(12)))[0]) == rounded(A5)
    assert size(pages(render_ballots(spec(12, page_size="A4")))[0]) == rounded(A4)
    with pytest.raises(BallotError):
        render_ballots(spec(100, page_size="A5"))


def test_hundred_names_fit_on_a4_every_name_once_per_ballot() -> None:
    ballot = spec(100, seats=80)
    layout = choose_layout(ballot)
    assert (layout.page, layout.columns, layout.rows) == ("A4", 2, 50)
    assert layout.name_pt >= 8
    ballots = pages(render_ballots(ballot, copies=3))
    assert len(ballots) == 3
    for page in ballots:
        assert size(page) == rounded(A4)
        found = lines(page)
        assert all(found[name] == 1 for name in ballot.names)


def test_a_very_long_name_is_shrunk_not_cut() -> None:
    long_name = "Tôn Nữ Thị Hoàng Ngọc Phương Khánh Huyền"
    ballot = BallotSpec(CONGRESS, BODY, 40, "agree", (*names(39), long_name))
    (page,) = pages(render_ballots(ballot))
    assert lines(page)[long_name] == 1


def test_nfd_input_is_printed_nfc() -> None:
    given = [nfd(name) for name in names(5)]
    ballot = BallotSpec(nfd(CONGRESS), nfd(BODY), 4, "strike", given)
    assert ballot.names == names(5)
    text = pages(render_ballots(ballot))[0].extract_text()
    assert text == nfc(text)
    flat = " ".join(text.split())  # the congress wraps on A5
    assert CONGRESS in flat and BODY in flat
    assert all(lines(pages(render_ballots(ballot))[0])[nfc(name)] == 1 for name in given)


def test_fonts_are_embedded() -> None:
    page = pages(render_ballots(spec(12)))[0]
    form = page["/Resources"]["/XObject"]["/FormXob.ballot"].get_object()
    fonts = [font.get_object() for font in form["/Resources"]["/Font"].values()]
    used = {str(font["/BaseFont"]) for font in fonts}
    assert fonts and all("/FontFile2" in font["/FontDescriptor"] for font in fonts), used


# --- Secrecy: every copy is the same --------------------------------------------------------


def test_copies_are_identical() -> None:
    ballot = spec(30)
    data = render_ballots(ballot, copies=4)
    contents = {page.get_contents().get_data() for page in pages(data)}
    texts = {page.extract_text() for page in pages(data)}
    assert len(contents) == 1 and len(texts) == 1
    # The same spec always gives the same file: no date or random id that tells prints apart.
    assert render_ballots(ballot, copies=4) == data


def test_no_number_beyond_the_list_seats_round_and_term() -> None:
    ballot = spec(30, seats=25, round=2)
    for page in pages(render_ballots(ballot, copies=2)):
        numbers = Counter(re.findall(r"\d+", page.extract_text()))
        expected = Counter(str(n) for n in range(1, 31))
        expected.update(["25", "25", "2", "2020", "2025"])  # seats twice: heading and how-to
        assert numbers == expected
        assert "/Annots" not in page


def test_two_a5_ballots_per_a4_sheet() -> None:
    ballot = spec(12)
    sheets = pages(render_ballots(ballot, copies=3, two_up=True))
    assert [size(sheet) for sheet in sheets] == [rounded(landscape(A4))] * 2
    assert [lines(sheet)[ballot.names[0]] for sheet in sheets] == [2, 1]
    with pytest.raises(BallotError):
        render_ballots(spec(60), two_up=True)
