from tests.delegates.conftest import congress, staff  # noqa: F401  (pytest fixtures)
