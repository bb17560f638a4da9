"""Public pages without sign-in, the comment form over HTTP (303 to the acknowledgement, 400 with
the form again, 429 with Retry-After, 413), the JSON API, and the staff pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.consultation import captcha
from daihoi.consultation.models import Comment, Draft, DraftVersion
from daihoi.consultation.services import drafts
from daihoi.core.models import Role
from tests.consultation import test_drafts as drafts_tests
from tests.consultation.test_drafts import PARTY_TEXT, docx_bytes, make_open_draft, upload
from tests.factories import make_user_with_role, sign_in

# Fixtures shared with the draft tests.
_fresh_cache = drafts_tests._fresh_cache
congress = drafts_tests.congress
staff = drafts_tests.staff

SCRIPT = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


@pytest.fixture
def draft(staff, congress):
    return make_open_draft(staff, congress)[0]


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def form_fields(html: str) -> dict:
    """The hidden fields of the comment form as a browser would send them, captcha solved."""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    key = re.search(r'name="captcha_key" value="([^"]*)"', html).group(1)
    return {"csrfmiddlewaretoken": token, "captcha_key": key, "captcha": captcha.answer_for(key)}


def post_comment(client, draft, **fields):
    page = client.get(reverse("consultation:draft", args=[draft.pk]))
    data = {"name": "Trần Thị Bình", "phone": "0987 654 321", "title": "Ý kiến",
            "content": "Đề nghị bổ sung.", "section": "", "paragraph": "", "website": "",
            **form_fields(page.content.decode()), **fields}  # fmt: skip
    return client.post(reverse("consultation:draft_comment", args=[draft.pk]), data)


def test_reading_page_has_a_toc_anchors_and_the_form(client, draft):
    response = client.get(reverse("consultation:draft", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Mục lục"' in html
    assert 'href="#muc-3"' in html and 'id="muc-3"' in html
    assert "Góp ý đoạn này" in html and 'id="muc-4-doan-1"' in html
    assert "Mã xác nhận" in html and 'name="website"' in html
    assert "Tăng trưởng" in html


def test_goop_y_link_prefills_section_and_paragraph(client, draft):
    section = drafts.published_version(draft.pk).sections.get(number="1")
    url = reverse("consultation:draft", args=[draft.pk]) + f"?muc={section.pk}&doan=1"
    html = client.get(url).content.decode()
    assert f'<option value="{section.pk}" selected>' in html
    assert re.search(r'name="paragraph" value="1"', html)


def test_the_reading_page_query_count_does_not_grow_with_sections(
    client, staff, congress, django_assert_max_num_queries
):
    small = make_open_draft(staff, congress, PARTY_TEXT[:3])[0]
    big = make_open_draft(staff, congress, PARTY_TEXT * 3)[0]
    with django_assert_max_num_queries(6) as small_queries:
        client.get(reverse("consultation:draft", args=[small.pk]))
    with django_assert_max_num_queries(6) as big_queries:
        client.get(reverse("consultation:draft", args=[big.pk]))
    assert len(small_queries) == len(big_queries)


def test_a_comment_is_acknowledged_with_its_reference(draft):
    client = csrf_client()
    section = drafts.published_version(draft.pk).sections.get(number="1.1")
    response = post_comment(client, draft, section=str(section.pk), paragraph="1")
    assert response.status_code == 303
    reference = response["Location"].rstrip("/").rsplit("/", 1)[1]
    comment = Comment.objects.get(reference=reference)
    assert (comment.section_id, comment.paragraph.number) == (section.pk, 1)
    ack = client.get(response["Location"])
    assert ack.status_code == 200
    assert reference in ack.content.decode() and "0987" not in ack.content.decode()


def test_html_in_a_comment_is_kept_and_shown_escaped(draft):
    client = csrf_client()
    response = post_comment(client, draft, title=SCRIPT, content=SCRIPT)
    comment = Comment.objects.get()
    assert comment.content == SCRIPT
    html = client.get(response["Location"]).content.decode()
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html


def test_wrong_captcha_shows_the_form_again_with_a_new_code(draft):
    client = csrf_client()
    response = post_comment(client, draft, captcha="SAI00")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mã xác nhận không đúng" in html
    assert "Đề nghị bổ sung." in html  # what was typed is kept
    new_key = re.search(r'name="captcha_key" value="([^"]*)"', html).group(1)
    assert captcha.answer_for(new_key) is not None
    assert not Comment.objects.exists()


def test_missing_fields_are_named_in_vietnamese(draft):
    response = post_comment(csrf_client(), draft, name="", title="", content="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Cần nhập họ và tên." in html and "Cần nhập nội dung." in html


def test_without_csrf_token_the_post_is_refused(draft, client):
    response = csrf_client().post(
        reverse("consultation:draft_comment", args=[draft.pk]), {"name": "A"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_flood_gets_429_in_vietnamese_with_retry_after(draft, settings):
    settings.DAIHOI_COMMENT_RATE_ADDRESS = "2/600"
    client = csrf_client()
    statuses = [post_comment(client, draft, phone="").status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    response = post_comment(client, draft, phone="")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "quá nhiều góp ý" in response.content.decode()
    # Bad forms from the same address count too.
    assert post_comment(client, draft, name="").status_code == 429


def test_oversized_body_is_413_not_500(draft):
    response = post_comment(csrf_client(), draft, content="x" * 100_000)
    assert response.status_code == 413
    assert not Comment.objects.exists()


def test_invalid_utf8_is_never_a_500(draft):
    client = csrf_client()
    page = client.get(reverse("consultation:draft", args=[draft.pk])).content.decode()
    fields = form_fields(page)
    body = (
        f"csrfmiddlewaretoken={fields['csrfmiddlewaretoken']}&captcha_key={fields['captcha_key']}"
        f"&captcha={fields['captcha']}&name=An&title=T&content="
    ).encode() + b"%ff%fe\xff\xfe%C3%28"
    response = client.post(
        reverse("consultation:draft_comment", args=[draft.pk]), body,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code in (303, 400)


def test_closed_draft_refuses_in_vietnamese(draft, staff):
    drafts.set_comments_open(staff, drafts.published_version(draft.pk), False)
    client = csrf_client()
    page = client.get(reverse("consultation:draft", args=[draft.pk])).content.decode()
    assert "không nhận góp ý" in page and 'name="captcha"' not in page
    response = client.post(reverse("consultation:draft_comment", args=[draft.pk]), {})
    assert response.status_code == 403  # no CSRF token: there is no form to post from


def test_unpublished_drafts_are_not_public(client, staff, congress):
    draft = drafts.create_draft(staff, congress, "Dự thảo nội bộ")
    drafts.upload_version(staff, draft, upload(docx_bytes(PARTY_TEXT)))
    assert client.get(reverse("consultation:draft", args=[draft.pk])).status_code == 404
    assert "Dự thảo nội bộ" not in client.get(reverse("consultation:drafts")).content.decode()


def test_news_list_article_and_its_comment_form(staff, db):
    article = drafts.create_article(staff, "Công bố dự thảo", "Tóm tắt", "Đoạn một.\n\nĐoạn hai.")
    hidden = drafts.create_article(staff, "Tin chưa đăng", "", "Nội dung")
    drafts.set_article_published(staff, article, True)
    client = csrf_client()
    listing = client.get(reverse("consultation:news")).content.decode()
    assert "Công bố dự thảo" in listing and "Tin chưa đăng" not in listing
    assert client.get(reverse("consultation:article", args=[hidden.pk])).status_code == 404
    page = client.get(reverse("consultation:article", args=[article.pk])).content.decode()
    assert "Đoạn hai." in page
    data = {"name": "Lê Văn C", "title": "Đồng tình", "content": "Tôi đồng ý với bản tin.",
            **form_fields(page)}  # fmt: skip
    response = client.post(reverse("consultation:article_comment", args=[article.pk]), data)
    assert response.status_code == 303
    assert Comment.objects.get().article_id == article.pk


def test_public_pages_need_no_sign_in(client, draft):
    for url in (reverse("consultation:drafts"), reverse("consultation:news"),
                reverse("consultation:draft_comment", args=[draft.pk])):  # fmt: skip
        assert client.get(url).status_code == 200


# --- the JSON API -------------------------------------------------------------------------------


def test_api_comment_roundtrip(client, draft, settings):
    challenge = client.get("/api/consultation/captcha/").json()
    body = {"draft": draft.pk, "name": "Phạm D", "title": "API", "content": "Nội dung qua API.",
            "phone": "0912345678", "captcha_key": challenge["key"],
            "captcha": captcha.answer_for(challenge["key"])}  # fmt: skip
    response = client.post("/api/consultation/comments/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Comment.objects.filter(reference=response.json()["reference"]).exists()
    again = client.post("/api/consultation/comments/", body, content_type="application/json")
    assert again.status_code == 400 and "captcha" in again.json()["errors"]
    settings.DAIHOI_COMMENT_RATE_ADDRESS = "1/600"
    limited = client.post("/api/consultation/comments/", body, content_type="application/json")
    assert limited.status_code == 429 and limited["Retry-After"]


def test_api_rejects_garbage_without_500(client, db):
    for payload in ("[]", "{", '{"draft": "x"}', '{"content": "\\ud800"}', '{"draft": 1}'):
        response = client.post("/api/consultation/comments/", payload,
                               content_type="application/json")  # fmt: skip
        assert response.status_code == 400, (payload, response.content)


# --- staff pages --------------------------------------------------------------------------------


def test_staff_upload_preview_publish_and_open(client, staff, congress):
    sign_in(client, staff)
    response = client.post(reverse("consultation:draft_admin_list"), {
        "title": "Dự thảo Báo cáo chính trị", "file": upload(docx_bytes(PARTY_TEXT)),
    })  # fmt: skip
    draft = Draft.objects.get()
    assert response.status_code == 302
    version = DraftVersion.objects.get()
    preview = client.get(reverse("consultation:version_preview", args=[version.pk]))
    assert "VỀ KINH TẾ" in preview.content.decode()
    for action in ("cong-bo", "mo-gop-y"):
        client.post(reverse("consultation:version_action", args=[version.pk, action]))
    version.refresh_from_db()
    assert version.published_at is not None and version.comments_open
    page = client.get(reverse("consultation:draft_admin", args=[draft.pk])).content.decode()
    assert "Dừng nhận góp ý" in page
    bad = client.post(reverse("consultation:draft_admin", args=[draft.pk]),
                      {"file": upload(b"not a docx")})  # fmt: skip
    assert bad.status_code == 200 and DraftVersion.objects.count() == 1


def test_staff_news_pages(client, staff):
    sign_in(client, staff)
    client.post(reverse("consultation:news_admin"),
                {"title": "Tin mới", "summary": "", "body": "Nội dung."})  # fmt: skip
    article = drafts.Article.objects.get()
    client.post(reverse("consultation:news_publish", args=[article.pk]), {"publish": "1"})
    article.refresh_from_db()
    assert article.published_at is not None


def test_staff_pages_are_closed_to_others(client, db):
    assert client.get(reverse("consultation:draft_admin_list")).status_code == 302
    sign_in(client, make_user_with_role(Role.DELEGATE))
    assert client.get(reverse("consultation:draft_admin_list")).status_code == 403
    assert client.get(reverse("consultation:news_admin")).status_code == 403


# --- the hot path (daihoi/core/hotpath.py, the route registered by the consultation app) ------


def test_hot_path_acknowledges_with_the_security_headers(draft):
    response = post_comment(csrf_client(), draft)
    assert response.status_code == 303
    assert Comment.objects.filter(reference=response["Location"].split("/")[-2]).exists()
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Answered before the language middleware (the normal stack sets Content-Language).
    assert "Content-Language" not in response


def test_hot_path_errors_are_shown_once_by_the_normal_stack(draft, settings):
    settings.DAIHOI_COMMENT_RATE_ADDRESS = "2/600"
    client = csrf_client()
    wrong = post_comment(client, draft, captcha="SAI00")
    assert wrong.status_code == 400 and "Mã xác nhận không đúng" in wrong.content.decode()
    # Counted once, not twice: the second try of the limit of two still goes through.
    assert post_comment(client, draft).status_code == 303
    limited = post_comment(client, draft)
    assert limited.status_code == 429 and "quá nhiều góp ý" in limited.content.decode()
    assert Comment.objects.count() == 1


def test_hot_path_leaves_csrf_failures_to_django(draft):
    response = csrf_client().post(
        reverse("consultation:draft_comment", args=[draft.pk]), {"name": "A", "captcha": "X"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()
