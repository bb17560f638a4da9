"""Counting the status grid per unit, per source document and per period, in SQL.

The dashboard, the Excel/DOCX reports and the API all read these rows, so their figures agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from daihoi.tasks import status
from daihoi.tasks.models import Task, TaskUnit, UnitRole


@dataclass
class GridRow:
    key: object  # unit id, document id, month (date) or None
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(status.GRID, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return (
            self.counts[status.DONE_ON_TIME]
            + self.counts[status.DONE_LATE]
            + self.counts[status.NO_DEADLINE_DONE]
        )

    @property
    def overdue(self) -> int:
        return self.counts[status.OPEN_OVERDUE]

    @property
    def on_time_rate(self) -> float:
        with_deadline = (
            self.total - self.counts[status.NO_DEADLINE] - self.counts[status.NO_DEADLINE_DONE]
        )
        return self.counts[status.DONE_ON_TIME] / with_deadline if with_deadline else 0.0

    def cells(self) -> list[int]:
        return [self.counts[s] for s in status.GRID]


def annotate_status(tasks: QuerySet, today: dt.date) -> QuerySet:
    return tasks.annotate(grid=status.grid_status_expression(today))


def totals(tasks: QuerySet, today: dt.date) -> GridRow:
    row = GridRow(None, "Tổng số")
    for item in annotate_status(tasks, today).values("grid").annotate(n=Count("pk")).order_by():
        row.counts[item["grid"]] = item["n"]
    return row


def by_unit(tasks: QuerySet, today: dt.date, role: str = UnitRole.LEAD) -> list[GridRow]:
    """One row per lead unit, ranked: most overdue first, then the lowest on-time rate.

    A task with two lead units counts once for each of them (both answer for it).
    """
    links = TaskUnit.objects.filter(task__in=tasks, role=role, unit__isnull=False)
    counted = (
        links.annotate(grid=status.grid_status_expression(today, prefix="task__"))
        .values("unit_id", "unit__name", "grid")
        .annotate(n=Count("task_id", distinct=True))
        .order_by()
    )
    rows: dict[int, GridRow] = {}
    for item in counted:
        row = rows.setdefault(item["unit_id"], GridRow(item["unit_id"], item["unit__name"]))
        row.counts[item["grid"]] += item["n"]
    return sorted(rows.values(), key=lambda r: (-r.overdue, r.on_time_rate, r.label))


def by_document(tasks: QuerySet, today: dt.date) -> list[GridRow]:
    counted = (
        annotate_status(tasks, today)
        .values("document_id", "document__symbol", "grid")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows: dict[object, GridRow] = {}
    for item in counted:
        label = item["document__symbol"] or "(không có văn bản)"
        row = rows.setdefault(item["document_id"], GridRow(item["document_id"], label))
        row.counts[item["grid"]] += item["n"]
    return sorted(rows.values(), key=lambda r: r.label)


def by_month(tasks: QuerySet, today: dt.date) -> list[GridRow]:
    """Tasks grouped by the month their deadline falls in; no-deadline tasks last."""
    counted = (
        annotate_status(tasks, today)
        .annotate(month=TruncMonth("deadline_date"))
        .values("month", "grid")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows: dict[object, GridRow] = {}
    for item in counted:
        month = item["month"]
        label = f"{month:%m/%Y}" if month else "Không có thời hạn"
        row = rows.setdefault(month, GridRow(month, label))
        row.counts[item["grid"]] += item["n"]
    return sorted(rows.values(), key=lambda r: (r.key is None, r.key or dt.date.min))


__all__ = ["GridRow", "Task", "annotate_status", "by_document", "by_month", "by_unit", "totals"]
