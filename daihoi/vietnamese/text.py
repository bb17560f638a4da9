"""Unicode normalisation and diacritic folding for Vietnamese text."""

from __future__ import annotations

import unicodedata

__all__ = ["collapse_whitespace", "fold", "nfc", "nfd"]


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form every stored text uses (domain.md §8)."""
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    """Return ``text`` in Unicode NFD (base letters followed by combining marks)."""
    return unicodedata.normalize("NFD", text)


def collapse_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space and strip both ends."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Fold ``text`` for matching what people type: "Tôi  Đồng ý" -> "toi dong y".

    Lower-cases (casefold, so "ß" matches "ss"), drops every combining mark, maps đ to d and
    collapses whitespace. Accepts NFC or NFD input.
    """
    # Casefold first: it may itself produce combining marks (e.g. "İ" -> "i" + dot above).
    decomposed = nfd(text.casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # đ has no decomposition in Unicode, so it must be mapped by hand.
    stripped = stripped.replace("đ", "d")
    # Recompose what is left (e.g. Hangul) so the result is stable under a second fold.
    return collapse_whitespace(nfc(stripped))
