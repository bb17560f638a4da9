"""Liên kết văn bản: a notice implements a plan, cites it, replaces or reports on another."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.documents.models import Document, DocumentLink, LinkKind
from daihoi.documents.services.base import Actor, require_manager
from daihoi.documents.services.errors import InvalidInput


@transaction.atomic
def link_documents(actor: Actor, source: Document, target: Document, kind: str) -> DocumentLink:
    """Record that `source` relates to `target` (e.g. 2682-TB/TU cites 01-KH/TBTCPV)."""
    require_manager(actor)
    if kind not in LinkKind.values:
        raise InvalidInput(
            _("Quan hệ «%(kind)s» không có trong danh mục.") % {"kind": kind}, code="bad_link_kind"
        )
    if source.pk == target.pk:
        raise InvalidInput(_("Không thể liên kết một văn bản với chính nó."), code="self_link")
    source = Document.objects.select_for_update().get(pk=source.pk)
    target = Document.objects.get(pk=target.pk)
    label = LinkKind(kind).label
    if DocumentLink.objects.filter(source=source, target=target, kind=kind).exists():
        raise InvalidInput(
            _("Liên kết «%(source)s — %(kind)s — %(target)s» đã có.")
            % {"source": source.symbol, "kind": label, "target": target.symbol},
            code="duplicate_link",
        )
    try:
        with transaction.atomic():
            link = DocumentLink.objects.create(source=source, target=target, kind=kind)
    except IntegrityError:
        raise InvalidInput(_("Liên kết này đã có."), code="duplicate_link") from None
    record(
        actor,
        "document.linked",
        source,
        {"target": target.pk, "target_symbol": target.symbol, "kind": kind},
    )
    return link
