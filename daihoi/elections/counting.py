"""The counting engine: classify paper ballots and tally an election round (domain.md §5–6).

Plain Python, no Django: the same functions count a CSV from the command line and, later, the
ballots stored in the database. Only integers and Fractions are used; "more than half of the
base" is ``2 * votes > base``, never a float comparison.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Literal, TypeAlias

from daihoi.vietnamese import format_percent, nfc, person_sort_key
from daihoi.vietnamese.text import collapse_whitespace

from .checks import Problem, check_counts
from .rules import BOARD_REASONS, BallotKind, InvalidReason, Rules

__all__ = [
    "AGREE",
    "BLANK",
    "BOTH",
    "DISAGREE",
    "KEPT",
    "STRUCK",
    "Ballot",
    "CandidateResult",
    "DEFAULT_RULES",
    "CountingError",
    "Invalid",
    "Mark",
    "NextRound",
    "Result",
    "Selection",
    "Valid",
    "allowed_marks",
    "ballot_order",
    "classify",
    "select",
    "tally",
    "tally_totals",
]

Mark: TypeAlias = Literal[0, 1, 2] | None

# One mark per candidate, in ballot order. A strike ballot only has kept and struck names; the
# agree/disagree forms have two boxes, so a row may also be blank (neither box) or both boxes.
KEPT: Mark = 1
STRUCK: Mark = 0
AGREE: Mark = 1
DISAGREE: Mark = 0
BOTH: Mark = 2
BLANK: Mark = None

_ALLOWED: Mapping[BallotKind, frozenset[Mark]] = MappingProxyType(
    {
        BallotKind.STRIKE: frozenset({KEPT, STRUCK}),
        BallotKind.AGREE: frozenset({AGREE, DISAGREE, BOTH, BLANK}),
        BallotKind.SINGLE: frozenset({AGREE, DISAGREE, BOTH, BLANK}),
    }
)


DEFAULT_RULES = Rules()


def allowed_marks(kind: BallotKind) -> frozenset[Mark]:
    """The marks a ballot of this kind can carry."""
    return _ALLOWED[kind]


class CountingError(ValueError):
    """Input the engine cannot count; ``code`` is stable, the message is in Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Ballot:
    """One paper ballot as the counting board reads it.

    ``board_reason`` records what only the board can see on the paper (no stamp, an identifying
    mark); the marks of such a ballot may be left empty.
    """

    marks: tuple[Mark, ...]
    board_reason: InvalidReason | None = None

    def __post_init__(self) -> None:
        if self.board_reason is not None and self.board_reason not in BOARD_REASONS:
            raise CountingError(
                "not_a_board_reason",
                f"Lý do «{self.board_reason}» được tính từ các ô đánh dấu, "
                "Ban kiểm phiếu không ghi lý do này.",
            )


@dataclass(frozen=True)
class Valid:
    """A valid ballot and the candidates (indexes in ballot order) it gives a vote to."""

    votes: tuple[int, ...]


@dataclass(frozen=True)
class Invalid:
    reason: InvalidReason


def classify(
    ballot: Ballot, kind: BallotKind, seats: int, rules: Rules = DEFAULT_RULES
) -> Valid | Invalid:
    """Decide whether a ballot is valid and, if so, whom it votes for (244-QĐ/TW Điều 17.2)."""
    if ballot.board_reason is InvalidReason.NOT_ISSUED:
        return Invalid(InvalidReason.NOT_ISSUED)
    if ballot.board_reason is InvalidReason.MARKED and rules.marked_invalid:
        return Invalid(InvalidReason.MARKED)
    marks = ballot.marks
    if not marks:
        raise CountingError("no_marks", "Lá phiếu không có ô đánh dấu nào để đếm.")
    allowed = _ALLOWED[kind]
    if any(mark not in allowed for mark in marks):
        raise CountingError("bad_mark", f"Lá phiếu có ô không dùng được cho loại phiếu «{kind}».")
    votes = tuple(i for i, mark in enumerate(marks) if mark == 1)
    if kind is BallotKind.SINGLE:
        if len(marks) != 1:
            raise CountingError("single_needs_one", "Phiếu một người phải có đúng một ô.")
        if marks[0] in (BOTH, BLANK) and rules.single_both_or_neither_invalid:
            return Invalid(InvalidReason.SINGLE_BOTH_OR_NEITHER)
        return Valid(votes)
    if kind is BallotKind.STRIKE and not votes and rules.all_struck_invalid:
        return Invalid(InvalidReason.ALL_STRUCK)
    if (
        kind is BallotKind.AGREE
        and all(mark in (BOTH, BLANK) for mark in marks)
        and rules.agree_all_blank_or_both_invalid
    ):
        return Invalid(InvalidReason.AGREE_ALL_BLANK_OR_BOTH)
    if len(votes) > seats:
        return Invalid(InvalidReason.TOO_MANY)
    # 190-QĐ/TW Điều 30.1: rows with both or neither box count for nobody; the ballot stays valid.
    return Valid(votes)


@dataclass(frozen=True)
class CandidateResult:
    name: str
    position: int  # 0-based place in ballot order
    votes: int
    base: int
    elected: bool

    @property
    def percent_of_base(self) -> Fraction:
        """Exact percentage of the base (not of the valid ballots: domain.md §5)."""
        return Fraction(100 * self.votes, self.base)

    @property
    def percent_text(self) -> str:
        """Two decimals, rounded half up, decimal comma: "99,27%"."""
        return format_percent(self.votes, self.base)

    @property
    def percent_rounded(self) -> Decimal:
        """The same rounding as ``percent_text`` as a Decimal with two places (99.27)."""
        hundredths = math.floor(self.percent_of_base * 100 + Fraction(1, 2))
        return Decimal(hundredths).scaleb(-2)


@dataclass(frozen=True)
class NextRound:
    """What the next round would be: a proposal when ``congress_decides`` (244-QĐ/TW Điều 20.2)."""

    number: int
    candidates: tuple[str, ...]  # ballot order
    seats: int
    reason: Literal["tie", "unfilled"]
    congress_decides: bool


@dataclass(frozen=True)
class Result:
    round_number: int
    kind: BallotKind
    seats: int
    base: int
    issued: int | None
    ballots_collected: int
    valid: int
    invalid: Mapping[InvalidReason, int]  # only reasons that occurred, in the order of the enum
    candidates: tuple[CandidateResult, ...]  # ballot order
    elected: tuple[str, ...]  # descending votes, ties in ballot order
    tied: tuple[str, ...]  # tied for the last seat(s), none of them elected; ballot order
    tied_seats: int  # seats the tied compete for
    unfilled: int  # seats no candidate won with more than half of the base
    next_round: NextRound | None
    problems: tuple[Problem, ...] = field(default=())

    @property
    def invalid_total(self) -> int:
        return sum(self.invalid.values())

    @property
    def threshold(self) -> int:
        """The fewest votes that are more than half of the base."""
        return self.base // 2 + 1


def _validate(
    candidates: Sequence[str], seats: int, base: int, kind: BallotKind
) -> tuple[str, ...]:
    names = tuple(collapse_whitespace(nfc(name)) for name in candidates)
    if not names:
        raise CountingError("no_candidates", "Danh sách bầu cử không có ai.")
    if any(not name for name in names):
        raise CountingError("empty_name", "Danh sách bầu cử có tên để trống.")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise CountingError("duplicate_candidate", f"Tên «{name}» có hai lần trong danh sách.")
        seen.add(name)
    if seats < 1:
        raise CountingError("bad_seats", "Số lượng cần bầu phải ít nhất là 1.")
    if base < 1:
        raise CountingError("bad_base", "Số đại biểu làm cơ sở tính phải ít nhất là 1.")
    if kind is BallotKind.SINGLE and (len(names) != 1 or seats != 1):
        raise CountingError(
            "single_needs_one", "Phiếu một người chỉ dùng khi bầu 1 người với 1 ứng cử viên."
        )
    return names


@dataclass(frozen=True)
class Selection:
    """Who is elected from the vote counts, as candidate indexes in ballot order."""

    elected: tuple[int, ...]  # descending votes, equal votes in ballot order
    tied: tuple[int, ...]  # tied for the last seat(s), none elected; ballot order
    tied_seats: int
    unfilled: int


def select(votes: Sequence[int], seats: int, base: int) -> Selection:
    """Elected = more than half of the base (244-QĐ/TW Điều 32.2–3; 190-QĐ/TW Điều 30.2).

    When more pass than there are seats, the highest win; if the last seat falls on a tie,
    none of the tied is elected. Sorting by position keeps the output deterministic: equal
    votes are listed in ballot order, never by age or anything else.
    """
    ranked = sorted(range(len(votes)), key=lambda i: (-votes[i], i))
    passing = [i for i in ranked if 2 * votes[i] > base]
    if len(passing) > seats and votes[passing[seats - 1]] == votes[passing[seats]]:
        cut = votes[passing[seats]]
        elected = tuple(i for i in passing if votes[i] > cut)
        tied = tuple(sorted(i for i in passing if votes[i] == cut))
        return Selection(elected, tied, seats - len(elected), 0)
    return Selection(tuple(passing[:seats]), (), 0, max(0, seats - len(passing)))


def tally(
    ballots: Iterable[Ballot] | Mapping[Ballot, int],
    candidates: Sequence[str],
    seats: int,
    base: int,
    kind: BallotKind = BallotKind.STRIKE,
    rules: Rules = DEFAULT_RULES,
    *,
    issued: int | None = None,
    round_number: int = 1,
) -> Result:
    """Count one round. ``ballots`` may also map each distinct ballot to how many were cast.

    ``base`` is the fixed base of domain.md §5, the same in every round; ``seats`` are the seats
    still to fill in this round.
    """
    names = _validate(candidates, seats, base, kind)
    counted = ballots if isinstance(ballots, Mapping) else Counter(ballots)
    valid = 0
    invalid: Counter[InvalidReason] = Counter()
    votes = [0] * len(names)
    for ballot, count in counted.items():
        if count < 0:
            raise CountingError("negative_count", "Số lá phiếu giống nhau không thể âm.")
        if ballot.marks and len(ballot.marks) != len(names):
            raise CountingError(
                "wrong_length",
                f"Lá phiếu có {len(ballot.marks)} ô, danh sách có {len(names)} người.",
            )
        if not ballot.marks and ballot.board_reason is None:
            raise CountingError("wrong_length", "Lá phiếu không có ô nào.")
        outcome = classify(ballot, kind, seats, rules)
        if isinstance(outcome, Invalid):
            invalid[outcome.reason] += count
            continue
        valid += count
        for index in outcome.votes:
            votes[index] += count

    return _result(
        names, seats, base, kind, rules,
        collected=valid + sum(invalid.values()), valid=valid, invalid=invalid, votes=votes,
        issued=issued, round_number=round_number,
    )  # fmt: skip


def tally_totals(
    candidates: Sequence[str],
    seats: int,
    base: int,
    *,
    collected: int,
    invalid: Mapping[InvalidReason, int],
    votes: Sequence[int],
    kind: BallotKind = BallotKind.STRIKE,
    issued: int | None = None,
    round_number: int = 1,
    rules: Rules = DEFAULT_RULES,
) -> Result:
    """Count one round from the totals of a hand-count tally sheet: ballots collected, invalid
    ballots per reason and votes per candidate in ballot order. The same Result as `tally` of
    the ballots behind those totals; numbers that no set of ballots could give are problems
    (errors), not exceptions, so the board sees every one of them."""
    names = _validate(candidates, seats, base, kind)
    if len(votes) != len(names):
        raise CountingError(
            "wrong_length", f"Có {len(votes)} số phiếu bầu, danh sách có {len(names)} người."
        )
    try:
        reasons = Counter({InvalidReason(reason): n for reason, n in invalid.items()})
    except ValueError:
        raise CountingError("bad_reason", "Có lý do phiếu không hợp lệ không được biết.") from None
    if collected < 0 or any(n < 0 for n in (*reasons.values(), *votes)):
        raise CountingError("negative_count", "Số phiếu không thể âm.")
    invalid_total = sum(reasons.values())
    valid = collected - invalid_total
    extra: list[Problem] = []
    if valid < 0:
        extra.append(
            Problem(
                "invalid_exceeds_collected",
                f"Phiếu không hợp lệ ({invalid_total}) nhiều hơn số phiếu thu về ({collected}).",
            )
        )
    if sum(votes) > max(valid, 0) * seats:
        # A valid ballot gives at most `seats` votes (more makes it invalid: 244-QĐ/TW Điều 17.2).
        extra.append(
            Problem(
                "votes_exceed_valid_times_seats",
                f"Tổng số phiếu bầu ({sum(votes)}) lớn hơn số phiếu hợp lệ ({max(valid, 0)}) "
                f"nhân số lượng cần bầu ({seats}).",
            )
        )
    return _result(
        names, seats, base, kind, rules,
        collected=collected, valid=valid, invalid=reasons, votes=list(votes),
        issued=issued, round_number=round_number, extra_problems=tuple(extra),
    )  # fmt: skip


def _result(
    names: tuple[str, ...],
    seats: int,
    base: int,
    kind: BallotKind,
    rules: Rules,
    *,
    collected: int,
    valid: int,
    invalid: Mapping[InvalidReason, int],
    votes: Sequence[int],
    issued: int | None,
    round_number: int,
    extra_problems: tuple[Problem, ...] = (),
) -> Result:
    """What `tally` and `tally_totals` share once the ballots are counted: who is elected, the
    next round, the checks of the minutes."""
    chosen = select(votes, seats, base)
    elected, tied = chosen.elected, chosen.tied
    elected_set = set(elected)
    not_elected = tuple(name for i, name in enumerate(names) if i not in elected_set)
    next_round: NextRound | None = None
    if tied and rules.tie_round_among_tied_only:
        next_round = NextRound(
            round_number + 1, tuple(names[i] for i in tied), chosen.tied_seats, "tie", False
        )
    elif tied:  # Rules.tie_round_among_tied_only off: the congress decides, as for unfilled
        next_round = NextRound(round_number + 1, not_elected, chosen.tied_seats, "tie", True)
    elif chosen.unfilled:
        next_round = NextRound(round_number + 1, not_elected, chosen.unfilled, "unfilled", True)

    results = tuple(
        CandidateResult(name, i, votes[i], base, i in elected_set) for i, name in enumerate(names)
    )
    problems = check_counts(
        collected=collected,
        valid=valid,
        invalid=sum(invalid.values()),
        votes=dict(zip(names, votes, strict=True)),
        issued=issued,
    )
    return Result(
        round_number=round_number,
        kind=kind,
        seats=seats,
        base=base,
        issued=issued,
        ballots_collected=collected,
        valid=valid,
        invalid=MappingProxyType({r: invalid[r] for r in InvalidReason if invalid.get(r)}),
        candidates=results,
        elected=tuple(names[i] for i in elected),
        tied=tuple(names[i] for i in tied),
        tied_seats=chosen.tied_seats,
        unfilled=chosen.unfilled,
        next_round=next_round,
        problems=extra_problems + problems,
    )


def ballot_order(names: Iterable[str]) -> tuple[str, ...]:
    """Names in ballot order: given name, family name, middle names (domain.md §6 [verify])."""
    return tuple(sorted((collapse_whitespace(nfc(name)) for name in names), key=person_sort_key))
