"""Register pages: permissions, Vietnamese messages for bad input, search, N+1 guard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from daihoi.audit.models import AuditEntry
from daihoi.documents.models import Attachment, Document, DocumentLink, LinkKind
from daihoi.documents.services import add_attachment, link_documents
from tests.documents.helpers import docx_bytes, login, make_document, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice():
    return make_document(term="2015–2020", signer_capacity="TM.", signer_title="Ban Thường vụ")


@pytest.fixture
def plan():
    return make_document(
        "01-KH/TBTCPV", date=dt.date(2019, 8, 19), summary="Kế hoạch tổ chức phục vụ đại hội"
    )


@pytest.fixture
def attachment(notice):
    return add_attachment(None, notice, upload("Thông báo 2682.pdf", pdf_bytes()))


def _urls(document, attachment) -> dict[str, str]:
    return {
        "list": reverse("documents:list"),
        "create": reverse("documents:create"),
        "check": reverse("documents:check_symbol") + "?symbol=2682-TB/TU",
        "detail": reverse("documents:detail", args=[document.pk]),
        "attach": reverse("documents:attach", args=[document.pk]),
        "link": reverse("documents:link", args=[document.pk]),
        "download": reverse("documents:download", args=[attachment.pk]),
    }


def _status(client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        # Reading to the end closes the file (the test client's wrapper; a bare close() would
        # also close the database connection).
        b"".join(response.streaming_content)
    return response.status_code


def test_anonymous_is_sent_to_sign_in(client, notice, attachment):
    for url in _urls(notice, attachment).values():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


VIEWER = {"list": 200, "detail": 200, "download": 200}
KEEPER = {**VIEWER, "create": 200, "check": 200, "attach": 200, "link": 200}
READER = {**VIEWER, "create": 403, "check": 403, "attach": 404, "link": 404}
OUTSIDER = {"list": 403, "detail": 404, "download": 404, "create": 403, "check": 403,
            "attach": 404, "link": 404}  # fmt: skip


@pytest.mark.parametrize(
    ("role_name", "expected"),
    [
        ("admin", KEEPER),
        ("standing", KEEPER),
        ("organising", KEEPER),
        ("member", READER),
        ("liaison", READER),
        ("delegate", OUTSIDER),
    ],
)
def test_permission_matrix(client, request, notice, attachment, role_name, expected):
    login(client, request.getfixturevalue(role_name))
    urls = _urls(notice, attachment)
    got = {name: _status(client, urls[name]) for name in expected}
    assert got == expected


def test_forbidden_pages_answer_in_vietnamese(client, liaison, notice):
    login(client, liaison)
    page = client.get(reverse("documents:create"))
    assert page.status_code == 403 and "Không có quyền truy cập" in page.text
    page = client.get(reverse("documents:attach", args=[notice.pk]))
    assert page.status_code == 404 and "Không tìm thấy trang" in page.text


def test_liaison_cannot_post_a_document(client, liaison):
    login(client, liaison)
    response = client.post(reverse("documents:create"), _form())
    assert response.status_code == 403
    assert not Document.objects.exists()


def _form(**changes) -> dict:
    data = {
        "symbol": "Số 2682-TB/TU",
        "date": "22/6/2020",
        "place": "Hà Nội",
        "summary": "Kết luận của Phó Bí thư Thường trực Thành ủy",
        "term": "2015-2020",
        "signer_capacity": "TM.",
        "secrecy": "",
        "urgency": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role_name", ["admin", "standing", "organising"])
def test_register_through_the_form(client, request, role_name):
    user = request.getfixturevalue(role_name)
    login(client, user)
    assert "Vào sổ văn bản" in client.get(reverse("documents:create")).text
    response = client.post(reverse("documents:create"), _form(), follow=True)
    document = Document.objects.get()
    assert response.redirect_chain[-1][0] == reverse("documents:detail", args=[document.pk])
    assert "Đã vào sổ văn bản số 2682-TB/TU." in response.text
    assert document.term == "2015–2020" and document.created_by == user
    assert AuditEntry.objects.filter(action="document.registered", actor=user).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"symbol": "2682-XY/TU"}, "Thể loại «XY» không có trong danh mục"),
        ({"symbol": "2682"}, "Thiếu ký hiệu thể loại"),
        ({"symbol": "12-TB/BCSĐ"}, "chưa có trong danh mục"),
        ({"symbol": "abc-TB/TU"}, "Số phải là số nguyên dương"),
        ({"date": "32/13/2020"}, "Ngày «32/13/2020» không hợp lệ"),
        ({"term": "2020"}, "Nhiệm kỳ «2020» không hợp lệ"),
        ({"in_congress": "on"}, "phải gắn với một đại hội"),
        ({"summary": ""}, "field-error"),
        ({"secrecy": "bi_mat"}, "field-error"),
    ],
)
def test_bad_input_gives_a_vietnamese_message_not_a_crash(client, admin, changes, message):
    login(client, admin)
    response = client.post(reverse("documents:create"), _form(**changes))
    assert response.status_code == 200
    assert message in response.text
    assert not Document.objects.exists()


def test_duplicate_through_the_form(client, admin, notice):
    login(client, admin)
    response = client.post(reverse("documents:create"), _form(symbol="2682-tb/tu"))
    assert response.status_code == 200
    assert "Văn bản số 2682-TB/TU đã có trong sổ (ngày 22/06/2020)." in response.text
    assert Document.objects.count() == 1


def test_detail_shows_all_fields_links_attachments_and_tasks(client, member, notice, plan):
    from daihoi.tasks.models import Task

    attachment = add_attachment(None, notice, upload("Thông báo 2682.pdf", pdf_bytes()))
    link_documents(None, notice, plan, LinkKind.CITES)
    Task.objects.create(document=notice, title="Xây dựng phim phóng sự «Từ đại hội đến đại hội»")
    login(client, member)
    page = client.get(reverse("documents:detail", args=[notice.pk]))
    assert page.status_code == 200
    text = page.text
    assert "Thông báo số 2682-TB/TU" in text
    assert "Hà Nội, ngày 22 tháng 6 năm 2020" in text
    assert "Tỉnh ủy, Thành ủy" in text and "2015–2020" in text
    assert "TM. Ban Thường vụ" in text
    assert reverse("documents:download", args=[attachment.pk]) in text
    assert "01-KH/TBTCPV" in text and "Dẫn chiếu" in text
    assert "Từ đại hội đến đại hội" in text
    assert 'name="file"' not in text  # a member reads, does not attach
    other_side = client.get(reverse("documents:detail", args=[plan.pk])).text
    assert "2682-TB/TU" in other_side and "Dẫn chiếu văn bản này" in other_side


def test_date_line_pads_early_months(client, admin):
    document = make_document("59-CV/TU", date=dt.date(2018, 2, 3))
    login(client, admin)
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert "Hà Nội, ngày 03 tháng 02 năm 2018" in page.text


def test_download_goes_through_the_permission_check(client, liaison, delegate, attachment):
    url = reverse("documents:download", args=[attachment.pk])
    login(client, liaison)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.logout()
    login(client, delegate)
    assert _status(client, url) == 404


def test_upload_through_the_page(client, organising, notice):
    login(client, organising)
    url = reverse("documents:attach", args=[notice.pk])
    response = client.post(url, {"file": upload("ke-hoach.docx", docx_bytes())})
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "ke-hoach.docx"
    refused = client.post(url, {"file": upload("virus.pdf", b"MZ\x90\x00" * 10)})
    assert refused.status_code == 200
    assert "mang đuôi .pdf nhưng nội dung không phải PDF" in refused.text
    empty = client.post(url, {})
    assert empty.status_code == 200 and "field-error" in empty.text
    assert Attachment.objects.count() == 1


def test_link_through_the_page(client, standing, notice, plan):
    login(client, standing)
    url = reverse("documents:link", args=[notice.pk])
    form = {"direction": "out", "kind": "cites", "target": "01-kh/tbtcpv"}
    assert client.post(url, form).status_code == 302
    assert DocumentLink.objects.filter(source=notice, target=plan, kind="cites").exists()
    again = client.post(url, form)
    assert again.status_code == 200 and "đã có" in again.text
    missing = client.post(url, {**form, "target": "999-KH/TU"})
    assert missing.status_code == 200 and "Không tìm thấy văn bản số «999-KH/TU»" in missing.text
    bad = client.post(url, {**form, "target": "???"})
    assert bad.status_code == 200 and "field-error" in bad.text
    incoming = client.post(url, {**form, "direction": "in", "kind": "reports_on"})
    assert incoming.status_code == 302
    assert DocumentLink.objects.filter(source=plan, target=notice, kind="reports_on").exists()


def test_check_symbol_explains_and_proposes(client, organising, notice):
    login(client, organising)
    url = reverse("documents:check_symbol")
    ok = client.get(url, {"symbol": "2683-tb/tu", "term": "2015-2020"})
    assert "Văn bản Đảng" in ok.text and "Thông báo" in ok.text and "2683-TB/TU" in ok.text
    assert "<html" not in ok.text
    taken = client.get(url, {"symbol": "2682-TB/TU", "term": "2015–2020"})
    assert "đã có trong sổ (ngày 22/06/2020)" in taken.text
    assert "Số tiếp theo đề xuất: 2683-TB/TU" in taken.text
    bad = client.get(url, {"symbol": "2682-XY/TU"})
    assert bad.status_code == 200 and "Thể loại «XY» không có trong danh mục" in bad.text
    template = client.get(url, {"symbol": "KH/TU", "term": "2015–2020"})
    assert "Chưa có số" in template.text and "Số tiếp theo đề xuất: 01-KH/TU" in template.text
    state = client.get(url, {"symbol": "42/2014/QĐ-TTg"})
    assert "Văn bản Nhà nước" in state.text and "năm 2014" in state.text
    bad_term = client.get(url, {"symbol": "2682-TB/TU", "term": "xyz"})
    assert bad_term.status_code == 200 and "Nhiệm kỳ «xyz» không hợp lệ" in bad_term.text
    assert client.get(url, {"symbol": ""}).status_code == 200


def test_check_symbol_uses_the_congress_counter(client, organising, unit):
    from tests.factories import CongressFactory

    congress = CongressFactory(convening_committee=unit)
    make_document("01-NQ/TU", congress=congress, in_congress=True)
    make_document("02-BB/TU", congress=congress, in_congress=True)
    login(client, organising)
    page = client.get(
        reverse("documents:check_symbol"),
        {"symbol": "TB/ĐU", "in_congress": "on", "congress": str(congress.pk)},
    )
    assert "Số tiếp theo đề xuất: 03-TB/ĐU" in page.text


def test_form_page_carries_the_live_check_without_inline_script(client, admin):
    login(client, admin)
    text = client.get(reverse("documents:create")).text
    assert f'hx-get="{reverse("documents:check_symbol")}"' in text
    assert 'id="symbol-check"' in text
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)
    assert " style=" not in text and " onclick=" not in text


def test_nav_entry_for_those_who_may_view(client, liaison, delegate):
    login(client, liaison)
    assert f'href="{reverse("documents:list")}"' in client.get(reverse("home")).text
    client.logout()
    login(client, delegate)
    assert f'href="{reverse("documents:list")}"' not in client.get(reverse("home")).text
