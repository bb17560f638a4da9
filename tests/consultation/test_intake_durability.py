"""Durable intake: a real gunicorn serving the form is killed with SIGKILL (master and workers)
while comments are arriving; every reference that a sender saw acknowledged is in the database.
PostgreSQL only: the server process needs a database it can share with the test."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from daihoi.consultation.models import Comment
from tests.consultation import test_drafts as drafts_tests
from tests.consultation.test_drafts import make_open_draft

# Fixtures shared with the draft tests.
_fresh_cache = drafts_tests._fresh_cache
congress = drafts_tests.congress
staff = drafts_tests.staff

ROOT = Path(__file__).resolve().parents[2]
BYPASS = "ben-vung-kiem-thu-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env() -> dict:
    settings = connection.settings_dict
    url = (f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:"
           f"{settings['PORT'] or 5432}/{settings['NAME']}")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "daihoi.settings", "DEBUG": "0",
                "DAIHOI_CAPTCHA_TEST_BYPASS": BYPASS,
                "DAIHOI_COMMENT_RATE_ADDRESS": "100000/60"})  # fmt: skip
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _wait(port: int, server) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        assert server.poll() is None, server.stderr.read().decode()[-2000:]
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/gop-y/san-sang/")
            if probe.getresponse().status == 204:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            probe.close()
    pytest.fail("gunicorn did not start")


@pytest.mark.django_db(transaction=True)
def test_acknowledged_comments_survive_sigkill(staff, congress, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL shared with a gunicorn process (CI's second pass)")
    draft, _version = make_open_draft(staff, congress)
    port = _free_port()
    env = _server_env()
    env["DAIHOI_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "daihoi.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    acknowledged: list[str] = []
    stop = threading.Event()
    try:
        _wait(port, server)

        def sender(index: int) -> None:
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                client.request("GET", f"/du-thao/{draft.pk}/")
                page = client.getresponse()
                html = page.read().decode()
                cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie")).group(1)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
                n = 0
                while not stop.is_set():
                    n += 1
                    body = urlencode({"csrfmiddlewaretoken": token, "name": "Người gửi",
                                      "title": f"Góp ý {index}-{n}", "content": "Nội dung góp ý.",
                                      "captcha": BYPASS})  # fmt: skip
                    client.request("POST", f"/du-thao/{draft.pk}/gop-y/", body, {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"csrftoken={cookie}", "Origin": f"http://127.0.0.1:{port}",
                    })  # fmt: skip
                    response = client.getresponse()
                    response.read()
                    if response.status == 303:
                        acknowledged.append(response.getheader("Location").split("/")[-2])
            except (OSError, http.client.HTTPException):
                return  # the server was killed mid-request: that comment was never acknowledged
            finally:
                client.close()

        senders = [threading.Thread(target=sender, args=(i,)) for i in range(6)]
        for thread in senders:
            thread.start()
        deadline = time.time() + 30
        while len(acknowledged) < 60 and time.time() < deadline:
            time.sleep(0.01)
        os.killpg(server.pid, signal.SIGKILL)  # no graceful shutdown, no flush, mid-traffic
        stop.set()
        for thread in senders:
            thread.join(timeout=15)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        server.stderr.close()
    assert len(acknowledged) >= 60
    stored = set(
        Comment.objects.filter(reference__in=acknowledged).values_list("reference", flat=True)
    )
    assert stored == set(acknowledged)
