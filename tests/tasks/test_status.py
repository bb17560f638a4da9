"""The status grid for every deadline kind and both readings of "done", at frozen dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from daihoi.core.services.errors import InvalidInput
from daihoi.tasks import grid, status
from daihoi.tasks.models import Task
from daihoi.tasks.services.create import normalise_deadline
from tests.tasks.helpers import aware, make_task

D = dt.date


@pytest.mark.parametrize(
    ("due", "done_on", "today", "expected"),
    [
        (D(2020, 8, 30), D(2020, 8, 30), D(2020, 9, 5), status.DONE_ON_TIME),
        (D(2020, 8, 30), D(2020, 8, 31), D(2020, 9, 5), status.DONE_LATE),
        (D(2020, 8, 30), None, D(2020, 8, 30), status.OPEN_WITHIN),
        (D(2020, 8, 30), None, D(2020, 8, 31), status.OPEN_OVERDUE),
        (None, None, D(2020, 8, 31), status.NO_DEADLINE),
        (None, D(2020, 8, 1), D(2020, 8, 31), status.NO_DEADLINE_DONE),
    ],
)
def test_grid_status(due, done_on, today, expected):
    assert status.grid_status(due, aware(done_on) if done_on else None, today) == expected


def test_done_late_in_the_evening_counts_in_local_time():
    # 23:30 on the deadline day in Hà Nội is 16:30 UTC: still on time.
    late_evening = aware(D(2020, 8, 30), hour=23)
    assert status.grid_status(D(2020, 8, 30), late_evening, D(2020, 9, 1)) == status.DONE_ON_TIME


@pytest.mark.parametrize(
    ("kind", "given", "due"),
    [
        ("date", D(2020, 8, 30), D(2020, 8, 30)),
        ("month", D(2020, 7, 1), D(2020, 7, 31)),
        ("month", D(2020, 2, 10), D(2020, 2, 29)),
        ("quarter", D(2020, 8, 1), D(2020, 9, 30)),
        ("quarter", D(2020, 1, 1), D(2020, 3, 31)),
        ("year", D(2020, 3, 3), D(2020, 12, 31)),
        ("none", None, None),
        ("event", None, None),
        ("event", D(2020, 10, 11), D(2020, 10, 11)),
    ],
)
def test_deadline_kinds_fall_due_on_the_periods_last_day(kind, given, due):
    assert normalise_deadline(kind, given) == due


def test_deadline_kind_needs_a_date():
    with pytest.raises(InvalidInput):
        normalise_deadline("month", None)


@pytest.mark.django_db
@pytest.mark.parametrize("done_means", ["submitted", "approved"])
def test_grid_for_every_kind_under_both_settings(settings, unit, done_means):
    """A task submitted on time but approved late is on time only when "done" means submitted."""
    from django.utils import timezone

    settings.DAIHOI_TASK_DONE_MEANS = done_means
    today = D(2020, 9, 15)
    month_task = make_task(unit, kind="month", due=D(2020, 7, 1), chain=["Tiểu ban"])
    Task.objects.filter(pk=month_task.pk).update(
        submitted_at=aware(D(2020, 7, 30)), approved_at=aware(D(2020, 8, 5)), state="approved"
    )
    quarter_open = make_task(unit, kind="quarter", due=D(2020, 8, 1))
    year_open = make_task(unit, kind="year", due=D(2020, 1, 1))
    none_task = make_task(unit, kind="none")
    date_overdue = make_task(unit, kind="date", due=D(2020, 9, 1))
    expected = {
        month_task.pk: status.DONE_ON_TIME if done_means == "submitted" else status.DONE_LATE,
        quarter_open.pk: status.OPEN_WITHIN,
        year_open.pk: status.OPEN_WITHIN,
        none_task.pk: status.NO_DEADLINE,
        date_overdue.pk: status.OPEN_OVERDUE,
    }
    in_python = {t.pk: status.task_status(t, today) for t in Task.objects.all()}
    in_sql = dict(grid.annotate_status(Task.objects.all(), today).values_list("pk", "grid"))
    assert in_python == expected == in_sql
    assert timezone.is_aware(Task.objects.get(pk=month_task.pk).submitted_at)


@pytest.mark.django_db
@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    due=st.one_of(st.none(), st.dates(D(2019, 1, 1), D(2021, 12, 31))),
    done=st.one_of(st.none(), st.datetimes(dt.datetime(2019, 1, 1), dt.datetime(2021, 12, 31))),
    today=st.dates(D(2019, 1, 1), D(2021, 12, 31)),
)
def test_sql_and_python_agree(unit, due, done, today):
    from django.utils import timezone

    done_at = timezone.make_aware(done) if done else None
    task = make_task(unit, kind="date" if due else "none", due=due)
    Task.objects.filter(pk=task.pk).update(approved_at=done_at, submitted_at=done_at)
    sql = grid.annotate_status(Task.objects.filter(pk=task.pk), today).get().grid
    assert sql == status.grid_status(due, done_at, today)
    Task.objects.filter(pk=task.pk).delete()


def test_due_soon(settings):
    settings.DAIHOI_DUE_SOON_DAYS = 7
    today = D(2020, 8, 23)
    assert status.is_due_soon(D(2020, 8, 30), False, today)
    assert not status.is_due_soon(D(2020, 8, 31), False, today)
    assert not status.is_due_soon(D(2020, 8, 30), True, today)
    assert not status.is_due_soon(D(2020, 8, 22), False, today)  # overdue, not "soon"
