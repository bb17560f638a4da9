"""A tally result as JSON (the `daihoi tally --json` shape) and as a readable Vietnamese table."""

from __future__ import annotations

from typing import Any

from daihoi.vietnamese import format_number

from .counting import Result
from .rules import REASON_LABELS, BallotKind

__all__ = ["result_json", "result_lines"]

KIND_LABELS = {
    BallotKind.STRIKE: "phiếu gạch tên (có số dư)",
    BallotKind.AGREE: "phiếu đồng ý / không đồng ý (không có số dư)",
    BallotKind.SINGLE: "phiếu bầu một người",
}


def result_json(result: Result) -> dict[str, Any]:
    """The documented JSON shape; ``percent_of_base`` is a number rounded half up to two
    decimals (99.27), the same rounding as the minutes' "99,27%"."""
    return {
        "seats": result.seats,
        "base": result.base,
        "ballots_collected": result.ballots_collected,
        "valid": result.valid,
        "invalid": {str(reason): count for reason, count in result.invalid.items()},
        "candidates": [
            {"name": c.name, "votes": c.votes, "percent_of_base": float(c.percent_rounded)}
            for c in result.candidates
        ],
        "elected": list(result.elected),
        "tied": list(result.tied),
        "unfilled": result.unfilled,
    }


def _n(value: int) -> str:
    return format_number(value)


def result_lines(result: Result) -> list[str]:
    """The counting result as the minutes read it out, one line per list item."""
    lines = [
        f"Kết quả kiểm phiếu — bầu lần {result.round_number}, {KIND_LABELS[result.kind]}",
        f"Số lượng cần bầu: {_n(result.seats)}",
        f"Cơ sở tính quá một nửa: {_n(result.base)} đại biểu "
        f"(trúng cử khi được từ {_n(result.threshold)} phiếu trở lên)",
    ]
    if result.issued is not None:
        lines.append(f"Số phiếu phát ra: {_n(result.issued)}")
    lines += [
        f"Số phiếu thu vào: {_n(result.ballots_collected)}",
        f"Số phiếu hợp lệ: {_n(result.valid)}",
        f"Số phiếu không hợp lệ: {_n(result.invalid_total)}",
    ]
    lines += [f"  - {REASON_LABELS[r]}: {_n(count)}" for r, count in result.invalid.items()]
    rows = [("STT", "Họ và tên", "Số phiếu", "Tỷ lệ so với cơ sở", "Kết quả")]
    tied = set(result.tied)
    for c in result.candidates:
        outcome = "Trúng cử" if c.elected else ("Bằng phiếu" if c.name in tied else "")
        rows.append((str(c.position + 1), c.name, _n(c.votes), c.percent_text, outcome))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines.append("")
    for row in rows:
        cells = [
            row[0].rjust(widths[0]),
            row[1].ljust(widths[1]),
            row[2].rjust(widths[2]),
            row[3].rjust(widths[3]),
            row[4],
        ]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    elected = ", ".join(result.elected) or "không có ai"
    lines.append(f"Trúng cử (theo số phiếu từ cao xuống thấp): {elected}")
    nxt = result.next_round
    if result.tied:
        lines.append(
            f"Bằng phiếu ở chỗ cuối, chưa ai trúng cử: {', '.join(result.tied)} "
            f"(còn {_n(result.tied_seats)} chỗ)"
        )
    if result.unfilled:
        lines.append(f"Còn thiếu: {_n(result.unfilled)} người chưa đủ số phiếu quá một nửa")
    if nxt is not None:
        who = ", ".join(nxt.candidates)
        if nxt.congress_decides:
            lines.append(
                f"Đề xuất (Đại hội quyết định có bầu tiếp hay không và danh sách): bầu lần "
                f"{nxt.number} cho {_n(nxt.seats)} chỗ, danh sách: {who}"
            )
        else:
            lines.append(
                f"Bầu lần {nxt.number} cho {_n(nxt.seats)} chỗ, "
                f"chỉ trong số người bằng phiếu: {who}"
            )
    return lines
