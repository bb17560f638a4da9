"""Two staff members pressing "start" at the same moment make one job; two workers handed the
same job run it once; two moderators hiding the same comments at once leave one consistent
result. Threaded writers need a real database server: skipped on in-memory SQLite."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from daihoi.audit.models import AuditEntry
from daihoi.consultation.models import Comment, CommentStatus, JobStatus, SynthesisJob
from daihoi.consultation.services import moderation, synthesis
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput
from tests.consultation.factories import bulk_comments, make_draft, sample_texts, sections_of
from tests.factories import make_user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _needs_a_server():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads on in-memory SQLite fail at once (SQLITE_LOCKED) instead of waiting")


def _together(*calls):
    """Run the calls in threads released at the same moment; returns (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # noqa: BLE001 — reported to the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_starts_at_once_make_one_job():
    draft = make_draft()
    first = make_user_with_role(Role.MODERATOR)
    second = make_user_with_role(Role.ORGANISING_STAFF)
    results, errors = _together(
        lambda: synthesis.start_job(first, draft), lambda: synthesis.start_job(second, draft)
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], InvalidInput) and errors[0].code == "job_running"
    assert SynthesisJob.objects.count() == 1


def test_a_job_handed_to_two_workers_runs_once():
    draft = make_draft()
    moderator = make_user_with_role(Role.MODERATOR)
    bulk_comments(sections_of(draft)[0], sample_texts(60, seed=21)[0])
    job = SynthesisJob.objects.create(draft=draft, created_by=moderator)
    results, errors = _together(
        lambda: synthesis.run_job(job.pk), lambda: synthesis.run_job(job.pk)
    )
    assert errors == []
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    assert AuditEntry.objects.filter(action="consultation.synthesis_finished").count() == 1


def test_two_moderators_hiding_the_same_comments_at_once():
    draft = make_draft()
    comments = bulk_comments(sections_of(draft)[0], [f"Ý kiến {n}" for n in range(20)])
    ids = [c.pk for c in comments]
    a = make_user_with_role(Role.MODERATOR)
    b = make_user_with_role(Role.MODERATOR)
    results, errors = _together(
        lambda: moderation.bulk_hide(a, ids, "Lý do A"),
        lambda: moderation.bulk_accept(b, ids),
    )
    assert errors == [] and sorted(results) == [20, 20]  # the rows were locked in turn
    statuses = set(Comment.objects.values_list("status", "hidden_reason"))
    assert statuses in ({(CommentStatus.HIDDEN, "Lý do A")}, {(CommentStatus.ACCEPTED, "")})
