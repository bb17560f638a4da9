"""Synthesis jobs in the database: a full run writes groups, duplicates, campaigns and
agreement; an incremental run places only the new comments; progress, failures, staff merge,
split and notes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from daihoi.audit.models import AuditEntry
from daihoi.consultation.models import (
    Comment,
    CommentStatus,
    JobStatus,
    SynthesisJob,
    SynthesisState,
    TopicGroup,
)
from daihoi.consultation.services import synthesis
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from tests.consultation.factories import (
    CAMPAIGN,
    bulk_comments,
    eager_celery,
    make_comment,
    make_draft,
    sample_texts,
    sections_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(db):
    """A draft with two sections: 240 + 120 topic comments, a campaign of 25 near-copies and
    30 agreement comments in the first, and two hidden comments."""
    draft = make_draft()
    first, second = sections_of(draft)
    texts, copies = sample_texts(240, seed=1)
    comments = bulk_comments(first, texts)
    more, _copies = sample_texts(120, seed=2, campaign=0, agreement=10)
    bulk_comments(second, more)
    hidden = [
        make_comment(first, CAMPAIGN, status=CommentStatus.HIDDEN, hidden_reason="Gửi lặp"),
        make_comment(second, "Nhất trí", status=CommentStatus.HIDDEN, hidden_reason="Thử"),
    ]
    return draft, comments, copies, hidden


def visible(texts):
    return Comment.objects.filter(content__in=texts).exclude(status="hidden").order_by("pk")


def run(moderator, draft, capture, **options) -> SynthesisJob:
    """Start a job and run its Celery task inline, as a deployment without a broker does."""
    with eager_celery(), capture(execute=True) as callbacks:
        job = synthesis.start_job(moderator, draft, **options)
    assert len(callbacks) == 1  # the task is sent once the job's row is committed
    job.refresh_from_db()
    return job


def test_a_full_job_writes_groups_duplicates_campaign_and_agreement(
    moderator, corpus, django_capture_on_commit_callbacks
):
    draft, comments, copies, hidden = corpus
    job = run(moderator, draft, django_capture_on_commit_callbacks)
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    assert job.started_at and job.finished_at and "ý kiến" in job.message

    first, second = sections_of(draft)
    for section in (first, second):
        groups = TopicGroup.objects.filter(section=section, draft=draft)
        assert groups.count() >= 2
        assert all(g.terms and g.representative_id for g in groups)
        state = SynthesisState.objects.get(section=section)
        assert state.comment_count == section.comments.exclude(status="hidden").count()
        assert state.last_comment_id == section.comments.exclude(status="hidden").latest("pk").pk

    campaign = visible(copies)
    assert campaign.count() == 25
    assert set(campaign.values_list("in_campaign", flat=True)) == {True}
    earliest = campaign.order_by("pk").first()
    assert earliest.duplicate_of is None
    assert set(campaign.exclude(pk=earliest.pk).values_list("duplicate_of", flat=True)) == {
        earliest.pk
    }
    assert campaign.values("group").distinct().count() == 1

    agreement = Comment.objects.filter(is_agreement=True)
    assert agreement.filter(section=first).count() == 30
    assert agreement.filter(section=second).count() == 10
    assert not agreement.filter(group__isnull=False).exists()  # set apart from the topics
    substantive = Comment.objects.exclude(status="hidden").filter(is_agreement=False)
    assert not substantive.filter(group__isnull=True).exists()

    for comment in hidden:  # never read, never written
        comment.refresh_from_db()
        assert (comment.group, comment.duplicate_of, comment.is_agreement) == (None, None, False)

    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("seq"))
    assert actions[-2:] == ["consultation.synthesis_started", "consultation.synthesis_finished"]
    totals = json.loads(AuditEntry.objects.get(action="consultation.synthesis_finished").data)
    assert totals["agreement"] == 40 and totals["campaign"] >= 25


def test_the_same_seed_gives_the_same_groups(moderator, corpus, django_capture_on_commit_callbacks):
    draft = corpus[0]
    run(moderator, draft, django_capture_on_commit_callbacks, seed=7)
    before = sorted(
        sorted(g.comments.values_list("pk", flat=True)) for g in TopicGroup.objects.all()
    )
    run(moderator, draft, django_capture_on_commit_callbacks, seed=7)
    after = sorted(
        sorted(g.comments.values_list("pk", flat=True)) for g in TopicGroup.objects.all()
    )
    assert before == after


def test_incremental_run_places_new_comments_and_leaves_old_ones_alone(
    moderator, corpus, django_capture_on_commit_callbacks
):
    draft, comments, copies, _hidden = corpus
    run(moderator, draft, django_capture_on_commit_callbacks)
    fields = ("pk", "group", "duplicate_of", "in_campaign", "is_agreement")
    old = {row[0]: row for row in Comment.objects.values_list(*fields)}
    old_groups = set(TopicGroup.objects.values_list("pk", flat=True))
    first = sections_of(draft)[0]
    texts, _ = sample_texts(20, seed=3, campaign=0, agreement=0)
    new = bulk_comments(first, [*texts, CAMPAIGN, "Nhất trí cao với dự thảo ạ"])

    job = run(moderator, draft, django_capture_on_commit_callbacks, incremental=True)
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    assert {row[0]: row for row in Comment.objects.filter(pk__in=old).values_list(*fields)} == old
    assert set(TopicGroup.objects.values_list("pk", flat=True)) == old_groups
    for comment in new[:20]:
        comment.refresh_from_db()
        assert comment.group_id in old_groups
    copy, agree = (Comment.objects.get(pk=c.pk) for c in new[20:])
    earliest = visible(copies).order_by("pk").first()
    assert copy.duplicate_of == earliest and copy.in_campaign
    assert copy.group_id == earliest.group_id
    assert agree.is_agreement and agree.group is None
    state = SynthesisState.objects.get(section=first)
    assert state.last_comment_id == new[-1].pk
    assert state.comment_count == 240 + 25 + 30 + 22


def test_incremental_follows_a_staff_merge(moderator, corpus, django_capture_on_commit_callbacks):
    draft, _comments, copies, _hidden = corpus
    run(moderator, draft, django_capture_on_commit_callbacks)
    campaign_group = visible(copies).first().group
    target = TopicGroup.objects.filter(section=campaign_group.section).exclude(
        pk=campaign_group.pk
    )[0]
    synthesis.merge_groups(moderator, target, [campaign_group])
    (copy,) = bulk_comments(campaign_group.section, [CAMPAIGN])
    run(moderator, draft, django_capture_on_commit_callbacks, incremental=True)
    copy.refresh_from_db()
    assert copy.group == target


def test_progress_and_a_failing_job_ends_failed_with_nothing_half_written(
    moderator, corpus, django_capture_on_commit_callbacks
):
    draft = corpus[0]
    run(moderator, draft, django_capture_on_commit_callbacks)
    first, second = sections_of(draft)
    new_first = bulk_comments(first, sample_texts(5, seed=4, campaign=0, agreement=0)[0])
    new_second = bulk_comments(second, sample_texts(5, seed=5, campaign=0, agreement=0)[0])
    SynthesisState.objects.filter(section=second).update(data=b"not a model")
    before = SynthesisState.objects.get(section=second)

    job = run(moderator, draft, django_capture_on_commit_callbacks, incremental=True)
    assert job.status == JobStatus.FAILED
    # The first of two sections was done (50) and the second's comments read (+10 % of 50).
    assert job.progress == 55
    assert "Lượt tổng hợp dừng ở mục" in job.message and str(second) in job.message
    assert all(Comment.objects.get(pk=c.pk).group_id for c in new_first)
    assert not any(Comment.objects.get(pk=c.pk).group_id for c in new_second)
    after = SynthesisState.objects.get(section=second)
    assert (after.last_comment_id, bytes(after.data)) == (before.last_comment_id, b"not a model")
    assert AuditEntry.objects.filter(action="consultation.synthesis_failed").count() == 1


def test_a_failure_while_writing_rolls_the_section_back(
    moderator, corpus, django_capture_on_commit_callbacks, monkeypatch
):
    draft = corpus[0]
    first = sections_of(draft)[0]

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # Fault injection after the groups and the comments of the section have been written.
    monkeypatch.setattr(synthesis, "_save_state", broken)
    job = run(moderator, draft, django_capture_on_commit_callbacks)
    # Failed while writing the first of two sections: read (5) and computed (40), not written.
    assert job.status == JobStatus.FAILED and job.progress == 40
    assert str(first) in job.message
    assert not TopicGroup.objects.exists()
    assert not Comment.objects.filter(group__isnull=False).exists()
    assert not Comment.objects.filter(is_agreement=True).exists()
    assert not SynthesisState.objects.exists()


def test_one_job_at_a_time_and_only_for_moderators(moderator, role_user, corpus):
    draft = corpus[0]
    with pytest.raises(NotAllowed):
        synthesis.start_job(role_user(Role.DELEGATE), draft)
    with pytest.raises(InvalidInput) as error:
        synthesis.start_job(moderator, draft, seed=-1)
    assert error.value.code == "bad_seed"
    synthesis.start_job(moderator, draft)  # queued: on_commit never runs inside the test
    with pytest.raises(InvalidInput) as error:
        synthesis.start_job(moderator, draft)
    assert error.value.code == "job_running"
    SynthesisJob.objects.update(created_at=timezone.now() - dt.timedelta(days=1))
    synthesis.start_job(moderator, draft)  # the stale one is closed
    assert SynthesisJob.objects.filter(status=JobStatus.FAILED).count() == 1


def test_run_job_leaves_a_job_that_is_not_queued(moderator, corpus):
    job = SynthesisJob.objects.create(draft=corpus[0], created_by=moderator, status="done")
    assert synthesis.run_job(job.pk).status == JobStatus.DONE
    assert not TopicGroup.objects.exists()


def test_a_full_rerun_keeps_a_note_with_its_comments(
    moderator, corpus, django_capture_on_commit_callbacks
):
    draft, _comments, copies, _hidden = corpus
    run(moderator, draft, django_capture_on_commit_callbacks)
    group = visible(copies).first().group
    synthesis.set_group_note(
        moderator, group, label="Giữ công viên Thống Nhất", note="Kiến nghị giữ quy hoạch."
    )
    run(moderator, draft, django_capture_on_commit_callbacks)
    again = visible(copies).first().group
    assert again.pk != group.pk
    assert (again.label, again.note) == ("Giữ công viên Thống Nhất", "Kiến nghị giữ quy hoạch.")


def test_merge_split_and_note(moderator, role_user, corpus, django_capture_on_commit_callbacks):
    draft = corpus[0]
    run(moderator, draft, django_capture_on_commit_callbacks)
    first, second = sections_of(draft)
    a, b = TopicGroup.objects.filter(section=first)[:2]
    other = TopicGroup.objects.filter(section=second).first()
    size = a.comments.count() + b.comments.count()

    with pytest.raises(InvalidInput) as error:
        synthesis.merge_groups(moderator, a, [other])
    assert error.value.code == "other_section"
    with pytest.raises(NotAllowed):
        synthesis.merge_groups(role_user(Role.DELEGATE), a, [b])
    merged = synthesis.merge_groups(moderator, a, [b])
    assert merged.comments.count() == size
    assert not TopicGroup.objects.filter(pk=b.pk).exists()
    assert set(b.terms) <= set(merged.terms) or len(merged.terms) == synthesis.TERMS_MAX

    moving = list(merged.comments.order_by("pk").values_list("pk", flat=True)[:3])
    new = synthesis.split_group(moderator, merged, [*moving, other.representative_id], "Tách ra")
    assert sorted(new.comments.values_list("pk", flat=True)) == moving  # others ignored
    assert (new.section, new.draft, new.label) == (first, draft, "Tách ra")
    assert merged.comments.count() == size - 3
    with pytest.raises(InvalidInput) as error:
        synthesis.split_group(moderator, new, moving)
    assert error.value.code == "split_all"

    synthesis.set_group_note(moderator, new, label="  Nhóm   mới ", note="Tổng hợp: ...")
    new.refresh_from_db()
    assert (new.label, new.note) == ("Nhóm mới", "Tổng hợp: ...")
    with pytest.raises(InvalidInput):
        synthesis.set_group_note(moderator, new, note="x" * (synthesis.NOTE_MAX + 1))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "consultation.groups_merged", "consultation.group_split", "consultation.group_annotated"
    } <= actions  # fmt: skip


def test_counts_over_time_per_day_and_section(db):
    draft = make_draft()
    first, second = sections_of(draft)
    day = timezone.make_aware(dt.datetime(2020, 8, 3, 9, 0))
    make_comment(first, created_at=day)
    make_comment(first, created_at=day + dt.timedelta(hours=2))
    make_comment(second, created_at=day + dt.timedelta(days=1))
    make_comment(second, created_at=day, status=CommentStatus.HIDDEN)
    timeline = synthesis.counts_over_time(draft)
    assert timeline.sections == [first, second]
    assert timeline.rows == [
        (dt.date(2020, 8, 3), [2, 0], 2),
        (dt.date(2020, 8, 4), [0, 1], 1),
    ]
    assert timeline.totals == [2, 1]


def test_a_group_deleted_in_the_admin_comes_back_once(
    moderator, corpus, django_capture_on_commit_callbacks
):
    draft, _comments, copies, _hidden = corpus
    run(moderator, draft, django_capture_on_commit_callbacks)
    group = visible(copies).first().group
    section, before = group.section, TopicGroup.objects.count()
    group.delete()  # the comments stay, without a group (SET_NULL)
    (copy,) = bulk_comments(section, [CAMPAIGN])
    run(moderator, draft, django_capture_on_commit_callbacks, incremental=True)
    copy.refresh_from_db()
    assert copy.group is not None and TopicGroup.objects.count() == before
    (again,) = bulk_comments(section, [CAMPAIGN + " Trân trọng."])
    run(moderator, draft, django_capture_on_commit_callbacks, incremental=True)
    again.refresh_from_db()
    assert again.group == copy.group and TopicGroup.objects.count() == before
