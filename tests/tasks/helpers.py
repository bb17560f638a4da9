from __future__ import annotations

import datetime as dt

from daihoi.tasks.services.create import TaskSpec, create_task


def make_task(
    lead, *, kind="date", due=None, chain=(), coordinating=(), title="Nhiệm vụ thử", **extra
):
    spec = TaskSpec(
        title=title,
        lead_units=[lead],
        coordinating_units=list(coordinating),
        deadline_kind=kind,
        deadline_date=due,
        approval_chain=list(chain),
        **extra,
    )
    return create_task(None, spec, allow_past_deadline=True)


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))
