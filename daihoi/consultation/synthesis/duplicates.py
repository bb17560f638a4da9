"""Exact and near-duplicate comments.

Each comment's matching key (``normalise.match_key``: folded, so text typed without diacritics
matches) is cut into word shingles: every word and every pair of neighbouring words, hashed to
64 bits with BLAKE2b (stable across processes, unlike ``hash``). Identical keys are grouped at
once; the distinct keys get a MinHash signature (``NUM_PERM`` hash functions of the
multiply-shift family, computed with numpy) cut into ``BANDS`` bands of ``ROWS`` values. Two
comments that agree on one whole band are candidates; in a bucket each member is paired with the
bucket's first member and with its neighbour in the bucket, which keeps a campaign of thousands of
copies linear. Every candidate pair is verified by the real Jaccard similarity of the two shingle
sets (a sparse row product) and kept at ``threshold`` or above; groups are the connected
components of the kept pairs.

With BANDS = 32 and ROWS = 4 a pair of Jaccard 0.5 becomes a candidate with probability 0.87,
0.6 with 0.99, 0.3 with 0.23 and 0.1 with 0.003.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "THRESHOLD",
    "DuplicateIndex",
    "find_duplicates",
    "shingle",
    "signatures",
]

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.5
# The hash family is fixed (not the caller's seed) so that signatures stored in a model stay
# comparable with those of comments that arrive later.
_FAMILY_SEED = 20_201_011
_rng = np.random.default_rng(_FAMILY_SEED)
_A = _rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_PAIR = np.uint64(0x9E3779B97F4A7C15)
_EMPTY = np.uint32(0xFFFFFFFF)
# Flat shingle values handled at once when signing (bounds the temporary arrays: ~16 MB each).
_CHUNK = 2_000_000
_VERIFY_CHUNK = 200_000


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: spreads the bits of uint64 values (wraps modulo 2**64)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


def _word_hash(word: str) -> int:
    return int.from_bytes(blake2b(word.encode(), digest_size=8).digest(), "little")


def shingle(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Shingles of matching keys as CSR: (sorted unique uint64 codes per key, offsets[n + 1])."""
    # Keys are whitespace-collapsed: words = spaces + 1. Work on all words at once.
    lengths = np.array([k.count(" ") + 1 if k else 0 for k in keys], dtype=np.int64)
    every = " ".join(keys).split()
    distinct = dict.fromkeys(every)
    table = {w: i for i, w in enumerate(distinct)}
    hashes = np.array([_word_hash(w) for w in distinct], dtype=np.uint64)
    words = hashes[np.fromiter(map(table.__getitem__, every), dtype=np.int64, count=len(every))]
    doc = np.repeat(np.arange(len(keys), dtype=np.int64), lengths)
    with np.errstate(over="ignore"):
        same = doc[1:] == doc[:-1]
        pairs = _mix(words[:-1][same] * _PAIR + words[1:][same] + np.uint64(1))
    codes = np.concatenate([words, pairs])
    owner = np.concatenate([doc, doc[:-1][same]])
    order = np.lexsort((codes, owner))
    codes, owner = codes[order], owner[order]
    keep = np.ones(len(codes), dtype=bool)
    keep[1:] = (codes[1:] != codes[:-1]) | (owner[1:] != owner[:-1])
    codes, owner = codes[keep], owner[keep]
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=len(keys)), out=offsets[1:])
    return codes, offsets


def signatures(codes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """MinHash signatures (n, NUM_PERM) uint32; a key without words gets all 0xFFFFFFFF."""
    n = len(offsets) - 1
    out = np.full((n, NUM_PERM), _EMPTY, dtype=np.uint32)
    sizes = np.diff(offsets)
    start = 0
    while start < n:
        # Documents whose shingles fit in one chunk (at least one document).
        stop = int(np.searchsorted(offsets, offsets[start] + _CHUNK, side="right")) - 1
        stop = min(max(stop, start + 1), n)
        lo, hi = offsets[start], offsets[stop]
        part = codes[lo:hi]
        rows = np.arange(start, stop)[sizes[start:stop] > 0]
        if len(rows):
            starts = offsets[rows] - lo
            with np.errstate(over="ignore"):
                for p in range(NUM_PERM):
                    values = ((part * _A[p] + _B[p]) >> np.uint64(32)).astype(np.uint32)
                    out[rows, p] = np.minimum.reduceat(values, starts)
        start = stop
    return out


def band_keys(signature: np.ndarray) -> np.ndarray:
    """One uint64 key per band: (n, BANDS)."""
    n = signature.shape[0]
    blocks = signature.reshape(n, BANDS, ROWS).astype(np.uint64)
    key = np.zeros((n, BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            key = _mix(key * _PAIR + blocks[:, :, r] + np.uint64(r + 1))
    return key


def _candidates(keys: np.ndarray, *, new_from: int = 0) -> np.ndarray:
    """Candidate pairs (m, 2), i < j, from band keys (n, BANDS). Pairs inside one bucket: every
    member with the bucket's first member and with its predecessor. With ``new_from`` only pairs
    that involve a row >= new_from are kept (rows before it were grouped earlier)."""
    n = keys.shape[0]
    found: list[np.ndarray] = []
    index = np.arange(n, dtype=np.int64)
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        sorted_keys = column[order]
        if n < 2:
            break
        same = sorted_keys[1:] == sorted_keys[:-1]
        if not same.any():
            continue
        is_start = np.ones(n, dtype=bool)
        is_start[1:] = ~same
        run_start = np.maximum.accumulate(np.where(is_start, index, 0))
        members = np.flatnonzero(~is_start)
        first = order[run_start[members]]
        previous = order[members - 1]
        current = order[members]
        found.append(np.stack([first, current], axis=1))
        found.append(np.stack([previous, current], axis=1)[previous != first])
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    pairs.sort(axis=1)
    if new_from:
        pairs = pairs[pairs[:, 1] >= new_from]
    pairs = np.unique(pairs[:, 0] * np.int64(n) + pairs[:, 1])
    return np.stack([pairs // n, pairs % n], axis=1)


def _jaccard(matrix: sparse.csr_matrix, sizes: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    out = np.empty(len(pairs), dtype=np.float64)
    for lo in range(0, len(pairs), _VERIFY_CHUNK):
        part = pairs[lo : lo + _VERIFY_CHUNK]
        inter = np.asarray(matrix[part[:, 0]].multiply(matrix[part[:, 1]]).sum(axis=1)).ravel()
        union = sizes[part[:, 0]] + sizes[part[:, 1]] - inter
        out[lo : lo + len(part)] = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
    return out


def _matrix(codes: np.ndarray, offsets: np.ndarray) -> sparse.csr_matrix:
    _, columns = np.unique(codes, return_inverse=True)
    data = np.ones(len(codes), dtype=np.float32)
    n = len(offsets) - 1
    return sparse.csr_matrix(
        (data, columns.ravel(), offsets), shape=(n, int(columns.max(initial=0)) + 1)
    )


def _verified(
    codes: np.ndarray, offsets: np.ndarray, pairs: np.ndarray, threshold: float
) -> np.ndarray:
    if not len(pairs):
        return pairs
    matrix = _matrix(codes, offsets)
    similarity = _jaccard(matrix, np.diff(offsets).astype(np.float64), pairs)
    return pairs[similarity >= threshold]


def _components(n: int, edges: np.ndarray) -> np.ndarray:
    graph = sparse.coo_matrix(
        (np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n)
    )
    _, labels = connected_components(graph, directed=False)
    return labels.astype(np.int64)


@dataclass
class DuplicateIndex:
    """Duplicates of one section, and what is needed to match comments that come later.

    ``label[i]`` is the duplicate group of comment ``i`` (in input order); comments with equal
    labels are exact or near duplicates. ``distinct`` maps each comment to its row in the
    per-distinct-key arrays ``exact`` (BLAKE2b of the key), ``codes``/``offsets`` (shingles)
    and ``bands`` (LSH band keys).
    """

    label: np.ndarray
    distinct: np.ndarray
    exact: np.ndarray
    codes: np.ndarray
    offsets: np.ndarray
    bands: np.ndarray
    threshold: float = THRESHOLD

    def groups(self) -> list[np.ndarray]:
        """Indices of every group with two comments or more, each sorted; largest group first,
        then by first member."""
        return _groups(self.label)

    def add(self, keys: Sequence[str]) -> np.ndarray:
        """Match new comments against the earlier ones (and each other) without recomputing
        the earlier signatures; extends the index and returns the labels of the new comments.
        A new comment that links two earlier groups merges them (their labels change)."""
        start = len(self.label)
        new_exact = np.array([_key_hash(k) for k in keys], dtype=np.uint64)
        old_distinct = len(self.exact)
        known = {int(h): i for i, h in enumerate(self.exact)}
        distinct = np.empty(len(keys), dtype=np.int64)
        fresh: list[str] = []
        fresh_hashes: list[int] = []
        for i, (key, code) in enumerate(zip(keys, new_exact.tolist(), strict=True)):
            row = known.get(code)
            if row is None:
                row = known[code] = old_distinct + len(fresh)
                fresh.append(key)
                fresh_hashes.append(code)
            distinct[i] = row
        codes, offsets = shingle(fresh)
        bands = band_keys(signatures(codes, offsets))
        self.codes = np.concatenate([self.codes, codes])
        self.offsets = np.concatenate([self.offsets, offsets[1:] + self.offsets[-1]])
        self.bands = np.concatenate([self.bands, bands]) if old_distinct else bands
        self.exact = np.concatenate([self.exact, np.array(fresh_hashes, dtype=np.uint64)])
        self.distinct = np.concatenate([self.distinct, distinct])
        n_distinct = len(self.exact)
        pairs = _verified(
            self.codes,
            self.offsets,
            _candidates(self.bands, new_from=old_distinct) if fresh else np.zeros((0, 2), int),
            self.threshold,
        )
        # Earlier groups as stars (every member to the group's first distinct key), plus the
        # new verified pairs, then components over all distinct keys.
        old_label = np.full(n_distinct, -1, dtype=np.int64)
        old_label[self.distinct[:start]] = self.label
        edges = [pairs]
        if old_distinct:
            first = {}
            star = []
            for row, lab in enumerate(old_label[:old_distinct].tolist()):
                head = first.setdefault(lab, row)
                if head != row:
                    star.append((head, row))
            if star:
                edges.append(np.array(star, dtype=np.int64))
        by_distinct = _components(n_distinct, np.concatenate(edges))
        self.label = _canonical(by_distinct[self.distinct])
        return self.label[start:]


def _key_hash(key: str) -> int:
    return int.from_bytes(blake2b(key.encode(), digest_size=8, person=b"exact").digest(), "little")


def _canonical(labels: np.ndarray) -> np.ndarray:
    """Renumber labels by first appearance (0, 1, 2, ...), so equal inputs give equal labels."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse.ravel()]


def _groups(label: np.ndarray) -> list[np.ndarray]:
    if not len(label):
        return []
    order = np.argsort(label, kind="stable")
    counts = np.bincount(label)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    groups = [order[bounds[g] : bounds[g + 1]] for g in np.flatnonzero(counts >= 2)]
    groups.sort(key=lambda g: (-len(g), int(g[0])))
    return groups


def find_duplicates(keys: Sequence[str], *, threshold: float = THRESHOLD) -> DuplicateIndex:
    """Group exact and near-duplicate matching keys (see the module docstring). Empty keys are
    never duplicates of anything: give only non-empty keys."""
    index = DuplicateIndex(
        label=np.zeros(0, dtype=np.int64),
        distinct=np.zeros(0, dtype=np.int64),
        exact=np.zeros(0, dtype=np.uint64),
        codes=np.zeros(0, dtype=np.uint64),
        offsets=np.zeros(1, dtype=np.int64),
        bands=np.zeros((0, BANDS), dtype=np.uint64),
        threshold=threshold,
    )
    index.add(keys)
    return index
