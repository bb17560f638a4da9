"""Read-only admin for the audit chain: rows are written by record() alone."""

from __future__ import annotations

from django.contrib import admin

from daihoi.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["seq", "created_at", "actor_label", "action", "target_type", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "actor_label", "target_label", "target_id"]
    date_hierarchy = "created_at"
    ordering = ["-seq"]
    # Counting a large chain on every page is slow and adds nothing here.
    show_full_result_count = False
    fields = [
        "seq",
        "created_at",
        "actor",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "data",
        "prev_hash",
        "hash",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
