"""Fixtures shared by the consultation tests."""

from __future__ import annotations

import pytest

from daihoi.core.models import Role
from tests.consultation.factories import make_draft


@pytest.fixture
def moderator(role_user):
    return role_user(Role.MODERATOR)


@pytest.fixture
def draft(db):
    """A draft with one published version open for comments and two sections (the intake and
    public-page tests make theirs through the draft service instead)."""
    return make_draft()
