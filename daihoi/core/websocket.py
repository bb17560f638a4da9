"""Who is behind a websocket. The HTTP gates (two-factor, forced password change) are
middleware that websockets do not pass through, so consumers ask here instead."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY


def signed_in_user(scope):
    """The scope's user when fully signed in (second factor done where required), else None.
    Call from sync code (database_sync_to_async): it may read the user's roles."""
    user = scope.get("user")
    if user is None or not user.is_authenticated or user.must_change_password:
        return None
    session = scope.get("session")
    if user.requires_two_factor and not (session and session.get(DEVICE_ID_SESSION_KEY)):
        return None
    return user
