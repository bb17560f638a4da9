"""Hot paths: the few requests that come by the thousand a second (a delegate's vote, a citizen's
comment) are answered before the rest of the middleware stack, which they do not need
(sessions middleware, authentication, two-factor gates, messages, axes, htmx).

An app registers a route in its AppConfig.ready(): a method, a path pattern, an optional
condition on the request, and a handler `handler(request, csrf_ok, **groups)`. This middleware
(placed right after SecurityHeadersMiddleware, so the security headers still wrap the answers)
checks CSRF exactly as CsrfViewMiddleware does, activates the language the person chose, and
calls the handler. A handler answers, or returns None to let the normal stack handle the
request as if the hot path were not there (its errors, a CSRF failure page, …).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation

from daihoi.core.middleware import chosen_language


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern
    handler: Callable
    when: Callable | None = None


_routes: list[Route] = []


def register(method: str, pattern: str, handler: Callable, when: Callable | None = None) -> None:
    route = Route(method, re.compile(pattern), handler, when)
    if all(r.pattern.pattern != route.pattern.pattern or r.method != method for r in _routes):
        _routes.append(route)


class HotPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        for route in _routes:
            if request.method != route.method:
                continue
            match = route.pattern.match(request.path_info)
            if match is None or (route.when is not None and not route.when(request)):
                continue
            self.csrf.process_request(request)
            csrf_ok = self.csrf.process_view(request, None, (), {}) is None
            with translation.override(chosen_language(request)):
                response = route.handler(request, csrf_ok, **match.groupdict())
            if response is not None:
                if not response.streaming and not response.has_header("Content-Length"):
                    # What CommonMiddleware would add further down: the server then sends
                    # one body instead of chunks.
                    response.headers["Content-Length"] = str(len(response.content))
                return response
            break
        return self.get_response(request)
