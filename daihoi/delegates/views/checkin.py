"""Check-in pages: the sessions, the phone page (camera and name search, offline queue), the
scan endpoint, the big-screen counter and the paper list. Logic lives in services/checkin.py."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daihoi.core.services.errors import InvalidInput, ServiceError
from daihoi.core.views.mixins import require_perm
from daihoi.delegates.models import Delegate, Session, SessionKind, Status
from daihoi.delegates.services import checkin
from daihoi.delegates.views.roster import _congress

MAX_SCAN_BODY = 4096


def _session(pk) -> Session:
    return get_object_or_404(Session.objects.select_related("congress"), pk=pk)


@require_perm("delegates.view_check_in_counter")
def sessions(request):
    request.active_nav = "checkin"
    congress = _congress()
    if request.method == "POST":
        if not request.user.has_perm("delegates.manage_delegates"):
            raise PermissionDenied
        starts = parse_datetime(request.POST.get("starts_at", ""))
        try:
            if congress is None or starts is None:
                raise InvalidInput(_("Cần nhập thời gian bắt đầu của phiên họp."))
            checkin.create_session(
                request.user,
                congress,
                request.POST.get("name", ""),
                request.POST.get("kind", SessionKind.OFFICIAL),
                starts if starts.tzinfo else make_aware(starts),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã thêm phiên họp."))
        return redirect("delegates:sessions")
    rows = [
        (session, checkin.counter(session))
        for session in Session.objects.filter(congress=congress).select_related("congress")
    ]
    return render(
        request,
        "delegates/checkin_sessions.html",
        {"rows": rows, "kinds": SessionKind.choices, "can_manage": request.user.has_perm(
            "delegates.manage_delegates")},
    )  # fmt: skip


@require_perm("delegates.check_in")
def page(request, pk):
    """The phone or tablet page at the door."""
    request.active_nav = "checkin"
    session = _session(pk)
    return render(
        request,
        "delegates/checkin_page.html",
        {
            "session": session,
            "roster": checkin.roster_for_search(session.congress),
            "present": checkin.present_ids(session),
            "counter": checkin.counter(session),
        },
    )


@require_POST
@require_perm("delegates.check_in")
def scan(request, pk):
    """JSON in: {"key", "token"} or {"key", "delegate", "method"}; JSON out: the result."""
    session = _session(pk)
    if len(request.body) > MAX_SCAN_BODY:
        return JsonResponse({"outcome": "error", "message": _("Dữ liệu quá lớn.")}, status=413)
    try:
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse(
            {"outcome": "error", "message": _("Dữ liệu gửi lên không đúng định dạng.")}, status=400
        )
    try:
        result = checkin.check_in(
            request.user,
            session,
            token=data.get("token") if isinstance(data.get("token"), str) else None,
            delegate_id=data.get("delegate"),
            key=data.get("key") if isinstance(data.get("key"), str) else None,
            method=data.get("method"),
        )
    except InvalidInput as exc:
        return JsonResponse({"outcome": "error", "message": exc.message}, status=400)
    return JsonResponse(result.as_json())


@require_GET
@require_perm("delegates.view_check_in_counter")
def figures(request, pk):
    """The counter as JSON: the big screen's fallback when its websocket is down."""
    session = _session(pk)
    data = checkin.counter(session).as_json()
    if request.GET.get("present") == "1" and request.user.has_perm("delegates.check_in"):
        data["present_ids"] = checkin.present_ids(session)
    return JsonResponse(data)


@require_perm("delegates.view_check_in_counter")
def screen(request, pk):
    """The big screen in the hall: present / summoned / base, live over websocket."""
    session = _session(pk)
    return render(
        request,
        "delegates/checkin_screen.html",
        {"session": session, "counter": checkin.counter(session)},
    )


@require_perm("delegates.check_in")
def paper_list(request, pk):
    """The printable fallback: every active delegate, a box to tick and a column to sign."""
    session = _session(pk)
    delegates = (
        Delegate.objects.filter(congress=session.congress, status=Status.ACTIVE)
        .select_related("party_unit", "group")
        .order_by("number")
    )
    present = set(checkin.present_ids(session))
    return render(
        request,
        "delegates/checkin_paper.html",
        {"session": session, "rows": [(d, d.pk in present) for d in delegates]},
    )


@require_POST
@require_perm("delegates.manage_delegates")
def absence(request, pk):
    delegate = get_object_or_404(Delegate, pk=pk)
    try:
        checkin.record_absence(
            request.user,
            delegate,
            request.POST.get("reason", ""),
            request.POST.get("whole_congress") == "1",
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi lý do vắng mặt."))
    return redirect("delegates:detail", pk=delegate.pk)
