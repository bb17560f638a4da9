"""Benchmark: print 1,000 ballots (phiếu bầu cử) of 100 names as one PDF; target <= 30 s.

Also prints 1,000 A5 ballots of 12 names two per A4 sheet. The ballot is a pure function (no
database), so no set-up is needed. The output is checked with pypdf (page count, every name on the
first and last page; not timed). Prints one JSON line.
Usage: python bench/ballots_pdf.py
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from collections import Counter
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BALLOTS = 1_000
NAMES = 100
SEATS = 81
TARGET_SECONDS = 30.0

CONGRESS = "Đại hội đại biểu lần thứ XVII Đảng bộ thành phố Hà Nội, nhiệm kỳ 2020–2025"
BODY = "Ban Chấp hành Đảng bộ thành phố khóa XVII"


def people(count: int) -> list[str]:
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
    middles = ["Văn", "Thị Ngọc", "Quốc", "Minh", "Thanh", "Đức", "Thị", "Hữu", "Xuân", "Thu"]
    givens = ["Ánh", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Phương", "Thắng", "Yến"]
    combos = [f"{f} {m} {g}" for g, f, m in product(givens, families, middles)]
    return [combos[i * 7 % len(combos)] for i in range(count)]


def timed(spec, **kwargs) -> tuple[float, bytes]:
    from daihoi.elections.ballot_pdf import render_ballots

    started = time.perf_counter()
    data = render_ballots(spec, BALLOTS, **kwargs)
    return time.perf_counter() - started, data


def check(data: bytes, names: tuple[str, ...], pages: int, per_page: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == pages, len(reader.pages)
    for page in (reader.pages[0], reader.pages[-1]):
        found = Counter(line.strip() for line in page.extract_text().splitlines())
        assert all(found[name] == per_page for name in names)


def main() -> None:
    from daihoi.elections.ballot_pdf import BallotSpec, ballot_order, choose_layout

    a4 = BallotSpec(CONGRESS, BODY, SEATS, "strike", ballot_order(people(NAMES)))
    a5 = BallotSpec(CONGRESS, "Ban Thường vụ Thành ủy khóa XVII", 11, "strike",
                    ballot_order(people(12)))  # fmt: skip
    a4_s, a4_data = timed(a4)
    a5_s, a5_data = timed(a5, two_up=True)
    check(a4_data, a4.names, BALLOTS, 1)
    check(a5_data, a5.names, BALLOTS // 2, 2)
    layout = choose_layout(a4)
    print(json.dumps({
        "bench": "ballots_pdf", "ballots": BALLOTS, "names": NAMES, "cores": os.cpu_count(),
        "a4_page": layout.page, "a4_columns": layout.columns, "a4_name_pt": layout.name_pt,
        "a4_s": round(a4_s, 3), "a4_mb": round(len(a4_data) / 1e6, 3),
        "a5_two_up_s": round(a5_s, 3), "a5_two_up_mb": round(len(a5_data) / 1e6, 3),
        "target_s": TARGET_SECONDS, "ok": max(a4_s, a5_s) <= TARGET_SECONDS,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
