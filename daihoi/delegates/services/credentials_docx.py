"""The credentials report as a Party-format Báo cáo (BC) of the credentials committee, built from
`credentials_report` and rendered by the one Word builder (core.office.docx_party)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daihoi.core.models import Congress
from daihoi.core.office.docx_party import Block, Heading, PartyDocument, Table, render
from daihoi.delegates.models import Session
from daihoi.delegates.services.credentials import (
    CredentialsReport,
    Person,
    Row,
    credentials_report,
)
from daihoi.vietnamese import format_date

# [verify] Inside a congress every body shares one counter (domain.md §2); "ĐH" stands for the
# congress as issuer until the office confirms the symbol it uses.
ISSUER_CODE = "ĐH"
DEFAULT_PLACE = "Hà Nội"


def _share(row: Row) -> str:
    """ "68 đồng chí (chiếm 13,60%)" """
    return _("%(count)s đồng chí (chiếm %(percent)s)") % {
        "count": row.count,
        "percent": row.percent,
    }


def _list(rows: tuple[Row, ...] | list[Row], lower: bool = False) -> str:
    return "; ".join(
        f"{_lower_first(row.label) if lower else row.label} {_share(row)}" for row in rows
    )


def _names(people: tuple[Person, ...]) -> str:
    return ", ".join(p.full_name for p in people)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def attendance_paragraphs(report: CredentialsReport) -> list[Block]:
    categories = [row for row in report.categories if row.count]
    parts = ", ".join(f"đại biểu {_lower_first(row.label)} {_share(row)}" for row in categories)
    blocks: list[Block] = [
        _("Tổng số đại biểu được triệu tập: %(n)s đồng chí%(parts)s.")
        % {"n": report.summoned, "parts": _(", trong đó: %s") % parts if parts else ""}
    ]
    if report.reserves:
        seated = (
            _(", trong đó %(n)s đồng chí thay thế đại biểu chính thức đã rút tên")
            % {"n": report.reserves_seated}
            if report.reserves_seated
            else ""
        )
        blocks.append(
            _("Đại biểu dự khuyết: %(n)s đồng chí%(seated)s.")
            % {"n": report.reserves, "seated": seated}
        )
    where = (
        _(" tại %(session)s") % {"session": _lower_first(report.session_name)}
        if report.session_name
        else ""
    )
    blocks.append(
        _("Số đại biểu có mặt%(where)s: %(present)s; vắng mặt: %(absent)s.")
        % {"where": where, "present": _share(report.present), "absent": _share(report.absent)}
    )
    if report.absentees:
        rows = [[_("STT"), _("Số đại biểu"), _("Họ và tên"), _("Lý do vắng mặt")]]
        for n, person in enumerate(report.absentees, start=1):
            reason = person.reason
            if person.replacement:
                reason += _(" (đại biểu dự khuyết %(name)s thay)") % {"name": person.replacement}
            rows.append([str(n), str(person.number), person.full_name, reason])
        blocks += [_("Danh sách đại biểu vắng mặt:"), Table(rows, widths_mm=[12, 20, 55, 78])]
    return blocks


def composition_paragraphs(report: CredentialsReport) -> list[Block]:
    blocks: list[Block] = [
        _("Đại biểu nữ: %(share)s.") % {"share": _share(report.women)},
    ]
    ethnic = _("Đại biểu là người dân tộc thiểu số: %(share)s") % {
        "share": _share(report.minorities)
    }
    if report.ethnicity_unknown.count:
        ethnic += _("; chưa ghi dân tộc: %(share)s") % {"share": _share(report.ethnicity_unknown)}
    blocks.append(ethnic + ".")
    if report.education:
        blocks.append(_("Về trình độ chuyên môn: %(parts)s.") % {"parts": _list(report.education)})
    if report.political_theory:
        blocks.append(
            _("Về trình độ lý luận chính trị: %(parts)s.")
            % {"parts": _list(report.political_theory)}
        )
    ages = report.ages
    if ages.average:
        blocks.append(
            _(
                "Về độ tuổi (tính đến ngày %(on)s): tuổi bình quân %(average)s; đại biểu cao tuổi "
                "nhất: đồng chí %(oldest)s, %(old)s tuổi; đại biểu trẻ tuổi nhất: đồng chí "
                "%(youngest)s, %(young)s tuổi; %(bands)s."
            )
            % {
                "on": format_date(ages.on),
                "average": ages.average,
                "oldest": _names(ages.oldest),
                "old": ages.oldest_age,
                "youngest": _names(ages.youngest),
                "young": ages.youngest_age,
                "bands": _list(ages.bands, lower=True),
            }
        )
    blocks.append(composition_table(report))
    return blocks


def composition_table(report: CredentialsReport) -> Table:
    rows: list[list[str]] = [[_("Nội dung"), _("Số lượng"), _("Tỷ lệ")]]

    def section(title: str, lines) -> None:
        rows.append([title, "", ""])
        rows.extend([f"- {line.label}", str(line.count), line.percent] for line in lines)

    section(_("Loại đại biểu"), report.categories)
    section(_("Giới tính, dân tộc"), [report.women, report.minorities, report.ethnicity_unknown])
    section(_("Trình độ chuyên môn"), report.education)
    section(_("Lý luận chính trị"), report.political_theory)
    section(_("Độ tuổi"), report.ages.bands)
    return Table(rows, widths_mm=[105, 30, 30])


def result_paragraphs(report: CredentialsReport) -> list[Block]:
    blocks: list[Block] = [
        _(
            "Ban Thẩm tra tư cách đại biểu đã nhận %(received)s đơn thư liên quan đến đại biểu, "
            "đã xem xét, kết luận %(resolved)s đơn."
        )
        % {"received": report.complaints_received, "resolved": report.complaints_resolved},
        _("Số đại biểu được triệu tập đã được thẩm tra, đủ tư cách: %(n)s đồng chí.")
        % {"n": report.qualified},
    ]
    if report.pending:
        blocks.append(_("Số đại biểu chưa thẩm tra xong: %(n)s đồng chí.") % {"n": report.pending})
    if report.not_qualified:
        blocks.append(
            _("Số đại biểu không đủ tư cách: %(n)s đồng chí, gồm:")
            % {"n": len(report.not_qualified)}
        )
        blocks += [
            _("%(i)s. Đồng chí %(name)s (số %(number)s): %(reason)s.")
            % {
                "i": i,
                "name": person.full_name,
                "number": person.number,
                "reason": person.reason.rstrip("."),
            }
            for i, person in enumerate(report.not_qualified, start=1)
        ]
    else:
        blocks.append(_("Không có đại biểu nào không đủ tư cách."))
    blocks.append(
        _("Ban Thẩm tra tư cách đại biểu kính trình Đại hội xem xét, biểu quyết thông qua.")
    )
    return blocks


def credentials_document(
    report: CredentialsReport, congress: Congress, today: dt.date | None = None
) -> PartyDocument:
    blocks: list[Block] = [
        Heading(_("I. SỐ LƯỢNG ĐẠI BIỂU ĐƯỢC TRIỆU TẬP VÀ CÓ MẶT")),
        *attendance_paragraphs(report),
        Heading(_("II. CƠ CẤU, THÀNH PHẦN ĐẠI BIỂU")),
        *composition_paragraphs(report),
        Heading(_("III. KẾT QUẢ THẨM TRA TƯ CÁCH ĐẠI BIỂU")),
        *result_paragraphs(report),
    ]
    return PartyDocument(
        upper_body=congress.party_organisation.upper(),
        issuing_body=_("Ban Thẩm tra tư cách đại biểu").upper(),
        symbol=f"{chr(0xA0) * 6}-BC/{ISSUER_CODE}",
        place=DEFAULT_PLACE,
        date=today or timezone.localdate(),
        kind_title=_("Báo cáo"),
        summary=_("Thẩm tra tư cách đại biểu dự %(title)s") % {"title": congress.title},
        blocks=blocks,
        signer_capacity=_("T/M Ban Thẩm tra tư cách đại biểu"),
        signer_title=_("Trưởng ban"),
        recipients=[_("Đoàn Chủ tịch Đại hội,"), _("Các đại biểu dự Đại hội,"), _("Lưu.")],
    )


def credentials_docx(congress: Congress, session: Session | None = None) -> bytes:
    """Always in Vietnamese, labels included: it is an official document of the congress."""
    with translation.override("vi"):
        report = credentials_report(congress, session)
        return render(credentials_document(report, congress))
