"""`daihoi restore PATH`: replace all data and media with a backup's, after checking it."""

from __future__ import annotations

import sys
import unicodedata

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from daihoi.core.services.backup import BackupError, BackupInfo, restore_backup

PROMPT = "Dữ liệu hiện tại sẽ bị thay thế. Gõ 'co' để tiếp tục: "


def _local_time(value: str | None) -> str:
    try:
        moment = parse_datetime(value or "")
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        return value or "?"
    return timezone.localtime(moment).strftime("%H:%M ngày %d/%m/%Y")


class Command(BaseCommand):
    help = (
        "Khôi phục từ tệp do «daihoi backup» tạo: kiểm tra toàn bộ tệp trước, rồi thay dữ liệu "
        "trong một giao dịch (lỗi giữa chừng thì dữ liệu cũ giữ nguyên)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp sao lưu")
        parser.add_argument(
            "--yes", action="store_true", help="Không hỏi lại (bắt buộc khi chạy không tương tác)"
        )

    def _ask(self, info: BackupInfo) -> bool:
        self.stdout.write(
            f"Bản sao lưu lúc {_local_time(info.manifest.get('created_at'))} "
            f"(daihoi {info.manifest.get('app_version')}): {info.rows} bản ghi, "
            f"{len(info.media_names)} tệp đính kèm."
        )
        self.stdout.flush()
        try:
            answer = input(PROMPT)
        except EOFError:
            return False
        return unicodedata.normalize("NFC", answer).strip().lower() in {"co", "có"}

    def handle(self, *args, path: str, yes: bool, **options):
        try:
            if not yes and not (sys.stdin and sys.stdin.isatty()):
                raise BackupError(
                    "not_confirmed",
                    "Dữ liệu hiện tại sẽ bị thay thế; khi chạy không tương tác, "
                    "thêm --yes để xác nhận.",
                )
            summary = restore_backup(path, confirm=None if yes else self._ask)
        except BackupError as exc:
            # One line, no traceback: the operator needs the reason, not the stack.
            self.stderr.write(exc.message)
            sys.exit(1)
        info = summary.info
        self.stdout.write(
            f"Đã khôi phục {info.rows} bản ghi và {len(info.media_names)} tệp đính kèm từ {path} "
            f"(sao lưu lúc {_local_time(info.manifest.get('created_at'))}); "
            f"chuỗi nhật ký toàn vẹn: {summary.audit_rows} dòng."
        )
