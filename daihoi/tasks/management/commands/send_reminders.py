"""`daihoi send_reminders [--date dd/mm/yyyy]`: the daily job for cron.

Opens the current report period of periodic tasks, then sends the reminder digests, inline (cron
needs no broker; Celery beat calls the same functions through daihoi.tasks.tasks).
Running it twice on the same day sends nothing new.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.tasks.reminders import send_digests
from daihoi.tasks.services.periodic import open_occurrences
from daihoi.vietnamese import VietnameseDateError, format_date, parse_date


class Command(BaseCommand):
    # argparse needs plain strings here (a lazy translation breaks --help).
    help = "Mở kỳ báo cáo định kỳ và gửi thư nhắc nhiệm vụ sắp đến hạn, quá hạn (chạy hằng ngày)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", help="Ngày tính nhắc việc, dạng dd/mm/yyyy (mặc định: hôm nay)."
        )

    def handle(self, *args, **options) -> None:
        day = self._day(options.get("date"))
        opened = open_occurrences(day)
        sent = send_digests(day)
        self.stdout.write(
            _("Ngày %(day)s: mở %(opened)s kỳ báo cáo; gửi %(sent)s thư nhắc việc.")
            % {"day": format_date(day), "opened": opened, "sent": sent}
        )

    @staticmethod
    def _day(text: str | None) -> dt.date:
        if not text:
            return timezone.localdate()
        try:
            return parse_date(text)
        except VietnameseDateError as exc:
            raise CommandError(
                _("%(error)s. Hãy nhập ngày dạng dd/mm/yyyy.") % {"error": exc}
            ) from None
