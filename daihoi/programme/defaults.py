"""The default chair's lines per kind of step, used when staff have not written their own.

The election steps follow the order of the paper-ballot election (domain.md §6, Quy chế bầu cử
trong Đảng): the counting board introduced and approved, the rules explained, the ballot box
sealed and shown, ballots handed out and counted, voting, collection, counting, the minutes read.
The data migration 0002 writes the same text as ScriptTemplate rows; a test keeps them equal.
"""

from __future__ import annotations

VOTE_LINES = (
    "Đồng chí nào nhất trí {motion}, đề nghị giơ thẻ đại biểu.",
    "Đồng chí nào không nhất trí, đề nghị giơ thẻ.",
    "Đồng chí nào có ý kiến khác?",
)

ELECTION_LINES = (
    "Chủ tọa: Đoàn Chủ tịch giới thiệu danh sách Ban kiểm phiếu gồm các đồng chí đại biểu "
    "chính thức không có tên trong danh sách bầu cử. Đồng chí nào nhất trí với danh sách Ban "
    "kiểm phiếu, đề nghị giơ thẻ đại biểu.",
    "Trưởng Ban kiểm phiếu: Phổ biến nguyên tắc bầu cử, cách ghi phiếu, phiếu hợp lệ và phiếu "
    "không hợp lệ.",
    "Ban kiểm phiếu: Kiểm tra hòm phiếu trước Đại hội, hòm phiếu còn trống, và niêm phong hòm "
    "phiếu.",
    "Ban kiểm phiếu: Phát phiếu bầu cho đại biểu, kiểm đếm và báo cáo Đại hội số phiếu phát ra; "
    "đề nghị đại biểu kiểm tra phiếu có dấu của cấp ủy triệu tập.",
    "Chủ tọa: Đề nghị các đồng chí đại biểu tiến hành bỏ phiếu {motion}.",
    "Ban kiểm phiếu: Thu phiếu bầu; hỏi Đại hội còn đồng chí nào chưa bỏ phiếu; báo cáo số phiếu "
    "thu vào.",
    "Ban kiểm phiếu: Tiến hành kiểm phiếu tại phòng kiểm phiếu.",
    "Trưởng Ban kiểm phiếu: Đọc biên bản kiểm phiếu và công bố kết quả bầu cử.",
)

DEFAULT_LINES: dict[str, tuple[str, ...]] = {
    "vote": VOTE_LINES,
    "election": ELECTION_LINES,
}
