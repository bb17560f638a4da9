"""Fixtures for the congress bodies: the delegates' current congress and staff accounts."""

from tests.delegates.conftest import congress, staff  # noqa: F401
