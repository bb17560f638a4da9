"""Báo cáo tình hình thực hiện nhiệm vụ: the figures of one period, computed once.

Every figure comes from daihoi.tasks.grid (the dashboard's own SQL), and every task's status
from the same SQL expression, so the report, the Excel file and the dashboard agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.core.models import Unit
from daihoi.core.services.errors import InvalidInput
from daihoi.tasks import grid, status
from daihoi.tasks.models import ProgressReport, TaskState, TaskUnit, UnitRole
from daihoi.vietnamese import collation_key, format_date

LAST_PROGRESS_CHARS = 500


@dataclass(frozen=True)
class TaskLine:
    """One task as the report shows it."""

    pk: int
    title: str
    document: str
    lead: str
    coordinating: str
    status: str
    deadline: dt.date | None
    deadline_text: str
    percent: int
    state_label: str
    last_progress: str
    last_progress_at: dt.datetime | None
    roles: dict[int, str] = field(default_factory=dict)  # unit id → lead / coordinating

    @property
    def status_label(self) -> str:
        return str(status.LABELS[self.status])

    @property
    def deadline_as_written(self) -> str:
        """The deadline in the words of the source document, else the date."""
        if self.deadline_text:
            return self.deadline_text
        return format_date(self.deadline) if self.deadline else ""


@dataclass
class UnitSection:
    unit_id: int
    name: str
    row: grid.GridRow | None  # None: the unit only coordinates tasks in this period
    tasks: list[TaskLine]


@dataclass
class ReportData:
    date_from: dt.date
    date_to: dt.date
    today: dt.date
    totals: grid.GridRow
    units: list[grid.GridRow]
    documents: list[grid.GridRow]
    months: list[grid.GridRow]
    tasks: list[TaskLine]
    unit_sections: list[UnitSection]
    scope: str = ""  # the filters, in words ("" = every task the reader may see)

    @property
    def overdue(self) -> list[TaskLine]:
        return [line for line in self.tasks if line.status == status.OPEN_OVERDUE]


def period_tasks(tasks: QuerySet, date_from: dt.date, date_to: dt.date) -> QuerySet:
    """Tasks whose deadline falls in [date_from, date_to], and no-deadline tasks created by
    date_to (they are still owed, whatever the period)."""
    return tasks.filter(
        Q(deadline_date__gte=date_from, deadline_date__lte=date_to)
        | Q(deadline_date__isnull=True, created_at__date__lte=date_to)
    )


def task_lines(tasks: QuerySet, today: dt.date) -> list[TaskLine]:
    """The tasks with their grid status, units and last progress report, in three queries of
    plain rows (no model instances: 10,000 tasks in well under a second)."""
    # Statuses in Python: on SQLite the SQL expression's date functions run per row in Python
    # and cost more (bench/tasks_dashboard.py); state labels are translated once, not per row.
    tz = timezone.get_current_timezone()
    done = status.done_field()
    states = {value: str(label) for value, label in TaskState.choices}
    ids = tasks.order_by().values("pk")
    rows = tasks.order_by(F("deadline_date").asc(nulls_last=True), "pk").values_list(
        "pk",
        "title",
        "document__symbol",
        "deadline_date",
        "deadline_text",
        "percent",
        "state",
        done,
    )
    links: dict[int, list[tuple[int | None, str, str]]] = {}
    for task_id, unit_id, role, name, text in (
        TaskUnit.objects.filter(task__in=ids)
        .order_by("pk")
        .values_list("task_id", "unit_id", "role", "unit__name", "text")
    ):
        links.setdefault(task_id, []).append((unit_id, role, name or text))
    last: dict[int, tuple[str, dt.datetime]] = {}
    for task_id, text, created_at in (
        ProgressReport.objects.filter(task__in=ids)
        .order_by("task_id", "-created_at", "-pk")
        .values_list("task_id", "text", "created_at")
    ):
        last.setdefault(task_id, (text, created_at))
    lines = []
    for pk, title, symbol, due, due_text, percent, state, done_at in rows:
        task_links = links.get(pk, [])
        roles: dict[int, str] = {}
        for unit_id, role, _name in task_links:
            if unit_id and roles.get(unit_id) != UnitRole.LEAD:
                roles[unit_id] = role
        last_text, last_at = last.get(pk, ("", None))
        lines.append(
            TaskLine(
                pk=pk,
                title=title,
                document=symbol or "",
                lead="; ".join(n for _u, r, n in task_links if r == UnitRole.LEAD),
                coordinating="; ".join(n for _u, r, n in task_links if r == UnitRole.COORDINATING),
                status=status.grid_status(due, done_at, today, tz),
                deadline=due,
                deadline_text=due_text,
                percent=percent,
                state_label=states.get(state, state),
                last_progress=(last_text or "")[:LAST_PROGRESS_CHARS],
                last_progress_at=last_at,
                roles=roles,
            )
        )
    return lines


def build_report(
    tasks: QuerySet,
    date_from: dt.date,
    date_to: dt.date,
    today: dt.date,
    *,
    document=None,
    unit: Unit | None = None,
    only_units: Collection[int] | None = None,
) -> ReportData:
    """The report of [date_from, date_to] as of `today`.

    `tasks` is what the reader may see (Task.objects.visible_to(user)); `document` and `unit`
    narrow it; `only_units` limits the unit rows and sheets (a liaison sees only their units,
    not the other lead units of a shared task).
    """
    if date_from > date_to:
        raise InvalidInput(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), code="period")
    tasks = period_tasks(tasks, date_from, date_to)
    scope = []
    if document is not None:
        tasks = tasks.filter(document=document)
        scope.append(_("Văn bản %(symbol)s") % {"symbol": document.symbol})
    if unit is not None:
        tasks = tasks.with_unit([unit.pk])
        only_units = {unit.pk} if only_units is None else set(only_units) & {unit.pk}
        scope.append(unit.name)
    keep = (lambda unit_id: True) if only_units is None else set(only_units).__contains__
    summary = grid.summarize(tasks, today)
    units = [row for row in summary.by_unit if keep(row.key)]
    lines = task_lines(tasks, today)
    return ReportData(
        date_from=date_from,
        date_to=date_to,
        today=today,
        totals=summary.totals,
        units=units,
        documents=summary.by_document,
        months=summary.by_month,
        tasks=lines,
        unit_sections=_sections(units, lines, keep),
        scope="; ".join(scope),
    )


def _sections(units: list[grid.GridRow], lines: list[TaskLine], keep) -> list[UnitSection]:
    """One section per unit: ranked lead units first, then units that only coordinate."""
    ids = {unit_id for line in lines for unit_id in line.roles if keep(unit_id)}
    names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    ranked = [row.key for row in units]
    others = sorted(ids - set(ranked), key=lambda pk: collation_key(names[pk]))
    rows = {row.key: row for row in units}
    by_unit: dict[int, list[TaskLine]] = {}
    for line in lines:
        for unit_id in line.roles:
            by_unit.setdefault(unit_id, []).append(line)
    return [
        UnitSection(unit_id=pk, name=names[pk], row=rows.get(pk), tasks=by_unit.get(pk, []))
        for pk in ranked + others
        if pk in names
    ]
