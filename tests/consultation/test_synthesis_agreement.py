"""The "general agreement" rule, on real comments and on what a consultation form receives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from daihoi.consultation.synthesis.agreement import is_agreement
from daihoi.vietnamese import nfd

FEEDBACK = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "feedback"


def real_texts() -> list[str]:
    lines = []
    for name in ("ubs-train.txt", "ubs-test.txt"):
        for line in (FEEDBACK / name).read_text(encoding="utf-8").splitlines():
            lines.append(re.sub(r"__label__\S+\s*", "", line).strip())
    return lines


@pytest.mark.parametrize(
    "text",
    [
        "Nhất trí",
        "nhat tri",
        "Tôi hoàn toàn nhất trí với dự thảo.",
        "Đồng ý với dự thảo",
        "ĐỒNG Ý!!!",
        "Tán thành",
        "Chúng tôi nhất trí cao với báo cáo chính trị",
        "Ủng hộ dự thảo ạ",
        "Cảm ơn ban soạn thảo",
        "cam on a",
        "Tks ad",
        nfd("Hoàn toàn đồng ý"),
    ],
)
def test_agreement(text: str) -> None:
    assert is_agreement(text)


@pytest.mark.parametrize(
    "text",
    [
        "Không đồng ý",
        "Chưa nhất trí với mục 3",
        "Đồng ý nhưng cần sửa mục 3",
        "Nhất trí, đề nghị bổ sung chỉ tiêu về nhà ở xã hội",
        "Đề nghị bổ sung chỉ tiêu về nhà ở xã hội",
        "Cần tư vấn mà add k rep",
        "",
        "😀😀",
        # Long comments are substantive even if every word were a filler.
        "tôi " * 25 + "nhất trí",
    ],
)
def test_not_agreement(text: str) -> None:
    assert not is_agreement(text)


def test_real_lines() -> None:
    """Real short thanks are set apart; real complaints and questions are not."""
    texts = real_texts()
    agreed = [t for t in texts if is_agreement(t)]
    for line in ("Cảm ơn ad", "Cảm ơn bạn", "Tks ad", "Cám ơn ad nhé", "vâng e cảm ơn", "Hay quá"):
        assert line in texts and line in agreed
    for line in (
        "Hotline khó gọi quá gọi mãi ko thưa máy à",
        "Cần tư vấn mà add  k rep",
        "Lãi xuất vay cao quá!",
        "Không có tên , buồn quá!",
    ):
        assert line in texts and line not in agreed
    # Measured 333 of 2,471 (13 %): the bank page's many "cảm ơn ad" replies.
    assert 300 <= len(agreed) <= 360
    assert all(len(t.split()) <= 20 for t in agreed)
