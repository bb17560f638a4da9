"""Celery tasks of the consultation: the synthesis job runs here.

Without a broker (REDIS_URL unset) Celery runs the task inline, right after the request that
queued it commits: the background is always optional. Only the job's id travels.
"""

from __future__ import annotations

from celery import shared_task

import daihoi.celery  # noqa: F401 — loads the project's Celery settings (eager without a broker)
from daihoi.consultation.services.synthesis import run_job


@shared_task(name="daihoi.consultation.run_synthesis")
def run_synthesis(job_id: int) -> str:
    """Run one synthesis job; returns its final status ("done" or "failed")."""
    return run_job(job_id).status
