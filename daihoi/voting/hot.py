"""The hot path of a vote: in a large hall a thousand delegates press a button within seconds.

`voting.js` sends the choice with `Accept: application/json` to the same address as the plain
form (`/bieu-quyet/<id>/bo-phieu/`). That request is answered on the hot path
(daihoi/core/hotpath.py, registered in apps.py) instead of by the whole middleware stack: CSRF
checked as Django does, the session read from its store, then `services.cast_as` reads the
voter's seat in one statement and stores the vote in one INSERT; the session is checked against
that same row (active account, password not changed since sign-in, second factor where the role
needs it, no pending forced password change, a hall tablet's session still running) before
anything is written. The session keeps the facts it was admitted under (services.Admitted,
kept at sign-in or after a vote); while the user's row still holds them, the seat's statement
stores the vote itself: one statement instead of two, and the same rules. Everything else — the
form without JavaScript, every other page — goes through the normal stack.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import astuple
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import UpdateError
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from daihoi.core.middleware import HALL_SESSION_KEY, hall_expired
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.voting import services
from daihoi.voting.models import Choice

CAST_PATH = r"^/bieu-quyet/(?P<vote_id>[0-9]{1,12})/bo-phieu/$"
_SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


# The facts the session was last admitted under (services.Admitted) and the session's own state
# then (hall tablet?, second factor?). Only a hint: the seat's statement stores a vote from it
# only while the user's row still holds those facts, otherwise the two statements run and
# _refusal() decides again.
ADMITTED_SESSION_KEY = "_vote_admitted"


def wants_json(request) -> bool:
    return "application/json" in request.META.get("HTTP_ACCEPT", "")


def cast(request, csrf_ok: bool, vote_id: str) -> JsonResponse:
    """POST /bieu-quyet/<id>/bo-phieu/ with Accept: application/json (registered in apps.py)."""
    if not csrf_ok:
        return _answer(403, "csrf", _("Phiên gửi không hợp lệ; đề nghị tải lại trang."))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    user_id = session.get(SESSION_KEY)
    backend = session.get(BACKEND_SESSION_KEY)
    if not str(user_id).isdigit() or backend not in settings.AUTHENTICATION_BACKENDS:
        return _answer(403, "signed_out", _expired())
    hall = session.get(HALL_SESSION_KEY)
    # A hall tablet's session is held to voting instead of the second factor; it ends when
    # idle or at the day's end, as the middleware's gate says.
    if hall is not None and hall_expired(hall) is not None:
        return _answer(403, "not_allowed", _expired())
    known = session.get(ADMITTED_SESSION_KEY)
    admitted = None
    if isinstance(known, list) and len(known) == 5 and known[3:] == _state(session):
        admitted = services.Admitted(*known[:3])

    def admit(seat: services.Seat) -> None:
        refusal = _refusal(seat, session)
        if refusal is not None:
            raise NotAllowed(refusal)
        _remember(session, seat)

    try:
        choice = request.POST.get("choice", "")
        recorded = services.cast_as(int(user_id), int(vote_id), choice, admit, admitted)
    except NotAllowed as exc:
        return _answer(403, "not_allowed", exc.message)
    except InvalidInput as exc:
        return _answer(400 if exc.code == "bad_choice" else 409, exc.code, exc.message)
    if hall is not None:  # a tap on the tablet keeps its session alive
        session[HALL_SESSION_KEY] = {**hall, "last": time.time()}
    if session.modified:
        with contextlib.suppress(UpdateError):  # signed out meanwhile: the vote stands
            session.save()
    label = str(Choice(recorded.choice).label)
    return JsonResponse({
        "choice": recorded.choice, "label": label, "changed": recorded.changed,
        "can_change": recorded.allow_change,
        "message": _("Đã ghi nhận phiếu của đồng chí: %(choice)s.") % {"choice": label},
    }, headers=_HEADERS)  # fmt: skip


def remember_sign_in(session, user) -> None:
    """At sign-in, and when a hall tablet's session starts: keep in the session what it is
    admitted under, so that even its first vote is one statement (no session write then)."""
    seat = services.Seat(user.password, user.is_active, user.must_change_password,
                         user.requires_two_factor, None, "", False)  # fmt: skip
    if _refusal(seat, session) is None:
        _remember(session, seat)
    else:
        session.pop(ADMITTED_SESSION_KEY, None)


def _state(session) -> list[bool]:
    return [session.get(HALL_SESSION_KEY) is not None, bool(session.get(DEVICE_ID_SESSION_KEY))]


def _refusal(seat: services.Seat, session) -> str | None:
    """Why this session may not vote as the user of `seat`, as Django's middleware and ours
    would refuse it; None when it may."""
    hall, device = _state(session)
    if not seat.is_active or not _same_password(seat.password, session.get(HASH_SESSION_KEY)):
        return _expired()
    if not hall and (seat.must_change_password or (seat.needs_two_factor and not device)):
        return _("Đồng chí cần hoàn tất đăng nhập trước khi biểu quyết.")
    return None


def _remember(session, seat: services.Seat) -> None:
    entry = [*astuple(services.Admitted.of(seat)), *_state(session)]
    if session.get(ADMITTED_SESSION_KEY) != entry:
        session[ADMITTED_SESSION_KEY] = entry


def _expired() -> str:
    return _("Phiên làm việc đã hết hạn. Đề nghị đồng chí đăng nhập lại.")


def _same_password(password: str, session_hash: str | None) -> bool:
    """Django's session check: the hash stored at sign-in still matches the password (a password
    change signs the other sessions out), with the old secret keys still accepted."""
    if not session_hash:
        return False
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        expected = salted_hmac(_SESSION_HASH_SALT, password, secret=secret, algorithm="sha256")
        if constant_time_compare(session_hash, expected.hexdigest()):
            return True
    return False


def _answer(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "error": message}, status=status, headers=_HEADERS)
