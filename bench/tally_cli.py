"""Benchmark: `daihoi tally FILE --seats 80 --base 1000000 --json` on 1,000,000 strike ballots of
100 candidates, whole process wall time; target <= 3 s.

Two files are timed: a plain machine-written one (only 0, 1 and commas), and one with the
`invalid` column where one ballot in 1,000 carries a board reason (those rows are read by the
exact reader, the rest as one array). Writing the files is not timed. Needs no database.
Prints one JSON line.
Usage: python bench/tally_cli.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BALLOTS = 1_000_000
CANDIDATES = 100
SEATS = 80
TARGET_SECONDS = 3.0


def write_file(path: Path, *, reasons: bool, seed: int = 1) -> None:
    """Each name struck with probability 1/4: about one ballot in ten keeps too many."""
    rng = np.random.default_rng(seed)
    kept = rng.integers(0, 4, size=(BALLOTS, CANDIDATES), dtype=np.uint8) != 0
    lead = 1 if reasons else 0
    width = lead + 2 * CANDIDATES
    rows = np.full((BALLOTS, width), ord(","), dtype=np.uint8)
    rows[:, lead::2] = kept + np.uint8(ord("0"))
    rows[:, -1] = ord("\n")
    names = [f"Ứng Cử Viên Số {i}" for i in range(1, CANDIDATES + 1)]
    header = ",".join((["invalid"] if reasons else []) + names) + "\n"
    with path.open("wb") as out:
        out.write(header.encode())
        if not reasons:
            out.write(rows.tobytes())
            return
        # One ballot in 1,000 without a stamp: the board's reason in the first column.
        for start in range(0, BALLOTS, 1_000):
            block = rows[start : start + 1_000]
            out.write(b"not_issued" + block[0].tobytes())
            out.write(block[1:].tobytes())


def run(path: Path) -> tuple[float, dict]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DAIHOI_DATA_DIR"] = str(path.parent)
    command = [sys.executable, "-m", "daihoi", "tally", str(path), "--seats", str(SEATS),
               "--base", str(BALLOTS), "--json"]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"daihoi tally failed ({done.returncode}): {done.stderr.strip()}")
    return seconds, json.loads(done.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="daihoi-bench-") as folder:
        plain, marked = Path(folder) / "phieu.csv", Path(folder) / "phieu-ly-do.csv"
        write_file(plain, reasons=False)
        write_file(marked, reasons=True)
        plain_s, plain_result = run(plain)
        marked_s, marked_result = run(marked)
        size_mb = plain.stat().st_size / 1e6
    assert plain_result["ballots_collected"] == BALLOTS
    assert marked_result["invalid"].get("not_issued") == BALLOTS // 1_000
    print(json.dumps({
        "bench": "tally_cli", "ballots": BALLOTS, "candidates": CANDIDATES, "seats": SEATS,
        "file_mb": round(size_mb, 1), "cores": os.cpu_count(),
        "plain_s": round(plain_s, 3), "with_reasons_s": round(marked_s, 3),
        "valid": plain_result["valid"], "invalid": plain_result["invalid"],
        "target_s": TARGET_SECONDS, "ok": max(plain_s, marked_s) <= TARGET_SECONDS,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
