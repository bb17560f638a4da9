"""Delegate group pages (tổ đại biểu): the list with its small forms, the print page and the
Word list. The work is in daihoi.delegates.services.groups; permissions via core.views.mixins."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from daihoi.core.models import Congress
from daihoi.core.views.actions import run_service
from daihoi.core.views.mixins import PagePermissionMixin, require_perm
from daihoi.delegates.models import Delegate, DelegateGroup
from daihoi.delegates.services import groups as services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIST = "delegates:groups"


def _congress() -> Congress:
    congress = Congress.objects.filter(is_current=True).first()
    if congress is None:
        raise Http404(_("Chưa có đại hội đang làm việc."))
    return congress


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _group(congress: Congress, pk) -> DelegateGroup:
    return get_object_or_404(DelegateGroup, pk=pk, congress=congress)


def _delegate(congress: Congress, pk) -> Delegate | None:
    """The posted delegate of this congress; None for an empty choice."""
    if pk in (None, ""):
        return None
    return get_object_or_404(Delegate, pk=_int(pk), congress=congress)


class GroupListView(PagePermissionMixin, TemplateView):
    permission = "delegates.view_groups"
    template_name = "delegates/groups_list.html"

    def get_context_data(self, **kwargs):
        self.request.active_nav = "delegates"
        context = super().get_context_data(**kwargs)
        congress = _congress()
        rows, ungrouped = services.group_rows(congress)
        counts = [row.committee_count for row in rows]
        context.update(
            congress=congress,
            rows=rows,
            ungrouped=ungrouped,
            everyone=sorted(
                [m.delegate for row in rows for m in row.members] + ungrouped,
                key=lambda d: d.number,
            ),
            committee_spread=max(counts) - min(counts) if counts else 0,
            can_manage=self.request.user.has_perm("delegates.manage_groups"),
            next_number=max((row.group.number for row in rows), default=0) + 1,
        )
        return context


@require_perm("delegates.view_groups")
def print_page(request):
    congress = _congress()
    rows, _ungrouped = services.group_rows(congress)
    return render(request, "delegates/groups_print.html", {"congress": congress, "rows": rows})


@require_perm("delegates.view_groups")
def docx(request):
    response = HttpResponse(services.groups_docx(_congress()), content_type=DOCX)
    response["Content-Disposition"] = 'attachment; filename="danh-sach-to-dai-bieu.docx"'
    return response


def _done(request, call, success: str):
    return run_service(request, call, success, redirect(LIST))


@require_POST
@require_perm("delegates.manage_groups")
def auto_divide(request):
    congress, count = _congress(), _int(request.POST.get("group_count"))
    if count is None:
        messages.error(request, _("Hãy nhập số tổ."))
        return redirect(LIST)
    replace = request.POST.get("confirm") == "1"
    return _done(
        request,
        lambda: services.auto_divide(request.user, congress, count, replace=replace),
        _("Đã chia đại biểu thành %(count)d tổ.") % {"count": count},
    )


@require_POST
@require_perm("delegates.manage_groups")
def create(request):
    congress, number = _congress(), _int(request.POST.get("number"))
    name = request.POST.get("name", "")
    return _done(
        request,
        lambda: services.create_group(request.user, congress, number, name),
        _("Đã thêm tổ."),
    )


@require_POST
@require_perm("delegates.manage_groups")
def update(request, pk: int):
    group = _group(_congress(), pk)
    number = _int(request.POST.get("number")) if request.POST.get("number") else None
    name = request.POST.get("name", "")
    return _done(
        request,
        lambda: services.update_group(request.user, group, name, number),
        _("Đã sửa tổ."),
    )


@require_POST
@require_perm("delegates.manage_groups")
def delete(request, pk: int):
    group = _group(_congress(), pk)
    return _done(request, lambda: services.delete_group(request.user, group), _("Đã xóa tổ."))


@require_POST
@require_perm("delegates.manage_groups")
def move(request):
    congress = _congress()
    delegate = _delegate(congress, request.POST.get("delegate"))
    if delegate is None:
        messages.error(request, _("Hãy chọn đại biểu."))
        return redirect(LIST)
    group_pk = request.POST.get("group")
    group = _group(congress, _int(group_pk)) if group_pk else None
    return _done(
        request,
        lambda: services.assign(request.user, delegate, group),
        _("Đã chuyển đại biểu %(name)s.") % {"name": delegate.full_name},
    )


@require_POST
@require_perm("delegates.manage_groups")
def leadership(request, pk: int):
    congress = _congress()
    group = _group(congress, pk)
    leader = _delegate(congress, request.POST.get("leader"))
    deputy = _delegate(congress, request.POST.get("deputy"))
    return _done(
        request,
        lambda: services.set_leadership(request.user, group, leader, deputy),
        _("Đã cập nhật tổ trưởng, tổ phó của %(group)s.") % {"group": group},
    )
