"""`daihoi backup PATH`: the whole installation (data and media files) in one zip file."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from daihoi.core.services.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ dữ liệu và tệp đính kèm vào một tệp zip (khôi phục bằng «daihoi restore»)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp sao lưu sẽ ghi, ví dụ /mnt/usb/daihoi-2025-10-01.zip")

    def handle(self, *args, path: str, **options):
        try:
            summary = create_backup(path)
        except BackupError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)
        self.stdout.write(
            f"Đã sao lưu {summary.rows} bản ghi và {summary.media_files} tệp đính kèm "
            f"vào {summary.path} ({summary.size / 1024:.0f} KB)."
        )
