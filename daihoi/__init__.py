"""daihoi — preparing and running a Party committee congress."""

__version__ = "0.1.0"
