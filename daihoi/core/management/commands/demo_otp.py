"""`daihoi demo_otp USERNAME`: the current two-factor code of a demo account (demo only)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "In mã xác thực hai bước hiện tại của một tài khoản thử (chỉ tài khoản do demo tạo)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        logins_file = settings.DATA_DIR / "demo-logins.json"
        demo_users = json.loads(logins_file.read_text()) if logins_file.exists() else {}
        if username not in demo_users:
            raise CommandError(f"«{username}» không phải tài khoản thử do «daihoi demo» tạo.")
        device = TOTPDevice.objects.filter(
            user__username=username, name="demo", confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"Tài khoản «{username}» không có thiết bị xác thực thử.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
