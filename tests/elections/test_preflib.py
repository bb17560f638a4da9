"""Real approval ballots from PrefLib, read as strike ballots (kept = approved).

The data stay in ../shared/data/preflib (GPL-3.0 as shipped; see its README for provenance and
the required citation: Laslier and Van der Straeten, Experimental Economics 11, 2008). The
expected counts are computed here a second, simpler way, with a Counter over the approvals.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from daihoi.elections import Ballot, InvalidReason, select, tally

PREFLIB = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "preflib"

pytestmark = pytest.mark.skipif(not PREFLIB.is_dir(), reason="../shared/data/preflib is absent")

Approvals = list[tuple[int, frozenset[int]]]


def read_cat(name: str) -> tuple[list[str], Approvals]:
    """PrefLib categorical file: `COUNT: {approved},{not approved}` lines, 1-based ids."""
    names: dict[int, str] = {}
    rows: Approvals = []
    for line in (PREFLIB / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("# ALTERNATIVE NAME "):
            number, _, label = line.removeprefix("# ALTERNATIVE NAME ").partition(": ")
            names[int(number)] = label
        elif line.strip() and not line.startswith("#"):
            count, _, rest = line.partition(":")
            rest = rest.strip()
            approved = rest[1 : rest.index("}")] if rest.startswith("{") else rest.split(",")[0]
            ids = frozenset(int(i) for i in approved.split(",") if i.strip())
            rows.append((int(count), ids))
    return [names[i] for i in sorted(names)], rows


def as_strike_ballots(size: int, rows: Approvals) -> Counter[Ballot]:
    ballots: Counter[Ballot] = Counter()
    for count, approved in rows:
        ballots[Ballot(tuple(1 if i in approved else 0 for i in range(1, size + 1)))] += count
    return ballots


def expected(names: list[str], rows: Approvals, seats: int) -> tuple[Counter, Counter]:
    """Invalid reasons and votes, counted directly from the approvals."""
    invalid: Counter[str] = Counter()
    votes: Counter[str] = Counter()
    for count, approved in rows:
        if not approved:
            invalid["all_struck"] += count
        elif len(approved) > seats:
            invalid["too_many"] += count
        else:
            for i in approved:
                votes[names[i - 1]] += count
    return invalid, votes


@pytest.mark.parametrize(
    ("file", "seats"),
    [
        ("00026-00000001.cat", 3),
        ("00026-00000001.cat", 16),
        ("00026-00000002.cat", 5),
        ("00033-00000002.cat", 3),
        ("00033-00000002.cat", 17),
        ("00057-00000009.cat", 1),
    ],
)
def test_tally_matches_a_direct_count(file: str, seats: int) -> None:
    names, rows = read_cat(file)
    total = sum(count for count, _ in rows)
    for base in (total, total // 3):
        result = tally(as_strike_ballots(len(names), rows), names, seats, base)
        invalid, votes = expected(names, rows, seats)
        assert result.ballots_collected == total
        assert {str(r): n for r, n in result.invalid.items()} == dict(invalid)
        assert result.valid == total - sum(invalid.values())
        assert {c.name: c.votes for c in result.candidates} == {n: votes[n] for n in names}
        assert result.problems == ()
        winners = sorted((n for n in names if 2 * votes[n] > base), key=lambda n: -votes[n])
        assert set(result.elected) <= set(winners)
        assert len(result.elected) + result.tied_seats + result.unfilled == seats


def test_french_district_hand_checked() -> None:
    names, rows = read_cat("00026-00000001.cat")
    result = tally(as_strike_ballots(len(names), rows), names, seats=16, base=365)
    assert result.ballots_collected == 365
    assert dict(result.invalid) == {InvalidReason.ALL_STRUCK: 13}  # 13 empty ballots
    votes = {c.name: c.votes for c in result.candidates}
    assert max(votes, key=votes.__getitem__) == "Chirac"
    # With 3 seats, ballots approving 4 or more names vote for too many.
    three = tally(as_strike_ballots(len(names), rows), names, seats=3, base=121)
    assert three.elected == ("Chirac", "LePen")
    assert three.unfilled == 1


def test_poster_competition_tie_matches_the_abcvoting_oracle() -> None:
    # abcvoting's AV rule, committee size 3: A1 with any two of A2, A3, A4 (README).
    names, rows = read_cat("00033-00000002.cat")
    every_ballot_valid = tally(as_strike_ballots(len(names), rows), names, seats=17, base=65)
    assert every_ballot_valid.valid == 65
    votes = [c.votes for c in every_ballot_valid.candidates]
    assert votes[:4] == [39, 33, 33, 33]
    chosen = select(votes, seats=3, base=65)
    assert [names[i] for i in chosen.elected] == ["PosterA1"]
    assert [names[i] for i in chosen.tied] == ["PosterA2", "PosterA3", "PosterA4"]
    assert chosen.tied_seats == 2


def test_austrian_election_millions_of_ballots() -> None:
    names, rows = read_cat("00057-00000009.cat")
    ballots = as_strike_ballots(len(names), rows)
    result = tally(ballots, names, seats=1, base=4_777_246)
    assert result.valid == 4_777_246
    top = max(result.candidates, key=lambda c: c.votes)
    assert (top.name, top.votes, top.percent_text) == ("ÖVP", 1_789_417, "37,46%")
    assert result.elected == ()  # far from more than half of all voters
    assert result.next_round is not None and result.next_round.congress_decides
