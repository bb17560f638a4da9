"""Read ballots from a CSV file: one row per paper ballot, one column per candidate.

Layout (the input of `daihoi tally`):

- UTF-8, with or without BOM; comma-separated (a semicolon is accepted when the header has
  no comma, as Excel saves it with Vietnamese regional settings);
- header: the candidates' names in ballot order (compared in Unicode NFC), optionally preceded
  by a column ``invalid``;
- cells: ``1`` kept / agree, ``0`` struck / disagree, empty = neither box, ``2`` = both boxes
  (a strike ballot has only ``1`` and ``0``);
- ``invalid``: empty, or the counting board's reason for a ballot it rejects on sight,
  ``not_issued`` (no stamp, not the printed form) or ``marked`` (identifying mark, write-in);
  the cells of such a row may be left empty. Other reasons are computed from the marks.

A blank line is not a ballot; in a one-column file (a single candidate) write a ballot with
neither box as ``""``, or add the ``invalid`` column so the row reads ``,``.
"""

from __future__ import annotations

import csv
import io
from _csv import Reader
from dataclasses import dataclass
from pathlib import Path

from daihoi.vietnamese import nfc
from daihoi.vietnamese.text import collapse_whitespace

from .counting import BLANK, BOTH, KEPT, STRUCK, Ballot, Mark, allowed_marks
from .rules import BOARD_REASONS, BallotKind, InvalidReason

__all__ = ["INVALID_COLUMN", "BallotFile", "BallotFileError", "read_ballot_file", "read_ballots"]

INVALID_COLUMN = "invalid"

_CELLS: dict[str, Mark] = {"1": KEPT, "0": STRUCK, "": BLANK, "2": BOTH}
_BOARD_CODES = ", ".join(sorted(BOARD_REASONS))


class BallotFileError(ValueError):
    """A file that cannot be read as ballots; the message is one Vietnamese sentence."""

    def __init__(self, message: str, row: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.row = row
        self.column = column
        super().__init__(message)


@dataclass(frozen=True)
class BallotFile:
    candidates: tuple[str, ...]  # ballot order, NFC
    ballots: tuple[Ballot, ...]


def read_ballot_file(path: str | Path, kind: BallotKind) -> BallotFile:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise BallotFileError(f"Không có tệp «{path}».") from None
    except IsADirectoryError:
        raise BallotFileError(f"«{path}» là một thư mục, không phải tệp CSV.") from None
    except PermissionError:
        raise BallotFileError(f"Không có quyền đọc tệp «{path}».") from None
    except OSError as exc:
        raise BallotFileError(f"Không đọc được tệp «{path}» ({exc.strerror or exc}).") from None
    return read_ballots(data, kind)


def read_ballots(data: bytes | str, kind: BallotKind) -> BallotFile:
    """Parse the whole file; the first bad cell stops it with its row and column."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BallotFileError(
                "Tệp không phải văn bản UTF-8; hãy lưu lại dạng CSV UTF-8."
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise BallotFileError("Tệp rỗng: không có dòng tiêu đề và lá phiếu nào.")
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _parse(reader, kind)
    except csv.Error as exc:
        raise BallotFileError(f"Dòng {reader.line_num}: không đọc được CSV ({exc}).") from None


def _parse(reader: Reader, kind: BallotKind) -> BallotFile:
    header = next((row for row in reader if row), None)
    if header is None:
        raise BallotFileError("Tệp rỗng: không có dòng tiêu đề và lá phiếu nào.")
    has_reason = nfc(header[0]).strip().casefold() == INVALID_COLUMN
    candidates = _candidates(header[1:] if has_reason else header, reader.line_num, has_reason)
    width = len(header)
    ballots: list[Ballot] = []
    for row in reader:
        if not row:
            continue  # a blank line is not a ballot (a ballot with no marks still has commas)
        line = reader.line_num
        if len(row) != width:
            raise BallotFileError(
                f"Dòng {line}: có {len(row)} ô, trong khi dòng tiêu đề có {width} cột.", line
            )
        reason = _reason(row[0], line) if has_reason else None
        cells = row[1:] if has_reason else row
        offset = 2 if has_reason else 1
        if reason is not None and all(not cell.strip() for cell in cells):
            ballots.append(Ballot((), reason))
            continue
        marks = tuple(
            _mark(cell, kind, line, offset + i, candidates[i]) for i, cell in enumerate(cells)
        )
        ballots.append(Ballot(marks, reason))
    if not ballots:
        raise BallotFileError("Tệp chỉ có dòng tiêu đề, không có lá phiếu nào.")
    return BallotFile(candidates, tuple(ballots))


def _candidates(cells: list[str], line: int, has_reason: bool) -> tuple[str, ...]:
    names = [collapse_whitespace(nfc(cell)) for cell in cells]
    if not names:
        raise BallotFileError("Dòng tiêu đề không có tên ứng cử viên nào.", line)
    offset = 2 if has_reason else 1
    first_column: dict[str, int] = {}
    for i, name in enumerate(names):
        column = offset + i
        if not name:
            raise BallotFileError(
                f"Dòng tiêu đề, cột {column}: thiếu tên ứng cử viên.", line, column
            )
        if name in first_column:
            raise BallotFileError(
                f"Dòng tiêu đề: tên «{name}» trùng ở cột {first_column[name]} và cột {column}.",
                line,
                column,
            )
        first_column[name] = column
    return tuple(names)


def _reason(cell: str, line: int) -> InvalidReason | None:
    code = cell.strip()
    if not code:
        return None
    try:
        reason = InvalidReason(code)
    except ValueError:
        raise BallotFileError(
            f"Dòng {line}, cột 1: mã lý do «{code}» không có; dùng {_BOARD_CODES} hoặc để trống.",
            line,
            1,
        ) from None
    if reason not in BOARD_REASONS:
        raise BallotFileError(
            f"Dòng {line}, cột 1: lý do «{code}» được tính từ các ô đánh dấu, không ghi vào cột "
            f"{INVALID_COLUMN}; cột này chỉ nhận {_BOARD_CODES}.",
            line,
            1,
        )
    return reason


def _mark(cell: str, kind: BallotKind, line: int, column: int, name: str) -> Mark:
    text = cell.strip()
    if text in _CELLS and _CELLS[text] in allowed_marks(kind):
        return _CELLS[text]
    shown = f"«{text}»" if text else "trống"
    if kind is BallotKind.STRIKE:
        allowed = "phiếu gạch tên chỉ dùng 1 (giữ tên) hoặc 0 (gạch tên)"
    else:
        allowed = "chỉ dùng 1 (đồng ý), 0 (không đồng ý), 2 (cả hai ô) hoặc để trống (không ô nào)"
    raise BallotFileError(
        f"Dòng {line}, cột {column} ({name}): ô {shown} không hợp lệ; {allowed}.", line, column
    )
