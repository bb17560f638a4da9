"""The `daihoi` command run from a shell, as a newcomer or CI runs it: real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _daihoi(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "daihoi", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_demo_check_from_an_empty_data_folder(tmp_path):
    result = _daihoi("demo", "--check", env={"DAIHOI_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Kiểm tra xong" in result.stdout
    assert "quantri" in result.stdout and "daumoi.btg" in result.stdout
    assert (tmp_path / "daihoi.sqlite3").exists() and (tmp_path / "secret_key").exists()
    again = _daihoi("demo", "--check", env={"DAIHOI_DATA_DIR": str(tmp_path)})
    assert again.returncode == 0 and "0 đơn vị mới" in again.stdout
    verify = _daihoi("audit", "verify", env={"DAIHOI_DATA_DIR": str(tmp_path)})
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_wrong_database_url_is_one_clear_line(tmp_path):
    result = _daihoi("migrate", env={"DAIHOI_DATA_DIR": str(tmp_path), "DATABASE_URL": "mysql://x"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0]


def test_unreachable_postgresql_is_one_clear_line(tmp_path):
    url = "postgres://postgres:secret@127.0.0.1:1/daihoi"  # nothing listens on port 1
    result = _daihoi("migrate", env={"DAIHOI_DATA_DIR": str(tmp_path), "DATABASE_URL": url})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_URL=postgres://postgres:***@127.0.0.1:1/daihoi" in lines[0]
    assert "secret" not in lines[0]


def test_bad_redis_url_is_one_clear_line(tmp_path):
    result = _daihoi("check", env={"DAIHOI_DATA_DIR": str(tmp_path), "REDIS_URL": "http://x"})
    assert result.returncode == 2 and "REDIS_URL" in result.stderr
    assert "Traceback" not in result.stderr
