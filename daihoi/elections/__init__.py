"""Elections: the counting engine for paper ballots (plain Python, no Django; domain.md §5–6)."""

from __future__ import annotations

from .checks import Problem, check_counts
from .counting import (
    AGREE,
    BLANK,
    BOTH,
    DEFAULT_RULES,
    DISAGREE,
    KEPT,
    STRUCK,
    Ballot,
    CandidateResult,
    CountingError,
    Invalid,
    Mark,
    NextRound,
    Result,
    Selection,
    Valid,
    allowed_marks,
    ballot_order,
    classify,
    select,
    tally,
)
from .rounds import Round
from .rules import BOARD_REASONS, REASON_LABELS, BallotKind, Citation, InvalidReason, Rules

__all__ = [
    "AGREE",
    "BLANK",
    "BOARD_REASONS",
    "BOTH",
    "DEFAULT_RULES",
    "DISAGREE",
    "KEPT",
    "REASON_LABELS",
    "STRUCK",
    "Ballot",
    "BallotKind",
    "CandidateResult",
    "Citation",
    "CountingError",
    "Invalid",
    "InvalidReason",
    "Mark",
    "NextRound",
    "Problem",
    "Result",
    "Round",
    "Rules",
    "Selection",
    "Valid",
    "allowed_marks",
    "ballot_order",
    "check_counts",
    "classify",
    "select",
    "tally",
]
