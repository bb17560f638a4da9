"""The example congress: Hanoi's 17th Party Congress (2020–2025) and the units of notice 2682-TB/TU.

Public facts (names of bodies, dates, venue), written down here so the demo runs from a fresh
clone. tests/core/test_example.py checks this directory against ../shared/data/hanoi-units.json.
"""

from __future__ import annotations

import datetime as dt

CITY = "Thành ủy Hà Nội"

# (name, acronym, kind, parent, aliases)
UNITS: list[tuple[str, str, str, str | None, list[str]]] = [
    (CITY, "TU", "party_organ", None, ["Thành ủy"]),
    ("Thường trực Thành ủy", "", "party_organ", CITY, ["TT Thành ủy"]),
    ("Ban Thường vụ Thành ủy", "", "party_organ", CITY, ["BTV Thành ủy"]),
    (
        "Tiểu ban tổ chức phục vụ đại hội",
        "TBTCPV",
        "party_organ",
        CITY,
        ["Tiểu ban", "Tiểu ban Tổ chức phục vụ Đại hội"],
    ),
    ("Ban Tuyên giáo Thành ủy", "BTGTU", "party_organ", CITY, ["BTG Thành ủy"]),
    ("Ban Tổ chức Thành ủy", "BTCTU", "party_organ", CITY, ["BTC Thành ủy"]),
    ("Văn phòng Thành ủy", "VPTU", "party_organ", CITY, ["VP Thành ủy"]),
    ("Ủy ban Kiểm tra Thành ủy", "UBKTTU", "party_organ", CITY, ["UBKT Thành ủy"]),
    (
        "Ban Cán sự đảng UBND thành phố",
        "",
        "party_organ",
        None,
        ["Ban Cán sự đảng UBND TP", "BCSĐ UBND thành phố"],
    ),
    (
        "Sở Văn hóa và Thể thao",
        "",
        "state_department",
        None,
        ["Sở VH-TT", "Sở Văn hóa và Thể thao Hà Nội"],
    ),
    (
        "Đài Phát thanh và Truyền hình Hà Nội",
        "",
        "media",
        None,
        ["Đài PT-TH Hà Nội", "Đài PTTH Hà Nội"],
    ),
    (
        "Công an thành phố",
        "",
        "security",
        None,
        ["Công an TP", "Công an thành phố Hà Nội", "Công an TP Hà Nội"],
    ),
    ("Bộ Tư lệnh Thủ đô Hà Nội", "", "security", None, ["Bộ Tư lệnh Thủ đô", "BTL Thủ đô"]),
    (
        "Liên đoàn Lao động thành phố",
        "",
        "mass_organisation",
        None,
        ["Liên đoàn Lao động TP", "LĐLĐ thành phố"],
    ),
]

# Hanoi's 30 district-level Party committees in 2020: 12 urban districts, 1 town, 17 rural.
URBAN_DISTRICTS = [
    "Ba Đình", "Hoàn Kiếm", "Tây Hồ", "Long Biên", "Cầu Giấy", "Đống Đa",
    "Hai Bà Trưng", "Hoàng Mai", "Thanh Xuân", "Nam Từ Liêm", "Bắc Từ Liêm", "Hà Đông",
]  # fmt: skip
TOWNS = ["Sơn Tây"]
RURAL_DISTRICTS = [
    "Ba Vì", "Chương Mỹ", "Đan Phượng", "Đông Anh", "Gia Lâm", "Hoài Đức", "Mê Linh",
    "Mỹ Đức", "Phú Xuyên", "Phúc Thọ", "Quốc Oai", "Sóc Sơn", "Thạch Thất", "Thanh Oai",
    "Thanh Trì", "Thường Tín", "Ứng Hòa",
]  # fmt: skip

for _place in URBAN_DISTRICTS:
    UNITS.append((f"Quận ủy {_place}", "", "district", CITY, [f"Quận {_place}"]))
for _place in TOWNS:
    UNITS.append((f"Thị ủy {_place}", "", "district", CITY, [f"Thị xã {_place}"]))
for _place in RURAL_DISTRICTS:
    UNITS.append((f"Huyện ủy {_place}", "", "district", CITY, [f"Huyện {_place}"]))

CONGRESS = {
    "party_organisation": "Đảng bộ thành phố Hà Nội",
    "level": "province",
    "ordinal": 17,
    "term_start": 2020,
    "term_end": 2025,
    "start_date": dt.date(2020, 10, 11),
    "end_date": dt.date(2020, 10, 13),
    "venue": "Cung Văn hóa lao động hữu nghị Việt Xô",
}

# One demo account per role: (username, full name, role, unit name or None, position)
DEMO_USERS: list[tuple[str, str, str, str | None, str]] = [
    ("quantri", "Quản trị hệ thống", "system_admin", None, "Quản trị hệ thống"),
    ("thuongtruc", "Nguyễn Văn Phong", "subcommittee_standing", None, "Thường trực Tiểu ban"),
    ("tieuban", "Trần Thị Hương", "subcommittee_member", None, "Thành viên Tiểu ban"),
    ("daumoi.btg", "Lê Minh Tuấn", "unit_liaison", "Ban Tuyên giáo Thành ủy", "Chuyên viên"),
    ("daumoi.badinh", "Phạm Thu Hà", "unit_liaison", "Quận ủy Ba Đình", "Chuyên viên"),
    ("bantochuc", "Đỗ Quang Vinh", "organising_staff", None, "Chuyên viên Ban Tổ chức"),
    ("thamtra", "Vũ Thị Lan", "credentials_committee", None, "Ban Thẩm tra tư cách"),
    ("kiemphieu", "Hoàng Đức Anh", "counting_board", None, "Trưởng Ban Kiểm phiếu"),
    ("kiemphieu2", "Trương Thị Nhung", "counting_board", None, "Ủy viên Ban Kiểm phiếu"),
    ("diemdanh", "Cao Thị Thu", "check_in_staff", None, "Cán bộ đón tiếp"),
    ("chutich", "Bùi Văn Nam", "presidium", None, "Đoàn Chủ tịch"),
    ("thuky", "Ngô Thị Mai", "secretariat", None, "Đoàn Thư ký"),
    ("daibieu", "Đặng Văn Hùng", "delegate", None, "Đại biểu"),
    ("baochi", "Trịnh Thị Yến", "press", None, "Phóng viên"),
    ("kiemduyet", "Lý Văn Sơn", "moderator", None, "Kiểm duyệt góp ý"),
]
