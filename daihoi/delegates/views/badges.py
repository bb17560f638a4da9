"""Badge pages (thẻ đại biểu): the overview with counts and bulk actions, the PDFs, and the
per-delegate actions posted from the badge panel of the delegate page. Thin: every change is a
call to daihoi.delegates.services.badges, every permission check goes through require_perm."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import require_perm
from daihoi.delegates.models import Badge, Delegate, DelegateGroup
from daihoi.delegates.services import badges as service
from daihoi.delegates.views.roster import _congress

PERMISSION = "delegates.manage_badges"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=service.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _delegate(request, pk: int) -> Delegate:
    queryset = Delegate.objects.visible_to(request.user).select_related("congress", "group")
    return get_object_or_404(queryset, pk=pk)


def _group_id(request) -> int | None:
    value = request.GET.get("group", "")
    return int(value) if value.isdigit() else None


@require_perm(PERMISSION)
def overview(request):
    """/dai-bieu/the/: counts, "issue missing badges" (POST), and the print form."""
    request.active_nav = "delegates"
    congress = _congress()
    if request.method == "POST":
        if congress is None:
            messages.error(request, _("Chưa có đại hội đang làm việc."))
        else:
            try:
                created = service.issue_missing(request.user, congress)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã cấp %(count)d thẻ mới.") % {"count": len(created)})
        return redirect("delegates:badges")
    context = {
        "congress": congress,
        "counts": service.badge_counts(congress) if congress else None,
        "groups": DelegateGroup.objects.filter(congress=congress).order_by("number")
        if congress
        else [],
        "layouts": [("a6", _("A6, mỗi trang một thẻ")), ("a4-4", _("A4, mỗi trang bốn thẻ"))],
    }
    return render(request, "delegates/badges_overview.html", context)


@require_perm(PERMISSION)
@require_GET
def print_all(request):
    """/dai-bieu/the/in.pdf?layout=a6|a4-4[&group=<id>]: every valid badge."""
    congress = _congress()
    if congress is None:
        messages.error(request, _("Chưa có đại hội đang làm việc."))
        return redirect("delegates:badges")
    layout = request.GET.get("layout", "a6")
    try:
        data = service.print_badges(request.user, congress, layout, _group_id(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("delegates:badges")
    return _pdf(data, f"the-dai-bieu-{layout}.pdf")


@require_perm(PERMISSION)
@require_GET
def reprint(request, pk: int):
    """/dai-bieu/<pk>/the.pdf: the delegate's valid badge, printed again."""
    delegate = _delegate(request, pk)
    badge = Badge.objects.filter(delegate=delegate, revoked_at__isnull=True).first()
    if badge is None:
        messages.error(request, _("Đại biểu chưa có thẻ còn hiệu lực."))
        return redirect("delegates:detail", pk=delegate.pk)
    try:
        data = service.reprint(request.user, badge)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("delegates:detail", pk=delegate.pk)
    return _pdf(data, f"the-dai-bieu-{delegate.number}.pdf")


def _act(request, pk: int, action, success: str):
    """Run one per-delegate action and come back to the delegate page with its message."""
    delegate = _delegate(request, pk)
    try:
        action(delegate)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("delegates:detail", pk=delegate.pk)


@require_perm(PERMISSION)
@require_POST
def issue(request, pk: int):
    return _act(
        request, pk, lambda d: service.issue_badge(request.user, d), _("Đã cấp thẻ đại biểu.")
    )


@require_perm(PERMISSION)
@require_POST
def revoke(request, pk: int):
    reason = request.POST.get("reason", "")

    def action(delegate):
        badge = Badge.objects.filter(delegate=delegate, revoked_at__isnull=True).first()
        if badge is None:
            raise ServiceError(_("Đại biểu chưa có thẻ còn hiệu lực."), code="no_valid_badge")
        service.revoke_badge(request.user, badge, reason)

    return _act(request, pk, action, _("Đã thu hồi thẻ."))


@require_perm(PERMISSION)
@require_POST
def replace(request, pk: int):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda d: service.replace_badge(request.user, d, reason),
        _("Đã thu hồi thẻ cũ và cấp thẻ mới; hãy in thẻ mới."),
    )


@require_perm(PERMISSION)
@require_POST
def photo(request, pk: int):
    uploaded = request.FILES.get("photo")
    if uploaded is None:
        messages.error(request, _("Hãy chọn ảnh (JPEG hoặc PNG)."))
        return redirect("delegates:detail", pk=pk)
    return _act(
        request, pk, lambda d: service.set_photo(request.user, d, uploaded), _("Đã lưu ảnh.")
    )
