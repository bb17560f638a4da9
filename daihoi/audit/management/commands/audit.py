"""`daihoi audit verify`: recompute the hash chain; exit status 1 at the first break."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from daihoi.audit.checks import run_all
from daihoi.audit.services import verify


class Command(BaseCommand):
    help = "Nhật ký kiểm toán. «verify»: tính lại toàn bộ chuỗi mã băm, báo dòng hỏng đầu tiên."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="verify")
        subcommands.add_parser(
            "verify", help="Kiểm tra chuỗi mã băm; mã thoát 1 nếu chuỗi bị sửa, xóa hay chèn."
        )

    def handle(self, *args, subcommand: str, **options):
        result = verify()
        if not result.ok:
            # One plain line and a status for scripts, not a CommandError traceback prefix.
            self.stderr.write(f"Chuỗi nhật ký không toàn vẹn. {result.problem}.")
            sys.exit(1)
        problems = run_all()  # e.g. sealed election results recounted against their seals
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            sys.exit(1)
        self.stdout.write(
            f"Chuỗi nhật ký toàn vẹn: {result.rows_checked} dòng, "
            f"mã đầu chuỗi {result.head_hash[:16]}…"
        )
