"""Election screens: who may do what, the set-up flow by POST, blind double entry, differences
retyped, count, seal and downloads (domain.md §6)."""

from __future__ import annotations

import importlib.util

import pytest
from django.urls import reverse
from django.utils import timezone

from daihoi.core.models import Role
from daihoi.delegates.models import Attendance, Session
from daihoi.elections.models import BallotEntry, ElectedBody, Election, ElectionRound, RoundStatus
from daihoi.elections.services import setup
from daihoi.elections.services.entry import enter_ballot
from tests.delegates.test_base import make
from tests.elections.conftest import NAMES, election_hall
from tests.factories import CongressFactory, UnitFactory, make_user_with_role, sign_in

pytestmark = pytest.mark.django_db
LIST = reverse("elections:list")


@pytest.fixture
def hall(congress, staff):
    """10 official delegates present (base 10), two of them on the counting board, and an
    election of 3 from 4 names (strike ballot)."""
    hall = election_hall(congress, staff, board_size=2)
    return hall.election, hall.board, hall.delegates


@pytest.fixture
def round1(hall, staff):
    election, board, _delegates = hall
    return setup.open_first_round(staff, election, ballots_issued=10), board


def entry_url(round_) -> str:
    return reverse("elections:entry", args=[round_.pk])


def round_url(round_) -> str:
    return reverse("elections:round", args=[round_.pk])


def type_sheet(client, round_, sheet, struck="", **extra):
    data = {"sheet": sheet, "struck": struck, "board_reason": "", "note": "", **extra}
    return client.post(entry_url(round_), data)


# --- Permissions -----------------------------------------------------------------------------


def test_liaison_and_delegate_get_403(client, round1, unit):
    round_, _board = round1
    for user in (
        make_user_with_role(Role.UNIT_LIAISON, unit=unit),
        make_user_with_role(Role.DELEGATE),
    ):
        sign_in(client, user)
        assert client.get(LIST).status_code == 403
        assert client.get(reverse("elections:detail", args=[round_.election_id])).status_code == 403
        assert client.get(round_url(round_)).status_code == 403
        assert client.get(entry_url(round_)).status_code == 403
        assert "Bầu cử" not in [item.label for item in client.get("/").context["navigation"]]


def test_anonymous_is_sent_to_login(client, round1):
    round_, _board = round1
    assert client.get(LIST).status_code == 302
    assert client.get(entry_url(round_)).status_code == 302


def test_staff_sets_up_but_cannot_enter_ballots(client, round1, staff):
    round_, _board = round1
    sign_in(client, staff)
    assert client.get(round_url(round_)).status_code == 200
    assert client.get(entry_url(round_)).status_code == 403
    assert type_sheet(client, round_, 1, "2").status_code == 403
    assert client.post(reverse("elections:count", args=[round_.pk])).status_code == 403
    assert not BallotEntry.objects.exists()
    assert "Bầu cử" in [item.label for item in client.get(LIST).context["navigation"]]


def test_board_member_of_another_congress_cannot_enter(client, round1, staff):
    round_, _board = round1
    other = CongressFactory(convening_committee=UnitFactory(), ordinal=16, is_current=False)
    outsider = make_user_with_role(Role.DELEGATE)
    setup.appoint_counting_board_member(
        staff, other, make(other, "Thành viên khóa trước"), outsider, approval="Biểu quyết 2015"
    )
    sign_in(client, outsider)
    assert client.get(entry_url(round_)).status_code == 403
    assert type_sheet(client, round_, 1, "2").status_code == 403
    assert client.post(reverse("elections:seal", args=[round_.pk])).status_code == 403
    assert not BallotEntry.objects.exists()


def test_board_member_cannot_set_up(client, hall):
    election, board, _delegates = hall
    sign_in(client, board[0])
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).context["form"] is None
    add = reverse("elections:candidate_add", args=[election.pk])
    assert client.post(add, {"full_name": "Người Lạ"}).status_code == 403


# --- Set-up flow -----------------------------------------------------------------------------


def test_create_add_withdraw_appoint_and_open_by_post(client, congress, staff):
    session = Session.objects.create(
        congress=congress, name="Phiên bầu cử", kind="official", starts_at=timezone.now()
    )
    delegates = [make(congress, f"Đại biểu {i}") for i in range(4)]
    for d in delegates:
        Attendance.objects.create(delegate=d, session=session, present_at=timezone.now())
    sign_in(client, staff)
    created = client.post(LIST, {
        "body": ElectedBody.STANDING_BOARD, "title": "Bầu Ban Thường vụ", "seats": 3,
        "seats_decision": "100% tán thành", "ballot_kind": "strike", "regulation": "190-QĐ/TW",
    })  # fmt: skip
    election = Election.objects.get()
    assert created.status_code == 302 and created.url == reverse(
        "elections:detail", args=[election.pk]
    )
    add = reverse("elections:candidate_add", args=[election.pk])
    for name in ["Phạm Thị Dung", "Nguyễn Văn An", "Lê Văn Cường", "Trần Thị Bình", "Võ Văn Em"]:
        assert client.post(add, {"full_name": name}).status_code == 302
    floor = client.post(add, {"full_name": "Đỗ Đề Cử", "from_floor": "on"})
    assert floor.status_code == 200
    assert "trên 30% tán thành" in floor.text
    ok = client.post(add, {"full_name": "Đỗ Đề Cử", "from_floor": "on", "floor_approval": "60%"})
    assert ok.status_code == 302

    page = client.get(reverse("elections:detail", args=[election.pk]))
    names = [c.full_name for c in page.context["candidates"]]
    assert names[:2] == ["Nguyễn Văn An", "Trần Thị Bình"]  # given names An, Bình first
    assert 'data-check="small_body_surplus"' in page.text and "check-error" in page.text

    withdraw = reverse("elections:candidate_withdraw", args=[election.pk])
    for name in ("Võ Văn Em", "Đỗ Đề Cử"):
        candidate = election.candidates.get(full_name=name)
        assert client.post(withdraw, {"candidate": candidate.pk, "reason": ""}).status_code == 200
        done = client.post(withdraw, {"candidate": candidate.pk, "reason": "Đại hội đồng ý"})
        assert done.status_code == 302
    page = client.get(reverse("elections:detail", args=[election.pk]))
    assert page.context["checks"] == []

    board = make_user_with_role(Role.DELEGATE)
    appoint = reverse("elections:board_appoint", args=[election.pk])
    data = {"delegate": delegates[0].pk, "user": board.pk, "approval": "", "is_head": "on"}
    assert client.post(appoint, data).status_code == 200
    data["approval"] = "Đại hội biểu quyết 4/4"
    assert client.post(appoint, data).status_code == 302
    assert board.has_role(Role.COUNTING_BOARD)

    opened = client.post(reverse("elections:round_open", args=[election.pk]), {"ballots_issued": 4})
    round_ = ElectionRound.objects.get(election=election)
    assert opened.url == round_url(round_)
    assert (round_.number, round_.base, round_.ballots_issued) == (1, 4, 4)
    page = client.get(reverse("elections:detail", args=[election.pk]))
    assert page.context["can_edit_list"] is False and "Bầu lần thứ 1" in page.text


def test_open_refused_while_the_surplus_is_wrong(client, hall, staff):
    election, _board, _delegates = hall
    setup.add_candidate(staff, election, "Hoàng Văn Em")
    sign_in(client, staff)
    refused = client.post(reverse("elections:round_open", args=[election.pk]), {})
    assert refused.status_code == 200 and "chỉ được dư 1 người" in refused.text
    assert not election.rounds.exists()


def test_ballots_pdf(client, hall, staff):
    election, _board, _delegates = hall
    sign_in(client, staff)
    pdf = client.get(reverse("elections:ballots_pdf", args=[election.pk]) + "?so-to=3")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bad = client.get(reverse("elections:ballots_pdf", args=[election.pk]) + "?so-to=0")
    assert bad.status_code == 302


def test_list_query_count_does_not_grow(
    client, hall, staff, congress, django_assert_max_num_queries
):
    sign_in(client, staff)
    client.get(LIST)
    with django_assert_max_num_queries(30) as one:
        assert client.get(LIST).status_code == 200
    for n in range(3):
        setup.create_election(
            staff, congress, body="executive_committee", title=f"Bầu {n}", seats=5
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(LIST).context["elections"]) == 4


# --- Entry ------------------------------------------------------------------------------------


def test_strike_entry_by_numbers(client, round1):
    round_, board = round1
    sign_in(client, board[0])
    page = client.get(entry_url(round_))
    assert page.status_code == 200
    assert page.context["form"]["sheet"].value() == 1
    assert "Số thứ tự các tên bị gạch" in page.text
    assert " style=" not in page.text and "<script>" not in page.text  # strict CSP
    assert "Bầu cử" in [item.label for item in page.context["navigation"]]
    saved = type_sheet(client, round_, 1, "2 4")
    assert saved.status_code == 302 and saved.url == entry_url(round_)
    entry = BallotEntry.objects.get()
    assert (entry.sheet, entry.typing, entry.marks, entry.entered_by) == (1, 1, "1010", board[0])
    again = client.get(entry_url(round_))
    assert again.context["form"]["sheet"].value() == 2  # the next sheet this member has not typed
    assert again.context["typed_once"] == 1


def test_entry_errors_are_shown_next_to_the_field(client, round1):
    round_, board = round1
    sign_in(client, board[0])
    type_sheet(client, round_, 1, "1")
    same = type_sheet(client, round_, 1, "1")
    assert same.status_code == 200
    assert "lần nhập thứ hai phải do thành viên khác" in same.text
    assert same.context["form"].errors["sheet"]
    bad = type_sheet(client, round_, 2, "3 9")
    assert bad.status_code == 200 and "«9» không phải số thứ tự" in bad.text
    assert bad.context["form"].errors["struck"]
    beyond = type_sheet(client, round_, 11, "1")  # only 10 ballots issued
    assert beyond.status_code == 200 and "Số tờ phiếu không hợp lệ" in beyond.text
    sign_in(client, board[1])
    type_sheet(client, round_, 1, "1")
    enter_third = make_user_with_role(Role.DELEGATE)
    congress = round_.election.congress
    staff = make_user_with_role(Role.ORGANISING_STAFF)
    setup.appoint_counting_board_member(
        staff, congress, make(congress, "Thành viên thứ ba"), enter_third, approval="Biểu quyết"
    )
    sign_in(client, enter_third)
    full = type_sheet(client, round_, 1, "1")
    assert full.status_code == 200 and "đã được nhập đủ hai lần" in full.text
    assert BallotEntry.objects.count() == 2


def test_entry_is_blind(client, round1):
    round_, board = round1
    sign_in(client, board[0])
    type_sheet(client, round_, 1, "2 4", note="Nét gạch mờ ở tên thứ tư")
    after = client.get(entry_url(round_))
    sign_in(client, board[1])
    second = client.get(entry_url(round_))
    for page in (after, second):
        assert page.status_code == 200
        assert "2 4" not in page.text and "Nét gạch mờ" not in page.text and "1010" not in page.text
        assert page.context["form"]["struck"].value() in (None, "")
    assert second.context["form"]["sheet"].value() == 1  # the second member types sheet 1 too
    assert second.context["typed_once"] == 1 and second.context["differing"] == 0


def test_agree_ballot_entry_with_a_choice_per_name(client, congress, staff, hall):
    _election, board, _delegates = hall
    election = setup.create_election(
        staff, congress, body=ElectedBody.SECRETARY, title="Bầu Ban Chấp hành", seats=2,
        ballot_kind="agree",
    )  # fmt: skip
    for name in NAMES[:2]:
        setup.add_candidate(staff, election, name)
    round_ = setup.open_first_round(staff, election)
    sign_in(client, board[0])
    page = client.get(entry_url(round_))
    assert "Để trống" in page.text and "Cả hai" in page.text
    assert page.context["form"]["mark_1"].value() == "-"
    saved = client.post(entry_url(round_), {"sheet": 1, "mark_1": "1", "mark_2": "2"})
    assert saved.status_code == 302
    assert BallotEntry.objects.get().marks == "12"


# --- Differences, count, seal, downloads -----------------------------------------------------


def test_difference_discard_and_retype(client, round1):
    round_, board = round1
    first, second = client, type(client)()
    sign_in(first, board[0])
    sign_in(second, board[1])
    type_sheet(first, round_, 1, "1")
    type_sheet(second, round_, 1, "2")
    page = first.get(round_url(round_))
    assert page.context["differing"] == 1
    assert 'data-sheet="1"' in page.text and "Hủy hai lần nhập, nhập lại" in page.text
    assert "0111" not in page.text and "1011" not in page.text  # sheet numbers only
    discard = reverse("elections:discard", args=[round_.pk])
    assert first.post(discard, {"sheet": 1, "note": ""}).status_code == 302
    assert BallotEntry.objects.filter(discarded_at__isnull=True).count() == 2  # note required
    first.post(discard, {"sheet": 1, "note": "Đối chiếu tờ giấy: gạch tên số 1"})
    assert BallotEntry.objects.filter(discarded_at__isnull=True).count() == 0
    assert first.get(entry_url(round_)).context["form"]["sheet"].value() == 1
    type_sheet(first, round_, 1, "1")
    type_sheet(second, round_, 1, "1")
    assert first.get(round_url(round_)).context["agreed"] == 1


def test_discard_only_a_differing_sheet(client, round1):
    round_, board = round1
    enter_ballot(board[0], round_, 1, "0111")
    enter_ballot(board[1], round_, 1, "0111")
    sign_in(client, board[0])
    client.post(reverse("elections:discard", args=[round_.pk]), {"sheet": 1, "note": "thử"})
    assert BallotEntry.objects.filter(discarded_at__isnull=True).count() == 2


# Six ballots: An 1 vote, Bình 5 (not more than half of the base 10), Cường and Dung 6 each.
SHEETS = {1: "0111", 2: "1011", 3: "0111", 4: "0111", 5: "0111", 6: "0111"}


def test_count_seal_and_downloads(client, round1, staff):
    round_, board = round1
    sign_in(client, board[0])
    enter_ballot(board[0], round_, 1, SHEETS[1])
    early = client.post(reverse("elections:count", args=[round_.pk]))
    assert early.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.ENTRY
    enter_ballot(board[1], round_, 1, SHEETS[1])
    for sheet, marks in list(SHEETS.items())[1:]:
        enter_ballot(board[0], round_, sheet, marks)
        enter_ballot(board[1], round_, sheet, marks)
    page = client.get(round_url(round_))
    assert page.context["complete"] and "Kiểm phiếu" in page.text
    client.post(reverse("elections:count", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.COUNTED
    page = client.get(round_url(round_))
    assert "Niêm phong" in page.text and "Trúng cử" in page.text
    assert "60,00%" in page.text and "10,00%" in page.text  # of the base 10, decimal comma
    assert page.text.count('class="elected"') == 2
    assert "Còn 1 chỗ chưa bầu đủ" in page.text
    client.post(reverse("elections:seal", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.SEALED and len(round_.seal) == 64
    page = client.get(round_url(round_))
    assert round_.seal in page.text and page.context["seal_check"].ok
    assert 'data-seal-ok="1"' in page.text
    assert "Hủy hai lần nhập" not in page.text
    closed = type_sheet(client, round_, 7, "1")
    assert closed.status_code == 302 and BallotEntry.objects.count() == 12

    sign_in(client, staff)  # viewers download too
    downloads = [
        ("minutes_docx", "minutes", "application/vnd.openxmlformats-officedocument"),
        ("minutes_pdf", "minutes", "application/pdf"),
        ("ballots_csv", "export", "text/csv"),
    ]
    for name, module, content_type in downloads:
        if importlib.util.find_spec(f"daihoi.elections.services.{module}") is None:
            continue
        response = client.get(reverse(f"elections:{name}", args=[round_.pk]))
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith(content_type)
        assert response.content
    pdf = client.get(reverse("elections:ballots_pdf", args=[round_.election_id]) + "?lan=1")
    assert pdf["Content-Type"] == "application/pdf"


def test_downloads_wait_for_the_count(client, round1, staff):
    round_, _board = round1
    sign_in(client, staff)
    assert client.get(reverse("elections:ballots_csv", args=[round_.pk])).status_code == 404


def test_unfilled_seats_next_round_by_staff(client, round1, staff):
    round_, board = round1
    for sheet, marks in SHEETS.items():  # two of three seats filled
        enter_ballot(board[0], round_, sheet, marks)
        enter_ballot(board[1], round_, sheet, marks)
    sign_in(client, board[0])
    client.post(reverse("elections:count", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.result["unfilled"] == 1
    page = client.get(round_url(round_))
    assert page.context["next_form"] is None  # the board does not open rounds
    sign_in(client, staff)
    page = client.get(round_url(round_))
    assert "Mở lần bầu tiếp theo" in page.text
    next_url = reverse("elections:next_round", args=[round_.pk])
    client.post(next_url, {"decision": "Đại hội quyết định bầu tiếp 1 đồng chí"})
    second = ElectionRound.objects.get(election=round_.election, number=2)
    assert second.seats == 1 and second.base == round_.base


def test_many_invalid_ballots_need_the_boards_acknowledgement(client, round1):
    round_, board = round1
    sign_in(client, board[0])
    for sheet in range(1, 11):
        marks = "1111" if sheet == 1 else "1110"  # sheet 1 keeps four names for three seats
        enter_ballot(board[0], round_, sheet, marks)
        enter_ballot(board[1], round_, sheet, marks)
    client.post(reverse("elections:count", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.ENTRY  # 1 invalid of 10 is above 3 %: not counted yet
    page = client.get(round_url(round_))
    assert 'name="acknowledge" value="invalid_over_3_percent"' in page.text
    client.post(
        reverse("elections:count", args=[round_.pk]), {"acknowledge": "invalid_over_3_percent"}
    )
    round_.refresh_from_db()
    assert round_.status == RoundStatus.COUNTED and round_.result["invalid"] == {"too_many": 1}
