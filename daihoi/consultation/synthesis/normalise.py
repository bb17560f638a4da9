"""Normalisation of public comments for matching and for topic words.

Two forms of one comment are used:

- ``clean(text)``: NFC, lower case, URLs and e-mail addresses removed, every character that is not
  a letter or a digit (punctuation, emoji, symbols) turned into a space, letters typed three or more
  times in a row ("quáaaa") kept once, a few unambiguous informal abbreviations written out
  ("ko" -> "không", "đc" -> "được"), whitespace collapsed. Diacritics are kept: pyvi needs them.
- ``match_key(text)``: ``clean`` folded with :func:`daihoi.vietnamese.fold` (no diacritics, đ -> d),
  so "Đồng ý" and "dong y" give the same key. Duplicates and the agreement rule work on it.

Both are idempotent and return NFC text.
"""

from __future__ import annotations

import re

from daihoi.vietnamese import fold, nfc

__all__ = ["ABBREVIATIONS", "clean", "match_key", "match_tokens"]

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
# Three or more of the same letter: no Vietnamese word has that ("quáaaa", "hayyyy").
_ELONGATED = re.compile(r"([^\W\d_])\1{2,}")

# Informal abbreviations that have one reading in comments. Ambiguous ones are left alone on
# purpose: "kh" (khách hàng / không), "dt" (dự thảo / điện thoại), "nv" (nhân viên / nhiệm vụ),
# "hk" (học kỳ / không), "v" (vậy / về), "tr" (triệu / trường).
ABBREVIATIONS: dict[str, str] = {
    "ko": "không",
    "k": "không",  # not after a number: "50 k" is fifty thousand
    "kg": "không",
    "khg": "không",
    "hok": "không",
    "khong": "không",
    "đc": "được",
    "dc": "được",
    "đk": "được",
    "vs": "với",
    "ntn": "như thế nào",
    "j": "gì",
    "mk": "mình",
    "ng": "người",
    "cty": "công ty",
    "tks": "cảm ơn",
    "thks": "cảm ơn",
    "thanks": "cảm ơn",
    "thank": "cảm ơn",
    "camon": "cảm ơn",
}
_UNIT_AFTER_NUMBER = frozenset({"k"})
# The same table on folded text ("khong" is already the folded "không": nothing to do).
_FOLDED_ABBREVIATIONS = {
    fold(short): fold(full) for short, full in ABBREVIATIONS.items() if fold(short) != fold(full)
}


# Not a letter, digit or combining mark (marks NFC could not compose stay with their letter,
# e.g. "i̇" from "İ"); "_" is a word character for `re` but punctuation here.
_NOT_WORD = re.compile(r"[^\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]|_")


def clean(text: str) -> str:
    """Return the cleaned comment, diacritics kept (see the module docstring)."""
    return _clean(text, ABBREVIATIONS)


def _clean(text: str, abbreviations: dict[str, str]) -> str:
    lowered = nfc(nfc(text).lower())
    if "@" in lowered or "http" in lowered or "www." in lowered:
        lowered = _URL.sub(" ", lowered)
    kept = _NOT_WORD.sub(" ", lowered)
    kept = _ELONGATED.sub(r"\1", kept)
    words = kept.split()
    out: list[str] = []
    for i, word in enumerate(words):
        full = abbreviations.get(word)
        if full is None or (word in _UNIT_AFTER_NUMBER and i and words[i - 1].isdigit()):
            out.append(word)
        else:
            out.append(full)
    return nfc(" ".join(out))


def match_key(text: str, *, cleaned: bool = False) -> str:
    """Return the folded matching key: ``fold(clean(text))``; "Đồng ý!!" -> "dong y".

    ``cleaned=True`` says ``text`` is already ``clean(text)`` (saves cleaning twice)."""
    key = fold(text if cleaned else clean(text))
    # Fast path (nearly every comment): nothing that a second round could change.
    if not _ELONGATED.search(key) and _FOLDED_ABBREVIATIONS.keys().isdisjoint(key.split()):
        return key
    # Folding can join letters into a new run or an abbreviation ("kôoo" -> "kooo" -> "ko");
    # one or two more rounds reach the fixed point, so the key is idempotent.
    for _ in range(4):
        again = _clean(key, _FOLDED_ABBREVIATIONS)
        if again == key:  # key is folded already, so fold(again) == again
            break
        key = fold(again)
    return key


def match_tokens(text: str) -> list[str]:
    """The words of ``match_key(text)``."""
    return match_key(text).split()
