"""Configuration read from the environment, with errors a person can act on.

Settings import these helpers; the `daihoi` command catches `ConfigError` and prints its
message as one line instead of a traceback.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the setting and the fix."""


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r} không hợp lệ: dùng 1/0, true/false, yes/no.")


def env_int(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise ConfigError(f"{name}={value!r} không hợp lệ: cần một số nguyên từ {minimum} trở lên.")
    return int(value)


def data_dir() -> Path:
    """Folder for the SQLite file, uploads, backups and the generated secret key."""
    path = Path(os.environ.get("DAIHOI_DATA_DIR", BASE_DIR / "data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def redacted(url: str) -> str:
    """The URL with any password replaced, for messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def database(folder: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(folder / "daihoi.sqlite3"),
            # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
            # instead of failing half-way (the audit chain relies on serialised appends).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    import dj_database_url

    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ConfigError(
            f"DATABASE_URL={redacted(url)} không dùng được: chỉ hỗ trợ postgres://... hoặc "
            "sqlite:///...; ví dụ DATABASE_URL=postgres://postgres@127.0.0.1:5432/daihoi"
        )
    try:
        # A connection pool, not persistent connections: under ASGI each request's sync code
        # runs in a thread of its own, so per-thread persistent connections would leak.
        config = dj_database_url.parse(url)
    except (ValueError, KeyError) as exc:
        raise ConfigError(
            f"DATABASE_URL={redacted(url)} sai cú pháp ({exc}); "
            "ví dụ DATABASE_URL=postgres://postgres@127.0.0.1:5432/daihoi"
        ) from None
    if config["ENGINE"].endswith("postgresql") and not config.get("NAME"):
        raise ConfigError(
            f"DATABASE_URL={redacted(url)} thiếu tên cơ sở dữ liệu; "
            "ví dụ DATABASE_URL=postgres://postgres@127.0.0.1:5432/daihoi"
        )
    if config["ENGINE"].endswith("postgresql"):
        # Django turns psycopg's prepared statements off (prepare_threshold None), which also
        # ignores an explicit execute(prepare=True). With a threshold no query reaches, only the
        # statements that ask are prepared (the vote's, voting/services.py); Django's own
        # queries bind on the client side and are never prepared.
        config.setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
        if env_bool("DAIHOI_DB_PERSISTENT"):
            # For a sync WSGI server (gunicorn): each worker thread keeps its own connection,
            # which skips the pool's check-out and check-in on every request.
            # No health check (a "SELECT 1" before each request's first query): a broken
            # connection is dropped at the end of the request that met the error.
            config["CONN_MAX_AGE"] = 600
        else:
            size = env_int("DAIHOI_DB_POOL_SIZE", 20)
            pool = {"min_size": 2, "max_size": size, "timeout": 10}
            config.setdefault("OPTIONS", {})["pool"] = pool
    return config


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "").strip()
    if url and urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(
            f"REDIS_URL={redacted(url)} không hợp lệ; ví dụ REDIS_URL=redis://127.0.0.1:6379/0"
        )
    return url or None
