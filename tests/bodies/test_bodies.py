"""Congress bodies and show-of-hands votes: approval feeds roles, votes are judged against the
base (Quy định 24-QĐ/TW 9.3.1), the minutes line, who may do what, and the audit chain."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from daihoi.audit.models import AuditEntry
from daihoi.bodies import services
from daihoi.bodies.models import Body, BodyKind, BodyMember, Position, ShowOfHandsVote
from daihoi.core.models import Role, User
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.base import compute_base
from daihoi.delegates.models import Attendance, Category, Session
from daihoi.elections.models import CountingBoardMember
from tests.delegates.test_base import make
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
INDEX = reverse("bodies:index")
VOTES = reverse("bodies:votes")


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


@pytest.fixture
def hall(congress):
    """10 official delegates, all at the preparatory session; only 7 back for the official one.

    Summoned = 10. Nobody was absent for the whole congress, so the base is 10 too, while only
    7 are in the hall now: more than half of the base needs 6 votes, of those present only 4.
    """
    now = timezone.now()
    preparatory = Session.objects.create(
        congress=congress, name="Phiên trù bị", kind="preparatory", starts_at=now
    )
    official = Session.objects.create(
        congress=congress, name="Phiên chính thức", kind="official", starts_at=now
    )
    delegates = [
        make(congress, f"Đại biểu {i}", user=UserFactory(), position=f"Chức vụ {i}")
        for i in range(1, 11)
    ]
    for i, delegate in enumerate(delegates):
        Attendance.objects.create(delegate=delegate, session=preparatory, present_at=now)
        if i < 7:
            Attendance.objects.create(delegate=delegate, session=official, present_at=now)
    return {"delegates": delegates, "official": official}


@pytest.fixture
def secretary(role_user):
    return role_user(Role.SECRETARIAT)


def vote(actor, congress, agree, disagree=0, abstain=0, **kwargs) -> ShowOfHandsVote:
    return services.record_show_of_hands(
        actor, congress, "Chương trình đại hội", agree, disagree, abstain, **kwargs
    )


# --- bodies ---


def test_approval_gives_each_member_the_role(client, congress, staff, hall):
    chair, member, _ = hall["delegates"][:3]
    body = services.propose_body(
        staff, congress, BodyKind.PRESIDIUM, [(chair, Position.CHAIR), (member, Position.MEMBER)]
    )
    assert [(m.delegate, m.position, m.order) for m in body.members.all()] == [
        (chair, Position.CHAIR, 1),
        (member, Position.MEMBER, 2),
    ]
    # Proposed only: no role yet, so the pages for the presidium stay closed.
    client.force_login(member.user)
    assert client.get(reverse("delegates:groups")).status_code == 403
    assert client.get(INDEX).status_code == 403

    services.approve_body(staff, body, "Đại hội biểu quyết thông qua, 100% tán thành.")
    body.refresh_from_db()
    assert body.is_approved and body.approval.startswith("Đại hội biểu quyết")
    user = User.objects.get(pk=member.user_id)  # fresh: role_set is cached per object
    assert user.has_role(Role.PRESIDIUM)
    assert client.get(reverse("delegates:groups")).status_code == 200  # needs Role.PRESIDIUM
    assert client.get(INDEX).status_code == 200
    assert not User.objects.get(pk=hall["delegates"][2].user_id).has_role(Role.PRESIDIUM)


def test_approved_secretary_may_record_a_vote(congress, staff, hall):
    head = hall["delegates"][0]
    body = services.propose_body(staff, congress, BodyKind.SECRETARIAT, [(head, Position.HEAD)])
    services.approve_body(staff, body, "Thông qua bằng biểu quyết giơ thẻ.")
    recorded = vote(User.objects.get(pk=head.user_id), congress, 9)
    assert recorded.passed


def test_approval_twice_or_without_text_is_refused(congress, staff, hall):
    body = services.propose_body(
        staff, congress, BodyKind.CREDENTIALS_COMMITTEE, [(hall["delegates"][0], Position.HEAD)]
    )
    with pytest.raises(InvalidInput) as error:
        services.approve_body(staff, body, "   ")
    assert error.value.code == "approval_required"
    services.approve_body(staff, body, "Thông qua.")
    with pytest.raises(InvalidInput):
        services.approve_body(staff, body, "Thông qua lần nữa.")
    with pytest.raises(InvalidInput) as error:
        services.propose_body(staff, congress, BodyKind.CREDENTIALS_COMMITTEE, [])
    assert error.value.code == "no_members"


def test_remove_a_member_before_approval_only(congress, staff, hall):
    a, b = hall["delegates"][:2]
    body = services.propose_body(
        staff, congress, BodyKind.SECRETARIAT, [(a, Position.HEAD), (b, Position.MEMBER)]
    )
    services.remove_member(staff, BodyMember.objects.get(body=body, delegate=b))
    assert [m.delegate for m in body.members.all()] == [a]
    services.approve_body(staff, body, "Thông qua.")
    with pytest.raises(InvalidInput) as error:
        services.remove_member(staff, BodyMember.objects.get(body=body, delegate=a))
    assert error.value.code == "already_approved"
    # Only the approved members got the role.
    assert not User.objects.get(pk=b.user_id).has_role(Role.SECRETARIAT)


def test_repropose_replaces_the_list_and_refuses_duplicates(congress, staff, hall):
    a, b, c = hall["delegates"][:3]
    services.propose_body(staff, congress, BodyKind.PRESIDIUM, [(a, Position.CHAIR)])
    body = services.propose_body(
        staff, congress, BodyKind.PRESIDIUM, [(b, Position.CHAIR), (c, Position.MEMBER)]
    )
    assert Body.objects.filter(congress=congress).count() == 1
    assert [m.delegate for m in body.members.all()] == [b, c]
    with pytest.raises(InvalidInput) as error:
        services.propose_body(
            staff, congress, BodyKind.PRESIDIUM, [(b, Position.CHAIR), (b, Position.MEMBER)]
        )
    assert error.value.code == "duplicate"


def test_only_staff_manage_bodies(congress, role_user, hall):
    for role in (Role.SECRETARIAT, Role.PRESIDIUM, Role.DELEGATE):
        with pytest.raises(NotAllowed):
            services.propose_body(
                role_user(role), congress, BodyKind.PRESIDIUM,
                [(hall["delegates"][0], Position.CHAIR)],
            )  # fmt: skip


# --- show-of-hands votes ---


def test_votes_are_judged_against_the_base_not_those_present(congress, secretary, hall):
    base = compute_base(congress)
    assert (base.summoned, base.value) == (10, 10)
    present = Attendance.objects.filter(session=hall["official"]).count()
    assert present == 7
    # 4 of the 7 present is a majority of the hall (8 > 7) but not of the base (8 > 10 is false).
    assert present < 2 * 4
    recorded = vote(secretary, congress, 4, 2, 1, session=hall["official"])
    assert (recorded.base, recorded.passed) == (10, False)
    # 6 of the base: 12 > 10.
    assert vote(secretary, congress, 6, 1, 0).passed


def test_exactly_half_of_the_base_is_not_passed(congress, secretary, hall):
    # 5 of 10: 2 × 5 = 10 is not more than 10.
    assert not vote(secretary, congress, 5, 2, 0).passed


def test_base_leaves_out_members_absent_for_the_whole_congress(congress, secretary, hall):
    # A committee member summoned but absent from every session: summoned 11, base still 10.
    make(congress, "Ủy viên vắng cả đại hội", Category.EX_OFFICIO, committee=True)
    recorded = vote(secretary, congress, 6)
    assert (recorded.base, recorded.passed) == (10, True)


def test_unanimous_means_no_disagree_and_no_abstain(congress, secretary, hall):
    with pytest.raises(InvalidInput) as error:
        vote(secretary, congress, 6, 1, 0, unanimous=True)
    assert error.value.code == "not_unanimous"
    recorded = vote(secretary, congress, 7, unanimous=True)
    assert recorded.unanimous and recorded.passed
    with pytest.raises(IntegrityError), transaction.atomic():
        ShowOfHandsVote.objects.create(
            congress=congress, motion="x", agree=5, disagree=0, abstain=1, unanimous=True,
            base=10, passed=False, recorded_by=secretary, recorded_at=timezone.now(),
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        ShowOfHandsVote.objects.create(
            congress=congress, motion="x", agree=-1, disagree=0, abstain=0,
            base=10, passed=False, recorded_by=secretary, recorded_at=timezone.now(),
        )  # fmt: skip


def test_more_opinions_than_summoned_are_refused(congress, secretary, hall):
    with pytest.raises(InvalidInput) as error:
        vote(secretary, congress, 8, 2, 1)  # 11 > 10 summoned
    assert error.value.code == "over_summoned"
    assert "nhiều hơn số đại biểu được triệu tập" in error.value.message
    with pytest.raises(InvalidInput):
        vote(secretary, congress, -1)
    assert not ShowOfHandsVote.objects.exists()


def _line(**fields) -> str:
    values = {"motion": "Chương trình đại hội", "disagree": 0, "abstain": 0, "unanimous": False}
    return services.minutes_line(ShowOfHandsVote(**{**values, **fields}))


def test_minutes_lines():
    assert _line(agree=480, disagree=10, abstain=5, base=495, passed=True) == (
        "Đại hội biểu quyết thông qua Chương trình đại hội: 480/495 đại biểu tán thành "
        "(96,97% so với cơ số), 10 không tán thành, 5 ý kiến khác."
    )
    assert _line(agree=240, disagree=200, abstain=55, base=495, passed=False) == (
        "Đại hội biểu quyết Chương trình đại hội, không được thông qua: 240/495 đại biểu tán "
        "thành (48,48% so với cơ số, không quá một nửa), 200 không tán thành, 55 ý kiến khác."
    )
    assert _line(agree=1480, base=1500, passed=True, unanimous=True) == (
        "Đại hội biểu quyết nhất trí 100% thông qua Chương trình đại hội: 1.480/1.500 đại biểu "
        "tán thành (98,67% so với cơ số)."
    )


def test_recorded_motion_is_cleaned_for_the_minutes(congress, secretary, hall):
    recorded = services.record_show_of_hands(
        secretary, congress, "  Quy chế   làm việc của đại hội. ", 9, 1, 0
    )
    assert services.minutes_line(recorded) == (
        "Đại hội biểu quyết thông qua Quy chế làm việc của đại hội: 9/10 đại biểu tán thành "
        "(90,00% so với cơ số), 1 không tán thành, 0 ý kiến khác."
    )


def test_audit_entries(congress, staff, secretary, hall):
    a = hall["delegates"][0]
    body = services.propose_body(staff, congress, BodyKind.SECRETARIAT, [(a, Position.HEAD)])
    services.approve_body(staff, body, "Thông qua.")
    vote(secretary, congress, 6)
    assert actions() == ["body.proposed", "body.approved", "show_of_hands.recorded"]
    last = AuditEntry.objects.order_by("seq").last()
    assert last.actor == secretary
    data = json.loads(last.data)
    assert data["base"] == 10 and data["passed"] is True


# --- pages and permissions ---


@pytest.mark.parametrize("role", [Role.UNIT_LIAISON, Role.DELEGATE])
def test_liaison_and_delegate_get_403(client, role_user, unit, congress, role):
    client.force_login(role_user(role, unit=unit if role == Role.UNIT_LIAISON else None))
    assert client.get(INDEX).status_code == 403
    assert client.get(VOTES).status_code == 403
    response = client.post(VOTES, {"motion": "x", "agree": "1", "disagree": "0", "abstain": "0"})
    assert response.status_code == 403
    assert client.post(reverse("bodies:propose"), {"kind": "presidium"}).status_code == 403


def test_secretariat_records_through_the_page(client, congress, secretary, hall):
    client.force_login(secretary)
    page = client.get(VOTES)
    assert page.status_code == 200
    assert "Cơ số hiện tại: 10 đại biểu" in page.content.decode()
    response = client.post(
        VOTES,
        {"motion": "Quy chế làm việc", "agree": "6", "disagree": "1", "abstain": "0",
         "session": str(hall["official"].pk)},
    )  # fmt: skip
    assert response.status_code == 302
    recorded = ShowOfHandsVote.objects.get()
    assert (recorded.session, recorded.passed, recorded.recorded_by) == (
        hall["official"],
        True,
        secretary,
    )
    page = client.get(VOTES).content.decode()
    assert "6/10 đại biểu tán thành (60,00% so với cơ số)" in page
    client.post(VOTES, {"motion": "Nhất trí", "agree": "7", "disagree": "1", "abstain": "0",
                        "unanimous": "1"})  # fmt: skip
    assert ShowOfHandsVote.objects.count() == 1  # refused: unanimous with a disagree


def test_presidium_views_but_cannot_record(client, congress, role_user, hall):
    client.force_login(role_user(Role.PRESIDIUM))
    assert client.get(INDEX).status_code == 200
    page = client.get(VOTES)
    assert page.status_code == 200
    assert "Ghi kết quả biểu quyết" not in page.content.decode()
    response = client.post(VOTES, {"motion": "x", "agree": "6", "disagree": "0", "abstain": "0"})
    assert response.status_code == 403
    assert not ShowOfHandsVote.objects.exists()
    with pytest.raises(NotAllowed):
        vote(role_user(Role.PRESIDIUM), congress, 6)


def test_staff_propose_and_approve_through_the_pages(client, congress, staff, hall):
    a, b, c = hall["delegates"][:3]
    CountingBoardMember.objects.create(
        congress=congress, user=UserFactory(), delegate=hall["delegates"][9], is_head=True
    )
    client.force_login(staff)
    response = client.post(
        reverse("bodies:propose"),
        {"kind": "secretariat", "head": str(c.pk), "delegates": [str(a.pk), str(b.pk)]},
    )
    assert response.status_code == 302
    body = Body.objects.get(kind=BodyKind.SECRETARIAT)
    assert [(m.delegate, m.position) for m in body.members.all()] == [
        (c, Position.HEAD),
        (a, Position.MEMBER),
        (b, Position.MEMBER),
    ]
    page = client.get(INDEX).content.decode()
    assert "chưa được đại hội thông qua" in page
    assert "Đại biểu 10" in page  # the counting board, read from the elections app
    client.post(reverse("bodies:approve", args=[body.pk]), {"approval": "Thông qua, 100%."})
    body.refresh_from_db()
    assert body.is_approved
    assert User.objects.get(pk=c.user_id).has_role(Role.SECRETARIAT)


def test_navigation_shows_the_votes_page(client, congress, secretary, role_user, unit):
    client.force_login(secretary)
    assert VOTES in client.get(VOTES).content.decode()
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    assert VOTES not in client.get(reverse("home")).content.decode()


def test_list_pages_have_no_n_plus_one(client, congress, staff, hall):
    client.force_login(staff)
    a, b, c, d = hall["delegates"][:4]
    services.propose_body(staff, congress, BodyKind.PRESIDIUM, [(a, Position.CHAIR)])
    vote(staff, congress, 6)

    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count(INDEX), count(VOTES)
    services.propose_body(
        staff, congress, BodyKind.PRESIDIUM,
        [(a, Position.CHAIR), (b, Position.MEMBER), (c, Position.MEMBER)],
    )  # fmt: skip
    services.propose_body(staff, congress, BodyKind.SECRETARIAT, [(d, Position.HEAD)])
    vote(staff, congress, 7, session=hall["official"])
    vote(staff, congress, 3)
    assert (count(INDEX), count(VOTES)) == one
