"""Celery tasks of the tasks app, run daily by Celery beat or by cron (`daihoi send_reminders`).

Without a broker (REDIS_URL unset) Celery runs them inline: the background is always optional.
Dates travel as ISO strings, so a queued call serialises as JSON.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

import daihoi.celery  # noqa: F401 — loads the project's Celery settings (eager without a broker)
from daihoi.tasks.reminders import send_digests
from daihoi.tasks.services.periodic import open_occurrences


def _day(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.localdate()


@shared_task(name="daihoi.tasks.send_daily_digests")
def send_daily_digests(day: str | None = None) -> int:
    """Send today's reminder digests; returns the number of e-mails sent."""
    return send_digests(_day(day))


@shared_task(name="daihoi.tasks.open_periodic_occurrences")
def open_periodic_occurrences(day: str | None = None) -> int:
    """Open the current report period of every periodic task; returns how many were opened."""
    return open_occurrences(_day(day))
