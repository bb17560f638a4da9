"""Dividing delegates into discussion groups (tổ đại biểu): a pure algorithm, no Django.

Hard constraint: group sizes differ by at most one. With n members and k groups, packing
starts with the first n mod k groups at ⌈n/k⌉ members and the others at ⌊n/k⌋; fixing which
groups are the larger ones loses nothing, since any division with sizes in {⌊n/k⌋, ⌈n/k⌉} is
one of these after renumbering the groups. (The repair pass may later move the extra seat.)

Soft goals, in priority order:

1. Delegates of one Party unit sit together (domain.md §4: groups usually follow the Party
   unit). A unit is split only when it cannot fit; a unit larger than a group is split into
   as few pieces as possible.
2. Committee members of the convening level are spread evenly: the per-group counts should
   differ by at most one. When whole units make that impossible the report says so
   (`Division.committee_spread`), rather than breaking units apart.
3. Determinism: the same input gives the same output. Every tie is broken by the order of
   the input (callers pass members in a stable order, e.g. by delegate number), and the only
   shuffles use fixed seeds.

How:

- Units are collected in order of first appearance; members without a unit are units of one.
- Carving: a unit larger than the largest group fills whole empty groups (the larger ones
  first) until what is left fits in a group; that remainder is packed like any other unit.
- Packing: an exact bin packing by depth-first search, largest units first, trying the groups
  with fewer committee members and more free room first. Groups with equal free room are
  interchangeable, and a set of free rooms that failed once is remembered, so the search is
  fast on real rosters; it stops after SEARCH_BUDGET steps.
- Fallback, when no exact packing is found: largest units first into the group with the least
  free room that still holds the whole unit (best fit); a unit that fits nowhere is split over
  the groups with the most free room, which gives the fewest pieces.
- Repair: while some two groups' committee counts differ by two or more, swap blocks (all the
  members of one unit in one group; up to SWAP_BLOCKS of them on each side) between them, or
  exchange members of a unit split over both, when that moves committee members from the
  fuller group to the emptier one and keeps every size in {⌊n/k⌋, ⌈n/k⌉}. Blocks move whole,
  so no unit gets split further. Each swap lowers the sum of squared committee counts, so the
  pass ends.
- Restarts: when the spread is still uneven, packing and repair run again (up to ATTEMPTS
  times) with the order in which groups are tried shuffled by a fixed seed, and the division
  with the fewest split units, then the smallest spread, is kept. Whole units are never given
  up for a better spread.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from random import Random

__all__ = ["ATTEMPTS", "SEARCH_BUDGET", "SWAP_BLOCKS", "Division", "Member", "divide"]

# Steps of one exact packing search before falling back to best fit.
SEARCH_BUDGET = 20_000
# Packings tried (the first in plain order, the others with a fixed-seed shuffle of the order
# in which groups are tried) until the committee spread is even; the best one is kept.
ATTEMPTS = 8
# Blocks taken from each side in one repair swap.
SWAP_BLOCKS = 2


@dataclass(frozen=True)
class Member:
    """One delegate as the algorithm sees them. `unit` is None when the Party unit is unknown."""

    id: Hashable
    unit: Hashable | None = None
    is_committee_member: bool = False


@dataclass(frozen=True)
class Division:
    """The result: member ids per group (group i is index i), and a small report."""

    groups: list[list[Hashable]]
    committee_counts: list[int]
    # Unit key → indexes of the groups its delegates went to, for units that had to be split.
    split_units: dict[Hashable, list[int]] = field(default_factory=dict)

    @property
    def sizes(self) -> list[int]:
        return [len(group) for group in self.groups]

    @property
    def committee_spread(self) -> int:
        """Largest minus smallest committee-member count; 0 or 1 is an even spread."""
        return max(self.committee_counts) - min(self.committee_counts)

    @property
    def committee_balanced(self) -> bool:
        return self.committee_spread <= 1


@dataclass
class _Item:
    """Members of one unit still to be placed together (a whole unit or a carved remainder)."""

    unit: Hashable
    members: list[int]  # indexes into the input
    committee: int
    order: int  # first appearance of the unit, for ties


def divide(members: Sequence[Member], group_count: int) -> Division:
    """Divide `members` into `group_count` groups; see the module docstring for the method."""
    if group_count < 1:
        raise ValueError("group_count must be at least 1")
    ids = [m.id for m in members]
    if len(set(ids)) != len(ids):
        raise ValueError("member ids must be unique")
    n = len(members)
    q, r = divmod(n, group_count)
    best: tuple[tuple[int, int], list[list[int]]] | None = None
    for attempt in range(ATTEMPTS):
        placement = _attempt(members, group_count, q, r, Random(attempt) if attempt else None)
        counts = [sum(members[i].is_committee_member for i in group) for group in placement]
        score = (len(_split_units(members, placement)), max(counts) - min(counts))
        if best is None or score < best[0]:
            best = (score, placement)
        if best[0][1] <= 1 or best[0][0]:
            break  # even spread; or no exact packing was found, and shuffling will not find one
    placement = best[1]
    groups = [[members[i].id for i in sorted(group)] for group in placement]
    counts = [sum(members[i].is_committee_member for i in group) for group in placement]
    return Division(groups, counts, _split_units(members, placement))


def _attempt(members, group_count: int, q: int, r: int, shuffle: Random | None):
    """One packing and repair; later attempts shuffle the order in which groups are tried."""
    capacity = [q + 1 if g < r else q for g in range(group_count)]
    placement: list[list[int]] = [[] for _ in range(group_count)]  # member indexes per group
    items = _carve(_units(members), capacity, placement)
    for item in items:  # a carved remainder keeps only some of its unit's committee members
        item.committee = sum(members[i].is_committee_member for i in item.members)
    room = [capacity[g] - len(placement[g]) for g in range(group_count)]
    committee = [sum(members[i].is_committee_member for i in group) for group in placement]
    tiebreak = list(range(group_count))
    if shuffle is not None:
        shuffle.shuffle(tiebreak)
    chosen = _exact(items, room, committee, tiebreak)
    if chosen is not None:
        for item, g in zip(items, chosen, strict=True):
            placement[g].extend(item.members)
    else:
        _best_fit(items, room, committee, placement)
    _repair(members, placement, {q, q + 1} if r else {q})
    return placement


def _units(members: Sequence[Member]) -> list[_Item]:
    by_unit: dict[Hashable, _Item] = {}
    items: list[_Item] = []
    for index, member in enumerate(members):
        if member.unit is None:
            # No unit known: a unit of one, keyed so it never merges with a real unit.
            items.append(_Item(("__alone__", index), [index], 0, index))
            item = items[-1]
        else:
            item = by_unit.get(member.unit)
            if item is None:
                item = by_unit[member.unit] = _Item(member.unit, [], 0, index)
                items.append(item)
            item.members.append(index)
        item.committee += member.is_committee_member
    # Largest first; among equals, more committee members first (they are harder to spread).
    items.sort(key=lambda it: (-len(it.members), -it.committee, it.order))
    return items


def _carve(items: list[_Item], capacity: list[int], placement: list[list[int]]) -> list[_Item]:
    """Fill whole empty groups with units too large for any group; return what is left to pack."""
    rest: list[_Item] = []
    empty = sorted(range(len(capacity)), key=lambda g: (-capacity[g], g))
    for item in items:
        while empty and len(item.members) > capacity[empty[0]]:
            g = empty.pop(0)
            placement[g].extend(item.members[: capacity[g]])
            item.members = item.members[capacity[g] :]
        if item.members:
            rest.append(item)
    # Carved remainders are smaller now: restore the largest-first order.
    rest.sort(key=lambda it: (-len(it.members), -it.committee, it.order))
    return rest


def _exact(
    items: list[_Item], room: list[int], committee: list[int], tiebreak: list[int]
) -> list[int] | None:
    """Place every item whole so that every group is exactly full; None if not found within
    the budget. Groups are tried by fewest committee members (for an item that has some),
    then most free room, then `tiebreak`."""
    room, committee = list(room), list(committee)
    sizes = [len(item.members) for item in items]
    smallest_after = [min(sizes[i + 1 :], default=0) for i in range(len(sizes))]
    chosen: list[int] = []
    failed: set[tuple[int, tuple[int, ...]]] = set()
    steps = 0

    def search(i: int) -> bool:
        nonlocal steps
        if i == len(items):
            return True
        state = (i, tuple(sorted(room)))
        if state in failed:
            return False
        steps += 1
        if steps > SEARCH_BUDGET:
            return False
        size, extra = sizes[i], items[i].committee
        tried: set[int] = set()
        order = sorted(
            range(len(room)), key=lambda g: (committee[g] if extra else 0, -room[g], tiebreak[g])
        )
        for g in order:
            # Groups with equal free room are interchangeable for the packing: try one.
            if room[g] < size or room[g] in tried:
                continue
            tried.add(room[g])
            room[g] -= size
            committee[g] += extra
            # A group left with less room than the smallest item still to come stays unfull.
            if room[g] == 0 or room[g] >= smallest_after[i]:
                chosen.append(g)
                if search(i + 1):
                    return True
                chosen.pop()
            room[g] += size
            committee[g] -= extra
            if steps > SEARCH_BUDGET:
                return False
        failed.add(state)
        return False

    return chosen if search(0) else None


def _best_fit(
    items: list[_Item], room: list[int], committee: list[int], placement: list[list[int]]
) -> None:
    """Whole units where they fit most tightly; a unit that fits nowhere goes in fewest pieces."""
    for item in items:
        size = len(item.members)
        fits = [g for g in range(len(room)) if room[g] >= size]
        if fits:
            g = min(fits, key=lambda g: (room[g], committee[g], g))
            placement[g].extend(item.members)
            room[g] -= size
            committee[g] += item.committee
            continue
        left = list(item.members)
        for g in sorted(range(len(room)), key=lambda g: (-room[g], g)):
            if not left:
                break
            piece, left = left[: room[g]], left[room[g] :]
            placement[g].extend(piece)
            room[g] -= len(piece)


def _repair(members: Sequence[Member], placement: list[list[int]], allowed: set[int]) -> None:
    """Swap whole blocks between groups to even out committee members (see module docstring)."""
    unit_of = [m.unit if m.unit is not None else ("__alone__", i) for i, m in enumerate(members)]
    is_committee = [m.is_committee_member for m in members]
    while True:
        counts = [sum(is_committee[i] for i in group) for group in placement]
        if max(counts, default=0) - min(counts, default=0) <= 1:
            return
        if not _one_swap(placement, counts, unit_of, is_committee, allowed):
            return


def _blocks(group: list[int], unit_of: list[Hashable]) -> dict[Hashable, list[int]]:
    blocks: dict[Hashable, list[int]] = {}
    for i in group:
        blocks.setdefault(unit_of[i], []).append(i)
    return blocks


def _one_swap(placement, counts, unit_of, is_committee, allowed) -> bool:
    """Make the best improving swap between the most distant pair of groups; False if none."""
    pairs = sorted(
        ((a, b) for a in range(len(placement)) for b in range(len(placement))),
        key=lambda ab: (counts[ab[1]] - counts[ab[0]], ab),
    )
    for a, b in pairs:  # a holds more committee members than b
        gap = counts[a] - counts[b]
        if gap <= 1:
            return False
        blocks_a, blocks_b = _blocks(placement[a], unit_of), _blocks(placement[b], unit_of)
        best: tuple[int, list[int], list[int]] | None = None
        # Exchange members of a unit present in both groups: its pieces stay as they are.
        # (In dict order, not set order: string hashes differ between processes.)
        for unit in (u for u in blocks_a if u in blocks_b):
            x = next((i for i in blocks_a[unit] if is_committee[i]), None)
            y = next((i for i in blocks_b[unit] if not is_committee[i]), None)
            if x is not None and y is not None:
                best = (1, [x], [y])
                break
        if best is None:
            best = _block_swap(placement, a, b, blocks_a, blocks_b, gap, is_committee, allowed)
        if best is not None:
            _, out_a, out_b = best
            moved_a, moved_b = set(out_a), set(out_b)
            placement[a] = [i for i in placement[a] if i not in moved_a] + out_b
            placement[b] = [i for i in placement[b] if i not in moved_b] + out_a
            return True
    return False


def _block_swap(placement, a, b, blocks_a, blocks_b, gap, is_committee, allowed):
    """Up to SWAP_BLOCKS whole blocks of group a for up to SWAP_BLOCKS of group b: the move of
    d committee members with 0 < d < gap closest to gap / 2, sizes kept in `allowed`."""
    size_a, size_b = len(placement[a]), len(placement[b])
    options_a, options_b = _block_sets(blocks_a, is_committee), _block_sets(blocks_b, is_committee)
    best = None
    for ca, na, out_a in options_a:
        if ca == 0:
            continue
        for cb, nb, out_b in options_b:
            d = ca - cb
            if not 0 < d < gap:
                continue
            if size_a - na + nb not in allowed or size_b + na - nb not in allowed:
                continue
            score = (abs(gap - 2 * d), na + nb)
            if best is None or score < best[0]:
                best = (score, out_a, out_b)
    return best


def _block_sets(blocks: dict[Hashable, list[int]], is_committee) -> list[tuple[int, int, list]]:
    """(committee count, size, members) of every set of at most SWAP_BLOCKS blocks."""
    plain = [(sum(is_committee[i] for i in bl), len(bl), bl) for bl in blocks.values()]
    sets = [(0, 0, [])]
    for size in range(1, SWAP_BLOCKS + 1):
        for combo in combinations(plain, size):
            sets.append(
                (sum(c for c, _n, _b in combo), sum(n for _c, n, _b in combo),
                 [i for _c, _n, bl in combo for i in bl])
            )  # fmt: skip
    return sets


def _split_units(members: Sequence[Member], placement: list[list[int]]) -> dict:
    where: dict[Hashable, set[int]] = {}
    for g, group in enumerate(placement):
        for i in group:
            if members[i].unit is not None:
                where.setdefault(members[i].unit, set()).add(g)
    return {unit: sorted(groups) for unit, groups in where.items() if len(groups) > 1}
