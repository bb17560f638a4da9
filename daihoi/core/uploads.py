"""The one check for uploaded files: the name, the size limit, and the content matching the
extension (a renamed .exe is not a PDF). Used by the document register, by task progress and, for
photos (`check_image`: decoded by Pillow, their own size limit), by delegate badges."""

from __future__ import annotations

import hashlib
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from daihoi.core.services.errors import InvalidInput
from daihoi.vietnamese import format_number, nfc

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
DOCUMENT_KINDS = {".pdf": PDF, ".docx": DOCX}
REPORT_KINDS = {**DOCUMENT_KINDS, ".xlsx": XLSX, ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".png": "image/png"}  # fmt: skip
TABLE_KINDS = {".xlsx": XLSX, ".csv": CSV}  # spreadsheets to import (delegate lists)
IMAGE_KINDS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}  # photos
# Pillow's names of the formats IMAGE_KINDS accept, by extension.
_PILLOW_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
# A photo larger than this many pixels is refused before it is decoded (a "decompression bomb":
# a few kilobytes of PNG that expand to gigabytes in memory).
MAX_IMAGE_PIXELS = 50_000_000
_LABELS = {".pdf": "PDF", ".docx": "tài liệu Word (DOCX)", ".xlsx": "bảng tính Excel (XLSX)",
           ".jpg": "ảnh JPEG", ".jpeg": "ảnh JPEG", ".png": "ảnh PNG",
           ".csv": "bảng CSV"}  # fmt: skip
_SHORT = {".pdf": "PDF", ".docx": "Word (DOCX)", ".xlsx": "Excel (XLSX)", ".jpg": "ảnh JPEG",
          ".jpeg": "ảnh JPEG", ".png": "ảnh PNG", ".csv": "CSV"}  # fmt: skip
# Heads of binary formats that a file renamed to .csv must not have (zip, PDF, Windows and
# Linux executables); CSV itself has no signature.
_NOT_TEXT = (b"PK\x03\x04", b"%PDF", b"MZ", b"\x7fELF", b"\xd0\xcf\x11\xe0")


def _accepted(kinds: Mapping[str, str]) -> str:
    labels = list(dict.fromkeys(_SHORT[e] for e in kinds))
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " hoặc " + labels[-1]


class UploadRefused(InvalidInput):
    code = "upload_refused"


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "DAIHOI_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def max_photo_bytes() -> int:
    return int(getattr(settings, "DAIHOI_MAX_PHOTO_MB", 5)) * 1024 * 1024


def _megabytes(size: int) -> str:
    return format_number(size / (1024 * 1024), 1)


def original_name(uploaded: UploadedFile) -> str:
    # Browsers on Windows may send a full path; keep the last part only.
    name = PurePath(nfc(uploaded.name or "").replace("\\", "/")).name.strip()
    if not name:
        raise UploadRefused(_("Tệp không có tên."), code="no_name")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot else name[:200]
    return name


def _head(uploaded: UploadedFile, size: int) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(size)
    uploaded.seek(0)
    return head


def _zip_has(uploaded: UploadedFile, member: str) -> bool:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded.seek(0)


def _content_matches(uploaded: UploadedFile, extension: str) -> bool:
    if extension == ".pdf":
        return _head(uploaded, 5) == b"%PDF-"
    if extension == ".docx":
        return _zip_has(uploaded, "word/document.xml")
    if extension == ".xlsx":
        return _zip_has(uploaded, "xl/workbook.xml")
    if extension in {".jpg", ".jpeg"}:
        return _head(uploaded, 3) == b"\xff\xd8\xff"
    if extension == ".png":
        return _head(uploaded, 8) == b"\x89PNG\r\n\x1a\n"
    if extension == ".csv":
        return not _head(uploaded, 8).startswith(_NOT_TEXT)
    return False


def _sha256(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def check_upload(
    uploaded: UploadedFile, kinds: Mapping[str, str], max_bytes: int | None = None
) -> CheckedUpload:
    """Refuse (UploadRefused, a Vietnamese message and a stable code) an empty, oversized or
    mistyped file; `kinds` maps the accepted extensions to their content types; `max_bytes`
    overrides the general limit (DAIHOI_MAX_UPLOAD_MB)."""
    name = original_name(uploaded)
    size = uploaded.size or 0
    if size == 0:
        raise UploadRefused(_("Tệp «%(name)s» rỗng.") % {"name": name}, code="empty")
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise UploadRefused(
            _("Tệp «%(name)s» nặng %(size)s MB, vượt giới hạn %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
            code="too_large",
        )
    extension = PurePath(name).suffix.lower()
    if extension not in kinds:
        raise UploadRefused(
            _("Chỉ nhận tệp %(accepted)s; tệp «%(name)s» không phải.")
            % {"name": name, "accepted": _accepted(kinds)},
            code="bad_extension",
        )
    if not _content_matches(uploaded, extension):
        raise UploadRefused(
            _("Tệp «%(name)s» mang đuôi %(ext)s nhưng nội dung không phải %(label)s.")
            % {"name": name, "ext": extension, "label": _LABELS[extension]},
            code="not_" + extension.lstrip("."),
        )
    return CheckedUpload(name, kinds[extension], size, _sha256(uploaded))


def check_image(uploaded: UploadedFile) -> CheckedUpload:
    """A photo: JPEG or PNG by its content (the signature, then Pillow must decode it as that
    format), within DAIHOI_MAX_PHOTO_MB and MAX_IMAGE_PIXELS. A PDF renamed .jpg is refused."""
    checked = check_upload(uploaded, IMAGE_KINDS, max_bytes=max_photo_bytes())
    extension = PurePath(checked.name).suffix.lower()
    refused = UploadRefused(
        _("Tệp «%(name)s» không phải ảnh %(label)s đọc được.")
        % {"name": checked.name, "label": _PILLOW_FORMATS[extension]},
        code="not_image",
    )
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            # Broken EXIF only makes Pillow warn; the photo is re-encoded without it anyway.
            warnings.simplefilter("ignore", UserWarning)
            # Pillow warns (DecompressionBombWarning) on huge images: refuse them instead.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                if image.format != _PILLOW_FORMATS[extension]:
                    raise refused
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRefused(
                        _("Ảnh «%(name)s» quá lớn (%(width)d × %(height)d điểm ảnh).")
                        % {"name": checked.name, "width": width, "height": height},
                        code="too_many_pixels",
                    )
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise refused from exc
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise UploadRefused(
            _("Ảnh «%(name)s» quá lớn.") % {"name": checked.name}, code="too_many_pixels"
        ) from exc
    finally:
        uploaded.seek(0)
    return checked


@contextmanager
def removed_on_error(storage: Storage, name: str) -> Iterator[None]:
    """Delete a file just stored when what follows (the database write) fails."""
    try:
        yield
    except BaseException:
        storage.delete(name)
        raise
