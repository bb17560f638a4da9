"""Ballot kinds, invalid-ballot reasons and the counting rules that are settings (domain.md §6).

Rules that domain.md marks [verify] are fields of `Rules`, each with the regulation and article
it is read from kept as data in `Rules.CITATIONS`, so an election can state which text it follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar, Literal

__all__ = [
    "BOARD_REASONS",
    "REASON_LABELS",
    "BallotKind",
    "Citation",
    "InvalidReason",
    "Rules",
]


class BallotKind(StrEnum):
    """Phiếu bầu: the three printed forms of 244-QĐ/TW Điều 17.1."""

    STRIKE = "strike"  # with surplus: strike the names you reject (gạch tên)
    AGREE = "agree"  # no surplus: đồng ý / không đồng ý per candidate
    SINGLE = "single"  # one candidate: đồng ý / không đồng ý


class InvalidReason(StrEnum):
    """Why a ballot is invalid (phiếu không hợp lệ); the codes are stable for the minutes."""

    NOT_ISSUED = "not_issued"
    TOO_MANY = "too_many"
    ALL_STRUCK = "all_struck"
    SINGLE_BOTH_OR_NEITHER = "single_both_or_neither"
    AGREE_ALL_BLANK_OR_BOTH = "agree_all_blank_or_both"
    MARKED = "marked"


# Reasons only the counting board can see on the paper (the stamp, a signature, a write-in);
# the others follow from the marks and are computed.
BOARD_REASONS: frozenset[InvalidReason] = frozenset(
    {InvalidReason.NOT_ISSUED, InvalidReason.MARKED}
)

REASON_LABELS: Mapping[InvalidReason, str] = MappingProxyType(
    {
        InvalidReason.NOT_ISSUED: (
            "phiếu không do Ban kiểm phiếu phát ra (không có dấu, không đúng mẫu)"
        ),
        InvalidReason.TOO_MANY: "bầu quá số lượng cần bầu",
        InvalidReason.ALL_STRUCK: "gạch hết tên trong danh sách",
        InvalidReason.SINGLE_BOTH_OR_NEITHER: "đánh dấu cả hai ô hoặc không ô nào",
        InvalidReason.AGREE_ALL_BLANK_OR_BOTH: (
            "mọi người trong danh sách đều để trống hoặc đánh dấu cả hai ô"
        ),
        InvalidReason.MARKED: "có dấu hiệu nhận biết hoặc ghi thêm tên",
    }
)


@dataclass(frozen=True)
class Citation:
    """Where a rule is read: regulation, article, and whether the reading is settled."""

    regulation: str
    article: str
    status: Literal["src", "verify"]
    note: str = ""


@dataclass(frozen=True)
class Rules:
    """Counting rules that are a reading, not settled law: each can be switched per election."""

    # 244-QĐ/TW Điều 17.2, wording cut off in the only text seen: verify
    all_struck_invalid: bool = True
    # 244-QĐ/TW Điều 17.2 words only the valid case (an X in one of the two boxes): verify
    single_both_or_neither_invalid: bool = True
    # 244-QĐ/TW Điều 17.2 (read by analogy with the single ballot): verify
    agree_all_blank_or_both_invalid: bool = True
    # 244-QĐ/TW Điều 17.2, write-in names or identifying marks: verify
    marked_invalid: bool = True
    # No Party text found for a tie at the last seat; practice is a new round among the tied
    # only. When False, the tied seats go back to the congress like unfilled seats: verify
    tie_round_among_tied_only: bool = True

    CITATIONS: ClassVar[Mapping[str, Citation]] = MappingProxyType(
        {
            "all_struck_invalid": Citation(
                "244-QĐ/TW", "Điều 17.2", "verify", "bản dịch bị cắt sau mục thứ ba"
            ),
            "single_both_or_neither_invalid": Citation(
                "244-QĐ/TW", "Điều 17.2", "verify", "chỉ nêu trường hợp hợp lệ"
            ),
            "agree_all_blank_or_both_invalid": Citation("244-QĐ/TW", "Điều 17.2", "verify"),
            "marked_invalid": Citation("244-QĐ/TW", "Điều 17.2", "verify"),
            "tie_round_among_tied_only": Citation(
                "244-QĐ/TW", "Điều 32", "verify", "không tìm thấy văn bản của Đảng"
            ),
        }
    )
