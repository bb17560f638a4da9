"""Periodic tasks: one report period (occurrence) after another; the task's deadline is the
earliest period not yet reported. Monthly reports fall due on the cut-off day (a setting)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from daihoi.audit.services import record
from daihoi.tasks import status
from daihoi.tasks.models import Occurrence, Periodicity, Task, TaskState


def period_of(periodicity: str, day: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(start, end, due) of the period containing `day`."""
    cutoff = settings.DAIHOI_REPORT_CUTOFF_DAY
    if periodicity == Periodicity.MONTHLY:
        start = day.replace(day=1)
        end = status.month_end(day.year, day.month)
        return start, end, min(day.replace(day=min(cutoff, end.day)), end)
    if periodicity == Periodicity.QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        start = dt.date(day.year, quarter * 3 - 2, 1)
        end = status.quarter_end(day.year, quarter)
        return start, end, end.replace(day=min(cutoff, end.day))
    raise ValueError(periodicity)


def _refresh_deadline(task: Task) -> None:
    first_open = task.occurrences.filter(submitted_at__isnull=True).order_by("due_date").first()
    due = first_open.due_date if first_open else None
    if task.deadline_date != due:
        Task.objects.filter(pk=task.pk).update(deadline_date=due)
        task.deadline_date = due


@transaction.atomic
def open_occurrences(today: dt.date | None = None) -> int:
    """Create the current period of every open periodic task (run daily; idempotent)."""
    today = today or timezone.localdate()
    created = 0
    tasks = Task.objects.filter(
        periodicity__in=[Periodicity.MONTHLY, Periodicity.QUARTERLY]
    ).exclude(state__in=[TaskState.APPROVED, TaskState.CANCELLED])
    for task in tasks.select_for_update():
        start, end, due = period_of(task.periodicity, today)
        _, was_created = Occurrence.objects.get_or_create(
            task=task, period_start=start, defaults={"period_end": end, "due_date": due}
        )
        created += was_created
        _refresh_deadline(task)
    if created:
        record(None, "task.occurrences_opened", data={"count": created, "day": today})
    return created


def close_occurrence(task: Task) -> Occurrence | None:
    """Mark the earliest unreported period as reported now (called inside post_progress)."""
    occurrence = (
        task.occurrences.select_for_update()
        .filter(submitted_at__isnull=True)
        .order_by("due_date")
        .first()
    )
    if occurrence is None:
        return None
    now = timezone.now()
    occurrence.submitted_at = occurrence.approved_at = now
    occurrence.save(update_fields=["submitted_at", "approved_at"])
    _refresh_deadline(task)
    return occurrence
