"""The checks of the counting minutes (domain.md §6): hard errors with a stable code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["Problem", "check_counts"]


@dataclass(frozen=True)
class Problem:
    """A failed check of the minutes' numbers; ``code`` is stable, ``message`` Vietnamese."""

    code: str
    message: str
    # Abacus-style: an error must be fixed before the minutes; a warning must be acknowledged.
    # Every check of domain.md §6 is an error.
    level: Literal["error", "warning"] = "error"


def check_counts(
    *,
    collected: int,
    valid: int,
    invalid: int,
    votes: Mapping[str, int],
    issued: int | None = None,
) -> tuple[Problem, ...]:
    """The checks of the counting minutes (domain.md §6); also usable on typed-in numbers."""
    problems: list[Problem] = []
    if issued is not None and collected > issued:
        problems.append(
            Problem(
                "collected_exceeds_issued",
                f"Số phiếu thu về ({collected}) lớn hơn số phiếu phát ra ({issued}).",
            )
        )
    if valid + invalid != collected:
        problems.append(
            Problem(
                "valid_plus_invalid_not_collected",
                f"Phiếu hợp lệ ({valid}) cộng không hợp lệ ({invalid}) "
                f"khác số phiếu thu về ({collected}).",
            )
        )
    for name, count in votes.items():
        if count > valid:
            problems.append(
                Problem(
                    "votes_exceed_valid",
                    f"{name} được {count} phiếu, nhiều hơn số phiếu hợp lệ ({valid}).",
                )
            )
    return tuple(problems)
