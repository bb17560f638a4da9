"""Benchmark: the task dashboard and the Excel report over 10,000 tasks, 60 units, 5 years.

Runs against a fresh SQLite file in a temporary folder, or against PostgreSQL when
BENCH_DATABASE_URL is set (a database that may be wiped, e.g. postgres://postgres@127.0.0.1/bench).
Prints one JSON line: median and p95 server time of the dashboard, Excel report time, cores.
Targets (issue 3): dashboard median <= 150 ms, Excel report of all tasks <= 3 s.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _setup import setup_env  # noqa: E402

TASKS, UNITS, RUNS = 10_000, 60, int(os.environ.get("BENCH_RUNS", "30"))


def populate() -> None:
    from django.db import transaction
    from django.utils import timezone

    from daihoi.core.models import Unit
    from daihoi.tasks.models import ProgressReport, Task, TaskUnit
    from daihoi.tasks.services.create import normalise_deadline

    rng = random.Random(17)
    with transaction.atomic():
        units = Unit.objects.bulk_create(
            Unit(name=f"Đơn vị thử nghiệm số {i}", kind="district") for i in range(UNITS)
        )
        from daihoi.core.services.users import create_user

        author = create_user(None, "bench", "Người đo", "mat-khau-do-hieu-nang-1")
        start = dt.date(2020, 1, 1)
        tasks = []
        for i in range(TASKS):
            kind = rng.choice(["date", "month", "quarter", "year", "none", "date", "date"])
            day = start + dt.timedelta(days=rng.randrange(5 * 365))
            due = normalise_deadline(kind, day if kind != "none" else None)
            done = None
            if rng.random() < 0.6:
                done_day = (due or day) + dt.timedelta(days=rng.randint(-20, 15))
                done = timezone.make_aware(dt.datetime.combine(done_day, dt.time(10)))
            tasks.append(
                Task(
                    title=f"Nhiệm vụ thử nghiệm số {i}",
                    deadline_kind=kind,
                    deadline_date=due,
                    submitted_at=done,
                    approved_at=done,
                    state="approved" if done else "open",
                    percent=100 if done else rng.randint(0, 90),
                )
            )
        tasks = Task.objects.bulk_create(tasks, batch_size=2000)
        links, reports = [], []
        for task in tasks:
            lead = rng.choice(units)
            links.append(TaskUnit(task=task, unit=lead, role="lead"))
            if rng.random() < 0.3:
                links.append(TaskUnit(task=task, unit=rng.choice(units), role="coordinating"))
            for _ in range(rng.randint(1, 5)):
                reports.append(
                    ProgressReport(task=task, unit=lead, author=author, text="Báo cáo", percent=50)
                )
        TaskUnit.objects.bulk_create(links, batch_size=5000)
        ProgressReport.objects.bulk_create(reports, batch_size=5000)


def measure() -> dict:
    from django.db import connection
    from django.test import Client

    from daihoi.core.models import Role
    from daihoi.core.services.users import assign_role, create_user

    user = create_user(None, "thuongtruc", "Thường trực", "mat-khau-do-hieu-nang-2")
    assign_role(None, user, Role.SUBCOMMITTEE_STANDING)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get("/nhiem-vu/tong-hop/")  # warm-up
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get("/nhiem-vu/tong-hop/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    result = {
        "benchmark": "tasks_dashboard",
        "database": connection.vendor,
        "tasks": TASKS,
        "units": UNITS,
        "runs": RUNS,
        "dashboard_median_ms": round(statistics.median(timings), 1),
        "dashboard_p95_ms": round(sorted(timings)[int(0.95 * (len(timings) - 1))], 1),
        "cores": os.cpu_count(),
    }
    try:
        from daihoi.tasks.reports import build_report, report_xlsx
    except ImportError:
        return result
    from django.utils import timezone

    from daihoi.tasks.models import Task

    started = time.perf_counter()
    data = build_report(
        Task.objects.all(), dt.date(2020, 1, 1), dt.date(2025, 12, 31), timezone.localdate()
    )
    content = report_xlsx(data)
    result["excel_report_s"] = round(time.perf_counter() - started, 2)
    result["excel_bytes"] = len(content)
    return result


if __name__ == "__main__":
    setup_env()
    populate()
    print(json.dumps(measure(), ensure_ascii=False))
