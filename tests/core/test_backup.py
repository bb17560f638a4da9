"""`daihoi backup` / `daihoi restore`: a faithful round trip, and refusals that change nothing."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import pty
import random
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction

from daihoi.audit.models import AuditEntry, AuditHead
from daihoi.audit.services import record, suspend_immutability, verify
from daihoi.core.models import Congress, Role, RoleAssignment, Unit, User
from daihoi.core.services.backup import DATA_FILE, MANIFEST_FILE, inspect_backup

NOT_CARRIED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}


def snapshot() -> dict[str, list[dict]]:
    """Every row of every carried model, serialised with natural keys for comparison."""
    result = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_CARRIED or model._meta.proxy or not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk")
        result[label] = serializers.serialize("python", rows, use_natural_foreign_keys=True)
    return result


def media_tree() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def populate() -> None:
    organ = Unit.objects.create(name="Văn phòng Thành ủy", kind="party_organ")
    district = Unit.objects.create(
        name="Quận ủy Ba Đình", kind="district", parent=organ, aliases=["QU Ba Đình"]
    )
    chief = User.objects.create_user("quantri", password="mat-khau-dai-du-10", full_name="Quản Trị")
    group = Group.objects.create(name="Tiểu ban Văn kiện")
    group.permissions.add(Permission.objects.get(codename="view_unit"))
    chief.groups.add(group)
    chief.user_permissions.add(Permission.objects.get(codename="change_unit"))
    liaison = User.objects.create(username="daumoi", full_name="Lê Thị Đầu Mối")
    RoleAssignment.objects.create(user=liaison, role=Role.UNIT_LIAISON, unit=district)
    Congress.objects.create(
        party_organisation="Đảng bộ thành phố Hà Nội",
        level="province",
        ordinal=18,
        term_start=2025,
        term_end=2030,
        start_date=datetime.date(2025, 10, 14),
        convening_committee=organ,
        is_current=True,
    )
    record(chief, "unit.updated", district, {"changes": {"phone": ["", "0243"]}})
    record(None, "auth.login_failed", data={"username": "khach"})
    media = Path(settings.MEDIA_ROOT)
    (media / "bien-ban").mkdir(parents=True)
    (media / "bien-ban" / "kiem-phieu.pdf").write_bytes(b"%PDF-1.4 bien ban")
    (media / "ảnh đại hội.jpg").write_bytes(bytes(range(256)) * 40)


def change_everything() -> None:
    """Adds, changes and removals after the backup, audit rows included."""
    Unit.objects.create(name="Sở Nội vụ", kind="state_department")
    Unit.objects.filter(name="Quận ủy Ba Đình").update(phone="0999", aliases=[])
    RoleAssignment.objects.all().delete()
    User.objects.filter(username="daumoi").delete()
    User.objects.filter(username="quantri").update(full_name="Tên Đã Đổi")
    User.objects.create(username="nguoimoi")
    Group.objects.all().delete()
    record(None, "unit.created", Unit.objects.get(name="Sở Nội vụ"))
    with transaction.atomic(), suspend_immutability(connection):
        AuditEntry.objects.filter(seq=1).delete()
    media = Path(settings.MEDIA_ROOT)
    (media / "bien-ban" / "kiem-phieu.pdf").write_bytes(b"da sua")
    (media / "ảnh đại hội.jpg").unlink()
    (media / "moi.txt").write_text("tệp mới")


def run(command: str, *args: str, **options) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err, **options)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def backup(tmp_path):
    """A populated database and its backup: (path, snapshot of the data, media files)."""
    populate()
    before, files = snapshot(), media_tree()
    path = tmp_path / "saoluu" / "daihoi.zip"
    code, out, _ = run("backup", str(path))
    assert code == 0
    assert out.startswith("Đã sao lưu ") and str(path) in out
    return path, before, files


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_data_media_and_a_verifiable_chain(backup):
    path, before, files = backup
    created = AuditEntry.objects.order_by("seq").last()
    assert created.action == "backup.created"
    assert created.payload["path"] == str(path) and created.payload["counts"]["core.unit"] == 2

    change_everything()
    assert snapshot() != before and media_tree() != files

    code, out, err = run("restore", str(path), yes=True)
    assert (code, err) == (0, ""), err
    assert out.startswith("Đã khôi phục ") and "chuỗi nhật ký toàn vẹn: 3 dòng" in out

    after = snapshot()
    restored = after["audit.auditentry"].pop()
    after.pop("audit.audithead"), before.pop("audit.audithead")
    assert after == before
    assert media_tree() == files
    assert not [p for p in Path(settings.MEDIA_ROOT).parent.iterdir() if p.name.startswith(".")]

    # The restore is the next link of the restored chain, and the chain verifies.
    assert restored["fields"]["action"] == "backup.restored"
    entries = list(AuditEntry.objects.all())
    assert entries[-1].prev_hash == entries[-2].hash
    assert AuditHead.objects.get().hash == entries[-1].hash
    result = verify()  # would fail had the times lost their microseconds on the way
    assert result.ok and result.rows_checked == 3

    # Ids, permissions and sequences are usable after the restore.
    chief = User.objects.get(username="quantri")
    assert chief.check_password("mat-khau-dai-du-10")
    assert chief.has_perm("core.change_unit") and chief.has_perm("core.view_unit")
    Unit.objects.create(name="Sở Tư pháp", kind="state_department")
    User.objects.create(username="sau-khoi-phuc")
    record(chief, "unit.created", Unit.objects.get(name="Sở Tư pháp"))
    assert verify().ok


@pytest.mark.django_db
def test_manifest_describes_the_backup(backup):
    path, before, _ = backup
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(MANIFEST_FILE))
        data = archive.read(DATA_FILE)
        names = set(archive.namelist())
    assert manifest["format"] == "daihoi-backup" and manifest["format_version"] == 1
    assert manifest["app_version"] == "0.1.0"
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["migrations"]["audit"] == "0002_append_only_triggers"
    assert manifest["migrations"]["core"] >= "0001_initial"
    assert manifest["counts"]["core.unit"] == 2 and manifest["counts"]["core.user"] == 2
    assert manifest["counts"]["audit.auditentry"] == 2
    assert "contenttypes.contenttype" not in manifest["counts"]
    assert manifest["data_sha256"] == hashlib.sha256(data).hexdigest()
    assert {"media/bien-ban/kiem-phieu.pdf", "media/ảnh đại hội.jpg"} <= names
    assert inspect_backup(path).rows == sum(len(rows) for rows in before.values())


# --- Refusals: each leaves the data and media exactly as they were ---


def rewrite(source: Path, target: Path, change) -> Path:
    """Copy a backup, letting `change(members)` edit the {name: bytes} of its files."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return target


def edit_manifest(**fields):
    def change(members):
        manifest = json.loads(members[MANIFEST_FILE])
        manifest.update(fields)
        members[MANIFEST_FILE] = json.dumps(manifest).encode()

    return change


def edit_data(transform, *, fix_checksum: bool):
    def change(members):
        members[DATA_FILE] = transform(members[DATA_FILE])
        if fix_checksum:
            manifest = json.loads(members[MANIFEST_FILE])
            manifest["data_sha256"] = hashlib.sha256(members[DATA_FILE]).hexdigest()
            members[MANIFEST_FILE] = json.dumps(manifest).encode()

    return change


def _tamper_audit_line(data: bytes) -> bytes:
    lines = data.decode().splitlines(keepends=True)
    for i, line in enumerate(lines):
        if '"model": "audit.auditentry"' in line:
            lines[i] = line.replace("unit.updated", "unit.deleted")
            break
    return "".join(lines).encode()


def _make(kind: str, good: Path, target: Path) -> Path:
    if kind == "missing":
        return target
    if kind == "random_bytes":
        target.write_bytes(random.Random(7).randbytes(4096))
    elif kind == "truncated":
        target.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "damaged":
        raw = bytearray(good.read_bytes())
        start = raw.find(DATA_FILE.encode()) + 200
        raw[start : start + 64] = bytes(64)
        target.write_bytes(bytes(raw))
    elif kind == "no_manifest":
        rewrite(good, target, lambda members: members.pop(MANIFEST_FILE))
    elif kind == "foreign":
        rewrite(good, target, edit_manifest(format="other-app-backup"))
    elif kind == "newer":
        rewrite(good, target, edit_manifest(format_version=2))
    elif kind == "checksum":
        change = edit_data(lambda d: d.replace("Ba Đình".encode(), b"Ba Dinh"), fix_checksum=False)
        rewrite(good, target, change)
    elif kind == "migrations":
        rewrite(good, target, edit_manifest(migrations={"core": "0099_tuong_lai"}))
    elif kind == "bad_data":
        line = b'{"model": "khong.tontai", "pk": 1, "fields": {}}\n'
        rewrite(good, target, edit_data(lambda d: d + line, fix_checksum=True))
    elif kind == "audit_broken":
        rewrite(good, target, edit_data(_tamper_audit_line, fix_checksum=True))
    elif kind == "unsafe_path":
        rewrite(good, target, lambda members: members.update({"media/../../ngoai.txt": b"x"}))
    return target


REFUSALS = {
    "missing": "Không tìm thấy tệp sao lưu",
    "random_bytes": "không phải tệp zip",
    "truncated": "bị hỏng",
    "damaged": "bị hỏng",
    "no_manifest": "không có manifest.json",
    "foreign": "không phải bản sao lưu daihoi (định dạng «other-app-backup»)",
    "newer": "định dạng 2, mới hơn",
    "checksum": "không khớp mã kiểm tra SHA-256",
    "migrations": "không khớp cấu trúc cơ sở dữ liệu",
    "bad_data": "không đọc được",
    "audit_broken": "Dòng số 1 đã bị sửa",
    "unsafe_path": "đường dẫn không an toàn",
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", REFUSALS)
def test_restore_refuses_and_changes_nothing(backup, tmp_path, kind):
    good, _, _ = backup
    bad = _make(kind, good, tmp_path / f"{kind}.zip")
    before, files = snapshot(), media_tree()

    code, out, err = run("restore", str(bad), yes=True)

    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and REFUSALS[kind] in err
    assert snapshot() == before and media_tree() == files
    assert not [p for p in Path(settings.MEDIA_ROOT).parent.iterdir() if p.name.startswith(".")]


@pytest.mark.django_db
def test_restore_without_yes_and_without_a_terminal_is_refused(backup):
    path, _, _ = backup
    before = snapshot()
    code, _, err = run("restore", str(path))
    assert code == 1 and "--yes" in err
    assert snapshot() == before


@pytest.mark.django_db
def test_backup_into_a_folder_is_refused(tmp_path):
    code, out, err = run("backup", str(tmp_path))
    assert code == 1 and out == "" and "là một thư mục" in err


def test_refusal_from_the_command_line_is_one_line_without_traceback(tmp_path):
    junk = tmp_path / "khong-phai-sao-luu.zip"
    junk.write_bytes(b"day khong phai tep zip")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DAIHOI_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-m", "daihoi", "restore", str(junk), "--yes"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"Tệp {junk} không phải bản sao lưu daihoi (không phải tệp zip)."
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="runs on its own SQLite file database")
def test_restore_at_a_terminal_asks_before_replacing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DAIHOI_DATA_DIR"] = str(tmp_path / "data")
    daihoi = [sys.executable, "-m", "daihoi"]
    path = tmp_path / "b.zip"
    subprocess.run([*daihoi, "migrate", "-v0"], env=env, check=True, capture_output=True)
    subprocess.run([*daihoi, "backup", str(path)], env=env, check=True, capture_output=True)
    for answer, code, said in [("khong", 1, "Đã hủy khôi phục"), ("co", 0, "Đã khôi phục")]:
        typist, device = pty.openpty()  # we type at one end; restore reads a terminal
        restore = subprocess.Popen(
            [*daihoi, "restore", str(path)],
            env=env,
            stdin=device,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.close(device)
        os.write(typist, f"{answer}\n".encode())
        out, err = restore.communicate(timeout=60)
        os.close(typist)
        assert restore.returncode == code
        assert out.startswith("Bản sao lưu lúc ")
        assert "\nDữ liệu hiện tại sẽ bị thay thế. Gõ 'co' để tiếp tục: " in out
        assert said in out + err
