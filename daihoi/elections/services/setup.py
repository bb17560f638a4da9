"""Setting up an election: what is elected and how many, the list in ballot order with its
surplus checks, floor nominations, withdrawals, the counting board, and opening a round."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Congress, Role, RoleAssignment
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.base import compute_base
from daihoi.delegates.models import Delegate
from daihoi.elections.counting import ballot_order
from daihoi.elections.models import (
    Candidate,
    CountingBoardMember,
    Election,
    ElectionRound,
    RoundStatus,
)
from daihoi.elections.permissions import can_set_up_elections
from daihoi.elections.rules import BallotKind
from daihoi.vietnamese import nfc
from daihoi.vietnamese.text import collapse_whitespace


def _require_staff(actor) -> None:
    if not can_set_up_elections(actor):
        raise NotAllowed(_("Đồng chí không có quyền chuẩn bị bầu cử."))


def _clean(text: str) -> str:
    return collapse_whitespace(nfc(text or ""))


@transaction.atomic
def create_election(
    actor, congress: Congress, *, body: str, title: str, seats: int,
    ballot_kind: str = BallotKind.STRIKE, regulation: str = "190-QĐ/TW", seats_decision: str = "",
) -> Election:  # fmt: skip
    _require_staff(actor)
    title = _clean(title)
    if not title:
        raise InvalidInput(_("Cần nhập tên cuộc bầu cử."), code="title_required")
    if seats < 1:
        raise InvalidInput(_("Số lượng cần bầu phải ít nhất là 1."), code="bad_seats")
    election = Election.objects.create(
        congress=congress, body=body, title=title, seats=seats, ballot_kind=ballot_kind,
        regulation=regulation, seats_decision=_clean(seats_decision),
    )  # fmt: skip
    record(actor, "election.created", election, {"title": title, "seats": seats})
    return election


@transaction.atomic
def add_candidate(
    actor, election: Election, full_name: str, *, delegate: Delegate | None = None,
    from_floor: bool = False, floor_approval: str = "",
) -> Candidate:  # fmt: skip
    """Add a name to the list. A nomination from the floor needs the approval of more than 30 %
    of the delegates present recorded (190-QĐ/TW Điều 14)."""
    _require_staff(actor)
    if election.rounds.exists():
        raise InvalidInput(_("Đã bắt đầu bỏ phiếu, không sửa danh sách được."), code="started")
    name = _clean(full_name)
    if not name:
        raise InvalidInput(_("Cần nhập họ và tên."), code="name_required")
    if from_floor and not _clean(floor_approval):
        raise InvalidInput(
            _("Người được đề cử tại đại hội cần ghi kết quả biểu quyết (trên 30% tán thành)."),
            code="floor_approval_required",
        )
    if election.candidates.filter(full_name=name).exists():
        raise InvalidInput(_("Tên này đã có trong danh sách."), code="duplicate")
    candidate = Candidate.objects.create(
        election=election, full_name=name, delegate=delegate, from_floor=from_floor,
        floor_approval=_clean(floor_approval),
    )  # fmt: skip
    record(actor, "election.candidate_added", candidate, {"name": name, "floor": from_floor})
    return candidate


@transaction.atomic
def withdraw_candidate(actor, candidate: Candidate, reason: str) -> Candidate:
    """Rút khỏi danh sách: the congress decides by show of hands; the decision is the reason."""
    _require_staff(actor)
    if candidate.election.rounds.exists():
        raise InvalidInput(_("Đã bắt đầu bỏ phiếu, không sửa danh sách được."), code="started")
    reason = _clean(reason)
    if not reason:
        raise InvalidInput(_("Cần ghi lý do và kết quả biểu quyết."), code="reason_required")
    candidate.withdrawn, candidate.withdrawal_reason = True, reason
    candidate.save(update_fields=["withdrawn", "withdrawal_reason"])
    record(actor, "election.candidate_withdrawn", candidate, {"reason": reason})
    return candidate


def ballot_list(election: Election) -> list[Candidate]:
    """The names still on the list, in ballot order (given name, family name, middle names)."""
    candidates = {c.full_name: c for c in election.candidates.filter(withdrawn=False)}
    return [candidates[name] for name in ballot_order(list(candidates))]


@dataclass(frozen=True)
class SurplusCheck:
    level: str  # "error" or "warning"
    code: str
    message: str


def surplus_checks(election: Election) -> list[SurplusCheck]:
    """Số dư (190-QĐ/TW Điều 14): at most 30 % above the seats; the convening committee
    prepares 10–15 %; bodies of 3–5 seats at most one extra. No-surplus ballots list exactly
    the seats."""
    names, seats = len(ballot_list(election)), election.seats
    extra = names - seats
    error, warning = "error", "warning"
    if election.ballot_kind != BallotKind.STRIKE:
        if extra:
            message = _("Phiếu không có số dư: danh sách phải đúng bằng số lượng bầu.")
            return [SurplusCheck(error, "no_surplus_mismatch", message)]
        return []
    share = Fraction(extra, seats)
    problems: list[SurplusCheck] = []
    small_body = 3 <= seats <= 5  # one extra name is allowed even where that exceeds 30 %
    if extra <= 0:
        message = _("Danh sách phải nhiều hơn số lượng cần bầu.")
        problems.append(SurplusCheck(error, "no_surplus", message))
    elif small_body and extra > 1:
        message = _("Cơ quan từ 3 đến 5 người chỉ được dư 1 người.")
        problems.append(SurplusCheck(error, "small_body_surplus", message))
    elif not small_body and share > Fraction(30, 100):
        message = _("Số dư vượt quá %(limit)d%% số lượng cần bầu.") % {"limit": 30}
        problems.append(SurplusCheck(error, "surplus_over_30", message))
    elif not small_body and not Fraction(10, 100) <= share <= Fraction(15, 100):
        message = _("Danh sách do cấp ủy chuẩn bị thường dư 10–15%.")
        problems.append(SurplusCheck(warning, "surplus_outside_10_15", message))
    return problems


@transaction.atomic
def appoint_counting_board_member(
    actor, congress: Congress, delegate: Delegate, user, *, approval: str, is_head: bool = False
) -> CountingBoardMember:
    """An official delegate not on any list, approved by show of hands; gets the counting-board
    role (two-factor sign-in required for it)."""
    _require_staff(actor)
    if delegate.congress_id != congress.pk or not delegate.is_official:
        raise InvalidInput(_("Thành viên Ban kiểm phiếu phải là đại biểu chính thức."),
                           code="not_official")  # fmt: skip
    on_list = Candidate.objects.filter(election__congress=congress, withdrawn=False)
    if (
        on_list.filter(delegate=delegate).exists()
        or on_list.filter(full_name=delegate.full_name).exists()
    ):
        raise InvalidInput(_("Người có tên trong danh sách bầu cử không được ở Ban kiểm phiếu."),
                           code="on_list")  # fmt: skip
    if not _clean(approval):
        raise InvalidInput(_("Cần ghi kết quả biểu quyết thông qua."), code="approval_required")
    member = CountingBoardMember.objects.create(
        congress=congress, user=user, delegate=delegate, approval=_clean(approval),
        is_head=is_head,
    )  # fmt: skip
    RoleAssignment.objects.get_or_create(user=user, role=Role.COUNTING_BOARD)
    record(actor, "election.board_member_appointed", member, {"delegate": delegate.pk})
    return member


@transaction.atomic
def open_first_round(actor, election: Election, ballots_issued: int | None = None):
    """Bầu lần thứ nhất on the approved list. The base is fixed now and kept for every round."""
    _require_staff(actor)
    errors = [p for p in surplus_checks(election) if p.level == "error"]
    if errors:
        raise InvalidInput(errors[0].message, code=errors[0].code)
    if election.rounds.exists():
        raise InvalidInput(_("Lần bầu thứ nhất đã mở."), code="already_open")
    base = compute_base(election.congress).value
    candidates = ballot_list(election)
    round_ = ElectionRound.objects.create(
        election=election, number=1, seats=election.seats, base=base,
        candidate_ids=[c.pk for c in candidates], ballots_issued=ballots_issued,
    )  # fmt: skip
    record(actor, "election.round_opened", round_, {"number": 1, "base": base})
    return round_


@transaction.atomic
def open_next_round(
    actor, previous: ElectionRound, decision: str = "", ballots_issued: int | None = None
):
    """The next round from the previous result: the tied only for a tie; for unfilled seats the
    list the congress decided (recorded in `decision`)."""
    _require_staff(actor)
    previous = ElectionRound.objects.select_for_update().get(pk=previous.pk)
    if previous.status == RoundStatus.ENTRY or not previous.result:
        raise InvalidInput(_("Lần bầu trước chưa kiểm phiếu xong."), code="not_counted")
    proposal = previous.result.get("next_round")
    if not proposal:
        raise InvalidInput(_("Không cần bầu thêm: đã đủ số lượng."), code="complete")
    if proposal["congress_decides"] and not _clean(decision):
        raise InvalidInput(_("Cần ghi quyết định của đại hội về việc bầu tiếp."),
                           code="decision_required")  # fmt: skip
    by_name = {c.full_name: c for c in previous.election.candidates.all()}
    round_ = ElectionRound.objects.create(
        election=previous.election, number=previous.number + 1, seats=proposal["seats"],
        base=previous.base, candidate_ids=[by_name[n].pk for n in proposal["candidates"]],
        decision=_clean(decision), ballots_issued=ballots_issued,
    )  # fmt: skip
    record(actor, "election.round_opened", round_, {"number": round_.number})
    return round_


@transaction.atomic
def record_ballots_issued(actor, round_: ElectionRound, issued: int) -> ElectionRound:
    """Số phiếu phát ra, counted by the board when the ballots are handed out."""
    _require_staff(actor)
    round_ = ElectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.ENTRY:
        raise InvalidInput(_("Lần bầu này đã kiểm phiếu xong."), code="closed")
    if issued < 1:
        raise InvalidInput(_("Số phiếu phát ra phải ít nhất là 1."), code="bad_issued")
    round_.ballots_issued = issued
    round_.save(update_fields=["ballots_issued"])
    record(actor, "election.ballots_issued", round_, {"issued": issued})
    return round_
