"""Pages for the congress bodies and show-of-hands votes. Thin: the work is in
daihoi.bodies.services; permissions via daihoi.core.views.mixins."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.bodies import services
from daihoi.bodies.models import Body, BodyKind, BodyMember, Position, ShowOfHandsVote
from daihoi.core.models import Congress
from daihoi.core.views.actions import run_service
from daihoi.core.views.mixins import require_perm
from daihoi.delegates.base import compute_base
from daihoi.delegates.models import OFFICIAL_CATEGORIES, Delegate, Session, Status
from daihoi.elections.models import CountingBoardMember

INDEX = "bodies:index"
VOTES = "bodies:votes"


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


def _done(request, call, success: str, to: str):
    return run_service(request, call, success, redirect(to))


@require_perm("bodies.view")
def index(request):
    request.active_nav = "bodies"
    congress = _congress()
    members = BodyMember.objects.select_related("delegate").order_by("order")
    bodies = {
        body.kind: body
        for body in Body.objects.filter(congress=congress).prefetch_related(
            Prefetch("members", queryset=members)
        )
    }
    can_manage = request.user.has_perm("bodies.manage")
    context = {
        "congress": congress,
        "rows": [(kind, label, bodies.get(kind)) for kind, label in BodyKind.choices],
        "counting_board": CountingBoardMember.objects.filter(congress=congress)
        .select_related("delegate")
        .order_by("-is_head", "delegate__number"),
        "can_manage": can_manage,
        "delegates": Delegate.objects.filter(
            congress=congress, status=Status.ACTIVE, category__in=OFFICIAL_CATEGORIES
        ).order_by("number")
        if can_manage
        else [],
    }
    return render(request, "bodies/index.html", context)


@require_POST
@require_perm("bodies.manage")
def propose(request):
    congress = _congress()
    kind = request.POST.get("kind", "")
    ids = [i for i in (_int(v) for v in request.POST.getlist("delegates")) if i is not None]
    head = _int(request.POST.get("head"))
    if head is not None and head not in ids:
        ids.insert(0, head)
    found = Delegate.objects.in_bulk(ids) if ids else {}
    picked = [found[i] for i in ids if i in found and found[i].congress_id == congress.pk]
    # The head (chair of the presidium) is read first; the rest by delegate number.
    picked.sort(key=lambda d: (d.pk != head, d.number))
    top = Position.CHAIR if kind == BodyKind.PRESIDIUM else Position.HEAD
    members = [(d, top if d.pk == head else Position.MEMBER) for d in picked]
    return _done(
        request,
        lambda: services.propose_body(request.user, congress, kind, members),
        _("Đã lưu danh sách đề xuất."),
        INDEX,
    )


@require_POST
@require_perm("bodies.manage")
def remove_member(request, pk: int):
    member = get_object_or_404(BodyMember, pk=pk, body__congress=_congress())
    return _done(
        request,
        lambda: services.remove_member(request.user, member),
        _("Đã bớt đại biểu %(name)s khỏi danh sách.") % {"name": member.delegate.full_name},
        INDEX,
    )


@require_POST
@require_perm("bodies.manage")
def approve(request, pk: int):
    body = get_object_or_404(Body, pk=pk, congress=_congress())
    return _done(
        request,
        lambda: services.approve_body(request.user, body, request.POST.get("approval", "")),
        _("Đã ghi nhận đại hội thông qua %(body)s.") % {"body": body},
        INDEX,
    )


@require_perm("bodies.view")
def votes(request):
    request.active_nav = "bodies"
    congress = _congress()
    can_record = request.user.has_perm("bodies.record_vote")
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        return _record(request, congress)
    rows = [
        (vote, services.minutes_line(vote))
        for vote in ShowOfHandsVote.objects.filter(congress=congress).select_related("session")
    ]
    context = {
        "congress": congress,
        "rows": rows,
        "can_record": can_record,
        "base": compute_base(congress) if can_record else None,
        "sessions": Session.objects.filter(congress=congress) if can_record else [],
    }
    return render(request, "bodies/votes.html", context)


def _record(request, congress: Congress):
    post = request.POST
    counts = [_int(post.get(name)) for name in ("agree", "disagree", "abstain")]
    if any(c is None for c in counts):
        messages.error(
            request, _("Hãy nhập đủ ba con số: tán thành, không tán thành, ý kiến khác.")
        )
        return redirect(VOTES)
    session_pk = _int(post.get("session"))
    session = get_object_or_404(Session, pk=session_pk, congress=congress) if session_pk else None
    agree, disagree, abstain = counts
    return _done(
        request,
        lambda: services.record_show_of_hands(
            request.user,
            congress,
            post.get("motion", ""),
            agree,
            disagree,
            abstain,
            unanimous=post.get("unanimous") == "1",
            session=session,
        ),  # fmt: skip
        _("Đã ghi kết quả biểu quyết."),
        VOTES,
    )
