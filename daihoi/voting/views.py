"""Open electronic vote pages: the list (the presidium's controls, the delegates' open votes),
one vote (three large buttons for a delegate, live counters), the projector and a JSON fallback.
Logic lives in services.py; permissions in rules.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.core.middleware import hall_session
from daihoi.core.models import Congress
from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import require_perm
from daihoi.voting import services
from daihoi.voting.models import Choice, OpenVote, VoteState

STEPS = {"open": services.open_vote, "close": services.close_vote, "publish": services.publish_vote}


def _can_run(request) -> bool:
    """A hall tablet's session only votes, whoever holds it (core.middleware's gate)."""
    return request.user.has_perm("voting.run") and hall_session(request) is None


def _vote(pk) -> OpenVote:
    return get_object_or_404(OpenVote.objects.select_related("congress"), pk=pk)


@require_perm("voting.watch")
def vote_list(request):
    request.active_nav = "voting"
    congress = Congress.objects.filter(is_current=True).first()
    can_run = _can_run(request)
    if request.method == "POST" and can_run and congress is not None:
        try:
            vote = services.create_vote(
                request.user, congress, request.POST.get("motion", ""),
                allow_change=request.POST.get("allow_change") == "1",
            )  # fmt: skip
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("voting:detail", vote.pk)
    votes = OpenVote.objects.filter(congress=congress).order_by("-created_at")
    return render(request, "voting/vote_list.html", {"votes": votes, "can_run": can_run})


@require_perm("voting.watch")
def vote_detail(request, pk):
    request.active_nav = "voting"
    vote = _vote(pk)
    voter = services.voter_record(request.user, vote.congress)
    context = {
        "vote": vote,
        "result": services.result(vote),
        "mine": services.my_vote(request.user, vote),
        "can_vote": voter is not None and vote.state == VoteState.OPEN,
        "can_run": _can_run(request),
        "choices": Choice.choices,
        "named": services.named_list(vote),
    }
    return render(request, "voting/vote_detail.html", context)


@require_POST
@require_perm("voting.watch")
def cast(request, pk):
    vote = _vote(pk)
    try:
        services.cast(request.user, vote, request.POST.get("choice", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi nhận biểu quyết của đồng chí."))
    return redirect("voting:detail", vote.pk)


@require_POST
@require_perm("voting.run")
def step(request, pk, action):
    vote = _vote(pk)
    if action not in STEPS:
        return redirect("voting:detail", vote.pk)
    try:
        STEPS[action](request.user, vote)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("voting:detail", vote.pk)


@require_perm("voting.watch")
def projector(request, pk):
    vote = _vote(pk)
    return render(request, "voting/projector.html", {"vote": vote, "result": services.result(vote)})


@require_perm("voting.watch")
def figures(request, pk):
    vote = _vote(pk)
    outcome = services.result(vote)
    closed = vote.state != VoteState.OPEN
    return JsonResponse({
        "vote": vote.pk, "state": vote.state, "yes": outcome.yes, "no": outcome.no,
        "abstain": outcome.abstain, "received": outcome.received, "base": outcome.base,
        "passed": outcome.passed if closed else None,
        "percent_yes": outcome.percent_yes if closed else "",
    })  # fmt: skip
