"""Số, ký hiệu văn bản: parse and normalise a document's number-symbol (no database).

Party documents (Hướng dẫn 36-HD/VPTW): ``2682-TB/TU`` — number, hyphen, type, slash, issuer.
State documents: ``42/2014/QĐ-TTg`` or ``1234/QĐ-UBND`` — number, [year,] type, hyphen, issuer.

Input arrives typed by people: "Số 2682-TB/TU", "số: 2682 - tb / tu", NFD, en dashes, "QD" for
"QĐ". The result is NFC with canonical spacing and the canonical case of the type code from the
type table ("qđi" → "QĐi"). The default tables are in daihoi.documents.tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from daihoi.documents.tables import DOCUMENT_TYPES, ISSUERS, PARTY, STATE
from daihoi.vietnamese import collapse_whitespace, fold, nfc

__all__ = [
    "DOCUMENT_TYPES",
    "ISSUERS",
    "PARTY",
    "STATE",
    "ParsedSymbol",
    "SymbolError",
    "canonical_code",
    "canonical_issuer",
    "format_symbol",
    "normalize_term",
    "parse_symbol",
]

MAX_NUMBER = 999_999
MAX_LENGTH = 60  # Document.symbol

# "Số:", and what is pasted around a symbol: "Thông báo số 2682-TB/TU ngày 22/6/2020".
_PREFIX = re.compile(r"(?:[^\W\d_][^\d]*?\s+)?s[ốo](?![^\W\d_])\s*[:.]?\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"[\s,;]+ng[àa]y(?![^\W\d_]).*$", re.IGNORECASE)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")  # ‐ ‑ ‒ – — ― and the minus sign
_SEPARATOR = re.compile(r"\s*([-/])\s*")
_CODE = re.compile(r"[^\W\d_]+")  # letters only
_ISSUER = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # letters and digits, inner hyphens (UBND-KGVX)
_DIGITS = re.compile(r"[0-9]+")
_TERM = re.compile(r"([0-9]{4})\s*[-–—/]\s*([0-9]{4})")


class SymbolError(ValueError):
    """A number-symbol that cannot be read; the message says what is wrong, in Vietnamese."""

    def __init__(self, message: str, code: str = "invalid_symbol") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ParsedSymbol:
    system: str  # PARTY or STATE
    number: int
    number_text: str  # as written: "01"
    type_code: str  # canonical case: "QĐi"
    issuer_code: str  # canonical case when known: "TTg"
    year: int | None  # State form only
    symbol: str  # normalised: "01-KH/TBTCPV"

    @property
    def key(self) -> tuple:
        """What makes two symbols the same document: 1-KH/TU = 01-kh/tu."""
        return (self.system, self.number, self.type_code, self.issuer_code.casefold(), self.year)


def format_symbol(
    system: str, number_text: str, type_code: str, issuer_code: str, year: int | None = None
) -> str:
    if system == PARTY:
        return f"{number_text}-{type_code}/{issuer_code}"
    middle = f"{year:04d}/" if year is not None else ""
    return f"{number_text}/{middle}{type_code}-{issuer_code}"


def _code_map(codes: Iterable[str]) -> dict[str, str]:
    """Lookup from casefold and from folded spelling ("qd" → "QĐ") to the canonical code.

    A folded spelling is kept only when it is unambiguous in the given table.
    """
    codes = [nfc(c) for c in codes]
    lookup: dict[str, str] = {}
    folded: dict[str, set[str]] = {}
    for code in codes:
        folded.setdefault(fold(code), set()).add(code)
    for key, found in folded.items():
        if len(found) == 1:
            lookup[key] = next(iter(found))
    for code in codes:
        lookup[code.casefold()] = code
    return lookup


def canonical_code(code: str, table: Iterable[str]) -> str | None:
    """The table's spelling of a code typed in any case or without the stroke of Đ."""
    code = nfc(code).strip()
    lookup = _code_map(table)
    return lookup.get(code.casefold()) or lookup.get(fold(code))


def _canonical_issuer(issuer: str, lookup: dict[str, str]) -> str:
    known = lookup.get(issuer.casefold()) or lookup.get(fold(issuer))
    if known:
        return known
    # Unknown acronyms keep a deliberate mixed case (TTg); all lower case was just typed so.
    return issuer if issuer != issuer.lower() else issuer.upper()


def canonical_issuer(code: str, issuer_codes: Iterable[str] | None = None) -> str:
    """An issuer code as the register writes it: known codes in the table's spelling ("ttg" →
    "TTg", "du" → "ĐU"), each part of a compound State code (UBND-KGVX) on its own."""
    lookup = _code_map(issuer_codes if issuer_codes is not None else (i[0] for i in ISSUERS))
    parts = _DASHES.sub("-", collapse_whitespace(nfc(code or ""))).replace(" ", "").split("-")
    return "-".join(_canonical_issuer(part, lookup) for part in parts if part)


def _number(text: str) -> tuple[int, str]:
    if not text:
        raise SymbolError(_("Thiếu số văn bản (ví dụ 2682-TB/TU)."), "missing_number")
    if not _DIGITS.fullmatch(text) or int(text) == 0:
        raise SymbolError(
            _("Số phải là số nguyên dương (đang là «%(text)s»).") % {"text": text}, "bad_number"
        )
    if int(text) > MAX_NUMBER or len(text) > 7:
        raise SymbolError(_("Số «%(text)s» quá lớn.") % {"text": text}, "bad_number")
    return int(text), text


def _type(text: str, lookup: dict[str, str]) -> str:
    if not text:
        raise SymbolError(_("Thiếu ký hiệu thể loại (ví dụ TB, KH, QĐ)."), "missing_type")
    if not _CODE.fullmatch(text):
        raise SymbolError(
            _("Ký hiệu thể loại «%(code)s» chỉ được gồm chữ cái.") % {"code": text}, "bad_type"
        )
    known = lookup.get(text.casefold()) or lookup.get(fold(text))
    if known is None:
        raise SymbolError(
            _("Thể loại «%(code)s» không có trong danh mục.") % {"code": text}, "unknown_type"
        )
    return known


def _issuer(text: str, lookup: dict[str, str]) -> str:
    if not text:
        raise SymbolError(
            _("Thiếu ký hiệu cơ quan ban hành (ví dụ TU trong 2682-TB/TU)."), "missing_issuer"
        )
    if not _ISSUER.fullmatch(text):
        raise SymbolError(
            _("Ký hiệu cơ quan ban hành «%(code)s» chỉ được gồm chữ cái và chữ số.")
            % {"code": text},
            "bad_issuer",
        )
    return "-".join(_canonical_issuer(part, lookup) for part in text.split("-"))


def _year(text: str) -> int:
    if not re.fullmatch(r"[0-9]{4}", text) or int(text) == 0:
        raise SymbolError(
            _("Năm ban hành «%(text)s» phải có 4 chữ số (ví dụ 42/2014/QĐ-TTg).") % {"text": text},
            "bad_year",
        )
    return int(text)


def _clean(text: str) -> str:
    text = collapse_whitespace(nfc(text or ""))
    if prefix := _PREFIX.match(text):
        text = text[prefix.end() :]
    text = _SUFFIX.sub("", text)
    text = _DASHES.sub("-", text)
    return _SEPARATOR.sub(r"\1", text).strip()


def parse_symbol(
    text: str,
    type_codes: Iterable[str] | None = None,
    issuer_codes: Iterable[str] | None = None,
) -> ParsedSymbol:
    """Read a Party or State number-symbol; raise SymbolError with a Vietnamese message.

    `type_codes` and `issuer_codes` default to the tables above; pass the database's codes to
    follow what staff added. Unknown issuers are accepted here (the register decides).
    """
    types = _code_map(type_codes if type_codes is not None else (t[0] for t in DOCUMENT_TYPES))
    issuers = _code_map(issuer_codes if issuer_codes is not None else (i[0] for i in ISSUERS))
    cleaned = _clean(text)
    if not cleaned:
        raise SymbolError(_("Chưa nhập số, ký hiệu văn bản."), "empty")
    if " " in cleaned:
        raise SymbolError(
            _("Số, ký hiệu «%(text)s» có khoảng trắng không đúng chỗ (ví dụ đúng: 2682-TB/TU).")
            % {"text": cleaned},
            "bad_format",
        )
    parts = cleaned.split("/")
    year = None
    if len(parts) == 2 and "-" in parts[0]:
        system = PARTY
        number_text, type_text = parts[0].split("-", 1)
        if "-" in type_text:
            raise SymbolError(
                _("Ký hiệu thể loại «%(code)s» chỉ được gồm chữ cái.") % {"code": type_text},
                "bad_type",
            )
        issuer_text = parts[1]
    elif len(parts) in (2, 3) and "-" not in parts[0] and "-" in parts[-1]:
        system = STATE
        number_text = parts[0]
        type_text, issuer_text = parts[-1].split("-", 1)
        if len(parts) == 3:
            year = _year(parts[1])
    elif len(parts) == 1 and "-" in cleaned:
        raise SymbolError(
            _("Thiếu ký hiệu cơ quan ban hành sau dấu «/» (ví dụ 2682-TB/TU)."), "missing_issuer"
        )
    elif len(parts) == 1:
        raise SymbolError(
            _("Thiếu ký hiệu thể loại và cơ quan ban hành (ví dụ 2682-TB/TU)."), "missing_type"
        )
    elif len(parts) == 2:
        raise SymbolError(
            _(
                "Thiếu ký hiệu thể loại: văn bản Đảng viết 2682-TB/TU, "
                "văn bản Nhà nước 1234/QĐ-UBND."
            ),
            "missing_type",
        )
    else:
        raise SymbolError(
            _(
                "Số, ký hiệu «%(text)s» không đúng mẫu văn bản Đảng (2682-TB/TU) "
                "hay văn bản Nhà nước (42/2014/QĐ-TTg)."
            )
            % {"text": cleaned},
            "bad_format",
        )
    number, number_text = _number(number_text)
    type_code = _type(type_text, types)
    issuer_code = _issuer(issuer_text, issuers)
    symbol = format_symbol(system, number_text, type_code, issuer_code, year)
    if len(symbol) > MAX_LENGTH:
        raise SymbolError(_("Số, ký hiệu dài quá %(n)d ký tự.") % {"n": MAX_LENGTH}, "too_long")
    return ParsedSymbol(system, number, number_text, type_code, issuer_code, year, symbol)


def normalize_term(text: str) -> str:
    """Nhiệm kỳ: "2015-2020", "2015 – 2020" → "2015–2020" (as Congress.term writes it); "" stays."""
    text = collapse_whitespace(nfc(text or ""))
    if not text:
        return ""
    text = re.sub(r"^nhiệm kỳ\s*", "", text, flags=re.IGNORECASE)
    match = _TERM.fullmatch(text)
    if not match or int(match.group(2)) <= int(match.group(1)):
        raise SymbolError(
            _("Nhiệm kỳ «%(text)s» không hợp lệ; viết dạng 2020–2025.") % {"text": text},
            "bad_term",
        )
    return f"{match.group(1)}–{match.group(2)}"
