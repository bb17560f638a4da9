"""What the election views share: the current congress's objects and the board check."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from daihoi.core.models import Congress
from daihoi.elections.models import Election, ElectionRound

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv; charset=utf-8"


def current_congress() -> Congress | None:
    return Congress.objects.filter(is_current=True).first()


def get_election(pk: int) -> Election:
    """Only elections of the current congress have screens; others answer 404."""
    return get_object_or_404(
        Election.objects.select_related("congress"), pk=pk, congress__is_current=True
    )


def get_round(pk: int) -> ElectionRound:
    return get_object_or_404(
        ElectionRound.objects.select_related("election__congress"),
        pk=pk,
        election__congress__is_current=True,
    )


def is_board(user, round_: ElectionRound) -> bool:
    """A counting-board member of this round's congress (not of another congress)."""
    return user.has_perm("elections.count", round_.election.congress)


def require_board(user, round_: ElectionRound) -> None:
    if not is_board(user, round_):
        raise PermissionDenied


def form_errors(form: forms.Form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)
