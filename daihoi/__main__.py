"""The `daihoi` command: Django's manage.py with clear one-line errors for configuration."""

from __future__ import annotations

import os
import sys


def _database_error_line(exc: BaseException) -> str:
    from daihoi.config import redacted

    url = os.environ.get("DATABASE_URL", "")
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    where = f"DATABASE_URL={redacted(url)}" if url else "tệp SQLite trong DAIHOI_DATA_DIR"
    return (
        f"Lỗi: không kết nối được cơ sở dữ liệu ({where}): {reason}. "
        "Hãy kiểm tra máy chủ PostgreSQL đang chạy và sửa DATABASE_URL, "
        "hoặc bỏ DATABASE_URL để dùng SQLite. "
        "(Cannot reach the database set by DATABASE_URL.)"
    )


# Django command modules cannot have a hyphen in their names; the documented spelling can.
ALIASES = {
    "extract-tasks": "extract_tasks",
    "demo-otp": "demo_otp",
    "send-reminders": "send_reminders",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "daihoi"
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")

    from daihoi.config import ConfigError

    try:
        import django
        from django.core.management import execute_from_command_line
        from django.db import DatabaseError, InterfaceError

        django.setup()
        execute_from_command_line(argv)
    except ConfigError as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        sys.exit(2)
    except (DatabaseError, InterfaceError) as exc:
        if "--traceback" in argv:
            raise
        print(_database_error_line(exc), file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
