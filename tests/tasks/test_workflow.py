"""Progress, submission and the approval state machine, with the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.tasks.models import StepState, TaskState
from daihoi.tasks.services.create import TaskSpec, create_task
from daihoi.tasks.services.progress import approve_step, post_progress, return_step, submit_product
from tests.tasks.helpers import make_task

pytestmark = pytest.mark.django_db

CHAIN = ["Tiểu ban", "Thường trực Thành ủy", "Ban Thường vụ Thành ủy"]


@pytest.fixture
def people(role_user, unit):
    return {
        "liaison": role_user(Role.UNIT_LIAISON, unit=unit),
        "standing": role_user(Role.SUBCOMMITTEE_STANDING),
        "member": role_user(Role.SUBCOMMITTEE_MEMBER),
    }


def test_full_chain_approval(people, unit):
    task = make_task(unit, due=dt.date(2030, 8, 30), chain=CHAIN)
    post_progress(people["liaison"], task, "Đã dựng xong phần 1", 40)
    task = submit_product(people["liaison"], task, "Kính trình")
    assert task.state == TaskState.SUBMITTED and task.submitted_at and not task.approved_at
    for i in range(3):
        step = task.approval_steps.get(order=i + 1)
        assert step.state == StepState.PENDING
        task = approve_step(people["standing"], task, step, "Đồng ý")
    assert task.state == TaskState.APPROVED and task.approved_at and task.percent == 100
    actions = list(
        AuditEntry.objects.filter(target_id=str(task.pk)).values_list("action", flat=True)
    )
    assert actions == [
        "task.created",
        "task.progress",
        "task.submitted",
        "task.step_approved",
        "task.step_approved",
        "task.step_approved",
    ]
    assert AuditEntry.objects.filter(action="task.progress").latest("seq").payload["percent"] == [
        0,
        40,
    ]


def test_return_needs_a_comment_and_resets_the_chain(people, unit):
    task = make_task(unit, due=dt.date(2030, 8, 30), chain=CHAIN)
    task = submit_product(people["liaison"], task)
    step1 = task.approval_steps.get(order=1)
    task = approve_step(people["standing"], task, step1)
    step2 = task.approval_steps.get(order=2)
    with pytest.raises(InvalidInput):
        return_step(people["standing"], task, step2, "  ")
    task = return_step(people["standing"], task, step2, "Bổ sung số liệu")
    assert task.state == TaskState.RETURNED and task.submitted_at is None
    with pytest.raises(InvalidInput):
        approve_step(people["standing"], task, step2)  # no longer pending
    task = submit_product(people["liaison"], task)
    assert list(task.approval_steps.values_list("state", flat=True)) == [
        "pending",
        "waiting",
        "waiting",
    ]


def test_no_chain_means_approved_on_submission(people, unit):
    task = submit_product(people["liaison"], make_task(unit, due=dt.date(2030, 1, 1)))
    assert task.state == TaskState.APPROVED and task.approved_at == task.submitted_at


def test_permissions_of_the_workflow(people, unit, other_unit, role_user):
    task = make_task(unit, due=dt.date(2030, 8, 30), chain=CHAIN)
    stranger = role_user(Role.UNIT_LIAISON, unit=other_unit)
    with pytest.raises(NotAllowed):
        post_progress(stranger, task, "x", 10)
    with pytest.raises(NotAllowed):
        submit_product(stranger, task)
    with pytest.raises(NotAllowed):
        post_progress(people["member"], task, "x", 10)  # members read only
    task = submit_product(people["liaison"], task)
    with pytest.raises(NotAllowed):
        approve_step(people["liaison"], task, task.approval_steps.get(order=1))


def test_coordinating_unit_reports_but_cannot_submit(role_user, unit, other_unit):
    task = make_task(unit, due=dt.date(2030, 8, 30), coordinating=[other_unit])
    helper = role_user(Role.UNIT_LIAISON, unit=other_unit)
    post_progress(helper, task, "Đã phối hợp cung cấp số liệu", 20)
    with pytest.raises(NotAllowed):
        submit_product(helper, task)


def test_bad_progress_is_refused_and_nothing_saved(people, unit):
    task = make_task(unit, due=dt.date(2030, 8, 30))
    for text, percent in [("", 10), ("ok", 101), ("ok", -1)]:
        with pytest.raises(InvalidInput):
            post_progress(people["liaison"], task, text, percent)
    assert not task.reports.exists()


def test_creation_refuses_missing_lead_and_past_deadline(role_user):
    staff = role_user(Role.ORGANISING_STAFF)
    with pytest.raises(InvalidInput, match="chủ trì"):
        create_task(staff, TaskSpec(title="X", lead_units=[]))
    with pytest.raises(InvalidInput, match="đã qua"):
        create_task(
            staff,
            TaskSpec(
                title="X",
                lead_units=["Ban Tuyên giáo Thành ủy"],
                deadline_kind="date",
                deadline_date=dt.date(2020, 1, 1),
            ),
        )
    task = create_task(
        staff,
        TaskSpec(
            title="X",
            lead_units=["các sở, ngành thành phố"],
            deadline_kind="date",
            deadline_date=dt.date(2020, 1, 1),
        ),
        allow_past_deadline=True,
    )
    link = task.task_units.get()
    assert link.unit is None and link.text == "các sở, ngành thành phố"
    with pytest.raises(NotAllowed):
        create_task(role_user(Role.DELEGATE), TaskSpec(title="X", lead_units=["A"]))


def test_split_generic_group(role_user, unit, other_unit):
    from daihoi.tasks.services.create import split_task

    staff = role_user(Role.ORGANISING_STAFF)
    task = create_task(
        staff,
        TaskSpec(
            title="Rà soát", lead_units=["các sở, ngành thành phố"], approval_chain=["Tiểu ban"]
        ),
    )
    children = split_task(staff, task, [unit, other_unit])
    assert [c.task_units.get().unit for c in children] == [unit, other_unit]
    assert all(c.parent == task and c.approval_steps.count() == 1 for c in children)


def test_update_records_a_field_diff(role_user, unit):
    from daihoi.tasks.services.create import update_task

    staff = role_user(Role.ORGANISING_STAFF)
    task = make_task(unit, kind="date", due=dt.date(2030, 8, 30))
    update_task(staff, task, {"deadline_kind": "month", "deadline_date": dt.date(2030, 9, 3)})
    task.refresh_from_db()
    assert task.deadline_date == dt.date(2030, 9, 30)
    entry = AuditEntry.objects.filter(action="task.updated").latest("seq")
    assert entry.payload["changes"] == {
        "deadline_kind": ["date", "month"],
        "deadline_date": ["2030-08-30", "2030-09-30"],
    }
    with pytest.raises(NotAllowed):
        update_task(role_user(Role.UNIT_LIAISON, unit=unit), task, {"title": "Khác"})
    with pytest.raises(InvalidInput):
        update_task(staff, task, {"state": "approved"})
