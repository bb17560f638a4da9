"""Reminders, the escalation of domain.md §3: an automatic alert to the unit's liaison (daily
digest e-mail + in-app notification) → a written reminder (công văn đôn đốc) from the office →
named in the report (daihoi.tasks.reports).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Role, RoleAssignment, Unit, User
from daihoi.tasks import status
from daihoi.tasks.models import Notification, Task, TaskState, TaskUnit, UnitRole

# The written reminder (công văn đôn đốc) lives with the letter's text; its entry points are here.
from daihoi.tasks.reports.letters import (
    draft_written_reminder,
    issue_written_reminder,
    overdue_tasks,
)
from daihoi.vietnamese import format_date

log = logging.getLogger(__name__)

DUE_SOON = "due_soon"
OVERDUE = "overdue"

__all__ = [
    "DUE_SOON",
    "OVERDUE",
    "Digest",
    "DigestItem",
    "build_digests",
    "draft_written_reminder",
    "issue_written_reminder",
    "overdue_tasks",
    "send_digests",
]


@dataclass(frozen=True)
class DigestItem:
    task: Task
    unit: Unit
    role: str  # UnitRole
    kind: str  # DUE_SOON or OVERDUE
    days: int  # days left before the deadline, or days past it

    @property
    def is_lead(self) -> bool:
        return self.role == UnitRole.LEAD


@dataclass
class Digest:
    """What one liaison is told today: lead tasks before coordinating ones."""

    user: User
    items: list[DigestItem] = field(default_factory=list)


def _sort_key(item: DigestItem) -> tuple:
    return (not item.is_lead, item.kind != OVERDUE, item.task.deadline_date, item.task.pk)


def _item(link: TaskUnit, today: dt.date) -> DigestItem | None:
    due = link.task.deadline_date
    if status.grid_status(due, None, today) == status.OPEN_OVERDUE:
        return DigestItem(link.task, link.unit, link.role, OVERDUE, (today - due).days)
    if status.is_due_soon(due, False, today):
        return DigestItem(link.task, link.unit, link.role, DUE_SOON, (due - today).days)
    return None


def build_digests(today: dt.date) -> list[Digest]:
    """Per active liaison, their units' tasks due soon (DAIHOI_DUE_SOON_DAYS) or overdue;
    done (by the DAIHOI_TASK_DONE_MEANS setting) and cancelled tasks are left out."""
    assignments = RoleAssignment.objects.filter(
        role=Role.UNIT_LIAISON, user__is_active=True, unit__isnull=False
    ).select_related("user")
    units_of: dict[int, set[int]] = defaultdict(set)
    users: dict[int, User] = {}
    for assignment in assignments:
        units_of[assignment.user_id].add(assignment.unit_id)
        users[assignment.user_id] = assignment.user
    horizon = today + dt.timedelta(days=settings.DAIHOI_DUE_SOON_DAYS)
    links = (
        TaskUnit.objects.filter(
            unit_id__in={u for ids in units_of.values() for u in ids},
            task__deadline_date__lte=horizon,
            **{f"task__{status.done_field()}__isnull": True},
        )
        .exclude(task__state=TaskState.CANCELLED)
        .select_related("task", "task__document", "unit")
    )
    items_by_unit: dict[int, list[DigestItem]] = defaultdict(list)
    for link in links:
        if (item := _item(link, today)) is not None:
            items_by_unit[link.unit_id].append(item)
    digests = []
    for user_id, unit_ids in units_of.items():
        chosen: dict[int, DigestItem] = {}  # one line per task; the lead role wins
        for unit_id in unit_ids:
            for item in items_by_unit.get(unit_id, []):
                held = chosen.get(item.task.pk)
                if held is None or (item.is_lead and not held.is_lead):
                    chosen[item.task.pk] = item
        if chosen:
            digests.append(Digest(users[user_id], sorted(chosen.values(), key=_sort_key)))
    return sorted(digests, key=lambda d: d.user.pk)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _new_items(digest: Digest, today: dt.date) -> list[DigestItem]:
    """Items not yet notified on or after `today` (what makes a second run the same day a no-op:
    the Notification rows are the record of what was sent)."""
    sent = set(
        Notification.objects.filter(
            user=digest.user,
            task_id__in=[item.task.pk for item in digest.items],
            kind__in=[DUE_SOON, OVERDUE],
            created_at__gte=_start_of(today),
        ).values_list("task_id", "kind")
    )
    return [item for item in digest.items if (item.task.pk, item.kind) not in sent]


def notification_text(item: DigestItem) -> str:
    values = {
        "title": item.task.title[:300],
        "date": format_date(item.task.deadline_date),
        "days": item.days,
    }
    if item.kind == OVERDUE:
        return _("Nhiệm vụ «%(title)s» đã quá hạn %(days)s ngày (hạn %(date)s).") % values
    return _("Nhiệm vụ «%(title)s» đến hạn ngày %(date)s (còn %(days)s ngày).") % values


def _task_url(task: Task) -> str:
    base = getattr(settings, "DAIHOI_SITE_URL", "").rstrip("/")
    try:
        return base + reverse("task_detail", args=[task.pk]) if base else ""
    except NoReverseMatch:
        return ""


def digest_subject(today: dt.date) -> str:
    return _("[daihoi] Nhiệm vụ sắp đến hạn và quá hạn — %(day)s") % {"day": format_date(today)}


def _send(digest: Digest, items: list[DigestItem], today: dt.date) -> bool:
    if not digest.user.email:
        return False
    context = {
        "user": digest.user,
        "today": today,
        "lead": [(item, _task_url(item.task)) for item in items if item.is_lead],
        "coordinating": [(item, _task_url(item.task)) for item in items if not item.is_lead],
        "due_soon_days": settings.DAIHOI_DUE_SOON_DAYS,
    }
    context["sections"] = [
        (_("Đơn vị chủ trì"), context["lead"]),
        (_("Đơn vị phối hợp"), context["coordinating"]),
    ]
    send_mail(
        digest_subject(today),
        render_to_string("tasks/email/digest.txt", context),
        None,
        [digest.user.email],
        html_message=render_to_string("tasks/email/digest.html", context),
    )
    return True


def send_digests(today: dt.date | None = None) -> int:
    """One e-mail per liaison with something new today, and one Notification per task item.
    Returns the number of e-mails sent. Idempotent per day; audited once per run that sent."""
    today = today or timezone.localdate()
    emails, notified, users = 0, 0, []
    with translation.override(settings.LANGUAGE_CODE):
        for digest in build_digests(today):
            try:
                with transaction.atomic():
                    # One runner at a time per liaison, so two workers never both send.
                    User.objects.select_for_update().filter(pk=digest.user.pk).first()
                    items = _new_items(digest, today)
                    if not items:
                        continue
                    Notification.objects.bulk_create(
                        Notification(
                            user=digest.user,
                            task=item.task,
                            kind=item.kind,
                            text=notification_text(item),
                        )
                        for item in items
                    )
                    emails += _send(digest, items, today)
            except (OSError, smtplib.SMTPException):
                # Nothing was recorded for this liaison, so the next run tries again.
                log.warning("Không gửi được thư nhắc việc cho %s", digest.user, exc_info=True)
                continue
            notified += len(items)
            users.append(digest.user.pk)
    if notified:
        record(
            None,
            "reminders.sent",
            data={"day": today, "emails": emails, "notifications": notified, "users": users},
        )
    return emails
