"""Benchmark: import 1,000 delegates from an .xlsx file (issue 5); target <= 5 s.

Runs against a fresh SQLite file in a temporary folder, or against PostgreSQL when
BENCH_DATABASE_URL is set (a database that may be wiped). Prints one JSON line.
Usage: python bench/delegates_import.py
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _setup import setup_env  # noqa: E402

DELEGATES = 1_000
TARGET_SECONDS = 5.0


def workbook(position: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Tôn giáo", "Đảng bộ",
                  "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị", "Loại đại biểu",
                  "Ủy viên BCH"])  # fmt: skip
    for i in range(1, DELEGATES + 1):
        sheet.append(
            [
                i,
                f"Nguyễn Văn Đại Biểu {i}",
                "Nữ" if i % 3 else "Nam",
                f"{i % 28 + 1:02d}/{i % 12 + 1:02d}/{1960 + i % 30}",
                "Kinh",
                "Không",
                f"Đảng bộ Quận số {i % 30}",
                position,
                "Cử nhân",
                "Cao cấp",
                "Được bầu" if i % 7 else "Đương nhiên",
                "x" if i % 7 == 0 else "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    setup_env()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from daihoi.core.models import Congress, Role, RoleAssignment, Unit, User
    from daihoi.delegates.models import Delegate
    from daihoi.delegates.services.importing import import_delegates

    unit = Unit.objects.create(name="Thành ủy Đo hiệu năng", kind="party_organ")
    congress = Congress.objects.create(party_organisation="Đảng bộ Đo", level="province",
                                       ordinal=1, term_start=2025, term_end=2030,
                                       convening_committee=unit)  # fmt: skip
    actor = User.objects.create(username="bench", full_name="Người đo")
    RoleAssignment.objects.create(user=actor, role=Role.ORGANISING_STAFF)
    timings = []
    # The first run creates; the second changes every position, so all 1,000 rows are updated.
    for position in ("Bí thư Chi bộ", "Phó Bí thư Chi bộ"):
        data = workbook(position)
        started = time.perf_counter()
        result = import_delegates(actor, congress, SimpleUploadedFile("b.xlsx", data), None)
        timings.append(time.perf_counter() - started)
        assert result.saved, result.errors[:3]
    assert Delegate.objects.filter(congress=congress).count() == DELEGATES
    print(json.dumps({
        "bench": "delegates_import", "delegates": DELEGATES,
        "database": os.environ.get("BENCH_DATABASE_URL", "sqlite").split("@")[-1],
        "create_s": round(timings[0], 3), "reimport_s": round(timings[1], 3),
        "target_s": TARGET_SECONDS, "ok": max(timings) <= TARGET_SECONDS,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
