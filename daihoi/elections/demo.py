"""Demo elections for Hanoi XVII (invented names and ballots, fixed seed):

1. The executive committee: 71 seats from 80 names, 495 ballots typed twice by the two demo
   counting-board accounts, counted and sealed in one round.
2. The tie path: official delegates to the national congress, 4 seats from 5 names; the ballots
   leave two names tied for the last seat, so round 2 among the tied is open for entry.

Idempotent: a congress that has elections is left alone. Needs the demo delegates.
"""

from __future__ import annotations

import random

from django.db import transaction

from daihoi.core.models import Congress, Role, User
from daihoi.delegates.models import Category, Delegate, Status
from daihoi.elections.models import ElectedBody
from daihoi.elections.services import setup
from daihoi.elections.services.batch import enter_batch
from daihoi.elections.services.counting import count_round, seal_round

SEATS, NAMES, WEAK = 71, 80, 9
BALLOTS = 495
TIE_STRIKES = (0, 0, 45, 225, 225)  # per name in ballot order: the last two tie at 270 votes


def _board(congress: Congress, organiser, names: set[str]) -> list[User]:
    users = list(User.objects.filter(role_assignments__role=Role.COUNTING_BOARD).order_by("pk"))[:2]
    free = (
        Delegate.objects.filter(congress=congress, status=Status.ACTIVE)
        .exclude(category=Category.RESERVE)
        .exclude(full_name__in=names)
        .exclude(user__isnull=False)
        .order_by("-number")
    )
    for index, (user, delegate) in enumerate(zip(users, free, strict=False)):
        setup.appoint_counting_board_member(
            organiser, congress, delegate, user, is_head=index == 0,
            approval="Đại hội biểu quyết giơ thẻ: 495/495 đại biểu có mặt tán thành (100%).",
        )  # fmt: skip
    return users


def _type_twice(round_, board: list[User], sheets: list[tuple[int, str, str]]) -> None:
    enter_batch(board[0], round_, 1, sheets)
    enter_batch(board[1], round_, 2, sheets)


def _committee_ballots(rng: random.Random, size: int, weak: set[int]) -> list[tuple[int, str, str]]:
    weights = [30 if i in weak else 1 for i in range(size)]
    sheets = []
    for sheet in range(1, BALLOTS + 1):
        if sheet == BALLOTS:  # one ballot without the stamp
            sheets.append((sheet, "", "not_issued"))
            continue
        strikes = 8 if sheet in (17, 301) else WEAK + rng.randint(0, 3)  # two keep too many
        struck: set[int] = set()
        while len(struck) < strikes:
            struck.add(rng.choices(range(size), weights)[0])
        sheets.append((sheet, "".join("0" if i in struck else "1" for i in range(size)), ""))
    return sheets


@transaction.atomic
def load_demo_elections() -> int:
    """Create the demo elections; returns how many were created (0 when already there)."""
    congress = Congress.objects.filter(is_current=True).first()
    organiser = User.objects.filter(role_assignments__role=Role.ORGANISING_STAFF).first()
    if congress is None or organiser is None or congress.elections.exists():
        return 0
    pool = list(
        Delegate.objects.filter(congress=congress, status=Status.ACTIVE, user__isnull=True)
        .exclude(category=Category.RESERVE)
        .order_by("number")
    )
    names: list[str] = []
    for delegate in pool:  # unique names only: a ballot cannot list the same name twice
        if delegate.full_name not in names:
            names.append(delegate.full_name)
        if len(names) == NAMES + 5:
            break
    committee_names, tie_names = names[:NAMES], names[NAMES:]
    rng = random.Random(17)
    board = _board(congress, organiser, set(names))
    if len(board) < 2:
        return 0

    committee = setup.create_election(
        organiser, congress, body=ElectedBody.EXECUTIVE_COMMITTEE,
        title="Bầu Ban Chấp hành Đảng bộ thành phố khóa XVII, nhiệm kỳ 2020–2025", seats=SEATS,
        seats_decision="Đại hội biểu quyết số lượng 71 đồng chí: 495/495 tán thành.",
    )  # fmt: skip
    for name in committee_names:
        setup.add_candidate(organiser, committee, name)
    round_ = setup.open_first_round(organiser, committee, ballots_issued=BALLOTS)
    weak = set(rng.sample(range(NAMES), WEAK))
    _type_twice(round_, board, _committee_ballots(rng, NAMES, weak))
    count_round(board[0], round_)
    seal_round(board[0], round_)

    national = setup.create_election(
        organiser, congress, body=ElectedBody.HIGHER_OFFICIAL,
        title="Bầu đại biểu chính thức đi dự Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
        seats=4, seats_decision="Theo phân bổ của Ban Chấp hành Trung ương (số liệu thử).",
    )  # fmt: skip
    for name in tie_names:
        setup.add_candidate(organiser, national, name)
    first = setup.open_first_round(organiser, national, ballots_issued=BALLOTS)
    order = [c.full_name for c in setup.ballot_list(national)]
    struck = [i for i, count in enumerate(TIE_STRIKES) for _ in range(count)]
    rng.shuffle(struck)
    sheets = [
        (n, "".join("0" if i == s else "1" for i in range(len(order))), "")
        for n, s in enumerate(struck, start=1)
    ]
    _type_twice(first, board, sheets)
    count_round(board[0], first)
    seal_round(board[0], first)
    setup.open_next_round(organiser, first)
    return 2
