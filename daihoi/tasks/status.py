"""The status grid every Vietnamese office reports, derived from dates and never typed.

done on time / done late / not done within deadline / not done overdue, plus no deadline.
The same rule exists twice on purpose: `grid_status` for one task in Python, and
`grid_status_expression` for a whole queryset in SQL (dashboards over 10,000 tasks);
tests check they agree.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OPEN_WITHIN = "open_within"
OPEN_OVERDUE = "open_overdue"
NO_DEADLINE = "no_deadline"
NO_DEADLINE_DONE = "no_deadline_done"

GRID = [DONE_ON_TIME, DONE_LATE, OPEN_WITHIN, OPEN_OVERDUE, NO_DEADLINE, NO_DEADLINE_DONE]
LABELS = {
    DONE_ON_TIME: _("Hoàn thành đúng hạn"),
    DONE_LATE: _("Hoàn thành quá hạn"),
    OPEN_WITHIN: _("Chưa hoàn thành, trong hạn"),
    OPEN_OVERDUE: _("Chưa hoàn thành, quá hạn"),
    NO_DEADLINE: _("Không có thời hạn, đang thực hiện"),
    NO_DEADLINE_DONE: _("Không có thời hạn, đã hoàn thành"),
}


def done_field() -> str:
    """Which timestamp means "done": the submission or the final approval (a setting)."""
    return "submitted_at" if settings.DAIHOI_TASK_DONE_MEANS == "submitted" else "approved_at"


def local_date(moment: dt.datetime | None, tz: dt.tzinfo | None = None) -> dt.date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(tz or timezone.get_current_timezone()).date()


def grid_status(
    due: dt.date | None, done_at: dt.datetime | None, today: dt.date, tz: dt.tzinfo | None = None
) -> str:
    """`tz` (default: the current time zone) decides on which day a timestamp falls."""
    done_on = local_date(done_at, tz)
    if due is None:
        return NO_DEADLINE_DONE if done_on else NO_DEADLINE
    if done_on is not None:
        return DONE_ON_TIME if done_on <= due else DONE_LATE
    return OPEN_WITHIN if today <= due else OPEN_OVERDUE


def task_status(task, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return grid_status(task.deadline_date, getattr(task, done_field()), today)


def is_due_soon(due: dt.date | None, done: bool, today: dt.date) -> bool:
    if due is None or done:
        return False
    return 0 <= (due - today).days <= settings.DAIHOI_DUE_SOON_DAYS


def grid_status_expression(today: dt.date) -> Case:
    """SQL twin of grid_status; dates of the done timestamp are taken in the local time zone."""
    done = done_field()
    due = "deadline_date"
    done_on = TruncDate(done, tzinfo=timezone.get_current_timezone())
    has_done = Q(**{f"{done}__isnull": False})
    no_due = Q(**{f"{due}__isnull": True})
    return Case(
        When(no_due & has_done, then=Value(NO_DEADLINE_DONE)),
        When(no_due, then=Value(NO_DEADLINE)),
        When(has_done & Q(**{f"{due}__gte": done_on}), then=Value(DONE_ON_TIME)),
        When(has_done, then=Value(DONE_LATE)),
        When(**{f"{due}__gte": Value(today)}, then=Value(OPEN_WITHIN)),
        default=Value(OPEN_OVERDUE),
        output_field=CharField(),
    )


# --- Deadlines as written: month, quarter and year deadlines fall due on the period's last day ---


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> dt.date:
    if not 1 <= quarter <= 4:
        raise ValueError(f"Quý {quarter} không hợp lệ (1–4).")
    return month_end(year, quarter * 3)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


__all__ = [
    "GRID",
    "LABELS",
    "grid_status",
    "grid_status_expression",
    "is_due_soon",
    "month_end",
    "quarter_end",
    "task_status",
    "year_end",
]
