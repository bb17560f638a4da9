"""Sao lưu và khôi phục: the whole installation in one zip file, and back.

The zip holds
  manifest.json  format name and version, app version, time, database vendor, the latest applied
                 migration of each app, row counts per model, SHA-256 of the data file;
  data.jsonl     every row of every model in Django's JSON Lines serialisation (one object a line,
                 so both writing and the two reading passes of a restore stream);
  media/…        the files under MEDIA_ROOT.

Primary keys are kept as they are, so references between rows (and the actor ids inside the audit
hashes) survive unchanged. Content types and permissions are not carried: Django rebuilds them
after the flush, with new ids, so references to them are written by natural key.

A restore checks everything first and only then, in one transaction, empties the database and
loads the backup; any failure rolls back and leaves the current data as it was.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal, sql_flush
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializedObject
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

import daihoi
from daihoi.audit.models import AuditEntry, AuditHead
from daihoi.audit.services import (
    ChainChecker,
    record,
    snapshot_transaction,
    suspend_immutability,
    verify,
)

FORMAT_NAME = "daihoi-backup"
FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
DATA_FILE = "data.jsonl"
MEDIA_PREFIX = "media/"
# Rebuilt by Django after a flush (content types, permissions) or not worth keeping.
EXCLUDED = frozenset({"contenttypes", "auth.permission", "sessions", "admin.logentry"})
NATURAL_KEY_MODELS = frozenset({"contenttypes.contenttype", "auth.permission"})


class BackupError(Exception):
    """A backup could not be written or a file was refused; `message` is one Vietnamese line."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    counts: dict[str, int]
    media_files: int
    size: int

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class BackupInfo:
    """What a checked backup file holds."""

    manifest: dict[str, Any]
    media_names: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return self.manifest["counts"]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class RestoreSummary:
    info: BackupInfo
    audit_rows: int


class _Serializer(jsonl.Serializer):
    """Django's JSON Lines serialiser with two changes a faithful restore needs."""

    def handle_field(self, obj, field):
        super().handle_field(obj, field)
        value = self._current[field.name]
        # DjangoJSONEncoder cuts microseconds to milliseconds; audit hashes need every digit.
        if isinstance(value, datetime.datetime | datetime.time):
            self._current[field.name] = value.isoformat()

    # Natural keys only for the rows Django rebuilds with new ids; plain ids everywhere else.
    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model._meta.label_lower in NATURAL_KEY_MODELS
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model._meta.label_lower in NATURAL_KEY_MODELS
        super().handle_m2m_field(obj, field)


class _HashingWriter:
    """Text sink for the serialiser: buffers, encodes UTF-8, hashes what it passes on."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= 1 << 16:
            self.flush()
        return len(text)

    def flush(self) -> None:
        data = "".join(self._parts).encode("utf-8")
        self.digest.update(data)
        self.raw.write(data)
        self._parts, self._size = [], 0


def _is_excluded(model: type[Model]) -> bool:
    opts = model._meta
    return opts.label_lower in EXCLUDED or opts.app_label in EXCLUDED


def backed_up_models(using: str = DEFAULT_DB_ALIAS) -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and not _is_excluded(model)
        and router.allow_migrate_model(using, model)
    ]


def _natural_fk_names(model: type[Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.local_fields
        if f.is_relation and f.related_model._meta.label_lower in NATURAL_KEY_MODELS
    ]


def _rows(models: list[type[Model]], using: str, counts: dict[str, int]) -> Iterator[Model]:
    for model in models:
        queryset = model._base_manager.using(using).order_by("pk")
        if natural := _natural_fk_names(model):
            queryset = queryset.select_related(*natural)
        lookups = []
        for m2m in model._meta.local_many_to_many:
            if m2m.remote_field.through._meta.auto_created:
                lookups.append(m2m.name)
                lookups += [f"{m2m.name}__{n}" for n in _natural_fk_names(m2m.related_model)]
        if lookups:
            queryset = queryset.prefetch_related(*lookups)  # one query per chunk, not per row
        count = 0
        for obj in queryset.iterator(chunk_size=2000):
            count += 1
            yield obj
        counts[model._meta.label_lower] = count


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app (migration names sort by their number)."""
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        latest[app_label] = max(name, latest.get(app_label, ""))
    return dict(sorted(latest.items()))


def _check_schema_is_current(using: str) -> None:
    """Backups are only made from, and restored into, a database migrated to this code."""
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError(
            "migrations",
            "Cơ sở dữ liệu chưa được cập nhật theo phiên bản daihoi này: "
            "chạy «daihoi migrate» trước.",
        )


def _media_root() -> Path | None:
    return Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None


def _media_files(root: Path | None) -> Iterator[tuple[Path, str]]:
    if root is None or not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        # Regular files only: a symlink could point outside the media folder.
        if path.is_file() and not path.is_symlink():
            yield path, MEDIA_PREFIX + path.relative_to(root).as_posix()


def create_backup(path: str | os.PathLike, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write the data and media into one zip at `path` (replaced atomically if it exists)."""
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise BackupError(
            "write_failed", f"{path} là một thư mục; hãy cho tên tệp, ví dụ {path}/daihoi.zip."
        )
    _check_schema_is_current(using)
    counts: dict[str, int] = {}
    media = 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp makes the file readable by its owner only, and os.replace keeps that: the
        # backup holds password hashes and two-factor secrets.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise BackupError(
            "write_failed", f"Không ghi được tệp sao lưu {path}: {exc.strerror}."
        ) from exc
    try:
        with zipfile.ZipFile(tmp_name, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            # All tables read at one moment, so the rows agree with each other and the audit head.
            with snapshot_transaction(using), archive.open(DATA_FILE, "w", force_zip64=True) as raw:
                writer = _HashingWriter(raw)
                _Serializer().serialize(
                    _rows(backed_up_models(using), using, counts), stream=writer
                )
                writer.flush()
                migrations = applied_migrations(using)
            for file_path, name in _media_files(_media_root()):
                archive.write(file_path, name)
                media += 1
            manifest = {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "app_version": daihoi.__version__,
                "created_at": timezone.now().isoformat(),
                "database_vendor": connections[using].vendor,
                "migrations": migrations,
                "counts": counts,
                "data_file": DATA_FILE,
                "data_sha256": writer.digest.hexdigest(),
                "media_files": media,
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
            archive.writestr(MANIFEST_FILE, text)
        os.replace(tmp_name, path)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise BackupError("write_failed", f"Không ghi được tệp sao lưu {path}: {exc}.") from exc
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    record(None, "backup.created", data={"path": str(path), "counts": counts})
    return BackupSummary(path, counts, media, path.stat().st_size)


# --- Reading and checking a backup file ---


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST_FILE))
    except KeyError:
        raise BackupError(
            "no_manifest", "Tệp không có manifest.json: không phải bản sao lưu daihoi."
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError("corrupt", "manifest.json trong tệp sao lưu bị hỏng.") from exc
    if not isinstance(manifest, dict):
        raise BackupError("corrupt", "manifest.json trong tệp sao lưu bị hỏng.")
    if manifest.get("format") != FORMAT_NAME:
        raise BackupError(
            "foreign",
            f"Tệp không phải bản sao lưu daihoi (định dạng «{manifest.get('format')}»).",
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError("corrupt", "manifest.json ghi phiên bản định dạng không hợp lệ.")
    if version > FORMAT_VERSION:
        raise BackupError(
            "newer_format",
            f"Bản sao lưu dùng định dạng {version}, mới hơn phiên bản daihoi này "
            f"(định dạng {FORMAT_VERSION}); hãy cập nhật daihoi {manifest.get('app_version', '')}.",
        )
    counts = manifest.get("counts")
    if not isinstance(counts, dict) or not isinstance(manifest.get("migrations"), dict):
        raise BackupError("corrupt", "manifest.json trong tệp sao lưu thiếu thông tin.")
    return manifest


def _check_media_names(names: list[str]) -> list[str]:
    media = []
    for name in names:
        if not name.startswith(MEDIA_PREFIX) or name.endswith("/"):
            continue
        parts = PurePosixPath(name).parts[1:]
        if not parts or "\\" in name or any(p in {"", ".", ".."} or ":" in p for p in parts):
            raise BackupError("unsafe_path", f"Tệp sao lưu chứa đường dẫn không an toàn: {name!r}.")
        media.append(name)
    return media


def _check_checksum(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    if DATA_FILE not in archive.namelist():
        raise BackupError("corrupt", f"Tệp sao lưu thiếu {DATA_FILE}.")
    digest = hashlib.sha256()
    with archive.open(DATA_FILE) as raw:
        while chunk := raw.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() != manifest.get("data_sha256"):
        raise BackupError(
            "checksum",
            "Dữ liệu trong tệp sao lưu không khớp mã kiểm tra SHA-256: tệp đã bị sửa hoặc hỏng.",
        )


def _check_migrations(manifest: dict[str, Any], using: str) -> None:
    _check_schema_is_current(using)
    theirs, ours = manifest["migrations"], applied_migrations(using)
    for app_label in sorted(set(theirs) | set(ours)):
        if theirs.get(app_label) != ours.get(app_label):
            raise BackupError(
                "migrations",
                f"Bản sao lưu không khớp cấu trúc cơ sở dữ liệu hiện tại: ứng dụng «{app_label}» ở "
                f"{theirs.get(app_label) or '(không có)'} trong bản sao lưu nhưng "
                f"{ours.get(app_label) or '(không có)'} ở đây; hãy khôi phục bằng daihoi "
                f"{manifest.get('app_version', '')} rồi nâng cấp.",
            )


def _objects(archive: zipfile.ZipFile, using: str) -> Iterator[DeserializedObject]:
    with archive.open(DATA_FILE) as raw:
        lines = (line.decode("utf-8") for line in raw)
        yield from jsonl.Deserializer(lines, using=using)


def _dry_run(archive: zipfile.ZipFile, manifest: dict[str, Any], using: str) -> None:
    """Read every object without saving: bad rows, wrong counts or a broken chain refuse here."""
    allowed = {model._meta.label_lower for model in backed_up_models(using)}
    counts: Counter[str] = Counter()
    chain, head = ChainChecker(), None
    try:
        for obj in _objects(archive, using):
            label = obj.object._meta.label_lower
            if label not in allowed:
                raise BackupError("bad_data", f"Bản sao lưu chứa bảng không được phép: {label}.")
            counts[label] += 1
            if isinstance(obj.object, AuditEntry):
                chain.feed(obj.object)
            elif isinstance(obj.object, AuditHead):
                head = obj.object
    except BackupError:
        raise
    except Exception as exc:  # untrusted input: any parsing failure is a refusal, not a crash
        raise BackupError(
            "bad_data", f"Dữ liệu trong tệp sao lưu không đọc được: {_one_line(exc)}."
        ) from exc
    if {k: v for k, v in manifest["counts"].items() if v} != dict(counts):
        raise BackupError("corrupt", "Số bản ghi trong tệp sao lưu không khớp manifest.json.")
    result = chain.finish(head)
    if not result.ok:
        raise BackupError(
            "audit_broken", f"Nhật ký kiểm toán trong bản sao lưu không toàn vẹn: {result.problem}."
        )


def _open_archive(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise BackupError("missing", f"Không tìm thấy tệp sao lưu {path}.")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        with path.open("rb") as handle:
            looks_like_zip = handle.read(4) == b"PK\x03\x04"
        if looks_like_zip:
            raise BackupError(
                "corrupt", f"Tệp sao lưu {path} bị hỏng hoặc không trọn vẹn."
            ) from exc
        raise BackupError(
            "not_zip", f"Tệp {path} không phải bản sao lưu daihoi (không phải tệp zip)."
        ) from exc


def _inspect(archive: zipfile.ZipFile, path: Path, using: str) -> BackupInfo:
    try:
        manifest = _read_manifest(archive)
        media = _check_media_names(archive.namelist())
        _check_checksum(archive, manifest)
        _check_migrations(manifest, using)
        _dry_run(archive, manifest, using)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise BackupError("corrupt", f"Tệp sao lưu {path} bị hỏng: {_one_line(exc)}.") from exc
    return BackupInfo(manifest, media)


def inspect_backup(path: str | os.PathLike, using: str = DEFAULT_DB_ALIAS) -> BackupInfo:
    """Check a backup file completely without changing anything; raise BackupError if unusable."""
    path = Path(path).expanduser()
    with _open_archive(path) as archive:
        return _inspect(archive, path, using)


# --- Restoring ---


def _extract_media(archive: zipfile.ZipFile, names: list[str], root: Path) -> Path:
    """Unpack the media files next to MEDIA_ROOT, to be swapped in after the database commit."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}-restore-", dir=root.parent))
    try:
        for name in names:
            target = staging.joinpath(*PurePosixPath(name).parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
        staging.chmod(root.stat().st_mode & 0o7777 if root.is_dir() else 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _swap_media(staging: Path, root: Path) -> None:
    old = None
    if root.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{root.name}-old-", dir=root.parent))
        root.rename(old / root.name)
    staging.rename(root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _flush_and_load(archive: zipfile.ZipFile, using: str) -> None:
    connection = connections[using]
    connection.ops.execute_sql_flush(sql_flush(no_style(), connection, reset_sequences=True))
    # Rebuild content types and permissions, which the natural keys in the data point at.
    emit_post_migrate_signal(0, False, using)
    for obj in _objects(archive, using):
        obj.save(using=using, force_insert=True)
    # Rows came in with their own ids: move PostgreSQL's sequences past them.
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def restore_backup(
    path: str | os.PathLike,
    using: str = DEFAULT_DB_ALIAS,
    confirm: Callable[[BackupInfo], bool] | None = None,
) -> RestoreSummary:
    """Replace all data and media with a backup's, after checking the file completely.

    `confirm` is asked once the file has passed every check and before anything changes.
    """
    path = Path(path).expanduser()
    connection = connections[using]
    root = _media_root()
    staging = None
    with _open_archive(path) as archive:
        info = _inspect(archive, path, using)
        if confirm is not None and not confirm(info):
            raise BackupError("not_confirmed", "Đã hủy khôi phục; dữ liệu hiện tại giữ nguyên.")
        try:
            if root is not None:
                staging = _extract_media(archive, info.media_names, root)
            with transaction.atomic(using=using):
                with suspend_immutability(connection):
                    _flush_and_load(archive, using)
                result = verify(using)
                if not result.ok:
                    raise BackupError(
                        "audit_broken",
                        f"Nhật ký kiểm toán sau khi nạp không toàn vẹn ({result.problem}); "
                        "dữ liệu hiện tại giữ nguyên.",
                    )
                record(
                    None,
                    "backup.restored",
                    data={
                        "path": str(path.resolve()),
                        "backup_created_at": info.manifest.get("created_at"),
                        "app_version": info.manifest.get("app_version"),
                        "counts": info.counts,
                    },
                )
        except BaseException as exc:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, BackupError) or not isinstance(exc, Exception):
                raise
            raise BackupError(
                "load_failed",
                f"Không khôi phục được ({_one_line(exc)}); dữ liệu hiện tại giữ nguyên.",
            ) from exc
        finally:
            # Ids cached during the rolled-back or replaced state must not be reused.
            ContentType.objects.clear_cache()
    if staging is not None:
        _swap_media(staging, root)
    return RestoreSummary(info, result.rows_checked + 1)
