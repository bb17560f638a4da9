"""Synthesis pages (consultation.synthesize): the drafts, one draft's figures and groups with
the job that refreshes itself while it runs, one group with merge, split and note, and the
Word and Excel reports. The work is in daihoi.consultation.services.synthesis and .reports."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.consultation.models import (
    Comment,
    CommentStatus,
    Draft,
    JobStatus,
    SynthesisJob,
    TopicGroup,
)
from daihoi.consultation.services import reports
from daihoi.consultation.services import synthesis as service
from daihoi.core.services.errors import ServiceError
from daihoi.core.views.actions import run_service
from daihoi.core.views.mixins import require_perm

PERMISSION = "consultation.synthesize"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GROUP_PAGE = 100
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


@require_perm(PERMISSION)
def drafts(request):
    request.active_nav = "synthesis"
    rows = Draft.objects.annotate(
        n_comments=Count(
            "versions__comments",
            filter=Q(versions__comments__status__in=service.COUNTED),
        )
    ).order_by("-created_at")
    return render(request, "consultation/synthesis_drafts.html", {"drafts": rows})


@require_perm(PERMISSION)
def page(request, draft_pk: int):
    request.active_nav = "synthesis"
    draft = get_object_or_404(Draft, pk=draft_pk)
    jobs = list(draft.jobs.select_related("created_by")[:5])
    active = next((job for job in jobs if job.status in ACTIVE), None)
    return render(
        request,
        "consultation/synthesis_page.html",
        {
            "draft": draft,
            "figures": reports.overview(draft, quotes=1),
            "timeline": service.counts_over_time(draft),
            "jobs": jobs,
            "job": active or (jobs[0] if jobs else None),
            "has_state": draft.jobs.filter(status=JobStatus.DONE).exists(),
        },
    )


@require_POST
@require_perm(PERMISSION)
def start(request, draft_pk: int):
    draft = get_object_or_404(Draft, pk=draft_pk)
    incremental = request.POST.get("kieu") == "moi"
    seed = _int(request.POST.get("seed") or 0)
    if seed is None:
        messages.error(request, _("Hạt giống phải là một số nguyên."))
        return redirect("consultation:synthesis", draft.pk)
    try:
        service.start_job(request.user, draft, incremental=incremental, seed=seed)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã bắt đầu lượt tổng hợp."))
    return redirect("consultation:synthesis", draft.pk)


@require_perm(PERMISSION)
def job(request, pk: int):
    """The job's progress; polled by htmx every two seconds while it runs. When it ends, the
    whole page reloads to show the new results."""
    item = get_object_or_404(SynthesisJob, pk=pk)
    if not request.htmx:
        return redirect("consultation:synthesis", item.draft_id)
    response = render(request, "consultation/synthesis_job.html", {"job": item})
    if item.status not in ACTIVE and request.GET.get("dang-chay") == "1":
        response["HX-Refresh"] = "true"
    return response


@require_perm(PERMISSION)
def group(request, pk: int):
    request.active_nav = "synthesis"
    item = get_object_or_404(TopicGroup.objects.select_related("draft", "section"), pk=pk)
    comments = (
        Comment.objects.filter(group=item)
        .select_related("duplicate_of", "paragraph")
        .order_by("pk")
    )
    page_obj = Paginator(comments, GROUP_PAGE).get_page(request.GET.get("page"))
    others = (
        TopicGroup.objects.filter(draft=item.draft, section=item.section)
        .exclude(pk=item.pk)
        .annotate(n=Count("comments", filter=~Q(comments__status=CommentStatus.HIDDEN)))
        .order_by("pk")
    )
    return render(
        request,
        "consultation/synthesis_group.html",
        {
            "group": item,
            "count": comments.exclude(status=CommentStatus.HIDDEN).count(),
            "page_obj": page_obj,
            "comments": page_obj.object_list,
            "others": others,
        },
    )


def _run(request, call, success: str, back: int):
    return run_service(request, call, success, redirect("consultation:synthesis_group", back))


@require_POST
@require_perm(PERMISSION)
def group_note(request, pk: int):
    item = get_object_or_404(TopicGroup, pk=pk)
    label, note = request.POST.get("label", ""), request.POST.get("note", "")
    return _run(
        request,
        lambda: service.set_group_note(request.user, item, label=label, note=note),
        _("Đã lưu tên và ghi chú của nhóm."),
        item.pk,
    )


@require_POST
@require_perm(PERMISSION)
def group_merge(request, pk: int):
    item = get_object_or_404(TopicGroup, pk=pk)
    ids = [i for i in (_int(v) for v in request.POST.getlist("groups")) if i is not None]
    sources = list(TopicGroup.objects.filter(pk__in=ids))
    return _run(
        request,
        lambda: service.merge_groups(request.user, item, sources),
        _("Đã gộp %(n)d nhóm vào nhóm này.") % {"n": len(sources)},
        item.pk,
    )


@require_POST
@require_perm(PERMISSION)
def group_split(request, pk: int):
    item = get_object_or_404(TopicGroup, pk=pk)
    ids, label = request.POST.getlist("ids"), request.POST.get("label", "")
    try:
        new = service.split_group(request.user, item, ids, label)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("consultation:synthesis_group", item.pk)
    messages.success(request, _("Đã tách các ý kiến đã chọn thành nhóm mới."))
    return redirect("consultation:synthesis_group", new.pk)


@require_perm(PERMISSION)
def report_docx(request, draft_pk: int):
    draft = get_object_or_404(Draft, pk=draft_pk)
    response = HttpResponse(reports.synthesis_docx(draft), content_type=DOCX)
    name = f"bao-cao-tong-hop-y-kien-du-thao-{draft.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_perm(PERMISSION)
def report_xlsx(request, draft_pk: int):
    """Written to a temporary file first: a workbook of hundreds of thousands of rows never
    sits in memory, and the response streams it from disk."""
    draft = get_object_or_404(Draft, pk=draft_pk)
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
    try:
        reports.write_synthesis_xlsx(draft, target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"tong-hop-y-kien-du-thao-{draft.pk}.xlsx",
        content_type=XLSX,
    )
