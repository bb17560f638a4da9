import datetime as dt

import pytest

from daihoi.core.models import Role
from daihoi.tasks import status
from daihoi.tasks.services.periodic import open_occurrences, period_of
from daihoi.tasks.services.progress import post_progress
from tests.tasks.helpers import make_task

pytestmark = pytest.mark.django_db
D = dt.date


def test_periods(settings):
    settings.DAIHOI_REPORT_CUTOFF_DAY = 25
    assert period_of("monthly", D(2020, 7, 10)) == (D(2020, 7, 1), D(2020, 7, 31), D(2020, 7, 25))
    assert period_of("quarterly", D(2020, 8, 10)) == (D(2020, 7, 1), D(2020, 9, 30), D(2020, 9, 25))
    settings.DAIHOI_REPORT_CUTOFF_DAY = 31
    assert period_of("monthly", D(2020, 2, 3))[2] == D(2020, 2, 29)


def test_monthly_occurrences_drive_the_deadline(settings, unit, role_user):
    settings.DAIHOI_REPORT_CUTOFF_DAY = 25
    liaison = role_user(Role.UNIT_LIAISON, unit=unit)
    task = make_task(
        unit, kind="periodic", periodicity="monthly", deadline_text="định kỳ hằng tháng"
    )
    assert open_occurrences(D(2020, 7, 3)) == 1
    assert open_occurrences(D(2020, 7, 20)) == 0  # idempotent within the period
    task.refresh_from_db()
    assert task.deadline_date == D(2020, 7, 25)
    assert status.task_status(task, D(2020, 7, 26)) == status.OPEN_OVERDUE
    open_occurrences(D(2020, 8, 2))
    post_progress(liaison, task, "Báo cáo tháng 7", 30)  # closes July, the earliest open
    task.refresh_from_db()
    assert task.deadline_date == D(2020, 8, 25)
    reported = [o.submitted_at is not None for o in task.occurrences.order_by("due_date")]
    assert reported == [True, False]
