"""Benchmark: check-in over HTTP against the real ASGI server (issue 5).

Targets: 1,000 check-ins with p95 <= 50 ms (one phone back to back, and scans arriving at
25 a second from 20 phones); 50 concurrent scanners lose and duplicate nothing
(every delegate scanned twice by different scanners, one key in ten sent twice); the big-screen
counter follows a check-in within 1 s over its websocket.

The server is uvicorn serving daihoi.asgi in a child process; the load comes from this process
over loopback. SQLite by default, PostgreSQL with BENCH_DATABASE_URL (a database that may be
wiped); BENCH_REDIS_URL adds Redis (sessions, channel layer) and BENCH_WORKERS more workers.
Prints one JSON line. Usage: python bench/checkin_http.py
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _setup import setup_env  # noqa: E402

DELEGATES = 1_000
# Open-loop arrivals: 1,000 scans at a steady rate from 20 door phones. A real hall peaks at a
# few scans a second (8 doors, one badge every 3 s each); 25 a second is ten times that.
ARRIVAL_RATE = 25.0
DOOR_PHONES = 20
SCANNERS = 50
LIVE_CHECKS = 100
CSRF = "benchcsrftokenbenchcsrftoken0123"  # 32 characters, sent as cookie and header


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare():
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from daihoi.core.models import Congress, Role, RoleAssignment, Unit, User
    from daihoi.delegates.models import Badge, Delegate, Session

    unit = Unit.objects.create(name="Thành ủy Đo hiệu năng", kind="party_organ")
    congress = Congress.objects.create(party_organisation="Đảng bộ Đo", level="province",
                                       ordinal=1, term_start=2025, term_end=2030,
                                       convening_committee=unit, is_current=True)  # fmt: skip
    door = User.objects.create(username="diemdanh.bench", full_name="Người điểm danh")
    RoleAssignment.objects.create(user=door, role=Role.CHECK_IN_STAFF)
    Delegate.objects.bulk_create(
        Delegate(
            congress=congress,
            number=i,
            full_name=f"Nguyễn Thị Đại Biểu {i}",
            gender="nu",
            birth_date="1970-01-01",
            category="elected",
            import_key=f"k{i}",
        )  # fmt: skip
        for i in range(1, DELEGATES + 1)
    )
    now = timezone.now()
    Badge.objects.bulk_create(
        Badge(delegate=d, token=f"bench{d.number:05d}{'x' * 20}", issued_at=now)
        for d in Delegate.objects.filter(congress=congress)
    )
    sessions = [
        Session.objects.create(congress=congress, name=name, kind="official", starts_at=now)
        for name in ("Phiên đo 1 máy", "Phiên đo 4 máy", "Phiên đo 50 máy", "Phiên đo màn hình")
    ]
    store = SessionStore()
    store[SESSION_KEY] = str(door.pk)
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend")
    )
    store[HASH_SESSION_KEY] = door.get_session_auth_hash()
    store.create()
    tokens = [f"bench{i:05d}{'x' * 20}" for i in range(1, DELEGATES + 1)]
    return sessions, tokens, store.session_key


class Client:
    def __init__(self, port: int, cookie: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {
            "Content-Type": "application/json",
            "Cookie": cookie,
            "X-CSRFToken": CSRF,
            "Referer": f"http://127.0.0.1:{port}/",
            "Host": f"127.0.0.1:{port}",
        }

    def scan(self, session_id: int, body: dict) -> tuple[int, dict, float]:
        started = time.perf_counter()
        self.connection.request(
            "POST", f"/dai-bieu/diem-danh/{session_id}/quet/", json.dumps(body), self.headers
        )
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        try:
            data = json.loads(payload)
        except ValueError:
            data = {
                "outcome": f"http {response.status}",
                "body": payload[:300].decode(errors="replace"),
                "location": response.getheader("Location"),
            }
        return response.status, data, elapsed


def wait_for_server(port: int, process, path: str = "/healthz", status: int = 200) -> None:
    """Until GET `path` answers `status`; the server's last error output if it stops."""
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server stopped: " + process.stderr.read().decode()[-3000:])
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == status:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_threads(count: int, target) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def one_door(port, cookie, session_id, tokens) -> dict:
    """Latency alone: one door phone scanning 1,000 badges back to back."""
    client = Client(port, cookie)
    latencies = []
    started = time.perf_counter()
    for n, token in enumerate(tokens):
        status, data, elapsed = client.scan(
            session_id, {"key": f"one-{n}", "token": "DH1:" + token}
        )
        assert data.get("outcome") == "recorded", (status, data)
        latencies.append(elapsed)
    wall = time.perf_counter() - started
    return {
        "checkins": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "capacity_per_second": round(len(latencies) / wall, 1),
    }


def arrivals(port, cookie, session_id, tokens) -> dict:
    """1,000 scans arriving at ARRIVAL_RATE a second from DOOR_PHONES phones. Each latency is
    counted from the scan's scheduled moment, so time spent queueing behind a slow answer counts
    (no coordinated omission)."""
    latencies: list[float] = []
    outcomes: list[str] = []
    start_at = time.perf_counter() + 0.5

    def phone(index: int) -> None:
        client = Client(port, cookie)
        for n in range(index, len(tokens), DOOR_PHONES):
            due = start_at + n / ARRIVAL_RATE
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            _status, data, _ = client.scan(session_id, {"key": f"arr-{n}", "token": tokens[n]})
            latencies.append(time.perf_counter() - due)
            outcomes.append(data.get("outcome", "error"))

    run_threads(DOOR_PHONES, phone)
    assert outcomes.count("recorded") == len(tokens), {o: outcomes.count(o) for o in set(outcomes)}
    return {
        "checkins": len(latencies),
        "phones": DOOR_PHONES,
        "rate_per_second": ARRIVAL_RATE,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
    }


def scanners(port, cookie, session_id, tokens) -> dict:
    """50 scanners at once: each delegate scanned by two different scanners, and one scan in
    ten sent twice with the same key (a retry). Exactly one row per delegate must remain."""
    rng = random.Random(5)
    scans = [(token, f"a-{n}") for n, token in enumerate(tokens)]
    scans += [(token, f"b-{n}") for n, token in enumerate(tokens)]
    scans += [scans[i] for i in rng.sample(range(len(scans)), len(scans) // 10)]
    rng.shuffle(scans)
    share = [scans[i::SCANNERS] for i in range(SCANNERS)]
    outcomes: list[str] = []
    errors: list[str] = []
    latencies: list[float] = []

    def scanner(index: int) -> None:
        client = Client(port, cookie)
        for token, key in share[index]:
            status, data, elapsed = client.scan(session_id, {"key": key, "token": token})
            latencies.append(elapsed)
            if status != 200:
                errors.append(f"{status} {data}")
            outcomes.append(data.get("outcome", "error"))

    from daihoi.audit.models import AuditEntry
    from daihoi.delegates.models import Attendance

    audit_before = AuditEntry.objects.filter(action="delegate.checked_in").count()
    started = time.perf_counter()
    run_threads(SCANNERS, scanner)
    wall = time.perf_counter() - started

    rows = Attendance.objects.filter(session_id=session_id)
    stored = rows.count()
    distinct = rows.values("delegate_id").distinct().count()
    audited = AuditEntry.objects.filter(action="delegate.checked_in").count() - audit_before
    assert not errors, errors[:3]
    assert stored == distinct == DELEGATES, (stored, distinct)
    assert audited == DELEGATES, audited
    return {
        "scanners": SCANNERS,
        "scans": len(scans),
        "stored": stored,
        "lost": DELEGATES - distinct,
        "duplicated": stored - distinct,
        "already_present_answers": outcomes.count("already_present"),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "per_second": round(len(scans) / wall, 1),
    }


def live_counter(port, cookie, session_id, tokens) -> dict:
    """Time from a check-in's answer to the big screen showing the new figure."""
    from websockets.sync.client import connect

    seen: dict[int, float] = {}
    socket_ = connect(
        f"ws://127.0.0.1:{port}/ws/diem-danh/{session_id}/",
        additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"},
        legacy=True,  # connected here, closed at the end of the measurement
    )
    first = json.loads(socket_.recv(timeout=5))
    assert first["present"] == 0, first

    def listen() -> None:
        try:
            while True:
                figures = json.loads(socket_.recv(timeout=10))
                now = time.perf_counter()
                for value in range(1, figures["present"] + 1):
                    seen.setdefault(value, now)
                if figures["present"] >= LIVE_CHECKS:
                    return
        except Exception:  # noqa: BLE001 - a timeout ends the measurement
            return

    listener = threading.Thread(target=listen)
    listener.start()
    client = Client(port, cookie)
    answered: dict[int, float] = {}
    for n, token in enumerate(tokens[:LIVE_CHECKS], start=1):
        status, data, _ = client.scan(session_id, {"key": f"live-{n}", "token": token})
        assert data.get("outcome") == "recorded", (status, data)
        answered[n] = time.perf_counter()
        time.sleep(0.02)
    listener.join(timeout=15)
    socket_.close()
    lags = [max(0.0, seen[n] - answered[n]) for n in answered if n in seen]
    assert len(lags) == LIVE_CHECKS, f"the screen saw {len(lags)} of {LIVE_CHECKS} figures"
    return {
        "checkins": LIVE_CHECKS,
        "p95_lag_ms": round(percentile(lags, 0.95) * 1000, 1),
        "max_lag_ms": round(max(lags) * 1000, 1),
    }


def main() -> None:
    setup_env()
    if os.environ.get("BENCH_REDIS_URL"):
        os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    sessions, tokens, session_key = prepare()
    port = free_port()
    workers = os.environ.get("BENCH_WORKERS", "1")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "daihoi.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--workers", workers, "--log-level", "warning",
         "--no-access-log"],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_server(port, server)
        from django.conf import settings

        cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}"
        results = {
            "one_door": one_door(port, cookie, sessions[0].pk, tokens),
            "arrivals": arrivals(port, cookie, sessions[1].pk, tokens),
            "scanners": scanners(port, cookie, sessions[2].pk, tokens),
            "live_counter": live_counter(port, cookie, sessions[3].pk, tokens),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    from django.db import connection

    print(json.dumps({
        "bench": "checkin_http", "database": connection.vendor, "workers": int(workers),
        "redis": bool(os.environ.get("REDIS_URL")), **results,
        "target": {"p95_ms": 50, "lost": 0, "duplicated": 0, "lag_ms": 1000},
        "ok": results["one_door"]["p95_ms"] <= 50
        and results["arrivals"]["p95_ms"] <= 50
        and results["live_counter"]["max_lag_ms"] <= 1000,
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
