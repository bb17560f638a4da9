"""Who is behind a websocket. The HTTP gates (two-factor, forced password change, the hall
tablets' voting-only sessions) are middleware that websockets do not pass through, so consumers
ask here instead."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY

from daihoi.core.middleware import HALL_SESSION_KEY, hall_expired


def signed_in_user(scope, *, hall_allowed: bool = False):
    """The scope's user when fully signed in (second factor done where required), else None.
    A hall tablet's session (held to voting, see core.middleware) counts only where the caller
    says it may (`hall_allowed`: the vote counters) and only while it runs.
    Call from sync code (database_sync_to_async): it may read the user's roles."""
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return None
    session = scope.get("session")
    hall = session.get(HALL_SESSION_KEY) if session is not None else None
    if hall is not None:
        return user if hall_allowed and hall_expired(hall) is None else None
    if user.must_change_password:
        return None
    if user.requires_two_factor and not (session and session.get(DEVICE_ID_SESSION_KEY)):
        return None
    return user
