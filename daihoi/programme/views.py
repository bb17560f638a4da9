"""Programme pages (thin): the agenda for everyone with a role (phone-friendly), staff forms for
items and the chair's lines, and the operating script as Word. Work is done by services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.core.models import Congress
from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import require_perm
from daihoi.programme import services
from daihoi.programme.forms import ItemForm, ScriptTemplateForm
from daihoi.programme.models import ItemKind, ProgrammeItem, ScriptTemplate

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AGENDA = "programme:agenda"
TEMPLATES = "programme:templates"


def _congress() -> Congress:
    congress = Congress.objects.filter(is_current=True).first()
    if congress is None:
        raise Http404(_("Chưa có đại hội đang làm việc."))
    return congress


def _item(congress: Congress, pk: int) -> ProgrammeItem:
    return get_object_or_404(
        ProgrammeItem.objects.select_related("session"), pk=pk, session__congress=congress
    )


@require_perm("programme.view")
def agenda(request: HttpRequest) -> HttpResponse:
    request.active_nav = "programme"
    congress = _congress()
    context = {
        "congress": congress,
        "sessions": services.sessions_with_items(congress),
        "can_manage": request.user.has_perm("programme.manage"),
        "can_script": request.user.has_perm("programme.view_script"),
    }
    return render(request, "programme/agenda.html", context)


def _item_form_page(request, form, item=None) -> HttpResponse:
    request.active_nav = "programme"
    return render(request, "programme/item_form.html", {"form": form, "item": item})


@require_perm("programme.manage")
def item_add(request: HttpRequest) -> HttpResponse:
    congress = _congress()
    form = ItemForm(request.POST or None, congress=congress)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(request.user, form.cleaned_data["session"], form.item_data())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã thêm nội dung vào chương trình."))
            return redirect(AGENDA)
    return _item_form_page(request, form)


@require_perm("programme.manage")
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress()
    item = _item(congress, pk)
    initial = {
        "title": item.title,
        "kind": item.kind,
        "presenter": item.presenter,
        "starts_at": item.starts_at,
        "document": item.document_id,
        "vote_motion": item.vote_motion,
    }
    form = ItemForm(request.POST or None, initial=initial, congress=congress, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(request.user, item, form.item_data())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã sửa nội dung chương trình."))
            return redirect(AGENDA)
    return _item_form_page(request, form, item)


@require_POST
@require_perm("programme.manage")
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(_congress(), pk)
    try:
        services.move_item(request.user, item, up=request.POST.get("direction") == "up")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(AGENDA)


@require_POST
@require_perm("programme.manage")
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(_congress(), pk)
    try:
        services.delete_item(request.user, item)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa nội dung “%(title)s”.") % {"title": item.title})
    return redirect(AGENDA)


@require_perm("programme.manage")
def templates(request: HttpRequest) -> HttpResponse:
    request.active_nav = "programme"
    saved = dict(ScriptTemplate.objects.values_list("kind", "lines"))
    rows = [
        {
            "kind": kind,
            "label": label,
            "form": ScriptTemplateForm(
                initial={"lines": "\n".join(services.script_lines(kind, saved))},
                prefix=kind,
            ),
        }
        for kind, label in ItemKind.choices
    ]
    return render(request, "programme/templates.html", {"rows": rows})


@require_POST
@require_perm("programme.manage")
def template_save(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ItemKind.values:
        raise Http404
    form = ScriptTemplateForm(request.POST, prefix=kind)
    if not form.is_valid():
        messages.error(request, _("Lời điều hành không hợp lệ."))
        return redirect(TEMPLATES)
    try:
        services.update_script_template(request.user, kind, form.cleaned_data["lines"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã lưu lời điều hành: %(kind)s.") % {"kind": ItemKind(kind).label}
        )
    return redirect(TEMPLATES)


@require_perm("programme.view_script")
def script_docx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.operating_script(_congress()), content_type=DOCX)
    response["Content-Disposition"] = 'attachment; filename="kich-ban-dieu-hanh-dai-hoi.docx"'
    return response
