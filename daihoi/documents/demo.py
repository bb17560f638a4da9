"""Demo documents of the Hanoi XVII example: notice 2682-TB/TU and the two plans it cites.

`load_demo_documents()` is called by the demo after the units are loaded; running it twice
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from daihoi.documents.models import DocumentLink, LinkKind
from daihoi.documents.services import (
    find_document,
    link_documents,
    link_issuers_to_units,
    register_document,
)

TERM = "2015–2020"  # all three were issued before the 17th congress (11–13/10/2020)

DOCUMENTS = [
    {
        "symbol": "01-KH/TBTCPV",
        "date": dt.date(2019, 8, 19),
        "summary": (
            "Kế hoạch tổ chức phục vụ Đại hội đại biểu lần thứ XVII Đảng bộ thành phố Hà Nội, "
            "nhiệm kỳ 2020–2025"
        ),
    },
    {
        "symbol": "164-KH/TU",
        "date": dt.date(2019, 10, 16),
        "summary": (
            "Bảo đảm an ninh chính trị, trật tự an toàn xã hội; đấu tranh, phản bác các thông tin "
            "bịa đặt, xuyên tạc chống phá của các thế lực thù địch, phản động trên địa bàn thành "
            "phố trước, trong và sau đại hội đảng bộ các cấp"
        ),
        "signer_capacity": "TM.",
        "signer_title": "Ban Thường vụ Thành ủy",
    },
    {
        "symbol": "2682-TB/TU",
        "date": dt.date(2020, 6, 22),
        "summary": (
            "Kết luận của Phó Bí thư Thường trực Thành ủy, Trưởng Tiểu ban tại hội nghị giao ban "
            "Tiểu ban tổ chức phục vụ Đại hội lần thứ XVII Đảng bộ thành phố Hà Nội"
        ),
        "body_file": "2682-TB-TU.txt",
    },
]

LINKS = [
    ("2682-TB/TU", "01-KH/TBTCPV", LinkKind.CITES),
    ("2682-TB/TU", "164-KH/TU", LinkKind.CITES),
]


@dataclass
class DemoDocumentsResult:
    documents_created: int = 0
    links_created: int = 0
    issuers_linked: int = 0


def notices_dir() -> Path:
    """../shared/data/notices, next to the project folder."""
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "notices"


def _body(filename: str | None) -> str:
    if not filename:
        return ""
    path = notices_dir() / filename
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@transaction.atomic
def load_demo_documents() -> DemoDocumentsResult:
    result = DemoDocumentsResult(issuers_linked=link_issuers_to_units(None))
    for data in DOCUMENTS:
        if find_document(data["symbol"]) is not None:
            continue
        fields = {k: v for k, v in data.items() if k != "body_file"}
        register_document(None, term=TERM, body=_body(data.get("body_file")), **fields)
        result.documents_created += 1
    for source_symbol, target_symbol, kind in LINKS:
        source, target = find_document(source_symbol), find_document(target_symbol)
        if source is None or target is None:
            continue
        if DocumentLink.objects.filter(source=source, target=target, kind=kind).exists():
            continue
        link_documents(None, source, target, kind)
        result.links_created += 1
    return result
