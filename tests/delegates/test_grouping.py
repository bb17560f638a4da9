"""The group division algorithm (daihoi.delegates.grouping): properties on generated rosters and
a Hanoi-sized case (domain.md §4: about 500 delegates, 12 groups)."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.delegates.grouping import Division, Member, divide

FEW = settings(max_examples=60, deadline=None)


def check_basic(members: list[Member], k: int, result: Division) -> None:
    sizes = result.sizes
    assert len(sizes) == k
    assert max(sizes) - min(sizes) <= 1
    placed = [pk for group in result.groups for pk in group]
    assert sorted(placed) == sorted(m.id for m in members)  # every member exactly once
    committee = {m.id for m in members if m.is_committee_member}
    assert result.committee_counts == [sum(pk in committee for pk in g) for g in result.groups]


rosters = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(0, 8)), st.booleans()), min_size=0, max_size=80
)


@FEW
@given(rosters, st.integers(1, 12))
def test_sizes_differ_by_at_most_one_and_everyone_is_placed_once(rows, k):
    members = [Member(i, unit, committee) for i, (unit, committee) in enumerate(rows)]
    result = divide(members, k)
    check_basic(members, k, result)
    # The report names exactly the units whose delegates ended up in more than one group.
    where: dict = {}
    for g, group in enumerate(result.groups):
        for pk in group:
            if members[pk].unit is not None:
                where.setdefault(members[pk].unit, set()).add(g)
    assert result.split_units == {u: sorted(gs) for u, gs in where.items() if len(gs) > 1}


@FEW
@given(rosters, st.integers(1, 12))
def test_same_input_same_output(rows, k):
    members = [Member(f"d{i}", unit, committee) for i, (unit, committee) in enumerate(rows)]
    assert divide(members, k) == divide(list(members), k)


@st.composite
def packable(draw):
    """A roster built group by group, so a division keeping every unit whole exists."""
    k = draw(st.integers(1, 8))
    q = draw(st.integers(1, 30))
    r = draw(st.integers(0, k - 1))
    members, unit = [], 0
    for g in range(k):
        room = q + 1 if g < r else q
        while room:
            size = draw(st.integers(1, room))
            for _ in range(size):
                members.append(Member(len(members), f"u{unit}", draw(st.booleans())))
            unit += 1
            room -= size
    order = draw(st.permutations(range(len(members))))
    return [members[i] for i in order], k


@FEW
@given(packable())
def test_units_stay_together_when_a_perfect_packing_exists(case):
    members, k = case
    result = divide(members, k)
    check_basic(members, k, result)
    assert result.split_units == {}


@st.composite
def balanceable(draw):
    """Equal-sized units, at most one committee member each: an even spread exists."""
    k = draw(st.integers(1, 8))
    per_group = draw(st.integers(1, 5))
    size = draw(st.integers(1, 6))
    members = []
    for unit in range(k * per_group):
        has_one = draw(st.booleans())
        for j in range(size):
            members.append(Member(len(members), unit, has_one and j == 0))
    order = draw(st.permutations(range(len(members))))
    return [members[i] for i in order], k


@FEW
@given(balanceable())
def test_committee_members_spread_evenly_when_possible(case):
    members, k = case
    result = divide(members, k)
    check_basic(members, k, result)
    assert result.split_units == {}
    assert result.committee_spread <= 1


@FEW
@given(st.lists(st.booleans(), max_size=60), st.integers(1, 10))
def test_delegates_without_a_unit_are_spread_freely(flags, k):
    members = [Member(i, None, flag) for i, flag in enumerate(flags)]
    result = divide(members, k)
    check_basic(members, k, result)
    assert result.committee_spread <= 1


def test_a_unit_larger_than_a_group_is_split_into_fewest_pieces():
    big = [Member(f"b{i}", "Đảng ủy Khối", i < 3) for i in range(25)]
    small = [Member(f"s{i}", f"quận {i % 3}", i == 0) for i in range(15)]
    result = divide(big + small, 4)  # groups of 10
    check_basic(big + small, 4, result)
    assert result.split_units == {"Đảng ủy Khối": [0, 1, 2]}  # 25 → 10 + 10 + 5
    assert result.committee_spread <= 1


def test_unit_split_only_when_it_cannot_fit():
    # Three units of 3 into groups of 5 and 4: one unit must be split, in two pieces.
    members = [Member(f"{u}{i}", u, False) for u in "abc" for i in range(3)]
    result = divide(members, 2)
    check_basic(members, 2, result)
    assert len(result.split_units) == 1
    assert all(len(groups) == 2 for groups in result.split_units.values())


def test_bad_arguments():
    with pytest.raises(ValueError):
        divide([Member(1)], 0)
    with pytest.raises(ValueError):
        divide([Member(1), Member(1)], 1)
    assert divide([], 3).groups == [[], [], []]


def hanoi_roster(seed: int = 2015) -> list[Member]:
    """About 500 delegates from 44 Party units, 3 to 40 each, 0–3 committee members per unit."""
    rnd = random.Random(seed)
    sizes = [rnd.randint(5, 20) for _ in range(44)]
    while sum(sizes) != 500:
        i = rnd.randrange(44)
        sizes[i] = max(3, min(40, sizes[i] + (1 if sum(sizes) < 500 else -1)))
    members = []
    for unit, size in enumerate(sizes):
        committee = rnd.choice([0, 1, 1, 2, 2, 3])
        start = len(members)
        members += [Member(start + j, f"Đảng bộ {unit}", j < committee) for j in range(size)]
    return members


def test_hanoi_sized_congress_in_twelve_groups():
    members = hanoi_roster()
    result = divide(members, 12)
    check_basic(members, 12, result)
    assert Counter(result.sizes) == {42: 8, 41: 4}
    assert result.split_units == {}
    assert result.committee_spread <= 1
    assert divide(members, 12) == result
