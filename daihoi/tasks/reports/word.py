"""The report as a Party-format Báo cáo (BC): the status grid per unit, then every overdue task
with its unit named — the last step of the escalation (domain.md §3)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from daihoi.core.models import Congress
from daihoi.core.office.docx_party import Block, Heading, PartyDocument, Table, render
from daihoi.tasks import grid, status
from daihoi.tasks.reports.data import ReportData, TaskLine
from daihoi.vietnamese import format_date, format_percent

# The subcommittee's acronym in number-symbols (domain.md §2: TBTCPV = Tiểu ban tổ chức phục vụ).
ISSUER_CODE = "TBTCPV"
DEFAULT_PLACE = "Hà Nội"


def office_header(congress: Congress | None) -> tuple[str, str]:
    """(upper body, issuing body) of the subcommittee's documents."""
    upper = congress.party_organisation if congress else _("Đảng bộ thành phố Hà Nội")
    return upper.upper(), _("Tiểu ban tổ chức phục vụ Đại hội").upper()


def draft_symbol(type_code: str, number: int | None = None) -> str:
    """ "01-CV/TBTCPV"; without a number, blank room for the office to write it at issue."""
    head = f"{number:02d}" if number else "\u00a0" * 6
    return f"{head}-{type_code}/{ISSUER_CODE}"


def _rate(part: int, whole: int) -> str:
    return format_percent(part, whole) if whole else "0,00%"


def grid_table(rows: list[grid.GridRow], total: grid.GridRow) -> Table:
    header = [_("STT"), _("Đơn vị chủ trì"), _("Tổng số")]
    header += [str(status.LABELS[key]) for key in status.GRID]
    header.append(_("Tỷ lệ đúng hạn"))
    body = [
        [str(n), row.label, str(row.total), *map(str, row.cells()), _rate_row(row)]
        for n, row in enumerate(rows, start=1)
    ]
    body.append(["", _("Tổng số"), str(total.total), *map(str, total.cells()), _rate_row(total)])
    widths = [9, 38, 13, 15, 15, 15, 15, 15, 15, 15]
    return Table([header, *body], widths_mm=widths, font_pt=10)


def _rate_row(row: grid.GridRow) -> str:
    with_deadline = row.total - row.counts[status.NO_DEADLINE] - row.counts[status.NO_DEADLINE_DONE]
    return _rate(row.counts[status.DONE_ON_TIME], with_deadline)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def summary_paragraph(data: ReportData) -> str:
    total = data.totals
    # Always name the two figures leaders ask for; the other buckets only when not empty.
    shown = [
        key
        for key in status.GRID
        if total.counts[key] or key in {status.DONE_ON_TIME, status.OPEN_OVERDUE}
    ]
    parts = [
        _("%(label)s: %(n)s (%(rate)s)")
        % {
            "label": _lower_first(str(status.LABELS[key])),
            "n": total.counts[key],
            "rate": _rate(total.counts[key], total.total),
        }
        for key in shown
    ]
    return _(
        "Tính đến ngày %(today)s, kỳ báo cáo từ ngày %(start)s đến ngày %(end)s có %(total)s "
        "nhiệm vụ (nhiệm vụ có thời hạn trong kỳ và nhiệm vụ không có thời hạn); trong đó: "
        "%(parts)s."
    ) % {
        "today": format_date(data.today),
        "start": format_date(data.date_from),
        "end": format_date(data.date_to),
        "total": total.total,
        "parts": "; ".join(parts),
    }


def overdue_paragraph(n: int, line: TaskLine, today: dt.date) -> str:
    days = (today - line.deadline).days if line.deadline else 0
    return _(
        "%(n)s. %(lead)s (chủ trì): %(title)s. Thời hạn: %(deadline)s; quá hạn %(days)s ngày; "
        "tiến độ %(percent)s%%."
    ) % {
        "n": n,
        "lead": line.lead or _("Chưa xác định đơn vị"),
        "title": line.title,
        "deadline": line.deadline_as_written,
        "days": days,
        "percent": line.percent,
    }


def report_docx(data: ReportData, congress: Congress | None = None) -> bytes:
    """The report as a Party-format Báo cáo, always in Vietnamese (an official document)."""
    with translation.override("vi"):
        return render(_report_document(data, congress))


def _report_document(data: ReportData, congress: Congress | None) -> PartyDocument:
    upper, issuing = office_header(congress)
    period = _("từ ngày %(start)s đến ngày %(end)s") % {
        "start": format_date(data.date_from),
        "end": format_date(data.date_to),
    }
    blocks: list[Block] = [
        Heading(_("I. TÌNH HÌNH CHUNG")),
        summary_paragraph(data),
    ]
    if data.scope:
        blocks.append(_("Phạm vi báo cáo: %(scope)s.") % {"scope": data.scope})
    blocks += [
        _("Kết quả thực hiện theo từng đơn vị chủ trì (xếp theo số nhiệm vụ quá hạn):"),
        grid_table(data.units, data.totals),
        Heading(_("II. NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN")),
    ]
    overdue = data.overdue
    if overdue:
        blocks += [overdue_paragraph(n, line, data.today) for n, line in enumerate(overdue, 1)]
        blocks += [
            Heading(_("III. ĐỀ NGHỊ")),
            _(
                "Tiểu ban đề nghị các đơn vị có nhiệm vụ quá hạn khẩn trương hoàn thành, báo cáo "
                "kết quả và sản phẩm về Tiểu ban; nêu rõ nguyên nhân chậm và thời gian hoàn thành."
            ),
        ]
    else:
        blocks.append(_("Không có nhiệm vụ chưa hoàn thành quá hạn."))
    return PartyDocument(
        upper_body=upper,
        issuing_body=issuing,
        symbol=draft_symbol("BC"),
        place=DEFAULT_PLACE,
        date=data.today,
        kind_title=_("Báo cáo"),
        summary=_("Tình hình thực hiện nhiệm vụ phục vụ Đại hội %(period)s") % {"period": period},
        blocks=blocks,
        signer_capacity=_("T/M Tiểu ban"),
        signer_title=_("Trưởng Tiểu ban"),
        recipients=[
            _("Thường trực Thành ủy (để báo cáo),"),
            _("Các đồng chí thành viên Tiểu ban,"),
            _("Các đơn vị có tên trong báo cáo,"),
            _("Lưu Văn phòng."),
        ],
    )
