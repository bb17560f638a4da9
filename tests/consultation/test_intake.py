"""Receiving a comment: validation, NFC, the reference number, captcha, honeypot, rate limits
per address and per phone, spam flags, the target open or closed."""

from __future__ import annotations

import re
import unicodedata

import pytest
from django.db import connection

from daihoi.consultation import captcha
from daihoi.consultation.models import Comment
from daihoi.consultation.services import drafts, intake
from tests.consultation import test_drafts as drafts_tests
from tests.consultation.test_drafts import make_open_draft

# Fixtures shared with the draft tests.
_fresh_cache = drafts_tests._fresh_cache
congress = drafts_tests.congress
staff = drafts_tests.staff

IP = "203.0.113.7"


def solved() -> dict:
    key = captcha.new_challenge()
    return {"captcha_key": key, "captcha_answer": captcha.answer_for(key)}


def data(**overrides) -> intake.CommentData:
    fields = {"name": "Nguyễn Văn An", "title": "Về mục tiêu", "content": "Tôi đồng ý.",
              "phone": "0912 345 678"}  # fmt: skip
    return intake.CommentData(**{**fields, **overrides})


@pytest.fixture
def draft(staff, congress):
    return make_open_draft(staff, congress)[0]


def submit(draft, ip=IP, **overrides):
    return intake.submit_comment(data(**overrides), client_ip=ip, draft_id=draft.pk, **solved())


def test_a_comment_is_stored_with_a_reference(draft):
    comment = submit(draft, content="Đa\u0309ng bộ <b>cần</b> làm rõ.\r\nDòng hai.")
    assert re.fullmatch(r"GY-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", comment.reference)
    stored = Comment.objects.get(reference=comment.reference)
    assert stored.content == "Đảng bộ <b>cần</b> làm rõ.\nDòng hai."  # NFC, HTML kept as text
    assert unicodedata.is_normalized("NFC", stored.content)
    assert stored.phone == "0912345678" and stored.client_ip == IP
    assert stored.version.draft_id == draft.pk and stored.status == "received"
    assert not stored.spam_flag


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_the_insert_is_prepared_once_per_connection(draft):
    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
            return {row[0] for row in cursor.fetchall() if "consultation_comment" in row[0]}

    submit(draft, ip="203.0.113.20", phone="0912345600")
    first = prepared()
    assert any(s.startswith('INSERT INTO "consultation_comment"') for s in first)
    for n in range(1, 4):
        submit(draft, ip=f"203.0.113.{n + 20}", phone=f"091234560{n}")
    assert prepared() == first  # the same statement again, not one per comment
    assert Comment.objects.count() == 4


def test_the_section_and_paragraph_are_checked_against_the_open_version(draft):
    version = drafts.published_version(draft.pk)
    section = version.sections.get(number="1")
    comment = submit(draft, section_id=section.pk, paragraph_number=1)
    assert comment.section_id == section.pk and comment.paragraph.number == 1
    with pytest.raises(intake.CommentInvalid) as caught:
        submit(draft, section_id=section.pk, paragraph_number=9)
    assert "paragraph" in caught.value.errors
    with pytest.raises(intake.CommentInvalid) as caught:
        submit(draft, section_id=10**9)
    assert "section" in caught.value.errors


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("0912345678", "0912345678"), ("+84 912.345.678", "0912345678"),
     ("84-388-123-456", "0388123456"), ("(024) 3825 1234", "02438251234"), ("", "")],
)  # fmt: skip
def test_vietnamese_phone_formats(raw, stored):
    assert intake.normalise_phone(raw) == stored


@pytest.mark.parametrize(
    "raw", ["0123456789", "091234567", "09123456789", "+1 202 555 0100", "abc", "0912-345-67x"]
)
def test_phone_numbers_that_are_not_vietnamese_are_refused(raw):
    with pytest.raises(intake.CommentInvalid) as caught:
        intake.clean(data(phone=raw))
    assert "phone" in caught.value.errors


def test_required_fields_and_limits():
    with pytest.raises(intake.CommentInvalid) as caught:
        intake.clean(data(name=" ", title="", content="x" * (intake.CONTENT_MAX + 1)))
    assert set(caught.value.errors) == {"name", "title", "content"}
    assert "5.000" in caught.value.errors["content"]
    assert intake.clean(data(content="y" * intake.CONTENT_MAX)).content == "y" * intake.CONTENT_MAX


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\ud800", "\x1b[31m", "\ufffe"])
def test_control_characters_and_lone_surrogates_are_refused(bad):
    with pytest.raises(intake.CommentInvalid) as caught:
        intake.clean(data(content=f"Nội dung {bad} lạ"))
    assert "content" in caught.value.errors


def test_wrong_or_reused_captcha_stores_nothing(draft):
    key = captcha.new_challenge()
    answer = captcha.answer_for(key)
    with pytest.raises(intake.CommentInvalid) as caught:
        intake.submit_comment(data(), client_ip=IP, draft_id=draft.pk, captcha_key=key,
                              captcha_answer="WRONG")  # fmt: skip
    assert "captcha" in caught.value.errors
    # The challenge was used up by the wrong try.
    with pytest.raises(intake.CommentInvalid):
        intake.submit_comment(data(), client_ip=IP, draft_id=draft.pk, captcha_key=key,
                              captcha_answer=answer)  # fmt: skip
    with pytest.raises(intake.CommentInvalid):
        intake.submit_comment(data(), client_ip=IP, draft_id=draft.pk, captcha_key="",
                              captcha_answer="")  # fmt: skip
    assert not Comment.objects.exists()


def test_honeypot_refuses(draft):
    with pytest.raises(intake.InvalidInput) as caught:
        intake.submit_comment(data(), client_ip=IP, draft_id=draft.pk, honeypot="http://x.io",
                              **solved())  # fmt: skip
    assert caught.value.code == "honeypot"
    assert not Comment.objects.exists()


def test_flood_from_one_address_is_limited(draft, settings):
    settings.DAIHOI_COMMENT_RATE_ADDRESS = "3/600"
    for _ in range(3):
        submit(draft, phone="")
    with pytest.raises(intake.RateLimited) as caught:
        submit(draft, phone="")
    assert 0 < caught.value.retry_after <= 600
    assert "thử lại sau" in caught.value.message
    assert Comment.objects.count() == 3
    submit(draft, ip="198.51.100.9", phone="")  # another address is not affected
    assert Comment.objects.count() == 4


def test_flood_from_one_phone_is_limited_across_addresses(draft, settings):
    settings.DAIHOI_COMMENT_RATE_PHONE = "2/600"
    submit(draft, ip="198.51.100.1")
    submit(draft, ip="198.51.100.2", phone="+84912345678")
    with pytest.raises(intake.RateLimited):
        submit(draft, ip="198.51.100.3")
    assert Comment.objects.count() == 2


def test_closed_drafts_and_unpublished_articles_take_no_comments(draft, staff):
    drafts.set_comments_open(staff, drafts.published_version(draft.pk), False)
    with pytest.raises(intake.TargetClosed):
        submit(draft)
    article = drafts.create_article(staff, "Tin", "", "Nội dung")
    with pytest.raises(intake.TargetClosed):
        intake.submit_comment(data(), client_ip=IP, article_id=article.pk, **solved())
    drafts.set_article_published(staff, article, True)
    comment = intake.submit_comment(data(), client_ip=IP, article_id=article.pk, **solved())
    assert comment.article_id == article.pk and comment.version_id is None
    assert not Comment.objects.filter(version__isnull=False).exists()


def test_spam_heuristics_only_flag(draft):
    links = submit(draft, content="Xem http://a.example và www.b.example ngay")
    repeated = submit(draft, content="Hayyyyyyyyyyyyyy quá!!!!!!!!!!!!", phone="")
    plain = submit(draft, content="Một ý kiến bình thường, có dẫn nguồn vnexpress.net.", phone="")
    assert (links.spam_flag, repeated.spam_flag, plain.spam_flag) == (True, True, False)


def test_references_are_unique_and_unguessable():
    references = {intake.new_reference() for _ in range(5000)}
    assert len(references) == 5000
    assert all(len(r) == 14 and r.startswith("GY-") for r in references)


def test_client_address_is_remote_addr_only():
    meta = {"REMOTE_ADDR": "192.0.2.4", "HTTP_X_FORWARDED_FOR": "10.0.0.1"}
    assert intake.client_address(meta) == "192.0.2.4"
    assert intake.client_address({"REMOTE_ADDR": "not-an-ip"}) is None
