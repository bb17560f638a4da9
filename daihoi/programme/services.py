"""Use cases on the congress programme (chương trình đại hội): add, change, move and delete an
item of a session, edit the chair's lines for a kind of step, and the operating script
(kịch bản điều hành) as a Party-format Word document.

Only organising staff and system administrators change the programme (`can_manage_programme`);
every change is written to the audit chain. Text is stored in NFC (domain.md §8).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Congress
from daihoi.core.office.docx_party import Block, Heading, PartyDocument, Table, render
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import Session
from daihoi.documents.models import Document
from daihoi.programme.defaults import DEFAULT_LINES
from daihoi.programme.models import ItemKind, ProgrammeItem, ScriptTemplate
from daihoi.programme.rules import can_manage_programme
from daihoi.vietnamese import collapse_whitespace, nfc

PLACE = "Hà Nội"  # the date line's place, as in the subcommittee's other documents
CHAIR = "Chủ tọa"
MAX_SPEAKER = 40  # a "Speaker: line" prefix longer than this is part of the line


@dataclass(frozen=True)
class ItemData:
    """What staff type for an item; the service cleans and checks it."""

    title: str
    kind: str = ItemKind.OTHER
    presenter: str = ""
    starts_at: dt.time | None = None
    document: Document | None = None
    vote_motion: str = ""


def _require_manager(actor) -> None:
    if not can_manage_programme(actor):
        raise NotAllowed(_("Đồng chí không có quyền sửa chương trình đại hội."))


def _line(text: str) -> str:
    return collapse_whitespace(nfc(text or ""))


def _clean(data: ItemData, congress_id: int) -> dict:
    title = _line(data.title)
    if not title:
        raise InvalidInput(_("Hãy nhập nội dung."), code="no_title")
    if data.kind not in ItemKind.values:
        raise InvalidInput(_("Loại nội dung không hợp lệ."), code="bad_kind")
    motion = _line(data.vote_motion)
    if data.kind == ItemKind.VOTE and not motion:
        raise InvalidInput(_("Hãy ghi nội dung đề nghị Đại hội biểu quyết."), code="no_motion")
    if data.document is not None and data.document.congress_id not in (None, congress_id):
        raise InvalidInput(_("Văn bản thuộc đại hội khác."), code="other_congress")
    return {
        "title": title,
        "kind": data.kind,
        "presenter": _line(data.presenter),
        "starts_at": data.starts_at,
        "document": data.document,
        "vote_motion": motion,
    }


def _snapshot(item: ProgrammeItem) -> dict:
    return {
        "session": item.session_id,
        "order": item.order,
        "title": item.title,
        "kind": item.kind,
        "presenter": item.presenter,
        "starts_at": item.starts_at,
        "document": item.document_id,
        "vote_motion": item.vote_motion,
    }


@transaction.atomic
def add_item(actor, session: Session, data: ItemData) -> ProgrammeItem:
    """Append an item at the end of the session."""
    _require_manager(actor)
    session = Session.objects.select_for_update().get(pk=session.pk)
    fields = _clean(data, session.congress_id)
    last = session.programme_items.aggregate(last=Max("order"))["last"] or 0
    item = ProgrammeItem.objects.create(session=session, order=last + 1, **fields)
    record(actor, "programme_item.created", item, _snapshot(item))
    return item


@transaction.atomic
def update_item(actor, item: ProgrammeItem, data: ItemData) -> ProgrammeItem:
    _require_manager(actor)
    item = ProgrammeItem.objects.select_for_update().select_related("session").get(pk=item.pk)
    before = _snapshot(item)
    for name, value in _clean(data, item.session.congress_id).items():
        setattr(item, name, value)
    item.save()
    record(actor, "programme_item.updated", item, {"before": before, "after": _snapshot(item)})
    return item


@transaction.atomic
def move_item(actor, item: ProgrammeItem, up: bool) -> ProgrammeItem:
    """Swap the item with its neighbour above (up) or below; at either end nothing changes."""
    _require_manager(actor)
    Session.objects.select_for_update().get(pk=item.session_id)
    item = ProgrammeItem.objects.get(pk=item.pk)
    siblings = ProgrammeItem.objects.filter(session_id=item.session_id)
    neighbour = (
        siblings.filter(order__lt=item.order).order_by("-order").first()
        if up
        else siblings.filter(order__gt=item.order).order_by("order").first()
    )
    if neighbour is None:
        return item
    mine, theirs = item.order, neighbour.order
    # (session, order) is unique: park the item on 0 while the neighbour takes its place.
    ProgrammeItem.objects.filter(pk=item.pk).update(order=0)
    ProgrammeItem.objects.filter(pk=neighbour.pk).update(order=mine)
    ProgrammeItem.objects.filter(pk=item.pk).update(order=theirs)
    item.order = theirs
    record(actor, "programme_item.moved", item, {"from": mine, "to": theirs})
    return item


@transaction.atomic
def delete_item(actor, item: ProgrammeItem) -> None:
    """Delete an item; the items after it move up so the order stays 1, 2, 3…"""
    _require_manager(actor)
    Session.objects.select_for_update().get(pk=item.session_id)
    item = ProgrammeItem.objects.get(pk=item.pk)
    record(actor, "programme_item.deleted", item, _snapshot(item))
    session_id = item.session_id
    item.delete()
    # Ascending, each item takes a number no later item holds, so the unique order holds.
    rest = ProgrammeItem.objects.filter(session_id=session_id).order_by("order")
    for position, pk in enumerate(rest.values_list("pk", flat=True), start=1):
        ProgrammeItem.objects.filter(pk=pk).update(order=position)


@transaction.atomic
def update_script_template(actor, kind: str, lines: str) -> ScriptTemplate:
    """Replace the chair's lines for one kind of step (one line per line; blank lines dropped)."""
    _require_manager(actor)
    if kind not in ItemKind.values:
        raise InvalidInput(_("Loại nội dung không hợp lệ."), code="bad_kind")
    text = "\n".join(line for line in (_line(raw) for raw in nfc(lines or "").splitlines()) if line)
    template, _created = ScriptTemplate.objects.select_for_update().get_or_create(kind=kind)
    before = template.lines
    template.lines = text
    template.save()
    record(actor, "script_template.updated", template, {"before": before, "after": text})
    return template


def script_lines(kind: str, templates: dict[str, str] | None = None) -> list[str]:
    """The lines for a kind: staff's template when there is one, else the built-in default."""
    if templates is None:
        templates = dict(ScriptTemplate.objects.values_list("kind", "lines"))
    if kind in templates:
        return [line for line in templates[kind].splitlines() if line.strip()]
    return list(DEFAULT_LINES.get(kind, ()))


def fill(line: str, item: ProgrammeItem) -> tuple[str, str]:
    """(what is said, who says it): `{motion}` filled in, a "Speaker: …" prefix split off."""
    motion = item.vote_motion or _lower_first(item.title)
    # Split the speaker off before filling in, so a colon in the motion is not taken for one.
    speaker, sep, rest = line.partition(":")
    speaker = speaker.strip()
    if not (sep and rest.strip() and 0 < len(speaker) <= MAX_SPEAKER and "{" not in speaker):
        speaker, rest = CHAIR, line
    return rest.replace("{motion}", motion).strip(), speaker


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- the operating script ---


def sessions_with_items(congress: Congress) -> list[Session]:
    """The congress's sessions in time order, each with `.items` in programme order."""
    sessions = list(
        Session.objects.filter(congress=congress)
        .order_by("starts_at", "pk")
        .prefetch_related("programme_items__document")
    )
    for session in sessions:
        session.items = sorted(session.programme_items.all(), key=lambda item: item.order)
    return sessions


def operating_script(congress: Congress) -> bytes:
    """Kịch bản điều hành đại hội as .docx: per session, a table of items in order with the
    chair's lines for votes and the election steps. Always in Vietnamese."""
    with translation.override("vi"):
        return render(_script_document(congress))


def _item_text(item: ProgrammeItem) -> str:
    parts = [f"{item.order}. "]
    if item.starts_at is not None:
        parts.append(f"{item.starts_at:%H:%M} — ")
    parts.append(item.title)
    if item.document is not None:
        parts.append(f" ({_('Văn bản')} {item.document.symbol})")
    return "".join(parts)


def _script_document(congress: Congress) -> PartyDocument:
    templates = dict(ScriptTemplate.objects.values_list("kind", "lines"))
    blocks: list[Block] = []
    for session in sessions_with_items(congress):
        when = timezone.localtime(session.starts_at)
        blocks.append(Heading(f"{session.name.upper()} ({when:%H:%M}, {when:%d/%m/%Y})"))
        rows: list[list[str]] = [[_("Nội dung"), _("Người trình bày")]]
        for item in session.items:
            rows.append([_item_text(item), item.presenter or CHAIR])
            if item.kind in (ItemKind.VOTE, ItemKind.ELECTION) or item.kind in templates:
                for line in script_lines(item.kind, templates):
                    text, speaker = fill(line, item)
                    rows.append([f"– {text}", speaker])
        if len(rows) == 1:
            rows.append([_("Chưa có nội dung."), ""])
        blocks.append(Table(rows=rows, widths_mm=(120, 45), font_pt=13))
    if not blocks:
        blocks.append(_("Chưa có phiên họp nào."))
    return PartyDocument(
        upper_body=congress.party_organisation.upper(),
        issuing_body=_("Ban Tổ chức Đại hội").upper(),
        symbol="\u00a0" * 6 + "-KB/BTCĐH",
        place=PLACE,
        date=timezone.localdate(),
        kind_title="KỊCH BẢN",
        summary=_("Điều hành %(congress)s") % {"congress": congress.title},
        blocks=blocks,
        signer_capacity=_("T/M Ban Tổ chức Đại hội"),
        recipients=[_("Đoàn Chủ tịch Đại hội,"), _("Lưu Ban Tổ chức.")],
    )
