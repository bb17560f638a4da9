"""The fast CSV path counts exactly as the exact reader: same result, same errors."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.elections import DEFAULT_RULES, BallotKind, Rules, tally
from daihoi.elections.ballot_csv import BallotFileError, read_ballots
from daihoi.elections.fast_csv import _fast, count_ballots, count_marks
from daihoi.elections.services.entry import ballot_of
from daihoi.vietnamese import nfd

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]


def both(data: bytes, kind: BallotKind, seats: int, rules: Rules = DEFAULT_RULES):
    """The result of the fast path and of the exact path, or the error message of each."""
    try:
        counted = count_ballots(data, kind, seats, rules)
        fast = tally(counted.ballots, counted.candidates, seats, 1_000, kind, rules)
        fast_rows = counted.rows
    except BallotFileError as exc:
        fast, fast_rows = exc.message, None
    try:
        exact_file = read_ballots(data, kind)
        exact = tally(exact_file.ballots, exact_file.candidates, seats, 1_000, kind, rules)
        exact_rows = len(exact_file.ballots)
    except BallotFileError as exc:
        exact, exact_rows = exc.message, None
    return (fast, fast_rows), (exact, exact_rows)


def make_file(rng: random.Random, kind: BallotKind, size: int, rows: int) -> bytes:
    """A random file: mostly machine-written rows, some of every special case."""
    names = NAMES[:size] if kind is not BallotKind.SINGLE else NAMES[:1]
    size = len(names)
    reason = rng.random() < 0.5
    delimiter = ";" if rng.random() < 0.2 else ","
    eol = "\r\n" if rng.random() < 0.3 else "\n"
    header = [nfd(n) if rng.random() < 0.3 else n for n in names]
    lines = [delimiter.join((["invalid"] if reason else []) + header)]
    cells = ["0", "1"] if kind is BallotKind.STRIKE else ["0", "1", "2", "", " 1"]
    for _ in range(rows):
        keep = rng.random()
        marks = [rng.choice(cells[:2]) if keep < 0.8 else rng.choice(cells) for _ in range(size)]
        roll = rng.random()
        if roll < 0.05 and kind is BallotKind.STRIKE:
            marks = ["0"] * size  # all struck
        elif roll < 0.1:
            marks = ["1"] * size  # too many when seats < size
        elif roll < 0.12:
            marks[0] = " 0 "  # spaces around a cell: the exact reader strips them
        row = marks
        if reason:
            code = rng.choice(["", "", "", "", "marked", "not_issued"])
            row = [code] + (["" for _ in marks] if code and rng.random() < 0.5 else marks)
        lines.append(delimiter.join(row))
        if rng.random() < 0.02:
            lines.append("")  # a blank line is not a ballot
    text = eol.join(lines) + (eol if rng.random() < 0.8 else "")
    return (b"\xef\xbb\xbf" if rng.random() < 0.3 else b"") + text.encode()


@pytest.mark.parametrize("seed", range(60))
def test_random_files_count_the_same(seed: int) -> None:
    rng = random.Random(seed)
    kind = [BallotKind.STRIKE, BallotKind.AGREE, BallotKind.SINGLE][seed % 3]
    size = rng.randint(1, 5) if kind is not BallotKind.SINGLE else 1
    seats = 1 if kind is BallotKind.SINGLE else rng.randint(1, size)
    data = make_file(rng, kind, size, rng.randint(1, 300))
    fast, exact = both(data, kind, seats)
    assert fast == exact
    if not isinstance(exact[0], str):  # a readable file takes the fast path, not the fallback
        assert _fast(data, kind, seats, DEFAULT_RULES) is not None


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(list(BallotKind)),
    rows=st.lists(st.lists(st.sampled_from(["0", "1", "2"]), min_size=4, max_size=4), max_size=40),
    seats=st.integers(1, 4),
    rules=st.builds(Rules, st.booleans(), st.booleans(), st.booleans(), st.booleans()),
)
def test_machine_written_rows_under_every_rule(kind, rows, seats, rules) -> None:
    size = 1 if kind is BallotKind.SINGLE else 4
    seats = 1 if kind is BallotKind.SINGLE else seats
    lines = [",".join(NAMES[:size])] + [",".join(row[:size]) for row in rows]
    fast, exact = both(("\n".join(lines) + "\n").encode(), kind, seats, rules)
    assert fast == exact


@pytest.mark.parametrize(
    "text",
    [
        "An,Bình\n1,0\n1,x\n",  # a bad cell in the array part
        "An,Bình\n1,0\n1,0,1\n",  # a row too wide
        "invalid,An,Bình\n,1,0\ntoo_many,1,1\n",  # a computed reason in the board column
        "An,An\n1,0\n",  # duplicate names
        "An,Bình\n",  # header only
        "An,Bình\n1,0\n\x001,0\n",  # a NUL byte
        'An,Bình\n"1",0\n1,\n',  # quotes
        "An,Bình\n1;0\n",  # the other delimiter in a row
    ],
)
def test_bad_files_give_the_exact_error(text: str) -> None:
    fast, exact = both(text.encode(), BallotKind.STRIKE, 1)
    assert fast == exact
    assert isinstance(fast[0], str)


@pytest.mark.parametrize("data", ["An,Bình\n1,0\n".encode("latin-1"), b"An,B\n1,0\n\xff,0\n"])
def test_not_utf8_falls_back_to_the_exact_message(data: bytes) -> None:
    fast, exact = both(data, BallotKind.STRIKE, 1)
    assert fast == exact and isinstance(fast[0], str)


def test_a_large_regular_file_has_few_distinct_ballots() -> None:
    rng = random.Random(7)
    rows = [",".join(rng.choice("0111") for _ in range(20)) for _ in range(5_000)]
    names = [f"Ứng cử viên {i}" for i in range(20)]
    data = ("\n".join([",".join(names), *rows]) + "\n").encode()
    counted = count_ballots(data, BallotKind.STRIKE, 15)
    assert counted.rows == 5_000 and len(counted.ballots) <= 2 * 20 + 3
    exact = read_ballots(data, BallotKind.STRIKE)
    assert tally(counted.ballots, counted.candidates, 15, 5_000) == tally(
        exact.ballots, exact.candidates, 15, 5_000
    )


@settings(max_examples=80, deadline=None)
@given(
    kind=st.sampled_from(list(BallotKind)),
    rows=st.lists(st.text("0112-", min_size=4, max_size=4), min_size=1, max_size=40),
    seats=st.integers(1, 4),
)
def test_stored_marks_count_as_the_engine(kind, rows, seats) -> None:
    size = 1 if kind is BallotKind.SINGLE else 4
    seats = 1 if kind is BallotKind.SINGLE else seats
    rows = [row[:size] for row in rows]
    names = NAMES[:size]
    counted = count_marks(rows, kind, seats)
    if kind is BallotKind.STRIKE and any(set(row) - {"0", "1"} for row in rows):
        assert counted is None  # the engine counts these and names the bad mark
        return
    exact = tally([ballot_of(row, "") for row in rows], names, seats, 10, kind)
    assert tally(counted, names, seats, 10, kind) == exact


def test_stored_marks_of_another_length_go_to_the_engine() -> None:
    assert count_marks(["1110", "111"], BallotKind.STRIKE, 3) is None
    assert count_marks(["11é0"], BallotKind.AGREE, 3) is None
    assert count_marks([], BallotKind.AGREE, 3) == {}
