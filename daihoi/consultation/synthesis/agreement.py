"""General agreement (ý kiến nhất trí chung): short comments that only agree, thank or praise.

The rule works on the folded matching key, so "Nhất trí!", "nhat tri" and "NHẤT TRÍ ạ" are read
alike. A comment is general agreement when it has at most ``MAX_WORDS`` words, contains at least
one agreement phrase ("nhất trí", "đồng ý", "tán thành", "ủng hộ", "cảm ơn", "tuyệt vời", …) and
every other word is a filler: a pronoun or form of address ("tôi", "chúng tôi", "em", "ad"), a
politeness or intensity particle ("ạ", "nhé", "rất", "hoàn toàn"), the name of what is agreed to
("dự thảo", "văn kiện", "báo cáo chính trị", "nội dung") or a number. Any other word makes the
comment substantive — in particular "không" and "chưa", so "không đồng ý" and "chưa nhất trí" are
never set apart, nor "đồng ý nhưng cần sửa mục 3".
"""

from __future__ import annotations

from .normalise import match_key

__all__ = ["AGREEMENT_PHRASES", "FILLERS", "MAX_WORDS", "is_agreement"]

MAX_WORDS = 20

# Folded phrases; longer phrases are tried first.
AGREEMENT_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(p.split())
            for p in (
                "nhat tri",
                "nhat tri cao",
                "dong y",
                "tan thanh",
                "tan dong",
                "ung ho",
                "cam on",
                "dong tinh",
                "thong nhat",
                "hoan nghenh",
                "chap thuan",
                "chuc mung",
                "tuyet voi",
                "xuat sac",
                "dung dan",
                "y nghia",
                "huu ich",
                "hay",
                "tot",
                "ok",
                "oke",
                "okie",
                "okay",
                "like",
            )
        ),
        key=len,
        reverse=True,
    )
)

_FILLERS_TEXT = """
    toi chung em e minh xin kinh rat hoan toan that su voi cac nay do day
    ban b ad add admin a ah anh chi ac ace moi nguoi ca
    nhieu lam qua nhe nha ne nhi vang da roi nua luon cung va ve cua
    du thao soan van kien noi dung y bao cao chinh tri phuong huong nhiem vu ke hoach de an
    nghi quyet dang bo thanh uy chap hanh trung uong muc phan chuong dieu
    """
FILLERS: frozenset[str] = frozenset(_FILLERS_TEXT.split())


def is_agreement(text: str, *, folded: bool = False) -> bool:
    """True when the comment only agrees, thanks or praises (see the module docstring).

    ``folded=True`` says ``text`` is already a matching key (saves normalising twice)."""
    words = (text if folded else match_key(text)).split()
    if not words or len(words) > MAX_WORDS:
        return False
    found = False
    i = 0
    while i < len(words):
        for phrase in AGREEMENT_PHRASES:
            if tuple(words[i : i + len(phrase)]) == phrase:
                found = True
                i += len(phrase)
                break
        else:
            if words[i] not in FILLERS and not words[i].isdigit():
                return False
            i += 1
    return found
