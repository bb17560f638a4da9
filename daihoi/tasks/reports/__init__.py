"""Báo cáo tình hình thực hiện nhiệm vụ: period report as data, Excel, Word (Party format), CSV."""

from daihoi.tasks.reports.data import ReportData, TaskLine, UnitSection, build_report, task_lines
from daihoi.tasks.reports.excel import report_xlsx, tasks_csv
from daihoi.tasks.reports.word import report_docx

__all__ = [
    "ReportData",
    "TaskLine",
    "UnitSection",
    "build_report",
    "report_docx",
    "report_xlsx",
    "task_lines",
    "tasks_csv",
]
