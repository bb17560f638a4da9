"""Counting a round from the agreed ballots, and the seal: a SHA-256 over the canonical result
and every ballot record, written into the audit chain, so that a later change to a ballot or to
the result, through the ORM or by SQL, is found by `verify_seal` and `daihoi audit verify`."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.models import AuditEntry
from daihoi.audit.services import record
from daihoi.core.services.errors import InvalidInput
from daihoi.elections.counting import Result, tally
from daihoi.elections.fast_csv import count_marks
from daihoi.elections.models import Candidate, ElectionRound, RoundStatus
from daihoi.elections.rules import BallotKind
from daihoi.elections.services.entry import ballot_of, require_board, sheet_rows


def round_names(round_: ElectionRound) -> list[str]:
    names = dict(
        Candidate.objects.filter(pk__in=round_.candidate_ids).values_list("pk", "full_name")
    )
    return [names[pk] for pk in round_.candidate_ids]


def result_record(result: Result) -> dict:
    """The stored, canonical form of a round's result."""
    nxt = result.next_round
    return {
        "round": result.round_number, "seats": result.seats, "base": result.base,
        "issued": result.issued, "collected": result.ballots_collected, "valid": result.valid,
        "invalid": {str(reason): n for reason, n in result.invalid.items()},
        "candidates": [
            {"name": c.name, "votes": c.votes, "percent": c.percent_text, "elected": c.elected}
            for c in result.candidates
        ],
        "elected": list(result.elected), "tied": list(result.tied), "unfilled": result.unfilled,
        "next_round": None if nxt is None else {
            "candidates": list(nxt.candidates), "seats": nxt.seats, "reason": nxt.reason,
            "congress_decides": nxt.congress_decides,
        },
        "problems": [{"code": p.code, "level": p.level, "message": p.message}
                     for p in result.problems],
    }  # fmt: skip


class WarningsToAcknowledge(InvalidInput):
    """The count raised plausibility warnings that the board has not acknowledged yet."""

    def __init__(self, warnings: list[tuple[str, str]]):
        self.warnings = warnings  # (code, message)
        super().__init__(
            _("Cần Ban kiểm phiếu xác nhận đã xem xét cảnh báo trước khi kiểm phiếu."),
            code="warnings",
        )


# A plausibility threshold, not a rule of the regulation: more invalid ballots than this share
# of those collected is unusual enough for the board to look again before the minutes.
INVALID_WARNING_PERCENT = 3


def plausibility_warnings(result: Result) -> list[tuple[str, str]]:
    """Warnings (code, message) the board acknowledges before the result is recorded."""
    warnings = [(p.code, p.message) for p in result.problems if p.level == "warning"]
    invalid, collected = result.invalid_total, result.ballots_collected
    if collected and 100 * invalid > INVALID_WARNING_PERCENT * collected:
        message = _(
            "Phiếu không hợp lệ (%(invalid)d) chiếm trên %(limit)d%% số phiếu thu về "
            "(%(collected)d): đề nghị Ban kiểm phiếu xem lại từng phiếu không hợp lệ."
        ) % {"invalid": invalid, "limit": INVALID_WARNING_PERCENT, "collected": collected}
        warnings.append(("invalid_over_3_percent", message))
    return warnings


@transaction.atomic
def count_round(actor, round_: ElectionRound, acknowledged: Iterable[str] = ()) -> dict:
    """Kiểm phiếu: only when every sheet is typed twice and both typings agree. Errors stop the
    count; warnings (e.g. many invalid ballots) must be acknowledged, and that is audited."""
    require_board(actor, round_)
    round_ = ElectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.ENTRY:
        raise InvalidInput(_("Lần bầu này đã kiểm phiếu."), code="counted")
    state = sheet_rows(round_)
    if state.differences:
        raise InvalidInput(
            _("Còn %(n)d tờ phiếu có hai lần nhập khác nhau: nhập lại các tờ đó.")
            % {"n": state.differences}, code="differences",
        )  # fmt: skip
    if state.waiting:
        raise InvalidInput(
            _("Còn %(n)d tờ phiếu mới nhập một lần.") % {"n": state.waiting}, code="waiting"
        )
    if not state.agreed:
        raise InvalidInput(_("Chưa có phiếu nào được nhập."), code="empty")
    result = _tally(round_, state.agreed)
    errors = [p for p in result.problems if p.level == "error"]
    if errors:
        raise InvalidInput(errors[0].message, code=errors[0].code)
    warnings = plausibility_warnings(result)
    if any(code not in set(acknowledged) for code, _message in warnings):
        raise WarningsToAcknowledge(warnings)
    round_.result = result_record(result)
    round_.status = RoundStatus.COUNTED
    round_.save(update_fields=["result", "status"])
    record(actor, "election.round_counted", round_, {
        "elected": list(result.elected), "acknowledged": [code for code, _m in warnings],
    })  # fmt: skip
    return round_.result


def _tally(round_: ElectionRound, agreed: list[tuple[int, str, str]]) -> Result:
    """Tally the agreed sheets. Ballots without a board reason are counted as one array
    (`fast_csv.count_marks`, the same classification as the engine's); when a stored row does
    not fit (a wrong length, a mark the kind does not allow) the engine counts every ballot one
    by one and raises its own error."""
    kind = BallotKind(round_.election.ballot_kind)
    plain = [marks for _sheet, marks, reason in agreed if not reason]
    ballots = count_marks(plain, kind, round_.seats)
    if ballots is None:
        ballots = Counter(ballot_of(marks, "") for marks in plain)
    ballots.update(ballot_of(marks, reason) for _sheet, marks, reason in agreed if reason)
    return tally(
        ballots, round_names(round_), round_.seats, round_.base, kind,
        issued=round_.ballots_issued, round_number=round_.number,
    )  # fmt: skip


def _agreed_totals(round_: ElectionRound) -> dict | None:
    """The agreed typing of a totals round, as the seal hashes it; None for a ballot round."""
    from daihoi.elections.services.totals import totals_record, totals_state

    agreed = totals_state(round_).agreed
    return None if agreed is None else totals_record(agreed)


def seal_payload(round_: ElectionRound, agreed: list[tuple[int, str, str]] | None = None) -> bytes:
    """Canonical bytes of the result and every agreed ballot, in sheet order (or, for a
    round counted from a hand-count sheet, the agreed totals)."""
    if agreed is None:
        agreed = sheet_rows(round_).agreed
    ballots = [list(row) for row in agreed]  # already in sheet order
    payload = {
        "election": round_.election_id, "round": round_.number, "seats": round_.seats,
        "base": round_.base, "candidates": round_names(round_), "ballots": ballots,
        "result": round_.result,
    }  # fmt: skip
    totals = _agreed_totals(round_)
    if totals is not None:  # a round counted from a hand-count sheet (services/totals.py)
        payload["totals"] = totals
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@transaction.atomic
def seal_round(actor, round_: ElectionRound) -> str:
    """Niêm phong: freezes the result; the hash goes on the minutes and into the audit chain."""
    require_board(actor, round_)
    round_ = ElectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.COUNTED:
        raise InvalidInput(_("Chỉ niêm phong được kết quả đã kiểm phiếu."), code="not_counted")
    seal = hashlib.sha256(seal_payload(round_)).hexdigest()
    round_.seal, round_.sealed_at, round_.status = seal, timezone.now(), RoundStatus.SEALED
    round_.save(update_fields=["seal", "sealed_at", "status"])
    record(actor, "election.round_sealed", round_, {"seal": seal})
    return seal


@dataclass(frozen=True)
class SealCheck:
    ok: bool
    message: str


def verify_seal(round_: ElectionRound) -> SealCheck:
    """Recount from the stored ballots and compare with the seal on the round and in the chain."""
    if round_.status != RoundStatus.SEALED:
        return SealCheck(False, _("Lần bầu chưa niêm phong."))
    audited = (
        AuditEntry.objects.filter(
            action="election.round_sealed",
            target_type=ElectionRound._meta.label_lower,
            target_id=str(round_.pk),
        )
        .order_by("-seq").values_list("data", flat=True).first()
    )  # fmt: skip
    chained = json.loads(audited).get("seal") if audited else None
    agreed = sheet_rows(round_).agreed
    actual = hashlib.sha256(seal_payload(round_, agreed)).hexdigest()
    totals = _agreed_totals(round_)
    if totals is not None:
        from daihoi.elections.services.totals import tally_entry

        recount = tally_entry(round_, totals["collected"], totals["invalid"], totals["votes"])
    else:
        recount = _tally(round_, agreed)
    if chained is None:
        return SealCheck(False, _("Không tìm thấy mã niêm phong trong nhật ký."))
    if round_.seal != chained:
        return SealCheck(False, _("Mã niêm phong của lần bầu đã bị sửa."))
    if actual != chained or result_record(recount) != round_.result:
        return SealCheck(False, _("Phiếu hoặc kết quả đã bị thay đổi sau khi niêm phong."))
    return SealCheck(True, _("Niêm phong toàn vẹn: kiểm lại từ các phiếu cho cùng kết quả."))
