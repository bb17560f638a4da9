"""Double blind entry of paper ballots (after Kiesraad's Abacus): every ballot sheet is typed
twice by two different counting-board members, the second from an empty form; a sheet counts
only when both typings agree. A difference is never settled by choosing one typing: both are
discarded (kept in the history) and the sheet is typed twice again."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.elections.counting import Ballot
from daihoi.elections.models import BallotEntry, ElectionRound, RoundStatus, TotalsEntry
from daihoi.elections.permissions import is_on_counting_board
from daihoi.elections.rules import BOARD_REASONS, InvalidReason
from daihoi.vietnamese import nfc

MARK_CHARS = {"1": 1, "0": 0, "2": 2, "-": None}
MARK_SET = frozenset(MARK_CHARS)


def require_board(actor, round_: ElectionRound) -> None:
    if not is_on_counting_board(actor, round_.election.congress):
        raise NotAllowed(_("Chỉ thành viên Ban kiểm phiếu mới được nhập và kiểm phiếu."))


def parse_struck(text: str, size: int) -> str:
    """Keyboard-fast entry of a strike ballot: the numbers of the struck names ("3 7 12")."""
    struck: set[int] = set()
    for part in (text or "").replace(",", " ").split():
        if not part.isdigit() or not 1 <= int(part) <= size:
            raise InvalidInput(
                _("«%(part)s» không phải số thứ tự trong danh sách (1–%(size)d).")
                % {"part": part, "size": size},
                code="bad_number",
            )
        struck.add(int(part))
    return "".join("0" if i in struck else "1" for i in range(1, size + 1))


def _check_marks(marks: str, size: int, board_reason: str) -> None:
    if board_reason:
        if board_reason not in {r.value for r in BOARD_REASONS}:
            raise InvalidInput(_("Lý do không hợp lệ này không do Ban kiểm phiếu ghi."),
                               code="bad_reason")  # fmt: skip
        if marks and len(marks) != size:
            raise InvalidInput(_("Số ô đánh dấu không khớp danh sách."), code="wrong_length")
        return
    if len(marks) != size or not MARK_SET.issuperset(marks):
        raise InvalidInput(_("Số ô đánh dấu không khớp danh sách."), code="wrong_length")


@transaction.atomic
def enter_ballot(
    actor, round_: ElectionRound, sheet: int, marks: str, *, board_reason: str = "", note: str = ""
) -> BallotEntry:
    """Type one sheet. The first typing of a sheet is typing 1; a second member's is typing 2;
    the same member cannot type a sheet twice."""
    require_board(actor, round_)
    round_ = ElectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.ENTRY:
        raise InvalidInput(_("Lần bầu này đã kiểm phiếu xong, không nhập thêm."), code="closed")
    if TotalsEntry.objects.filter(round=round_, discarded_at__isnull=True).exists():
        raise InvalidInput(
            _("Lần bầu này nhập tổng số từ biên bản kiểm phiếu."), code="totals_mode"
        )
    if sheet < 1 or (round_.ballots_issued and sheet > round_.ballots_issued):
        raise InvalidInput(_("Số tờ phiếu không hợp lệ."), code="bad_sheet")
    _check_marks(marks, len(round_.candidate_ids), board_reason)
    live = list(BallotEntry.objects.filter(round=round_, sheet=sheet, discarded_at__isnull=True))
    if any(entry.entered_by_id == actor.pk for entry in live):
        raise InvalidInput(
            _("Đồng chí đã nhập tờ phiếu này; lần nhập thứ hai phải do thành viên khác."),
            code="same_member",
        )
    if len(live) >= 2:
        raise InvalidInput(_("Tờ phiếu này đã được nhập đủ hai lần."), code="complete")
    try:
        with transaction.atomic():
            entry = BallotEntry.objects.create(
                # the free typing: a batch station may have typed this sheet as typing 2 first
                round=round_, sheet=sheet, typing=2 if any(e.typing == 1 for e in live) else 1,
                entered_by=actor, marks=marks,
                board_reason=board_reason, note=nfc(note or "").strip(),
            )  # fmt: skip
    except IntegrityError:
        raise InvalidInput(_("Tờ phiếu này vừa được nhập, hãy tải lại."), code="race") from None
    record(actor, "election.ballot_entered", entry,
           {"round": round_.pk, "sheet": sheet, "typing": entry.typing})  # fmt: skip
    return entry


@dataclass(frozen=True)
class EntryState:
    agreed: dict[int, BallotEntry]  # sheet → the agreed typing
    waiting: list[int]  # sheets typed once
    differences: list[tuple[int, BallotEntry, BallotEntry]]


def entry_state(round_: ElectionRound) -> EntryState:
    by_sheet: dict[int, list[BallotEntry]] = {}
    for entry in round_.entries.filter(discarded_at__isnull=True).order_by("sheet", "typing"):
        by_sheet.setdefault(entry.sheet, []).append(entry)
    agreed, waiting, differences = {}, [], []
    for sheet, typings in sorted(by_sheet.items()):
        if len(typings) == 1:
            waiting.append(sheet)
            continue
        first, second = typings
        if (first.marks, first.board_reason) == (second.marks, second.board_reason):
            agreed[sheet] = first
        else:
            differences.append((sheet, first, second))
    return EntryState(agreed, waiting, differences)


@dataclass(frozen=True)
class SheetRows:
    """The same grouping as `EntryState`, read as plain rows: what counting and the seal need
    (model instances for 200,000 typings cost seconds; tuples cost a tenth of that)."""

    agreed: list[tuple[int, str, str]]  # (sheet, marks, board_reason) in sheet order
    waiting: int  # sheets typed once
    differences: int  # sheets whose two typings differ


def sheet_rows(round_: ElectionRound) -> SheetRows:
    rows = (
        round_.entries.filter(discarded_at__isnull=True)
        .order_by("sheet", "typing").values_list("sheet", "marks", "board_reason")
    )  # fmt: skip
    agreed: list[tuple[int, str, str]] = []
    waiting = differences = 0
    previous: tuple[int, str, str] | None = None
    for row in rows:
        if previous is not None and previous[0] == row[0]:
            if previous == row:
                agreed.append(row)
            else:
                differences += 1
            previous = None
            continue
        if previous is not None:
            waiting += 1
        previous = row
    waiting += previous is not None
    return SheetRows(agreed, waiting, differences)


@transaction.atomic
def discard_sheet(actor, round_: ElectionRound, sheet: int, note: str) -> int:
    """Both typings of a differing sheet are set aside; the sheet is typed twice again. Only a
    sheet whose typings differ, and only with a note saying so."""
    require_board(actor, round_)
    round_ = ElectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.ENTRY:
        raise InvalidInput(_("Lần bầu này đã kiểm phiếu xong."), code="closed")
    note = nfc(note or "").strip()
    if not note:
        raise InvalidInput(_("Cần ghi chú lý do nhập lại tờ phiếu."), code="note_required")
    live = BallotEntry.objects.select_for_update().filter(
        round=round_, sheet=sheet, discarded_at__isnull=True
    )
    typings = {(entry.marks, entry.board_reason) for entry in live}
    if len(live) != 2 or len(typings) != 2:
        raise InvalidInput(
            _("Chỉ nhập lại tờ phiếu có hai lần nhập khác nhau."), code="not_different"
        )
    count = live.update(discarded_at=timezone.now())
    record(actor, "election.sheet_discarded", round_, {"sheet": sheet, "note": note})
    return count


def to_ballot(entry: BallotEntry) -> Ballot:
    return ballot_of(entry.marks, entry.board_reason)


def ballot_of(marks: str, board_reason: str) -> Ballot:
    reason = InvalidReason(board_reason) if board_reason else None
    return Ballot(tuple(MARK_CHARS[ch] for ch in marks), reason)
