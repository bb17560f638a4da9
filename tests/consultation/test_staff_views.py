"""Staff pages of moderation and synthesis: who may open them, the actions through the forms,
the job that refreshes itself, the downloads, and no N+1 in the queue."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from daihoi.audit.models import AuditEntry
from daihoi.consultation.models import Comment, CommentStatus, JobStatus, SynthesisJob, TopicGroup
from daihoi.core.models import Role
from tests.consultation.factories import (
    bulk_comments,
    eager_celery,
    make_comment,
    sample_texts,
)
from tests.consultation.factories import sections_of as sections

pytestmark = pytest.mark.django_db
QUEUE = reverse("consultation:moderation")


@pytest.fixture
def synthesised(client, moderator, draft, django_capture_on_commit_callbacks):
    first, second = sections(draft)
    bulk_comments(first, sample_texts(80, seed=11, campaign=22, agreement=6)[0])
    bulk_comments(second, sample_texts(40, seed=12, campaign=0, agreement=3)[0])
    client.force_login(moderator)
    with eager_celery(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consultation:synthesis_start", args=[draft.pk]))
    assert response.status_code == 302
    return draft


def staff_pages(draft, comment, group=None):
    pages = [
        QUEUE,
        reverse("consultation:synthesis_drafts"),
        reverse("consultation:synthesis", args=[draft.pk]),
        reverse("consultation:synthesis_docx", args=[draft.pk]),
        reverse("consultation:synthesis_xlsx", args=[draft.pk]),
    ]
    if group is not None:
        pages.append(reverse("consultation:synthesis_group", args=[group.pk]))
    posts = [
        (reverse("consultation:moderation_act", args=[comment.pk]), {"action": "accept"}),
        (reverse("consultation:moderation_bulk"), {"action": "accept", "ids": [comment.pk]}),
        (reverse("consultation:moderation_scan"), {}),
        (reverse("consultation:synthesis_start", args=[draft.pk]), {}),
    ]
    return pages, posts


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ORGANISING_STAFF, Role.SUBCOMMITTEE_MEMBER])
def test_moderators_and_staff_open_every_page(client, role_user, draft, role):
    comment = make_comment(sections(draft)[0])
    group = TopicGroup.objects.create(draft=draft, section=sections(draft)[0], terms=["x"])
    client.force_login(role_user(role))
    pages, _posts = staff_pages(draft, comment, group)
    for url in pages:
        response = client.get(url)
        if response.streaming:  # read to the end: the client then closes the temporary file
            b"".join(response.streaming_content)
        assert response.status_code == 200, url


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.PRESS, Role.UNIT_LIAISON])
def test_other_roles_get_403(client, role_user, draft, unit, role):
    comment = make_comment(sections(draft)[0])
    group = TopicGroup.objects.create(draft=draft, section=sections(draft)[0], terms=["x"])
    client.force_login(role_user(role, unit=unit if role == Role.UNIT_LIAISON else None))
    pages, posts = staff_pages(draft, comment, group)
    for url in pages:
        assert client.get(url).status_code == 403, url
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    comment.refresh_from_db()
    assert comment.status == CommentStatus.RECEIVED
    assert not SynthesisJob.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, draft):
    comment = make_comment(sections(draft)[0])
    pages, posts = staff_pages(draft, comment)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "dang-nhap" in response["Location"], url
    for url, data in posts:
        assert client.post(url, data).status_code == 302, url
    comment.refresh_from_db()
    assert comment.status == CommentStatus.RECEIVED


def test_queue_filters_and_search_without_diacritics(client, moderator, draft):
    first, second = sections(draft)
    wanted = make_comment(first, "Cần chống ùn tắc giao thông ở cửa ngõ phía Tây.")
    make_comment(second, "Cần phát triển trường học công lập.")
    hidden = make_comment(first, "Quảng cáo", status=CommentStatus.HIDDEN, hidden_reason="Rác")
    client.force_login(moderator)
    page = client.get(QUEUE, {"q": "un tac giao thong"})
    assert list(page.context["comments"]) == [wanted]
    assert "Cần chống ùn tắc giao thông" in page.content.decode()
    page = client.get(QUEUE, {"loc": "da-an", "du-thao": draft.pk, "muc": first.pk})
    assert list(page.context["comments"]) == [hidden]
    assert "Rác" in page.content.decode()
    page = client.get(QUEUE, {"loc": "moi", "du-thao": draft.pk, "muc": second.pk})
    assert [c.section for c in page.context["comments"]] == [second]


def test_queue_query_count_does_not_grow(client, moderator, draft, django_assert_max_num_queries):
    section = sections(draft)[0]
    make_comment(section)
    client.force_login(moderator)
    client.get(QUEUE)
    with django_assert_max_num_queries(30) as one:
        assert client.get(QUEUE).status_code == 200
    for _n in range(4):
        make_comment(section, spam_flag=True)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(QUEUE).context["comments"]) == 5


def test_hide_through_the_page_needs_a_reason(client, moderator, draft):
    comment = make_comment(sections(draft)[0])
    client.force_login(moderator)
    url = reverse("consultation:moderation_act", args=[comment.pk])
    response = client.post(url, {"action": "hide", "reason": " "}, follow=True)
    assert "Hãy ghi lý do ẩn ý kiến." in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.RECEIVED
    back = f"{QUEUE}?loc=moi"
    response = client.post(url, {"action": "hide", "reason": "Thư rác", "next": back})
    assert response["Location"] == back
    comment.refresh_from_db()
    assert (comment.status, comment.hidden_reason) == (CommentStatus.HIDDEN, "Thư rác")
    # An address on another site is not followed.
    response = client.post(url, {"action": "restore", "next": "https://example.org/"})
    assert response["Location"] == QUEUE


def test_bulk_form_hides_many_with_one_audit_row(client, moderator, draft):
    section = sections(draft)[0]
    comments = [make_comment(section, f"Ý kiến {n}") for n in range(3)]
    client.force_login(moderator)
    response = client.post(
        reverse("consultation:moderation_bulk"),
        {"action": "hide", "reason": "Gửi lặp", "ids": [c.pk for c in comments]},
        follow=True,
    )
    assert "Đã xử lý 3 ý kiến" in response.content.decode()
    assert Comment.objects.filter(status=CommentStatus.HIDDEN).count() == 3
    entry = AuditEntry.objects.get(action="consultation.comments_hidden")
    assert json.loads(entry.data)["ids"] == [c.pk for c in comments]
    response = client.post(
        reverse("consultation:moderation_bulk"), {"action": "accept"}, follow=True
    )
    assert "Hãy chọn ít nhất một ý kiến." in response.content.decode()


def test_synthesis_page_shows_the_results_and_the_job(client, moderator, synthesised):
    draft = synthesised
    job = SynthesisJob.objects.get()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    page = client.get(reverse("consultation:synthesis", args=[draft.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="100"' in body and "Hoàn thành" in body
    assert 'hx-trigger="every 2s"' not in body  # a finished job is not polled
    figures = page.context["figures"]
    assert [f.section for f in figures] == sections(draft)
    assert figures[0].total == 80 + 22 + 6 and figures[0].campaign == 22
    assert all(f.groups for f in figures)
    assert (figures[0].repeated[0].count, figures[0].repeated[0].campaign) == (22, True)
    assert "Ý kiến được gửi nhiều lần" in body


def test_a_running_job_is_polled_and_reloads_the_page_when_it_ends(client, moderator, draft):
    job = SynthesisJob.objects.create(draft=draft, created_by=moderator, status="running")
    client.force_login(moderator)
    page = client.get(reverse("consultation:synthesis", args=[draft.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    url = reverse("consultation:synthesis_job", args=[job.pk])
    partial = client.get(url, {"dang-chay": "1"}, headers={"HX-Request": "true"})
    assert "hx-get" in partial.content.decode() and "HX-Refresh" not in partial
    SynthesisJob.objects.filter(pk=job.pk).update(status="done", progress=100)
    partial = client.get(url, {"dang-chay": "1"}, headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"
    assert "hx-get" not in partial.content.decode()
    assert client.get(url).status_code == 302  # without htmx: back to the page


def test_a_second_start_while_running_is_refused(client, moderator, draft):
    SynthesisJob.objects.create(draft=draft, created_by=moderator, status="running")
    client.force_login(moderator)
    url = reverse("consultation:synthesis_start", args=[draft.pk])
    response = client.post(url, follow=True)
    assert "Đang có một lượt tổng hợp dự thảo này" in response.content.decode()
    assert SynthesisJob.objects.count() == 1


def test_group_page_note_merge_and_split(client, moderator, synthesised):
    draft = synthesised
    first = sections(draft)[0]
    a, b = TopicGroup.objects.filter(section=first).order_by("pk")[:2]
    page = client.get(reverse("consultation:synthesis_group", args=[a.pk]))
    assert page.status_code == 200 and b in list(page.context["others"])

    client.post(
        reverse("consultation:synthesis_group_note", args=[a.pk]),
        {"label": "Giao thông đô thị", "note": "Nhiều ý kiến đề nghị phát triển xe buýt."},
    )
    a.refresh_from_db()
    assert (a.label, a.note) == ("Giao thông đô thị", "Nhiều ý kiến đề nghị phát triển xe buýt.")

    total = a.comments.count() + b.comments.count()
    client.post(reverse("consultation:synthesis_group_merge", args=[a.pk]), {"groups": [b.pk]})
    assert not TopicGroup.objects.filter(pk=b.pk).exists()
    assert a.comments.count() == total

    moving = list(a.comments.order_by("pk").values_list("pk", flat=True)[:2])
    response = client.post(
        reverse("consultation:synthesis_group_split", args=[a.pk]),
        {"ids": moving, "label": "Xe buýt"},
    )
    new = TopicGroup.objects.get(label="Xe buýt")
    assert response["Location"] == reverse("consultation:synthesis_group", args=[new.pk])
    assert sorted(new.comments.values_list("pk", flat=True)) == moving
    response = client.post(
        reverse("consultation:synthesis_group_split", args=[a.pk]), {"ids": []}, follow=True
    )
    assert "Hãy chọn ý kiến của nhóm này để tách." in response.content.decode()


def test_downloads(client, moderator, synthesised):
    draft = synthesised
    response = client.get(reverse("consultation:synthesis_docx", args=[draft.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "TỔNG HỢP Ý KIẾN THEO TỪNG MỤC" in text
    response = client.get(reverse("consultation:synthesis_xlsx", args=[draft.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert len(rows) == 1 + 80 + 22 + 6 + 40 + 3
    workbook.close()


def test_a_seed_that_is_not_a_number_is_refused(client, moderator, draft):
    client.force_login(moderator)
    url = reverse("consultation:synthesis_start", args=[draft.pk])
    for seed, message in [("abc", "Hạt giống phải là một số nguyên."), ("-5", "Hạt giống phải")]:
        response = client.post(url, {"seed": seed}, follow=True)
        assert message in response.content.decode()
    assert not SynthesisJob.objects.exists()
