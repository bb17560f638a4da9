"""Shared set-up of the benchmarks (not a benchmark itself: `make bench` skips `_*.py`)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_env() -> None:
    """A fresh SQLite file in a temporary folder, or the wipeable PostgreSQL database named by
    BENCH_DATABASE_URL; Redis off so every run measures the same in-process set-up."""
    os.environ["DAIHOI_DATA_DIR"] = tempfile.mkdtemp(prefix="daihoi-bench-")
    os.environ.pop("REDIS_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "daihoi.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if os.environ.get("BENCH_DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
