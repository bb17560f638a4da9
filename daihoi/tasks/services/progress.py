"""Progress reports, product submission, and the approval chain (domain.md §3).

State machine of a task's deliverable:
    open --submit--> submitted --approve (last step)--> approved
                      submitted --approve (not last)--> submitted (next step pending)
                      submitted --return--> returned --submit--> submitted
A task with no approval chain is approved on submission.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from daihoi.audit.services import record
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.core.uploads import REPORT_KINDS, check_upload, removed_on_error
from daihoi.tasks.models import (
    ApprovalStep,
    ProgressFile,
    ProgressReport,
    StepState,
    Task,
    TaskState,
    UnitRole,
)
from daihoi.vietnamese import nfc

MAX_REPORT_LENGTH = 10_000


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


def _reporting_unit(actor, task: Task):
    ids = actor.liaison_unit_ids if actor.is_authenticated else frozenset()
    for link in task.task_units.all():
        if link.unit_id in ids and link.role == UnitRole.LEAD:
            return link.unit
    for link in task.task_units.all():
        if link.unit_id in ids:
            return link.unit
    return None


@transaction.atomic
def post_progress(actor, task: Task, text: str, percent: int, files=()) -> ProgressReport:
    if not actor.has_perm("tasks.report_progress", task):
        raise NotAllowed("Đồng chí không có quyền báo cáo tiến độ nhiệm vụ này.")
    text = nfc(text or "").strip()
    if not text:
        raise InvalidInput("Hãy nhập nội dung báo cáo tiến độ.", code="text_required")
    if len(text) > MAX_REPORT_LENGTH:
        raise InvalidInput(
            f"Báo cáo dài quá {MAX_REPORT_LENGTH} ký tự; hãy đính kèm tệp.", code="too_long"
        )
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise InvalidInput("Tiến độ phải là số nguyên từ 0 đến 100.", code="percent")
    files = list(files)
    checked = [check_upload(f, REPORT_KINDS) for f in files]  # all checked before any write
    task = _lock(task)
    if task.state in {TaskState.APPROVED, TaskState.CANCELLED}:
        raise InvalidInput("Nhiệm vụ đã kết thúc; không nhận thêm báo cáo tiến độ.", code="closed")
    report = ProgressReport.objects.create(
        task=task, unit=_reporting_unit(actor, task), author=actor, text=text, percent=percent
    )
    for uploaded, item in zip(files, checked, strict=True):
        stored = ProgressFile(
            report=report,
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
        )
        stored.file.save(item.name, uploaded, save=False)
        with removed_on_error(stored.file.storage, stored.file.name):
            stored.save()
    old_percent = task.percent
    task.percent = percent
    task.save(update_fields=["percent"])
    _close_current_occurrence(task)
    record(
        actor,
        "task.progress",
        task,
        {
            "percent": [old_percent, percent],
            "files": [c.name for c in checked],
            "report": report.pk,
        },
    )
    return report


def _close_current_occurrence(task: Task) -> None:
    """For periodic tasks, a report closes the earliest open report period."""
    if not task.periodicity:
        return
    from daihoi.tasks.services.periodic import close_occurrence

    close_occurrence(task)


@transaction.atomic
def submit_product(actor, task: Task, note: str = "") -> Task:
    if not actor.has_perm("tasks.submit_product", task):
        raise NotAllowed("Chỉ đơn vị chủ trì được trình sản phẩm của nhiệm vụ này.")
    task = _lock(task)
    if task.state not in {TaskState.OPEN, TaskState.RETURNED}:
        raise InvalidInput(
            f"Nhiệm vụ đang ở trạng thái «{task.get_state_display()}», không trình được.",
            code="bad_state",
        )
    now = timezone.now()
    steps = list(task.approval_steps.order_by("order"))
    ApprovalStep.objects.filter(task=task).update(
        state=StepState.WAITING, decided_by=None, decided_at=None, comment=""
    )
    task.submitted_at = now
    if steps:
        ApprovalStep.objects.filter(pk=steps[0].pk).update(state=StepState.PENDING)
        task.state = TaskState.SUBMITTED
    else:
        task.state = TaskState.APPROVED
        task.approved_at = now
        task.percent = 100
    task.save(update_fields=["state", "submitted_at", "approved_at", "percent"])
    record(actor, "task.submitted", task, {"note": nfc(note)[:2000], "state": task.state})
    return task


def _pending_step(task: Task, step: ApprovalStep) -> ApprovalStep:
    step = ApprovalStep.objects.select_for_update().get(pk=step.pk, task=task)
    if step.state != StepState.PENDING or task.state != TaskState.SUBMITTED:
        raise InvalidInput("Bước này không ở trạng thái chờ duyệt.", code="not_pending")
    return step


@transaction.atomic
def approve_step(actor, task: Task, step: ApprovalStep, comment: str = "") -> Task:
    if not actor.has_perm("tasks.approve", task):
        raise NotAllowed("Đồng chí không có quyền phê duyệt.")
    task = _lock(task)
    step = _pending_step(task, step)
    now = timezone.now()
    step.state, step.decided_by, step.decided_at = StepState.APPROVED, actor, now
    step.comment = nfc(comment).strip()
    step.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    following = task.approval_steps.filter(order__gt=step.order).order_by("order").first()
    if following:
        ApprovalStep.objects.filter(pk=following.pk).update(state=StepState.PENDING)
    else:
        task.state, task.approved_at, task.percent = TaskState.APPROVED, now, 100
        task.save(update_fields=["state", "approved_at", "percent"])
    record(
        actor,
        "task.step_approved",
        task,
        {
            "step": step.order,
            "body": step.body_text,
            "comment": step.comment,
            "final": not following,
        },
    )
    return task


@transaction.atomic
def return_step(actor, task: Task, step: ApprovalStep, comment: str) -> Task:
    if not actor.has_perm("tasks.approve", task):
        raise NotAllowed("Đồng chí không có quyền phê duyệt.")
    comment = nfc(comment or "").strip()
    if not comment:
        raise InvalidInput("Trả lại sản phẩm phải kèm ý kiến.", code="comment_required")
    task = _lock(task)
    step = _pending_step(task, step)
    step.state, step.decided_by, step.decided_at = StepState.RETURNED, actor, timezone.now()
    step.comment = comment
    step.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    # A returned product is not done, whichever date counts as "done".
    task.state, task.submitted_at = TaskState.RETURNED, None
    task.save(update_fields=["state", "submitted_at"])
    record(
        actor,
        "task.step_returned",
        task,
        {"step": step.order, "body": step.body_text, "comment": comment},
    )
    return task
