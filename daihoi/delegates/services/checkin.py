"""Check-in (điểm danh) per session: by the badge's QR token, by name, or from the paper list.

One attendance row per delegate per session (a database constraint), so a delegate checked in
twice is counted once and the second scan answers "already present". Each scan carries the
device's idempotency key: a scan sent again (a retry after a lost answer, or the browser's
offline queue syncing) finds the row its first sending stored and gets the same answer again.
After the commit the session's counter is pushed to the big screens (daihoi/delegates/live.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.base import compute_base
from daihoi.delegates.models import (
    OFFICIAL_CATEGORIES,
    AbsenceNote,
    Attendance,
    Badge,
    Category,
    CheckInMethod,
    Delegate,
    Session,
    Status,
)
from daihoi.delegates.rules import can_check_in, can_manage_delegates
from daihoi.vietnamese import nfc

# The QR code on a badge holds this prefix and the opaque token (services/badges.py).
TOKEN_PREFIX = "DH1:"  # noqa: S105 - a format marker, not a secret
KEY_MAX = 64


class Outcome:
    RECORDED = "recorded"  # this scan put the delegate on the session's list
    ALREADY_PRESENT = "already_present"  # another scan had done it before
    REJECTED = "rejected"  # unknown, revoked or other-congress badge, withdrawn delegate


@dataclass(frozen=True)
class CheckInResult:
    outcome: str
    message: str
    code: str = ""
    delegate: Delegate | None = None
    present_at: dt.datetime | None = None

    def as_json(self) -> dict:
        delegate = self.delegate
        return {
            "outcome": self.outcome,
            "code": self.code,
            "message": self.message,
            "delegate": None
            if delegate is None
            else {"id": delegate.pk, "number": delegate.number, "name": delegate.full_name},
            "present_at": timezone.localtime(self.present_at).strftime("%H:%M:%S %d/%m/%Y")
            if self.present_at
            else None,
        }


def _rejected(code: str, message: str, delegate: Delegate | None = None) -> CheckInResult:
    return CheckInResult(Outcome.REJECTED, message, code, delegate)


def _by_token(session: Session, scanned: str) -> Delegate | CheckInResult:
    token = (scanned or "").strip()
    if token.startswith(TOKEN_PREFIX):
        token = token[len(TOKEN_PREFIX) :]
    badge = Badge.objects.select_related("delegate").filter(token=token).first() if token else None
    if badge is None:
        return _rejected("unknown", _("Thẻ không có trong hệ thống. Đề nghị kiểm tra lại."))
    delegate = badge.delegate
    if delegate.congress_id != session.congress_id:
        return _rejected(
            "other_congress",
            _("Thẻ của đại hội khác (%(congress)s).") % {"congress": delegate.congress},
        )
    if badge.revoked_at is not None:
        return _rejected(
            "revoked",
            _("Thẻ đã bị thu hồi ngày %(date)s: %(reason)s")
            % {
                "date": timezone.localtime(badge.revoked_at).strftime("%d/%m/%Y"),
                "reason": badge.revoke_reason,
            },
            delegate,
        )
    return delegate


def _by_id(session: Session, delegate_id) -> Delegate | CheckInResult:
    try:
        delegate = Delegate.objects.filter(pk=int(delegate_id), congress=session.congress).first()
    except (TypeError, ValueError):
        delegate = None
    if delegate is None:
        return _rejected("unknown", _("Không tìm thấy đại biểu này trong đại hội."))
    return delegate


def _clean_key(key: str | None) -> str | None:
    key = (key or "").strip()
    if not key:
        return None
    if len(key) > KEY_MAX or not key.isprintable():
        raise InvalidInput(_("Mã lần quét không hợp lệ."), code="bad_key")
    return key


def _replayed(key: str | None) -> CheckInResult | None:
    if key is None:
        return None
    earlier = Attendance.objects.select_related("delegate").filter(idempotency_key=key).first()
    if earlier is None:
        return None
    return CheckInResult(
        Outcome.RECORDED, _("Đã điểm danh."), "", earlier.delegate, earlier.present_at
    )


def check_in(
    actor,
    session: Session,
    *,
    token: str | None = None,
    delegate_id=None,
    key: str | None = None,
    method: str | None = None,
) -> CheckInResult:
    """Record that a delegate is present at `session`; see the module docstring."""
    if not can_check_in(actor):
        raise NotAllowed(_("Đồng chí không có quyền điểm danh đại biểu."))
    key = _clean_key(key)
    if token is not None:
        found = _by_token(session, token)
        method = CheckInMethod.QR
    elif delegate_id is not None:
        found = _by_id(session, delegate_id)
        method = method if method in (CheckInMethod.NAME, CheckInMethod.PAPER) else "name"
    else:
        raise InvalidInput(_("Cần mã thẻ hoặc đại biểu để điểm danh."), code="nothing")
    if isinstance(found, CheckInResult):
        return _replayed(key) or found  # a replay of a scan made before a badge was revoked
    delegate = found
    if delegate.status == Status.WITHDRAWN:
        return _rejected(
            "withdrawn",
            _("Đại biểu đã rút tên: %(reason)s") % {"reason": delegate.withdrawal_reason},
            delegate,
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                delegate=delegate,
                session=session,
                present_at=now,
                method=method,
                idempotency_key=key,
                recorded_by=actor if actor.is_authenticated else None,
            )
            record(actor, "delegate.checked_in", delegate, {"session": session.pk, "key": key})
            transaction.on_commit(lambda: _announce(session))
    except IntegrityError:
        # A concurrent sending of the same key, or the delegate is already on the list.
        replay = _replayed(key)
        if replay is not None:
            return replay
        first = Attendance.objects.filter(delegate=delegate, session=session).first()
        if first is None:
            raise
        return CheckInResult(
            Outcome.ALREADY_PRESENT,
            _("Đại biểu đã điểm danh lúc %(time)s.")
            % {"time": timezone.localtime(first.present_at).strftime("%H:%M")},
            "already_present",
            delegate,
            first.present_at,
        )
    return CheckInResult(Outcome.RECORDED, _("Đã điểm danh."), "", delegate, attendance.present_at)


def _announce(session: Session) -> None:
    from daihoi.delegates.live import announce

    announce(session)


@dataclass(frozen=True)
class Counter:
    session_id: int
    present: int  # official seats present: officials, and reserves standing in for one
    summoned: int
    base: int
    others_present: int  # reserves not replacing anyone

    def as_json(self) -> dict:
        return {
            "session": self.session_id,
            "present": self.present,
            "summoned": self.summoned,
            "base": self.base,
            "others_present": self.others_present,
        }


def counter(session: Session) -> Counter:
    """The big screen's figures for one session: present / summoned / base (domain.md §5)."""
    base = compute_base(session.congress)
    seat = Q(delegate__category__in=OFFICIAL_CATEGORIES) | Q(
        delegate__category=Category.RESERVE, delegate__replaces__isnull=False
    )
    rows = Attendance.objects.filter(session=session, delegate__status=Status.ACTIVE)
    present = rows.filter(seat).count()
    others = rows.exclude(seat).count()
    return Counter(session.pk, present, base.summoned, base.value, others)


def roster_for_search(congress) -> list[dict]:
    """Every active delegate for the check-in page's name search, which runs in the browser so
    it keeps working while the network is down."""
    rows = Delegate.objects.filter(congress=congress, status=Status.ACTIVE).order_by("number")
    return [
        {"id": pk, "number": number, "name": name, "unit": unit or unit_text}
        for pk, number, name, unit, unit_text in rows.values_list(
            "pk", "number", "full_name", "party_unit__name", "party_unit_text"
        )
    ]


def present_ids(session: Session) -> list[int]:
    return list(session.attendances.values_list("delegate_id", flat=True))


@transaction.atomic
def create_session(actor, congress, name: str, kind: str, starts_at: dt.datetime) -> Session:
    """A session of the programme; each has its own check-in list."""
    if not can_manage_delegates(actor):
        raise NotAllowed(_("Đồng chí không có quyền quản lý phiên họp."))
    name = nfc(name or "").strip()
    if not name:
        raise InvalidInput(_("Cần nhập tên phiên họp."), code="name_required")
    if Session.objects.filter(congress=congress, name=name).exists():
        raise InvalidInput(_("Đã có phiên họp tên này."), code="duplicate")
    session = Session.objects.create(congress=congress, name=name, kind=kind, starts_at=starts_at)
    record(actor, "session.created", session, {"name": name, "kind": kind})
    return session


@transaction.atomic
def record_absence(actor, delegate: Delegate, reason: str, whole_congress: bool) -> AbsenceNote:
    """Why a delegate is absent; "the whole congress" matters for the base (base.py)."""
    if not can_manage_delegates(actor):
        raise NotAllowed(_("Đồng chí không có quyền ghi lý do vắng mặt."))
    reason = nfc(reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi lý do vắng mặt."), code="reason_required")
    note = AbsenceNote.objects.create(
        delegate=delegate, reason=reason, whole_congress=whole_congress
    )
    record(actor, "delegate.absence_noted", delegate, {"reason": reason, "whole": whole_congress})
    return note
