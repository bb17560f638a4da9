"""A round (lần bầu): the blind entry screen of the counting board, the round page with its
progress, differences, count, seal and downloads, and the next round for the staff."""

from __future__ import annotations

from collections import Counter

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import require_perm
from daihoi.elections.forms import DiscardForm, EntryForm, NextRoundForm
from daihoi.elections.models import ElectionRound, RoundStatus
from daihoi.elections.rules import REASON_LABELS, BallotKind
from daihoi.elections.services import setup as setup_service
from daihoi.elections.services.counting import (
    WarningsToAcknowledge,
    count_round,
    round_names,
    seal_round,
    verify_seal,
)
from daihoi.elections.services.entry import discard_sheet, enter_ballot, entry_state, parse_struck
from daihoi.elections.services.totals import (
    count_totals,
    discard_totals,
    enter_totals,
    reasons_for,
    totals_state,
)
from daihoi.elections.views.common import (
    CSV,
    DOCX,
    PDF,
    form_errors,
    get_round,
    is_board,
    require_board,
)

# Which field an entry error belongs next to (services/entry.py codes).
ERROR_FIELDS = {
    "same_member": "sheet",
    "complete": "sheet",
    "bad_sheet": "sheet",
    "race": "sheet",
    "bad_number": "struck",
    "bad_reason": "board_reason",
}


def next_sheet(round_: ElectionRound, user) -> int | None:
    """The lowest sheet this member has not typed and that still needs a typing."""
    typings: Counter[int] = Counter()
    mine: set[int] = set()
    live = round_.entries.filter(discarded_at__isnull=True).values_list("sheet", "entered_by_id")
    for sheet, by in live:
        typings[sheet] += 1
        if by == user.pk:
            mine.add(sheet)
    sheet = 1
    while sheet in mine or typings[sheet] >= 2:
        sheet += 1
    if round_.ballots_issued and sheet > round_.ballots_issued:
        return None
    return sheet


def _progress(round_: ElectionRound) -> dict:
    """Counts and the numbers of differing sheets only: never the marks of a typing."""
    state = entry_state(round_)
    return {
        "differing_sheets": [sheet for sheet, _first, _second in state.differences],
        "typed_once": len(state.waiting),
        "agreed": len(state.agreed),
        "differing": len(state.differences),
        "complete": bool(state.agreed) and not state.waiting and not state.differences,
    }


def _marks(form: EntryForm, size: int) -> str:
    if form.kind == BallotKind.STRIKE:
        return parse_struck(form.cleaned_data.get("struck", ""), size)
    return form.marks_for_agree()


@require_perm("elections.count")
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Nhập phiếu. Blind: the form always starts empty and never shows another typing; after a
    save only the counts are shown."""
    round_ = get_round(pk)
    require_board(request.user, round_)
    request.active_nav = "elections"
    names = round_names(round_)
    kind = round_.election.ballot_kind
    form = None
    if round_.status == RoundStatus.ENTRY:
        if request.method == "POST":
            form = EntryForm(request.POST, kind=kind, names=names)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    enter_ballot(
                        request.user, round_, data["sheet"], _marks(form, len(names)),
                        board_reason=data["board_reason"], note=data["note"],
                    )  # fmt: skip
                except ServiceError as exc:
                    form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
                else:
                    messages.success(request, _("Đã ghi tờ phiếu số %(n)d.") % {"n": data["sheet"]})
                    return redirect("elections:entry", round_.pk)
        else:
            initial = {"sheet": next_sheet(round_, request.user)}
            form = EntryForm(initial=initial, kind=kind, names=names)
    elif request.method == "POST":
        messages.error(request, _("Lần bầu này đã kiểm phiếu xong, không nhập thêm."))
        return redirect("elections:round", round_.pk)
    context = {
        "round": round_,
        "election": round_.election,
        "names": names,
        "form": form,
        "is_strike": kind == BallotKind.STRIKE,
        **_progress(round_),
    }
    return render(request, "elections/entry.html", context)


class TotalsForm(forms.Form):
    """The totals of a hand-count tally sheet: collected, invalid per reason, votes per name."""

    collected = forms.IntegerField(label=gettext_lazy("Số phiếu thu vào"), min_value=0)
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, reasons, names, **kwargs):
        super().__init__(*args, **kwargs)
        self.reasons, self.size = reasons, len(names)
        for reason in reasons:
            self.fields[f"invalid_{reason.value}"] = forms.IntegerField(
                label=capfirst(REASON_LABELS[reason]), min_value=0, required=False
            )
        for i, name in enumerate(names, start=1):
            self.fields[f"votes_{i}"] = forms.IntegerField(label=f"{i}. {name}", min_value=0)
        self.fields["note"] = self.fields.pop("note")  # the note last

    def invalid_fields(self):
        return [self[f"invalid_{reason.value}"] for reason in self.reasons]

    def vote_fields(self):
        return [self[f"votes_{i}"] for i in range(1, self.size + 1)]

    def numbers(self) -> dict:
        data = self.cleaned_data
        return {
            "collected": data["collected"],
            "invalid": {r.value: data[f"invalid_{r.value}"] or 0 for r in self.reasons},
            "votes": [data[f"votes_{i}"] for i in range(1, self.size + 1)],
        }


@require_perm("elections.count")
def entry_totals(request: HttpRequest, pk: int) -> HttpResponse:
    """Nhập tổng số từ biên bản kiểm phiếu thủ công. Blind like the ballot entry: the form is
    empty after a save and never shows the other typing, only its state."""
    round_ = get_round(pk)
    require_board(request.user, round_)
    request.active_nav = "elections"
    names = round_names(round_)
    form = None
    if round_.status == RoundStatus.ENTRY:
        form = TotalsForm(
            request.POST if request.method == "POST" else None,
            reasons=reasons_for(round_), names=names,
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            try:
                entry = enter_totals(
                    request.user, round_, **form.numbers(), note=form.cleaned_data["note"]
                )
            except ServiceError as exc:
                field = "collected" if exc.code == "collected_exceeds_issued" else None
                form.add_error(field, exc.message)
            else:
                messages.success(
                    request, _("Đã ghi lần nhập thứ %(n)d của tổng số phiếu.") % {"n": entry.typing}
                )
                return redirect("elections:entry_totals", round_.pk)
    elif request.method == "POST":
        messages.error(request, _("Lần bầu này đã kiểm phiếu xong, không nhập thêm."))
        return redirect("elections:round", round_.pk)
    context = {
        "round": round_,
        "election": round_.election,
        "form": form,
        "totals_status": totals_state(round_).status,
    }
    return render(request, "elections/entry_totals.html", context)


def _result_view(result: dict | None) -> dict:
    if not result:
        return {}
    invalid = [
        (REASON_LABELS.get(code, code), n)  # StrEnum keys match their string codes
        for code, n in result.get("invalid", {}).items()
    ]
    return {"invalid": invalid, "invalid_total": sum(n for _label, n in invalid)}


@require_perm("elections.view")
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(pk)
    request.active_nav = "elections"
    election = round_.election
    board = is_board(request.user, round_)
    can_set_up = request.user.has_perm("elections.set_up")
    later = election.rounds.filter(number__gt=round_.number).order_by("number").first()
    result = round_.result or {}
    context = {
        "round": round_,
        "election": election,
        "names": round_names(round_),
        "is_board": board,
        "can_set_up": can_set_up,
        "result": result,
        "later": later,
        "seal_check": verify_seal(round_) if round_.status == RoundStatus.SEALED else None,
        "next_form": NextRoundForm() if can_set_up and result.get("next_round") else None,
        "warnings": request.session.get(_warnings_key(round_), [])
        if round_.status == RoundStatus.ENTRY
        else [],
        "totals_status": totals_state(round_).status,
        **_progress(round_),
        **_result_view(result),
    }
    return render(request, "elections/round.html", context)


@require_POST
@require_perm("elections.count")
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Hủy hai lần nhập khác nhau: the sheet is typed twice again, never settled by choosing."""
    round_ = get_round(pk)
    require_board(request.user, round_)
    form = DiscardForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("elections:round", round_.pk)
    sheet = form.cleaned_data["sheet"]
    try:  # the service refuses a sheet whose two typings agree
        discard_sheet(request.user, round_, sheet, form.cleaned_data["note"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã hủy hai lần nhập tờ phiếu số %(n)d; hãy nhập lại tờ này.") % {"n": sheet}
        )
    return redirect("elections:round", round_.pk)


def _warnings_key(round_) -> str:
    """Where the count's unacknowledged warnings wait for the board's checkboxes."""
    return f"election-warnings-{round_.pk}"


def _count_with(request: HttpRequest, pk: int, counter) -> HttpResponse:
    """Count a round with `counter` (ballots or hand-count totals); warnings the board has not
    acknowledged are kept in the session and shown as checkboxes on the round page."""
    round_ = get_round(pk)
    require_board(request.user, round_)
    key = _warnings_key(round_)
    try:
        counter(request.user, round_, request.POST.getlist("acknowledge"))
    except WarningsToAcknowledge as exc:
        request.session[key] = exc.warnings
        messages.warning(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        request.session.pop(key, None)
        messages.success(request, _("Đã kiểm phiếu."))
    return redirect("elections:round", round_.pk)


@require_POST
@require_perm("elections.count")
def count(request: HttpRequest, pk: int) -> HttpResponse:
    return _count_with(request, pk, count_round)


@require_POST
@require_perm("elections.count")
def discard_totals_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Hủy hai lần nhập tổng số khác nhau: typed twice again, never settled by choosing."""
    round_ = get_round(pk)
    require_board(request.user, round_)
    try:
        discard_totals(request.user, round_, request.POST.get("note", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã hủy hai lần nhập tổng số phiếu; hãy nhập lại."))
    return redirect("elections:round", round_.pk)


@require_POST
@require_perm("elections.count")
def count_totals_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _count_with(request, pk, count_totals)


@require_POST
@require_perm("elections.count")
def seal(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(pk)
    require_board(request.user, round_)
    try:
        seal_round(request.user, round_)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã niêm phong kết quả."))
    return redirect("elections:round", round_.pk)


@require_POST
@require_perm("elections.set_up")
def next_round(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(pk)
    form = NextRoundForm(request.POST)
    form.is_valid()
    try:
        new = setup_service.open_next_round(
            request.user, round_, form.cleaned_data.get("decision", "")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("elections:round", round_.pk)
    messages.success(request, _("Đã mở bầu lần thứ %(n)d.") % {"n": new.number})
    return redirect("elections:round", new.pk)


def _download(request: HttpRequest, pk: int, make, content_type: str, stem: str, ext: str):
    round_ = get_round(pk)
    if round_.status == RoundStatus.ENTRY:  # nothing counted yet
        raise Http404
    content = make(round_)
    name = f"{stem}-{round_.election_id}-lan-{round_.number}.{ext}"
    return HttpResponse(
        content, content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


@require_perm("elections.view")
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    from daihoi.elections.services.minutes import minutes_docx as make

    return _download(request, pk, make, DOCX, "bien-ban-kiem-phieu", "docx")


@require_perm("elections.view")
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from daihoi.elections.services.minutes import minutes_pdf as make

    return _download(request, pk, make, PDF, "bien-ban-kiem-phieu", "pdf")


@require_perm("elections.view")
def ballots_csv(request: HttpRequest, pk: int) -> HttpResponse:
    from daihoi.elections.services.export import ballots_csv as make

    return _download(request, pk, make, CSV, "phieu-bau", "csv")
