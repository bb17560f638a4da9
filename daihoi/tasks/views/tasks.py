"""Task list, detail, creation, progress, submission and approval pages (thin: services decide)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from daihoi.core.services.errors import ServiceError
from daihoi.core.views.actions import run_service
from daihoi.core.views.mixins import PagePermissionMixin, require_perm
from daihoi.tasks import grid, status
from daihoi.tasks.forms import (
    DecisionForm,
    ProgressForm,
    SplitForm,
    TaskEditForm,
    TaskFilterForm,
    TaskForm,
    split_names,
)
from daihoi.tasks.models import ApprovalStep, ProgressFile, Task, TaskUnit
from daihoi.tasks.services import progress as progress_services
from daihoi.tasks.services.create import (
    EDITABLE_FIELDS,
    TaskSpec,
    create_task,
    split_task,
    update_task,
)


def scoped_tasks(user):
    return Task.objects.visible_to(user).prefetch_related(
        Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit"))
    )


def filter_tasks(queryset, data: dict):
    if data.get("unit"):
        queryset = queryset.with_unit([data["unit"]], role="lead")
    if data.get("document"):
        queryset = queryset.filter(document_id=data["document"])
    if data.get("date_from"):
        queryset = queryset.filter(deadline_date__gte=data["date_from"])
    if data.get("date_to"):
        queryset = queryset.filter(deadline_date__lte=data["date_to"])
    if data.get("q"):
        queryset = queryset.filter(title__icontains=data["q"])
    return queryset


class TaskListView(PagePermissionMixin, ListView):
    permission = "tasks.view_dashboard"
    template_name = "tasks/task_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.request.active_nav = "tasks"
        self.today = timezone.localdate()
        self.filters = TaskFilterForm(self.request.GET or None)
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        queryset = grid.annotate_status(
            filter_tasks(scoped_tasks(self.request.user), data), self.today
        )
        if data.get("grid"):
            queryset = queryset.filter(grid=data["grid"])
        return queryset.select_related("document").order_by("deadline_date", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filters=self.filters,
            today=self.today,
            can_add=self.request.user.has_perm("tasks.add_task"),
            query=self.request.GET.urlencode(),
        )
        return context


def _task_or_404(request, pk: int) -> Task:
    task = get_object_or_404(scoped_tasks(request.user).select_related("document"), pk=pk)
    if not request.user.has_perm("tasks.view_task", task):
        raise Http404
    return task


@require_perm("tasks.view_dashboard")
def task_detail(request, pk: int):
    request.active_nav = "tasks"
    task = _task_or_404(request, pk)
    today = timezone.localdate()
    done = getattr(task, status.done_field()) is not None
    steps = list(task.approval_steps.select_related("decided_by").order_by("order"))
    pending = next((s for s in steps if s.state == "pending"), None)
    grid_status = status.task_status(task, today)
    context = {
        "task": task,
        "grid": grid_status,
        "grid_label": status.LABELS[grid_status],
        "due_soon": status.is_due_soon(task.deadline_date, done, today),
        "steps": steps,
        "pending": pending,
        "reports": task.reports.select_related("author", "unit").prefetch_related("files"),
        "occurrences": task.occurrences.all() if task.periodicity else [],
        "children": task.children.all(),
        "progress_form": ProgressForm()
        if request.user.has_perm("tasks.report_progress", task)
        else None,
        "can_submit": request.user.has_perm("tasks.submit_product", task)
        and task.state in {"open", "returned"},
        "can_edit": request.user.has_perm("tasks.change_task"),
        "split_form": SplitForm()
        if request.user.has_perm("tasks.change_task")
        and any(link.unit_id is None and link.role == "lead" for link in task.task_units.all())
        else None,
        "decision_form": DecisionForm()
        if pending and request.user.has_perm("tasks.approve", task)
        else None,
    }
    return render(request, "tasks/task_detail.html", context)


def _run(request, task: Task, action, success: str):
    return run_service(request, action, success, redirect("task_detail", pk=task.pk))


@require_POST
@require_perm("tasks.view_dashboard")
def task_progress(request, pk: int):
    task = _task_or_404(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("task_detail", pk=task.pk)
    data = form.cleaned_data
    return _run(
        request,
        task,
        lambda: progress_services.post_progress(
            request.user, task, data["text"], data["percent"], data["files"]
        ),
        _("Đã ghi báo cáo tiến độ."),
    )


@require_POST
@require_perm("tasks.view_dashboard")
def task_submit(request, pk: int):
    task = _task_or_404(request, pk)
    note = request.POST.get("note", "")
    return _run(
        request,
        task,
        lambda: progress_services.submit_product(request.user, task, note),
        _("Đã trình sản phẩm."),
    )


@require_POST
@require_perm("tasks.view_dashboard")
def task_decide(request, pk: int, step_pk: int):
    task = _task_or_404(request, pk)
    step = get_object_or_404(ApprovalStep, pk=step_pk, task=task)
    comment = request.POST.get("comment", "")
    if request.POST.get("decision") == "return":
        action = lambda: progress_services.return_step(request.user, task, step, comment)  # noqa: E731
        done = _("Đã trả lại sản phẩm kèm ý kiến.")
    else:
        action = lambda: progress_services.approve_step(request.user, task, step, comment)  # noqa: E731
        done = _("Đã phê duyệt.")
    return _run(request, task, action, done)


@require_perm("tasks.view_dashboard")
def progress_file(request, pk: int):
    item = get_object_or_404(ProgressFile.objects.select_related("report"), pk=pk)
    _task_or_404(request, item.report.task_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


@require_perm("tasks.add_task")
def task_create(request):
    request.active_nav = "tasks"
    from daihoi.documents.models import Document

    document = None
    if request.GET.get("van-ban") or request.POST.get("document"):
        document = get_object_or_404(
            Document, pk=request.GET.get("van-ban") or request.POST.get("document")
        )
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = TaskSpec(
            title=data["title"],
            source_text=data["source_text"],
            lead_units=list(data["lead_units"]) + split_names(data["lead_text"]),
            coordinating_units=list(data["coordinating_units"])
            + split_names(data["coordinating_text"]),
            deliverable=data["deliverable"],
            deadline_kind=data["deadline_kind"],
            deadline_date=data["deadline_date"],
            deadline_text=data["deadline_text"],
            periodicity=data["periodicity"] or "",
            approval_chain=split_names(data["approval_chain"]),
        )
        try:
            task = create_task(
                request.user, spec, document=document, allow_past_deadline=data["historical"]
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã giao nhiệm vụ."))
            return redirect("task_detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "document": document})


@require_perm("tasks.change_task")
def task_edit(request, pk: int):
    request.active_nav = "tasks"
    task = _task_or_404(request, pk)
    initial = {name: getattr(task, name) for name in EDITABLE_FIELDS}
    form = TaskEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in EDITABLE_FIELDS}
        changes["periodicity"] = changes["periodicity"] or ""
        try:
            update_task(request.user, task, changes, allow_past_deadline=data["historical"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return redirect("task_detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "task": task})


@require_POST
@require_perm("tasks.change_task")
def task_split(request, pk: int):
    """A task given to a group of units as written becomes one child task per chosen unit."""
    task = _task_or_404(request, pk)
    form = SplitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn ít nhất một đơn vị."))
        return redirect("task_detail", pk=task.pk)
    units = list(form.cleaned_data["units"])
    return _run(
        request,
        task,
        lambda: split_task(request.user, task, units),
        _("Đã giao nhiệm vụ cho %(n)d đơn vị.") % {"n": len(units)},
    )
