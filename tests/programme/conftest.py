"""Programme tests use the delegates' congress and staff fixtures."""

from tests.delegates.conftest import congress, staff  # noqa: F401
