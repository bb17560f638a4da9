"""Hall tablets: the public sign-in page (badge QR or one-time code), the tablet's sign-out, the
desk's page to issue a code and the delegate's own. Logic lives in services/hall_signin.py; the
restriction of the resulting session to the voting pages in daihoi/core/middleware.py."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.core.middleware import HALL_IDLE_SECONDS, HALL_SESSION_KEY, hall_session
from daihoi.core.models import Congress
from daihoi.core.services.errors import InvalidInput, ServiceError
from daihoi.core.views.mixins import require_perm
from daihoi.delegates.models import Delegate
from daihoi.delegates.services import hall_signin

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _landing(congress) -> str:
    """The vote page when exactly one vote is open, else the list."""
    from daihoi.voting.models import OpenVote, VoteState

    open_ids = list(
        OpenVote.objects.filter(congress=congress, state=VoteState.OPEN).values_list("pk")[:2]
    )
    if len(open_ids) == 1:
        return redirect("voting:detail", open_ids[0][0])
    return redirect("voting:list")


def _start(request, admitted: hall_signin.Admitted):
    from daihoi.voting.hot import remember_sign_in

    request.session.flush()  # nothing of an earlier session (a verified second factor) carries over
    login(request, admitted.user, backend=BACKEND)
    now = timezone.localtime()
    request.session[HALL_SESSION_KEY] = {
        "delegate": admitted.delegate.pk, "method": admitted.method,
        "last": now.timestamp(), "day": now.date().isoformat(),
    }  # fmt: skip
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0)
    request.session.set_expiry(int((midnight - now).total_seconds()) or 1)
    remember_sign_in(request.session, admitted.user)  # now as a hall session
    return _landing(admitted.delegate.congress)


def signin(request):
    """The tablet's page: scan the badge with the camera, or type the one-time code."""
    if request.user.is_authenticated and hall_session(request) is not None:
        return redirect("voting:list")
    error = ""
    status = 200
    if request.method == "POST":
        address = request.META.get("REMOTE_ADDR", "") or "?"
        try:
            if request.POST.get("token"):
                admitted = hall_signin.sign_in_by_badge(request.POST["token"], address)
            else:
                admitted = hall_signin.sign_in_by_code(request.POST.get("code", ""), address)
        except InvalidInput as exc:
            error = exc.message
            status = 429 if exc.code == "throttled" else 400
        else:
            return _start(request, admitted)
    context = {
        "error": error,
        "idle_minutes": HALL_IDLE_SECONDS // 60,
        "minutes": hall_signin.CODE_MINUTES,
    }
    return render(request, "delegates/hall_signin.html", context, status=status)


@require_POST
def signout(request):
    hall = hall_session(request)
    if hall is None:
        return redirect("home")
    reason = "idle" if request.POST.get("reason") == "idle" else "button"
    hall_signin.signed_out(request.user, hall.get("delegate"), reason)
    logout(request)
    messages.success(request, _("Đã kết thúc phiên biểu quyết. Máy sẵn sàng cho đại biểu khác."))
    return redirect("hall:signin")


@require_perm("delegates.check_in")
def desk(request):
    """The check-in desk: a one-time code for a delegate, found by number."""
    request.active_nav = "checkin"
    congress = Congress.objects.filter(is_current=True).first()
    context = {"issued": None, "minutes": hall_signin.CODE_MINUTES, "number": ""}
    if request.method == "POST":
        number = request.POST.get("number", "").strip()
        context["number"] = number
        delegate = (
            Delegate.objects.filter(congress=congress, number=int(number)).first()
            if number.isdigit() and congress is not None
            else None
        )
        try:
            if delegate is None:
                raise InvalidInput(_("Không có đại biểu số %(number)s.") % {"number": number})
            context["issued"] = hall_signin.issue_code(request.user, delegate)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "delegates/hall_desk.html", context)


@login_required
def my_code(request):
    """A delegate's own phone: a code to sign in on a hall tablet."""
    congress = Congress.objects.filter(is_current=True).first()
    delegate = (
        Delegate.objects.filter(congress=congress, user=request.user).first() if congress else None
    )
    context = {"issued": None, "minutes": hall_signin.CODE_MINUTES, "delegate": delegate}
    if request.method == "POST":
        try:
            if delegate is None:
                raise InvalidInput(_("Tài khoản của đồng chí không gắn với đại biểu nào."))
            context["issued"] = hall_signin.issue_code(request.user, delegate)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "delegates/hall_my_code.html", context)
