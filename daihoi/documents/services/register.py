"""Vào sổ văn bản: register a document under its number-symbol."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Congress
from daihoi.documents.models import Document, DocumentType
from daihoi.documents.services.base import Actor, block, line, require_manager, validate
from daihoi.documents.services.errors import DuplicateDocument, InvalidInput
from daihoi.documents.services.numbering import clean_term
from daihoi.documents.services.symbols import duplicate_message, find_registered, resolve_symbol
from daihoi.vietnamese import VietnameseDateError, parse_date


def _issue_date(value: datetime.date | str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return parse_date(value or "")
    except VietnameseDateError:
        raise InvalidInput(
            _("Ngày ban hành «%(text)s» không hợp lệ; nhập dạng 22/06/2020.") % {"text": value},
            code="bad_date",
        ) from None


@transaction.atomic
def register_document(
    actor: Actor,
    *,
    symbol: str,
    date: datetime.date | str,
    summary: str,
    place: str = "Hà Nội",
    signer: str = "",
    signer_capacity: str = "",
    signer_title: str = "",
    recipients: str = "",
    secrecy: str = "",
    urgency: str = "",
    body: str = "",
    congress: Congress | None = None,
    in_congress: bool = False,
    term: str = "",
) -> Document:
    """Enter a document in the register; the symbol gives its number, type and issuer.

    Refuses an unreadable symbol, a Party issuer missing from the table, and a symbol already in
    the register (compared after NFC, without regard to case or leading zeros).
    """
    require_manager(actor)
    resolved = resolve_symbol(symbol)
    parsed = resolved.parsed
    # One registration per type at a time, so two clerks cannot enter the same symbol at once.
    DocumentType.objects.select_for_update().filter(pk=resolved.doc_type.pk).first()
    if (existing := find_registered(parsed, clean_term(term))) is not None:
        raise DuplicateDocument(duplicate_message(existing))
    if in_congress and congress is None:
        raise InvalidInput(
            _("Văn bản ban hành trong đại hội phải gắn với một đại hội."), code="congress_required"
        )
    document = Document(
        congress=congress,
        system=parsed.system,
        symbol=parsed.symbol,
        number=parsed.number,
        doc_type=resolved.doc_type,
        issuer=resolved.issuer,
        issuer_code=parsed.issuer_code,
        term=clean_term(term),
        in_congress=bool(in_congress),
        date=_issue_date(date),
        place=line(place),
        summary=line(summary),
        signer=line(signer),
        signer_capacity=line(signer_capacity),
        signer_title=line(signer_title),
        recipients=block(recipients),
        secrecy=line(secrecy),
        urgency=line(urgency),
        body=block(body),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    validate(document)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # registered by somebody else a moment ago
        raise DuplicateDocument(
            _("Văn bản số %(symbol)s đã có trong sổ.") % {"symbol": parsed.symbol}
        ) from None
    record(
        actor,
        "document.registered",
        document,
        {
            "symbol": document.symbol,
            "system": document.system,
            "number": document.number,
            "type": resolved.doc_type.code,
            "issuer": document.issuer_code,
            "date": document.date,
            "term": document.term,
            "in_congress": document.in_congress,
            "congress": congress.pk if congress else None,
        },
    )
    return document
