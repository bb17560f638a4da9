"""Delegate badges: opaque tokens, one valid badge per delegate, revoke/replace/reprint with audit,
the PDF in both layouts (pages, exact Vietnamese names, QR), photo upload, and the pages."""

from __future__ import annotations

import io
import json
import math
import re
import string
import unicodedata

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role
from daihoi.core.office import fonts
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.core.uploads import UploadRefused
from daihoi.delegates.models import Badge, Category, DelegateGroup, Status
from daihoi.delegates.services.badges import (
    QR_PREFIX,
    issue_badge,
    issue_missing,
    print_badges,
    qr_code,
    qr_payload,
    render_badges_pdf,
    replace_badge,
    reprint,
    revoke_badge,
    set_photo,
    token_from_payload,
)
from daihoi.delegates.services.roster import withdraw
from tests.delegates.test_base import make

pytestmark = pytest.mark.django_db

HARD_NAMES = [
    "Nguyễn Thị Hường",
    "Đặng Quốc Khánh",
    "Lê Thị Ngọc Ánh",
    "Hà Văn Thưởng",
    "Ông Ích Khiêm",
]
# An EXIF block cut short, as some phones and editors write it.
BROKEN_EXIF = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00"
URL_SAFE = set(string.ascii_letters + string.digits + "-_")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces as one space (a name may wrap)."""
    return " ".join(text.split())


def png_bytes(size=(800, 1000), mode="RGB", fmt="PNG", **save) -> bytes:
    buffer = io.BytesIO()
    colour = {"RGB": (200, 30, 30), "RGBA": (200, 30, 30, 128), "1": 0}[mode]
    Image.new(mode, size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def camera_exif() -> bytes:
    """EXIF as a phone writes it: turned on its side (orientation 6), the camera's name."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Điện thoại"
    return exif.tobytes()


@pytest.fixture
def delegates(congress):
    return [make(congress, nfd(name)) for name in HARD_NAMES]


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


# --- Tokens and issuing ---------------------------------------------------------------------


def test_token_is_opaque_url_safe_and_unique(congress, staff):
    delegate = make(congress, "Nguyễn Thị Hường", number=4242)
    tokens = {issue_badge(staff, delegate).token}
    for i in range(30):
        tokens.add(issue_badge(staff, make(congress, f"Người {i}")).token)
    assert len(tokens) == 31
    token = Badge.objects.get(delegate=delegate).token
    assert len(token) == 32 and set(token) <= URL_SAFE
    folded = token.lower()
    assert "4242" not in token and "nguyen" not in folded and "huong" not in folded
    assert str(delegate.pk) != token


def test_issue_returns_the_valid_badge_when_there_is_one(congress, staff):
    delegate = make(congress, "Đặng Quốc Khánh")
    first = issue_badge(staff, delegate)
    assert issue_badge(staff, delegate) == first
    assert Badge.objects.count() == 1
    assert audit_actions().count("badge.issued") == 1


def test_database_allows_only_one_valid_badge(congress, staff):
    delegate = make(congress, "Hà Văn Thưởng")
    issue_badge(staff, delegate)
    with pytest.raises(IntegrityError), transaction.atomic():
        Badge.objects.create(delegate=delegate, token="khac", issued_at=timezone.now())
    # A revoked badge next to the valid one is fine.
    Badge.objects.create(
        delegate=delegate, token="cu", issued_at=timezone.now(), revoked_at=timezone.now()
    )


def test_issue_missing_skips_withdrawn_and_badged(congress, staff, delegates):
    already = issue_badge(staff, delegates[0])
    withdraw(staff, delegates[1], "Chuyển công tác")
    created = issue_missing(staff, congress)
    assert {b.delegate_id for b in created} == {d.pk for d in delegates[2:]}
    assert Badge.objects.filter(revoked_at__isnull=True).count() == 4
    assert Badge.objects.get(delegate=delegates[0]) == already
    assert issue_missing(staff, congress) == []
    assert "badge.issued_missing" in audit_actions()


def test_withdrawn_delegate_gets_no_badge(congress, staff):
    delegate = make(congress, "Đã rút", status=Status.WITHDRAWN)
    with pytest.raises(InvalidInput) as error:
        issue_badge(staff, delegate)
    assert error.value.code == "delegate_withdrawn"


def test_liaison_may_not_issue_or_print(congress, role_user, unit, staff):
    liaison = role_user(Role.UNIT_LIAISON, unit=unit)
    delegate = make(congress, "Ông Ích Khiêm")
    with pytest.raises(NotAllowed):
        issue_badge(liaison, delegate)
    with pytest.raises(NotAllowed):
        issue_missing(liaison, congress)
    badge = issue_badge(staff, delegate)
    with pytest.raises(NotAllowed):
        reprint(liaison, badge)
    with pytest.raises(NotAllowed):
        revoke_badge(liaison, badge, "Mất")


# --- Revoke, replace, reprint ---------------------------------------------------------------


def test_revoke_needs_a_reason_and_is_audited(congress, staff):
    badge = issue_badge(staff, make(congress, "Lê Thị Ngọc Ánh"))
    with pytest.raises(InvalidInput) as error:
        revoke_badge(staff, badge, "   ")
    assert error.value.code == "reason_required"
    revoked = revoke_badge(staff, badge, nfd("Đánh mất thẻ"))
    assert revoked.revoked_at is not None and revoked.revoke_reason == "Đánh mất thẻ"
    entry = AuditEntry.objects.filter(action="badge.revoked").get()
    assert json.loads(entry.data)["reason"] == "Đánh mất thẻ"
    assert badge.token not in entry.data
    with pytest.raises(InvalidInput) as error:
        revoke_badge(staff, badge, "Lần nữa")
    assert error.value.code == "already_revoked"


def test_replace_revokes_the_old_and_issues_a_new_token(congress, staff):
    delegate = make(congress, "Nguyễn Thị Hường")
    old = issue_badge(staff, delegate)
    new = replace_badge(staff, delegate, "Mất thẻ tại hội trường")
    old.refresh_from_db()
    assert old.revoked_at is not None and old.revoke_reason == "Mất thẻ tại hội trường"
    assert new.is_valid and new.token != old.token
    assert list(Badge.objects.filter(delegate=delegate, revoked_at__isnull=True)) == [new]
    assert audit_actions()[-2:] == ["badge.revoked", "badge.replaced"]
    with pytest.raises(InvalidInput):
        replace_badge(staff, delegate, "")


def test_replace_without_a_valid_badge_is_refused(congress, staff):
    with pytest.raises(InvalidInput) as error:
        replace_badge(staff, make(congress, "Chưa có thẻ"), "Mất")
    assert error.value.code == "no_valid_badge"


def test_reprint_counts_and_refuses_a_revoked_badge(congress, staff):
    badge = issue_badge(staff, make(congress, nfd("Hà Văn Thưởng")))
    data = reprint(staff, badge)
    assert data.startswith(b"%PDF-")
    assert "Hà Văn Thưởng" in page_texts(data)[0]
    reprint(staff, badge)
    badge.refresh_from_db()
    assert badge.printed_count == 2
    assert audit_actions().count("badge.printed") == 2
    revoke_badge(staff, badge, "Hỏng")
    with pytest.raises(InvalidInput) as error:
        reprint(staff, badge)
    assert error.value.code == "badge_revoked"
    with pytest.raises(InvalidInput):
        render_badges_pdf([Badge.objects.get(pk=badge.pk)])


# --- The PDF --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 4, 5, 9])
def test_layouts_page_counts(congress, staff, count):
    for i in range(count):
        make(congress, f"Đại biểu {i}")
    issue_missing(staff, congress)
    badges = Badge.objects.select_related("delegate__congress", "delegate__group")
    a6 = PdfReader(io.BytesIO(render_badges_pdf(badges, "a6")))
    a4 = PdfReader(io.BytesIO(render_badges_pdf(badges, "a4-4")))
    assert len(a6.pages) == count
    assert len(a4.pages) == math.ceil(count / 4)
    assert round(float(a6.pages[0].mediabox.width) / 72 * 25.4) == 105
    assert round(float(a4.pages[0].mediabox.height) / 72 * 25.4) == 297
    assert set(Badge.objects.values_list("printed_count", flat=True)) == {2}


@pytest.mark.parametrize("layout", ["a6", "a4-4"])
def test_names_extract_exactly_in_nfc(congress, staff, delegates, layout):
    group = DelegateGroup.objects.create(congress=congress, number=3, name="Tổ 3 — Khối Dân vận")
    delegates[4].category = Category.RESERVE
    delegates[4].group = group
    delegates[4].save()
    issue_missing(staff, congress)
    data = print_badges(staff, congress, layout)
    texts = page_texts(data)
    whole = "\n".join(texts)
    for name in HARD_NAMES:
        assert unicodedata.is_normalized("NFC", name)
        assert name in whole
        assert nfd(name) not in whole or nfd(name) == name
    assert "ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XVII" in flat(whole)
    assert "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" in flat(whole)
    assert "ĐẠI BIỂU DỰ KHUYẾT" in whole
    assert "Tổ 3 — Khối Dân vận" in whole
    assert "Số: " in whole
    if layout == "a6":
        assert "Nguyễn Thị Hường" in texts[0] and "Ông Ích Khiêm" in texts[4]


def test_a_long_name_shrinks_and_is_never_cut(congress, staff):
    name = "Tôn Nữ Thị Hoàng Ngọc Phương Khánh Huyền Trang Nguyễn Phước Bảo Châu"
    badge = issue_badge(staff, make(congress, name))
    assert name in flat(page_texts(reprint(staff, badge))[0])


def test_photo_is_drawn_when_uploaded(congress, staff):
    delegate = make(congress, "Có ảnh")
    set_photo(staff, delegate, SimpleUploadedFile("anh.png", png_bytes()))
    badge = issue_badge(staff, delegate)
    page = PdfReader(io.BytesIO(reprint(staff, badge))).pages[0]
    assert len(page.images) == 1
    without = issue_badge(staff, make(congress, "Không ảnh"))
    assert len(PdfReader(io.BytesIO(reprint(staff, without))).pages[0].images) == 0


def test_bad_layout_is_refused(congress, staff):
    with pytest.raises(InvalidInput) as error:
        render_badges_pdf([], "a3")
    assert error.value.code == "bad_layout"


def test_qr_holds_the_prefixed_token_only(congress, staff):
    badge = issue_badge(staff, make(congress, "Đặng Quốc Khánh", number=77))
    payload = qr_payload(badge.token)
    assert payload == QR_PREFIX + badge.token and payload.startswith("DH1:")
    assert token_from_payload(payload) == badge.token
    assert token_from_payload("https://example.org/") is None
    # No QR decoder is installed: check the drawn matrix is the one the token alone rebuilds.
    rebuilt = segno.make("DH1:" + badge.token, error="m", micro=False, boost_error=False)
    assert qr_code(badge.token).matrix == rebuilt.matrix
    assert qr_code(badge.token).designator == rebuilt.designator


def test_qr_modules_in_the_pdf_match_the_token(congress, staff):
    """Read the QR squares back from the page's drawing operators and compare them with the
    matrix of the token's code: the PDF carries this badge's code and nothing else."""
    badge = issue_badge(staff, make(congress, "Lê Thị Ngọc Ánh"))
    page = PdfReader(io.BytesIO(reprint(staff, badge))).pages[0]
    content = page.get_contents().get_data().decode("latin-1")
    number = r"(-?\d+(?:\.\d+)?)"
    found = re.findall(rf"{number} {number} {number} {number} re", content)
    rects = [tuple(map(float, m)) for m in found]
    matrix = qr_code(badge.token).matrix
    size = len(matrix)
    # The QR runs all have the module height; the largest group of equal heights is the QR.
    heights: dict[float, int] = {}
    for _x, _y, _w, h in rects:
        heights[round(h, 3)] = heights.get(round(h, 3), 0) + 1
    module = max(heights, key=heights.get)
    runs = [r for r in rects if round(r[3], 3) == module]
    left = min(r[0] for r in runs)
    top = max(r[1] for r in runs)
    drawn = [[0] * size for _ in range(size)]
    for x, y, w, _h in runs:
        row = round((top - y) / module)
        col = round((x - left) / module)
        for c in range(col, col + round(w / module)):
            drawn[row][c] = 1
    assert drawn == [[int(bool(v)) for v in row] for row in matrix]


# --- Fonts ----------------------------------------------------------------------------------


def test_font_setup_is_idempotent_and_explains_a_missing_font(settings, tmp_path, monkeypatch):
    assert fonts.register_fonts() is fonts.register_fonts()
    settings.DAIHOI_FONT_DIR = str(tmp_path)
    monkeypatch.setattr(fonts, "_SYSTEM_DIRS", ())
    with pytest.raises(fonts.FontMissing, match="fonts-noto-core"):
        fonts.find_family()


def test_font_dir_setting_is_tried_first(settings, tmp_path):
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        (tmp_path / name).write_bytes(
            (fonts.Path("/usr/share/fonts/truetype/dejavu") / name).read_bytes()
        )
    settings.DAIHOI_FONT_DIR = str(tmp_path)
    assert fonts.find_family().regular == tmp_path / "DejaVuSans.ttf"


# --- Photo ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("anh.png", png_bytes((1600, 2000), "RGBA")),
        ("anh.jpg", png_bytes((2000, 1500), fmt="JPEG", exif=camera_exif())),
        ("hong-exif.jpg", png_bytes((400, 300), fmt="JPEG", exif=BROKEN_EXIF)),
        ("ANH.JPEG", png_bytes((300, 400), fmt="JPEG")),
    ],
)
def test_photo_upload_accepts_real_images_resized_without_exif(congress, staff, name, data):
    delegate = make(congress, "Nguyễn Thị Hường")
    set_photo(staff, delegate, SimpleUploadedFile(name, data))
    delegate.refresh_from_db()
    assert delegate.photo.name.startswith("delegate-photos/")
    assert "huong" not in delegate.photo.name.lower()
    with delegate.photo.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert stored.width <= 600 and stored.height <= 800
        if name == "anh.jpg":  # the camera photo, landscape with orientation 6, now upright
            assert stored.size == (600, 800)
        assert not stored.getexif()
    assert "delegate.photo_set" in audit_actions()


def test_new_photo_replaces_the_old_file(congress, staff, django_capture_on_commit_callbacks):
    delegate = make(congress, "Đặng Quốc Khánh")
    set_photo(staff, delegate, SimpleUploadedFile("a.png", png_bytes((60, 80))))
    delegate.refresh_from_db()
    first = delegate.photo.name
    storage = delegate.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        set_photo(staff, delegate, SimpleUploadedFile("b.png", png_bytes((60, 80))))
    assert not storage.exists(first)


def test_pdf_renamed_jpg_is_refused(congress, staff):
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.7\n" + b"0" * 500)
    with pytest.raises(UploadRefused) as error:
        set_photo(staff, make(congress, "Hà Văn Thưởng"), fake)
    assert error.value.code == "not_jpg"
    assert "nội dung không phải ảnh JPEG" in error.value.message


def test_broken_jpeg_is_refused_by_pillow(congress, staff):
    fake = SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 500)
    with pytest.raises(UploadRefused) as error:
        set_photo(staff, make(congress, "Hà Văn Thưởng"), fake)
    assert error.value.code == "not_image"


def test_photo_with_too_many_pixels_is_refused_before_decoding(congress, staff):
    huge = png_bytes((10_000, 6_000), mode="1")  # a few kilobytes of PNG, 60 million pixels
    with pytest.raises(UploadRefused) as error:
        set_photo(staff, make(congress, "Đặng Quốc Khánh"), SimpleUploadedFile("to.png", huge))
    assert error.value.code == "too_many_pixels"
    assert "quá lớn" in error.value.message


def test_oversized_photo_is_refused_in_vietnamese(congress, staff, settings):
    settings.DAIHOI_MAX_PHOTO_MB = 1
    big = SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff" + b"\x00" * (1536 * 1024))
    with pytest.raises(UploadRefused) as error:
        set_photo(staff, make(congress, "Ông Ích Khiêm"), big)
    assert error.value.code == "too_large"
    assert "nặng 1,5 MB, vượt giới hạn 1,0 MB" in error.value.message


# --- Pages ----------------------------------------------------------------------------------


def test_liaison_gets_403_on_every_badge_page(client, congress, role_user, unit, staff):
    delegate = make(congress, "Nguyễn Thị Hường")
    issue_badge(staff, delegate)
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    pk = delegate.pk
    for name, args in [("badges", []), ("badges_pdf", []), ("badge_pdf", [pk])]:
        assert client.get(reverse(f"delegates:{name}", args=args)).status_code == 403
    for name in ("badge_issue", "badge_revoke", "badge_replace", "photo"):
        url = reverse(f"delegates:{name}", args=[pk])
        assert client.post(url, {"reason": "x"}).status_code == 403
    assert client.post(reverse("delegates:badges")).status_code == 403
    assert Badge.objects.get().is_valid


def test_staff_overview_counts_and_issues(client, congress, staff, delegates):
    client.force_login(staff)
    url = reverse("delegates:badges")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["counts"]["valid"] == 0
    response = client.post(url)
    assert response.status_code == 302
    page = client.get(url)
    assert page.context["counts"] == {"issued": 5, "valid": 5, "revoked": 0, "missing": 0}
    assert "style=" not in page.content.decode() and "<script>" not in page.content.decode()


@pytest.mark.parametrize(("layout", "pages"), [("a6", 5), ("a4-4", 2)])
def test_staff_downloads_all_badges(client, congress, staff, delegates, layout, pages):
    issue_missing(staff, congress)
    client.force_login(staff)
    response = client.get(reverse("delegates:badges_pdf"), {"layout": layout})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == pages
    assert "Ông Ích Khiêm" in "".join(p.extract_text() for p in reader.pages)


def test_staff_filters_print_by_group(client, congress, staff, delegates):
    group = DelegateGroup.objects.create(congress=congress, number=1)
    delegates[1].group = group
    delegates[1].save()
    issue_missing(staff, congress)
    client.force_login(staff)
    response = client.get(reverse("delegates:badges_pdf"), {"layout": "a6", "group": group.pk})
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1 and "Đặng Quốc Khánh" in reader.pages[0].extract_text()


def test_staff_revokes_replaces_and_reprints_from_the_delegate_page(client, congress, staff):
    delegate = make(congress, "Lê Thị Ngọc Ánh")
    client.force_login(staff)
    detail = reverse("delegates:detail", args=[delegate.pk])
    assert "Chưa cấp thẻ" in client.get(detail).content.decode()
    client.post(reverse("delegates:badge_issue", args=[delegate.pk]))
    first = Badge.objects.get()
    response = client.get(reverse("delegates:badge_pdf", args=[delegate.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "Lê Thị Ngọc Ánh" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    client.post(reverse("delegates:badge_replace", args=[delegate.pk]), {"reason": "Mất thẻ"})
    first.refresh_from_db()
    assert not first.is_valid
    second = Badge.objects.get(revoked_at__isnull=True)
    page = client.get(detail).content.decode()
    assert "Mất thẻ" in page and second.token not in page
    assert reverse("delegates:badge_revoke", args=[delegate.pk]) in page
    url = reverse("delegates:badge_revoke", args=[delegate.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Cần ghi lý do thu hồi thẻ." in response.content.decode()
    client.post(url, {"reason": "Đại biểu rút tên"})
    assert not Badge.objects.filter(revoked_at__isnull=True).exists()
    response = client.get(reverse("delegates:badge_pdf", args=[delegate.pk]))
    assert response.status_code == 302


def test_staff_uploads_a_photo_and_sees_a_refusal(client, congress, staff):
    delegate = make(congress, "Hà Văn Thưởng")
    client.force_login(staff)
    url = reverse("delegates:photo", args=[delegate.pk])
    fake = SimpleUploadedFile("x.jpg", b"%PDF-1.4 fake")
    response = client.post(url, {"photo": fake}, follow=True)
    assert "nội dung không phải ảnh JPEG" in response.content.decode()
    client.post(url, {"photo": SimpleUploadedFile("x.png", png_bytes((90, 120)))})
    delegate.refresh_from_db()
    assert delegate.photo


def test_delegate_sees_own_badge_state_without_actions(client, congress, role_user, staff):
    account = role_user(Role.DELEGATE)
    delegate = make(congress, "Ông Ích Khiêm", user=account)
    issue_badge(staff, delegate)
    client.force_login(account)
    page = client.get(reverse("delegates:detail", args=[delegate.pk])).content.decode()
    assert "Thẻ còn hiệu lực" in page
    assert reverse("delegates:badge_revoke", args=[delegate.pk]) not in page
