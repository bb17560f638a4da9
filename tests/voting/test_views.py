"""Vote pages: the presidium creates, opens, closes and publishes; a delegate votes with one
button and sees their own vote; the projector and the JSON fallback."""

from __future__ import annotations

import pytest
from django.urls import reverse

from daihoi.core.models import Role
from daihoi.voting import services
from daihoi.voting.models import OpenVote, VoteCast, VoteState
from tests.voting.test_votes import hall  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_presidium_runs_a_vote_and_a_delegate_votes(client, congress, hall):  # noqa: F811
    chair, voters = hall
    client.force_login(chair)
    response = client.post(reverse("voting:list"), {"motion": "Thông qua Chương trình Đại hội"})
    vote = OpenVote.objects.get()
    assert response.url == reverse("voting:detail", args=[vote.pk])
    client.post(reverse("voting:step", args=[vote.pk, "open"]))
    vote.refresh_from_db()
    assert vote.state == VoteState.OPEN

    client.force_login(voters[0])
    page = client.get(reverse("voting:detail", args=[vote.pk]))
    assert 'name="choice" value="yes"' in page.text
    client.post(reverse("voting:cast", args=[vote.pk]), {"choice": "yes"})
    page = client.get(reverse("voting:detail", args=[vote.pk]))
    assert "Phiếu của đồng chí" in page.text and 'name="choice"' not in page.text
    client.post(reverse("voting:cast", args=[vote.pk]), {"choice": "no"})  # refused
    assert VoteCast.objects.get(vote=vote).choice == "yes"
    assert client.post(reverse("voting:step", args=[vote.pk, "close"])).status_code == 403

    figures = client.get(reverse("voting:figures", args=[vote.pk])).json()
    assert (figures["received"], figures["base"], figures["passed"]) == (1, 10, None)
    client.force_login(chair)
    client.post(reverse("voting:step", args=[vote.pk, "close"]))
    projector = client.get(reverse("voting:projector", args=[vote.pk]))
    assert "KHÔNG ĐƯỢC THÔNG QUA" in projector.text  # 1 of a base of 10


def test_outsiders_are_refused(client, congress, hall, role_user, unit):  # noqa: F811
    chair, _voters = hall
    vote = services.create_vote(chair, congress, "Thông qua X")
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    assert client.get(reverse("voting:list")).status_code == 403
    assert client.get(reverse("voting:projector", args=[vote.pk])).status_code == 403
