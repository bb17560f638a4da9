"""The demo shows every status of the grid, with the 18 tasks of notice 2682-TB/TU."""

import pytest
from django.utils import timezone

from daihoi.core.services.example import load_example
from daihoi.documents.demo import load_demo_documents
from daihoi.tasks import grid, status
from daihoi.tasks.demo import NOTICE_JSON, load_demo_tasks
from daihoi.tasks.models import Task


@pytest.mark.django_db
def test_demo_tasks_cover_the_grid(tmp_path):
    assert NOTICE_JSON.exists(), "the shared data folder must be beside the project"
    load_example(tmp_path / "logins.json")
    load_demo_documents()
    assert load_demo_tasks() == 20
    assert load_demo_tasks() == 0  # idempotent
    counts = grid.summarize(Task.objects.all(), timezone.localdate()).totals.counts
    assert all(counts[key] >= 1 for key in status.GRID), counts
    notice_tasks = Task.objects.filter(document__symbol="2682-TB/TU").exclude(source_text="")
    assert notice_tasks.count() == 18
    assert all(t.title[:1].isupper() for t in notice_tasks)
