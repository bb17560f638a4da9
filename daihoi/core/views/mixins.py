"""The one place where views check permissions (django-rules predicates in daihoi/*/rules.py)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


class PagePermissionMixin(LoginRequiredMixin):
    """A page for some roles: others get a Vietnamese 403 page."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission and not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ObjectPermissionMixin(LoginRequiredMixin):
    """A page about one object: the queryset is scoped to what the user may see, and an object
    the user may not act on answers 404, so its existence does not leak (pretalx's habit)."""

    permission: str = ""

    def get_queryset(self):
        queryset = super().get_queryset()
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(self.request.user)
        return queryset

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.request.user.has_perm(self.permission, obj):
            raise Http404
        return obj


def require_perm(permission: str):
    """Function-view twin of PagePermissionMixin: sign-in required, then the role check (403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
