"""Biên bản kiểm phiếu as data, DOCX and PDF; the ballots CSV recounted by `daihoi tally`."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput
from daihoi.delegates.models import Attendance, Session
from daihoi.elections.ballot_csv import read_ballots
from daihoi.elections.counting import tally
from daihoi.elections.models import ElectedBody
from daihoi.elections.rules import REASON_LABELS, BallotKind, InvalidReason
from daihoi.elections.services import setup
from daihoi.elections.services.counting import count_round, result_record, seal_round
from daihoi.elections.services.entry import enter_ballot
from daihoi.elections.services.export import ballots_csv
from daihoi.elections.services.minutes import (
    DRAFT_MARK,
    minutes_data,
    minutes_docx,
    minutes_pdf,
)
from daihoi.vietnamese import nfc
from tests.delegates.test_base import make
from tests.factories import make_user_with_role

pytestmark = pytest.mark.django_db
# These rounds hold many invalid ballots on purpose: the board has looked at them.
ACKNOWLEDGED = ["invalid_over_3_percent"]
ROOT = Path(__file__).resolve().parents[2]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]  # ballot order
TITLE = "Bầu Ban Chấp hành Đảng bộ thành phố khóa XVII"
SUMMARY = "Kiểm phiếu bầu Ban Chấp hành Đảng bộ thành phố khóa XVII"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Accounts are only created here, never signed in: a fast hasher keeps the tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def hall(congress, staff):
    """12 officials (base 12); one of them checked in on day one only, so 11 are present at
    the vote; three sit on the counting board, the head listed first in the minutes."""
    congress.venue = "Cung Văn hóa lao động hữu nghị Việt Xô"
    congress.save(update_fields=["venue"])
    start = timezone.now() - dt.timedelta(hours=3)
    day_one = Session.objects.create(
        congress=congress, name="Phiên trù bị", kind="preparatory", starts_at=start
    )
    vote = Session.objects.create(
        congress=congress, name="Phiên bầu cử", kind="official",
        starts_at=start + dt.timedelta(hours=1),
    )  # fmt: skip
    delegates = [make(congress, f"Đại biểu Số {i}") for i in range(12)]
    for i, d in enumerate(delegates):
        Attendance.objects.create(delegate=d, session=day_one, present_at=start)
        if i != 11:
            Attendance.objects.create(delegate=d, session=vote, present_at=start)
    election = setup.create_election(
        staff, congress, body=ElectedBody.EXECUTIVE_COMMITTEE, title=TITLE, seats=3,
        seats_decision="Đại hội biểu quyết 12/12 tán thành bầu 3 đồng chí",
    )  # fmt: skip
    for name in reversed(NAMES):
        setup.add_candidate(staff, election, name)
    board = []
    for i, delegate in enumerate(delegates[:3]):
        user = make_user_with_role(Role.DELEGATE)
        setup.appoint_counting_board_member(
            staff, congress, delegate, user, approval="12/12 tán thành", is_head=(i == 2)
        )
        board.append(user)
    return election, board


def type_both(round_, board, sheet, marks, reason=""):
    enter_ballot(board[0], round_, sheet, marks, board_reason=reason)
    enter_ballot(board[1], round_, sheet, marks, board_reason=reason)


@pytest.fixture
def counted(hall, staff):
    """Issued 12, collected 11: one too many, one all struck, one unstamped; 8 valid.
    An 8 (66,67%), Bình 8, Cường 7 (58,33%), Dung 1 (8,33%); 7 votes are needed."""
    election, board = hall
    round_ = setup.open_first_round(staff, election, ballots_issued=12)
    type_both(round_, board, 1, "1111")
    type_both(round_, board, 2, "0000")
    type_both(round_, board, 3, "", reason="not_issued")
    for sheet in range(4, 11):
        type_both(round_, board, sheet, "1110")
    type_both(round_, board, 11, "1101")
    count_round(board[0], round_, ACKNOWLEDGED)
    round_.refresh_from_db()
    return round_, board


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return nfc("\n".join(lines))


def pdf_text(data: bytes) -> str:
    return nfc("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_every_field_of_the_minutes(counted):
    round_, board = counted
    seal_round(board[2], round_)
    m = minutes_data(round_)
    assert m.congress_title.startswith("Đại hội đại biểu lần thứ XVII Đảng bộ thành phố Hà Nội")
    assert (m.term, m.body_label, m.summary) == ("2020–2025", "Ban Chấp hành", SUMMARY)
    assert (m.seats_voted, m.round_number, m.round_seats) == (3, 1, 3)
    assert m.seats_decision.startswith("Đại hội biểu quyết 12/12")
    assert m.candidates == tuple(NAMES)
    assert [b.is_head for b in m.board] == [True, False, False]
    assert m.board[0].name == "Đại biểu Số 2"
    assert (m.summoned, m.present, m.absent, m.base, m.threshold) == (12, 11, 1, 12, 7)
    assert m.attendance_session == "Phiên bầu cử"
    assert (m.issued, m.collected, m.valid, m.invalid_total) == (12, 11, 8, 3)
    assert [(i.code, i.count) for i in m.invalid] == [
        ("not_issued", 1), ("too_many", 1), ("all_struck", 1),
    ]  # fmt: skip
    assert m.invalid[0].label == REASON_LABELS[InvalidReason.NOT_ISSUED]
    assert [(v.votes, v.percent) for v in m.votes] == [
        (8, "66,67%"), (8, "66,67%"), (7, "58,33%"), (1, "8,33%"),
    ]  # fmt: skip
    assert [v.name for v in m.elected] == NAMES[:3]
    assert m.notes == () and m.next_round == ""
    assert len(m.seal) == 64 and m.sealed_at is not None and m.counted_at is not None
    assert not m.is_draft
    assert [(c.code, c.ok) for c in m.checks] == [
        ("collected_le_issued", True), ("valid_plus_invalid_eq_collected", True),
        ("votes_le_valid", True),
    ]  # fmt: skip


def _assert_content(text: str, seal: str) -> None:
    for needle in [
        "BAN KIỂM PHIẾU", "BIÊN BẢN", SUMMARY, "Ban Kiểm phiếu", "gồm các đồng chí",
        "Đại biểu Số 2 (Trưởng ban)", "Hồi ", " giờ ", " phút, ngày ",
        "Cung Văn hóa lao động hữu nghị Việt Xô", "Số lượng bầu Đại hội đã biểu quyết: 3",
        "Tổng số đại biểu được triệu tập: 12", "có mặt khi bỏ phiếu: 11", "vắng mặt: 1",
        "Cơ số tính kết quả bầu cử", "12 đồng chí", "Số phiếu phát ra: 12",
        "Số phiếu thu vào: 11", "Số phiếu hợp lệ: 8", "Số phiếu không hợp lệ: 3",
        "Tỷ lệ so với cơ số", "Số phiếu bầu", "66,67%", "58,33%", "8,33%",
        "Các đồng chí trúng cử", "KIỂM TRA SỐ LIỆU", "TRƯỞNG BAN",
        f"Mã niêm phong (SHA-256): {seal}",
    ]:  # fmt: skip
        assert needle in text, needle
    for reason in ("not_issued", "too_many", "all_struck"):
        assert REASON_LABELS[InvalidReason(reason)] in text
    assert text.count(": đạt.") == 3
    places = [text.index(name) for name in NAMES]
    assert places == sorted(places)  # the list in ballot order
    assert DRAFT_MARK not in text


def test_docx_and_pdf_carry_every_field(counted):
    round_, board = counted
    seal = seal_round(board[2], round_)
    docx = docx_text(minutes_docx(round_))
    _assert_content(docx, seal)
    assert "Ban Chấp hành" in docx
    pdf = pdf_text(minutes_pdf(round_))
    # A PDF line may break between words: compare with single spaces, no line breaks.
    _assert_content(" ".join(pdf.split()), seal)


def test_unsealed_round_is_a_draft(counted):
    round_, _board = counted
    m = minutes_data(round_)
    assert m.is_draft and m.seal == "" and m.sealed_at is None
    assert DRAFT_MARK in docx_text(minutes_docx(round_))
    assert DRAFT_MARK in " ".join(pdf_text(minutes_pdf(round_)).split())


def test_refused_before_counting(hall, staff):
    election, _board = hall
    round_ = setup.open_first_round(staff, election, ballots_issued=12)
    for build in (minutes_data, minutes_docx, minutes_pdf, ballots_csv):
        with pytest.raises(InvalidInput) as caught:
            build(round_)
        assert caught.value.code == "not_counted"
        assert "chưa kiểm phiếu" in caught.value.message


def test_unfilled_seat_note_and_proposal_elected_by_votes(hall, staff):
    election, board = hall
    round_ = setup.open_first_round(staff, election)  # ballots issued not recorded
    # An 6, Bình 9, Cường 5, Dung 10: 6 of 12 is not more than half; one seat unfilled.
    rows = ["1101"] * 5 + ["0111"] * 4 + ["1011"]
    for sheet, marks in enumerate(rows, start=1):
        type_both(round_, board, sheet, marks)
    count_round(board[0], round_, ACKNOWLEDGED)
    m = minutes_data(round_)
    assert [(v.name, v.votes) for v in m.elected] == [(NAMES[3], 10), (NAMES[1], 9)]
    assert m.notes and "Còn 1 đồng chí chưa bầu đủ" in m.notes[0]
    assert "bầu lần thứ 2" in m.next_round and NAMES[0] in m.next_round
    assert m.checks[0].ok is None and m.checks[0].verdict == "không kiểm tra được"
    text = docx_text(minutes_docx(round_))
    assert m.notes[0] in text and m.next_round in text and "Số phiếu phát ra: chưa ghi." in text
    assert text.index(NAMES[3] + " | 10") > text.index(NAMES[1] + " | 9")  # tables: list first


def test_tie_note_and_round_among_the_tied(hall, staff):
    election, board = hall
    round_ = setup.open_first_round(staff, election)
    for sheet in range(1, 15):  # An, Bình 14; Cường, Dung 7 each: 7 of 12 is more than half
        type_both(round_, board, sheet, "1110" if sheet % 2 else "1101")
    count_round(board[0], round_, ACKNOWLEDGED)
    m = minutes_data(round_)
    assert [v.name for v in m.elected] == NAMES[:2]
    assert "Lê Văn Cường, Phạm Thị Dung có số phiếu bầu bằng nhau (7 phiếu)" in m.notes[0]
    assert m.next_round.startswith("Đề nghị bầu lần thứ 2 để bầu 1 đồng chí")
    assert m.next_round in " ".join(pdf_text(minutes_pdf(round_)).split())


def test_csv_recount_gives_the_stored_result(counted, tmp_path):
    round_, board = counted
    seal_round(board[0], round_)
    round_.refresh_from_db()
    data = ballots_csv(round_)
    assert data.decode("utf-8").splitlines()[0] == "invalid," + ",".join(NAMES)
    ballot_file = read_ballots(data, BallotKind.STRIKE)
    assert ballot_file.candidates == tuple(NAMES) and len(ballot_file.ballots) == 11
    recount = tally(
        ballot_file.ballots, ballot_file.candidates, round_.seats, round_.base,
        BallotKind.STRIKE, issued=round_.ballots_issued, round_number=round_.number,
    )  # fmt: skip
    assert result_record(recount) == round_.result

    path = tmp_path / "phieu.csv"
    path.write_bytes(data)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    done = subprocess.run(
        [sys.executable, "-m", "daihoi", "tally", str(path), "--seats", str(round_.seats),
         "--base", str(round_.base), "--issued", str(round_.ballots_issued), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["elected"] == round_.result["elected"]
    assert [(c["name"], c["votes"]) for c in out["candidates"]] == [
        (c["name"], c["votes"]) for c in round_.result["candidates"]
    ]
    assert (out["valid"], out["invalid"]) == (round_.result["valid"], round_.result["invalid"])


def test_csv_keeps_blank_and_both_boxes_of_an_agree_ballot(congress, staff, hall):
    _election, board = hall
    election = setup.create_election(
        staff, congress, body=ElectedBody.SECRETARY, title="Bầu Bí thư", seats=1,
        ballot_kind=BallotKind.SINGLE,
    )  # fmt: skip
    setup.add_candidate(staff, election, "Hoàng Văn Em")
    round_ = setup.open_first_round(staff, election, ballots_issued=12)
    for sheet, marks in enumerate(["1"] * 8 + ["0", "-", "2"], start=1):
        type_both(round_, board, sheet, marks)
    type_both(round_, board, 12, "1", reason="marked")
    count_round(board[0], round_, ACKNOWLEDGED)
    round_.refresh_from_db()
    data = ballots_csv(round_)
    assert data.decode().splitlines()[-4:] == [",0", ",", ",2", "marked,1"]
    ballot_file = read_ballots(data, BallotKind.SINGLE)
    recount = tally(ballot_file.ballots, ballot_file.candidates, 1, round_.base,
                    BallotKind.SINGLE, issued=12)  # fmt: skip
    assert result_record(recount) == round_.result
