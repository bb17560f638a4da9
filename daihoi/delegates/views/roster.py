"""Delegate pages: the list (scoped to what the user may see) and the import workflow
upload → preview with the guessed mapping → confirm. Permissions via core.views.mixins only."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from daihoi.core.models import Congress
from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import ObjectPermissionMixin, PagePermissionMixin, require_perm
from daihoi.delegates.models import Delegate
from daihoi.delegates.services.columns import COLUMNS
from daihoi.delegates.services.importing import import_delegates, preview
from daihoi.delegates.services.roster import export_delegates

SESSION_KEY = "delegate_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _congress() -> Congress | None:
    return Congress.objects.filter(is_current=True).first()


class DelegateListView(PagePermissionMixin, ListView):
    permission = "delegates.view_delegate_list"
    template_name = "delegates/delegate_list.html"
    paginate_by = 100

    def get_queryset(self):
        self.request.active_nav = "delegates"
        return (
            Delegate.objects.visible_to(self.request.user)
            .filter(congress=_congress())
            .select_related("party_unit", "replaces")
            .order_by("number")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.request.user.has_perm("delegates.manage_delegates")
        return context


class DelegateDetailView(ObjectPermissionMixin, DetailView):
    """One delegate's record. Panels for credentials and the badge are included by the
    template when the user may see them (delegates/_credentials_panel.html, _badge_panel.html)."""

    permission = "delegates.view_delegate"
    model = Delegate
    template_name = "delegates/delegate_detail.html"
    context_object_name = "delegate"

    def get_queryset(self):
        self.request.active_nav = "delegates"
        return super().get_queryset().select_related("party_unit", "replaces", "group")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delegate, user = self.object, self.request.user
        context["can_manage"] = user.has_perm("delegates.manage_delegates")
        context["attendances"] = delegate.attendances.select_related("session").order_by(
            "session__starts_at"
        )
        context["absence_notes"] = delegate.absence_notes.order_by("created_at")
        return context


def _stored(request) -> SimpleUploadedFile | None:
    info = request.session.get(SESSION_KEY)
    if not info or not default_storage.exists(info["path"]):
        return None
    with default_storage.open(info["path"], "rb") as handle:
        return SimpleUploadedFile(info["name"], handle.read())


def _forget(request) -> None:
    info = request.session.pop(SESSION_KEY, None)
    if info:
        default_storage.delete(info["path"])


@require_perm("delegates.manage_delegates")
def import_upload(request):
    request.active_nav = "delegates"
    if request.method == "POST" and request.FILES.get("file"):
        uploaded = request.FILES["file"]
        try:
            shown = preview(uploaded)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("delegates:import")
        _forget(request)
        suffix = PurePath(uploaded.name).suffix.lower()
        uploaded.seek(0)
        path = default_storage.save(
            f"delegate-imports/{uuid.uuid4().hex}{suffix}", ContentFile(uploaded.read())
        )
        request.session[SESSION_KEY] = {"path": path, "name": uploaded.name}
        fields = [(name, label, shown.mapping.get(name, "")) for name, label in COLUMNS]
        return render(
            request, "delegates/import_preview.html", {"preview": shown, "fields": fields}
        )
    if request.method == "POST":
        messages.error(request, _("Hãy chọn tệp danh sách đại biểu."))
    return render(request, "delegates/import_upload.html")


@require_perm("delegates.manage_delegates")
def import_confirm(request):
    if request.method != "POST":
        return redirect("delegates:import")
    stored, congress = _stored(request), _congress()
    if stored is None or congress is None:
        messages.error(request, _("Không còn tệp để nhập hoặc chưa có đại hội đang làm việc."))
        return redirect("delegates:import")
    mapping = {name: request.POST[name] for name, _l in COLUMNS if request.POST.get(name)}
    try:
        result = import_delegates(request.user, congress, stored, mapping)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("delegates:import")
    if not result.saved:
        return render(request, "delegates/import_errors.html", {"result": result})
    _forget(request)
    messages.success(
        request,
        _("Đã nhập danh sách: thêm %(created)d, cập nhật %(updated)d đại biểu.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("delegates:list")


@require_perm("delegates.manage_delegates")
def export(request):
    congress = _congress()
    data = export_delegates(congress) if congress else b""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="danh-sach-dai-bieu.xlsx"'
    return response
