"""The dashboard: the status grid per unit (ranked), per source document and per month."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from daihoi.core.models import Unit
from daihoi.core.views.mixins import require_perm
from daihoi.tasks import grid, status
from daihoi.tasks.forms import DashboardFilterForm
from daihoi.tasks.models import Task
from daihoi.tasks.views.tasks import filter_tasks

BAR_WIDTH = 400  # px of the SVG bar chart


def bar_segments(row: grid.GridRow) -> list[dict]:
    """Stacked-bar segments for an SVG chart, drawn by the template without inline styles."""
    total = row.total or 1
    x, segments = 0.0, []
    for key in status.GRID:
        width = BAR_WIDTH * row.counts[key] / total
        if width:
            # SVG numbers as text with a dot: the template would localise floats ("12,5").
            segments.append(
                {"key": key, "x": f"{x:.1f}", "width": f"{width:.1f}", "n": row.counts[key]}
            )
        x += width
    return segments


def _context(request, tasks, today):
    summary = grid.summarize(tasks, today)
    return {
        "today": today,
        "columns": [(key, status.LABELS[key]) for key in status.GRID],
        "total": summary.totals,
        "units": [(row, bar_segments(row)) for row in summary.by_unit],
        "documents": summary.by_document,
        "months": summary.by_month,
        "bar_width": BAR_WIDTH,
        "list_url": reverse("task_list"),
    }


@require_perm("tasks.view_dashboard")
def dashboard(request):
    request.active_nav = "dashboard"
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    tasks = filter_tasks(Task.objects.visible_to(request.user), data)
    context = _context(request, tasks, today)
    context.update(filters=form, query=request.GET.urlencode())
    return render(request, "tasks/dashboard.html", context)


@require_perm("tasks.view_dashboard")
def unit_dashboard(request, unit_pk: int):
    """One unit's own view: its grid and its tasks."""
    request.active_nav = "dashboard"
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_pk)
    if not request.user.has_perm("core.view_unit", unit):
        raise Http404
    today = timezone.localdate()
    tasks = Task.objects.visible_to(request.user).with_unit([unit.pk])
    context = _context(request, tasks, today)
    context.update(
        unit=unit,
        can_remind=request.user.has_perm("tasks.issue_reminder"),
        tasks=grid.annotate_status(tasks, today)
        .select_related("document")
        .order_by("deadline_date", "pk"),
    )
    return render(request, "tasks/unit_dashboard.html", context)
