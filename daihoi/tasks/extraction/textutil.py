"""Length-preserving folding: positions in the folded text are positions in the original."""

from __future__ import annotations

from functools import lru_cache

from daihoi.vietnamese import fold, nfc


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00)]
    for block in ranges:
        for code in block:
            folded = fold(chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    # Non-breaking and other odd spaces become plain spaces (one for one).
    for code in (0xA0, 0x2007, 0x202F):
        table[code] = " "
    return table


_TABLE = _build_table()


@lru_cache(maxsize=8192)
def fold_keep(text: str) -> str:
    """Lower-case and strip diacritics character by character; ``len`` is unchanged.

    The input must be NFC (see ``prepare``).
    """
    return text.translate(_TABLE)


def prepare(text: str) -> str:
    """NFC, unified line ends and spaces; zero-width characters removed."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    for ch in ("\u200b", "\u200c", "\u200d", "\ufeff"):
        text = text.replace(ch, "")
    return text.replace("\u00a0", " ")
