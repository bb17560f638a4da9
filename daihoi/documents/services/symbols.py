"""Reading a number-symbol against the reference tables in the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from daihoi.documents.models import Document, DocumentType, Issuer
from daihoi.documents.services.errors import InvalidInput
from daihoi.documents.symbols import PARTY, ParsedSymbol, SymbolError, parse_symbol
from daihoi.vietnamese import fold, format_date


@dataclass(frozen=True)
class ResolvedSymbol:
    """A parsed symbol with its type and (for Party documents always) its issuer rows."""

    parsed: ParsedSymbol
    doc_type: DocumentType
    issuer: Issuer | None

    @property
    def system_label(self) -> str:
        return _("Văn bản Đảng") if self.parsed.system == PARTY else _("Văn bản Nhà nước")


def parse_with_tables(text: str) -> tuple[ParsedSymbol, dict[str, DocumentType], dict[str, Issuer]]:
    types = {t.code: t for t in DocumentType.objects.all()}
    issuers = {i.code: i for i in Issuer.objects.select_related("unit")}
    try:
        parsed = parse_symbol(text, types, issuers)
    except SymbolError as exc:
        raise InvalidInput(exc.message, code=exc.code) from None
    return parsed, types, issuers


def resolve_symbol(text: str) -> ResolvedSymbol:
    """Parse, then check the type fits the system and a Party issuer is in the table."""
    parsed, types, issuers = parse_with_tables(text)
    doc_type = types[parsed.type_code]
    if parsed.system == PARTY and not doc_type.party:
        raise InvalidInput(
            _(
                "Thể loại «%(code)s» (%(name)s) không dùng trong văn bản Đảng; "
                "văn bản Nhà nước viết dạng 15/2020/%(code)s-CP."
            )
            % {"code": doc_type.code, "name": doc_type.name},
            code="type_not_party",
        )
    if parsed.system != PARTY and not doc_type.state:
        raise InvalidInput(
            _(
                "Thể loại «%(code)s» (%(name)s) chỉ dùng trong văn bản Đảng, "
                "viết dạng 59-%(code)s/TU."
            )
            % {"code": doc_type.code, "name": doc_type.name},
            code="type_not_state",
        )
    issuer = issuers.get(parsed.issuer_code)
    if parsed.system == PARTY and issuer is None:
        raise InvalidInput(
            _(
                "Cơ quan ban hành «%(code)s» chưa có trong danh mục. Đề nghị quản trị hệ thống "
                "thêm vào danh mục (Quản trị Django → Sổ đăng ký văn bản → Cơ quan ban hành → "
                "Thêm: ký hiệu «%(code)s» và tên đầy đủ), rồi đăng ký lại. "
                "Các ký hiệu đang có: %(known)s."
            )
            % {"code": parsed.issuer_code, "known": ", ".join(sorted(issuers))},
            code="unknown_issuer",
        )
    if issuer is None:
        # A State issuer may be free text; "UBND-KGVX" still belongs to UBND.
        issuer = issuers.get(parsed.issuer_code.split("-")[0])
    return ResolvedSymbol(parsed, doc_type, issuer)


def find_registered(parsed: ParsedSymbol, term: str | None = None) -> Document | None:
    """The document already in the register under this symbol (1-KH/TU = 01-kh/tu), if any.

    Party numbering restarts each committee term (36-HD/VPTW), so with `term` only that
    term's documents count; without it the most recent document of that symbol is returned.

    Compared in Python after NFC and case folding: the databases' own case-insensitive
    comparisons do not all know that "đ" is the small "Đ".
    """
    candidates = (
        Document.objects.filter(
            system=parsed.system, number=parsed.number, doc_type__code=parsed.type_code
        )
        .only("pk", "symbol", "date", "issuer_code", "system", "number", "term")
        .order_by("-date", "-pk")
    )
    if term is not None:
        candidates = candidates.filter(term=term)
    for document in candidates:
        try:
            other = parse_symbol(document.symbol, [parsed.type_code])
        except SymbolError:
            if fold(document.symbol) == fold(parsed.symbol):
                return document
            continue
        if other.key == parsed.key:
            return document
    return None


def duplicate_message(document: Document) -> str:
    return _("Văn bản số %(symbol)s đã có trong sổ (ngày %(date)s).") % {
        "symbol": document.symbol,
        "date": format_date(document.date),
    }


def find_document(text: str) -> Document | None:
    """Look a document up by its number-symbol as somebody typed it; bad input raises."""
    parsed, _types, _issuers = parse_with_tables(text)
    return find_registered(parsed)
