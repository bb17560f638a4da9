"""Sign-in on the hall's tablets (máy tính bảng hội trường) to vote: by the badge QR or by a
one-time code.

A one-time code is eight characters from an alphabet without look-alikes (no I, L, O, 0, 1):
31^8 ≈ 8.5 × 10^11 codes. It is issued to one delegate by the check-in staff at the desk or by
the delegate from their own signed-in phone, works once, for CODE_MINUTES, and a new code
cancels the delegate's earlier unused one. Only a keyed hash (HMAC-SHA256 with the site's
secret key) is stored. Failed attempts are counted in the cache per tablet address and per code
typed; past the limits the tablet waits out the window.

Who may sign in: an active delegate of the current congress who holds a voting seat
(`voting.services.voter_record`), with a valid badge when signing in by badge, and checked in at
the current session (the latest one that has started) when the congress takes attendance per
session: the tablets stand in the hall, and a vote from someone the counter does not show as
present would not add up. A delegate without an account gets one with no password: it can be
used only through this sign-in. The session this gives is restricted to the voting pages by
`daihoi.core.middleware` (HALL_SESSION_KEY), whatever roles the account holds.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Role, User
from daihoi.core.services import users as user_services
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import (
    Attendance,
    Badge,
    Category,
    Delegate,
    HallCode,
    Session,
    Status,
)
from daihoi.delegates.rules import can_check_in, is_own_record
from daihoi.delegates.services.badges import token_from_payload

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_MINUTES = 10
FAIL_WINDOW = 10 * 60  # seconds the failure counters live
MAX_FAILS_PER_ADDRESS = 10
MAX_FAILS_PER_CODE = 5


class Method:
    BADGE = "badge"
    CODE = "code"


@dataclass(frozen=True)
class IssuedCode:
    delegate: Delegate
    code: str  # shown once, as ABCD-EFGH
    expires_at: dt.datetime


@dataclass(frozen=True)
class Admitted:
    user: User
    delegate: Delegate
    method: str


def normalise_code(text: str) -> str:
    """What the person typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[: CODE_LENGTH * 2]


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _hash(code: str) -> str:
    return salted_hmac("daihoi.hall-code", code, algorithm="sha256").hexdigest()


def holds_seat(delegate: Delegate) -> bool:
    """The seat rule of voting.services.voter_record, for a delegate who may have no account."""
    if delegate.status != Status.ACTIVE:
        return False
    return delegate.is_official or (
        delegate.category == Category.RESERVE and delegate.replaces_id is not None
    )


# --- Issuing codes ---


def issue_code(actor, delegate: Delegate) -> IssuedCode:
    """Cấp mã: by check-in staff at the desk, or by the delegate for themself."""
    own = is_own_record(actor, delegate)
    if not (can_check_in(actor) or own):
        raise NotAllowed(_("Đồng chí không có quyền cấp mã đăng nhập hội trường."))
    if not holds_seat(delegate) or not delegate.congress.is_current:
        raise InvalidInput(
            _("Đại biểu %(name)s không có quyền biểu quyết tại đại hội này.")
            % {"name": delegate.full_name},
            code="no_seat",
        )
    for _attempt in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        try:
            return _store(actor, delegate, code, "self" if own else "desk")
        except IntegrityError:
            continue  # the same code was issued before (about one chance in 10^11): draw again
    raise InvalidInput(_("Không tạo được mã, đề nghị thử lại."), code="retry")


@transaction.atomic
def _store(actor, delegate: Delegate, code: str, by: str) -> IssuedCode:
    now = timezone.now()
    # One issue at a time per delegate, so only the newest code is ever live.
    Delegate.objects.select_for_update().filter(pk=delegate.pk).first()
    HallCode.objects.filter(
        delegate=delegate, used_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=now
    ).update(cancelled_at=now)
    expires = now + dt.timedelta(minutes=CODE_MINUTES)
    row = HallCode.objects.create(
        delegate=delegate, code_hash=_hash(code), issued_by=actor, issued_at=now,
        expires_at=expires,
    )  # fmt: skip
    record(actor, "hall.code_issued", delegate, {"code": row.pk, "by": by, "expires": expires})
    return IssuedCode(delegate, format_code(code), expires)


# --- Failure counters (cache: Redis when configured, else the process's memory) ---


def _address_key(address: str) -> str:
    return f"hall-fail:addr:{address}"


def _code_key(code_hash: str) -> str:
    return f"hall-fail:code:{code_hash}"


def _bump(key: str) -> None:
    if not cache.add(key, 1, FAIL_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, FAIL_WINDOW)


def _throttled(address: str, method: str, code_hash: str | None) -> None:
    over_address = cache.get(_address_key(address), 0) >= MAX_FAILS_PER_ADDRESS
    over_code = code_hash is not None and cache.get(_code_key(code_hash), 0) >= MAX_FAILS_PER_CODE
    if not (over_address or over_code):
        return
    # Audited once per window and address, so a flood of attempts cannot flood the audit chain.
    if cache.add(f"hall-fail:noted:{address}", 1, FAIL_WINDOW):
        record(None, "hall.sign_in_failed", None,
               {"method": method, "reason": "throttled", "address": address})  # fmt: skip
    raise InvalidInput(
        _("Đã nhập sai quá nhiều lần. Đề nghị chờ %(minutes)d phút hoặc đến bàn đón tiếp.")
        % {"minutes": FAIL_WINDOW // 60},
        code="throttled",
    )


def _refuse(
    reason: str, message: str, *, address: str, method: str,
    delegate: Delegate | None = None, code_hash: str | None = None,
):  # fmt: skip
    _bump(_address_key(address))
    if code_hash is not None:
        _bump(_code_key(code_hash))
    record(None, "hall.sign_in_failed", delegate,
           {"method": method, "reason": reason, "address": address})  # fmt: skip
    raise InvalidInput(message, code=reason)


# --- Signing in ---


def current_session(congress, now: dt.datetime | None = None) -> Session | None:
    """The session under way: the latest that has started."""
    now = now or timezone.now()
    return (
        Session.objects.filter(congress=congress, starts_at__lte=now).order_by("-starts_at").first()
    )


def _check_delegate(delegate: Delegate, *, address: str, method: str, code_hash=None) -> None:
    refuse = {"address": address, "method": method, "delegate": delegate, "code_hash": code_hash}
    if not delegate.congress.is_current:
        _refuse("other_congress", _("Thẻ hoặc mã của đại hội khác."), **refuse)
    if delegate.status != Status.ACTIVE:
        _refuse("withdrawn", _("Đại biểu đã rút tên, không biểu quyết."), **refuse)
    if not holds_seat(delegate):
        _refuse("no_seat", _("Đại biểu dự khuyết chưa thay đại biểu chính thức nào, không "
                             "biểu quyết."), **refuse)  # fmt: skip
    if getattr(settings, "DAIHOI_HALL_REQUIRE_CHECK_IN", True):
        session = current_session(delegate.congress)
        present = Attendance.objects.filter(delegate=delegate, session=session).exists()
        if session is not None and not present:
            _refuse(
                "not_checked_in",
                _("Đồng chí chưa điểm danh «%(session)s». Đề nghị điểm danh tại bàn đón tiếp "
                  "rồi đăng nhập lại.") % {"session": session.name},
                **refuse,
            )  # fmt: skip


def _account(delegate: Delegate) -> User:
    """The delegate's account; one with no usable password is made for a delegate without."""
    delegate = (
        Delegate.objects.select_for_update(of=("self",)).select_related("user").get(pk=delegate.pk)
    )
    user = delegate.user
    if user is None:
        base = f"daibieu-{delegate.congress_id}-{delegate.number}"
        taken = User.objects.filter(username__iexact=base).exists()
        username = f"{base}-{delegate.pk}" if taken else base
        user = user_services.create_user(None, username, delegate.full_name)
        delegate.user = user
        delegate.save(update_fields=["user"])
        record(None, "delegate.hall_account_created", delegate, {"user": user.pk})
    if user.is_active and not user.has_role(Role.DELEGATE):
        user_services.assign_role(None, user, Role.DELEGATE)
    return user


def _admit(delegate: Delegate, *, address: str, method: str, code_hash=None) -> Admitted:
    from daihoi.voting.services import voter_record

    with transaction.atomic():
        user = _account(delegate)
        admitted = user.is_active and voter_record(user, delegate.congress) == delegate
        if admitted:
            record(user, "hall.signed_in", delegate, {"method": method, "address": address})
    if not admitted:  # refused outside the transaction, so the failure's audit row stays
        _refuse("no_account", _("Tài khoản của đại biểu đang bị khóa. Đề nghị liên hệ Ban Tổ "
                                "chức."), address=address, method=method, delegate=delegate,
                code_hash=code_hash)  # fmt: skip
    return Admitted(user, delegate, method)


def sign_in_by_code(typed: str, address: str) -> Admitted:
    code = normalise_code(typed)
    code_hash = _hash(code) if code else None
    _throttled(address, Method.CODE, code_hash)
    refuse = {"address": address, "method": Method.CODE, "code_hash": code_hash}
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        _refuse("bad_code", _("Mã gồm 8 ký tự (chữ in hoa và số), đề nghị nhập lại."), **refuse)
    row = HallCode.objects.select_related("delegate__congress").filter(code_hash=code_hash).first()
    if row is None:
        _refuse("unknown_code", _("Mã không đúng. Đề nghị kiểm tra và nhập lại."), **refuse)
    refuse["delegate"] = row.delegate
    if row.used_at is not None:
        _refuse("used_code", _("Mã này đã được dùng. Đề nghị lấy mã mới."), **refuse)
    if row.cancelled_at is not None:
        _refuse("replaced_code", _("Mã này đã được thay bằng mã mới hơn."), **refuse)
    if row.expires_at <= timezone.now():
        _refuse("expired_code", _("Mã đã hết hạn (%(minutes)d phút). Đề nghị lấy mã mới.")
                % {"minutes": CODE_MINUTES}, **refuse)  # fmt: skip
    del refuse["delegate"]
    _check_delegate(row.delegate, **refuse)
    # Single use even when two tablets send the same code at the same moment: one UPDATE wins.
    now = timezone.now()
    won = HallCode.objects.filter(
        pk=row.pk, used_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not won:
        _refuse("used_code", _("Mã này đã được dùng. Đề nghị lấy mã mới."),
                delegate=row.delegate, **refuse)  # fmt: skip
    return _admit(row.delegate, **refuse)


def sign_in_by_badge(payload: str, address: str) -> Admitted:
    _throttled(address, Method.BADGE, None)
    refuse = {"address": address, "method": Method.BADGE}
    token = token_from_payload((payload or "").strip()[:200])
    badge = (
        Badge.objects.select_related("delegate__congress").filter(token=token).first()
        if token
        else None
    )
    if badge is None:
        _refuse("unknown_badge", _("Thẻ không có trong hệ thống. Đề nghị dùng mã đăng nhập."),
                **refuse)  # fmt: skip
    if badge.revoked_at is not None:
        _refuse("revoked_badge", _("Thẻ đã bị thu hồi. Đề nghị đến bàn đón tiếp."),
                delegate=badge.delegate, **refuse)  # fmt: skip
    _check_delegate(badge.delegate, **refuse)
    return _admit(badge.delegate, **refuse)


def signed_out(user, delegate_id: int | None, reason: str) -> None:
    """Audit the end of a hall session (the sign-out button, or the header's)."""
    record(user, "hall.signed_out", user, {"delegate": delegate_id, "reason": reason})
