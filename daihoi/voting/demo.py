"""Demo of the congress floor for Hanoi XVII: the programme of the opening session with its
votes and election, the presidium (the demo `chutich` account among them), secretariat and
credentials committee approved, three show-of-hands votes, and two open electronic votes (one
published, one open for the demo delegate `daibieu`). Idempotent: a congress with a programme
is left alone. Needs the demo delegates."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from daihoi.bodies.models import BodyKind, Position
from daihoi.bodies.services import approve_body, propose_body, record_show_of_hands
from daihoi.core.models import Congress, Role, User
from daihoi.delegates.models import Attendance, Category, Delegate, Status
from daihoi.programme.models import ItemKind, ProgrammeItem
from daihoi.programme.services import ItemData, add_item
from daihoi.voting import services as voting

APPROVAL = "Đại hội biểu quyết giơ thẻ: 495/495 đại biểu có mặt tán thành (100%)."
ITEMS = [
    ("Chào cờ; tuyên bố lý do, giới thiệu đại biểu", ItemKind.OPENING, "Ban Tổ chức", 8, ""),
    ("Bầu Đoàn Chủ tịch, Đoàn Thư ký, Ban Thẩm tra tư cách đại biểu", ItemKind.VOTE, "Chủ tọa", 8,
     "danh sách Đoàn Chủ tịch, Đoàn Thư ký và Ban Thẩm tra tư cách đại biểu"),
    ("Thông qua Chương trình làm việc và Quy chế làm việc của Đại hội", ItemKind.VOTE,
     "Đoàn Chủ tịch", 9, "Chương trình làm việc và Quy chế làm việc của Đại hội"),
    ("Trình bày Báo cáo chính trị", ItemKind.REPORT, "Bí thư Thành ủy", 9, ""),
    ("Thảo luận các văn kiện tại tổ", ItemKind.DISCUSSION, "Các tổ đại biểu", 14, ""),
    ("Bầu Ban Chấp hành Đảng bộ thành phố khóa XVII", ItemKind.ELECTION, "Ban Kiểm phiếu", 15, ""),
]  # fmt: skip
SHOWS_OF_HANDS = [
    ("danh sách Đoàn Chủ tịch, Đoàn Thư ký và Ban Thẩm tra tư cách đại biểu", 495, 0, 0, True),
    ("Chương trình làm việc của Đại hội", 493, 0, 2, False),
    ("Quy chế làm việc của Đại hội", 490, 3, 2, False),
]


def _members(pool: list[Delegate], start: int, size: int) -> list[tuple[Delegate, str]]:
    chosen = pool[start : start + size]
    return [(d, Position.CHAIR if i == 0 else Position.MEMBER) for i, d in enumerate(chosen)]


@transaction.atomic
def load_demo_floor() -> int:
    """Create the demo floor; returns the number of programme items created (0 if present)."""
    congress = Congress.objects.filter(is_current=True).first()
    organiser = User.objects.filter(role_assignments__role=Role.ORGANISING_STAFF).first()
    if congress is None or organiser is None:
        return 0
    if ProgrammeItem.objects.filter(session__congress=congress).exists():
        return 0
    opening = congress.sessions.filter(name="Phiên khai mạc").first()
    if opening is None:
        return 0
    for title, kind, presenter, hour, motion in ITEMS:
        data = ItemData(title=title, kind=kind, presenter=presenter, starts_at=dt.time(hour),
                        vote_motion=motion)  # fmt: skip
        add_item(organiser, opening, data)
    pool = list(
        Delegate.objects.filter(congress=congress, status=Status.ACTIVE, user__isnull=True)
        .exclude(category=Category.RESERVE)
        .order_by("number")[100:130]
    )
    chair = User.objects.filter(role_assignments__role=Role.PRESIDIUM).first()
    clerk = User.objects.filter(role_assignments__role=Role.SECRETARIAT).first()
    for kind, start, size, account in (
        (BodyKind.PRESIDIUM, 0, 16, chair), (BodyKind.SECRETARIAT, 16, 3, clerk),
        (BodyKind.CREDENTIALS_COMMITTEE, 19, 7, None),
    ):  # fmt: skip
        members = _members(pool, start, size)
        if account is not None and not Delegate.objects.filter(user=account).exists():
            first = members[0][0]
            first.user = account  # the demo account sits in this body
            first.save(update_fields=["user"])
        approve_body(organiser, propose_body(organiser, congress, kind, members), APPROVAL)
    for motion, agree, disagree, abstain, unanimous in SHOWS_OF_HANDS:
        record_show_of_hands(organiser, congress, motion, agree, disagree, abstain, unanimous,
                             session=opening)  # fmt: skip
    if chair is not None:
        _electronic_votes(congress, chair)
    _seat_the_hall(congress)
    return len(ITEMS)


def _seat_the_hall(congress: Congress) -> None:
    """Those present at the preparatory session are checked in at the latest session too, so a
    delegate can sign in on a hall tablet (which needs a check-in at the session under way)."""
    sessions = list(congress.sessions.order_by("starts_at"))
    if len(sessions) < 2:
        return
    first, latest = sessions[0], sessions[-1]
    moment = latest.starts_at - dt.timedelta(minutes=20)
    Attendance.objects.bulk_create(
        Attendance(delegate_id=a.delegate_id, session=latest, present_at=moment, method=a.method)
        for a in first.attendances.all()
    )


def _electronic_votes(congress: Congress, chair: User) -> None:
    published = voting.open_vote(chair, voting.create_vote(
        chair, congress, "Thông qua Quy chế bầu cử tại Đại hội"))  # fmt: skip
    # Demo accounts that hold a voting seat: the delegate, the presidium and secretariat members.
    voters = [
        d.user for d in Delegate.objects.filter(congress=congress, user__isnull=False)
        if voting.voter_record(d.user, congress) is not None
    ]  # fmt: skip
    for account in voters:
        voting.cast(account, published, "yes")
    voting.publish_vote(chair, voting.close_vote(chair, published))
    voting.open_vote(chair, voting.create_vote(
        chair, congress, "Thông qua Nghị quyết Đại hội", allow_change=True))  # fmt: skip
