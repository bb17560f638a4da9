"""The JSON vote (voting.js → the hot path in daihoi/voting/hot.py): the same rules as the form,
the session checked as strictly as Django's own middleware would, and the votes sealed into the
audit chain at close."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from daihoi.audit.checks import run_all
from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role, RoleAssignment
from daihoi.delegates.models import Delegate
from daihoi.voting import hot, services
from daihoi.voting.models import VoteCast
from tests.factories import sign_in
from tests.voting.test_votes import hall  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def open_vote(congress, hall):  # noqa: F811
    chair, voters = hall
    vote = services.open_vote(chair, services.create_vote(chair, congress, "Thông qua Quy chế"))
    return vote, voters


def cast_json(client, vote, choice="yes"):
    return client.post(reverse("voting:cast", args=[vote.pk]), {"choice": choice}, **JSON)


def test_a_json_vote_is_stored_once_and_answered_in_json(client, open_vote):
    vote, voters = open_vote
    client.force_login(voters[0])
    first = cast_json(client, vote, "no")
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    assert first.json() == {
        "choice": "no", "label": "Không tán thành", "changed": False, "can_change": False,
        "message": "Đã ghi nhận phiếu của đồng chí: Không tán thành.",
    }  # fmt: skip
    again = cast_json(client, vote, "yes")
    assert (again.status_code, again.json()["code"]) == (409, "already_voted")
    assert list(VoteCast.objects.values_list("choice", flat=True)) == ["no"]
    assert cast_json(client, vote, "maybe").status_code == 400


def test_the_form_without_javascript_still_works(client, open_vote):
    vote, voters = open_vote
    client.force_login(voters[1])
    response = client.post(reverse("voting:cast", args=[vote.pk]), {"choice": "abstain"})
    assert response.status_code == 302
    assert VoteCast.objects.get().choice == "abstain"


def test_csrf_is_checked(open_vote):
    vote, voters = open_vote
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(voters[0])
    refused = cast_json(browser, vote)
    assert (refused.status_code, refused.json()["code"]) == (403, "csrf")
    page = browser.get(reverse("voting:detail", args=[vote.pk]))
    token = str(page.context["csrf_token"])
    accepted = browser.post(
        reverse("voting:cast", args=[vote.pk]), {"choice": "yes"}, HTTP_X_CSRFTOKEN=token, **JSON
    )
    assert accepted.status_code == 200
    assert VoteCast.objects.count() == 1


def test_signed_out_or_stale_sessions_are_refused(client, open_vote):
    vote, voters = open_vote
    assert cast_json(client, vote).json()["code"] == "signed_out"
    client.force_login(voters[0])
    voters[0].set_password("mật khẩu mới 2026")  # signs the other sessions out
    voters[0].save()
    refused = cast_json(client, vote)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_allowed")
    client.force_login(voters[1])
    voters[1].is_active = False
    voters[1].save()
    assert cast_json(client, vote).status_code == 403
    client.force_login(voters[2])
    type(voters[2]).objects.filter(pk=voters[2].pk).update(must_change_password=True)
    assert cast_json(client, vote).status_code == 403
    assert not VoteCast.objects.exists()


def test_the_second_factor_is_required_where_the_role_needs_it(client, open_vote):
    vote, voters = open_vote
    counter = voters[3]
    RoleAssignment.objects.create(user=counter, role=Role.COUNTING_BOARD)
    client.force_login(counter)  # no TOTP step done
    assert cast_json(client, vote).status_code == 403
    sign_in(client, type(counter).objects.get(pk=counter.pk))  # with a verified device
    assert cast_json(client, vote).status_code == 200


def test_only_voting_seats_vote_and_only_while_open(client, open_vote, role_user, hall):  # noqa: F811
    vote, voters = open_vote
    client.force_login(role_user(Role.PRESS))
    assert cast_json(client, vote).json()["code"] == "not_allowed"
    Delegate.objects.filter(user=voters[4]).update(status="withdrawn")
    client.force_login(voters[4])
    assert cast_json(client, vote).status_code == 403
    chair, _voters = hall
    services.close_vote(chair, vote)
    client.force_login(voters[5])
    closed = cast_json(client, vote)
    assert (closed.status_code, closed.json()["code"]) == (409, "not_open")


def test_changes_when_allowed_are_audited(client, congress, hall):  # noqa: F811
    chair, voters = hall
    vote = services.open_vote(
        chair, services.create_vote(chair, congress, "Thông qua B", allow_change=True)
    )
    client.force_login(voters[0])
    assert cast_json(client, vote, "yes").json()["can_change"] is True
    changed = cast_json(client, vote, "no").json()
    assert changed["changed"] is True and VoteCast.objects.get().choice == "no"
    assert AuditEntry.objects.filter(action="vote.changed").count() == 1


def test_votes_altered_after_close_are_found_by_audit_verify(client, open_vote, hall):  # noqa: F811
    vote, voters = open_vote
    chair, _voters = hall
    for account in voters[:3]:
        services.cast(account, vote, "yes")
    services.close_vote(chair, vote)
    assert run_all() == []
    first = VoteCast.objects.filter(vote=vote).order_by("pk")[0]
    VoteCast.objects.filter(pk=first.pk).update(choice="no")  # behind the application's back
    problems = run_all()
    assert len(problems) == 1 and "đã bị thay đổi sau khi kết thúc" in problems[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's"
)
def test_the_two_vote_statements_are_prepared_once_per_connection(client, open_vote):
    """Django disables psycopg's prepared statements unless a threshold is configured
    (config.database sets one that only explicit prepare=True requests reach)."""
    vote, voters = open_vote
    for voter in voters[:3]:
        client.force_login(voter)
        assert cast_json(client, vote, "yes").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [row[0] for row in cursor.fetchall()]
    assert sum("INSERT INTO voting_votecast" in s for s in prepared) == 1
    assert sum("FROM voting_openvote v CROSS JOIN core_user u" in s for s in prepared) == 1
    assert not any("django_session" in s or 'core_user"."' in s for s in prepared)


# --- a session's later votes: one statement while the user's row is unchanged -----------------


@pytest.fixture
def two_votes(congress, hall):  # noqa: F811
    """Two open votes; each voter casts the first, so the process has admitted their session."""
    chair, voters = hall
    first, second = (
        services.open_vote(chair, services.create_vote(chair, congress, motion))
        for motion in ("Thông qua Quy chế", "Thông qua Chương trình")
    )
    return chair, voters, first, second


def _voted_once(voter, vote) -> Client:
    """A browser of its own for `voter`, signed in, that has cast `vote`."""
    browser = Client()
    browser.force_login(voter)
    assert cast_json(browser, vote).status_code == 200
    return browser


@pytest.fixture
def statements(monkeypatch):
    """Counts the hot statements the vote runs (the real fetch_one still runs them)."""
    calls = []
    real = services.fetch_one

    def counted(sql, params, *args):
        calls.append(sql)
        return real(sql, params, *args)

    monkeypatch.setattr(services, "fetch_one", counted)
    return calls


def test_a_signed_in_sessions_votes_are_one_statement(two_votes, statements):
    chair, voters, first, second = two_votes
    one = 1 if connection.vendor == "postgresql" else 2  # SQLite: the seat, then the INSERT
    browser = Client()
    browser.force_login(voters[0])
    # Sign-in keeps what the session is admitted under in the session (every server process
    # reads it), the password hash only as its digest.
    kept = browser.session[hot.ADMITTED_SESSION_KEY]
    digest = hashlib.sha256(voters[0].password.encode()).hexdigest()
    assert kept == [digest, False, False, False, False]
    assert voters[0].password not in str(dict(browser.session.items()))
    assert cast_json(browser, first).status_code == 200
    assert len(statements) == one
    again = cast_json(browser, first, "no")  # the one statement stores nothing: the usual refusal
    assert (again.status_code, again.json()["code"]) == (409, "already_voted")
    # A session without them (signed in before this release) takes two statements once and
    # keeps them for its next vote.
    session = browser.session
    del session[hot.ADMITTED_SESSION_KEY]
    session.save()
    statements.clear()
    assert cast_json(browser, second, "abstain").status_code == 200
    assert len(statements) == 2 and browser.session[hot.ADMITTED_SESSION_KEY] == kept
    assert VoteCast.objects.get(vote=second).choice == "abstain"
    assert VoteCast.objects.filter(vote=first).count() == 1


def test_every_refusal_still_holds_for_a_session_that_voted_before(two_votes):
    chair, voters, first, second = two_votes
    browsers = [_voted_once(voter, first) for voter in voters[:6]]
    User = type(voters[0])
    voters[0].set_password("mật khẩu mới 2026")  # signs the other sessions out
    voters[0].save()
    User.objects.filter(pk=voters[1].pk).update(is_active=False)
    User.objects.filter(pk=voters[2].pk).update(must_change_password=True)
    RoleAssignment.objects.create(user=voters[3], role=Role.COUNTING_BOARD)  # needs a TOTP step
    Delegate.objects.filter(user=voters[4]).update(status="withdrawn")
    assert [cast_json(browser, second).status_code for browser in browsers[:5]] == [403] * 5
    assert not VoteCast.objects.filter(vote=second).exists()
    services.close_vote(chair, second)
    closed = cast_json(browsers[5], second)
    assert (closed.status_code, closed.json()["code"]) == (409, "not_open")
    assert VoteCast.objects.filter(vote=first).count() == 6
