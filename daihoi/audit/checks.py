"""Extra integrity checks that `daihoi audit verify` runs after the hash chain: each app
registers its own (e.g. elections: every sealed round recounts to its seal), so the audit app
depends on none of them."""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[], list[str]]  # returns one Vietnamese line per problem found
_checks: list[Check] = []


def register(check: Check) -> Check:
    if check not in _checks:
        _checks.append(check)
    return check


def run_all() -> list[str]:
    problems: list[str] = []
    for check in _checks:
        problems.extend(check())
    return problems
