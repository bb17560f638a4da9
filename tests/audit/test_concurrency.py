"""Two writers appending at once never take the same seq or fork the chain."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing

import pytest
from django.db import connection, connections

from daihoi.audit.models import AuditEntry
from daihoi.audit.services import record, verify

THREADS = 2
RECORDS_EACH = 50
PROCESS_RECORDS = 200


def _switches(order: list[str]) -> int:
    return sum(1 for a, b in itertools.pairwise(order) if a != b)


def _writer(name: str, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        barrier.wait()
        for n in range(RECORDS_EACH):
            record(None, "test.concurrent", data={"writer": name, "n": n})
    except BaseException as exc:  # reported by the test thread
        errors.append(exc)
    finally:
        connections.close_all()  # this thread's own connection


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_contiguous_chain():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "The in-memory SQLite test database is shared between threads through SQLite's "
            "shared cache, whose table locks fail at once (SQLITE_LOCKED) instead of waiting; "
            "a file database queues writers instead (transaction_mode=IMMEDIATE), which the "
            "two-process test below checks."
        )
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    workers = [
        threading.Thread(target=_writer, args=(f"w{i}", barrier, errors)) for i in range(THREADS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    total = THREADS * RECORDS_EACH
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    result = verify()
    assert result.ok and result.rows_checked == total
    order = [entry.payload["writer"] for entry in AuditEntry.objects.all()]
    assert {*order} == {f"w{i}" for i in range(THREADS)}
    assert _switches(order) > 2, "the two writers did not overlap, so nothing was tested"


SELECT_WRITERS = "SELECT data FROM audit_auditentry ORDER BY seq"
WRITER_SCRIPT = """
import pathlib, time
from daihoi.audit.services import record
ready = pathlib.Path("{ready}")
(ready / "{name}").touch()
while len(list(ready.iterdir())) < {writers}:  # start together, after Django has loaded
    time.sleep(0.01)
for n in range({count}):
    record(None, "test.concurrent", data={"writer": "{name}", "n": n})
    time.sleep(0.002)  # as a real worker would, so the other writer gets its turns
"""


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's locking; the thread test covers PostgreSQL"
)
def test_concurrent_appends_from_two_processes_on_a_sqlite_file(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("proc")
    """The laptop set-up: one SQLite file, several processes (web, worker) writing at once."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DAIHOI_DATA_DIR"] = str(tmp_path)
    daihoi = [sys.executable, "-m", "daihoi"]
    subprocess.run([*daihoi, "migrate", "-v0"], env=env, check=True, capture_output=True)
    (tmp_path / "ready").mkdir()
    script = WRITER_SCRIPT.replace("{ready}", str(tmp_path / "ready"))
    script = script.replace("{writers}", str(THREADS)).replace("{count}", str(PROCESS_RECORDS))
    writers = [
        subprocess.Popen(
            [*daihoi, "shell", "-c", script.replace("{name}", f"p{i}")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(THREADS)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    done = subprocess.run(
        [*daihoi, "audit", "verify"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Chuỗi nhật ký toàn vẹn: {THREADS * PROCESS_RECORDS} dòng")
    with closing(sqlite3.connect(tmp_path / "daihoi.sqlite3")) as db:
        order = [json.loads(d)["writer"] for (d,) in db.execute(SELECT_WRITERS)]
    assert _switches(order) > 2, "the two writers did not overlap, so nothing was tested"
