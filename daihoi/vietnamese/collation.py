"""Vietnamese collation (domain.md §8) and ballot order of person names.

Levels, each compared over the whole string before the next one:

1. base letters, in the Vietnamese alphabet (ă, â, đ, ê, ô, ơ, ư are letters of their own);
2. tones, syllable by syllable: none < huyền < hỏi < ngã < sắc < nặng;
3. other combining marks (foreign accents such as ö or ç);
4. case, lower before upper;
5. the NFC string itself, so the order is total and equal keys mean equal NFC text.
"""

from __future__ import annotations

import unicodedata
from typing import TypeAlias

from .text import collapse_whitespace, nfc, nfd

__all__ = ["CollationKey", "PersonSortKey", "collation_key", "person_sort_key", "split_person_name"]

# f, j, w, z are not Vietnamese letters; they sit after their Latin neighbours.
ALPHABET: tuple[str, ...] = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_INDEX: dict[str, int] = {letter: i for i, letter in enumerate(ALPHABET)}

# Marks that turn a base letter into another letter of the alphabet (level 1, not level 2).
_LETTER_MARKS = frozenset({"\u0306", "\u0302", "\u031b"})  # breve, circumflex, horn

# Tone marks in their Vietnamese order; 0 (no tone) sorts first.
TONE_MARKS: dict[str, int] = {
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}

# Level-1 character classes: space < punctuation and symbols < digits < Latin < other scripts.
_SPACE, _SYMBOL, _DIGIT, _LATIN, _OTHER_LETTER = range(5)
_CLASS_SHIFT = 21  # every code point fits below 2**21

CollationLevels: TypeAlias = tuple[
    tuple[int, ...], tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...], tuple[int, ...]
]
CollationKey: TypeAlias = tuple[
    tuple[int, ...], tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...], tuple[int, ...], str
]
PersonSortKey: TypeAlias = tuple[
    CollationLevels, CollationLevels, tuple[CollationLevels, ...], CollationKey
]


def _primary(letter: str) -> int:
    """Level-1 weight of one lower-cased base character."""
    if letter in _LETTER_INDEX:
        return (_LATIN << _CLASS_SHIFT) | _LETTER_INDEX[letter]
    if letter.isspace():
        return _SPACE << _CLASS_SHIFT
    if letter.isdecimal():
        # Digits of every script share their value; the final NFC tiebreak separates them.
        return (_DIGIT << _CLASS_SHIFT) | int(letter)
    cls = _OTHER_LETTER if letter.isalpha() else _SYMBOL
    return (cls << _CLASS_SHIFT) | ord(letter)


def _clusters(decomposed: str) -> list[tuple[str, list[str]]]:
    """Split NFD text into (base character, combining marks) clusters."""
    clusters: list[tuple[str, list[str]]] = []
    for ch in decomposed:
        if clusters and _is_mark(ch):
            clusters[-1][1].append(ch)
        elif _is_mark(ch):
            # A stray mark with no base: give it an empty base so nothing is lost.
            clusters.append(("", [ch]))
        else:
            clusters.append((ch, []))
    return clusters


def _is_mark(ch: str) -> bool:
    return unicodedata.combining(ch) != 0 or unicodedata.category(ch) in {"Mn", "Me"}


def collation_key(text: str) -> CollationKey:
    """Sort key implementing Vietnamese collation; NFC and NFD input give the same key."""
    canonical = nfc(text)
    primary: list[int] = []
    tones_by_word: list[tuple[int, ...]] = []
    word_tones: list[int] = []
    other_marks: list[tuple[int, ...]] = []
    case: list[int] = []
    for base, marks in _clusters(nfd(collapse_whitespace(canonical))):
        if base == " ":
            # Tones are compared syllable by syllable, so "hòa" and "hoà" weigh the same.
            tones_by_word.append(tuple(word_tones))
            word_tones = []
        lower = base.lower()
        if len(lower) != 1:
            lower = base
        rest: list[str] = []
        for mark in marks:
            # ă â ê ô ơ ư are letters only on their own bases; "ŭ" keeps a foreign mark.
            composed = nfc(lower + mark) if mark in _LETTER_MARKS else ""
            if composed in _LETTER_INDEX:
                lower = composed
            elif mark in TONE_MARKS:
                word_tones.append(TONE_MARKS[mark])
            else:
                rest.append(mark)
        primary.append(_primary(lower) if lower else _SYMBOL << _CLASS_SHIFT)
        other_marks.append(tuple(ord(m) for m in rest))
        case.append(0 if base == base.lower() else 1)
    tones_by_word.append(tuple(word_tones))
    return (tuple(primary), tuple(tones_by_word), tuple(other_marks), tuple(case), canonical)


def split_person_name(full_name: str) -> tuple[str, str, str]:
    """Split "Family Middle... Given" into (family, middle, given); one word is the given name."""
    words = collapse_whitespace(nfc(full_name)).split(" ")
    if len(words) == 1:
        return ("", "", words[0])
    return (words[0], " ".join(words[1:-1]), words[-1])


def person_sort_key(full_name: str) -> PersonSortKey:
    """Ballot order: given name, then family name, then middle names, then the full string."""
    family, middle, given = split_person_name(full_name)
    # Parts are compared without the NFC tiebreak, so that "Hòa" and "Hoà" (two spellings of
    # one name) still fall back to the family name; the full key keeps the order total.
    middles = tuple(_levels(word) for word in middle.split(" ") if word)
    return (_levels(given), _levels(family), middles, collation_key(full_name))


def _levels(text: str) -> CollationLevels:
    primary, tones, marks, case, _ = collation_key(text)
    return (primary, tones, marks, case)
