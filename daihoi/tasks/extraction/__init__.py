"""Propose tasks from a pasted notice, plan or conclusion (issue #4): rules and a unit directory.

No NER and nothing downloaded: clause splitting, cue words, a deadline grammar and the directory.
"""

from __future__ import annotations

from .directory import (
    Directory,
    builtin_directory,
    directory_from_db,
    directory_from_file,
    directory_with_builtin,
)
from .engine import Deadline, Proposal, extract
from .reader import ReadError, read_path

__all__ = [
    "Deadline",
    "Directory",
    "Proposal",
    "ReadError",
    "builtin_directory",
    "directory_from_db",
    "directory_from_file",
    "directory_with_builtin",
    "extract",
    "read_path",
]
