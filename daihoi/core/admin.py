"""Django admin for system admins. Every change made here is written to the audit chain too."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms.models import model_to_dict

from daihoi.audit.services import record
from daihoi.core.models import Congress, RoleAssignment, Unit, User


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.model_name}.{'updated' if change else 'created'}"
        changed = {name: form.cleaned_data.get(name) for name in form.changed_data}
        changed.pop("password", None)
        changed.pop("password1", None)
        changed.pop("password2", None)
        record(request.user, action, obj, {"via": "admin", "changed": _plain(changed)})

    def delete_model(self, request, obj):
        snapshot = _plain(model_to_dict(obj, exclude=["password"]))
        record(request.user, f"{obj._meta.model_name}.deleted", obj, {"via": "admin", **snapshot})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects + [o for o, _ in formset.changed_objects]:
            record(request.user, f"{obj._meta.model_name}.saved", obj, {"via": "admin"})
        for obj in formset.deleted_objects:
            record(request.user, f"{obj._meta.model_name}.deleted", obj, {"via": "admin"})


def _plain(values: dict) -> dict:
    """Model instances and querysets become ids, so the audit payload stays JSON."""
    out = {}
    for key, value in values.items():
        if hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "values_list"):
            value = list(value.values_list("pk", flat=True))
        elif isinstance(value, list | tuple | set):
            value = [getattr(v, "pk", v) for v in value]
        out[key] = value
    return out


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin", {"fields": ("full_name", "email", "phone", "position")}),
        ("Trạng thái", {"fields": ("is_active", "must_change_password")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "full_name", "password1", "password2")}),)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Admin flags follow the system-admin role, whatever was ticked.
        from daihoi.core.services.users import sync_admin_flags

        sync_admin_flags(form.instance)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "acronym", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(Congress)
class CongressAdmin(AuditedAdmin):
    list_display = ["__str__", "start_date", "venue", "is_current"]
