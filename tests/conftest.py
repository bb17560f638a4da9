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


@pytest.fixture(autouse=True)
def _register_reference_data(request):
    """The register's types and issuers come from a data migration; a transactional test ends
    with a flush that empties them for the next test on the same worker, so put them back."""
    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("_django_db_helper")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    import importlib

    from django.apps import apps

    importlib.import_module("daihoi.documents.migrations.0002_reference_data").load(apps, None)


@pytest.fixture(scope="session", autouse=True)
def _no_leaked_postgresql_sessions(django_db_setup, django_db_blocker):
    """Threads in tests (live server, concurrent appends) may leave a connection open, and
    PostgreSQL refuses to drop a test database that another session still uses. This fixture
    is set up after the test database, so it is torn down before pytest-django drops it."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
