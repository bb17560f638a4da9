"""Unit names the directory does not know, looked for only where a cue expects a unit."""

from __future__ import annotations

import re

from .units import Mention

_UNKNOWN_HEAD = re.compile(
    r"(?:ban|so|bo|uy ban|ubnd|cong an|dai|bao|lien doan|hoi|doan|van phong|mat tran|quan uy|"
    r"huyen uy|thi uy|tinh uy|thanh uy|dang uy|tieu ban|cuc|tong cuc|vien|truong|trung tam|"
    r"thuong truc|to cong tac|chi cuc|kho bac|ngan hang|thanh tra)(?!\w)"
)
_STOP_WORD = re.compile(
    r"\s(?:chu tri|phoi hop|chiu trach nhiem|xay dung|trien khai|thuc hien|to chuc|tham muu|"
    r"hoan thanh|bao cao|trinh|ve|tai|trong|de|theo|truoc|sau|den|cho|voi|nghien cuu|chuan bi|"
    r"kiem tra|huong dan|ra soat|chu dong|tiep tuc|can|phai|lam|cung)(?!\w)"
)


def unknown_after(original: str, folded: str, cue_end: int) -> Mention | None:
    """A capitalised name right after a cue that the directory does not know."""
    rest = folded[cue_end:]
    head = _UNKNOWN_HEAD.match(rest)
    if not head or not original[cue_end : cue_end + 1].isupper():
        return None
    end = cue_end + len(rest)
    for stop in _STOP_WORD.finditer(rest, head.end()):
        if original[cue_end + stop.start() + 1 : cue_end + stop.start() + 2].islower():
            end = cue_end + stop.start()  # a lower-case verb or preposition ends the name
            break
    for ch in ",;:.(":
        cut = original.find(ch, cue_end, end)
        if cut != -1:
            end = cut
    name = " ".join(original[cue_end:end].split())
    if not name or len(name.split()) > 10:
        return None
    return Mention(cue_end, end, name, False)


_CUE_POINT = re.compile(
    r"(?:^|[\s,:;(])(?:giao(?:\s+cho)?|de nghi|yeu cau"
    r"|phoi hop(?:\s+chat che)?(?:\s+(?:voi|cung))?"
    r"|cung voi|do)\s+"
)
_SUBJECT_CUE = re.compile(r"\s(?:chu tri|chiu trach nhiem|la co quan chu tri|co trach nhiem)(?!\w)")


def unknown_candidates(original: str, folded: str, known: list[Mention]) -> list[Mention]:
    """Names the directory does not know, looked for only where a cue expects a unit."""
    out: list[Mention] = []
    starts = [m.end() for m in _CUE_POINT.finditer(folded)]
    for mention in known:
        if sep := re.match(r"\s*(?:,|va|,\s*va)\s+", folded[mention.end :]):
            starts.append(mention.end + sep.end())
    for cue in _SUBJECT_CUE.finditer(folded):
        left = max(folded.rfind(ch, 0, cue.start()) for ch in ",;:.") + 1
        for word in ("giao cho ", "giao ", "de nghi ", "yeu cau "):
            at = folded.rfind(word, left, cue.start())
            if at != -1:
                left = at + len(word)
                break
        while left < cue.start() and folded[left] in " -+•*":
            left += 1
        span = original[left : cue.start()]
        if (
            span[:1].isupper()
            and _UNKNOWN_HEAD.match(folded[left:])
            and len(span.split()) <= 10
            and not any(m.start <= left < m.end for m in known)
        ):
            out.append(Mention(left, cue.start(), " ".join(span.split()), False))
    for pos in starts:
        cand = unknown_after(original, folded, pos)
        if cand:
            out.append(cand)
    # A later pass chains "A, B và C" after a first unknown name.
    for cand in list(out):
        pos = cand.end
        while sep := re.match(r"\s*(?:,|va|,\s*va)\s+", folded[pos:]):
            nxt = unknown_after(original, folded, pos + sep.end())
            if not nxt:
                break
            out.append(nxt)
            pos = nxt.end
    return out
