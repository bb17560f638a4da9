"""Reading ballots from CSV: encodings, header names in NFC, and errors with row and column."""

from __future__ import annotations

import pytest

from daihoi.elections import BLANK, BOTH, Ballot, BallotKind, InvalidReason
from daihoi.elections.ballot_csv import BallotFileError, read_ballot_file, read_ballots
from daihoi.vietnamese import nfd

HEADER = "Nguyễn Văn An,Trần Thị Bình,Lê Văn Cường\n"


def test_reads_marks_and_board_reasons() -> None:
    text = "invalid," + HEADER + ",1,0,1\nnot_issued,,,\nmarked,1,1,0\n , 0 ,1,0\n\n"
    ballots = read_ballots(text.encode(), BallotKind.STRIKE)
    assert ballots.candidates == ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")
    assert ballots.ballots == (
        Ballot((1, 0, 1)),
        Ballot((), InvalidReason.NOT_ISSUED),
        Ballot((1, 1, 0), InvalidReason.MARKED),
        Ballot((0, 1, 0)),
    )


def test_agree_cells_blank_and_both() -> None:
    ballots = read_ballots(HEADER + "1,,2\n,,\n", BallotKind.AGREE).ballots
    assert ballots == (Ballot((1, BLANK, BOTH)), Ballot((BLANK, BLANK, BLANK)))


def test_bom_semicolons_and_nfd_header(tmp_path) -> None:
    path = tmp_path / "phieu.csv"
    path.write_bytes(b"\xef\xbb\xbf" + nfd(HEADER.replace(",", ";") + "1;1;0\r\n").encode())
    ballots = read_ballot_file(path, BallotKind.STRIKE)
    assert ballots.candidates[2] == "Lê Văn Cường"
    assert ballots.ballots == (Ballot((1, 1, 0)),)


@pytest.mark.parametrize(
    ("text", "kind", "message", "row", "column"),
    [
        (HEADER + "1,0,x\n", "strike", "Dòng 2, cột 3 (Lê Văn Cường): ô «x» không hợp lệ", 2, 3),
        (HEADER + "1,,0\n", "strike", "Dòng 2, cột 2 (Trần Thị Bình): ô trống không hợp lệ", 2, 2),
        (HEADER + "1,0,1\n1,3,0\n", "agree", "Dòng 3, cột 2 (Trần Thị Bình): ô «3»", 3, 2),
        (HEADER + "1,0\n", "strike", "Dòng 2: có 2 ô, trong khi dòng tiêu đề có 3 cột", 2, None),
        ("invalid," + HEADER + "lost,1,0,0\n", "strike", "mã lý do «lost» không có", 2, 1),
        ("invalid," + HEADER + "too_many,1,1,1\n", "strike", "được tính từ các ô", 2, 1),
        ("A,B," + nfd("Hòa") + ",Hòa\n1,0,0,0\n", "strike", "«Hòa» trùng ở cột 3 và cột 4", 1, 4),
        ("A,,B\n1,0,0\n", "strike", "cột 2: thiếu tên ứng cử viên", 1, 2),
        ("", "strike", "Tệp rỗng", None, None),
        ("\ufeff \r\n", "strike", "Tệp rỗng", None, None),
        (HEADER, "strike", "không có lá phiếu nào", None, None),
        ("invalid\n\n", "strike", "không có tên ứng cử viên", 1, None),
    ],
)
def test_errors_name_the_row_and_column(text, kind, message, row, column) -> None:
    with pytest.raises(BallotFileError) as info:
        read_ballots(text.encode(), BallotKind(kind))
    assert message in info.value.message
    assert "\n" not in info.value.message
    assert (info.value.row, info.value.column) == (row, column)


def test_not_utf8_and_missing_file(tmp_path) -> None:
    with pytest.raises(BallotFileError, match="không phải văn bản UTF-8"):
        read_ballots(b"Tr\xe2n V\xe3n B\xecnh\n1\n", BallotKind.STRIKE)  # Windows-1258
    with pytest.raises(BallotFileError, match="Không có tệp"):
        read_ballot_file(tmp_path / "khong-co.csv", BallotKind.STRIKE)
    with pytest.raises(BallotFileError, match="là một thư mục"):
        read_ballot_file(tmp_path, BallotKind.STRIKE)
