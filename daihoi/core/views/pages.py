"""Home, health check and the unit directory."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, UpdateView

from daihoi.core.forms import UnitForm
from daihoi.core.models import Role, Unit
from daihoi.core.rules import sees_all_units
from daihoi.core.services.errors import ServiceError
from daihoi.core.services.units import update_unit
from daihoi.core.views.mixins import ObjectPermissionMixin


@login_required
def home(request):
    request.active_nav = "home"
    user = request.user
    roles = [Role(r).label for r in sorted(user.role_set)]
    units = Unit.objects.filter(pk__in=user.liaison_unit_ids)
    return render(request, "core/home.html", {"roles": roles, "my_units": units})


@never_cache
def healthz(request):
    """Database and cache status for load balancers and the hall's monitoring."""
    status = {"database": {"vendor": connection.vendor}, "cache": {}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        status["database"]["ok"] = True
    except Exception as exc:  # noqa: BLE001 — any failure is reported, never raised
        status["database"].update(ok=False, error=type(exc).__name__)
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        cache.set("healthz", "1", 5)
        status["cache"] = {"ok": cache.get("healthz") == "1", "backend": backend}
    except Exception as exc:  # noqa: BLE001
        status["cache"] = {"ok": False, "backend": backend, "error": type(exc).__name__}
    healthy = status["database"]["ok"] and status["cache"]["ok"]
    status["status"] = "ok" if healthy else "error"
    return JsonResponse(status, status=200 if healthy else 503)


class UnitListView(ObjectPermissionMixin, ListView):
    model = Unit
    permission = "core.view_unit"
    template_name = "core/unit_list.html"
    paginate_by = 100

    def get_queryset(self):
        self.request.active_nav = "units"
        queryset = super().get_queryset().select_related("parent")
        kind = self.request.GET.get("loai")
        if kind:
            queryset = queryset.filter(kind=kind)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sees_all"] = sees_all_units(self.request.user)
        context["kind"] = self.request.GET.get("loai", "")
        context["kinds"] = Unit._meta.get_field("kind").choices
        return context


class UnitDetailView(ObjectPermissionMixin, DetailView):
    model = Unit
    permission = "core.view_unit"
    template_name = "core/unit_detail.html"

    def get_context_data(self, **kwargs):
        self.request.active_nav = "units"
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.request.user.has_perm("core.change_unit", self.object)
        context["liaisons"] = self.object.role_assignments.filter(
            role=Role.UNIT_LIAISON
        ).select_related("user")
        return context


class UnitUpdateView(ObjectPermissionMixin, UpdateView):
    model = Unit
    permission = "core.change_unit"
    template_name = "core/unit_form.html"
    form_class = UnitForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            update_unit(self.request.user, self.object, form.changes())
        except ServiceError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu thông tin đơn vị."))
        return redirect("unit_detail", pk=self.object.pk)
