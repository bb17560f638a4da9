"""Reference tables of the register as plain data (Hướng dẫn 36-HD/VPTW; Nghị định 30/2020/NĐ-CP).

They mirror the data migration 0002_reference_data, so symbols can be parsed without a
database; tests/documents/test_reference_data.py checks that both agree.
"""

from __future__ import annotations

PARTY = "party"
STATE = "state"

# (code, name, used by the Party, used by the State). Hướng dẫn 36-HD/VPTW for the Party;
# Nghị định 30/2020/NĐ-CP for the State. TT is Thông tri for the Party but Thông tư for the State:
# one row, both flags, both names.
DOCUMENT_TYPES: tuple[tuple[str, str, bool, bool], ...] = (
    ("NQ", "Nghị quyết", True, True),
    ("QĐ", "Quyết định", True, True),
    ("QĐi", "Quy định", True, False),
    ("QC", "Quy chế", True, True),
    ("CT", "Chỉ thị", True, True),
    ("KL", "Kết luận", True, False),
    ("TT", "Thông tri (văn bản Đảng); Thông tư (văn bản Nhà nước)", True, True),
    ("HD", "Hướng dẫn", True, True),
    ("TB", "Thông báo", True, True),
    ("TC", "Thông cáo", True, True),
    ("KH", "Kế hoạch", True, True),
    ("CTr", "Chương trình", True, True),
    ("BC", "Báo cáo", True, True),
    ("TTr", "Tờ trình", True, True),
    ("ĐA", "Đề án", True, True),
    ("BB", "Biên bản", True, True),
    ("CV", "Công văn", True, False),
    ("BS", "Bản sao", True, False),
    ("QyĐ", "Quy định (văn bản Nhà nước)", False, True),
    ("NĐ", "Nghị định", False, True),
    ("TTLT", "Thông tư liên tịch", False, True),
)

# (code, name). Party issuers must be in the table; State issuers may be free text.
ISSUERS: tuple[tuple[str, str], ...] = (
    ("TW", "Ban Chấp hành Trung ương"),
    ("VPTW", "Văn phòng Trung ương Đảng"),
    ("BTCTW", "Ban Tổ chức Trung ương"),
    ("BTGTW", "Ban Tuyên giáo Trung ương"),
    ("TU", "Tỉnh ủy, Thành ủy"),
    ("BTGTU", "Ban Tuyên giáo Tỉnh ủy, Thành ủy"),
    ("BTCTU", "Ban Tổ chức Tỉnh ủy, Thành ủy"),
    ("VPTU", "Văn phòng Tỉnh ủy, Thành ủy"),
    ("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy, Thành ủy"),
    ("ĐU", "Đảng ủy"),
    ("ĐUK", "Đảng ủy Khối"),
    ("TBTCPV", "Tiểu ban tổ chức phục vụ đại hội"),
    ("TTg", "Thủ tướng Chính phủ"),
    ("CP", "Chính phủ"),
    ("UBND", "Ủy ban nhân dân"),
)
