"""Creating tasks from a document, and splitting a generic group into one task per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from daihoi.audit.services import record
from daihoi.core.models import Unit
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.core.services.units import UnitDirectory
from daihoi.tasks import status
from daihoi.tasks.models import ApprovalStep, DeadlineKind, Task, TaskUnit, UnitRole
from daihoi.vietnamese import nfc

UnitRef = Unit | str


@dataclass
class TaskSpec:
    """What a person (or the extraction) proposes; `create_task` validates and stores it."""

    title: str
    lead_units: list[UnitRef]
    coordinating_units: list[UnitRef] = field(default_factory=list)
    source_text: str = ""
    deliverable: str = ""
    deadline_kind: str = DeadlineKind.NONE
    deadline_date: dt.date | None = None
    deadline_text: str = ""
    periodicity: str = ""
    approval_chain: list[UnitRef] = field(default_factory=list)


def normalise_deadline(kind: str, day: dt.date | None) -> dt.date | None:
    """Month, quarter and year deadlines fall due on the period's last day."""
    if kind not in DeadlineKind.values:
        raise InvalidInput(f"Loại thời hạn «{kind}» không hợp lệ.", code="deadline_kind")
    if kind in {DeadlineKind.NONE, DeadlineKind.PERIODIC}:
        return None if kind == DeadlineKind.NONE else day
    if day is None:
        if kind == DeadlineKind.EVENT:
            return None
        raise InvalidInput(
            "Thời hạn loại này cần có ngày, tháng, quý hoặc năm.", code="deadline_date"
        )
    if kind == DeadlineKind.MONTH:
        return status.month_end(day.year, day.month)
    if kind == DeadlineKind.QUARTER:
        return status.quarter_end(day.year, (day.month - 1) // 3 + 1)
    if kind == DeadlineKind.YEAR:
        return status.year_end(day.year)
    return day


def _unit_link(directory: UnitDirectory, task: Task, ref: UnitRef, role: str) -> TaskUnit:
    """A unit named as written is linked to the directory when known, else kept as text."""
    if isinstance(ref, Unit):
        return TaskUnit(task=task, unit=ref, role=role)
    text = nfc(str(ref)).strip()
    unit = directory.find(text)
    return TaskUnit(task=task, unit=unit, text="" if unit else text, role=role)


def _body(directory: UnitDirectory, ref: UnitRef) -> tuple[Unit | None, str]:
    if isinstance(ref, Unit):
        return ref, ref.name
    text = nfc(str(ref)).strip()
    return directory.find(text), text


@transaction.atomic
def create_task(
    actor,
    spec: TaskSpec,
    *,
    document=None,
    parent: Task | None = None,
    congress=None,
    allow_past_deadline: bool = False,
) -> Task:
    from daihoi.tasks.rules import can_manage_tasks

    if actor is not None and not can_manage_tasks(actor):
        raise NotAllowed("Đồng chí không có quyền giao nhiệm vụ.")
    title = nfc(spec.title).strip()
    if not title:
        raise InvalidInput("Nhiệm vụ phải có tên.", code="title_required")
    if not [u for u in spec.lead_units if str(u).strip()]:
        raise InvalidInput("Nhiệm vụ phải có ít nhất một đơn vị chủ trì.", code="lead_required")
    due = normalise_deadline(spec.deadline_kind, spec.deadline_date)
    if due and due < timezone.localdate() and not allow_past_deadline:
        raise InvalidInput(
            f"Thời hạn {due:%d/%m/%Y} đã qua. Nếu đây là nhiệm vụ cũ nhập lại để theo dõi, "
            "hãy đánh dấu «nhập nhiệm vụ đã giao trước đây».",
            code="past_deadline",
        )
    task = Task.objects.create(
        title=title[:300],
        source_text=nfc(spec.source_text),
        deliverable=nfc(spec.deliverable)[:300],
        deadline_kind=spec.deadline_kind,
        deadline_date=due,
        deadline_text=nfc(spec.deadline_text)[:200],
        periodicity=spec.periodicity,
        document=document,
        parent=parent,
        congress=congress or (document.congress if document else None),
        created_by=actor,
    )
    directory = UnitDirectory()
    links = [
        _unit_link(directory, task, ref, UnitRole.LEAD)
        for ref in spec.lead_units
        if str(ref).strip()
    ]
    links += [
        _unit_link(directory, task, ref, UnitRole.COORDINATING)
        for ref in spec.coordinating_units
        if str(ref).strip()
    ]
    TaskUnit.objects.bulk_create(links)
    steps = []
    for order, ref in enumerate(spec.approval_chain, start=1):
        body, text = _body(directory, ref)
        steps.append(ApprovalStep(task=task, order=order, body=body, body_text=text))
    ApprovalStep.objects.bulk_create(steps)
    record(
        actor,
        "task.created",
        task,
        {
            "title": task.title,
            "document": document.symbol if document else None,
            "lead": [str(link) for link in links if link.role == UnitRole.LEAD],
            "coordinating": [str(link) for link in links if link.role == UnitRole.COORDINATING],
            "deadline": {"kind": task.deadline_kind, "date": due, "text": task.deadline_text},
            "approval_chain": [s.body_text for s in steps],
        },
    )
    return task


@transaction.atomic
def split_task(actor, task: Task, units: list[Unit]) -> list[Task]:
    """A task given to a generic group ("các sở, ngành thành phố") → one child task per unit."""
    if not units:
        raise InvalidInput("Hãy chọn ít nhất một đơn vị.", code="units_required")
    chain = list(task.approval_steps.order_by("order"))
    children = []
    for unit in units:
        spec = TaskSpec(
            title=task.title,
            lead_units=[unit],
            source_text=task.source_text,
            deliverable=task.deliverable,
            deadline_kind=task.deadline_kind,
            deadline_date=task.deadline_date,
            deadline_text=task.deadline_text,
            periodicity=task.periodicity,
            approval_chain=[s.body or s.body_text for s in chain],
        )
        children.append(
            create_task(
                actor,
                spec,
                document=task.document,
                parent=task,
                congress=task.congress,
                allow_past_deadline=True,
            )
        )
    record(actor, "task.split", task, {"children": [c.pk for c in children]})
    return children


EDITABLE_FIELDS = ("title", "source_text", "deliverable", "deadline_kind", "deadline_date",
                   "deadline_text", "periodicity")  # fmt: skip


@transaction.atomic
def update_task(actor, task: Task, changes: dict, *, allow_past_deadline: bool = False) -> Task:
    """Change a task's words or deadline; the audit entry carries the field diff [old, new]."""
    from daihoi.tasks.rules import can_manage_tasks

    if not can_manage_tasks(actor):
        raise NotAllowed("Đồng chí không có quyền sửa nhiệm vụ.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput("Không sửa được các trường: " + ", ".join(sorted(unknown)) + ".")
    task = Task.objects.select_for_update().get(pk=task.pk)
    values = {
        name: nfc(value).strip() if isinstance(value, str) else value
        for name, value in changes.items()
    }
    kind = values.get("deadline_kind", task.deadline_kind)
    if "deadline_kind" in values or "deadline_date" in values:
        due = normalise_deadline(kind, values.get("deadline_date", task.deadline_date))
        if (
            due
            and due != task.deadline_date
            and due < timezone.localdate()
            and not allow_past_deadline
        ):
            raise InvalidInput(f"Thời hạn {due:%d/%m/%Y} đã qua.", code="past_deadline")
        values["deadline_date"] = due
    if "title" in values and not values["title"]:
        raise InvalidInput("Nhiệm vụ phải có tên.", code="title_required")
    diff = {}
    for name, value in values.items():
        old = getattr(task, name)
        if old != value:
            diff[name] = [old, value]
            setattr(task, name, value)
    if diff:
        task.save(update_fields=list(diff))
        record(actor, "task.updated", task, {"changes": diff})
    return task
