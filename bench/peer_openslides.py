"""Benchmark peer (issue 7): the same open vote against OpenSlides 3.3, installed from PyPI in
its own venv outside the repository (BENCH_OPENSLIDES_VENV, default
~/.cache/daihoi-bench/openslides-3.3) on the first run and reused after.

BENCH_DELEGATES (1000), BENCH_CLIENTS (16), BENCH_VIEWERS (0) and BENCH_TIME_LIMIT (60 s) set
the workload. Prints one JSON line. Usage: python bench/peer_openslides.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _openslides import run_openslides  # noqa: E402


def main() -> None:
    result = run_openslides(
        delegates=int(os.environ.get("BENCH_DELEGATES", "1000")),
        clients=int(os.environ.get("BENCH_CLIENTS", "16")),
        viewers=int(os.environ.get("BENCH_VIEWERS", "0")),
        time_limit=float(os.environ.get("BENCH_TIME_LIMIT", "60")),
    )
    print(json.dumps({"bench": "peer_openslides", **result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
