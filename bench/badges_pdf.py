"""Benchmark: issue badges for 1,000 delegates and print them as PDF in both layouts (A6 one
per page, A4 four per page); target <= 20 s per layout for 1,000 badges.

A tenth of the delegates have a photo (uploaded through set_photo, not timed). Runs against a
fresh SQLite file in a temporary folder, or against PostgreSQL when BENCH_DATABASE_URL is set
(a database that may be wiped). Prints one JSON line.
Usage: python bench/badges_pdf.py
"""

from __future__ import annotations

import datetime as dt
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
PHOTO_EVERY = 10
TARGET_SECONDS = 20.0


def photo(i: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (900, 1200), (40 + i % 200, 90, 140)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def main() -> None:
    setup_env()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfReader

    from daihoi.core.models import Congress, Role, RoleAssignment, Unit, User
    from daihoi.delegates.models import Delegate, DelegateGroup
    from daihoi.delegates.services.badges import issue_missing, print_badges, set_photo

    unit = Unit.objects.create(name="Thành ủy Đo hiệu năng", kind="party_organ")
    congress = Congress.objects.create(party_organisation="Đảng bộ thành phố Đo Hiệu Năng",
                                       level="province", ordinal=17, term_start=2025,
                                       term_end=2030, convening_committee=unit)  # fmt: skip
    actor = User.objects.create(username="bench", full_name="Người đo")
    RoleAssignment.objects.create(user=actor, role=Role.ORGANISING_STAFF)
    groups = [
        DelegateGroup.objects.create(congress=congress, number=n, name=f"Tổ {n} — Khối Quận")
        for n in range(1, 21)
    ]
    names = ["Nguyễn Thị Hường", "Đặng Quốc Khánh", "Lê Thị Ngọc Ánh", "Hà Văn Thưởng",
             "Ông Ích Khiêm", "Tôn Nữ Thị Hoàng Ngọc Phương Khánh Huyền"]  # fmt: skip
    Delegate.objects.bulk_create(
        Delegate(congress=congress, number=i, full_name=f"{names[i % len(names)]} {i}",
                 gender="nu" if i % 3 else "nam", birth_date=dt.date(1970, 1, 1),
                 category="reserve" if i % 25 == 0 else "elected", import_key=f"k{i}",
                 group=groups[i % len(groups)])
        for i in range(1, DELEGATES + 1)
    )  # fmt: skip
    for d in Delegate.objects.filter(number__lte=DELEGATES // PHOTO_EVERY):
        set_photo(actor, d, SimpleUploadedFile(f"{d.number}.jpg", photo(d.number)))

    started = time.perf_counter()
    issued = issue_missing(actor, congress)
    issue_s = time.perf_counter() - started
    assert len(issued) == DELEGATES
    figures = {}
    for layout in ("a6", "a4-4"):
        started = time.perf_counter()
        data = print_badges(actor, congress, layout)
        figures[layout] = (time.perf_counter() - started, len(data))
        pages = len(PdfReader(io.BytesIO(data)).pages)
        assert pages == (DELEGATES if layout == "a6" else DELEGATES // 4), pages
    print(json.dumps({
        "bench": "badges_pdf", "delegates": DELEGATES, "with_photo": DELEGATES // PHOTO_EVERY,
        "database": os.environ.get("BENCH_DATABASE_URL", "sqlite").split("@")[-1],
        "cores": os.cpu_count(), "issue_s": round(issue_s, 3),
        "a6_s": round(figures["a6"][0], 3), "a6_mb": round(figures["a6"][1] / 1e6, 2),
        "a4_4_s": round(figures["a4-4"][0], 3), "a4_4_mb": round(figures["a4-4"][1] / 1e6, 2),
        "target_s": TARGET_SECONDS,
        "ok": max(issue_s, figures["a6"][0], figures["a4-4"][0]) <= TARGET_SECONDS,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
