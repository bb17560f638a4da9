"""Report pages (thin): the period form with a preview, three downloads, and the written
reminder (công văn đôn đốc) of one unit: its page, the draft DOCX and the one-click issue.

A liaison's report covers only their unit's tasks (Task.objects.visible_to) and only their
unit's rows. A bad period answers 200 on the form page and 400 on a download, never 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.core.models import Congress, Unit
from daihoi.core.rules import sees_all_units
from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import require_perm
from daihoi.tasks import status
from daihoi.tasks.models import Task
from daihoi.tasks.reports.data import ReportData, build_report
from daihoi.tasks.reports.excel import report_xlsx, tasks_csv
from daihoi.tasks.reports.forms import ReportForm
from daihoi.tasks.reports.letters import (
    draft_written_reminder,
    issue_written_reminder,
    overdue_tasks,
)
from daihoi.tasks.reports.word import report_docx
from daihoi.vietnamese import format_percent

TEMPLATE = "tasks/reports/report.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv; charset=utf-8"


def _report(request: HttpRequest, form: ReportForm) -> ReportData:
    user = request.user
    data = form.cleaned_data
    return build_report(
        Task.objects.visible_to(user),
        data["date_from"],
        data["date_to"],
        timezone.localdate(),
        document=data.get("document"),
        unit=data.get("unit"),
        only_units=None if sees_all_units(user) else user.liaison_unit_ids,
    )


def _rate(part: int, whole: int) -> str:
    return format_percent(part, whole) if whole else "–"


@require_perm("tasks.view_dashboard")
def report_page(request: HttpRequest) -> HttpResponse:
    request.active_nav = "dashboard"
    form = ReportForm(request.user, request.GET or None)
    context: dict = {"form": form}
    if form.is_bound and form.is_valid():
        data = _report(request, form)
        context.update(
            data=data,
            rows=[(row, _rate(row.done, row.total)) for row in data.units],
            total_rate=_rate(data.totals.done, data.totals.total),
            labels=[status.LABELS[key] for key in status.GRID],
            query=request.GET.urlencode(),
        )
    return render(request, TEMPLATE, context)


def filename(data: ReportData, ext: str, stem: str = "bao-cao-nhiem-vu") -> str:
    """bao-cao-nhiem-vu-01-07-2020-31-07-2020.xlsx (ASCII, so every browser keeps it)."""
    return f"{stem}-{data.date_from:%d-%m-%Y}-{data.date_to:%d-%m-%Y}.{ext}"


def _download(request: HttpRequest, build, content_type: str, ext: str, stem: str):
    form = ReportForm(request.user, request.GET)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    data = _report(request, form)
    return HttpResponse(
        build(data),
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename(data, ext, stem)}"'},
    )


@require_perm("tasks.view_dashboard")
def report_xlsx_download(request: HttpRequest) -> HttpResponse:
    return _download(request, report_xlsx, XLSX, "xlsx", "bao-cao-nhiem-vu")


@require_perm("tasks.view_dashboard")
def report_docx_download(request: HttpRequest) -> HttpResponse:
    congress = Congress.objects.filter(is_current=True).first()
    return _download(
        request, lambda data: report_docx(data, congress), DOCX, "docx", "bao-cao-nhiem-vu"
    )


@require_perm("tasks.view_dashboard")
def report_csv_download(request: HttpRequest) -> HttpResponse:
    return _download(request, lambda data: tasks_csv(data.tasks), CSV, "csv", "danh-sach-nhiem-vu")


# --- Written reminder (công văn đôn đốc): a page, a draft download, the one-click issue ---

REMINDER_TEMPLATE = "tasks/reports/reminder.html"


def _task_ids(values: list[str]) -> list[int] | None:
    ids = [int(v) for v in values if v.isdigit()]
    return ids or None


@require_perm("tasks.issue_reminder")
def reminder_page(request: HttpRequest, unit_pk: int) -> HttpResponse:
    request.active_nav = "dashboard"
    unit = get_object_or_404(Unit, pk=unit_pk)
    today = timezone.localdate()
    try:
        tasks = overdue_tasks(unit, today)
    except ServiceError:
        tasks = []
    return render(request, REMINDER_TEMPLATE, {"unit": unit, "tasks": tasks, "today": today})


@require_perm("tasks.issue_reminder")
def reminder_draft(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    today = timezone.localdate()
    try:
        content = draft_written_reminder(
            request.user, unit, _task_ids(request.GET.getlist("task")), today
        )
    except ServiceError as exc:
        context = {"unit": unit, "tasks": [], "today": today, "error": exc.message}
        return render(request, REMINDER_TEMPLATE, context, status=400)
    name = f"du-thao-cong-van-don-doc-{unit.pk}-{today:%d-%m-%Y}.docx"
    return HttpResponse(
        content,
        content_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@require_POST
@require_perm("tasks.issue_reminder")
def reminder_issue(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    try:
        document = issue_written_reminder(
            request.user, unit, _task_ids(request.POST.getlist("task")), timezone.localdate()
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã vào sổ Công văn số %(symbol)s và báo cho đầu mối của %(unit)s.")
            % {"symbol": document.symbol, "unit": unit.name},
        )
    return redirect("task_reminder", unit_pk=unit.pk)
