"""The report as an Excel workbook, and every task as CSV (both through daihoi.core.office)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.core.office.xlsx import (
    PERCENT_FORMAT,
    Sheet,
    csv_bytes,
    new_workbook,
    safe_sheet_title,
    workbook_bytes,
    write_sheet,
)
from daihoi.tasks import grid, status
from daihoi.tasks.models import UnitRole
from daihoi.tasks.reports.data import ReportData, TaskLine, task_lines
from daihoi.vietnamese import format_date


def grid_headers(first: str) -> list[str]:
    return [_("STT"), first, _("Tổng số"), *[str(status.LABELS[key]) for key in status.GRID]]


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def grid_sheet(title: str, first: str, rows: list[grid.GridRow], total: grid.GridRow) -> Sheet:
    """Rows of the status grid, numbered, with the total row last and two rates (0.00%)."""
    headers = grid_headers(first) + [_("Tỷ lệ hoàn thành đúng hạn"), _("Tỷ lệ đã hoàn thành")]
    body = [
        [n, row.label, row.total, *row.cells(), row.on_time_rate, _rate(row.done, row.total)]
        for n, row in enumerate(rows, start=1)
    ]
    body.append(
        [
            "",
            _("Tổng số"),
            total.total,
            *total.cells(),
            total.on_time_rate,
            _rate(total.done, total.total),
        ]
    )
    rate_columns = len(headers) - 2, len(headers) - 1
    return Sheet(
        title,
        headers,
        body,
        formats=dict.fromkeys(rate_columns, PERCENT_FORMAT),
        bold_rows=[len(body) - 1],
    )


def _period_note(data: ReportData) -> str:
    note = _("Kỳ báo cáo: từ ngày %(start)s đến ngày %(end)s; số liệu tính đến ngày %(today)s.") % {
        "start": format_date(data.date_from),
        "end": format_date(data.date_to),
        "today": format_date(data.today),
    }
    return f"{note} {data.scope}." if data.scope else note


def _unit_rows(lines: list[TaskLine], unit_id: int) -> list[list]:
    role_labels = dict(UnitRole.choices)
    ordered = sorted(lines, key=lambda line: line.roles[unit_id] != UnitRole.LEAD)
    return [
        [
            n,
            line.title,
            str(role_labels[line.roles[unit_id]]),
            line.document,
            line.deadline,
            line.deadline_as_written,
            line.status_label,
            line.percent,
            line.last_progress,
            line.last_progress_at,
        ]
        for n, line in enumerate(ordered, start=1)
    ]


def _unit_headers() -> list[str]:
    return [
        _("STT"),
        _("Tên nhiệm vụ"),
        _("Vai trò"),
        _("Văn bản giao"),
        _("Hạn"),
        _("Thời hạn (nguyên văn)"),
        _("Trạng thái"),
        _("Tiến độ (%)"),
        _("Báo cáo tiến độ gần nhất"),
        _("Thời điểm báo cáo"),
    ]


def all_tasks_headers() -> list[str]:
    return [
        _("STT"),
        _("Mã nhiệm vụ"),
        _("Tên nhiệm vụ"),
        _("Văn bản giao"),
        _("Đơn vị chủ trì"),
        _("Đơn vị phối hợp"),
        _("Hạn"),
        _("Thời hạn (nguyên văn)"),
        _("Trạng thái"),
        _("Xử lý sản phẩm"),
        _("Tiến độ (%)"),
        _("Báo cáo tiến độ gần nhất"),
        _("Thời điểm báo cáo"),
    ]


def all_tasks_rows(lines: list[TaskLine]) -> list[list]:
    return [
        [
            n,
            line.pk,
            line.title,
            line.document,
            line.lead,
            line.coordinating,
            line.deadline,
            line.deadline_as_written,
            line.status_label,
            line.state_label,
            line.percent,
            line.last_progress,
            line.last_progress_at,
        ]
        for n, line in enumerate(lines, start=1)
    ]


def report_xlsx(data: ReportData) -> bytes:
    """Sheets: "Tổng hợp" (units ranked + total), by document, by month, one per unit, and
    "Đơn vị ghi theo văn bản" for tasks whose lead is a group as written (no unit sheet has
    them), so every task of the period appears. The flat list of all tasks is the CSV: a second
    copy of every row here would double the workbook (bench/tasks_dashboard.py)."""
    summary = grid_sheet(_("Tổng hợp"), _("Đơn vị chủ trì"), data.units, data.totals)
    summary.notes = [
        _period_note(data),
        _(
            "Xếp theo số nhiệm vụ chưa hoàn thành quá hạn (nhiều trước), rồi tỷ lệ hoàn thành "
            "đúng hạn (thấp trước). Nhiệm vụ có nhiều đơn vị chủ trì được tính cho mỗi đơn vị; "
            "dòng Tổng số tính mỗi nhiệm vụ một lần."
        ),
        _("Tỷ lệ hoàn thành đúng hạn = số hoàn thành đúng hạn / số nhiệm vụ có thời hạn."),
    ]
    fixed = [
        summary,
        grid_sheet(_("Theo văn bản"), _("Văn bản giao"), data.documents, data.totals),
        grid_sheet(_("Theo tháng"), _("Tháng đến hạn"), data.months, data.totals),
        Sheet(
            _("Đơn vị ghi theo văn bản"),
            all_tasks_headers(),
            all_tasks_rows(
                [line for line in data.tasks if UnitRole.LEAD not in line.roles.values()]
            ),
        ),
    ]
    workbook, taken = new_workbook(), set[str]()
    # The fixed sheets' names are taken first so that no unit's sheet can have them; the
    # streaming workbook writes sheets in order, so "all tasks" is written last.
    for sheet in fixed[:-1]:
        write_sheet(workbook, sheet, taken)
    all_tasks = fixed[-1]
    all_tasks.title = safe_sheet_title(all_tasks.title, taken)
    for section in data.unit_sections:
        rows = _unit_rows(section.tasks, section.unit_id)
        write_sheet(workbook, Sheet(section.name, _unit_headers(), rows), taken)
    write_sheet(workbook, all_tasks, set())
    return workbook_bytes(workbook)


def tasks_csv(tasks: QuerySet | list[TaskLine], today: dt.date | None = None) -> bytes:
    """Every task, one line each, UTF-8 with BOM; formula-like cells neutralised."""
    if isinstance(tasks, QuerySet):
        tasks = task_lines(tasks, today or timezone.localdate())
    return csv_bytes(all_tasks_headers(), all_tasks_rows(tasks))
