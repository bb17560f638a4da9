"""Turning extracted proposals into tasks: staff accept, edit or drop each one; the accepted
ones become tasks of the document in one transaction (all or nothing)."""

from __future__ import annotations

from django.db import transaction

from daihoi.audit.services import record
from daihoi.core.services.errors import InvalidInput
from daihoi.tasks.models import Task
from daihoi.tasks.services.create import TaskSpec, create_task


@transaction.atomic
def accept_proposals(
    actor, document, specs: list[TaskSpec], *, historical: bool = False
) -> list[Task]:
    if not specs:
        raise InvalidInput("Chưa chọn đề xuất nào để giao.", code="nothing_accepted")
    tasks = []
    for number, spec in enumerate(specs, start=1):
        try:
            tasks.append(
                create_task(actor, spec, document=document, allow_past_deadline=historical)
            )
        except InvalidInput as exc:
            # Name the proposal, so the person knows which one to fix; nothing was saved.
            raise InvalidInput(f"Đề xuất số {number}: {exc.message}", code=exc.code) from None
    record(
        actor,
        "task.proposals_accepted",
        document,
        {"count": len(tasks), "tasks": [t.pk for t in tasks]},
    )
    return tasks
