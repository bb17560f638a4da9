"""Synthetic public comments built from the real ones, with planted near-duplicates and campaigns
(not a benchmark itself: `make bench` skips `_*.py`).

The real lines are `../shared/data/feedback/ubs-{train,test}.txt` (2,471 informal Vietnamese
comments with aspect labels; test data only, never copied into the repository). They are cut
into clauses at punctuation (3 to 15 words kept); a base comment joins 3 or 4 distinct clauses
of one aspect (aspects with 20 clauses or more) plus a short place and date detail; no two bases
of a section share two clauses, so unplanned near-duplicates are rare. Then, deterministic for
a seed:

- variants: about one base in eight gets 1 to 3 near-duplicates, each made by one or two of:
  diacritics removed, a typo (letters swapped, dropped or doubled), clauses reordered, a short
  addition at either end, informal abbreviations ("không" -> "ko", "được" -> "đc");
- campaigns: about one comment in 5,000 is the head of a campaign of 30 to 300 copies, most
  exact, the rest light variants;
- general agreement: about one comment in twenty is a short "nhất trí" / "cảm ơn" line.

``generate`` returns the rows ``(id, section, content)`` and the truth: the family of each
comment (equal for a base, its variants and its campaign copies; -1 for an agreement line; a
base's own number otherwise), the aspect label of its base, and the set of campaign families.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FEEDBACK = ROOT.parent / "shared" / "data" / "feedback"

_LABEL = re.compile(r"__label__([A-Z_]+)#\w+\s*")
_CLAUSE = re.compile(r"[.!?;,\n]+")

ADDITIONS = (
    "Ý kiến của tôi:",
    "Tôi xin góp ý",
    "Đề nghị xem xét",
    "mong được tiếp thu",
    "xin cảm ơn",
    "theo tôi",
    "rất mong ban soạn thảo lưu ý",
    "ý kiến cá nhân",
)
AGREEMENT = (
    "Nhất trí với dự thảo",
    "Tôi hoàn toàn nhất trí",
    "Đồng ý",
    "đồng ý với nội dung dự thảo ạ",
    "Tán thành",
    "Cảm ơn ban soạn thảo",
    "nhat tri",
    "Hoàn toàn đồng ý!",
    "Ủng hộ dự thảo",
    "cám ơn ạ",
)
PLACES = (
    "phường",
    "xã",
    "tổ dân phố",
    "khu phố",
    "thôn",
    "chi bộ",
    "quận",
    "huyện",
)
AGREEMENT_RATE = 0.05
CAMPAIGN_RATE = 0.00025  # about one campaign per 5,000 comments
VARIANT_RATE = 0.125
ABBREVIATE = {"không": "ko", "được": "đc", "với": "vs", "người": "ng", "gì": "j"}


@dataclass
class Truth:
    family: np.ndarray  # per comment: family number, -1 for general agreement
    aspect: list[str]  # per comment: aspect label of its base ("AGREEMENT" for those)
    campaigns: set[int]  # families planted as campaigns
    variants: set[int]  # families planted with near-duplicate variants (not campaigns)


def real_lines() -> list[tuple[str, str]]:
    """(aspect of the first label, text) of every real line."""
    out: list[tuple[str, str]] = []
    for name in ("ubs-train.txt", "ubs-test.txt"):
        for line in (FEEDBACK / name).read_text(encoding="utf-8").splitlines():
            labels = _LABEL.findall(line)
            text = _LABEL.sub("", line).strip()
            if labels and text:
                out.append((labels[0], text))
    return out


def _clauses() -> dict[str, list[str]]:
    pool: dict[str, list[str]] = {}
    for aspect, text in real_lines():
        for clause in _CLAUSE.split(text):
            clause = " ".join(clause.split())
            # 3 to 15 words: one long shared clause would make two bases near-duplicates.
            if 3 <= len(clause.split()) <= 15:
                pool.setdefault(aspect, []).append(clause)
    distinct = _distinct_clauses([c for clauses in pool.values() for c in clauses])
    # Each kept clause once, in the first aspect that has it.
    unique: dict[str, list[str]] = {}
    for aspect, clauses in pool.items():
        for clause in clauses:
            if clause in distinct:
                distinct.discard(clause)
                unique.setdefault(aspect, []).append(clause)
    pool = unique
    return {aspect: clauses for aspect, clauses in pool.items() if len(clauses) >= 20}


def _distinct_clauses(clauses: list[str]) -> set[str]:
    """Drop a clause whose folded word set has Jaccard >= 0.4 with an earlier kept clause (the
    real data repeats its greetings with small changes; those would make two bases sharing
    "different" clauses near-duplicates). Exact all-pairs on the word sets."""
    from scipy import sparse

    words = [frozenset(strip_diacritics(c).lower().split()) for c in clauses]
    vocabulary = {w: i for i, w in enumerate(sorted(set().union(*words)))}
    rows = np.repeat(np.arange(len(words)), [len(w) for w in words])
    cols = [vocabulary[w] for ws in words for w in ws]
    matrix = sparse.csr_matrix(
        (np.ones(len(cols)), (rows, cols)), shape=(len(words), len(vocabulary))
    )
    inter = (matrix @ matrix.T).tocsr()
    sizes = np.array([len(w) for w in words])
    kept: set[int] = set()
    dropped: set[int] = set()
    for i in range(len(words)):
        if i in dropped:
            continue
        kept.add(i)
        row = inter.getrow(i)
        for j, common in zip(row.indices, row.data, strict=True):
            if j > i and common / (sizes[i] + sizes[j] - common) >= 0.4:
                dropped.add(j)
    return {clauses[i] for i in kept}


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def _typo(text: str, rng: np.random.Generator) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 3]
    if not long:
        return text
    i = long[int(rng.integers(len(long)))]
    w = words[i]
    j = int(rng.integers(len(w) - 1))
    kind = int(rng.integers(3))
    if kind == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == 1:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[: j + 1] + w[j] + w[j + 1 :]
    words[i] = w
    return " ".join(words)


def _reorder(text: str, rng: np.random.Generator) -> str:
    parts = [p.strip() for p in text.split(". ") if p.strip()]
    if len(parts) < 2:
        return text
    k = 1 + int(rng.integers(len(parts) - 1))
    return ". ".join(parts[k:] + parts[:k])


def _addition(text: str, rng: np.random.Generator) -> str:
    extra = ADDITIONS[int(rng.integers(len(ADDITIONS)))]
    return f"{extra} {text}" if rng.random() < 0.5 else f"{text}, {extra}"


def _abbreviate(text: str, rng: np.random.Generator) -> str:
    return " ".join(ABBREVIATE.get(w, w) for w in text.split())


_EDITS = (
    lambda t, rng: strip_diacritics(t),
    _typo,
    _reorder,
    _addition,
    _abbreviate,
)


def variant(text: str, rng: np.random.Generator) -> str:
    """One near-duplicate: one or two edits, never the text itself."""
    out = text
    for _ in range(1 + int(rng.random() < 0.4)):
        out = _EDITS[int(rng.integers(len(_EDITS)))](out, rng)
    if out == text:
        out = _typo(strip_diacritics(text), rng)
    return out


def generate(n: int, sections: int, *, seed: int = 0) -> tuple[list[tuple[str, str, str]], Truth]:
    """``n`` comments over ``sections`` sections (see the module docstring)."""
    rng = np.random.default_rng(seed)
    pool = _clauses()
    aspects = sorted(pool)
    weights = np.array([len(pool[a]) for a in aspects], dtype=float) ** 0.5
    weights /= weights.sum()
    texts: list[str] = []
    family: list[int] = []
    aspect_of: list[str] = []
    section_of: list[int] = []
    campaigns: set[int] = set()
    variants: set[int] = set()
    next_family = 0
    used: list[set[tuple[str, int, int]]] = [set() for _ in range(sections)]
    while len(texts) < n:
        section = int(rng.integers(sections))
        roll = rng.random()
        if roll < AGREEMENT_RATE:
            texts.append(AGREEMENT[int(rng.integers(len(AGREEMENT)))])
            family.append(-1)
            aspect_of.append("AGREEMENT")
            section_of.append(section)
            continue
        # No two bases of one section share two clauses (they would be near-duplicates in
        # truth, not just in the engine's eyes): redraw until every clause pair is new.
        for _ in range(1000):
            aspect = aspects[int(rng.choice(len(aspects), p=weights))]
            clauses = pool[aspect]
            picked = rng.choice(len(clauses), size=int(rng.integers(3, 5)), replace=False)
            pairs = {(aspect, int(a), int(b)) for a in picked for b in picked if int(a) < int(b)}
            if used[section].isdisjoint(pairs):
                used[section] |= pairs
                break
        else:
            raise ValueError("too many comments for one section: clause pairs run out")
        detail = (
            f"{PLACES[int(rng.integers(len(PLACES)))]} {int(rng.integers(1, 200))}, "
            f"ngày {int(rng.integers(1, 29))}/{int(rng.integers(1, 13))}"
        )
        base = ". ".join([clauses[i] for i in picked] + [detail])
        fam = next_family
        next_family += 1
        copies = [base]
        if roll < AGREEMENT_RATE + CAMPAIGN_RATE:
            campaigns.add(fam)
            size = int(rng.integers(30, 301))
            copies += [base if rng.random() < 0.7 else variant(base, rng) for _ in range(size)]
        elif roll < AGREEMENT_RATE + CAMPAIGN_RATE + VARIANT_RATE:
            variants.add(fam)
            copies += [variant(base, rng) for _ in range(int(rng.integers(1, 4)))]
        for text in copies:
            texts.append(text)
            family.append(fam)
            aspect_of.append(aspect)
            section_of.append(section)
    texts, family, aspect_of, section_of = (
        texts[:n],
        family[:n],
        aspect_of[:n],
        section_of[:n],
    )
    # Shuffle so that copies do not arrive together.
    order = rng.permutation(len(texts))
    rows = [(f"c{i + 1}", f"muc-{section_of[j] + 1}", texts[j]) for i, j in enumerate(order)]
    truth = Truth(
        family=np.array([family[j] for j in order], dtype=np.int64),
        aspect=[aspect_of[j] for j in order],
        campaigns=campaigns,
        variants=variants,
    )
    return rows, truth
