"""Benchmark: store, count and seal 100,000 paper ballots of 100 candidates, each typed twice
(two board members, batches of 1,000 sheets through enter_batch; BENCH_BATCH changes the size);
target <= 10 s for storing, counting and sealing together. verify_seal (a full recount) is
timed too, outside the target.

Runs against a fresh SQLite file in a temporary folder, or against PostgreSQL when
BENCH_DATABASE_URL is set (a database that may be wiped). Prints one JSON line.
Usage: python bench/elections_store.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _setup import setup_env  # noqa: E402

SHEETS = 100_000
CANDIDATES = 100
SEATS = 80
BATCH = int(os.environ.get("BENCH_BATCH", "1000"))
TARGET_SECONDS = 10.0


def sheets(seed: int = 1) -> list[tuple[int, str, str]]:
    """Strike ballots: a quarter of the names struck on average (some too many kept), and one
    sheet in 200 set aside by the board (no stamp)."""
    rng = random.Random(seed)
    rows = []
    for sheet in range(1, SHEETS + 1):
        if sheet % 200 == 0:
            rows.append((sheet, "", "not_issued"))
        else:
            rows.append((sheet, "".join(rng.choices("0111", k=CANDIDATES)), ""))
    return rows


def main() -> None:
    setup_env()
    from daihoi.core.models import Congress, Role, RoleAssignment, Unit, User
    from daihoi.delegates.models import Delegate
    from daihoi.elections.models import (
        Candidate,
        CountingBoardMember,
        ElectedBody,
        Election,
        ElectionRound,
    )
    from daihoi.elections.services.batch import enter_batch
    from daihoi.elections.services.counting import count_round, seal_round, verify_seal

    unit = Unit.objects.create(name="Thành ủy Đo hiệu năng", kind="party_organ")
    congress = Congress.objects.create(party_organisation="Đảng bộ thành phố Đo Hiệu Năng",
                                       level="province", ordinal=17, term_start=2025,
                                       term_end=2030, convening_committee=unit)  # fmt: skip
    election = Election.objects.create(congress=congress, body=ElectedBody.EXECUTIVE_COMMITTEE,
                                       title="Bầu Ban Chấp hành", seats=SEATS)  # fmt: skip
    Candidate.objects.bulk_create(
        Candidate(election=election, full_name=f"Ứng Cử Viên Số {i}")
        for i in range(1, CANDIDATES + 1)
    )
    board = []
    for i in (1, 2):
        user = User.objects.create(username=f"kiemphieu{i}", full_name=f"Kiểm phiếu {i}")
        RoleAssignment.objects.create(user=user, role=Role.COUNTING_BOARD)
        delegate = Delegate.objects.create(congress=congress, number=i, gender="nam",
                                           full_name=f"Thành Viên Ban Kiểm Phiếu {i}",
                                           birth_date=dt.date(1970, 1, 1), category="elected",
                                           import_key=f"k{i}")  # fmt: skip
        CountingBoardMember.objects.create(congress=congress, user=user, delegate=delegate,
                                           approval="Đại hội biểu quyết tán thành")  # fmt: skip
        board.append(user)
    ids = list(election.candidates.order_by("pk").values_list("pk", flat=True))
    round_ = ElectionRound.objects.create(election=election, number=1, seats=SEATS, base=SHEETS,
                                          candidate_ids=ids, ballots_issued=SHEETS)  # fmt: skip
    rows = sheets()

    started = time.perf_counter()
    for typing, member in ((1, board[0]), (2, board[1])):
        for at in range(0, SHEETS, BATCH):
            enter_batch(member, round_, typing, rows[at : at + BATCH])
    store_s = time.perf_counter() - started

    started = time.perf_counter()
    result = count_round(board[0], round_)
    count_s = time.perf_counter() - started
    assert result["collected"] == SHEETS, result["collected"]

    started = time.perf_counter()
    seal = seal_round(board[1], round_)
    seal_s = time.perf_counter() - started

    started = time.perf_counter()
    check = verify_seal(ElectionRound.objects.get(pk=round_.pk))
    verify_s = time.perf_counter() - started
    assert check.ok, check.message

    total = store_s + count_s + seal_s
    print(json.dumps({
        "bench": "elections_store", "sheets": SHEETS, "typings": 2 * SHEETS,
        "candidates": CANDIDATES, "batch": BATCH,
        "database": os.environ.get("BENCH_DATABASE_URL", "sqlite").split("@")[-1],
        "cores": os.cpu_count(), "store_s": round(store_s, 3), "count_s": round(count_s, 3),
        "seal_s": round(seal_s, 3), "total_s": round(total, 3),
        "verify_s": round(verify_s, 3), "valid": result["valid"],
        "invalid": result["invalid"], "seal": seal[:16],
        "target_s": TARGET_SECONDS, "ok": total <= TARGET_SECONDS,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
