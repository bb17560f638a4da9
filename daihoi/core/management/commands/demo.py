"""`daihoi demo`: database, the Hanoi XVII example, demo logins, and a server on 127.0.0.1:8000."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from daihoi.core.services.example import load_example


class Command(BaseCommand):
    help = "Tạo cơ sở dữ liệu, nạp đại hội mẫu Hà Nội khóa XVII và chạy máy chủ thử."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Thiết lập rồi kiểm tra và thoát.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, check: bool, host: str, port: int, **options):
        connection.ensure_connection()
        call_command("migrate", interactive=False, verbosity=0)
        result = load_example(settings.DATA_DIR / "demo-logins.json")
        from daihoi.delegates.demo import load_demo_delegates
        from daihoi.documents.demo import load_demo_documents
        from daihoi.elections.demo import load_demo_elections
        from daihoi.tasks.demo import load_demo_tasks

        load_demo_documents()
        tasks_created = load_demo_tasks()
        delegates_created = load_demo_delegates()
        elections_created = load_demo_elections()
        from daihoi.consultation.demo import load_demo_consultation
        from daihoi.voting.demo import load_demo_floor

        load_demo_floor()
        load_demo_consultation()
        self.stdout.write(
            f"Đại hội mẫu: Hà Nội khóa XVII — {result.units_created} đơn vị mới, "
            f"{tasks_created} nhiệm vụ mới, {delegates_created} đại biểu mới, "
            f"{elections_created} cuộc bầu cử mới, "
            f"cơ sở dữ liệu: {connection.vendor} ({settings.DATABASES['default']['NAME']})"
        )
        self._print_logins(result.logins)
        if check:
            self._self_check()
            return
        self.stdout.write(f"\nMở http://{host}:{port}/ — Ctrl+C để dừng.")
        import uvicorn

        uvicorn.run("daihoi.asgi:application", host=host, port=port, log_level="warning")

    def _print_logins(self, logins) -> None:
        self.stdout.write("\nTài khoản thử (mật khẩu lưu trong thư mục dữ liệu, demo-logins.json):")
        for login in logins:
            line = f"  {login.username:<15} {login.password:<18} {login.role}"
            if login.totp_secret:
                line += f"  [mã 2 bước: daihoi demo_otp {login.username}]"
            self.stdout.write(line)

    def _self_check(self) -> None:
        client = Client(HTTP_HOST="127.0.0.1")
        health = client.get("/healthz")
        if health.status_code != 200:
            raise CommandError(f"/healthz trả về {health.status_code}: {health.content[:200]!r}")
        page = client.get("/tai-khoan/dang-nhap/")
        if page.status_code != 200 or "Đăng nhập".encode() not in page.content:
            raise CommandError("Trang đăng nhập không hiển thị đúng.")
        public = client.get("/du-thao/")
        if public.status_code != 200:
            raise CommandError(f"/du-thao/ trả về {public.status_code}.")
        self.stdout.write(
            self.style.SUCCESS(
                "Kiểm tra xong: cơ sở dữ liệu, bộ nhớ đệm, trang đăng nhập, "
                "trang dự thảo công khai."
            )
        )
