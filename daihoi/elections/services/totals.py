"""Totals from a hand-count tally sheet: the second entry mode of a round, for boards that count
by hand and type only the totals (ballots collected, invalid ballots per reason, votes per
candidate). The discipline is that of services/entry.py: two typings by two different board
members, blind; a difference is never settled by choosing a typing, both are set aside and
typed again. A round uses one mode: ballot sheets or totals, never both."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.services.errors import InvalidInput
from daihoi.elections.counting import CountingError, Result, tally_totals
from daihoi.elections.models import BallotEntry, ElectionRound, RoundStatus, TotalsEntry
from daihoi.elections.rules import BallotKind, InvalidReason
from daihoi.elections.services.counting import (
    WarningsToAcknowledge,
    plausibility_warnings,
    result_record,
    round_names,
)
from daihoi.elections.services.entry import require_board
from daihoi.vietnamese import nfc

# The invalid reasons a ballot of each kind can have (counting.classify); the totals form asks
# only for these.
REASONS: Mapping[BallotKind, tuple[InvalidReason, ...]] = {
    BallotKind.STRIKE: (
        InvalidReason.NOT_ISSUED, InvalidReason.TOO_MANY, InvalidReason.ALL_STRUCK,
        InvalidReason.MARKED,
    ),
    BallotKind.AGREE: (
        InvalidReason.NOT_ISSUED, InvalidReason.TOO_MANY, InvalidReason.AGREE_ALL_BLANK_OR_BOTH,
        InvalidReason.MARKED,
    ),
    BallotKind.SINGLE: (
        InvalidReason.NOT_ISSUED, InvalidReason.SINGLE_BOTH_OR_NEITHER, InvalidReason.MARKED,
    ),
}  # fmt: skip


def reasons_for(round_: ElectionRound) -> tuple[InvalidReason, ...]:
    return REASONS[BallotKind(round_.election.ballot_kind)]


def has_totals(round_: ElectionRound) -> bool:
    return TotalsEntry.objects.filter(round=round_, discarded_at__isnull=True).exists()


def _numbers(
    round_: ElectionRound, collected: int, invalid: Mapping[str, int], votes: Sequence[int]
) -> tuple[int, dict[str, int], list[int]]:
    """The typed numbers in their stored, canonical form: reasons in enum order, zeros left
    out, so two typings of the same sheet compare equal."""
    allowed = reasons_for(round_)
    if any(code not in {r.value for r in allowed} for code in invalid):
        raise InvalidInput(_("Lý do không hợp lệ này không dùng cho loại phiếu này."),
                           code="bad_reason")  # fmt: skip
    if len(votes) != len(round_.candidate_ids):
        raise InvalidInput(_("Số người có số phiếu không khớp danh sách."), code="wrong_length")
    numbers = [collected, *invalid.values(), *votes]
    if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in numbers):
        raise InvalidInput(_("Số phiếu phải là số nguyên không âm."), code="negative_count")
    canonical = {r.value: invalid[r.value] for r in allowed if invalid.get(r.value)}
    return collected, canonical, list(votes)


def tally_entry(round_: ElectionRound, collected: int, invalid: dict, votes: list) -> Result:
    """Count the round from one set of totals (typed or stored)."""
    return tally_totals(
        round_names(round_), round_.seats, round_.base,
        collected=collected, invalid=invalid, votes=votes,
        kind=BallotKind(round_.election.ballot_kind),
        issued=round_.ballots_issued, round_number=round_.number,
    )  # fmt: skip


@transaction.atomic
def enter_totals(
    actor,
    round_: ElectionRound,
    *,
    collected: int,
    invalid: Mapping[str, int],
    votes: Sequence[int],
    note: str = "",
) -> TotalsEntry:
    """Type the totals of the tally sheet. The first typing is typing 1, a second member's is
    typing 2; the same member cannot type both, and there is no third while both are live.
    Numbers that fail a check of the minutes are refused here, so two typings can never agree
    on totals that cannot be counted."""
    require_board(actor, round_)
    round_ = ElectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.ENTRY:
        raise InvalidInput(_("Lần bầu này đã kiểm phiếu xong, không nhập thêm."), code="closed")
    if BallotEntry.objects.filter(round=round_, discarded_at__isnull=True).exists():
        raise InvalidInput(
            _("Lần bầu này đã nhập từng tờ phiếu; không nhập tổng số từ biên bản kiểm phiếu."),
            code="ballot_mode",
        )
    collected, invalid, votes = _numbers(round_, collected, invalid, votes)
    try:
        result = tally_entry(round_, collected, invalid, votes)
    except CountingError as exc:
        raise InvalidInput(exc.message, code=exc.code) from None
    errors = [p for p in result.problems if p.level == "error"]
    if errors:
        raise InvalidInput(errors[0].message, code=errors[0].code)
    live = list(TotalsEntry.objects.filter(round=round_, discarded_at__isnull=True))
    if any(entry.entered_by_id == actor.pk for entry in live):
        raise InvalidInput(
            _("Đồng chí đã nhập tổng số phiếu; lần nhập thứ hai phải do thành viên khác."),
            code="same_member",
        )
    if len(live) >= 2:
        raise InvalidInput(_("Tổng số phiếu đã được nhập đủ hai lần."), code="complete")
    try:
        with transaction.atomic():
            entry = TotalsEntry.objects.create(
                round=round_, typing=2 if live else 1, entered_by=actor, collected=collected,
                invalid=invalid, votes=votes, note=nfc(note or "").strip(),
            )  # fmt: skip
    except IntegrityError:
        raise InvalidInput(_("Tổng số phiếu vừa được nhập, hãy tải lại."), code="race") from None
    record(actor, "election.totals_entered", entry, {"round": round_.pk, "typing": entry.typing})
    return entry


@dataclass(frozen=True)
class TotalsState:
    status: Literal["empty", "waiting", "differing", "agreed"]
    agreed: TotalsEntry | None  # typing 1 when both typings agree


def _same(first: TotalsEntry, second: TotalsEntry) -> bool:
    return (first.collected, first.invalid, first.votes) == (
        second.collected, second.invalid, second.votes,
    )  # fmt: skip


def totals_state(round_: ElectionRound) -> TotalsState:
    live = list(round_.totals_entries.filter(discarded_at__isnull=True).order_by("typing"))
    if not live:
        return TotalsState("empty", None)
    if len(live) == 1:
        return TotalsState("waiting", None)
    first, second = live
    if _same(first, second):
        return TotalsState("agreed", first)
    return TotalsState("differing", None)


def totals_record(entry: TotalsEntry) -> dict:
    """The numbers of a typing, as the seal hashes them."""
    return {"collected": entry.collected, "invalid": entry.invalid, "votes": entry.votes}


@transaction.atomic
def discard_totals(actor, round_: ElectionRound, note: str) -> int:
    """Both typings of differing totals are set aside; the sheet is typed twice again. Only
    when the typings differ, and only with a note saying why."""
    require_board(actor, round_)
    round_ = ElectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.ENTRY:
        raise InvalidInput(_("Lần bầu này đã kiểm phiếu xong."), code="closed")
    note = nfc(note or "").strip()
    if not note:
        raise InvalidInput(_("Cần ghi chú lý do nhập lại tổng số phiếu."), code="note_required")
    live = list(
        TotalsEntry.objects.select_for_update().filter(round=round_, discarded_at__isnull=True)
    )
    if len(live) != 2 or _same(*live):
        raise InvalidInput(
            _("Chỉ nhập lại khi hai lần nhập tổng số phiếu khác nhau."), code="not_different"
        )
    count = TotalsEntry.objects.filter(pk__in=[e.pk for e in live]).update(
        discarded_at=timezone.now()
    )
    record(actor, "election.totals_discarded", round_, {"note": note})
    return count


@transaction.atomic
def count_totals(actor, round_: ElectionRound, acknowledged: Iterable[str] = ()) -> dict:
    """Kiểm phiếu from the agreed totals: the same rules as `counting.count_round` (errors stop
    the count, warnings are acknowledged and audited)."""
    require_board(actor, round_)
    round_ = ElectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.ENTRY:
        raise InvalidInput(_("Lần bầu này đã kiểm phiếu."), code="counted")
    state = totals_state(round_)
    if state.status == "differing":
        raise InvalidInput(
            _("Hai lần nhập tổng số phiếu khác nhau: hủy và nhập lại."), code="differences"
        )
    if state.status == "waiting":
        raise InvalidInput(_("Tổng số phiếu mới nhập một lần."), code="waiting")
    if state.agreed is None:
        raise InvalidInput(_("Chưa nhập tổng số phiếu."), code="empty")
    entry = state.agreed
    result = tally_entry(round_, entry.collected, entry.invalid, entry.votes)
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
        "mode": "totals",
    })  # fmt: skip
    return round_.result
