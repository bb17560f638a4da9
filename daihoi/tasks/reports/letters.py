"""Công văn đôn đốc: the written reminder (đôn đốc) to a unit about its overdue tasks — the
second step of the escalation (domain.md §3). Its text, and the one-click issue that numbers it
in the register, attaches it and tells the unit's liaisons. Entry points re-exported by
daihoi.tasks.reminders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Congress, Role, Unit, User
from daihoi.core.office.docx_party import PartyDocument, Table, render
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.documents.models import Document, LinkKind, SignerCapacity
from daihoi.documents.services import (
    DuplicateDocument,
    add_attachment,
    link_documents,
    next_number,
    register_document,
)
from daihoi.documents.symbols import PARTY, format_symbol
from daihoi.tasks import status
from daihoi.tasks.models import Notification, Task, TaskState, TaskUnit, UnitRole
from daihoi.tasks.reports.word import DEFAULT_PLACE, draft_symbol, office_header
from daihoi.vietnamese import format_date

OFFICIAL_LANGUAGE = "vi"  # a Party document is written in Vietnamese, whoever downloads it
ISSUER_CODE, LETTER_TYPE = "TBTCPV", "CV"
WRITTEN_REMINDER = "written_reminder"  # Notification.kind
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def reminder_summary() -> str:
    return _("V/v đôn đốc thực hiện nhiệm vụ phục vụ Đại hội")


def _deadline(task: Task) -> str:
    if task.deadline_text:
        return task.deadline_text
    return format_date(task.deadline_date) if task.deadline_date else ""


def _role(task: Task, unit: Unit) -> str:
    roles = {link.role for link in task.task_units.all() if link.unit_id == unit.pk}
    return str(UnitRole.LEAD.label if UnitRole.LEAD in roles else UnitRole.COORDINATING.label)


def _sources(tasks: Sequence[Task]) -> str:
    """ "Thông báo số 2682-TB/TU, Kế hoạch số 01-KH/TBTCPV": the documents that gave the tasks."""
    documents = {t.document.symbol: t.document for t in tasks if t.document_id}
    return ", ".join(
        _("%(kind)s số %(symbol)s") % {"kind": documents[symbol].doc_type.name, "symbol": symbol}
        for symbol in sorted(documents)
    )


def reminder_letter(
    unit: Unit,
    tasks: Sequence[Task],
    today: dt.date,
    number: int | None,
    congress: Congress | None = None,
) -> PartyDocument:
    """The letter as a PartyDocument; `tasks` are the unit's overdue tasks (with task_units)."""
    with translation.override(OFFICIAL_LANGUAGE):
        upper, issuing = office_header(congress)
        sources = _sources(tasks)
        opening = (
            _(
                "Thực hiện %(sources)s, Tiểu ban tổ chức phục vụ Đại hội đã giao %(unit)s chủ trì "
                "hoặc phối hợp thực hiện một số nhiệm vụ phục vụ Đại hội."
            )
            if sources
            else _(
                "Tiểu ban tổ chức phục vụ Đại hội đã giao %(unit)s chủ trì hoặc phối hợp thực "
                "hiện một số nhiệm vụ phục vụ Đại hội."
            )
        ) % {"sources": sources, "unit": unit.name}
        situation = _(
            "Đến ngày %(today)s, %(count)s nhiệm vụ sau chưa hoàn thành, đã quá thời hạn:"
        ) % {"today": format_date(today), "count": len(tasks)}
        rows: list[list[object]] = [
            [_("STT"), _("Nhiệm vụ"), _("Văn bản giao"), _("Thời hạn"), _("Vai trò")]
        ]
        rows += [
            [
                str(n),
                task.title,
                task.document.symbol if task.document_id else "",
                _deadline(task),
                _role(task, unit),
            ]
            for n, task in enumerate(tasks, start=1)
        ]
        request = _(
            "Tiểu ban đề nghị %(unit)s khẩn trương chỉ đạo thực hiện, hoàn thành các nhiệm vụ "
            "trên; báo cáo kết quả, nêu rõ nguyên nhân chậm và thời gian hoàn thành về Tiểu ban "
            "(qua Văn phòng) để tổng hợp, báo cáo Thường trực Thành ủy."
        ) % {"unit": unit.name}
        return PartyDocument(
            upper_body=upper,
            issuing_body=issuing,
            symbol=draft_symbol("CV", number),
            place=DEFAULT_PLACE,
            date=today,
            kind_title="",
            summary=reminder_summary(),
            addressees=[unit.name],
            blocks=[
                opening,
                situation,
                Table(rows, widths_mm=[12, 70, 30, 33, 20], font_pt=11),
                request,
                _("Trân trọng!"),
            ],
            signer_capacity=_("T/M Tiểu ban"),
            signer_title=_("Trưởng Tiểu ban"),
            recipients=[
                _("Như trên,"),
                _("Thường trực Tiểu ban (để báo cáo),"),
                _("Lưu Văn phòng."),
            ],
        )


def letter_text(letter: PartyDocument) -> str:
    """Plain text of the letter's body, kept in the register for search."""
    lines: list[str] = []
    for block in letter.blocks:
        if isinstance(block, Table):
            lines += [" | ".join(str(cell) for cell in row) for row in block.rows]
        else:
            lines.append(str(getattr(block, "text", block)))
    return "\n".join(lines)


# --- Numbering, registering, notifying ---


def overdue_tasks(unit: Unit, today: dt.date, tasks: Iterable[Task] | None = None) -> list[Task]:
    """The unit's overdue tasks (lead or coordinating), optionally limited to `tasks`."""
    queryset = (
        Task.objects.with_unit([unit.pk])
        .exclude(state=TaskState.CANCELLED)
        .filter(deadline_date__lt=today, **{f"{status.done_field()}__isnull": True})
        .select_related("document__doc_type")
        .prefetch_related(Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit")))
        .order_by("deadline_date", "pk")
    )
    if tasks is not None:
        queryset = queryset.filter(pk__in=[getattr(t, "pk", t) for t in tasks])
    found = list(queryset)
    if not found:
        raise InvalidInput(
            _("%(unit)s không có nhiệm vụ quá hạn để đôn đốc.") % {"unit": unit.name},
            code="nothing_overdue",
        )
    return found


def subcommittee_term(congress: Congress | None, today: dt.date) -> str:
    """The committee term the subcommittee's letters are numbered in: before the congress opens
    it is the outgoing committee's (2015–2020 for the XVII congress), afterwards the new one's.
    [verify] Assumes the outgoing term is as long as the new one."""
    if congress is None:
        return ""
    if congress.start_date and today >= congress.start_date:
        return congress.term
    length = congress.term_end - congress.term_start
    return f"{congress.term_start - length}–{congress.term_start}"


def _check(actor) -> None:
    if actor is not None and not actor.has_perm("tasks.issue_reminder"):
        raise NotAllowed(_("Đồng chí không có quyền ban hành công văn đôn đốc."))


def _current_congress() -> Congress | None:
    return Congress.objects.filter(is_current=True).first()


def draft_written_reminder(
    actor, unit: Unit, tasks: Iterable[Task] | None, today: dt.date
) -> bytes:
    """The đôn đốc letter as DOCX, numbered with the register's proposed next number
    (proposed, not reserved: the number is taken only by issue_written_reminder)."""
    _check(actor)
    found = overdue_tasks(unit, today, tasks)
    congress = _current_congress()
    number = next_number(ISSUER_CODE, LETTER_TYPE, subcommittee_term(congress, today), congress)
    return render(reminder_letter(unit, found, today, number, congress))


@transaction.atomic
def issue_written_reminder(
    actor, unit: Unit, tasks: Iterable[Task] | None, today: dt.date
) -> Document:
    """One click for staff: register the đôn đốc letter under the next number, attach its DOCX,
    link it to the source documents, notify the unit's liaisons, audit. Returns the Document."""
    _check(actor)
    found = overdue_tasks(unit, today, tasks)
    congress = _current_congress()
    term = subcommittee_term(congress, today)
    document, letter = _register(actor, unit, found, today, congress, term)
    name = f"cong-van-don-doc-{document.symbol.replace('/', '-')}.docx"
    add_attachment(actor, document, SimpleUploadedFile(name, render(letter), content_type=DOCX))
    for source in {task.document for task in found if task.document_id}:
        link_documents(actor, document, source, LinkKind.CITES)
    _notify_liaisons(unit, found, document)
    record(
        actor,
        "tasks.reminder_issued",
        document,
        {"unit": unit.pk, "symbol": document.symbol, "tasks": [task.pk for task in found]},
    )
    return document


def _register(
    actor, unit: Unit, tasks: Sequence[Task], today: dt.date, congress, term: str
) -> tuple[Document, PartyDocument]:
    # Another clerk may take the proposed number between the proposal and the insert: the
    # register refuses the duplicate, and the next proposal is taken (a few times at most).
    for attempt in range(3):
        number = next_number(ISSUER_CODE, LETTER_TYPE, term, congress)
        letter = reminder_letter(unit, tasks, today, number, congress)
        try:
            with transaction.atomic():
                document = register_document(
                    actor,
                    symbol=format_symbol(PARTY, f"{number:02d}", LETTER_TYPE, ISSUER_CODE),
                    date=today,
                    summary=letter.summary,
                    signer_capacity=SignerCapacity.ON_BEHALF,
                    signer_title=_("Tiểu ban tổ chức phục vụ Đại hội"),
                    recipients="\n".join([unit.name, *letter.recipients[1:]]),
                    body=letter_text(letter),
                    congress=congress,
                    term=term,
                )
            return document, letter
        except DuplicateDocument:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _notify_liaisons(unit: Unit, tasks: Sequence[Task], document: Document) -> None:
    liaisons = User.objects.filter(
        is_active=True, role_assignments__role=Role.UNIT_LIAISON, role_assignments__unit=unit
    ).distinct()
    values = {"symbol": document.symbol, "date": format_date(document.date)}
    Notification.objects.bulk_create(
        Notification(
            user=user,
            task=task,
            kind=WRITTEN_REMINDER,
            text=(
                _("Công văn số %(symbol)s ngày %(date)s đôn đốc nhiệm vụ quá hạn «%(title)s».")
                % {**values, "title": task.title[:300]}
            )[:500],
        )
        for user in liaisons
        for task in tasks
    )
