"""Delegate badges (thẻ đại biểu): issue, revoke, replace a lost one, print, and the photo.

The QR code on a badge carries only ``DH1:<token>``: the version prefix "DH1:" tells a scanner
the code is one of our badges (format 1), the token is ``secrets.token_urlsafe(24)`` (32 URL-safe
characters, 192 random bits) and says nothing about the person; check-in looks it up in Badge.
A delegate has at most one valid badge (the database constraint
badge_one_valid_per_delegate); a lost badge is revoked and a new token issued, so the old
card no longer scans.
"""

from __future__ import annotations

import io
import secrets
import uuid
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import rules
import segno
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from daihoi.audit.services import record
from daihoi.core.models import Congress
from daihoi.core.office.fonts import BOLD, REGULAR, register_fonts
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.core.uploads import check_image, removed_on_error
from daihoi.delegates.models import Badge, Category, Delegate, Status
from daihoi.vietnamese import nfc

QR_PREFIX = "DH1:"
LAYOUTS = ("a6", "a4-4")
PHOTO_MAX_PX = (600, 800)  # 3 × 4 portrait: over 300 dpi on the 33 × 44 mm frame
PDF_CONTENT_TYPE = "application/pdf"

# The printed card is an official Vietnamese paper whatever the reader's language: its fixed words
# are not translated (as in core/office/docx_party.py).
KIND_OFFICIAL = "ĐẠI BIỂU"
KIND_RESERVE = "ĐẠI BIỂU DỰ KHUYẾT"
NUMBER_LABEL = "Số: {number}"

RED = Color(0.64, 0.09, 0.10)
GREY = Color(0.55, 0.55, 0.58)
LIGHT = Color(0.80, 0.80, 0.82)


def _require_manager(actor) -> None:
    if not rules.has_perm("delegates.manage_badges", actor):
        raise NotAllowed(_("Đồng chí không có quyền quản lý thẻ đại biểu."))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def qr_payload(token: str) -> str:
    """What the QR code of a badge holds (format 1): "DH1:" + the opaque token."""
    return QR_PREFIX + token


def token_from_payload(payload: str) -> str | None:
    """The token of a scanned code, or None when the code is not one of our badges."""
    if not payload.startswith(QR_PREFIX):
        return None
    return payload[len(QR_PREFIX) :] or None


def qr_code(token: str) -> segno.QRCode:
    # Level M survives a scratched or creased card; byte mode keeps the token's case.
    return segno.make(qr_payload(token), error="m", micro=False, boost_error=False)


def _valid_badge(delegate_id: int) -> Badge | None:
    return Badge.objects.filter(delegate_id=delegate_id, revoked_at__isnull=True).first()


@transaction.atomic
def issue_badge(actor, delegate: Delegate) -> Badge:
    """Cấp thẻ: the delegate's valid badge, created when there is none."""
    _require_manager(actor)
    delegate = Delegate.objects.select_for_update().get(pk=delegate.pk)
    existing = _valid_badge(delegate.pk)
    if existing is not None:
        return existing
    if delegate.status != Status.ACTIVE:
        raise InvalidInput(_("Đại biểu đã rút tên, không cấp thẻ."), code="delegate_withdrawn")
    badge = Badge.objects.create(delegate=delegate, token=new_token(), issued_at=timezone.now())
    record(actor, "badge.issued", badge, {"delegate": delegate.pk})
    return badge


@transaction.atomic
def issue_missing(actor, congress: Congress) -> list[Badge]:
    """Cấp thẻ hàng loạt: a badge for every active delegate of the congress who has no valid one."""
    _require_manager(actor)
    # Lock the active delegates so a concurrent issue_badge cannot add a second valid badge.
    active = list(
        Delegate.objects.select_for_update()
        .filter(congress=congress, status=Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    having = set(
        Badge.objects.filter(delegate__congress=congress, revoked_at__isnull=True).values_list(
            "delegate_id", flat=True
        )
    )
    now = timezone.now()
    badges = [
        Badge(delegate_id=pk, token=new_token(), issued_at=now) for pk in active if pk not in having
    ]
    Badge.objects.bulk_create(badges, batch_size=500)
    if badges:
        record(actor, "badge.issued_missing", congress, {"count": len(badges)})
    return badges


def _reason(reason: str) -> str:
    reason = nfc(reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi lý do thu hồi thẻ."), code="reason_required")
    return reason


def _revoke(actor, badge: Badge, reason: str, action: str) -> Badge:
    badge.revoked_at = timezone.now()
    badge.revoke_reason = reason
    badge.save(update_fields=["revoked_at", "revoke_reason"])
    record(actor, action, badge, {"delegate": badge.delegate_id, "reason": reason})
    return badge


@transaction.atomic
def revoke_badge(actor, badge: Badge, reason: str) -> Badge:
    """Thu hồi thẻ: the badge stops scanning; the reason is required and audited."""
    _require_manager(actor)
    reason = _reason(reason)
    badge = Badge.objects.select_for_update().get(pk=badge.pk)
    if badge.revoked_at is not None:
        raise InvalidInput(_("Thẻ này đã bị thu hồi."), code="already_revoked")
    return _revoke(actor, badge, reason, "badge.revoked")


@transaction.atomic
def replace_badge(actor, delegate: Delegate, reason: str) -> Badge:
    """Cấp lại thẻ (a lost or damaged card): revoke the valid badge, issue a new token."""
    _require_manager(actor)
    reason = _reason(reason)
    delegate = Delegate.objects.select_for_update().get(pk=delegate.pk)
    if delegate.status != Status.ACTIVE:
        raise InvalidInput(_("Đại biểu đã rút tên, không cấp thẻ."), code="delegate_withdrawn")
    old = Badge.objects.select_for_update().filter(delegate=delegate, revoked_at__isnull=True)
    old = old.first()
    if old is None:
        raise InvalidInput(
            _("Đại biểu chưa có thẻ còn hiệu lực để cấp lại; hãy cấp thẻ mới."),
            code="no_valid_badge",
        )
    _revoke(actor, old, reason, "badge.revoked")
    badge = Badge.objects.create(delegate=delegate, token=new_token(), issued_at=timezone.now())
    record(actor, "badge.replaced", badge, {"delegate": delegate.pk, "old_badge": old.pk})
    return badge


def reprint(actor, badge: Badge, layout: str = "a6") -> bytes:
    """In lại thẻ: one PDF of this badge; a revoked badge is never printed again."""
    _require_manager(actor)
    badge = Badge.objects.select_related("delegate__group", "delegate__congress").get(pk=badge.pk)
    if badge.revoked_at is not None:
        raise InvalidInput(_("Thẻ đã bị thu hồi, không in lại được."), code="badge_revoked")
    data = render_badges_pdf([badge], layout)
    record(actor, "badge.printed", badge, {"delegate": badge.delegate_id, "reprint": True})
    return data


def badge_counts(congress: Congress) -> dict[str, int]:
    """Issued, valid and revoked badges of the congress, and active delegates with none valid."""
    valid = Q(revoked_at__isnull=True)
    counts = Badge.objects.filter(delegate__congress=congress).aggregate(
        issued=Count("pk"), valid=Count("pk", filter=valid), revoked=Count("pk", filter=~valid)
    )
    counts["missing"] = (
        Delegate.objects.filter(congress=congress, status=Status.ACTIVE)
        .exclude(pk__in=Badge.objects.filter(valid).values("delegate_id"))
        .count()
    )
    return counts


def valid_badges(congress: Congress, group_id: int | None = None):
    queryset = Badge.objects.filter(
        delegate__congress=congress, revoked_at__isnull=True
    ).select_related("delegate__group", "delegate__congress")
    if group_id:
        queryset = queryset.filter(delegate__group_id=group_id)
    return queryset.order_by("delegate__number")


def print_badges(actor, congress: Congress, layout: str = "a6", group_id: int | None = None):
    """In thẻ hàng loạt: every valid badge of the congress (or of one group), in number order."""
    _require_manager(actor)
    badges = list(valid_badges(congress, group_id))
    data = render_badges_pdf(badges, layout)
    record(actor, "badge.printed", congress, {"count": len(badges), "layout": layout,
                                              "group": group_id})  # fmt: skip
    return data


# --- Rendering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Face:
    """What one badge shows, read from the database once."""

    header: str
    kind: str
    name: str
    number: str
    group: str
    photo: object | None  # an ImageReader, or None for the neutral frame
    token: str


def _face(badge: Badge, photos: dict) -> _Face:
    delegate = badge.delegate
    photo = None
    if delegate.photo:
        key = delegate.photo.name
        if key not in photos:
            try:
                with delegate.photo.open("rb") as handle:
                    photos[key] = ImageReader(io.BytesIO(handle.read()))
            except OSError:
                photos[key] = None  # a missing file prints the frame rather than failing
        photo = photos[key]
    kind = KIND_RESERVE if delegate.category == Category.RESERVE else KIND_OFFICIAL
    return _Face(
        header=nfc(delegate.congress.title).upper(),
        kind=kind,
        name=nfc(delegate.full_name).strip(),
        number=NUMBER_LABEL.format(number=delegate.number),
        group=nfc(str(delegate.group)) if delegate.group_id else "",
        photo=photo,
        token=badge.token,
    )


def _name_lines(name: str, width: float) -> tuple[list[str], float]:
    """The name on one line, else two balanced lines, at the largest size that fits the width.
    The name is shrunk, never cut."""
    largest, smallest = 22.0, 14.0
    words = name.split()
    size = largest
    while size >= smallest:
        if stringWidth(name, BOLD, size) <= width:
            return [name], size
        size -= 0.5
    splits = [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))] or [[name]]

    def widest(lines: list[str], at: float) -> float:
        return max(stringWidth(line, BOLD, at) for line in lines)

    best = min(splits, key=lambda lines: widest(lines, largest))
    size = largest
    while size > 4 and widest(best, size) > width:
        size -= 0.5
    return best, size


def _draw_qr(canvas: Canvas, token: str, x: float, y: float, side: float) -> None:
    """The QR code as vector squares (sharp at any printer resolution), one run per row."""
    matrix = qr_code(token).matrix
    quiet = 4  # the white margin (in modules) that scanners need, inside `side`
    count = len(matrix)
    module = side / (count + 2 * quiet)
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        top = y + side - (quiet + r + 1) * module
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                path.rect(x + (quiet + start) * module, top, (c - start) * module, module)
            else:
                c += 1
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _centred(canvas: Canvas, lines: Sequence[str], font: str, size: float, cx: float,
             top: float, leading: float) -> float:  # fmt: skip
    """Draw centred lines from `top` down; return the y below the last line."""
    canvas.setFont(font, size)
    y = top
    for line in lines:
        y -= leading
        canvas.drawCentredString(cx, y, line)
    return y


def _draw_badge(canvas: Canvas, face: _Face, x0: float, y0: float, w: float, h: float) -> None:
    """One badge in the box (x0, y0, w, h): header, kind, photo and QR, name, number, group."""
    margin = 7 * mm
    inner = w - 2 * margin
    cx = x0 + w / 2
    top = y0 + h - margin
    # Header: the congress, upper case, wrapped on words.
    canvas.setFillColor(RED)
    header = simpleSplit(face.header, BOLD, 8.5, inner)
    y = _centred(canvas, header, BOLD, 8.5, cx, top, 10.5)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(0.8)
    canvas.line(x0 + margin + inner * 0.3, y - 4, x0 + w - margin - inner * 0.3, y - 4)
    y = _centred(canvas, [face.kind], BOLD, 17, cx, y - 8, 20)
    # Photo (3 × 4) on the left, QR code on the right.
    photo_w, photo_h = 33 * mm, 44 * mm
    row_top = y - 5 * mm
    px = x0 + margin + 2 * mm
    py = row_top - photo_h
    if face.photo is not None:
        canvas.drawImage(face.photo, px, py, photo_w, photo_h, preserveAspectRatio=True,
                         anchor="c")  # fmt: skip
    else:
        canvas.setFillColor(Color(0.96, 0.96, 0.97))
        canvas.setStrokeColor(LIGHT)
        canvas.setLineWidth(0.6)
        canvas.rect(px, py, photo_w, photo_h, stroke=1, fill=1)
    qr_side = 38 * mm
    _draw_qr(canvas, face.token, x0 + w - margin - qr_side, row_top - qr_side + 2 * mm, qr_side)
    # The name, large; shrunk to fit one or two lines.
    lines, size = _name_lines(face.name, inner)
    canvas.setFillColor(black)
    y = _centred(canvas, lines, BOLD, size, cx, py - 4 * mm, size * 1.2)
    y = _centred(canvas, [face.number], REGULAR, 12, cx, y - 3 * mm, 15)
    if face.group:
        group = simpleSplit(face.group, REGULAR, 10.5, inner)[:2]
        _centred(canvas, group, REGULAR, 10.5, cx, y - 1 * mm, 13)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(2)
    canvas.line(x0 + margin, y0 + margin * 0.6, x0 + w - margin, y0 + margin * 0.6)


def _cut_marks(canvas: Canvas, width: float, height: float) -> None:
    """Light marks where the 2 × 2 sheet is cut: ticks on the edges and a cross in the middle."""
    canvas.setStrokeColor(LIGHT)
    canvas.setLineWidth(0.3)
    mx, my, tick = width / 2, height / 2, 5 * mm
    for x1, y1, x2, y2 in (
        (mx, 0, mx, tick), (mx, height - tick, mx, height),
        (0, my, tick, my), (width - tick, my, width, my),
        (mx - tick, my, mx + tick, my), (mx, my - tick, mx, my + tick),
    ):  # fmt: skip
        canvas.line(x1, y1, x2, y2)


def render_badges_pdf(badges: Iterable[Badge], layout: str = "a6") -> bytes:
    """The badges as one PDF: "a6" one per A6 page, "a4-4" four per A4 page (2 × 2, cut marks).
    Each badge drawn counts as one print (printed_count + 1, in one UPDATE)."""
    if layout not in LAYOUTS:
        raise InvalidInput(_("Khổ in không hợp lệ."), code="bad_layout")
    badges = list(badges)
    if any(b.revoked_at is not None for b in badges):
        raise InvalidInput(_("Không in thẻ đã bị thu hồi."), code="badge_revoked")
    register_fonts()
    buffer = io.BytesIO()
    page = A6 if layout == "a6" else A4
    canvas = Canvas(buffer, pagesize=page, pageCompression=1)
    canvas.setTitle("Thẻ đại biểu")
    canvas.setCreator("daihoi")
    photos: dict = {}
    faces = [_face(b, photos) for b in badges]
    if layout == "a6":
        for face in faces:
            _draw_badge(canvas, face, 0, 0, *A6)
            canvas.showPage()
    else:
        cell_w, cell_h = A4[0] / 2, A4[1] / 2
        slots = [(0, cell_h), (cell_w, cell_h), (0, 0), (cell_w, 0)]
        for start in range(0, len(faces), 4):
            _cut_marks(canvas, *A4)
            for face, (x, y) in zip(faces[start : start + 4], slots, strict=False):
                _draw_badge(canvas, face, x, y, cell_w, cell_h)
            canvas.showPage()
    if not faces:
        canvas.setFont(REGULAR, 12)
        canvas.drawString(20 * mm, page[1] - 20 * mm, "Không có thẻ nào để in.")
        canvas.showPage()
    canvas.save()
    if badges:
        Badge.objects.filter(pk__in=[b.pk for b in badges]).update(
            printed_count=F("printed_count") + 1
        )
    return buffer.getvalue()


# --- Photo ----------------------------------------------------------------------------------


def _normalised_photo(uploaded) -> bytes:
    """Upright (EXIF orientation applied), RGB on white, at most PHOTO_MAX_PX, JPEG without
    EXIF or other metadata (a phone photo carries the place and time it was taken)."""
    uploaded.seek(0)
    out = io.BytesIO()
    # Phones write odd EXIF; Pillow warns about it, and it is dropped here anyway.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with Image.open(uploaded) as image:
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flat = Image.new("RGB", image.size, (255, 255, 255))
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            else:
                image = image.convert("RGB")
            image.thumbnail(PHOTO_MAX_PX, Image.Resampling.LANCZOS)
            image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


@transaction.atomic
def set_photo(actor, delegate: Delegate, uploaded) -> Delegate:
    """Ảnh đại biểu: a JPEG or PNG (checked by content), resized and stripped, stored on the
    delegate; the previous file is deleted once the change is committed."""
    _require_manager(actor)
    checked = check_image(uploaded)
    data = _normalised_photo(uploaded)
    delegate = Delegate.objects.select_for_update().get(pk=delegate.pk)
    previous = delegate.photo.name if delegate.photo else ""
    # The file name carries no personal data.
    delegate.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(data), save=False)
    storage = delegate.photo.storage
    with removed_on_error(storage, delegate.photo.name):
        delegate.save(update_fields=["photo", "updated_at"])
        record(actor, "delegate.photo_set", delegate, {"sha256": checked.sha256,
                                                        "bytes": len(data)})  # fmt: skip
    if previous:
        transaction.on_commit(lambda: storage.delete(previous))
    return delegate
