"""Setting elections up (organising staff): the list of elections, one election with its list in
ballot order and surplus checks, floor nominations, withdrawals, the counting board, the first
round and the printable ballots."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import require_perm
from daihoi.elections.ballot_pdf import BallotError, BallotSpec, render_ballots
from daihoi.elections.forms import (
    BoardMemberForm,
    CandidateForm,
    ElectionForm,
    OpenRoundForm,
    WithdrawForm,
)
from daihoi.elections.models import CountingBoardMember, Election
from daihoi.elections.services import setup as service
from daihoi.elections.services.counting import round_names
from daihoi.elections.views.common import PDF, current_congress, get_election

MAX_COPIES = 5000


@require_perm("elections.view")
def election_list(request: HttpRequest) -> HttpResponse:
    request.active_nav = "elections"
    congress = current_congress()
    can_set_up = request.user.has_perm("elections.set_up")
    form = None
    if can_set_up and congress is not None:
        form = ElectionForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                election = service.create_election(request.user, congress, **form.cleaned_data)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã tạo cuộc bầu cử «%(t)s».") % {"t": election})
                return redirect("elections:detail", election.pk)
    elections = (
        Election.objects.filter(congress=congress)
        .annotate(
            names=Count("candidates", filter=Q(candidates__withdrawn=False), distinct=True),
            round_count=Count("rounds", distinct=True),
        )
        .order_by("pk")
    )
    context = {"congress": congress, "elections": elections, "form": form}
    return render(request, "elections/election_list.html", context)


def _detail(request: HttpRequest, election: Election, **forms) -> HttpResponse:
    request.active_nav = "elections"
    can_set_up = request.user.has_perm("elections.set_up")
    rounds = list(election.rounds.all())
    context = {
        "election": election,
        "candidates": service.ballot_list(election),
        "withdrawn": election.candidates.filter(withdrawn=True).order_by("full_name"),
        "checks": service.surplus_checks(election),
        "board": CountingBoardMember.objects.filter(congress=election.congress)
        .select_related("delegate", "user")
        .order_by("-is_head", "delegate__number"),
        "rounds": rounds,
        "can_set_up": can_set_up,
        "can_edit_list": can_set_up and not rounds,
        "is_board": request.user.has_perm("elections.count", election.congress),
    }
    if can_set_up:
        context.update(
            candidate_form=forms.get("candidate_form") or CandidateForm(),
            withdraw_form=forms.get("withdraw_form") or WithdrawForm(election=election),
            board_form=forms.get("board_form") or BoardMemberForm(congress=election.congress),
            open_form=forms.get("open_form") or OpenRoundForm(),
        )
    return render(request, "elections/election_detail.html", context)


@require_perm("elections.view")
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_election(pk))


@require_POST
@require_perm("elections.set_up")
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_election(pk)
    form = CandidateForm(request.POST)
    if form.is_valid():
        try:
            candidate = service.add_candidate(request.user, election, **form.cleaned_data)
        except ServiceError as exc:
            field = "floor_approval" if exc.code == "floor_approval_required" else "full_name"
            form.add_error(field if exc.code != "started" else None, exc.message)
        else:
            messages.success(request, _("Đã thêm %(name)s vào danh sách.") % {"name": candidate})
            return redirect("elections:detail", election.pk)
    return _detail(request, election, candidate_form=form)


@require_POST
@require_perm("elections.set_up")
def candidate_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_election(pk)
    form = WithdrawForm(request.POST, election=election)
    if form.is_valid():
        candidate = form.cleaned_data["candidate"]
        try:
            service.withdraw_candidate(request.user, candidate, form.cleaned_data["reason"])
        except ServiceError as exc:
            form.add_error("reason" if exc.code == "reason_required" else None, exc.message)
        else:
            messages.success(request, _("%(name)s đã rút khỏi danh sách.") % {"name": candidate})
            return redirect("elections:detail", election.pk)
    return _detail(request, election, withdraw_form=form)


@require_POST
@require_perm("elections.set_up")
def board_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_election(pk)
    form = BoardMemberForm(request.POST, congress=election.congress)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = service.appoint_counting_board_member(
                request.user, election.congress, data["delegate"], data["user"],
                approval=data["approval"], is_head=data["is_head"],
            )  # fmt: skip
        except ServiceError as exc:
            field = {"approval_required": "approval"}.get(exc.code, "delegate")
            form.add_error(field, exc.message)
        else:
            messages.success(
                request, _("Đã ghi %(name)s vào Ban kiểm phiếu.") % {"name": member.delegate}
            )
            return redirect("elections:detail", election.pk)
    return _detail(request, election, board_form=form)


@require_POST
@require_perm("elections.set_up")
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_election(pk)
    form = OpenRoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = service.open_first_round(
                request.user, election, form.cleaned_data["ballots_issued"]
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã mở bầu lần thứ nhất."))
            return redirect("elections:round", round_.pk)
    return _detail(request, election, open_form=form)


def _copies(request: HttpRequest) -> int | None:
    value = request.GET.get("so-to", "1")
    if not value.isdigit() or not 1 <= int(value) <= MAX_COPIES:
        return None
    return int(value)


@require_perm("elections.view")
def ballots_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Phiếu bầu to print: the list of the round asked for (?lan=N), else the current list."""
    election = get_election(pk)
    user = request.user
    if not (
        user.has_perm("elections.set_up") or user.has_perm("elections.count", election.congress)
    ):
        raise PermissionDenied
    copies = _copies(request)
    if copies is None:
        messages.error(request, _("Số tờ cần in phải từ 1 đến %(n)d.") % {"n": MAX_COPIES})
        return redirect("elections:detail", election.pk)
    number = request.GET.get("lan", "")
    if number.isdigit():
        round_ = get_object_or_404(election.rounds, number=int(number))
        names, seats, round_number = round_names(round_), round_.seats, round_.number
    else:
        names = [c.full_name for c in service.ballot_list(election)]
        seats, round_number = election.seats, 1
    try:
        spec = BallotSpec(
            congress=election.congress.title, body=election.title, seats=seats,
            kind=election.ballot_kind, names=tuple(names), round=round_number,
        )  # fmt: skip
        content = render_ballots(spec, copies=copies)
    except BallotError as exc:
        messages.error(request, str(exc))
        return redirect("elections:detail", election.pk)
    filename = f"phieu-bau-{election.pk}-lan-{round_number}.pdf"
    return HttpResponse(
        content, content_type=PDF, headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )
