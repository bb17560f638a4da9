"""The OpenSlides 3.3 peer of the vote benchmark (issue 7); not a benchmark itself.

`run_openslides()` runs our vote workload against OpenSlides 3.3 as docs peers.md describes it:
installed from PyPI in its own venv outside the repository (never vendored), started with
`openslides start` in a fresh temporary folder on 127.0.0.1 (its own SQLite database, electronic
voting on, DEBUG off), a named yes/no/abstain motion poll for all delegates, every delegate
logged in before the clock starts; then `clients` threads, each on one keep-alive connection,
cast the votes while `viewers` logged-in websocket clients listen to its autoupdate and count
what they receive. The poll is then stopped, published and read back, and a second vote from
one delegate is tried. `bench/peer_openslides.py` prints the result; `bench/votes_http.py` calls
it in the same run as our own figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checkin_http import free_port, percentile  # noqa: E402

PEER = "openslides 3.3"
DEFAULT_VENV = Path.home() / ".cache" / "daihoi-bench" / "openslides-3.3"
# peers.md: `pip install openslides==3.3 "typing_extensions>=4" bleach==3.3.1`. Current pip's
# resolver refuses that one line (openslides 3.3 pins typing_extensions<3.8 and bleach<3.2),
# and with those pins it does not start on Python 3.11 (twisted needs ParamSpec, bleach 3.1's
# html5lib imports collections.Mapping). So the same two workarounds go in as a second step.
INSTALL_STEPS = (["openslides==3.3"], ["typing_extensions>=4", "bleach==3.3.1"])
READY_MARK = ".daihoi-bench-ready"
DELEGATES_GROUP = 3  # OpenSlides' built-in "Delegates" group
CHOICES = ("Y", "N", "A")
SESSION_COOKIE = "OpenSlidesSessionID"
CSRF_COOKIE = "OpenSlidesCsrfToken"
IMPORT_CHUNK = 200
REQUEST_TIMEOUT = 120.0


class PeerError(RuntimeError):
    """OpenSlides did not install, start or answer as expected."""


# --- installation -------------------------------------------------------------------------


def ensure_installed() -> tuple[Path, float | None]:
    """The OpenSlides venv, installed now if missing; returns (venv, seconds spent installing
    or None when an earlier install was reused)."""
    venv = Path(os.environ.get("BENCH_OPENSLIDES_VENV") or DEFAULT_VENV).expanduser()
    if (venv / READY_MARK).exists() and (venv / "bin" / "openslides").exists():
        return venv, None
    started = time.perf_counter()
    shutil.rmtree(venv, ignore_errors=True)  # a half-finished earlier attempt
    venv.parent.mkdir(parents=True, exist_ok=True)
    log = venv.parent / (venv.name + "-install.log")
    env = _clean_env()
    with open(log, "w") as out:
        # The venv module of our interpreter builds the new venv from the base Python 3.11,
        # so nothing of our own venv leaks into it.
        steps = [[sys.executable, "-m", "venv", str(venv)]]
        steps += [[str(venv / "bin" / "pip"), "install", *packages] for packages in INSTALL_STEPS]
        for command in steps:
            out.write("$ " + " ".join(command) + "\n")
            out.flush()
            done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env)
            if done.returncode:
                raise PeerError(f"{' '.join(command)} failed, see {log}: {_tail(log)}")
    (venv / READY_MARK).write_text("openslides==3.3\n")
    return venv, time.perf_counter() - started


def _clean_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def _tail(path: Path, size: int = 2000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return ""


# --- the server ---------------------------------------------------------------------------


class Server:
    """`openslides start` in its own process group, data in a temporary folder."""

    def __init__(self, venv: Path):
        self.venv = venv
        self.folder = Path(tempfile.mkdtemp(prefix="daihoi-bench-openslides-"))
        self.port = free_port()
        self.log = self.folder / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [str(self.venv / "bin" / "openslides"), "start", "--no-browser", "--host",
                   "127.0.0.1", "--port", str(self.port), "--local-installation"]  # fmt: skip
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(
                command, cwd=self.folder, env=_clean_env(), stdout=out,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PeerError("OpenSlides stopped while starting: " + _tail(self.log))
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/apps/users/login/")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise PeerError("OpenSlides did not answer within 300 s: " + _tail(self.log))

    def stop(self) -> None:
        """Stop the whole process group: SIGINT as Ctrl-C would, SIGKILL if it lingers."""
        process, self.process = self.process, None
        if process is None:
            return
        for sig, grace in ((signal.SIGINT, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                continue
            # The leader is gone; make sure nothing else of its group survives.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            break

    def configure(self) -> None:
        """peers.md: electronic voting on and DEBUG off in personal_data/var/settings.py."""
        path = self.folder / "personal_data" / "var" / "settings.py"
        text = path.read_text()
        for name, old, new in (("DEBUG", "True", "False"),
                               ("ENABLE_ELECTRONIC_VOTING", "False", "True")):  # fmt: skip
            text, count = re.subn(rf"^{name} = {old}$", f"{name} = {new}", text, flags=re.M)
            if count != 1:
                raise PeerError(f"{name} = {old} not found once in {path}")
        path.write_text(text)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


# --- HTTP with a session ------------------------------------------------------------------


class Browser:
    """One keep-alive connection with its own cookies, as one logged-in browser would have."""

    def __init__(self, port: int, timeout: float = REQUEST_TIMEOUT):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.last_used = time.monotonic()

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body=None) -> tuple[int, object]:
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept": "application/json"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if CSRF_COOKIE in self.cookies:
            headers["X-CSRFToken"] = self.cookies[CSRF_COOKIE]
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if time.monotonic() - self.last_used > 5:
            self.connection.close()  # the server may have dropped an idle keep-alive
        try:
            self.connection.request(method, path, payload, headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # reconnect on the next request
            raise
        self.last_used = time.monotonic()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw[:300].decode(errors="replace")
        return response.status, data

    def call(self, method: str, path: str, body=None, expect: int = 200):
        status, data = self.request(method, path, body)
        if status != expect:
            raise PeerError(f"{method} {path}: HTTP {status} {str(data)[:500]}")
        if isinstance(data, dict) and set(data) == {"autoupdate", "data"}:
            return data["data"]  # OpenSlides wraps a write's answer with its autoupdate
        return data

    def login(self, username: str, password: str) -> None:
        # No CSRF token needed to log in; the answer sets the session and CSRF cookies.
        self.call("POST", "/apps/users/login/", {"username": username, "password": password})
        if SESSION_COOKIE not in self.cookies:
            raise PeerError(f"no session cookie after logging in {username}")

    def close(self) -> None:
        self.connection.close()


def _password(index: int) -> str:
    return f"bench-pw-{index:05d}"


def prepare(port: int, delegates: int, clients: int) -> tuple[Browser, int, int, list[Browser]]:
    """Delegates imported and logged in, the poll created and started (all before the clock).
    Returns the admin, the poll, its option and one logged-in Browser per delegate."""
    admin = Browser(port, timeout=600)
    admin.login("admin", "admin")
    for first in range(0, delegates, IMPORT_CHUNK):
        users = [
            {"username": f"daibieu{i:05d}", "first_name": "Đại biểu", "last_name": str(i),
             "default_password": _password(i), "groups_id": [DELEGATES_GROUP],
             "is_present": True}
            for i in range(first, min(delegates, first + IMPORT_CHUNK))
        ]  # fmt: skip
        answer = admin.call("POST", "/rest/users/user/mass_import/", {"users": users})
        if answer.get("args") != [len(users)]:
            raise PeerError(f"mass import created {answer.get('args')} of {len(users)} users")
    motion = admin.call("POST", "/rest/motions/motion/",
                        {"title": "Thông qua Nghị quyết", "text": "<p>Dự thảo Nghị quyết.</p>"},
                        expect=201)  # fmt: skip
    poll = admin.call("POST", "/rest/motions/motion-poll/", {
        "motion_id": motion["id"], "title": "Biểu quyết", "type": "named", "pollmethod": "YNA",
        "groups_id": [DELEGATES_GROUP], "onehundred_percent_base": "YNA",
        "majority_method": "simple",
    }, expect=201)  # fmt: skip
    poll_id = poll["id"]
    options = admin.call("GET", f"/rest/motions/motion-poll/{poll_id}/")["options_id"]
    if len(options) != 1:
        raise PeerError(f"a motion poll with {len(options)} options")

    browsers: list[Browser | None] = [None] * delegates
    failures: list[str] = []

    def log_in(index: int) -> None:
        for n in range(index, delegates, clients):
            browser = Browser(port)
            try:
                browser.login(f"daibieu{n:05d}", _password(n))
            except (PeerError, OSError, http.client.HTTPException) as error:
                failures.append(f"daibieu{n:05d}: {error}")
                continue
            browser.close()  # the voting threads open their own connections
            browsers[n] = browser

    _run_threads(clients, log_in)
    if failures:
        raise PeerError(f"{len(failures)} delegates could not log in: {failures[:3]}")
    admin.call("POST", f"/rest/motions/motion-poll/{poll_id}/start/")
    return admin, poll_id, options[0], browsers  # type: ignore[return-value]


def _run_threads(count: int, target) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- viewers (a child process, so their work does not share our GIL with the voters) ------


def _viewers_main(port: int, cookies: list[str], connect_limit: float, pipe) -> None:
    asyncio.run(_viewers(port, cookies, connect_limit, pipe))


async def _viewers(port: int, cookies: list[str], connect_limit: float, pipe) -> None:
    from websockets.asyncio.client import connect

    counts = {"messages": 0, "bytes": 0, "initial_bytes": 0}
    ready: list[bool] = [False] * len(cookies)
    failed: list[str] = []
    sockets: list = []
    gate = asyncio.Semaphore(50)  # connections being opened at once
    all_ready = asyncio.Event()
    stop = asyncio.Event()

    def account(index: int, size: int) -> None:
        counts["messages"] += 1
        counts["bytes"] += size
        if not ready[index]:
            ready[index] = True
            counts["initial_bytes"] += size
            if all(ready) or len(failed) + sum(ready) == len(cookies):
                all_ready.set()

    async def viewer(index: int) -> None:
        try:
            async with gate:
                socket_ = await connect(
                    f"ws://127.0.0.1:{port}/ws/?change_id=0",
                    additional_headers={"Cookie": cookies[index]},
                    max_size=None, max_queue=None, ping_interval=None,
                    open_timeout=connect_limit, close_timeout=2, compression=None,
                )  # fmt: skip
                sockets.append(socket_)
                first = await socket_.recv()
                account(index, len(first))
            async for message in socket_:
                account(index, len(message))
        except Exception as error:  # noqa: BLE001 - a viewer that fails is counted
            if not stop.is_set():
                failed.append(f"{type(error).__name__}: {error}")
                if len(failed) + sum(ready) == len(cookies):
                    all_ready.set()

    loop = asyncio.get_running_loop()
    tasks = [asyncio.create_task(viewer(i)) for i in range(len(cookies))]
    started = time.perf_counter()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_ready.wait(), connect_limit)
    pipe.send({
        "connected": sum(ready), "failed": len(failed), "errors": failed[:3],
        "connect_seconds": round(time.perf_counter() - started, 1),
        "initial_bytes": counts["initial_bytes"],
    })  # fmt: skip
    if await loop.run_in_executor(None, pipe.recv) != "mark":
        raise SystemExit
    mark = dict(counts)
    if await loop.run_in_executor(None, pipe.recv) != "stop":
        raise SystemExit
    end = dict(counts)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.wait(
        [asyncio.create_task(s.close()) for s in sockets] or [asyncio.sleep(0)], timeout=10
    )
    pipe.send({
        "messages": end["messages"], "bytes": end["bytes"],
        "messages_during_votes": end["messages"] - mark["messages"],
        "bytes_during_votes": end["bytes"] - mark["bytes"], "failed": len(failed),
    })  # fmt: skip


class Viewers:
    def __init__(self, port: int, cookies: list[str], connect_limit: float):
        context = multiprocessing.get_context("spawn")
        self.pipe, child_end = context.Pipe()
        self.process = context.Process(
            target=_viewers_main, args=(port, cookies, connect_limit, child_end), daemon=True
        )
        self.process.start()
        child_end.close()
        self.connect_limit = connect_limit

    def wait_connected(self) -> dict:
        deadline = time.monotonic() + self.connect_limit + 60
        while not self.pipe.poll(1):
            if not self.process.is_alive() or time.monotonic() > deadline:
                raise PeerError("the viewers' process did not report")
        return self.pipe.recv()

    def mark(self) -> None:
        self.pipe.send("mark")

    def finish(self) -> dict:
        self.pipe.send("stop")
        result = self.pipe.recv() if self.pipe.poll(120) else {}
        self.close()
        return result

    def close(self) -> None:
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


# --- the vote -----------------------------------------------------------------------------


def cast_votes(port, poll_id, browsers, clients, time_limit) -> dict:
    """The timed part: `clients` threads each cast the votes of their share of the delegates."""
    path = f"/rest/motions/motion-poll/{poll_id}/vote/"
    latencies: list[float] = []
    errors: dict[str, int] = {}
    accepted: dict[int, str] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    clock: dict[str, float] = {}
    unvoted = [0] * clients

    def voter(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        share = list(range(index, len(browsers), clients))
        barrier.wait()
        for done, n in enumerate(share):
            if time.perf_counter() >= clock["deadline"]:
                unvoted[index] = len(share) - done
                break
            browser = browsers[n]
            choice = CHOICES[n % len(CHOICES)]
            headers = {"Host": f"127.0.0.1:{port}", "Content-Type": "application/json",
                       "Cookie": browser.cookie_header(),
                       "X-CSRFToken": browser.cookies[CSRF_COOKIE]}  # fmt: skip
            started = time.perf_counter()
            try:
                connection.request("POST", path, json.dumps({"data": choice}), headers)
                response = connection.getresponse()
                response.read()
                status = str(response.status)
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                status = "timeout" if isinstance(error, TimeoutError) else type(error).__name__
            latencies.append(time.perf_counter() - started)
            with lock:
                if status == "200":
                    accepted[n] = choice
                else:
                    errors[status] = errors.get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=voter, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    clock["start"] = time.perf_counter()
    clock["deadline"] = clock["start"] + time_limit
    barrier.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - clock["start"]
    return {"accepted": accepted, "errors": errors, "latencies": latencies, "seconds": wall,
            "timed_out": any(unvoted)}  # fmt: skip


def check_result(admin: Browser, poll_id: int, option_id: int, accepted: dict[int, str]) -> bool:
    """Stop and publish the poll, read it back and compare it with the accepted votes."""
    admin.call("POST", f"/rest/motions/motion-poll/{poll_id}/stop/")
    admin.call("POST", f"/rest/motions/motion-poll/{poll_id}/publish/")
    poll = admin.call("GET", f"/rest/motions/motion-poll/{poll_id}/")
    option = admin.call("GET", f"/rest/motions/motion-option/{option_id}/")
    expected = {choice: list(accepted.values()).count(choice) for choice in CHOICES}
    reported = {"Y": option["yes"], "N": option["no"], "A": option["abstain"]}
    voted = poll.get("voted_id", poll.get("voted")) or []
    return (
        poll["state"] == 4  # published
        and all(float(reported[c]) == expected[c] for c in CHOICES)
        and len(voted) == len(accepted)
        and sorted(voted) == sorted(set(voted))
        and float(poll["votescast"]) == len(accepted)
        and float(poll["votesvalid"]) == len(accepted)
    )


def run_openslides(delegates: int = 1000, clients: int = 16, viewers: int = 0,
                   time_limit: float = 60.0) -> dict:  # fmt: skip
    """Run the vote workload against OpenSlides 3.3 and return the figures (see module doc)."""
    venv, install_seconds = ensure_installed()
    server = Server(venv)
    watchers: Viewers | None = None
    prepare_started = time.perf_counter()
    try:
        server.start()  # first start: settings file, database, admin/admin
        server.stop()
        server.configure()
        server.start()
        admin, poll_id, option_id, browsers = prepare(server.port, delegates, clients)
        prepare_seconds = time.perf_counter() - prepare_started
        connected: dict = {}
        if viewers:
            cookies = [browsers[i % delegates].cookie_header() for i in range(viewers)]
            watchers = Viewers(server.port, cookies, connect_limit=max(60.0, time_limit))
            connected = watchers.wait_connected()
            watchers.mark()
        votes = cast_votes(server.port, poll_id, browsers, clients, time_limit)
        seen = watchers.finish() if watchers else {}
        watchers = None
        accepted = votes["accepted"]
        second_vote_refused = False
        if accepted:
            again = next(iter(accepted))
            browser = browsers[again]
            other = "N" if accepted[again] != "N" else "Y"
            status, _ = browser.request(
                "POST", f"/rest/motions/motion-poll/{poll_id}/vote/", {"data": other}
            )
            browser.close()
            second_vote_refused = 400 <= status < 500
        result_correct = check_result(admin, poll_id, option_id, accepted)
        admin.close()
    except BaseException as error:
        if isinstance(error, Exception) and not isinstance(error, PeerError):
            message = f"{type(error).__name__}: {error}; server log: {_tail(server.log)}"
            raise PeerError(message) from error
        raise
    finally:
        if watchers is not None:
            watchers.close()
        server.stop()
        server.remove()
    latencies = votes["latencies"]
    return {
        "peer": PEER,
        "database": "sqlite",
        "delegates": delegates,
        "clients": clients,
        "viewers": viewers,
        "votes_accepted": len(accepted),
        "votes_per_second": round(len(accepted) / votes["seconds"], 1),
        "timed_seconds": round(votes["seconds"], 2),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
        "errors": votes["errors"],
        "timed_out": votes["timed_out"],
        "result_correct": result_correct,
        "second_vote_refused": second_vote_refused,
        "viewers_connected": connected.get("connected", 0),
        "viewers_failed": seen.get("failed", connected.get("failed", 0)),
        "viewers_connect_seconds": connected.get("connect_seconds"),
        "viewer_initial_bytes": connected.get("initial_bytes", 0),
        "viewer_messages": seen.get("messages", 0),
        "viewer_bytes": seen.get("bytes", 0),
        "viewer_messages_during_votes": seen.get("messages_during_votes", 0),
        "viewer_bytes_during_votes": seen.get("bytes_during_votes", 0),
        "prepare_seconds": round(prepare_seconds, 1),
        "install_seconds": round(install_seconds, 1) if install_seconds is not None else None,
        "installed_now": install_seconds is not None,
    }
