"""The audit chain as a page for the roles that may read it (rule "audit.view_entries")."""

from __future__ import annotations

from django.views.generic import ListView

from daihoi.audit.models import AuditEntry
from daihoi.core.views.mixins import PagePermissionMixin


class AuditListView(PagePermissionMixin, ListView):
    permission = "audit.view_entries"
    template_name = "audit/entry_list.html"
    paginate_by = 100

    def get_queryset(self):
        self.request.active_nav = "audit"
        queryset = AuditEntry.objects.order_by("-seq")
        prefix = self.request.GET.get("hanhdong", "").strip()[:60]
        if prefix:
            queryset = queryset.filter(action__startswith=prefix)
        return queryset
