"""Đánh số văn bản: the next number an issuer should give (domain.md §2, Hướng dẫn 36-HD/VPTW)."""

from __future__ import annotations

from django.db.models import Max
from django.utils.translation import gettext as _

from daihoi.core.models import Congress
from daihoi.documents.models import Document, DocumentType, Issuer
from daihoi.documents.services.errors import InvalidInput
from daihoi.documents.symbols import SymbolError, canonical_code, canonical_issuer, normalize_term


def clean_term(term: str) -> str:
    try:
        return normalize_term(term)
    except SymbolError as exc:
        raise InvalidInput(exc.message, code=exc.code) from None


def next_number(
    issuer_code: str,
    type_code: str,
    term: str,
    congress: Congress | None = None,
    in_congress: bool = False,
) -> int:
    """The number to propose for the next document.

    Outside a congress an issuer numbers each type from 1 per committee term. Inside a congress
    (from the preparatory session to the closing) the congress and all its bodies share one
    counter for every type and issuer, so only `congress` matters then.
    """
    if in_congress:
        if congress is None:
            raise InvalidInput(
                _("Văn bản ban hành trong đại hội phải gắn với một đại hội."),
                code="congress_required",
            )
        documents = Document.objects.filter(congress=congress, in_congress=True)
    else:
        type_codes = DocumentType.objects.values_list("code", flat=True)
        doc_type = canonical_code(type_code or "", type_codes)
        if doc_type is None:
            raise InvalidInput(
                _("Thể loại «%(code)s» không có trong danh mục.") % {"code": type_code},
                code="unknown_type",
            )
        issuer = canonical_issuer(issuer_code, Issuer.objects.values_list("code", flat=True))
        if not issuer:
            raise InvalidInput(_("Thiếu ký hiệu cơ quan ban hành."), code="missing_issuer")
        documents = Document.objects.filter(
            issuer_code=issuer, doc_type__code=doc_type, term=clean_term(term), in_congress=False
        )
    return (documents.aggregate(last=Max("number"))["last"] or 0) + 1
