"""extract(text) -> proposals: clauses, units and roles, deadline, approval chain, symbols."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clauses import BULLET, TASK_VERB, Block, blocks, pieces, sentences
from .deadlines import NONE, Deadline, find_deadline
from .directory import Directory, builtin_directory
from .tables import split_units, table_proposals
from .textutil import fold_keep, prepare
from .units import Mention, Roles, assign_roles, find_mentions
from .unknown import unknown_candidates

# Party symbols (2682-TB/TU, 01-KH/TBTCPV) and State ones (42/2014/QĐ-TTg, 15/CT-TTg).
SYMBOL = re.compile(
    r"(?<![\w/-])\d{1,5}(?:-[A-ZĐ][A-Za-zĐđ]{0,5}(?:/[A-ZĐ][A-Za-zĐđ0-9-]*)+"
    r"|/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ]{0,6}(?:-[A-ZĐ][A-Za-zĐđ0-9]*)+)(?![\w/])"
)
_SYMBOL_DATE = re.compile(r"\s*(?:,\s*)?ngay\s+[\d/.\-]+(?:\s+thang\s+\d+\s+nam\s+\d{4})?")
_FULL_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]((?:19|20)\d{2})\b|nam\s+((?:19|20)\d{2})\b")
# The speaker's general directions ("Phó Bí thư ... chỉ đạo, tiếp tục ...") set the scene.
_LEADER = re.compile(
    r"(?:^|[,.]\s*)(?:pho\s+)?(?:bi thu|chu tich|thu tuong|truong tieu ban|dong chi|bo truong|"
    r"giam doc)\b[^;:]*?\b(?:chi dao|yeu cau|de nghi|nhan manh|luu y|ket luan)(?!\w)"
)
_NARRATIVE = re.compile(
    r"\bban hanh\s+(?:thong bao|ke hoach|nghi quyet|chi thi|ket luan|quyet dinh)"
)
_HEADER = re.compile(r"(?:cac\s+)?nhiem vu\s+(?:trong tam|sau|chu yeu|cu the)")


@dataclass
class Proposal:
    text: str
    lead_units: list[str] = field(default_factory=list)
    coordinating_units: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)
    approval_chain: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "lead_units": self.lead_units,
            "coordinating_units": self.coordinating_units,
            "deadline": self.deadline.to_json(),
            "approval_chain": self.approval_chain,
            "references": self.references,
            "unknown_units": self.unknown_units,
        }


@dataclass
class _Context:
    lead: list[Mention] = field(default_factory=list)
    coord: list[Mention] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)


def _names(mentions: list[Mention]) -> list[str]:
    seen: list[str] = []
    for m in mentions:
        if m.name not in seen:
            seen.append(m.name)
    return seen


def document_year(text: str) -> int | None:
    m = _FULL_DATE.search(fold_keep(text))
    return int(m.group(1) or m.group(2)) if m else None


def references(text: str) -> list[str]:
    return list(dict.fromkeys(m.group(0) for m in SYMBOL.finditer(text)))


def _mask_references(folded: str, text: str) -> str:
    """Blank out symbols and their dates so "Kế hoạch số 164-KH/TU ngày 16/10/2019" is no
    deadline."""
    for m in SYMBOL.finditer(text):
        end = m.end()
        if d := _SYMBOL_DATE.match(folded, end):
            end = d.end()
        folded = folded[: m.start()] + " " * (end - m.start()) + folded[end:]
    return folded


def analyse(text: str, directory: Directory, year: int | None) -> tuple[Proposal, Roles]:
    """One clause -> a proposal and the roles of the units it names itself."""
    folded = fold_keep(text)
    mentions = find_mentions(text, folded, directory)
    mentions = _merge(mentions, unknown_candidates(text, folded, mentions))
    roles = assign_roles(folded, mentions)
    deadline = find_deadline(text, _mask_references(folded, text), year)
    chain = [m for m in roles.chain if m not in roles.lead]
    proposal = Proposal(
        text=text,
        lead_units=_names(roles.lead),
        coordinating_units=_names(roles.coordinating),
        deadline=deadline,
        approval_chain=_names(chain),
        references=references(text),
        unknown_units=_names([m for m in roles.lead + roles.coordinating + chain if not m.known]),
    )
    return proposal, roles


def _merge(known: list[Mention], extra: list[Mention]) -> list[Mention]:
    out = list(known)
    for m in extra:
        if all(m.end <= k.start or m.start >= k.end for k in out):
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def _is_task(proposal: Proposal, has_lead: bool) -> bool:
    folded = fold_keep(proposal.text)
    if len(folded.split()) < 4:
        return False
    if _HEADER.search(folded) and len(folded.split()) < 15 and not has_lead:
        return False
    return bool(has_lead or proposal.deadline.kind != NONE or TASK_VERB.search(" " + folded))


def extract(text: str, directory: Directory | None = None) -> list[Proposal]:
    """Propose tasks from the text of a notice, plan or conclusion."""
    directory = directory or builtin_directory()
    text = prepare(text)
    year = document_year(text)
    found: list[Proposal] = []
    list_ctx: _Context | None = None
    rows: list[Block] = []
    for block in blocks(text) + [Block("", titled=False)]:
        if block.table:
            rows.append(block)
            continue
        if rows:
            found += table_proposals([r.text for r in rows], directory, year, analyse)
            rows = []
        if not block.bullet:
            list_ctx = None
        ctx = _Context(list(list_ctx.lead), list(list_ctx.coord)) if list_ctx else _Context()
        body = BULLET.sub("", block.text, count=1) if block.bullet else block.text
        if found and _labelled(body, found[-1], directory, year):
            continue
        for sentence in sentences(body):
            for piece in pieces(sentence):
                # Headlines and page furniture end without a full stop: such a line is
                # a task only when it names its lead unit.
                found += _piece(piece, directory, year, ctx, strict=not block.titled)
        if block.intro:
            list_ctx = ctx
    return found


_LABEL = re.compile(
    r"^(?:(?:co quan|don vi)\s+)?(chu tri|thuc hien|phoi hop|thoi gian|thoi han|tien do)"
    r"(?:\s+(?:hoan thanh|thuc hien))?\s*:\s*"
)


def _labelled(body: str, last: Proposal, directory: Directory, year: int | None) -> bool:
    """ "- Cơ quan chủ trì: ...", "- Thời gian hoàn thành: ..." complete the task above."""
    m = _LABEL.match(fold_keep(body))
    if not m:
        return False
    value = body[m.end() :].strip().rstrip(".;")
    if m.group(1) in ("thoi gian", "thoi han", "tien do"):
        last.deadline = find_deadline(value, fold_keep(value), year)
        return True
    names, unknown = split_units(value, directory)
    if m.group(1) == "phoi hop":
        last.coordinating_units = names
    else:
        last.lead_units = names
    last.unknown_units = list(dict.fromkeys(last.unknown_units + unknown))
    return True


def _piece(
    piece: str, directory: Directory, year: int | None, ctx: _Context, strict: bool = False
) -> list[Proposal]:
    folded = fold_keep(piece)
    proposal, roles = analyse(piece, directory, year)
    has_lead = bool(roles.lead)
    if strict and not has_lead:
        return []
    if _NARRATIVE.search(folded) and proposal.references:
        return []
    leader = _LEADER.search(folded)
    if leader:
        addressed = any(0 <= m.start - leader.end() <= 3 for m in roles.lead)
        if not addressed:
            # The speaker's directions: not a task, but its subjects and documents carry on.
            if has_lead:
                ctx.lead, ctx.coord = roles.lead, roles.coordinating
            ctx.refs += proposal.references
            return []
    if has_lead:
        ctx.lead, ctx.coord = roles.lead, roles.coordinating
    else:
        proposal.lead_units = _names(ctx.lead)
        proposal.coordinating_units = proposal.coordinating_units or _names(ctx.coord)
        inherited = [m.name for m in ctx.lead + ctx.coord if not m.known]
        proposal.unknown_units = list(dict.fromkeys(proposal.unknown_units + inherited))
    if piece.rstrip().endswith(":") or not _is_task(proposal, has_lead):
        return []
    if ctx.refs:
        proposal.references = list(dict.fromkeys(ctx.refs + proposal.references))
        ctx.refs = []
    return [proposal]
