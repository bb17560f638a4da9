"""Synthesis of public comments (tổng hợp ý kiến): plain Python, no Django, so the command line
and the background jobs share one engine.

API (everything is in :mod:`.engine`)::

    result = synthesize(rows, seed=0, progress=None, keep_models=False)
        # rows: iterable of (id, section, content); ids are kept as given (str or int).
        # Sections are processed one at a time, so memory is bounded by the largest section.
        # progress(section, done, total) is called after each section.
    result.sections          # [SectionResult] in order of first appearance
    result.to_json()         # {"duplicates": [[ids]], "campaigns": [[ids]],
                             #  "groups": [{"section", "terms", "ids", "representative", "size"}],
                             #  "agreement": [ids], "empty": [ids],
                             #  "sections": [summary per section]}

    section = synthesize_section(name, [(id, content)], seed=0, keep_model=True)
    section.duplicates       # [[ids]] exact and near duplicates, largest group first
    section.campaigns        # the duplicate groups of campaign_size (20) comments or more
    section.agreement        # general-agreement ids ("nhất trí", "cảm ơn ạ"), kept out of
                             # duplicates and topics
    section.empty            # nothing left after cleaning (emoji only, a link)
    section.groups           # [TopicGroup(section, terms, ids, representative)]
    section.model            # SectionModel (only with keep_model / keep_models)

    data = section.model.to_bytes()          # numpy savez + a JSON header, no pickle
    model = SectionModel.from_bytes(data)    # ValueError on anything else
    placed = assign(model, [(id, content)])  # [Assigned(id, kind, duplicates, group)]
        # kind: "agreement" | "empty" | "comment"; duplicates: the other ids of its duplicate
        # group (earlier or new); group: topic group index (model.topics.terms[group]).
        # Updates the model in place: store model.to_bytes() again. Nothing is refitted; run
        # synthesize_section again now and then (e.g. when a section has doubled) to refresh
        # the topic groups.
    model.duplicate_groups(), model.campaigns(), model.groups()   # the state after assign

How (details in each module): :mod:`.normalise` (NFC, cleaning, folding via
``daihoi.vietnamese``), :mod:`.agreement` (the general-agreement rule), :mod:`.duplicates`
(word shingles, MinHash LSH with numpy, verification by real Jaccard, connected components),
:mod:`.topics` (pyvi, TF-IDF, TruncatedSVD, k-means). One seed gives one result.
"""

from .engine import (
    CAMPAIGN_SIZE,
    Assigned,
    SectionModel,
    SectionResult,
    Synthesis,
    TopicGroup,
    assign,
    synthesize,
    synthesize_section,
)

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
