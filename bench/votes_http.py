"""Benchmark (issue 7): 1,000 delegates cast an open electronic vote over HTTP, first with no
viewers, then while 1,000 viewers watch the live counters over websockets; the same workload
against OpenSlides 3.3 in the same run (bench/_openslides.py).

Serving layout measured (architecture.md: plain HTTP from a sync WSGI server, websockets from
the ASGI server): gunicorn serving daihoi.wsgi takes the votes (the JSON hot path voting.js
uses), uvicorn serving daihoi.asgi holds the websockets. Both are child processes; the voters
are threads of this process, the viewers an asyncio loop in a separate process, all on loopback.

Checks on every round: every vote answered 200 and stored exactly once, the final counts exact;
with viewers, every viewer got the final counters, and the time from closing the vote to every
viewer holding the result. PostgreSQL (BENCH_DATABASE_URL, wiped; default the local daihoi_bench)
and Redis (BENCH_REDIS_URL, sessions and cache). Prints one JSON line.

Environment: BENCH_CLIENTS (16 voter connections), BENCH_VIEWERS (1000), BENCH_ROUNDS (3 votes
of 1,000 each per phase), BENCH_HTTP_WORKERS and BENCH_HTTP_THREADS (4 × 4, as the README runs
gunicorn), BENCH_PEER=0 skips OpenSlides, BENCH_PEER_TIME_LIMIT (60 s per OpenSlides phase).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from checkin_http import CSRF, free_port, percentile, wait_for_server  # noqa: E402

DELEGATES = 1_000
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
VIEWERS = int(os.environ.get("BENCH_VIEWERS", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
HTTP_WORKERS = os.environ.get("BENCH_HTTP_WORKERS", "4")
# gunicorn's sync workers (1 thread) close the connection after each answer; gthread keeps it
# alive, which measured faster here.
HTTP_THREADS = os.environ.get("BENCH_HTTP_THREADS", "4")
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/daihoi_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"
CHOICES = ("yes", "no", "abstain")
UNUSABLE = "!"  # an unusable password hash: the delegates sign in by the prepared sessions


def setup() -> None:
    import tempfile

    os.environ["DAIHOI_DATA_DIR"] = tempfile.mkdtemp(prefix="daihoi-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    os.environ["DJANGO_SETTINGS_MODULE"] = "daihoi.settings"
    _ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()


def _ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare():
    from django.conf import settings
    from django.contrib.auth import login
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.test import RequestFactory
    from django.utils import timezone

    from daihoi.core.models import Congress, Role, RoleAssignment, Unit, User
    from daihoi.delegates.models import Attendance, Delegate, Session

    unit = Unit.objects.create(name="Thành ủy Đo hiệu năng", kind="party_organ")
    congress = Congress.objects.create(party_organisation="Đảng bộ Đo", level="province",
                                       ordinal=1, term_start=2025, term_end=2030,
                                       convening_committee=unit, is_current=True)  # fmt: skip
    users = User.objects.bulk_create(
        User(username=f"db{i}", full_name=f"Đại biểu {i}", password=UNUSABLE)
        for i in range(DELEGATES)
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
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend"))
    cookies = []
    for user in users:  # each delegate signed in as the sign-in page does it
        request = RequestFactory().post("/dang-nhap/")
        request.session = SessionStore()
        login(request, user, backend=backend)
        request.session.save()
        session_cookie = f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}"
        cookies.append(f"{session_cookie}; {settings.CSRF_COOKIE_NAME}={CSRF}")
    _analyze()
    return congress, chair, cookies


def _analyze() -> None:
    """Planner statistics for the rows just loaded, as autovacuum keeps them on a database that
    has been in use (without them the seat query scanned the congress's delegates one by one)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def new_vote(congress, chair, motion: str):
    from daihoi.voting import services

    return services.open_vote(chair, services.create_vote(chair, congress, motion))


class KeepAlive:
    """A minimal HTTP/1.1 client on one keep-alive socket: pre-encoded requests, the status line
    and Content-Length read from the answer. The load generator shares the server's two cores,
    and http.client's header parsing cost about 0.1 ms of CPU per vote, 5 % of a vote's whole
    cost; a load tool such as wrk does no more than this either."""

    def __init__(self, port: int):
        self.port, self.sock, self.buffer = port, None, b""

    def post(self, request: bytes) -> int:
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._read()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        fields = dict(line.split(b":", 1) for line in lines[1:])
        fields = {name.strip().lower(): value.strip() for name, value in fields.items()}
        if fields.get(b"transfer-encoding") == b"chunked":  # the body itself is not needed
            while b"\r\n0\r\n\r\n" not in rest and not rest.startswith(b"0\r\n\r\n"):
                rest += self._read(keep=False)
            end = 5 if rest.startswith(b"0\r\n\r\n") else rest.index(b"\r\n0\r\n\r\n") + 7
        else:
            end = int(fields.get(b"content-length", b"0"))
            while len(rest) < end:
                rest += self._read(keep=False)
        self.buffer = rest[end:]
        if fields.get(b"connection", b"").lower() == b"close":  # a sync worker: one per request
            self.close()
        return int(lines[0].split()[1])

    def _read(self, keep: bool = True) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        if keep:
            self.buffer += chunk
        return chunk

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""


def vote_request(port: int, vote_id: int, cookie: str, choice: str) -> bytes:
    body = f"choice={choice}".encode()
    head = (f"POST /bieu-quyet/{vote_id}/bo-phieu/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Cookie: {cookie}\r\nX-CSRFToken: {CSRF}\r\nAccept: application/json\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")  # fmt: skip
    return head.encode() + body


def vote_round(port: int, vote_id: int, cookies: list[str]) -> dict:
    """Every delegate votes once (choice by number) through CLIENTS keep-alive connections."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    requests = [vote_request(port, vote_id, c, CHOICES[n % 3]) for n, c in enumerate(cookies)]

    def voter(index: int) -> None:
        connection = KeepAlive(port)
        mine, codes = [], {}
        for n in range(index, len(cookies), CLIENTS):
            started = time.perf_counter()
            status = connection.post(requests[n])
            mine.append(time.perf_counter() - started)
            codes[status] = codes.get(status, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=voter, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"seconds": wall, "votes": len(cookies), "latencies": latencies, "statuses": statuses}


def check_stored(vote_id: int) -> dict:
    from django.db.models import Count

    from daihoi.voting.models import VoteCast

    rows = VoteCast.objects.filter(vote_id=vote_id)
    stored = rows.count()
    distinct = rows.values("delegate").distinct().count()
    counts = dict(rows.values_list("choice").annotate(n=Count("pk")).values_list("choice", "n"))
    expected = {c: sum(1 for n in range(DELEGATES) if CHOICES[n % 3] == c) for c in CHOICES}
    return {"stored": stored, "duplicated": stored - distinct, "counts_exact": counts == expected}


# --- viewers: an asyncio loop in its own process -------------------------------------------


def _viewers_process(port, vote_id, cookies, ready, stop, results) -> None:
    from websockets.asyncio.client import connect

    async def viewer(cookie: str, log: list) -> None:
        socket = await connect(
            f"ws://127.0.0.1:{port}/ws/bieu-quyet/{vote_id}/",
            additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"},
            open_timeout=120, ping_interval=None, max_queue=None,
        )  # fmt: skip
        log.append(("open", time.time(), None))
        try:
            async for message in socket:
                data = json.loads(message)
                log.append((data["state"], time.time(), data))
        except Exception:  # noqa: BLE001, S110 — closed by the end of the measurement
            pass

    async def main() -> None:
        logs = [[] for _ in cookies]
        tasks = []
        for index, cookie in enumerate(cookies):
            tasks.append(asyncio.ensure_future(viewer(cookie, logs[index])))
            if index % 50 == 49:
                await asyncio.sleep(0.05)  # a hall fills in seconds, not in one instant
        while sum(1 for log in logs if log) < len(cookies):
            await asyncio.sleep(0.1)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        lags, frames, closed_at, final_ok = [], [], [], 0
        for log in logs:
            pushes = [(at, data) for state, at, data in log if data and "sent_at" in data]
            frames.append(len(pushes))
            lags.extend(at - data["sent_at"] for at, data in pushes)
            closed = [at for state, at, data in log if state == "closed"]
            closed_at.append(min(closed) if closed else None)
            last = [data for state, at, data in log if data]
            if last and last[-1]["state"] == "closed" and last[-1]["received"] == DELEGATES:
                final_ok += 1
        results.put({"lags": lags, "frames": frames, "closed_at": closed_at, "final": final_ok})

    asyncio.run(main())


def with_viewers(ws_port, http_port, congress, chair, cookies, number) -> dict:
    from daihoi.voting import services

    vote = new_vote(congress, chair, f"Biểu quyết có người xem {number}")
    context = multiprocessing.get_context("spawn")
    ready, stop, results = context.Event(), context.Event(), context.Queue()
    viewers = context.Process(
        target=_viewers_process,
        args=(ws_port, vote.pk, cookies[:VIEWERS], ready, stop, results),
    )
    viewers.start()
    if not ready.wait(timeout=300):
        raise SystemExit("the viewers did not connect")
    time.sleep(1.0)
    measured = vote_round(http_port, vote.pk, cookies)
    time.sleep(0.6)  # the last interval's counters
    closed = time.time()
    services.close_vote(chair, vote)
    time.sleep(1.5)
    stop.set()
    report = results.get(timeout=120)
    viewers.join(timeout=60)
    seen = [at for at in report["closed_at"] if at is not None]
    return {
        **measured, **check_stored(vote.pk),
        "broadcast_lags": report["lags"],
        "viewers_with_result": len(seen),
        "viewers_with_final_counts": report["final"],
        "result_to_all_viewers_ms": round((max(seen) - closed) * 1000, 1) if seen else None,
        "frames_per_viewer": [min(report["frames"]), max(report["frames"])],
    }  # fmt: skip


def summary(rounds: list[dict]) -> dict | None:
    if not rounds:
        return None
    latencies = [x for r in rounds for x in r["latencies"]]
    statuses: dict[str, int] = {}
    for r in rounds:
        for code, count in r["statuses"].items():
            statuses[str(code)] = statuses.get(str(code), 0) + count
    out = {
        "votes_per_second": [round(DELEGATES / r["seconds"], 1) for r in rounds],
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "statuses": statuses,
        "stored_exactly_once": all(
            r["stored"] == DELEGATES and r["duplicated"] == 0 for r in rounds
        ),
        "counts_exact": all(r["counts_exact"] for r in rounds),
    }
    if rounds and "broadcast_lags" in rounds[0]:
        lags = [x for r in rounds for x in r["broadcast_lags"]]
        out.update({
            "viewers": VIEWERS,
            "broadcast_p50_ms": round(percentile(lags, 0.5) * 1000, 1),
            "broadcast_p99_ms": round(percentile(lags, 0.99) * 1000, 1),
            "frames_delivered": len(lags),
            "frames_per_viewer": [r["frames_per_viewer"] for r in rounds],
            "viewers_with_final_counts": [r["viewers_with_final_counts"] for r in rounds],
            "result_to_all_viewers_ms": [r["result_to_all_viewers_ms"] for r in rounds],
        })  # fmt: skip
    return out


def start_servers():
    env = os.environ.copy()
    wsgi_env = {**env, "DAIHOI_DB_PERSISTENT": "1"}  # sync workers: a connection per thread
    http_port, ws_port = free_port(), free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "daihoi.wsgi:application", "--workers", HTTP_WORKERS,
         "--threads", HTTP_THREADS, "--bind", f"127.0.0.1:{http_port}",
         "--log-level", "warning", "--backlog", "2048"],
        env=wsgi_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    uvicorn = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "daihoi.asgi:application", "--host", "127.0.0.1",
         "--port", str(ws_port), "--log-level", "warning", "--no-access-log",
         "--ws-max-queue", "64", "--backlog", "4096"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    wait_for_server(http_port, gunicorn)
    wait_for_server(ws_port, uvicorn)
    return (gunicorn, http_port), (uvicorn, ws_port)


def peer(viewers: int) -> dict | None:
    if os.environ.get("BENCH_PEER", "1") == "0":
        return None
    from _openslides import run_openslides

    limit = float(os.environ.get("BENCH_PEER_TIME_LIMIT", "60"))
    return run_openslides(delegates=DELEGATES, clients=CLIENTS, viewers=viewers, time_limit=limit)


def main() -> None:
    setup()
    congress, chair, cookies = prepare()
    (gunicorn, http_port), (uvicorn, ws_port) = start_servers()
    try:
        # Warm-up: one vote by 100 delegates (imports, pools, caches).
        warm = new_vote(congress, chair, "Khởi động")
        vote_round(http_port, warm.pk, cookies[:100])
        alone = []
        for number in range(ROUNDS):
            vote = new_vote(congress, chair, f"Biểu quyết {number}")
            alone.append({**vote_round(http_port, vote.pk, cookies), **check_stored(vote.pk)})
        watched = [
            with_viewers(ws_port, http_port, congress, chair, cookies, n)
            for n in range(ROUNDS if VIEWERS else 0)
        ]
    finally:
        for process in (gunicorn, uvicorn):
            process.terminate()
            process.wait(timeout=30)
    from django.db import connection

    ours = {"no_viewers": summary(alone), "with_viewers": summary(watched)}
    peer_alone = peer(0)
    peer_watched = peer(VIEWERS) if peer_alone is not None else None
    best = {key: max(ours[key]["votes_per_second"]) if ours[key] else 0 for key in ours}
    result = {
        "bench": "votes_http", "database": connection.vendor, "delegates": DELEGATES,
        "clients": CLIENTS, "rounds": ROUNDS,
        "http": f"gunicorn × {HTTP_WORKERS} workers × {HTTP_THREADS} threads",
        "websockets": "uvicorn × 1", **ours,
        "targets": {"no_viewers_votes_per_second": 1000, "with_viewers_votes_per_second": 300,
                    "broadcast_p99_ms": 500, "result_to_viewers_ms": 1000, "times_peer": 30},
        "peer": {"no_viewers": peer_alone, "with_viewers": peer_watched},
    }  # fmt: skip
    if peer_alone and peer_alone.get("votes_per_second"):
        result["times_peer"] = {
            "no_viewers": round(best["no_viewers"] / peer_alone["votes_per_second"], 1),
            "with_viewers": round(
                best["with_viewers"] / max(peer_watched.get("votes_per_second") or 0.01, 0.01), 1
            ),
        }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
