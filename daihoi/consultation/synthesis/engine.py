"""The synthesis engine: one section at a time, plain dataclasses out (see the package doc)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .agreement import is_agreement
from .duplicates import BANDS, THRESHOLD, DuplicateIndex, find_duplicates
from .normalise import clean, match_key
from .topics import LEXICON_SAMPLE, Lexicon, TopicModel, fit_topics, learn_lexicon

__all__ = [
    "CAMPAIGN_SIZE",
    "Assigned",
    "SectionModel",
    "SectionResult",
    "Synthesis",
    "TopicGroup",
    "assign",
    "synthesize",
    "synthesize_section",
]

CAMPAIGN_SIZE = 20
_FORMAT = "daihoi-synthesis-section/1"

Id = Any  # str or int: kept as given, and JSON-serialisable for SectionModel.to_bytes()


@dataclass(frozen=True)
class TopicGroup:
    section: str
    terms: list[str]
    ids: list[Id]
    representative: Id

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "terms": self.terms,
            "ids": self.ids,
            "representative": self.representative,
            "size": len(self.ids),
        }


@dataclass
class SectionResult:
    """One section: ``duplicates`` (groups of 2 or more, largest first), ``campaigns`` (the
    duplicate groups of ``campaign_size`` or more), ``agreement`` (general-agreement comments,
    kept out of duplicates and topics), ``empty`` (nothing left after cleaning: emoji, links)
    and topic ``groups`` (largest first) over the substantive comments."""

    section: str
    comments: int
    duplicates: list[list[Id]]
    campaigns: list[list[Id]]
    agreement: list[Id]
    empty: list[Id]
    groups: list[TopicGroup]
    model: SectionModel | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "comments": self.comments,
            "agreement": len(self.agreement),
            "empty": len(self.empty),
            "duplicate_groups": len(self.duplicates),
            "duplicated_comments": sum(len(g) for g in self.duplicates),
            "campaigns": len(self.campaigns),
            "groups": len(self.groups),
        }


@dataclass
class Synthesis:
    sections: list[SectionResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The command's JSON: duplicates, campaigns, groups, agreement, empty, sections."""
        return {
            "duplicates": [g for s in self.sections for g in s.duplicates],
            "campaigns": [g for s in self.sections for g in s.campaigns],
            "groups": [g.to_json() for s in self.sections for g in s.groups],
            "agreement": [i for s in self.sections for i in s.agreement],
            "empty": [i for s in self.sections for i in s.empty],
            "sections": [s.summary() for s in self.sections],
        }


@dataclass
class SectionModel:
    """Everything ``assign`` needs to place later comments of one section.

    ``ids`` are the substantive comments seen so far (agreement and empty ones are not kept),
    parallel to ``duplicates.label`` and ``topic``; ``topics`` holds the vectoriser, SVD and
    centroids; ``representatives`` are the ids shown for each topic group.
    """

    section: str
    seed: int
    campaign_size: int
    ids: list[Id]
    duplicates: DuplicateIndex
    topic: np.ndarray
    topics: TopicModel
    representatives: list[Id]

    def duplicate_groups(self) -> list[list[Id]]:
        return [[self.ids[i] for i in g] for g in self.duplicates.groups()]

    def campaigns(self) -> list[list[Id]]:
        return [g for g in self.duplicate_groups() if len(g) >= self.campaign_size]

    def groups(self) -> list[TopicGroup]:
        return _topic_groups(self.section, self.ids, self.topic, self.topics, self.representatives)

    def to_bytes(self) -> bytes:
        """numpy ``savez`` of the arrays plus one JSON header; no pickle."""
        meta = {
            "format": _FORMAT,
            "section": self.section,
            "seed": self.seed,
            "campaign_size": self.campaign_size,
            "threshold": self.duplicates.threshold,
            "ids": self.ids,
            "vocabulary": self.topics.vocabulary,
            "terms": self.topics.terms,
            "topic_representatives": self.topics.representatives,
            "compounds": self.topics.compounds,
            "representatives": self.representatives,
        }
        header = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8)
        out = io.BytesIO()
        d = self.duplicates
        np.savez(
            out,
            header=header,
            label=d.label,
            distinct=d.distinct,
            exact=d.exact,
            codes=d.codes,
            offsets=d.offsets,
            bands=d.bands,
            topic=self.topic,
            idf=self.topics.idf,
            components=self.topics.components,
            centroids=self.topics.centroids,
        )
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SectionModel:
        """Read ``to_bytes`` output; raises ValueError on anything else."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                a = {name: arrays[name] for name in arrays.files}
            meta = json.loads(a["header"].tobytes().decode())
        except (OSError, KeyError, ValueError, EOFError) as exc:
            raise ValueError(f"not a synthesis section model: {exc}") from None
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
            raise ValueError("not a synthesis section model (format)")
        duplicates = DuplicateIndex(
            label=a["label"],
            distinct=a["distinct"],
            exact=a["exact"],
            codes=a["codes"],
            offsets=a["offsets"],
            bands=a["bands"].reshape(-1, BANDS),
            threshold=float(meta["threshold"]),
        )
        topics = TopicModel(
            vocabulary=list(meta["vocabulary"]),
            idf=a["idf"],
            components=a["components"],
            centroids=a["centroids"],
            terms=[list(t) for t in meta["terms"]],
            representatives=list(meta["topic_representatives"]),
            compounds=list(meta["compounds"]),
        )
        return cls(
            section=meta["section"],
            seed=int(meta["seed"]),
            campaign_size=int(meta["campaign_size"]),
            ids=list(meta["ids"]),
            duplicates=duplicates,
            topic=a["topic"],
            topics=topics,
            representatives=list(meta["representatives"]),
        )


@dataclass(frozen=True)
class Assigned:
    """Where ``assign`` put one new comment: ``kind`` is "agreement", "empty" or "comment";
    for a comment, ``duplicates`` are the other ids of its duplicate group (earlier and new)
    and ``group`` its topic group (an index into ``SectionModel.topics.terms``)."""

    id: Id
    kind: str
    duplicates: list[Id]
    group: int | None


def _topic_groups(
    section: str,
    ids: Sequence[Id],
    topic: np.ndarray,
    model: TopicModel,
    representatives: Sequence[Id],
) -> list[TopicGroup]:
    if not len(ids):
        return []
    order = np.argsort(topic, kind="stable")
    counts = np.bincount(topic, minlength=len(model.terms))
    bounds = np.concatenate([[0], np.cumsum(counts)])
    groups = [
        TopicGroup(
            section=section,
            terms=list(model.terms[g]),
            ids=[ids[i] for i in order[bounds[g] : bounds[g + 1]]],
            representative=representatives[g],
        )
        for g in range(len(counts))
        if counts[g]
    ]
    groups.sort(key=lambda group: -len(group.ids))
    return groups


def _prepare(contents: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """(cleaned, key, kind) per comment; identical contents are normalised once."""
    cache: dict[str, tuple[str, str, str]] = {}
    cleaned, keys, kinds = [], [], []
    for content in contents:
        done = cache.get(content)
        if done is None:
            text = clean(content)
            key = match_key(text, cleaned=True)
            if not key:
                kind = "empty"
            elif is_agreement(key, folded=True):
                kind = "agreement"
            else:
                kind = "comment"
            done = cache[content] = (text, key, kind)
        cleaned.append(done[0])
        keys.append(done[1])
        kinds.append(done[2])
    return cleaned, keys, kinds


def synthesize_section(
    section: str,
    items: Sequence[tuple[Id, str]],
    *,
    seed: int = 0,
    campaign_size: int = CAMPAIGN_SIZE,
    threshold: float = THRESHOLD,
    keep_model: bool = False,
    lexicon: Lexicon | None = None,
) -> SectionResult:
    """Synthesis of one section's comments ``(id, content)``. Without ``lexicon`` the compound
    words are learnt from this section (``topics.learn_lexicon``)."""
    ids = [i for i, _ in items]
    cleaned, keys, kinds = _prepare([c for _, c in items])
    agreement = [ids[i] for i, k in enumerate(kinds) if k == "agreement"]
    empty = [ids[i] for i, k in enumerate(kinds) if k == "empty"]
    kept = [i for i, k in enumerate(kinds) if k == "comment"]
    kept_ids = [ids[i] for i in kept]
    index = find_duplicates([keys[i] for i in kept], threshold=threshold)
    # Topics are fitted on one comment per duplicate group: a campaign of 5,000 copies is one
    # voice in the topic space.
    label = index.label
    _, first = np.unique(label, return_index=True)
    heads = [kept[i] for i in first]
    if lexicon is None:
        lexicon = learn_lexicon([cleaned[i] for i in heads], seed=seed)
    topic_of_group, topics = fit_topics(
        [keys[i] for i in heads], lexicon, cleaned=[cleaned[i] for i in heads], seed=seed
    )
    topic = topic_of_group[label] if len(label) else np.zeros(0, dtype=np.int64)
    representatives = [kept_ids[int(first[r])] for r in topics.representatives]
    model = SectionModel(
        section=section,
        seed=seed,
        campaign_size=campaign_size,
        ids=kept_ids,
        duplicates=index,
        topic=topic,
        topics=topics,
        representatives=representatives,
    )
    duplicates = model.duplicate_groups()
    return SectionResult(
        section=section,
        comments=len(ids),
        duplicates=duplicates,
        campaigns=[g for g in duplicates if len(g) >= campaign_size],
        agreement=agreement,
        empty=empty,
        groups=model.groups(),
        model=model if keep_model else None,
    )


def synthesize(
    rows: Iterable[tuple[Id, str, str]],
    *,
    seed: int = 0,
    progress: Callable[[str, int, int], None] | None = None,
    campaign_size: int = CAMPAIGN_SIZE,
    threshold: float = THRESHOLD,
    keep_models: bool = False,
) -> Synthesis:
    """Synthesis of ``(id, section, content)`` rows, one section at a time (sections in order of
    first appearance). ``progress(section, done, total)`` is called after each section."""
    by_section: dict[str, list[tuple[Id, str]]] = {}
    for row_id, section, content in rows:
        by_section.setdefault(section, []).append((row_id, content or ""))
    lexicon = _sample_lexicon(by_section, seed)
    result = Synthesis()
    total = len(by_section)
    for done, section in enumerate(list(by_section), 1):
        items = by_section.pop(section)  # let the section's texts go once it is done
        result.sections.append(
            synthesize_section(
                section,
                items,
                seed=seed,
                campaign_size=campaign_size,
                threshold=threshold,
                keep_model=keep_models,
                lexicon=lexicon,
            )
        )
        if progress is not None:
            progress(section, done, total)
    return result


def _sample_lexicon(by_section: dict[str, list[tuple[Id, str]]], seed: int) -> Lexicon:
    """One lexicon for the whole input, from a seeded sample of its distinct comments."""
    contents = sorted({c for items in by_section.values() for _, c in items})
    if len(contents) > 2 * LEXICON_SAMPLE:
        rng = np.random.default_rng(seed)
        picked = rng.choice(len(contents), 2 * LEXICON_SAMPLE, replace=False)
        contents = [contents[i] for i in sorted(picked.tolist())]
    cleaned = [c for c in (clean(t) for t in contents) if c]
    return learn_lexicon(cleaned, seed=seed)


def assign(model: SectionModel, rows: Sequence[tuple[Id, str]]) -> list[Assigned]:
    """Place new comments ``(id, content)`` of the model's section: agreement or not, their
    duplicates among all comments seen so far, and their topic group (nearest centroid, or the
    group of an earlier duplicate). The model is updated in place (store ``to_bytes()`` again);
    topics are not refitted."""
    ids = [i for i, _ in rows]
    _, keys, kinds = _prepare([c for _, c in rows])
    kept = [i for i, k in enumerate(kinds) if k == "comment"]
    start = len(model.ids)
    model.ids.extend(ids[i] for i in kept)
    new_label = model.duplicates.add([keys[i] for i in kept])
    label = model.duplicates.label
    # Topic: an earlier duplicate's group if there is one, else the nearest centroid.
    predicted = model.topics.predict([keys[i] for i in kept])
    earlier_topic: dict[int, int] = {}
    for lab, top in zip(label[:start].tolist(), model.topic.tolist(), strict=True):
        earlier_topic.setdefault(lab, top)
    new_topic = np.array(
        [earlier_topic.get(int(lab), int(p)) for lab, p in zip(new_label, predicted, strict=True)],
        dtype=np.int64,
    )
    for j, lab in enumerate(new_label.tolist()):
        earlier_topic.setdefault(lab, int(new_topic[j]))
    model.topic = np.concatenate([model.topic, new_topic])
    members: dict[int, list[int]] = {}
    for i, lab in enumerate(label.tolist()):
        members.setdefault(lab, []).append(i)
    out: list[Assigned] = []
    position = {i: start + j for j, i in enumerate(kept)}
    for i, row_id in enumerate(ids):
        if kinds[i] != "comment":
            out.append(Assigned(row_id, kinds[i], [], None))
            continue
        me = position[i]
        same = [model.ids[m] for m in members[int(label[me])] if m != me]
        out.append(Assigned(row_id, "comment", same, int(model.topic[me])))
    return out
