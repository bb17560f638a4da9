"""The synthesis report of a draft (báo cáo tổng hợp ý kiến): the figures per section, the same
figures as a Party-format Word report, and an Excel workbook with one row per comment.

Hidden comments are left out everywhere (they are counted, never quoted). The Excel sheet of
comments is written row by row from keyset-paginated queries into a write-only workbook, so a
draft with hundreds of thousands of comments stays within bounded memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.db.models import Count, Max, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from daihoi.consultation.models import Comment, CommentStatus, Draft, Section, TopicGroup
from daihoi.core.office.docx_party import Block, Heading, PartyDocument, Table, render
from daihoi.core.office.xlsx import (
    PERCENT_FORMAT,
    Sheet,
    new_workbook,
    safe_sheet_title,
    set_cell,
    stream_value,
    write_sheet,
)
from daihoi.vietnamese import format_date, format_number, format_percent

__all__ = [
    "GroupFigures",
    "SectionFigures",
    "overview",
    "synthesis_docx",
    "synthesis_xlsx",
    "write_synthesis_xlsx",
]

COUNTED = (CommentStatus.RECEIVED, CommentStatus.ACCEPTED)
QUOTES_PER_GROUP = 3
QUOTE_MAX = 600
ROW_CHUNK = 5000
# [verify] The drafting side of a congress is its Tiểu ban Văn kiện; the office confirms the
# symbol it uses for reports.
ISSUER = "Tiểu ban Văn kiện"
ISSUER_CODE = "TBVK"
PLACE = "Hà Nội"


@dataclass
class GroupFigures:
    group: TopicGroup
    number: int  # within its section, in the order the synthesis created the groups
    count: int
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (reference, text)

    @property
    def name(self) -> str:
        return _("Nhóm %(n)d") % {"n": self.number} + (
            f": {self.group.label}" if self.group.label else ""
        )

    @property
    def terms(self) -> str:
        return ", ".join(self.group.terms)


@dataclass(frozen=True)
class Repeated:
    """A text sent many times: its earliest copy and how many comments share it."""

    reference: str
    text: str
    count: int
    campaign: bool


@dataclass
class SectionFigures:
    section: Section | None  # None: comments on the whole draft, not on one section
    total: int = 0  # comments in the synthesis (received and accepted)
    accepted: int = 0
    agreement: int = 0
    duplicates: int = 0
    campaign: int = 0
    hidden: int = 0
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    groups: list[GroupFigures] = field(default_factory=list)
    repeated: list[Repeated] = field(default_factory=list)  # the largest duplicate groups

    @property
    def label(self) -> str:
        if self.section is None:
            return _("Góp ý chung cho toàn văn dự thảo")
        return (
            _("Mục %(number)s. %(title)s")
            % {
                "number": self.section.number,
                "title": self.section.title,
            }
            if self.section.number
            else self.section.title
        )

    @property
    def agreement_share(self) -> str:
        return _share(self.agreement, self.total)

    @property
    def grouped(self) -> int:
        return sum(g.count for g in self.groups)


def _share(part: int, whole: int) -> str:
    return format_percent(part, whole) if whole else "0%"


def overview(draft: Draft, quotes: int = 1, repeated: int = 5) -> list[SectionFigures]:
    """The figures of every section that has comments, in the draft's order; the comments on
    the whole draft come last. `quotes` representative comments are read per group and the
    `repeated` largest duplicate groups per section."""
    counted = Q(status__in=COUNTED)
    rows = (
        Comment.objects.filter(version__draft=draft).order_by().values("section")
        .annotate(
            total=Count("pk", filter=counted),
            accepted=Count("pk", filter=Q(status=CommentStatus.ACCEPTED)),
            agreement=Count("pk", filter=counted & Q(is_agreement=True)),
            duplicates=Count("pk", filter=counted & Q(duplicate_of__isnull=False)),
            campaign=Count("pk", filter=counted & Q(in_campaign=True)),
            hidden=Count("pk", filter=Q(status=CommentStatus.HIDDEN)),
            first=Min("created_at", filter=counted),
            last=Max("created_at", filter=counted),
        )
    )  # fmt: skip
    by_section = {row.pop("section"): row for row in rows}
    sections = Section.objects.filter(pk__in=[pk for pk in by_section if pk is not None])
    sections = sections.select_related("version").order_by("version__number", "position")
    figures = [SectionFigures(section, **by_section[section.pk]) for section in sections]
    if None in by_section:
        figures.append(SectionFigures(None, **by_section[None]))
    _attach_groups(draft, figures, quotes)
    _attach_repeated(draft, figures, repeated)
    return figures


def _attach_repeated(draft: Draft, figures: list[SectionFigures], limit: int) -> None:
    """The `limit` largest duplicate groups of each section (one query per section)."""
    if not limit:
        return
    for item in figures:
        rows = list(
            Comment.objects.filter(
                version__draft=draft, section=item.section, status__in=COUNTED,
                duplicate_of__isnull=False,
            )
            .order_by().values("duplicate_of", "duplicate_of__reference", "duplicate_of__content")
            .annotate(n=Count("pk"), campaign=Count("pk", filter=Q(in_campaign=True)))
            .order_by("-n", "duplicate_of")[:limit]
        )  # fmt: skip
        item.repeated = [
            Repeated(row["duplicate_of__reference"], _shorten(row["duplicate_of__content"]),
                     row["n"] + 1, bool(row["campaign"]))
            for row in rows
        ]  # fmt: skip


def _attach_groups(draft: Draft, figures: list[SectionFigures], quotes: int) -> None:
    counts = dict(
        Comment.objects.filter(group__draft=draft, status__in=COUNTED).order_by()
        .values_list("group").annotate(n=Count("pk"))
    )  # fmt: skip
    by_section = {f.section.pk if f.section else None: f for f in figures}
    numbers: dict[int | None, int] = {}
    groups = TopicGroup.objects.filter(draft=draft).select_related("representative")
    for group in groups.order_by("section_id", "pk"):
        target = by_section.get(group.section_id)
        if target is None:
            continue
        numbers[group.section_id] = numbers.get(group.section_id, 0) + 1
        item = GroupFigures(group, numbers[group.section_id], counts.get(group.pk, 0))
        if quotes:
            item.quotes = _quotes(group, quotes)
        target.groups.append(item)


def _quotes(group: TopicGroup, limit: int) -> list[tuple[str, str]]:
    """The representative comment first, then the earliest other comments that are neither
    duplicates nor plain agreement; hidden comments are never quoted."""
    picked: list[tuple[str, str]] = []
    representative = group.representative
    if representative is not None and representative.status in COUNTED:
        picked.append((representative.reference, representative.content))
    if len(picked) < limit:
        others = (
            group.comments.filter(status__in=COUNTED, duplicate_of__isnull=True,
                                  is_agreement=False)
            .exclude(pk=group.representative_id or 0).order_by("pk")
            .values_list("reference", "content")[: limit - len(picked)]
        )  # fmt: skip
        picked += list(others)
    return [(reference, _shorten(text)) for reference, text in picked]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1].rstrip() + "…"


# --- Word ---


def _section_blocks(index: int, figures: SectionFigures) -> list[Block]:
    blocks: list[Block] = [
        Heading(f"{index}. {figures.label}"),
        _(
            "Số ý kiến đưa vào tổng hợp: %(total)s; ý kiến nhất trí chung: %(agreement)s "
            "(chiếm %(share)s); ý kiến trùng lặp: %(duplicates)s; ý kiến thuộc các đợt gửi hàng "
            "loạt: %(campaign)s; số nhóm ý kiến: %(groups)s."
        )
        % {
            "total": format_number(figures.total),
            "agreement": format_number(figures.agreement),
            "share": figures.agreement_share,
            "duplicates": format_number(figures.duplicates),
            "campaign": format_number(figures.campaign),
            "groups": format_number(len(figures.groups)),
        },
    ]
    if figures.repeated:
        blocks.append(_("Các ý kiến được gửi nhiều lần (trùng lặp hoặc gần trùng lặp):"))
        for item in figures.repeated:
            blocks.append(
                _("- «%(text)s» (ý kiến số %(reference)s): %(count)s ý kiến%(campaign)s.")
                % {
                    "text": item.text,
                    "reference": item.reference,
                    "count": format_number(item.count),
                    "campaign": _(", thuộc đợt gửi hàng loạt") if item.campaign else "",
                }
            )
    for group in figures.groups:
        blocks.append(
            Heading(
                _("%(name)s (%(count)s ý kiến)")
                % {"name": group.name, "count": format_number(group.count)}
            )
        )
        if group.terms:
            blocks.append(_("Từ khóa: %(terms)s.") % {"terms": group.terms})
        if group.group.note:
            blocks.append(_("Ý kiến tổng hợp: %(note)s") % {"note": group.group.note})
        for reference, text in group.quotes:
            blocks.append(
                _("- «%(text)s» (ý kiến số %(reference)s)") % {"text": text, "reference": reference}
            )
    return blocks


def _summary_table(figures: list[SectionFigures]) -> Table:
    rows: list[list[str]] = [
        [_("STT"), _("Mục"), _("Số ý kiến"), _("Nhất trí chung"), _("Tỷ lệ"),
         _("Trùng lặp"), _("Hàng loạt"), _("Số nhóm")]
    ]  # fmt: skip
    for index, item in enumerate(figures, start=1):
        rows.append(
            [str(index), item.label, format_number(item.total), format_number(item.agreement),
             item.agreement_share, format_number(item.duplicates), format_number(item.campaign),
             str(len(item.groups))]
        )  # fmt: skip
    return Table(rows, widths_mm=[11, 52, 18, 19, 18, 17, 16, 14], font_pt=10)


def synthesis_document(draft: Draft, today: dt.date | None = None) -> PartyDocument:
    figures = overview(draft, quotes=QUOTES_PER_GROUP)
    total = sum(f.total for f in figures)
    hidden = sum(f.hidden for f in figures)
    firsts = [f.first for f in figures if f.first]
    lasts = [f.last for f in figures if f.last]
    period = (
        _("Từ ngày %(start)s đến ngày %(end)s, ")
        % {
            "start": format_date(timezone.localtime(min(firsts)).date()),
            "end": format_date(timezone.localtime(max(lasts)).date()),
        }
        if firsts
        else ""
    )
    agreement = sum(f.agreement for f in figures)
    blocks: list[Block] = [
        Heading(_("I. TÌNH HÌNH TIẾP NHẬN Ý KIẾN")),
        period
        + _(
            "đã tiếp nhận %(received)s ý kiến góp ý vào %(title)s; đã ẩn %(hidden)s ý kiến (thư "
            "rác, lời lẽ không phù hợp); đưa vào tổng hợp %(total)s ý kiến, trong đó %(agreement)s "
            "ý kiến nhất trí chung (chiếm %(share)s), %(duplicates)s ý kiến trùng lặp, "
            "%(campaign)s ý kiến thuộc các đợt gửi hàng loạt."
        )
        % {
            "received": format_number(total + hidden),
            "title": draft.title[:1].lower() + draft.title[1:],
            "hidden": format_number(hidden),
            "total": format_number(total),
            "agreement": format_number(agreement),
            "share": _share(agreement, total),
            "duplicates": format_number(sum(f.duplicates for f in figures)),
            "campaign": format_number(sum(f.campaign for f in figures)),
        },
    ]
    if figures:
        blocks.append(_summary_table(figures))
    blocks.append(Heading(_("II. TỔNG HỢP Ý KIẾN THEO TỪNG MỤC CỦA DỰ THẢO")))
    if not figures:
        blocks.append(_("Chưa có ý kiến góp ý."))
    for index, item in enumerate(figures, start=1):
        blocks += _section_blocks(index, item)
    blocks.append(_("Tiểu ban Văn kiện kính báo cáo."))
    congress = draft.congress
    return PartyDocument(
        upper_body=congress.party_organisation.upper(),
        issuing_body=ISSUER.upper(),
        symbol=f"{chr(0xA0) * 6}-BC/{ISSUER_CODE}",
        place=PLACE,
        date=today or timezone.localdate(),
        kind_title=_("Báo cáo"),
        summary=_("Tổng hợp ý kiến nhân dân góp ý vào %(title)s")
        % {"title": draft.title[:1].lower() + draft.title[1:]},
        blocks=blocks,
        signer_capacity=_("T/M Tiểu ban Văn kiện"),
        signer_title=_("Trưởng tiểu ban"),
        recipients=[_("Thường trực cấp ủy (để báo cáo),"), _("Tổ biên tập văn kiện,"), _("Lưu.")],
    )


def synthesis_docx(draft: Draft) -> bytes:
    """Always in Vietnamese: it is an official document of the congress."""
    with translation.override("vi"):
        return render(synthesis_document(draft))


# --- Excel ---

N_ = gettext_noop  # marked for translation here, translated when written
COLUMNS = (
    (N_("Số tiếp nhận"), 14), (N_("Ngày gửi"), 11), (N_("Mục"), 30), (N_("Đoạn"), 7),
    (N_("Nhóm ý kiến"), 30), (N_("Trùng với"), 14), (N_("Đợt gửi hàng loạt"), 10),
    (N_("Nhất trí chung"), 10), (N_("Trạng thái"), 11), (N_("Tiêu đề"), 30), (N_("Nội dung"), 80),
)  # fmt: skip


def _summary_sheet(figures: list[SectionFigures]) -> Sheet:
    rows = [
        [item.label, item.total, item.accepted, item.total - item.accepted, item.agreement,
         item.agreement / item.total if item.total else 0, item.duplicates, item.campaign,
         len(item.groups), item.hidden]
        for item in figures
    ]  # fmt: skip
    total = sum(f.total for f in figures)
    agreement = sum(f.agreement for f in figures)
    rows.append(
        [_("Cộng"), total, sum(f.accepted for f in figures),
         total - sum(f.accepted for f in figures), agreement, agreement / total if total else 0,
         sum(f.duplicates for f in figures), sum(f.campaign for f in figures),
         sum(len(f.groups) for f in figures), sum(f.hidden for f in figures)]
    )  # fmt: skip
    return Sheet(
        _("Tổng hợp"),
        [_("Mục"), _("Số ý kiến"), _("Đã duyệt"), _("Chờ duyệt"), _("Nhất trí chung"),
         _("Tỷ lệ nhất trí"), _("Trùng lặp"), _("Đợt gửi hàng loạt"), _("Số nhóm"),
         _("Đã ẩn (không tổng hợp)")],
        rows,
        formats={5: PERCENT_FORMAT},
        bold_rows=[len(rows) - 1],
    )  # fmt: skip


def _comment_rows(draft: Draft, figures: list[SectionFigures]) -> Iterator[list]:
    names = {g.group.pk: g.name for f in figures for g in f.groups}
    statuses = dict(CommentStatus.choices)
    yes = _("Có")
    base = Comment.objects.filter(version__draft=draft, status__in=COUNTED).order_by()
    for item in figures:
        comments = (
            base.filter(section=item.section) if item.section else base.filter(section__isnull=True)
        )
        label = str(item.section) if item.section else item.label
        last = 0
        while True:
            chunk = list(
                comments.filter(pk__gt=last).order_by("pk").values_list(
                    "pk", "reference", "created_at", "paragraph__number", "group_id",
                    "duplicate_of__reference", "in_campaign", "is_agreement", "status", "title",
                    "content",
                )[:ROW_CHUNK]
            )  # fmt: skip
            if not chunk:
                break
            for (_pk, reference, created, paragraph, group, duplicate_of, campaign, agreement,
                 status, title, content) in chunk:  # fmt: skip
                yield [
                    reference, timezone.localtime(created).date(), label, paragraph,
                    names.get(group, ""), duplicate_of or "", yes if campaign else "",
                    yes if agreement else "", str(statuses.get(status, status)), title, content,
                ]  # fmt: skip
            last = chunk[-1][0]


def write_synthesis_xlsx(draft: Draft, target: str | IO[bytes]) -> int:
    """Write the workbook to a path or a binary file; returns the number of comment rows."""
    with translation.override("vi"):
        figures = overview(draft, quotes=0, repeated=0)
        workbook = new_workbook()
        taken: set[str] = set()
        write_sheet(workbook, _summary_sheet(figures), taken)
        ws = workbook.create_sheet(safe_sheet_title(_("Ý kiến"), taken))
        for col, (_title, width) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for title, _width in COLUMNS:
            cell = WriteOnlyCell(ws)
            set_cell(cell, _(title))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        count = 0
        for row in _comment_rows(draft, figures):
            ws.append([stream_value(ws, value) for value in row])
            count += 1
        workbook.save(target)
    return count


def synthesis_xlsx(draft: Draft) -> bytes:
    import io

    buffer = io.BytesIO()
    write_synthesis_xlsx(draft, buffer)
    return buffer.getvalue()
