"""Count a large ballot CSV fast: the rows a machine writes are classified as one numpy array.

The file layout is the one of `ballot_csv`. A row whose cells are single characters (``1``,
``0``, ``2``) with an empty or absent ``invalid`` cell, and whose length is the common one, is
read as a row of a 2-D byte array; classification (too many, all struck, …) and the votes per
candidate are computed on the whole array at once. Every other row (a board reason, an empty
cell, spaces, another line ending) is read by the exact reader `ballot_csv.read_ballots`. Any
doubt about the file (quotes, a row the array check refuses and the exact reader too, bytes
that are not UTF-8) sends the whole file to the exact reader, so the errors are the same,
with the same row and column.

`count_marks` counts the stored typings' marks of a round the same way (services/counting.py).

`count_ballot_file` returns what `tally` needs: a small multiset of ballots (Ballot → count)
with exactly the file's number of valid ballots, invalid ballots per reason, and votes per
candidate. Its valid ballots are not the file's rows but an equivalent set (see
`_valid_equivalent`); `tally` of it equals `tally` of the file's ballots, field by field.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from daihoi.vietnamese import nfc

from .ballot_csv import INVALID_COLUMN, read_ballot_file, read_ballots
from .counting import DEFAULT_RULES, Ballot
from .rules import BallotKind, InvalidReason, Rules

__all__ = ["BallotCounts", "count_ballot_file", "count_ballots", "count_marks"]

_BOM = b"\xef\xbb\xbf"
_ZERO = ord("0")
_NEWLINE = ord("\n")
_RETURN = ord("\r")
_BLANK = 3  # neither box, in the array
# The stored marks alphabet (models.BallotEntry.marks) to array values; anything else is 255.
_STORED = bytes(
    {ord("0"): 0, ord("1"): 1, ord("2"): 2, ord("-"): _BLANK}.get(byte, 255) for byte in range(256)
)


@dataclass(frozen=True)
class BallotCounts:
    candidates: tuple[str, ...]  # ballot order, NFC
    ballots: Mapping[Ballot, int]  # counts the same as the file's ballots (module docstring)
    rows: int  # ballots in the file


def count_ballot_file(
    path: str | Path, kind: BallotKind, seats: int, rules: Rules = DEFAULT_RULES
) -> BallotCounts:
    try:
        data = Path(path).read_bytes()
    except OSError:
        read_ballot_file(path, kind)  # raises the reader's Vietnamese message
        raise
    return count_ballots(data, kind, seats, rules)


def count_ballots(
    data: bytes, kind: BallotKind, seats: int, rules: Rules = DEFAULT_RULES
) -> BallotCounts:
    """The fast path when the file allows it, otherwise the exact reader; same tally either way."""
    counted = _fast(data, kind, seats, rules)
    if counted is not None:
        return counted
    exact = read_ballots(data, kind)
    return BallotCounts(exact.candidates, Counter(exact.ballots), len(exact.ballots))


@dataclass(frozen=True)
class _Layout:
    candidates: tuple[str, ...]
    has_reason: bool
    delimiter: int
    eol: bytes
    body: int  # offset of the first data row


def _layout(data: bytes, kind: BallotKind) -> _Layout | None:
    start = len(_BOM) if data.startswith(_BOM) else 0
    end = data.find(b"\n", start)
    if end < 0 or data[start : start + 1] in (b"\r", b"\n"):
        return None
    raw = data[start:end]
    eol = b"\r\n" if raw.endswith(b"\r") else b"\n"
    raw = raw.removesuffix(b"\r")
    try:
        header = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if '"' in header or "\r" in header or header.splitlines() != [header]:
        return None
    delimiter = ";" if ";" in header and "," not in header else ","
    cells = next(csv.reader([header], delimiter=delimiter))
    has_reason = nfc(cells[0]).strip().casefold() == INVALID_COLUMN
    # The exact reader checks the names (NFC, blanks, duplicates) but refuses a file with no
    # ballot: give it one row of the right width that every kind accepts.
    sample = delimiter.join("" if has_reason and i == 0 else "1" for i in range(len(cells)))
    try:
        parsed = read_ballots(f"{header}\n{sample}\n", kind)
    except ValueError:
        return None
    if len(cells) != len(parsed.candidates) + has_reason:
        return None
    return _Layout(parsed.candidates, has_reason, ord(delimiter), eol, end + 1)


def _fast(data: bytes, kind: BallotKind, seats: int, rules: Rules) -> BallotCounts | None:
    if b'"' in data:
        return None  # a quoted cell may span lines: only the csv module reads that right
    layout = _layout(data, kind)
    if layout is None:
        return None
    n = len(layout.candidates)
    lead = 1 if layout.has_reason else 0  # the empty reason cell is just its delimiter
    width = lead + 2 * n - 1 + len(layout.eol)
    body = np.frombuffer(data, np.uint8, offset=layout.body)
    if len(body) and body[-1] != _NEWLINE:
        body = np.concatenate([body, np.frombuffer(layout.eol, np.uint8)])
    rows, others = _regular_rows(body, width, layout.eol)
    ok = _row_check(rows, n, lead, layout.delimiter, kind)
    if not ok.all():
        others = others + [row.tobytes() for row in rows[~ok]]
        rows = rows[ok]
    counts: Counter[Ballot] = Counter()
    total = len(rows)
    if others:
        text = data[: layout.body] + b"".join(others)
        try:
            extra = read_ballots(text, kind)
        except ValueError:
            return None  # the exact reader over the whole file gives the error and its row
        counts.update(extra.ballots)
        total += len(extra.ballots)
    if total == 0:
        return None
    marks = rows[:, lead : lead + 2 * n - 1 : 2] - np.uint8(_ZERO)
    _count_rows(marks, kind, seats, rules, counts)
    return BallotCounts(layout.candidates, counts, total)


def _regular_rows(body: np.ndarray, width: int, eol: bytes) -> tuple[np.ndarray, list[bytes]]:
    """The rows of the common length as a 2-D view (no copy when all are), and the rest."""
    if len(body) % width == 0:
        rows = body.reshape(-1, width)
        if (rows[:, -1] == _NEWLINE).all() and (eol == b"\n" or (rows[:, -2] == _RETURN).all()):
            return rows, []
    ends = np.flatnonzero(body == _NEWLINE) + 1
    starts = np.concatenate([[0], ends[:-1]])
    lengths = ends - starts
    regular = lengths == width
    others = [
        line
        for start, end in zip(starts[~regular].tolist(), ends[~regular].tolist(), strict=True)
        # a line of nothing but line breaks is no ballot (the csv module skips it too)
        if (line := body[start:end].tobytes()).strip(b"\r\n")
    ]
    return body[np.repeat(regular, lengths)].reshape(-1, width), others


def _row_check(rows: np.ndarray, n: int, lead: int, delimiter: int, kind: BallotKind) -> np.ndarray:
    """True for each row of single-character cells the kind allows, in their places."""
    highest = 1 if kind is BallotKind.STRIKE else 2
    cells = rows[:, lead : lead + 2 * n - 1 : 2]
    gaps = rows[:, lead + 1 : lead + 2 * n - 1 : 2]
    ends = rows[:, lead + 2 * n - 1 : -1]  # "\r" before "\n" in a CRLF file, else nothing
    if (
        ((cells - np.uint8(_ZERO)) <= highest).all()
        and (gaps == delimiter).all()
        and (not lead or (rows[:, 0] == delimiter).all())
        and (ends == _RETURN).all()
    ):
        return np.ones(len(rows), dtype=bool)
    ok = ((cells - np.uint8(_ZERO)) <= highest).all(axis=1)
    ok &= (gaps == delimiter).all(axis=1) & (ends == _RETURN).all(axis=1)
    if lead:
        ok &= rows[:, 0] == delimiter
    return ok


def count_marks(
    rows: Sequence[str], kind: BallotKind, seats: int, rules: Rules = DEFAULT_RULES
) -> Counter[Ballot] | None:
    """The stored typings' marks ("1", "0", "2", "-" for neither box; one string per ballot with
    no board reason) counted the same way; None when a row does not fit the array (another
    length, a mark the kind does not allow): the engine then counts them and says what is wrong.
    """
    counts: Counter[Ballot] = Counter()
    if not rows:
        return counts
    n = len(rows[0])
    if n == 0 or any(len(row) != n for row in rows):
        return None
    try:
        data = "".join(rows).encode("ascii")
    except UnicodeEncodeError:
        return None
    marks = np.frombuffer(data.translate(_STORED), np.uint8).reshape(-1, n)
    if marks.max() > (1 if kind is BallotKind.STRIKE else _BLANK):
        return None
    _count_rows(marks, kind, seats, rules, counts)
    return counts


def _count_rows(
    marks: np.ndarray, kind: BallotKind, seats: int, rules: Rules, counts: Counter[Ballot]
) -> None:
    """Classify each row as `counting.classify` does and add the equivalent ballots to counts.

    ``marks`` holds 0 struck / disagree, 1 kept / agree, 2 both boxes, 3 (`_BLANK`) neither.
    """
    if len(marks) == 0:
        return
    n = marks.shape[1]
    ones = marks == 1 if kind is not BallotKind.STRIKE else marks.view(bool)
    kept = ones.sum(axis=1, dtype=np.int32)
    invalid = np.zeros(len(marks), dtype=bool)
    reasons: list[tuple[InvalidReason, np.ndarray]] = []
    if kind is BallotKind.SINGLE:
        if n == 1 and rules.single_both_or_neither_invalid:
            reasons.append((InvalidReason.SINGLE_BOTH_OR_NEITHER, marks[:, 0] >= 2))
    else:
        if kind is BallotKind.STRIKE and rules.all_struck_invalid:
            reasons.append((InvalidReason.ALL_STRUCK, kept == 0))
        if kind is BallotKind.AGREE and rules.agree_all_blank_or_both_invalid:
            reasons.append((InvalidReason.AGREE_ALL_BLANK_OR_BOTH, (marks >= 2).all(axis=1)))
        reasons.append((InvalidReason.TOO_MANY, kept > seats))
    for _reason, hit in reasons:  # the sample row below carries the reason
        hit = hit & ~invalid  # the first rule that applies gives the reason, as in classify
        invalid |= hit
        if hit.any():
            # A real row with this reason, counted as many times as the reason occurs.
            sample = marks[int(np.argmax(hit))].tolist()
            ballot = Ballot(tuple(None if mark == _BLANK else mark for mark in sample))
            counts[ballot] += int(hit.sum())
    valid = ~invalid
    if invalid.any():
        votes = ones[valid].sum(axis=0, dtype=np.int64)
    else:
        votes = ones.sum(axis=0, dtype=np.int64)
    _valid_equivalent(int(valid.sum()), votes.tolist(), counts)


def _valid_equivalent(valid: int, votes: list[int], counts: Counter[Ballot]) -> None:
    """`valid` ballots giving candidate i exactly votes[i] votes, in few distinct patterns.

    Lay the votes out candidate after candidate and deal them round the ballots like cards:
    vote number p goes on ballot p mod valid. Each candidate has at most `valid` votes, so no
    ballot gets one candidate twice, and every ballot gets floor or ceil(total / valid) votes,
    which lies between the fewest and the most that the file's valid ballots carry, so every
    dealt ballot is valid too. Ballots between two consecutive cut points (where a candidate's
    run starts or ends) are identical: at most 2n + 1 patterns. Unmarked cells are 0 (struck /
    disagree), which keeps an agree ballot with no vote valid.
    """
    if valid == 0:
        return
    per = np.asarray(votes, dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(per)[:-1]]) % valid
    cuts = np.unique(np.concatenate([[0, valid], first, (first + per) % valid]))
    for start, stop in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        pattern = ((start - first) % valid) < per
        counts[Ballot(tuple(pattern.astype(np.int8).tolist()))] += stop - start
