"""Drafts by section: a DOCX becomes numbered sections and paragraphs; versions are published;
comments are opened and closed per version. News articles are created and published here too.

A heading is recognised by its Word style ("Heading 1", "Heading 2", …) or by the numbering
written in its text the way Party documents number their parts: "Phần thứ nhất", "I.", "1.",
"1.1.", "a)". The levels follow the order in which the kinds of numbering first appear, as in
an outline: a document that starts at "I." has its Roman numerals at level 1. A section keeps
the number written in its text, so a re-uploaded draft keeps "mục II.3" where it was; a heading
without a written number is numbered by its place among its siblings ("2", "2.1"). Paragraphs
are numbered from 1 inside their section; a table becomes one paragraph per row.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.consultation.models import Article, Draft, DraftVersion, Paragraph, Section
from daihoi.consultation.rules import can_manage_drafts
from daihoi.core.models import Congress
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.core.uploads import DOCX, check_upload
from daihoi.vietnamese import collapse_whitespace, nfc

# A DOCX is a zip; its unpacked parts may not exceed this (a "zip bomb" expands to gigabytes).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
TITLE_MAX = 500
NUMBER_MAX = 40
# A numbered line longer than this is a numbered paragraph of text, not a heading.
HEADING_MAX_CHARS = 200

_ORDINALS = (
    "nhất|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười|mười một|mười hai|mười ba|mười bốn|mười lăm"
)
# (kind, pattern): the number is group 1, the heading text what follows the match.
_NUMBERINGS = (
    ("part", re.compile(rf"^(phần\s+(?:thứ\s+(?:{_ORDINALS})|[IVXLC]+|\d+))\b[\s.:\-–—]*", re.I)),
    ("roman", re.compile(r"^([IVXLC]+)\.\s+")),
    ("decimal2", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+")),
    ("decimal", re.compile(r"^(\d{1,2})\.\s+")),
    ("letter", re.compile(r"^([a-zđ])\)\s+")),
)
_HEADING_STYLE = re.compile(r"^(?:heading|tiêu đề|đề mục)\s*(\d)$", re.I)


@dataclass
class ParsedSection:
    number: str
    title: str
    level: int
    paragraphs: list[str] = field(default_factory=list)


def _require_manager(actor) -> None:
    if not can_manage_drafts(actor):
        raise NotAllowed(_("Chỉ Tiểu ban và cán bộ tổ chức được quản lý dự thảo và tin bài."))


def _clean(text: str) -> str:
    return collapse_whitespace(nfc(text or "").replace("\u00a0", " "))


def _style_level(paragraph) -> int | None:
    style = paragraph.style
    while style is not None:
        match = _HEADING_STYLE.match((style.name or "").strip())
        if match:
            return max(1, int(match.group(1)))
        style = style.base_style
    return None


def _all_bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _numbered(text: str) -> tuple[str, str, str] | None:
    """(kind, number, rest) when the text starts with a Party-document number."""
    for kind, pattern in _NUMBERINGS:
        match = pattern.match(text)
        if match:
            number = match.group(1).rstrip(".")
            if kind == "part":
                number = number[:1].upper() + number[1:].lower()
            rest = text[match.end() :].strip()
            return kind, number, rest
    return None


def _looks_like_heading(rest: str, bold: bool) -> bool:
    if not rest or len(rest) > HEADING_MAX_CHARS:
        return False
    if bold or rest.isupper():
        return True
    # "1. Về phát triển kinh tế" or "a) Về văn hóa:" are headings; a numbered sentence of text
    # ("a) Tăng trưởng bình quân đạt 7,5%.") ends like a sentence or a list item.
    return not rest.endswith((".", ";", ","))


class _Outline:
    """Levels in the order the numbering kinds appear; counters for headings without numbers."""

    def __init__(self) -> None:
        self.kinds: list[str] = []
        self.counters: list[int] = []
        self.numbers: list[str] = []

    def level_of(self, kind: str) -> int:
        if kind in self.kinds:
            del self.kinds[self.kinds.index(kind) + 1 :]
        else:
            self.kinds.append(kind)
        return len(self.kinds)

    def number(self, level: int, written: str) -> str:
        del self.counters[level:], self.numbers[level:]
        while len(self.counters) < level:
            self.counters.append(0)
            self.numbers.append("")
        self.counters[level - 1] += 1
        if written:
            self.numbers[level - 1] = written
            return written
        parents = [n for n in self.numbers[: level - 1] if n]
        own = str(self.counters[level - 1])
        self.numbers[level - 1] = ".".join([*parents, own]) if parents else own
        return self.numbers[level - 1]


def _check_zip(stream: IO[bytes]) -> None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InvalidInput(
            _("Tệp không phải tài liệu Word (DOCX) đọc được."), code="bad_docx"
        ) from None
    finally:
        stream.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidInput(_("Tài liệu Word giải nén ra quá lớn."), code="docx_too_large")


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = _clean(cell.text)
            # A merged cell repeats in every column it spans: keep it once.
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def parse_docx(stream: IO[bytes]) -> list[ParsedSection]:
    """Sections and paragraphs of a DOCX; text before the first heading is "Mở đầu"."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    _check_zip(stream)
    try:
        document = Document(stream)
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise InvalidInput(
            _("Không đọc được tài liệu Word (DOCX): tệp bị hỏng."), code="bad_docx"
        ) from exc
    outline = _Outline()
    sections: list[ParsedSection] = []
    preamble = ParsedSection("", _("Mở đầu"), 1)
    for block in document.iter_inner_content():
        current = sections[-1] if sections else preamble
        if isinstance(block, Table):
            current.paragraphs.extend(_table_rows(block))
            continue
        if not isinstance(block, DocxParagraph):
            continue
        text = _clean(block.text)
        if not text:
            continue
        if (block.style.name or "") in ("Title", "Subtitle"):
            continue  # the document's own title, shown as the draft's name
        style_level = _style_level(block)
        numbered = _numbered(text)
        if style_level is not None:
            # A styled heading; numbering written in its text wins over the style's level order.
            kind = numbered[0] if numbered else f"style{style_level}"
            written, title = (numbered[1], numbered[2] or text) if numbered else ("", text)
            level = outline.level_of(kind)
        elif numbered and _looks_like_heading(numbered[2], _all_bold(block)):
            kind, written, title = numbered
            level = outline.level_of(kind)
        else:
            current.paragraphs.append(text)
            continue
        number = outline.number(level, written)
        sections.append(ParsedSection(number[:NUMBER_MAX], title[:TITLE_MAX], level))
    if preamble.paragraphs:
        sections.insert(0, preamble)
    if not sections or not any(s.paragraphs or s.title for s in sections):
        raise InvalidInput(_("Tài liệu Word không có nội dung."), code="empty_docx")
    return sections


@transaction.atomic
def create_draft(actor, congress: Congress, title: str) -> Draft:
    _require_manager(actor)
    title = _clean(title)
    if not title:
        raise InvalidInput(_("Cần nhập tên dự thảo."), code="title_required")
    draft = Draft.objects.create(congress=congress, title=title[:300], created_by=actor)
    record(actor, "draft.created", draft, {"title": draft.title})
    return draft


@transaction.atomic
def upload_version(actor, draft: Draft, uploaded) -> DraftVersion:
    """A new version from an uploaded DOCX (unpublished until `publish_version`)."""
    _require_manager(actor)
    checked = check_upload(uploaded, {".docx": DOCX})
    parsed = parse_docx(uploaded)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    number = (draft.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DraftVersion(draft=draft, number=number, uploaded_by=actor)
    uploaded.seek(0)
    version.source.save(checked.name, uploaded, save=False)
    version.save()
    store_sections(version, parsed)
    record(actor, "draft.version_uploaded", version, {
        "draft": draft.pk, "number": number, "file": checked.name, "sha256": checked.sha256,
        "sections": len(parsed), "paragraphs": sum(len(s.paragraphs) for s in parsed),
    })  # fmt: skip
    return version


def store_sections(version: DraftVersion, parsed: list[ParsedSection]) -> None:
    sections = Section.objects.bulk_create(
        Section(version=version, position=i, number=s.number, title=s.title, level=s.level)
        for i, s in enumerate(parsed, start=1)
    )
    Paragraph.objects.bulk_create(
        Paragraph(section=section, number=n, text=text)
        for section, s in zip(sections, parsed, strict=True)
        for n, text in enumerate(s.paragraphs, start=1)
    )


@transaction.atomic
def publish_version(actor, version: DraftVersion) -> DraftVersion:
    """Công bố: the public reads this version from now on; whether comments are open carries
    over from the version it replaces."""
    _require_manager(actor)
    version = DraftVersion.objects.select_for_update().get(pk=version.pk)
    if version.published_at is not None:
        raise InvalidInput(_("Phiên bản này đã được công bố."), code="already_published")
    previous = (
        DraftVersion.objects.select_for_update()
        .filter(draft_id=version.draft_id, published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
    version.published_at = timezone.now()
    version.comments_open = bool(previous and previous.comments_open)
    version.save(update_fields=["published_at", "comments_open"])
    if previous is not None and previous.comments_open:
        previous.comments_open = False
        previous.save(update_fields=["comments_open"])
    record(actor, "draft.version_published", version, {"draft": version.draft_id,
           "number": version.number, "comments_open": version.comments_open})  # fmt: skip
    return version


@transaction.atomic
def set_comments_open(actor, version: DraftVersion, is_open: bool) -> DraftVersion:
    _require_manager(actor)
    version = DraftVersion.objects.select_for_update().get(pk=version.pk)
    if is_open and version.published_at is None:
        raise InvalidInput(_("Chỉ nhận góp ý cho phiên bản đã công bố."), code="not_published")
    if version.comments_open != is_open:
        version.comments_open = is_open
        version.save(update_fields=["comments_open"])
        action = "draft.comments_opened" if is_open else "draft.comments_closed"
        record(actor, action, version, {"draft": version.draft_id, "number": version.number})
    return version


def published_version(draft_id: int) -> DraftVersion | None:
    """The version the public reads: the latest published one."""
    return (
        DraftVersion.objects.select_related("draft")
        .filter(draft_id=draft_id, published_at__isnull=False)
        .order_by("-published_at", "-number")
        .first()
    )


# --- News articles ------------------------------------------------------------------------------


def _article_fields(title: str, summary: str, body: str) -> tuple[str, str, str]:
    title = _clean(title)
    summary = nfc(summary or "").strip()
    body = nfc(body or "").replace("\r\n", "\n").strip()
    if not title:
        raise InvalidInput(_("Cần nhập tiêu đề tin bài."), code="title_required")
    if not body:
        raise InvalidInput(_("Cần nhập nội dung tin bài."), code="body_required")
    return title[:300], summary, body


@transaction.atomic
def create_article(actor, title: str, summary: str, body: str) -> Article:
    _require_manager(actor)
    title, summary, body = _article_fields(title, summary, body)
    article = Article.objects.create(title=title, summary=summary, body=body, created_by=actor)
    record(actor, "article.created", article, {"title": title})
    return article


@transaction.atomic
def set_article_published(actor, article: Article, published: bool) -> Article:
    _require_manager(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if published == (article.published_at is not None):
        return article
    article.published_at = timezone.now() if published else None
    article.save(update_fields=["published_at"])
    record(actor, "article.published" if published else "article.unpublished", article, {})
    return article
