"""Counting the status grid per unit, per source document and per period, in SQL.

The dashboard, the Excel/DOCX reports and the API all read these rows, so their figures agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from daihoi.tasks import status
from daihoi.tasks.models import TaskUnit, UnitRole


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

    def keyed_cells(self) -> list[tuple[str, str, int]]:
        """(status, its label, count) for templates."""
        return [(s, status.LABELS[s], self.counts[s]) for s in status.GRID]


def annotate_status(tasks: QuerySet, today: dt.date) -> QuerySet:
    return tasks.annotate(grid=status.grid_status_expression(today))


@dataclass
class Summary:
    totals: GridRow
    by_unit: list[GridRow]
    by_document: list[GridRow]
    by_month: list[GridRow]


def summarize(tasks: QuerySet, today: dt.date, role: str = UnitRole.LEAD) -> Summary:
    """All four views of the grid from two queries: one row per task and one per lead link."""
    done = status.done_field()
    rows = tasks.order_by().values_list(
        "pk", "deadline_date", done, "document_id", "document__symbol"
    )
    total = GridRow(None, "Tổng số")
    documents: dict[object, GridRow] = {}
    months: dict[object, GridRow] = {}
    grid_of: dict[int, str] = {}
    # Statuses are derived here rather than by the SQL expression: on SQLite its date functions
    # run in Python per row and cost several times more (bench/tasks_dashboard.py).
    tz = timezone.get_current_timezone()
    for pk, due, done_at, document_id, symbol in rows:
        key = grid_of[pk] = status.grid_status(due, done_at, today, tz)
        total.counts[key] += 1
        if document_id not in documents:
            documents[document_id] = GridRow(document_id, symbol or "(không có văn bản)")
        documents[document_id].counts[key] += 1
        month = due.replace(day=1) if due else None
        if month not in months:
            months[month] = GridRow(month, f"{month:%m/%Y}" if month else "Không có thời hạn")
        months[month].counts[key] += 1
    units: dict[int, GridRow] = {}
    seen: set[tuple[int, int]] = set()
    links = TaskUnit.objects.filter(
        task__in=tasks.order_by().values("pk"), role=role, unit__isnull=False
    )
    for task_id, unit_id, name in links.values_list("task_id", "unit_id", "unit__name"):
        if (task_id, unit_id) in seen or task_id not in grid_of:
            continue
        seen.add((task_id, unit_id))
        if unit_id not in units:
            units[unit_id] = GridRow(unit_id, name)
        units[unit_id].counts[grid_of[task_id]] += 1
    return Summary(
        totals=total,
        # Ranked: most overdue first, then the lowest on-time rate.
        by_unit=sorted(units.values(), key=lambda r: (-r.overdue, r.on_time_rate, r.label)),
        by_document=sorted(documents.values(), key=lambda r: r.label),
        by_month=sorted(months.values(), key=lambda r: (r.key is None, r.key or dt.date.min)),
    )


def totals(tasks: QuerySet, today: dt.date) -> GridRow:
    return summarize(tasks, today).totals


def by_unit(tasks: QuerySet, today: dt.date, role: str = UnitRole.LEAD) -> list[GridRow]:
    """One row per lead unit, ranked. A task with two lead units counts for each of them."""
    return summarize(tasks, today, role).by_unit


def by_document(tasks: QuerySet, today: dt.date) -> list[GridRow]:
    return summarize(tasks, today).by_document


def by_month(tasks: QuerySet, today: dt.date) -> list[GridRow]:
    """Tasks grouped by the month their deadline falls in; no-deadline tasks last."""
    return summarize(tasks, today).by_month


__all__ = [
    "GridRow",
    "Summary",
    "annotate_status",
    "by_document",
    "by_month",
    "by_unit",
    "summarize",
    "totals",
]
