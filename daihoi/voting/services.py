"""Open electronic votes: the state machine (not started → open → closed → published), one
vote per delegate (the database refuses a second), changes until close only when the presidium
allowed them, and the result judged against the base of domain.md §5 (24-QĐ/TW 9.3.1)."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.db import fetch_one
from daihoi.core.models import Congress, RoleAssignment, User
from daihoi.core.models.users import TWO_FACTOR_ROLES
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
    data = {"counts": vote.final_counts, "base": vote.base}
    if step == "close":
        vote.final_counts = counts(vote)
        fields.append("final_counts")
        data = {"counts": vote.final_counts, "base": vote.base, "casts": casts_digest(vote)}
    vote.save(update_fields=fields)
    record(actor, f"vote.{step}", vote, data)
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


@dataclass(frozen=True)
class Seat:
    """What one statement learns about a user and a vote: enough to authorise the voter (the
    hot path checks the session against it) and to cast."""

    password: str
    is_active: bool
    must_change_password: bool
    needs_two_factor: bool
    delegate_id: int | None
    state: str
    allow_change: bool


@dataclass(frozen=True)
class Admitted:
    """The facts of a user's row under which the hot path admitted a session (hot.py keeps
    them in the session, so every server process can use them). While the row still holds them
    the session would be admitted again, so the seat's own statement may store the vote: one
    statement instead of two. The password hash is kept as its SHA-256 digest only."""

    password_digest: str
    must_change_password: bool
    needs_two_factor: bool

    @classmethod
    def of(cls, seat: Seat) -> Admitted:
        digest = hashlib.sha256(seat.password.encode()).hexdigest()
        return cls(digest, seat.must_change_password, seat.needs_two_factor)


_CHOICES = frozenset(Choice.values)


@functools.cache
def _seat_sql(vendor: str, store_if_admitted: bool) -> str:
    roles, users = RoleAssignment._meta.db_table, User._meta.db_table
    delegates, votes = Delegate._meta.db_table, OpenVote._meta.db_table
    marks = ", ".join(["%s"] * len(TWO_FACTOR_ROLES))
    official = ", ".join(["%s"] * len(OFFICIAL_CATEGORIES))
    # Table names come from the models; every value is a parameter.
    seat = f"""
        SELECT u.password, u.is_active, u.must_change_password AS must_change,
               (u.is_superuser OR EXISTS (SELECT 1 FROM {roles} r
                                          WHERE r.user_id = u.id AND r.role IN ({marks})))
                 AS two_factor,
               (SELECT d.id FROM {delegates} d
                WHERE d.congress_id = v.congress_id AND d.user_id = u.id AND d.status = %s
                  AND (d.category IN ({official})
                       OR (d.category = %s AND d.replaces_id IS NOT NULL))
                ORDER BY d.id LIMIT 1) AS delegate_id,
               v.state, v.allow_change
        FROM {votes} v CROSS JOIN {users} u
        WHERE v.id = %s AND u.id = %s"""  # noqa: S608
    if not store_if_admitted:
        return seat
    # PostgreSQL only (an INSERT inside WITH): the seat as above, and the vote stored in the
    # same statement when the row still holds the admitted facts; the seat row comes back
    # either way, with the new cast's id or NULL.
    return f"""
        WITH seat AS ({seat}),
        stored AS ({_insert_sql(vendor, from_seat=True)})
        SELECT seat.*, (SELECT id FROM stored) FROM seat"""  # noqa: S608


@functools.cache
def _insert_sql(vendor: str, from_seat: bool = False) -> str:
    casts, votes = VoteCast._meta.db_table, OpenVote._meta.db_table
    # The vote row is share-locked by the INSERT's own statement: casts do not wait for each
    # other, while closing the vote (FOR UPDATE) waits for every cast in flight, so the final
    # counts miss none and no vote lands after them. SQLite has no row locks; its writes
    # already run one at a time.
    lock = "FOR SHARE OF v" if vendor == "postgresql" else ""
    voter, source, admitted = "%s", f"{votes} v", ""
    if from_seat:
        voter, source = "seat.delegate_id", f"{votes} v, seat"
        admitted = """AND seat.delegate_id IS NOT NULL AND seat.is_active
            AND encode(sha256(convert_to(seat.password, 'UTF8')), 'hex') = %s
            AND seat.must_change = %s AND seat.two_factor = %s"""
    return f"""
        INSERT INTO {casts} (vote_id, delegate_id, choice, cast_at)
        SELECT v.id, {voter}, %s, %s FROM {source} WHERE v.id = %s AND v.state = %s {admitted}
        {lock} ON CONFLICT (vote_id, delegate_id) DO NOTHING RETURNING id"""  # noqa: S608


@functools.cache
def _seat_params() -> tuple[str, ...]:
    return tuple(str(value) for value in (*sorted(TWO_FACTOR_ROLES), Status.ACTIVE,
                 *OFFICIAL_CATEGORIES, Category.RESERVE))  # fmt: skip


def _seat(user_id: int, vote_id: int, choice: str, admitted: Admitted | None):
    """The voter's seat in `vote_id` (same rule as voter_record) in one statement, and whether
    that statement also stored the vote (only with `admitted`, on PostgreSQL)."""
    params = [*_seat_params(), vote_id, user_id]
    store = admitted is not None and connection.vendor == "postgresql"
    if store:
        params += [choice, timezone.now(), vote_id, str(VoteState.OPEN), admitted.password_digest,
                   admitted.must_change_password, admitted.needs_two_factor]  # fmt: skip
    row = fetch_one(_seat_sql(connection.vendor, store), params)
    if row is None:
        return None, False
    password, active, must_change, two_factor, delegate_id, state, allow_change = row[:7]
    seat = Seat(password, bool(active), bool(must_change), bool(two_factor), delegate_id, state,
                bool(allow_change))  # fmt: skip
    return seat, store and row[7] is not None


@dataclass(frozen=True)
class Recorded:
    choice: str
    changed: bool  # a vote changed (allowed by the presidium), not a first vote
    allow_change: bool


def cast(actor, vote: OpenVote, choice: str) -> Recorded:
    """One delegate, one vote (see cast_as)."""
    return cast_as(actor.pk, vote.pk, choice)


def cast_as(user_id: int, vote_id: int, choice: str, admit=None, admitted=None) -> Recorded:
    """One delegate, one vote. Two statements on the common path: one reads the seat, one
    INSERT … ON CONFLICT DO NOTHING stores the vote if the vote is still open (each commits on
    its own). A second vote is refused by the unique constraint, or changes the choice when the
    presidium allowed changes and the vote is open.

    `admit(seat)` lets the hot path check the session against the seat (password hash, second
    factor, forced password change) and raise NotAllowed before anything is written. With
    `admitted` (the facts an earlier admit accepted for this session) the seat's statement
    stores the vote itself if the user's row still holds them: one statement; otherwise the
    two statements run as above and `admit` decides.

    A first vote is not appended to the audit chain one by one: the VoteCast row is the record
    (who, what, when) and closing the vote seals a SHA-256 digest of all of them into the chain
    (casts_digest; `daihoi audit verify` recomputes it). A changed vote is audited as it
    happens."""
    if choice not in _CHOICES:
        raise InvalidInput(_("Lựa chọn không hợp lệ."), code="bad_choice")
    seat, stored = _seat(user_id, vote_id, choice, admitted)
    if stored:
        return Recorded(choice, False, seat.allow_change)
    if seat is not None and admit is not None:
        admit(seat)
    if seat is None or seat.delegate_id is None or not seat.is_active:
        raise NotAllowed(_("Chỉ đại biểu chính thức của đại hội được biểu quyết."))
    if seat.state != VoteState.OPEN:
        raise _not_open()
    params = [seat.delegate_id, choice, timezone.now(), vote_id, str(VoteState.OPEN)]
    if fetch_one(_insert_sql(connection.vendor), params) is not None:
        return Recorded(choice, False, seat.allow_change)
    return _change(user_id, vote_id, seat.delegate_id, choice)


def _not_open() -> InvalidInput:
    return InvalidInput(_("Biểu quyết chưa mở hoặc đã kết thúc."), code="not_open")


@transaction.atomic
def _change(user_id: int, vote_id: int, delegate_id: int, choice: str) -> Recorded:
    """The INSERT stored nothing: the vote closed meanwhile, or this delegate already voted."""
    vote = OpenVote.objects.select_for_update().get(pk=vote_id)
    if vote.state != VoteState.OPEN:
        raise _not_open()
    if not vote.allow_change:
        raise InvalidInput(_("Đồng chí đã biểu quyết; lần biểu quyết này không cho đổi ý."),
                           code="already_voted")  # fmt: skip
    ballot = VoteCast.objects.select_for_update().get(vote_id=vote_id, delegate_id=delegate_id)
    old = ballot.choice
    ballot.choice, ballot.changed_at = choice, timezone.now()
    ballot.save(update_fields=["choice", "changed_at"])
    actor = User.objects.get(pk=user_id)
    record(actor, "vote.changed", ballot, {"vote": vote_id, "from": old, "to": choice})
    return Recorded(choice, True, True)


def casts_digest(vote: OpenVote) -> str:
    """SHA-256 over every recorded vote (delegate, choice, times), in delegate order: sealed
    into the audit chain at close, recomputed by `daihoi audit verify`."""
    digest = hashlib.sha256()
    rows = vote.casts.order_by("delegate_id").values_list(
        "delegate_id", "choice", "cast_at", "changed_at"
    )
    for delegate_id, choice, cast_at, changed_at in rows.iterator(chunk_size=2000):
        changed = changed_at.isoformat() if changed_at else ""
        digest.update(f"{delegate_id}|{choice}|{cast_at.isoformat()}|{changed}\n".encode())
    return digest.hexdigest()


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
