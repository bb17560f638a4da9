"""Shared fixtures: real database rows built with factories, no mocks."""

from __future__ import annotations

import pytest

from tests.factories import UnitFactory, UserFactory, make_user_with_role


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit(db):
    return UnitFactory()


@pytest.fixture
def other_unit(db):
    return UnitFactory()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def role_user(db):
    """Factory fixture: role_user("unit_liaison", unit=u) → a user holding that role."""
    return make_user_with_role
