from __future__ import annotations

import pytest

from daihoi.core.models import Role


@pytest.fixture
def admin(role_user):
    return role_user(Role.SYSTEM_ADMIN)


@pytest.fixture
def standing(role_user):
    return role_user(Role.SUBCOMMITTEE_STANDING)


@pytest.fixture
def member(role_user):
    return role_user(Role.SUBCOMMITTEE_MEMBER)


@pytest.fixture
def organising(role_user):
    return role_user(Role.ORGANISING_STAFF)


@pytest.fixture
def liaison(role_user, unit):
    return role_user(Role.UNIT_LIAISON, unit=unit)


@pytest.fixture
def delegate(role_user):
    return role_user(Role.DELEGATE)
