from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST


@login_required
def notification_list(request):
    request.active_nav = "notifications"
    items = request.user.notifications.select_related("task")[:200]
    return render(request, "tasks/notifications.html", {"items": items})


@require_POST
@login_required
def notifications_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notification_list")
