"""`daihoi extract-tasks PATH [--json] [--units FILE | --db]`: propose tasks from a document.

Without --db the command never touches the database (the built-in directory or --units FILE).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from daihoi.tasks.extraction import (
    ReadError,
    builtin_directory,
    directory_from_db,
    directory_from_file,
    extract,
    read_path,
)


class Command(BaseCommand):
    help = "Đề xuất nhiệm vụ từ một thông báo, kế hoạch, kết luận (TXT, DOCX, PDF)."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="Tệp văn bản cần đọc.")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--units", help="Tệp danh mục đơn vị (JSON như hanoi-units.json).")
        source.add_argument("--db", action="store_true", help="Dùng danh mục đơn vị trong CSDL.")

    def handle(self, *args, **options) -> None:
        try:
            text = read_path(options["path"])
            directory = self._directory(options)
        except (ReadError, CommandError) as exc:
            # One Vietnamese line on stderr and a non-zero exit, never a traceback.
            self.stderr.write(f"Lỗi: {exc}")
            raise SystemExit(2) from None
        proposals = extract(text, directory)
        if options["json"]:
            payload = {"tasks": [p.to_json() for p in proposals]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        for number, p in enumerate(proposals, 1):
            self.stdout.write(f"{number}. {p.text}")
            self.stdout.write(f"   Chủ trì: {', '.join(p.lead_units) or '—'}")
            if p.coordinating_units:
                self.stdout.write(f"   Phối hợp: {', '.join(p.coordinating_units)}")
            self.stdout.write(f"   Thời hạn: {p.deadline.text or '—'} ({p.deadline.kind})")
            if p.unknown_units:
                self.stdout.write(f"   Chưa có trong danh mục: {', '.join(p.unknown_units)}")
        self.stdout.write(f"Tổng cộng {len(proposals)} nhiệm vụ đề xuất.")

    @staticmethod
    def _directory(options):
        if options.get("units"):
            try:
                return directory_from_file(options["units"])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(
                    f"Không đọc được danh mục đơn vị «{options['units']}»: {exc}"
                ) from None
        if options.get("db"):
            return directory_from_db()
        return builtin_directory()
