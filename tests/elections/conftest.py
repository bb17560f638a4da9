"""Election tests reuse the delegates' fixtures: a current congress and an organiser."""

from tests.delegates.conftest import congress, staff  # noqa: F401  (pytest fixtures)
