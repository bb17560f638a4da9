"""Topic groups of substantive comments.

1. Words: pyvi segments a sample of the comments (``LEXICON_SAMPLE`` distinct cleaned comments,
   chosen with the seed; compound words joined with "_": "dịch_vụ"); the compounds it finds,
   folded, form a ``Lexicon``. Every comment's folded matching key is then segmented by greedy
   longest match against that lexicon, so "dịch vụ" and "dich vu" give the one term "dich_vu".
   pyvi runs at about 530,000 characters a second: running it on every comment would cost
   more than the rest of the synthesis together, and it segments text typed without diacritics
   poorly, which the lexicon handles. Function words (``STOP_WORDS``), numbers and one-letter
   words are dropped.
2. TF-IDF: raw counts, sublinear tf (1 + ln tf), smooth idf ln((1 + n) / (1 + df)) + 1, rows
   L2-normalised; a term must occur in 2 comments (1 below 50 comments) and in at most half.
3. TruncatedSVD to ``min(100, terms - 1, comments - 1)`` dimensions (randomized, seeded), rows
   L2-normalised again, so Euclidean k-means on them is spherical k-means on the LSA space
   (k-means on raw TF-IDF puts most comments in one cluster).
4. k-means with ``k = choose_k(n)``: round(sqrt(n / 2)) clipped to [2, 200] and to n (2,471
   comments -> 35 groups, 10,000 -> 71, 80,000 and more -> 200). KMeans (n_init 3) up to 20,000
   comments, MiniBatchKMeans (batch 4,096, n_init 3) above; both seeded, so one seed gives one
   result.
5. Each group's terms are the largest weights of its centroid mapped back to TF-IDF space (the
   centroid times the SVD components), shown in their commonest spelling with diacritics; its
   representative is the member nearest the centroid.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from daihoi.vietnamese import fold

__all__ = [
    "LEXICON_SAMPLE",
    "STOP_WORDS",
    "Lexicon",
    "TopicModel",
    "choose_k",
    "fit_topics",
    "learn_lexicon",
    "segment",
]

TERMS_PER_GROUP = 8
MAX_DIMENSIONS = 100
MAX_GROUPS = 200
FULL_KMEANS_UP_TO = 20_000
LEXICON_SAMPLE = 4_000
MAX_COMPOUND = 4  # syllables

# Folded function words (pyvi joins compounds with "_").
_STOP_WORDS_TEXT = """
    va cua la thi ma co cac nhung mot nay do de duoc cho voi trong khi da dang se cung nhu
    rat lai con ra vao len xuong nua roi vi nen neu tai tu theo ve den bi boi hay hoac
    toi minh em e anh chi ban b ad add admin ho chung_toi chung_ta moi_nguoi
    a ah a_a nhe nha ne nhi vay the nao gi dau sao khong chua chi_co cung_nhu
    nhieu lam qua that thay biet muon phai can lai_con
    o_day o_do day do_la nhu_the nhu_vay the_nao vi_sao tai_sao bao_gio
    """
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())


def segment(texts: Sequence[str]) -> list[str]:
    """pyvi word segmentation: "dịch vụ tốt" -> "dịch_vụ tốt"."""
    from pyvi import ViTokenizer  # imported here: loading its model takes a moment

    return [ViTokenizer.tokenize(t) if t else "" for t in texts]


@dataclass
class Lexicon:
    """Folded compound words found by pyvi ("dich_vu") and the spelling of each folded word
    (compound or not) most often seen in the sample ("dich_vu" -> "dịch vụ")."""

    compounds: frozenset[str]
    spellings: dict[str, str]

    def segment(self, key: str) -> str:
        """Greedy longest match of a folded matching key: "dich vu tot" -> "dich_vu tot"."""
        longest = self._longest
        words = key.split()
        out: list[str] = []
        i = 0
        n = len(words)
        while i < n:
            size = min(longest.get(words[i], 1), n - i)
            while size > 1:
                joined = "_".join(words[i : i + size])
                if joined in self.compounds:
                    out.append(joined)
                    i += size
                    break
                size -= 1
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)

    @cached_property
    def _longest(self) -> dict[str, int]:
        """First syllable -> syllables of its longest compound."""
        longest: dict[str, int] = {}
        for compound in self.compounds:
            parts = compound.split("_")
            longest[parts[0]] = max(longest.get(parts[0], 1), len(parts))
        return longest


def learn_lexicon(cleaned: Sequence[str], *, seed: int = 0) -> Lexicon:
    """Run pyvi on up to ``LEXICON_SAMPLE`` distinct cleaned comments chosen with ``seed``."""
    distinct = sorted(set(cleaned))
    if len(distinct) > LEXICON_SAMPLE:
        picked = np.random.default_rng(seed).choice(len(distinct), LEXICON_SAMPLE, replace=False)
        distinct = [distinct[i] for i in sorted(picked.tolist())]
    surface = segment(distinct)
    compounds = {
        fold(w) for s in surface for w in s.split() if "_" in w and w.count("_") < MAX_COMPOUND
    }
    return Lexicon(frozenset(compounds), _spellings(surface))


def _analyse(segmented: str) -> list[str]:
    return [w for w in segmented.split() if len(w) > 1 and not w.isdigit() and w not in STOP_WORDS]


def choose_k(n: int) -> int:
    """Number of groups for n comments: round(sqrt(n / 2)) within [2, 200], never above n."""
    if n <= 1:
        return max(n, 0)
    return int(min(n, max(2, min(MAX_GROUPS, round((n / 2) ** 0.5)))))


def _counts(docs: Sequence[list[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Term counts of analysed documents (lists of terms)."""
    indptr = [0]
    indices: list[int] = []
    values: list[int] = []
    for words in docs:
        row = Counter(vocabulary[w] for w in words if w in vocabulary)
        indices.extend(row.keys())
        values.extend(row.values())
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(values, dtype=np.float32), np.array(indices, dtype=np.int64), indptr),
        shape=(len(docs), len(vocabulary)),
    )


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    x = counts.copy()
    x.data = 1.0 + np.log(x.data)
    x = x @ sparse.diags(idf.astype(np.float32))
    return _normalise_sparse(x.tocsr())


def _normalise_sparse(x: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms).astype(np.float32) @ x


def _normalise(z: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return z / norms


@dataclass
class TopicModel:
    """What is needed to put a new comment into an existing group, without refitting.

    ``vocabulary`` (folded terms, in column order), ``idf``, ``components`` (SVD, dims x terms;
    empty when the section was too small for SVD), ``centroids`` (groups x dims), ``terms``
    (shown terms per group), ``representatives`` (index of each group's representative in the
    fitted documents; the engine maps them to comment ids) and the lexicon's ``compounds``.
    """

    vocabulary: list[str]
    idf: np.ndarray
    components: np.ndarray
    centroids: np.ndarray
    terms: list[list[str]]
    representatives: list[int]
    compounds: list[str]

    def embed(self, keys: Sequence[str]) -> np.ndarray:
        """Unit vectors of comments (matching keys) in the model's space."""
        lexicon = Lexicon(frozenset(self.compounds), {})
        index = {w: i for i, w in enumerate(self.vocabulary)}
        x = _tfidf(_counts([_analyse(lexicon.segment(k)) for k in keys], index), self.idf)
        if self.components.size:
            return _normalise(np.asarray(x @ self.components.T))
        return np.asarray(x.todense())

    def predict(self, keys: Sequence[str]) -> np.ndarray:
        """Nearest group of each comment (a comment with no known term goes to group 0)."""
        if not len(keys):
            return np.zeros(0, dtype=np.int64)
        if len(self.centroids) <= 1:
            return np.zeros(len(keys), dtype=np.int64)
        z = self.embed(keys)
        return np.argmax(z @ self.centroids.T, axis=1).astype(np.int64)


def fit_topics(
    keys: Sequence[str], lexicon: Lexicon, *, cleaned: Sequence[str] = (), seed: int = 0
) -> tuple[np.ndarray, TopicModel]:
    """Group comments given by their matching keys; returns (label per comment, model).
    ``cleaned`` (the same comments, ``normalise.clean``) adds spellings for the shown terms."""
    from threadpoolctl import threadpool_limits

    segmented = [lexicon.segment(k) for k in keys]
    spellings = dict(_spellings(cleaned)) if cleaned else {}
    spellings.update(lexicon.spellings)
    # One BLAS/OpenMP thread: the matrices are small, and threads that wait for a busy core
    # made the SVD a hundred times slower on a shared two-core machine (1 s instead of 6 ms).
    with threadpool_limits(limits=1):
        labels, model = _fit(segmented, spellings, seed)
    model.compounds = sorted(lexicon.compounds)
    return labels, model


def _fit(
    folded: Sequence[str], spelling: dict[str, str], seed: int
) -> tuple[np.ndarray, TopicModel]:
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD

    n = len(folded)
    analysed = [_analyse(doc) for doc in folded]
    df: Counter[str] = Counter()
    for words in analysed:
        df.update(set(words))
    min_df = 2 if n >= 50 else 1
    vocabulary = sorted(w for w, c in df.items() if c >= min_df and (c <= n / 2 or n < 4))
    index = {w: i for i, w in enumerate(vocabulary)}
    idf = np.array([np.log((1 + n) / (1 + df[w])) + 1.0 for w in vocabulary], dtype=np.float64)
    k = choose_k(n)
    empty = np.zeros((0, 0), dtype=np.float32)
    if k <= 1 or not vocabulary:
        model = TopicModel(vocabulary, idf, empty, np.zeros((1, 1)), [[]], [0] if n else [], [])
        return np.zeros(n, dtype=np.int64), model
    x = _tfidf(_counts(analysed, index), idf)
    dims = min(MAX_DIMENSIONS, len(vocabulary) - 1, n - 1)
    if dims >= 2:
        svd = TruncatedSVD(n_components=dims, algorithm="randomized", random_state=seed)
        z = _normalise(svd.fit_transform(x)).astype(np.float32)
        components = svd.components_.astype(np.float32)
    else:
        z = np.asarray(x.todense(), dtype=np.float32)
        components = empty
    if n <= FULL_KMEANS_UP_TO:
        km = KMeans(n_clusters=k, n_init=3, random_state=seed, algorithm="lloyd")
    else:
        km = MiniBatchKMeans(
            n_clusters=k, n_init=3, batch_size=4096, random_state=seed, max_no_improvement=20
        )
    labels = km.fit_predict(z).astype(np.int64)
    centroids = km.cluster_centers_.astype(np.float32)
    # Term weights per group in TF-IDF space.
    weights = centroids @ components if components.size else centroids
    terms: list[list[str]] = []
    for g in range(k):
        top = np.argsort(-weights[g], kind="stable")[:TERMS_PER_GROUP]
        words = [vocabulary[i] for i in top if weights[g, i] > 0]
        terms.append([_spelled(w, spelling) for w in words])
    scores = np.einsum("ij,ij->i", z, centroids[labels])
    representatives = [0] * k
    for g in range(k):
        members = np.flatnonzero(labels == g)
        if len(members):
            representatives[g] = int(members[np.argmax(scores[members])])
    model = TopicModel(vocabulary, idf, components, centroids, terms, representatives, [])
    return labels, model


def _spelled(word: str, spelling: dict[str, str]) -> str:
    """Shown form of a folded term: its own spelling, else its syllables' ("dich_vu")."""
    shown = spelling.get(word) or " ".join(spelling.get(p, p) for p in word.split("_"))
    return shown.replace("_", " ")


def _spellings(surface: Sequence[str]) -> dict[str, str]:
    """The commonest spelling (with diacritics) of each folded term."""
    counts = Counter(" ".join(surface).split())
    best: dict[str, tuple[int, bool, str]] = {}
    for word, count in counts.items():
        key = fold(word)
        # Most frequent; on a tie the form with diacritics, then the larger string.
        rank = (count, word != key, word)
        if key not in best or rank > best[key]:
            best[key] = rank
    return {key: word for key, (_, _, word) in best.items()}
