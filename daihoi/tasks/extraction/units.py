"""Unit mentions in a clause and their roles: lead (chủ trì), coordinating (phối hợp), approval.

Works on the length-preserving folded text; names are returned canonical when the directory knows
them, otherwise as written (and flagged by the caller).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .directory import Directory

# Generic groups kept as written: "các sở, ngành thành phố", "các cơ quan, đơn vị liên quan".
_NOUNS = [
    "co quan bao chi",
    "co quan",
    "don vi",
    "so",
    "nganh",
    "ban",
    "bo",
    "dia phuong",
    "to chuc",
    "cap uy",
    "quan",
    "huyen",
    "thi xa",
    "xa",
    "phuong",
    "thi tran",
    "doan the",
    "hoi",
    "tieu ban",
    "thanh vien",
    "dang uy",
    "dang bo",
    "tinh",
    "ubnd",
    "huyen uy",
    "quan uy",
    "thi uy",
    "thanh uy",
    "tinh uy",
    "chi bo",
    "dang doan",
    "ban can su dang",
]
_QUALS = [
    "lien quan",
    "co lien quan",
    "duoc phan cong",
    "chuc nang",
    "thanh pho",
    "cua thanh pho",
    "truc thuoc",
    "thanh uy",
    "tinh uy",
    "tinh",
    "trung uong",
    "dia phuong",
    "chinh tri - xa hoi",
]
# Longest first, so "huyện ủy" is not cut to "huyện".
_NOUN = "(?:" + "|".join(sorted(_NOUNS, key=len, reverse=True)) + r")(?!\w)"
_QUAL = "(?:" + "|".join(sorted(_QUALS, key=len, reverse=True)) + r")(?!\w)"
_GENERIC = re.compile(
    r"(?<!\w)(?:(?:uy ban nhan dan|ubnd|hdnd|cong an|ban thuong vu|thuong truc|dang uy)\s+)?"
    rf"(?:cac|nhung|tung)\s+{_NOUN}(?:(?:\s*,\s*|\s+va\s+){_NOUN})*(?:\s+{_QUAL})*"
)
_PERSON = re.compile(
    r"(?:bi thu|chu tich|truong|giam doc|uy vien|thu tuong|bo truong|dong chi|lanh dao)\s*$"
)
_PREFIX_BODY = re.compile(r"(?:thuong truc|lanh dao|thuong vu)\s+$")
_PLACE_END = re.compile(r"(?:thanh pho|tinh|quan|huyen|thi xa)$")
_PLACE_NAME = re.compile(r"(?: [A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,3}(?!\w)")
_SEP = re.compile(r"^\s*(?:,|va|,\s*va)\s*$")

LEAD_AFTER = re.compile(r"(?:^|[\s,:;(])(?:giao(?:\s+cho)?|de nghi|yeu cau|phan cong|do)\s+$")
COORD_AFTER = re.compile(r"(?:phoi hop(?:\s+chat che)?(?:\s+(?:voi|cung))?|cung voi|phoi hop:)\s+$")
CHAIN_AFTER = re.compile(
    r"(?:bao cao|trinh|tham muu(?:\s+(?:voi|cho))?|xin y kien)(?:\s+\S+){0,4}?\s+(?:voi\s+)?$"
)
LEAD_CUE = re.compile(
    r"\s*(?:la (?:co quan|don vi)\s+(?:thuong truc|dau moi|chu tri)|chu tri|chiu trach nhiem|"
    r"co trach nhiem|chu dong|can|phai|khan truong|"
    r"tiep tuc|tap trung|thuc hien|trien khai|xay dung|tham muu|chi dao|to chuc|hoan thanh|"
    r"nghien cuu|ra soat|huong dan|theo doi|bao cao|de xuat|kiem tra|dam bao|bao dam|"
    r"lam dau moi|chuan bi|bo tri|phu trach|quan ly|cu can bo|giup|phoi hop)(?!\w)"
)
_OBJECT_BEFORE = re.compile(r"(?:cua|voi|cho|ve|tai|tren|den|toi|thuoc|gom)\s+$")
_BOUNDARY_BEFORE = re.compile(
    r"(?:^|[,:;.(]|^\s*[-+•*]|\bva\b|\d[.)]|\b[a-z][)])\s*"
    r"(?:tung thanh vien\s+|cac thanh vien\s+)?$"
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    known: bool


@dataclass
class Roles:
    lead: list[Mention] = field(default_factory=list)
    coordinating: list[Mention] = field(default_factory=list)
    chain: list[Mention] = field(default_factory=list)


def find_mentions(original: str, folded: str, directory: Directory) -> list[Mention]:
    """Known units, generic groups and shared-noun shorthand, left to right, not overlapping."""
    found: list[Mention] = []
    for m in directory.finditer(folded):
        start, end = m.start(), m.end()
        if _PERSON.search(folded[max(0, start - 20) : start]) or original[
            max(0, start - 4) : start
        ].lower() in ("phó ", "phó\u00a0"):
            continue
        known = True
        prefix = _PREFIX_BODY.search(folded[max(0, start - 14) : start])
        if prefix:  # "Thường trực Tiểu ban": a standing body of a known unit
            start -= len(prefix.group(0))
            if _PERSON.search(folded[max(0, start - 20) : start]):
                continue
        place = _PLACE_NAME.match(original, end) if _PLACE_END.search(folded, 0, end) else None
        if place:  # "Ủy ban nhân dân thành phố Hải Đông": another city's body
            end = place.end()
        written = " ".join(original[start:end].split())
        if prefix or place:
            hit = directory.lookup(written)
            name, known = hit or written, hit is not None
        else:
            name = directory.canonical(written)
        found.append(Mention(start, end, name, known))
        found += _shared_noun(original, folded, directory, start, end)
        found += _shared_head(original, directory, written, end)
    for m in _GENERIC.finditer(folded):
        found.append(
            Mention(m.start(), m.end(), " ".join(original[m.start() : m.end()].split()), False)
        )
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[Mention] = []
    for mention in found:
        if out and mention.start < out[-1].end:
            continue
        out.append(mention)
    return out


def _shared_noun(
    original: str, folded: str, directory: Directory, start: int, end: int
) -> list[Mention]:
    """ "Thường trực, Ban Thường vụ Thành ủy": the bodies before a known unit share its owner."""
    words = original[start:end].split()
    extra: list[Mention] = []
    cursor = start
    for _ in range(4):
        sep = re.search(r"(?:,|\svà)\s*$", original[max(0, cursor - 6) : cursor])
        if not sep:
            break
        sep_at = max(0, cursor - 6) + sep.start()
        left = max(original.rfind(ch, 0, sep_at) for ch in ",;:") + 1
        m = re.match(r"\s*([^,;:]{2,200})", original[left:sep_at])
        if not m:
            break
        chunk_words = m.group(1).split()
        hit, used = None, 0
        for j in range(min(4, len(chunk_words)), 0, -1):
            chunk = " ".join(chunk_words[-j:])
            for k in (1, 2, 3):
                if k < len(words) and (hit := directory.lookup(f"{chunk} {' '.join(words[-k:])}")):
                    break
            if hit:
                used = j
                break
        if not hit:
            break
        begin = left + m.start(1)
        for _ in range(len(chunk_words) - used):
            begin = original.index(" ", begin) + 1
        extra.append(Mention(begin, left + m.end(1), hit, True))
        cursor = begin
    return extra


_HEADS = ("Sở", "Bộ", "Ban", "Ủy ban", "Hội", "Cục")


def _shared_head(original: str, directory: Directory, written: str, end: int) -> list[Mention]:
    """ "Sở Tài chính, Kế hoạch và Đầu tư": the names after a known unit share its head noun."""
    head = next((h for h in _HEADS if written.startswith(h + " ")), None)
    extra: list[Mention] = []
    while head:
        sep = re.match(r"\s*(?:,|\svà)\s+(?=[A-ZĐÀ-Ỹ])", original[end : end + 6])
        if not sep:
            break
        start = end + sep.end()
        words = original[start : start + 80].split()
        for n in range(min(6, len(words)), 0, -1):
            candidate = " ".join(words[:n]).rstrip(",.;:")
            if hit := directory.lookup(f"{head} {candidate}"):
                end = original.index(candidate, start) + len(candidate)
                extra.append(Mention(start, end, hit, True))
                break
        else:
            break
    return extra


def _lists(folded: str, mentions: list[Mention]) -> list[list[Mention]]:
    """Group mentions separated only by commas or "và" into lists."""
    groups: list[list[Mention]] = []
    for mention in mentions:
        if groups and _SEP.match(folded[groups[-1][-1].end : mention.start]):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    return groups


def assign_roles(folded: str, mentions: list[Mention]) -> Roles:
    roles = Roles()
    for group in _lists(folded, mentions):
        before = folded[: group[0].start]
        after = folded[group[-1].end :]
        if COORD_AFTER.search(before[-40:]):
            roles.coordinating += group
        elif LEAD_AFTER.search(before[-20:]):
            roles.lead += group
        elif CHAIN_AFTER.search(before[-50:]):
            roles.chain += group
        elif (
            LEAD_CUE.match(after)
            and not _OBJECT_BEFORE.search(before[-8:])
            and _BOUNDARY_BEFORE.search(before[-30:])
            and not re.match(r"\s*da\s", after)
        ):
            roles.lead += group
    return roles
