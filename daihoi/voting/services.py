"""Open electronic votes: the state machine (not started → open → closed → published), one
vote per delegate (the database refuses a second), changes until close only when the presidium
allowed them, and the result judged against the base of domain.md §5 (24-QĐ/TW 9.3.1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Congress
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.base import compute_base
from daihoi.delegates.models import OFFICIAL_CATEGORIES, Category, Delegate, Status
from daihoi.vietnamese import format_percent, nfc
from daihoi.voting.models import Choice, OpenVote, VoteCast, VoteState
from daihoi.voting.rules import can_run_votes

TRANSITIONS = {
    "open": (VoteState.NOT_STARTED, VoteState.OPEN, "opened_at"),
    "close": (VoteState.OPEN, VoteState.CLOSED, "closed_at"),
    "publish": (VoteState.CLOSED, VoteState.PUBLISHED, "published_at"),
}


def _require_presidium(actor) -> None:
    if not can_run_votes(actor):
        raise NotAllowed(_("Chỉ Đoàn Chủ tịch điều hành biểu quyết."))


@transaction.atomic
def create_vote(actor, congress: Congress, motion: str, allow_change: bool = False) -> OpenVote:
    _require_presidium(actor)
    motion = nfc(motion or "").strip()
    if not motion:
        raise InvalidInput(_("Cần nhập nội dung biểu quyết."), code="motion_required")
    vote = OpenVote.objects.create(
        congress=congress, motion=motion, allow_change=allow_change, created_by=actor
    )
    record(actor, "vote.created", vote, {"motion": motion, "allow_change": allow_change})
    return vote


@transaction.atomic
def _move(actor, vote: OpenVote, step: str) -> OpenVote:
    _require_presidium(actor)
    vote = OpenVote.objects.select_for_update().get(pk=vote.pk)
    before, after, stamp = TRANSITIONS[step]
    if vote.state != before:
        raise InvalidInput(
            _("Không thể chuyển biểu quyết từ «%(state)s».") % {"state": vote.get_state_display()},
            code="bad_state",
        )
    vote.state = after
    setattr(vote, stamp, timezone.now())
    fields = ["state", stamp]
    if step == "open":
        vote.base = compute_base(vote.congress).value  # fixed for this vote
        fields.append("base")
    if step == "close":
        vote.final_counts = counts(vote)
        fields.append("final_counts")
    vote.save(update_fields=fields)
    record(actor, f"vote.{step}", vote, {"counts": vote.final_counts, "base": vote.base})
    if step in ("open", "close"):
        transaction.on_commit(lambda: _announce(vote.pk))
    return vote


def open_vote(actor, vote: OpenVote) -> OpenVote:
    return _move(actor, vote, "open")


def close_vote(actor, vote: OpenVote) -> OpenVote:
    return _move(actor, vote, "close")


def publish_vote(actor, vote: OpenVote) -> OpenVote:
    """Công bố danh sách: the named list becomes visible to every watcher."""
    return _move(actor, vote, "publish")


def voter_record(user, congress: Congress) -> Delegate | None:
    """The user's delegate record in this congress, if they hold a voting seat: an active
    official delegate, or a reserve standing in for one."""
    if not user.is_authenticated:
        return None
    delegate = Delegate.objects.filter(user=user, congress=congress, status=Status.ACTIVE).first()
    if delegate is None:
        return None
    if delegate.category in OFFICIAL_CATEGORIES:
        return delegate
    if delegate.category == Category.RESERVE and delegate.replaces_id is not None:
        return delegate
    return None


def cast(actor, vote: OpenVote, choice: str) -> VoteCast:
    """One delegate, one vote; a second is refused by the database, or changes the choice when
    the presidium allowed changes and the vote is still open."""
    if choice not in Choice.values:
        raise InvalidInput(_("Lựa chọn không hợp lệ."), code="bad_choice")
    delegate = voter_record(actor, vote.congress)
    if delegate is None:
        raise NotAllowed(_("Chỉ đại biểu chính thức của đại hội được biểu quyết."))
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = OpenVote.objects.select_for_update().only("state", "allow_change")
            state = locked.get(pk=vote.pk).state
            if state != VoteState.OPEN:
                raise InvalidInput(_("Biểu quyết chưa mở hoặc đã kết thúc."), code="not_open")
            ballot = VoteCast.objects.create(
                vote=vote, delegate=delegate, choice=choice, cast_at=now
            )
            record(actor, "vote.cast", ballot, {"vote": vote.pk, "choice": choice})
    except IntegrityError:
        ballot = _change(actor, vote, delegate, choice, now)
    transaction.on_commit(lambda: _announce(vote.pk))
    return ballot


@transaction.atomic
def _change(actor, vote: OpenVote, delegate: Delegate, choice: str, now) -> VoteCast:
    fresh = OpenVote.objects.select_for_update().get(pk=vote.pk)
    if fresh.state != VoteState.OPEN:
        raise InvalidInput(_("Biểu quyết chưa mở hoặc đã kết thúc."), code="not_open")
    if not fresh.allow_change:
        raise InvalidInput(_("Đồng chí đã biểu quyết; lần biểu quyết này không cho đổi ý."),
                           code="already_voted")  # fmt: skip
    ballot = VoteCast.objects.select_for_update().get(vote=vote, delegate=delegate)
    old = ballot.choice
    ballot.choice, ballot.changed_at = choice, now
    ballot.save(update_fields=["choice", "changed_at"])
    record(actor, "vote.changed", ballot, {"vote": vote.pk, "from": old, "to": choice})
    return ballot


def counts(vote: OpenVote) -> dict:
    rows = dict(vote.casts.values_list("choice").annotate(n=Count("pk")).values_list("choice", "n"))
    return {choice: rows.get(choice, 0) for choice in Choice.values}


@dataclass(frozen=True)
class VoteResult:
    yes: int
    no: int
    abstain: int
    base: int
    passed: bool
    percent_yes: str  # of the base, decimal comma

    @property
    def received(self) -> int:
        return self.yes + self.no + self.abstain


def result(vote: OpenVote) -> VoteResult:
    """Judged against the base fixed when the vote opened (not those present, not votes cast)."""
    figures = vote.final_counts or counts(vote)
    base = vote.base if vote.base is not None else compute_base(vote.congress).value
    yes = figures["yes"]
    return VoteResult(
        yes, figures["no"], figures["abstain"], base, base > 0 and 2 * yes > base,
        format_percent(yes, base) if base else "",
    )  # fmt: skip


def my_vote(user, vote: OpenVote) -> VoteCast | None:
    delegate = voter_record(user, vote.congress)
    if delegate is None:
        return None
    return VoteCast.objects.filter(vote=vote, delegate=delegate).first()


def named_list(vote: OpenVote):
    """Who voted how, once the presidium has published it."""
    if vote.state != VoteState.PUBLISHED:
        return None
    return vote.casts.select_related("delegate").order_by("delegate__number")


def _announce(vote_id: int) -> None:
    from daihoi.voting.live import mark_changed

    mark_changed(vote_id)
