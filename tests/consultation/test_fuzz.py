"""Fuzzing the intake: the field checks (hypothesis), the form over HTTP with any text, a solved
captcha so the INSERT itself is reached (never a 500, stored text in NFC), and the JSON API
from its OpenAPI schema (schemathesis)."""

from __future__ import annotations

import unicodedata

import pytest
import schemathesis
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from daihoi.consultation import captcha
from daihoi.consultation.models import Comment
from daihoi.consultation.services import intake
from tests.consultation import test_drafts as drafts_tests
from tests.consultation.test_drafts import make_open_draft
from tests.factories import forget_cached

# Fixtures shared with the draft tests.
_fresh_cache = drafts_tests._fresh_cache
congress = drafts_tests.congress
staff = drafts_tests.staff

ANY_TEXT = st.text(st.characters(codec=None), max_size=300) | st.sampled_from([
    "<script>alert(1)</script>", "\x00", "\ud800", "A\u0301", "ﬁ", "\u202etxet", " " * 50,
    "0912 345 678", "+84912345678", "x" * 6000, "' OR 1=1 --", "%s %(x)s {0}", "\r\n\r\n",
])  # fmt: skip
# What an HTTP form can carry: UTF-8, so no lone surrogates (invalid bytes arrive as U+FFFD).
FORM_TEXT = st.text(st.characters(codec="utf-8"), max_size=300) | st.sampled_from([
    "<script>alert(1)</script>", "\x00", "A\u0301", "\u202etxet", "x" * 6000, "\ufffd",
    "0912 345 678", "' OR 1=1 --", "%s %(x)s {0}", "\r\n\r\n",
])  # fmt: skip
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])  # fmt: skip


@FUZZ
@given(name=ANY_TEXT, title=ANY_TEXT, content=ANY_TEXT, phone=ANY_TEXT)
def test_clean_either_accepts_tidy_text_or_names_the_fields(name, title, content, phone):
    try:
        data = intake.clean(intake.CommentData(name, title, content, phone))
    except intake.CommentInvalid as exc:
        assert exc.errors and set(exc.errors) <= {"name", "title", "content", "phone"}
        assert all(isinstance(m, str) and m for m in exc.errors.values())
        return
    for text, limit in ((data.name, intake.NAME_MAX), (data.title, intake.TITLE_MAX),
                        (data.content, intake.CONTENT_MAX)):  # fmt: skip
        assert text and len(text) <= limit and unicodedata.is_normalized("NFC", text)
        assert "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    assert data.phone == "" or (data.phone.isdigit() and data.phone.startswith("0"))


@pytest.fixture
def open_draft(staff, congress, settings):
    settings.DAIHOI_COMMENT_RATE_ADDRESS = "100000/60"
    settings.DAIHOI_COMMENT_RATE_PHONE = "100000/60"
    return make_open_draft(staff, congress)


@FUZZ
@given(name=FORM_TEXT, title=FORM_TEXT, content=FORM_TEXT, phone=FORM_TEXT,
       section=st.text(max_size=12) | st.integers(-5, 10**20).map(str),
       paragraph=st.text(max_size=6) | st.integers(-5, 99).map(str),
       solve=st.booleans(), honeypot=st.sampled_from(["", "http://spam.example"]))  # fmt: skip
def test_the_form_never_answers_500(open_draft, name, title, content, phone, section, paragraph,
                                    solve, honeypot):  # fmt: skip
    draft, _version = open_draft
    key = captcha.new_challenge()
    answer = captcha.answer_for(key) if solve else "NOPE1"
    before = Comment.objects.count()
    response = Client().post(reverse("consultation:draft_comment", args=[draft.pk]), {
        "name": name, "title": title, "content": content, "phone": phone, "section": section,
        "paragraph": paragraph, "captcha_key": key, "captcha": answer, "website": honeypot,
    })  # fmt: skip
    assert response.status_code in (303, 400, 413), response.status_code
    if response.status_code == 303:
        reference = response["Location"].rstrip("/").rsplit("/", 1)[1]
        stored = Comment.objects.get(reference=reference)
        assert unicodedata.is_normalized("NFC", stored.content)
        assert solve and not honeypot
    else:
        assert Comment.objects.count() == before


@pytest.fixture
def api_schema(db, settings):
    from daihoi.wsgi import application

    forget_cached("gy:")  # rate limits and captchas
    settings.DAIHOI_COMMENT_RATE_ADDRESS = "20/600"  # low enough that the 429 answer is fuzzed
    return schemathesis.openapi.from_wsgi("/api/schema/", application).include(
        path_regex="^/api/consultation/"
    )


def test_api_conforms_to_its_schema_and_never_answers_500(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} == {
        "/api/consultation/captcha/", "/api/consultation/comments/"
    }  # fmt: skip
    for operation in operations:

        @settings(
            max_examples=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call()
            assert response.status_code < 500, response.text[:500]
            # A schema-valid comment is still refused without the right captcha: every other
            # check (status codes, content type, response bodies, no server error) applies.
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

        call()
