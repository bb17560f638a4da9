"""Benchmark (first cut for issue 7): 1,000 delegates cast an open electronic vote over HTTP
against uvicorn serving daihoi.asgi (child process), no viewers connected; every vote stored
exactly once. Viewers over websocket and the OpenSlides comparison come next.

SQLite by default, PostgreSQL with BENCH_DATABASE_URL (wiped). Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _setup import setup_env  # noqa: E402
from checkin_http import CSRF, free_port, percentile, wait_for_server  # noqa: E402

DELEGATES = 1_000
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))


def prepare():
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from daihoi.core.models import Congress, Role, RoleAssignment, Unit, User
    from daihoi.delegates.models import Attendance, Delegate, Session
    from daihoi.voting import services

    unit = Unit.objects.create(name="Thành ủy Đo hiệu năng", kind="party_organ")
    congress = Congress.objects.create(party_organisation="Đảng bộ Đo", level="province",
                                       ordinal=1, term_start=2025, term_end=2030,
                                       convening_committee=unit, is_current=True)  # fmt: skip
    users = User.objects.bulk_create(
        User(username=f"db{i}", full_name=f"Đại biểu {i}") for i in range(DELEGATES)
    )
    RoleAssignment.objects.bulk_create(RoleAssignment(user=u, role=Role.DELEGATE) for u in users)
    delegates = Delegate.objects.bulk_create(
        Delegate(congress=congress, number=i + 1, full_name=f"Đại biểu {i}", gender="nam",
                 birth_date="1970-01-01", category="elected", import_key=f"k{i}", user=u)
        for i, u in enumerate(users)
    )  # fmt: skip
    session = Session.objects.create(congress=congress, name="Phiên", kind="official",
                                     starts_at=timezone.now())  # fmt: skip
    Attendance.objects.bulk_create(
        Attendance(delegate=d, session=session, present_at=timezone.now()) for d in delegates
    )
    chair = User.objects.create(username="chutich.bench", full_name="Chủ tọa")
    RoleAssignment.objects.create(user=chair, role=Role.PRESIDIUM)
    vote = services.open_vote(chair, services.create_vote(chair, congress, "Thông qua Nghị quyết"))
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend"))
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        session_cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
        cookies.append(f"{session_cookie}; {settings.CSRF_COOKIE_NAME}={CSRF}")
    return vote, cookies


def main() -> None:
    setup_env()
    vote, cookies = prepare()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "daihoi.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    import http.client

    latencies: list[float] = []
    statuses: list[int] = []
    try:
        wait_for_server(port, server)

        def voter(index: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for n in range(index, DELEGATES, CLIENTS):
                headers = {"Cookie": cookies[n], "X-CSRFToken": CSRF,
                           "Content-Type": "application/x-www-form-urlencoded",
                           "Referer": f"http://127.0.0.1:{port}/"}  # fmt: skip
                started = time.perf_counter()
                connection.request("POST", f"/bieu-quyet/{vote.pk}/bo-phieu/",
                                   "choice=yes", headers)  # fmt: skip
                response = connection.getresponse()
                response.read()
                latencies.append(time.perf_counter() - started)
                statuses.append(response.status)

        threads = [threading.Thread(target=voter, args=(i,)) for i in range(CLIENTS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    from django.db import connection

    from daihoi.voting.models import VoteCast

    stored = VoteCast.objects.filter(vote=vote).count()
    distinct = VoteCast.objects.filter(vote=vote).values("delegate").distinct().count()
    print(json.dumps({
        "bench": "votes_http", "database": connection.vendor, "delegates": DELEGATES,
        "clients": CLIENTS, "viewers": 0, "votes_per_second": round(DELEGATES / wall, 1),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "stored": stored, "duplicated": stored - distinct,
        "redirects": statuses.count(302), "target_votes_per_second": 1000,
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
