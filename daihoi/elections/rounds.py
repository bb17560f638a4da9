"""Election rounds (lần bầu): the base stays the same; seats left = seats − already elected."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from daihoi.vietnamese import nfc

from .counting import DEFAULT_RULES, Ballot, CountingError, Result, tally
from .rules import BallotKind, Rules

__all__ = ["Round"]


@dataclass(frozen=True)
class Round:
    """Lần bầu (`ElectionRound`): rounds share the base; seats left = seats − already elected."""

    number: int
    candidates: tuple[str, ...]
    total_seats: int
    base: int
    already_elected: tuple[str, ...] = ()

    @classmethod
    def first(cls, candidates: Sequence[str], seats: int, base: int) -> Round:
        return cls(1, tuple(candidates), seats, base)

    @property
    def seats(self) -> int:
        return self.total_seats - len(self.already_elected)

    def count(
        self,
        ballots: Iterable[Ballot] | Mapping[Ballot, int],
        kind: BallotKind = BallotKind.STRIKE,
        rules: Rules = DEFAULT_RULES,
        *,
        issued: int | None = None,
    ) -> Result:
        return tally(
            ballots,
            self.candidates,
            self.seats,
            self.base,
            kind,
            rules,
            issued=issued,
            round_number=self.number,
        )

    def next(self, result: Result, candidates: Sequence[str] | None = None) -> Round | None:
        """The next round after ``result``; the congress may pass its own list (``candidates``)."""
        if result.next_round is None:
            return None
        names = result.next_round.candidates if candidates is None else tuple(candidates)
        already_elected = self.already_elected + result.elected
        repeated = set(map(nfc, names)) & set(already_elected)
        if repeated:
            raise CountingError(
                "already_elected",
                f"{', '.join(sorted(repeated))} đã trúng cử, không có trong danh sách bầu tiếp.",
            )
        return Round(
            self.number + 1,
            tuple(names),
            self.total_seats,
            self.base,
            already_elected,
        )
