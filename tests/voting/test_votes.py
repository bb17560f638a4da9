"""Open electronic votes: the state machine, one vote per delegate, changes only when allowed,
the result against the base, the named list, and the batched live counters."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from django.db import connection, connections
from django.utils import timezone

from daihoi.audit.checks import run_all
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import Attendance, Category, Session
from daihoi.voting import services
from daihoi.voting.models import OpenVote, VoteCast, VoteState
from daihoi.voting.routing import websocket_urlpatterns
from tests.delegates.test_base import make
from tests.factories import make_user_with_role
from tests.websocket import Socket


def seat(congress, name, category=Category.ELECTED, **fields):
    account = make_user_with_role(Role.DELEGATE)
    return make(congress, name, category, user=account, **fields), account


@pytest.fixture
def hall(congress):
    """Ten official delegates, all present: the base is 10."""
    session = Session.objects.create(
        congress=congress, name="Phiên biểu quyết", kind="official", starts_at=timezone.now()
    )
    voters = [seat(congress, f"Đại biểu {i}") for i in range(10)]
    for delegate, _account in voters:
        Attendance.objects.create(delegate=delegate, session=session, present_at=timezone.now())
    chair = make_user_with_role(Role.PRESIDIUM)
    return chair, [account for _delegate, account in voters]


@pytest.mark.django_db
def test_state_machine_and_result_against_the_base(congress, hall):
    chair, voters = hall
    vote = services.create_vote(chair, congress, "Thông qua Quy chế làm việc của Đại hội")
    with pytest.raises(InvalidInput):
        services.cast(voters[0], vote, "yes")  # not open yet
    with pytest.raises(InvalidInput):
        services.close_vote(chair, vote)  # cannot close what is not open
    vote = services.open_vote(chair, vote)
    assert (vote.state, vote.base) == (VoteState.OPEN, 10)
    for account in voters[:5]:
        services.cast(account, vote, "yes")
    services.cast(voters[5], vote, "no")
    services.cast(voters[6], vote, "abstain")
    outcome = services.result(vote)
    assert (outcome.yes, outcome.no, outcome.abstain, outcome.passed) == (5, 1, 1, False)
    services.cast(voters[7], vote, "yes")  # 6 of a base of 10: more than half
    vote = services.close_vote(chair, vote)
    assert vote.final_counts == {"yes": 6, "no": 1, "abstain": 1}
    outcome = services.result(vote)
    assert outcome.passed and outcome.percent_yes == "60,00%"
    with pytest.raises(InvalidInput):
        services.cast(voters[8], vote, "yes")  # closed
    assert services.named_list(vote) is None
    vote = services.publish_vote(chair, vote)
    names = [(c.delegate.full_name, c.choice) for c in services.named_list(vote)]
    assert len(names) == 8 and ("Đại biểu 5", "no") in names
    assert services.my_vote(voters[5], vote).choice == "no"


@pytest.mark.django_db
def test_one_vote_per_delegate_and_changes_only_when_allowed(congress, hall):
    chair, voters = hall
    fixed = services.open_vote(chair, services.create_vote(chair, congress, "Thông qua A"))
    services.cast(voters[0], fixed, "yes")
    with pytest.raises(InvalidInput) as caught:
        services.cast(voters[0], fixed, "no")
    assert caught.value.code == "already_voted"
    changeable = services.open_vote(
        chair, services.create_vote(chair, congress, "Thông qua B", allow_change=True)
    )
    services.cast(voters[0], changeable, "yes")
    services.cast(voters[0], changeable, "no")
    assert VoteCast.objects.get(vote=changeable).choice == "no"
    assert VoteCast.objects.filter(vote=changeable).count() == 1


@pytest.mark.django_db
def test_who_may_vote_and_who_runs_the_vote(congress, hall, staff, role_user):
    chair, voters = hall
    with pytest.raises(NotAllowed):
        services.create_vote(voters[0], congress, "Không được tạo")
    vote = services.open_vote(chair, services.create_vote(staff, congress, "Thông qua C"))
    spare, spare_account = seat(congress, "Dự khuyết chưa thay ai", Category.RESERVE)
    with pytest.raises(NotAllowed):
        services.cast(spare_account, vote, "yes")
    with pytest.raises(NotAllowed):
        services.cast(role_user(Role.PRESS), vote, "yes")
    with pytest.raises(InvalidInput):
        services.cast(voters[0], vote, "maybe")


@pytest.mark.django_db(transaction=True)
def test_a_double_vote_is_refused_under_concurrency(congress, hall):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "The in-memory SQLite test database cannot queue writers from threads; this runs "
            "on PostgreSQL (CI's second pass)."
        )
    chair, voters = hall
    vote = services.open_vote(chair, services.create_vote(chair, congress, "Thông qua D"))
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def press(choice: str) -> None:
        try:
            barrier.wait()
            services.cast(voters[0], vote, choice)
            outcomes.append("stored")
        except InvalidInput as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=("yes",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_voted"] * 7 + ["stored"]
    assert VoteCast.objects.filter(vote=vote).count() == 1


@pytest.mark.django_db(transaction=True)
def test_live_counters_are_batched(congress, hall):
    chair, voters = hall
    vote = services.open_vote(chair, services.create_vote(chair, congress, "Thông qua E"))
    outsider = make_user_with_role(Role.UNIT_LIAISON, unit=congress.convening_committee)

    async def scenario():
        screen = Socket(URLRouter(websocket_urlpatterns), f"/ws/bieu-quyet/{vote.pk}/", chair)
        assert (await screen.connect())[0]
        first = await screen.receive_json(timeout=2)
        assert (first["received"], first["base"]) == (0, 10)
        for account in voters:
            await sync_to_async(services.cast)(account, vote, "yes")
        await asyncio.sleep(0.8)
        pushes = []
        while not await screen.receive_nothing(timeout=0.3):
            pushes.append(await screen.receive_json(timeout=1))
        assert pushes and pushes[-1]["received"] == 10
        assert len(pushes) <= 4, "one message per vote: counters must be batched per interval"
        await screen.disconnect()
        path = f"/ws/bieu-quyet/{vote.pk}/"
        refused = Socket(URLRouter(websocket_urlpatterns), path, outsider)
        assert (await refused.connect())[1] == 4403

    async_to_sync(scenario)()


def _admitted(account) -> services.Admitted:
    """What the hot path keeps in a signed-in delegate's session (voting/hot.py)."""
    seat = services.Seat(account.password, True, False, False, None, "", False)
    return services.Admitted.of(seat)


@pytest.mark.django_db(transaction=True)
def test_the_one_statement_vote_under_concurrency_and_a_racing_close(congress, hall):
    """The seat's statement that stores the vote: still one vote per delegate, and a close that
    races the casts counts every vote answered as stored and no other (the digest sealed at
    close matches the table afterwards)."""
    if connection.vendor != "postgresql":
        pytest.skip("The one-statement vote is PostgreSQL's (an INSERT inside WITH).")
    chair, voters = hall
    outcomes: list[tuple[int, str]] = []

    def race(vote, presses, close_after=None) -> None:
        barrier = threading.Barrier(len(presses) + (close_after is not None))

        def press(account, delay) -> None:
            connection.ensure_connection()
            try:
                barrier.wait()
                time.sleep(delay)
                services.cast_as(account.pk, vote.pk, "yes", None, _admitted(account))
                outcomes.append((account.pk, "stored"))
            except InvalidInput as exc:
                outcomes.append((account.pk, exc.code))
            finally:
                connections.close_all()

        def close() -> None:
            connection.ensure_connection()
            try:
                barrier.wait()
                time.sleep(close_after)
                services.close_vote(chair, OpenVote.objects.get(pk=vote.pk))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=press, args=pair) for pair in presses]
        if close_after is not None:
            threads.append(threading.Thread(target=close))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    twice = services.open_vote(chair, services.create_vote(chair, congress, "Thông qua F"))
    race(twice, [(voters[0], 0)] * 8)
    assert sorted(code for _pk, code in outcomes) == ["already_voted"] * 7 + ["stored"]
    outcomes.clear()
    closing = services.open_vote(chair, services.create_vote(chair, congress, "Thông qua G"))
    race(closing, [(account, 0.004 * n) for n, account in enumerate(voters)], close_after=0.02)
    stored = {pk for pk, code in outcomes if code == "stored"}
    assert {code for _pk, code in outcomes} <= {"stored", "not_open"} and len(outcomes) == 10
    rows = set(VoteCast.objects.filter(vote=closing).values_list("delegate__user_id", flat=True))
    assert rows == stored  # every vote answered as stored is in the table, and no other
    assert run_all() == []  # none landed after the close (the sealed digest still matches)
