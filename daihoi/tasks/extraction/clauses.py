"""Split a document into blocks (paragraphs, bullets, table rows) and task clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textutil import fold_keep

BULLET = re.compile(r"^\s*(?:[-–—+•*·▪]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][)]|[IVX]{1,4}\.)\s+")
_ABBREV = re.compile(r"(?:\b(?:TP|Tp|tp|Q|H|TX|ĐC|đ/c|v\.v|St|TS|ThS|PGS|GS|[A-ZĐ]))$")
# A piece after ";" starts a new task only when it opens with an action.
TASK_VERB = re.compile(
    r"\s*(?:xay dung|trien khai|tham muu|to chuc|thuc hien|chi dao|hoan thanh|ra soat|chuan bi|"
    r"theo doi|kiem tra|huong dan|tong hop|ban hanh|bo tri|lap|nghien cuu|de xuat|phan cong|"
    r"day manh|day nhanh|quan triet|nam|giam sat|sua chua|cai tao|tuyen truyen|bao cao|trinh|"
    r"don doc|tiep tuc|chu tri|phoi hop|chu dong|khan truong|tap trung|cu|dang tai|viet|"
    r"thanh lap|len|thong bao|gui|nop|cung cap|rut kinh nghiem)(?!\w)"
)


@dataclass
class Block:
    """A paragraph, a bullet item or a table row; ``intro`` when it ends with a colon."""

    text: str
    bullet: bool = False
    table: bool = False
    intro: bool = False
    titled: bool = False  # ends like a sentence (or is a bullet/row), not a headline


_END_OF_BODY = re.compile(r"^\s*noi nhan\s*:?\s*$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][)]|[IVX]{1,4}\.)\s+")


def _is_heading(line: str) -> bool:
    """ "II. NHIỆM VỤ CỤ THỂ", "1. Công tác tuyên truyền": numbered, short, no full stop."""
    if line == line.upper() and line != line.lower():
        return True
    return bool(_NUMBERED.match(line) and len(line.split()) <= 8 and line[-1:] not in '.;:…!?"”')


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split("\u0000")).strip()
        if not line:
            continue
        table = "\t" in line or line.count(" | ") >= 1
        line = re.sub(r"[ \u00a0]+", " ", line) if not table else line
        bullet = bool(BULLET.match(line))
        stripped = line.rstrip()
        if _END_OF_BODY.match(fold_keep(stripped)):
            break  # "Nơi nhận:" and the signature follow the body
        heading = _is_heading(stripped) and not table
        out.append(
            Block(
                text=line,
                bullet=bullet,
                table=table,
                intro=stripped.endswith(":"),
                titled=not heading and (bullet or table or stripped[-1:] in '.;:…!?"”'),
            )
        )
    return out


def sentences(text: str) -> list[str]:
    """Sentences, not cut inside quotes or parentheses, nor after abbreviations ("TP.")."""
    out: list[str] = []
    depth = 0
    start = 0
    n = len(text)
    for i, ch in enumerate(text):
        if ch in "“(":
            depth += 1
        elif ch in "”)" and depth:
            depth -= 1
        elif ch == '"':
            depth = 0 if depth else 1
        elif ch in ".!?" and depth == 0 and i + 1 < n and text[i + 1] == " ":
            nxt = text[i + 2 : i + 3]
            if (nxt.isupper() or nxt in '“"(') and not _ABBREV.search(text[start:i]):
                out.append(text[start : i + 1].strip())
                start = i + 1
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def pieces(sentence: str) -> list[str]:
    """Split at ";" outside quotes; a piece that does not open with an action joins the one
    before (an enumeration, a purpose, a past-tense remark)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(sentence):
        if ch in "“(":
            depth += 1
        elif ch in "”)" and depth:
            depth -= 1
        elif ch == ";" and depth == 0:
            parts.append(sentence[start : i + 1])
            start = i + 1
    parts.append(sentence[start:])
    merged: list[str] = []
    for part in parts:
        if not part.strip():
            if merged:
                merged[-1] += part
            continue
        opens_upper = part.strip()[:1].isupper()
        if merged and not opens_upper and not TASK_VERB.match(fold_keep(part)):
            merged[-1] += part
        else:
            merged.append(part)
    return [p.strip() for p in merged if p.strip()]
