"""A form's POST that runs one service call, for the views of every app."""

from __future__ import annotations

from django.contrib import messages

from daihoi.core.services.errors import ServiceError


def run_service(request, call, success, back):
    """Run `call()`; show its Vietnamese error, or `success` (a text, or a function of what the
    call returned) as a message; answer `back` (a redirect) either way."""
    try:
        done = call()
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success(done) if callable(success) else success)
    return back
