"""The read-only admin and the audit page for the roles that may read the chain."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from daihoi.audit.admin import AuditEntryAdmin
from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role, RoleAssignment, User
from tests.audit.helpers import build_chain

pytestmark = pytest.mark.django_db


def test_admin_is_read_only_even_for_a_superuser():
    model_admin = admin.site._registry[AuditEntry]
    assert isinstance(model_admin, AuditEntryAdmin)
    request = RequestFactory().get("/")
    request.user = User.objects.create(username="quantri", is_staff=True, is_superuser=True)
    entry = build_chain(1)[0]
    assert model_admin.has_view_permission(request, entry)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert "delete_selected" not in model_admin.get_actions(request)


def _standing_member() -> User:
    user = User.objects.create(username="thuongtruc")
    RoleAssignment.objects.create(user=user, role=Role.SUBCOMMITTEE_STANDING)
    return user


def test_audit_page_lists_rows_newest_first_and_filters_by_action(client):
    client.force_login(_standing_member())  # itself recorded as auth.login, row 1
    build_chain(2)
    page = client.get(reverse("audit_list"))
    assert page.status_code == 200
    assert [e.seq for e in page.context["object_list"]] == [3, 2, 1]
    filtered = client.get(reverse("audit_list"), {"hanhdong": "auth."})
    assert [e.action for e in filtered.context["object_list"]] == ["auth.login"]


def test_audit_page_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    client.force_login(_standing_member())
    build_chain(1)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("audit_list"))
    build_chain(3)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("audit_list"))


def test_audit_page_is_refused_to_other_roles(client):
    user = User.objects.create(username="daibieu")
    RoleAssignment.objects.create(user=user, role=Role.DELEGATE)
    client.force_login(user)
    assert client.get(reverse("audit_list")).status_code == 403
