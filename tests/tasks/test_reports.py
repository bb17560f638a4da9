"""Báo cáo tình hình thực hiện nhiệm vụ: Excel and Word figures equal the dashboard's grid,
period filtering, and who may download what."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as open_docx

from daihoi.core.models import Role
from daihoi.core.office.xlsx import PERCENT_FORMAT
from daihoi.core.services.errors import InvalidInput
from daihoi.tasks import grid, status
from daihoi.tasks.models import Task
from daihoi.tasks.reports import build_report, report_docx, report_xlsx, tasks_csv
from daihoi.tasks.reports.data import period_tasks
from daihoi.tasks.services.create import TaskSpec, create_task
from daihoi.tasks.services.progress import post_progress, submit_product
from tests.factories import UnitFactory, make_user_with_role

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def make(staff, title, lead, due=None, *, done=False, coordinating=(), text=""):
    task = create_task(
        None,
        TaskSpec(
            title=title,
            lead_units=list(lead),
            coordinating_units=list(coordinating),
            deadline_kind="date" if due else "none",
            deadline_date=due,
            deadline_text=text,
        ),
        allow_past_deadline=True,
    )
    if done:  # no approval chain: submitting is the final approval, dated now
        submit_product(staff, task)
    return task


@pytest.fixture
def world():
    """Two units and all six grid statuses. "Today" is the real date: done timestamps come from
    the services (now), and every function under test is handed this `today` explicitly."""
    today = timezone.localdate()
    a = UnitFactory(name="Quận ủy Ba Đình")
    b = UnitFactory(name="Ban Tuyên giáo Thành ủy")
    staff = make_user_with_role(Role.ORGANISING_STAFF)
    t = {
        "on_time": make(staff, "Nhiệm vụ A đúng hạn", [a], today + 10 * DAY, done=True),
        "late": make(staff, "Nhiệm vụ A trễ hạn", [a], today - 10 * DAY, done=True),
        "within": make(staff, "Nhiệm vụ A trong hạn", [a], today + 5 * DAY),
        "overdue": make(
            staff, "Nhiệm vụ A quá hạn", [a], today - 5 * DAY, text="trong tháng trước"
        ),
        "none": make(staff, "Nhiệm vụ A không thời hạn", [a]),
        "none_done": make(staff, "Nhiệm vụ A không thời hạn xong", [a], done=True),
        "b_overdue": make(staff, "Nhiệm vụ B quá hạn", [b], today - 3 * DAY, coordinating=[a]),
        "b_on_time": make(staff, "Nhiệm vụ B đúng hạn", [b], today + 20 * DAY, done=True),
        "b_later": make(staff, "Nhiệm vụ B năm sau", [b], today + 90 * DAY),
    }
    post_progress(staff, t["within"], "Đã xây dựng dự thảo, đang lấy ý kiến.", 60)
    return {"today": today, "a": a, "b": b, "staff": staff, "t": t}


def period(world):
    return world["today"] - 30 * DAY, world["today"] + 30 * DAY


def report(world, **kwargs):
    start, end = period(world)
    return build_report(Task.objects.all(), start, end, world["today"], **kwargs)


def expected(world):
    tasks = period_tasks(Task.objects.all(), *period(world))
    return grid.totals(tasks, world["today"]), grid.by_unit(tasks, world["today"])


def test_build_report_uses_the_dashboard_grid(world):
    data = report(world)
    totals, units = expected(world)
    assert data.totals.counts == totals.counts
    assert [(r.label, r.counts) for r in data.units] == [(r.label, r.counts) for r in units]
    assert data.totals.counts == {
        status.DONE_ON_TIME: 2,
        status.DONE_LATE: 1,
        status.OPEN_WITHIN: 1,
        status.OPEN_OVERDUE: 2,
        status.NO_DEADLINE: 1,
        status.NO_DEADLINE_DONE: 1,
    }
    # Tie on overdue (1 each): the lower on-time rate first (A 1/4 before B 1/2).
    assert [r.label for r in data.units] == ["Quận ủy Ba Đình", "Ban Tuyên giáo Thành ủy"]
    assert {line.title for line in data.overdue} == {"Nhiệm vụ A quá hạn", "Nhiệm vụ B quá hạn"}
    within = next(line for line in data.tasks if line.title == "Nhiệm vụ A trong hạn")
    assert within.last_progress.startswith("Đã xây dựng dự thảo") and within.percent == 60


def test_period_filter(world):
    today, t = world["today"], world["t"]
    data = build_report(Task.objects.all(), today + DAY, today + 60 * DAY, today)
    titles = {line.title for line in data.tasks}
    assert titles == {
        t["on_time"].title,
        t["within"].title,
        t["b_on_time"].title,
        t["none"].title,  # no deadline, created before the end of the period
        t["none_done"].title,
    }
    # A period that ends before the no-deadline tasks were created leaves them out.
    earlier = build_report(Task.objects.all(), today - 60 * DAY, today - DAY, today)
    assert {line.title for line in earlier.tasks} == {
        t["late"].title,
        t["overdue"].title,
        t["b_overdue"].title,
    }
    with pytest.raises(InvalidInput):
        build_report(Task.objects.all(), today, today - DAY, today)


def test_filter_by_unit_and_document_scope(world):
    data = report(world, unit=world["b"])
    assert [r.label for r in data.units] == ["Ban Tuyên giáo Thành ủy"]
    assert {line.title for line in data.tasks} == {"Nhiệm vụ B quá hạn", "Nhiệm vụ B đúng hạn"}
    assert [s.name for s in data.unit_sections] == ["Ban Tuyên giáo Thành ủy"]


def sheet_rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2) if row[1].value]


def test_excel_summary_equals_grid(world):
    data = report(world)
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(data)))
    totals, units = expected(world)
    assert book.sheetnames[:3] == ["Tổng hợp", "Theo văn bản", "Theo tháng"]
    assert book.sheetnames[-1] == "Đơn vị ghi theo văn bản"
    assert set(book.sheetnames[3:-1]) == {"Quận ủy Ba Đình", "Ban Tuyên giáo Thành ủy"}
    summary = book["Tổng hợp"]
    assert summary.freeze_panes == "A2"
    rows = sheet_rows(summary)
    ranked, total_row = rows[: len(units)], rows[len(units)]
    for row, grid_row in zip(ranked, units, strict=True):
        assert row[1] == grid_row.label
        assert row[2] == grid_row.total
        assert row[3:9] == grid_row.cells()
        assert row[9] == pytest.approx(grid_row.on_time_rate)
    assert total_row[1] == "Tổng số" and total_row[2] == totals.total == 8
    assert total_row[3:9] == totals.cells()
    rate_cell = summary.cell(row=2, column=10)
    assert rate_cell.number_format == PERCENT_FORMAT


def test_excel_unit_and_all_task_sheets(world):
    today, t = world["today"], world["t"]
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report(world))))
    unit_a = sheet_rows(book["Quận ủy Ba Đình"])
    assert len(unit_a) == 7  # six led by A, one where A coordinates
    assert [row[2] for row in unit_a] == ["Chủ trì"] * 6 + ["Phối hợp"]
    overdue = next(row for row in unit_a if row[1] == t["overdue"].title)
    assert overdue[4] == dt.datetime.combine(today - 5 * DAY, dt.time())
    assert overdue[5] == "trong tháng trước"  # the deadline as written
    assert overdue[6] == "Chưa hoàn thành, quá hạn"
    date_cell = next(row[4] for row in book["Quận ủy Ba Đình"].iter_rows(min_row=2) if row[4].value)
    assert date_cell.number_format == "dd/mm/yyyy"
    unit_sheets = [book["Quận ủy Ba Đình"], book["Ban Tuyên giáo Thành ủy"]]
    statuses = {row[6] for ws in unit_sheets for row in sheet_rows(ws)}
    assert statuses == {str(label) for label in status.LABELS.values()}


def test_sheet_names_stay_valid_and_unique(world):
    odd = UnitFactory(name="Tổng hợp")
    long = UnitFactory(name="Ban Chỉ đạo: [Đại hội] / tiểu ban phục vụ * rất dài?")
    make(world["staff"], "Việc của đơn vị tên trùng", [odd], world["today"])
    make(world["staff"], "Việc của đơn vị tên dài", [long], world["today"])
    names = openpyxl.load_workbook(io.BytesIO(report_xlsx(report(world)))).sheetnames
    assert len({n.lower() for n in names}) == len(names)
    assert "Tổng hợp (2)" in names
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def docx_text(content: bytes) -> tuple[list[str], list[list[list[str]]]]:
    document = open_docx(io.BytesIO(content))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return [p.text for p in document.paragraphs], tables


def test_docx_has_totals_and_names_overdue_units(world):
    data = report(world)
    paragraphs, tables = docx_text(report_docx(data, None))
    header, grid_table = tables[0], tables[1]
    assert "TIỂU BAN TỔ CHỨC PHỤC VỤ ĐẠI HỘI" in header[0][0]
    assert "-BC/TBTCPV" in header[0][0]
    assert "BÁO CÁO" in paragraphs
    totals, units = expected(world)
    assert grid_table[-1][1:9] == ["Tổng số", str(totals.total), *map(str, totals.cells())]
    for row, grid_row in zip(grid_table[1:-1], units, strict=True):
        assert row[1:9] == [grid_row.label, str(grid_row.total), *map(str, grid_row.cells())]
    named = [p for p in paragraphs if "(chủ trì)" in p]
    assert len(named) == 2
    assert any("Quận ủy Ba Đình" in p and "Nhiệm vụ A quá hạn" in p for p in named)
    assert any("Ban Tuyên giáo Thành ủy" in p and "Nhiệm vụ B quá hạn" in p for p in named)
    assert any("trong tháng trước" in p for p in named)  # deadline as written


def test_csv_lists_every_task(world):
    content = tasks_csv(Task.objects.all(), world["today"])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + Task.objects.count()


# --- pages ---


def query(world, **extra) -> dict:
    start, end = period(world)
    return {"date_from": f"{start:%d/%m/%Y}", "date_to": f"{end:%d/%m/%Y}", **extra}


def test_anonymous_is_sent_to_sign_in(client, world):
    for name in ["task_report", "task_report_xlsx", "task_report_docx", "task_report_csv"]:
        response = client.get(reverse(name), query(world))
        assert response.status_code == 302 and "dang-nhap" in response.url


def test_role_without_dashboard_gets_403(client, world):
    client.force_login(make_user_with_role(Role.DELEGATE))
    assert client.get(reverse("task_report_xlsx"), query(world)).status_code == 403


def test_staff_downloads_with_filenames(client, world):
    client.force_login(world["staff"])
    start, end = period(world)
    page = client.get(reverse("task_report"), query(world))
    assert page.status_code == 200 and "Quận ủy Ba Đình" in page.text
    for name, ext in [("task_report_xlsx", "xlsx"), ("task_report_docx", "docx")]:
        response = client.get(reverse(name), query(world))
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="bao-cao-nhiem-vu-{start:%d-%m-%Y}-{end:%d-%m-%Y}.{ext}"'
        )
    response = client.get(reverse("task_report_csv"), query(world))
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")


def test_liaison_download_covers_only_their_unit(client, world):
    client.force_login(make_user_with_role(Role.UNIT_LIAISON, unit=world["b"]))
    response = client.get(reverse("task_report_xlsx"), query(world))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Quận ủy Ba Đình" not in book.sheetnames
    assert "Ban Tuyên giáo Thành ủy" in book.sheetnames
    assert [row[1] for row in sheet_rows(book["Tổng hợp"])] == [
        "Ban Tuyên giáo Thành ủy",
        "Tổng số",
    ]
    titles = {row[1] for row in sheet_rows(book["Ban Tuyên giáo Thành ủy"])}
    assert titles == {"Nhiệm vụ B quá hạn", "Nhiệm vụ B đúng hạn"}
    other = client.get(reverse("task_report"), query(world, unit=world["a"].pk))
    assert other.status_code == 200 and "Nhiệm vụ A" not in other.text


@pytest.mark.parametrize(
    "dates",
    [
        {"date_from": "31/02/2020", "date_to": "01/03/2020"},
        {"date_from": "hôm qua", "date_to": ""},
        {"date_from": "31/07/2020", "date_to": "01/07/2020"},
    ],
)
def test_bad_dates_answer_in_vietnamese_not_500(client, world, dates):
    client.force_login(world["staff"])
    page = client.get(reverse("task_report"), dates)
    assert page.status_code == 200
    assert "không hợp lệ" in page.text or "phải trước" in page.text or "bắt buộc" in page.text
    assert client.get(reverse("task_report_xlsx"), dates).status_code == 400


def test_report_pages_have_no_n_plus_one(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["staff"])

    def count(name):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), query(world)).status_code == 200
        return len(ctx.captured_queries)

    before = {name: count(name) for name in ["task_report", "task_report_xlsx"]}
    for n in range(3):
        extra = UnitFactory()
        make(world["staff"], f"Việc thêm {n}", [extra], world["today"], coordinating=[world["a"]])
    assert {name: count(name) for name in before} == before


def test_empty_form_page(client, world):
    client.force_login(world["staff"])
    page = client.get(reverse("task_report"))
    assert page.status_code == 200 and "Từ ngày" in page.text


def test_tasks_of_a_group_as_written_have_their_own_sheet(world):
    make(world["staff"], "Việc của các sở, ngành", ["các sở, ngành thành phố"], world["today"])
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report(world))))
    rows = sheet_rows(book["Đơn vị ghi theo văn bản"])
    assert [(row[2], row[4]) for row in rows] == [
        ("Việc của các sở, ngành", "các sở, ngành thành phố")
    ]
