"""The synthesis engine: duplicates and campaigns, sections, the incremental path and the model's
serialisation. Plain Python: no database."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

from daihoi.consultation.synthesis import (
    SectionModel,
    assign,
    synthesize,
    synthesize_section,
)
from daihoi.consultation.synthesis.duplicates import find_duplicates
from daihoi.consultation.synthesis.normalise import match_key

FEEDBACK = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "feedback"

BASE = (
    "Đề nghị bổ sung chỉ tiêu về phát triển nhà ở xã hội cho công nhân các khu công nghiệp, "
    "vì giá nhà hiện nay quá cao so với thu nhập"
)
OTHERS = [
    "Cần nói rõ hơn giải pháp chống ùn tắc giao thông ở nội thành, nhất là giờ cao điểm",
    "Dự thảo chưa nhắc đến việc nâng cấp trường học ở các xã ngoại thành",
    "Tôi đề nghị tăng cường kiểm tra an toàn thực phẩm tại chợ dân sinh",
    "Mục 3 nên có chỉ tiêu cụ thể về tỷ lệ hộ nghèo cuối nhiệm kỳ",
    "Cải cách hành chính cần đi vào thực chất, giảm giấy tờ cho người dân và doanh nghiệp",
    "Ô nhiễm không khí ở thành phố đang rất nghiêm trọng, cần có giải pháp mạnh hơn",
]


def _real() -> list[tuple[str, str]]:
    out = []
    for name in ("ubs-train.txt", "ubs-test.txt"):
        for line in (FEEDBACK / name).read_text(encoding="utf-8").splitlines():
            label = re.findall(r"__label__([A-Z_]+)#", line)[0]
            out.append((label, re.sub(r"__label__\S+\s*", "", line).strip()))
    return out


def real_texts() -> list[str]:
    return [t for _, t in _real()]


def real_aspects() -> list[str]:
    return [a for a, _ in _real()]


def test_exact_and_near_duplicates_are_grouped_and_strangers_are_not() -> None:
    variants = [
        BASE,
        BASE,  # exact copy
        "de nghi bo sung chi tieu ve phat trien nha o xa hoi cho cong nhan cac khu cong nghiep, "
        "vi gia nha hien nay qua cao so voi thu nhap",  # typed without diacritics
        BASE.replace("công nhân", "côngg nhân"),  # a typo
        BASE + ". Xin cảm ơn!",  # a short addition
    ]
    keys = [match_key(t) for t in variants + OTHERS]
    index = find_duplicates(keys)
    groups = [g.tolist() for g in index.groups()]
    assert groups == [[0, 1, 2, 3, 4]]
    assert index.label[:5].tolist() == [0] * 5
    assert len(set(index.label[5:].tolist())) == len(OTHERS)


def test_campaign_flag_uses_the_size_threshold() -> None:
    items = [(f"c{i}", BASE if i % 3 else BASE + " Đồng tình!") for i in range(25)]
    items += [(f"d{i}", OTHERS[0] + " ạ" * (i % 2)) for i in range(19)]
    items += [(f"o{i}", t) for i, t in enumerate(OTHERS[1:])]
    result = synthesize_section("Mục 1", items, campaign_size=20)
    assert [len(g) for g in result.duplicates] == [25, 19]
    assert result.campaigns == [[f"c{i}" for i in range(25)]]
    assert synthesize_section("Mục 1", items, campaign_size=19).campaigns == result.duplicates


def test_sections_are_separate_and_every_comment_is_placed() -> None:
    rows = []
    for s in range(3):
        for i, text in enumerate(OTHERS + [BASE, BASE, "Nhất trí", "😀😀"]):
            rows.append((f"s{s}-{i}", f"Mục {s + 1}", text))
    seen = []
    result = synthesize(rows, progress=lambda section, done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert [s.section for s in result.sections] == ["Mục 1", "Mục 2", "Mục 3"]
    data = result.to_json()
    assert data["duplicates"] == [[f"s{s}-6", f"s{s}-7"] for s in range(3)]
    assert data["agreement"] == [f"s{s}-8" for s in range(3)]
    assert data["empty"] == [f"s{s}-9" for s in range(3)]
    for group in data["groups"]:
        assert {i.split("-")[0] for i in group["ids"]} == {f"s{int(group['section'][-1]) - 1}"}
        assert group["representative"] in group["ids"]
        assert group["size"] == len(group["ids"])
    placed = sorted(i for g in data["groups"] for i in g["ids"])
    assert placed == sorted(r[0] for r in rows if r[0][-1] not in "89")


def test_tiny_and_empty_sections() -> None:
    assert synthesize([]).to_json()["groups"] == []
    one = synthesize([("1", "A", "Cần thêm cây xanh ở các khu đô thị mới")]).to_json()
    assert one["groups"][0]["ids"] == ["1"] and one["groups"][0]["representative"] == "1"
    only_agreement = synthesize([("1", "A", "Nhất trí"), ("2", "A", "")]).to_json()
    assert only_agreement["groups"] == [] and only_agreement["agreement"] == ["1"]
    assert only_agreement["empty"] == ["2"]


@pytest.fixture(scope="module")
def split():
    texts = real_texts()
    rows = [(i, t) for i, t in enumerate(texts)]
    first, later = rows[:2000], rows[2000:]
    fitted = synthesize_section("real", first, seed=0, keep_model=True)
    batch = synthesize_section("real", rows, seed=0)
    return rows, first, later, fitted, batch


def _pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
    return {(a, b) for g in groups for a in g for b in g if a < b}


def test_assign_places_new_comments_like_the_batch(split) -> None:
    rows, first, later, fitted, batch = split
    model = copy.deepcopy(fitted.model)
    placed = assign(model, later)
    assert len(placed) == len(later)
    batch_agreement = set(batch.agreement)
    assert {p.id for p in placed if p.kind == "agreement"} == batch_agreement - set(
        fitted.agreement
    )
    # Duplicates: every pair the batch finds is found incrementally, and nothing else.
    incremental = _pairs(model.duplicate_groups())
    assert incremental == _pairs(batch.duplicates)
    # Earlier comments keep their groups; a new comment's duplicates are listed.
    before = sorted(g.ids for g in fitted.groups)
    after = sorted([i for i in g.ids if i < 2000] for g in model.groups())
    assert before == [ids for ids in after if ids]
    for p in placed:
        if p.kind == "comment" and p.duplicates:
            mine = next(g for g in model.duplicate_groups() if p.id in g)
            assert sorted(p.duplicates) == sorted(i for i in mine if i != p.id)
    # Topics: the incremental grouping matches the aspect labels as well as a batch refit on
    # all 2,471 lines (measured NMI 0.265 vs 0.256; on the 471 new lines 0.196 vs 0.209), and
    # agrees with that refit 0.53, where two refits with seeds 0 and 1 agree 0.66.
    aspects = real_aspects()
    inc = {i: g for g, group in enumerate(model.groups()) for i in group.ids}
    full = {i: g for g, group in enumerate(batch.groups) for i in group.ids}
    assert sorted(inc) == sorted(full)
    common = sorted(full)
    new = [i for i in common if i >= 2000]

    def nmi(ids, a, b):
        return normalized_mutual_info_score([a[i] for i in ids], [b[i] for i in ids])

    assert nmi(common, aspects, inc) >= 0.95 * nmi(common, aspects, full)
    assert nmi(new, aspects, inc) >= 0.85 * nmi(new, aspects, full)
    other = synthesize_section("real", rows, seed=1)
    seeded = {i: g for g, group in enumerate(other.groups) for i in group.ids}
    assert nmi(common, inc, full) >= 0.75 * nmi(common, seeded, full)


def test_assign_puts_a_copy_with_its_original(split) -> None:
    _, first, _, fitted, _ = split
    model = copy.deepcopy(fitted.model)
    target = next(g for g in fitted.groups if len(g.ids) >= 5)
    original = target.ids[1]
    text = dict(first)[original]
    placed = assign(model, [("new-1", text), ("new-2", text.upper() + "!!!")])
    assert placed[0].group == placed[1].group
    assert original in placed[0].duplicates and "new-2" in placed[0].duplicates
    assert model.topics.terms[placed[0].group] == target.terms


def test_model_round_trip(split) -> None:
    _, _, later, fitted, _ = split
    data = fitted.model.to_bytes()
    restored = SectionModel.from_bytes(data)
    assert restored.to_bytes() == data
    assert restored.ids == fitted.model.ids
    assert [(g.terms, g.ids, g.representative) for g in restored.groups()] == [
        (g.terms, g.ids, g.representative) for g in fitted.groups
    ]
    one = assign(copy.deepcopy(fitted.model), later[:200])
    two = assign(restored, later[:200])
    assert one == two


def test_from_bytes_refuses_anything_else() -> None:
    with pytest.raises(ValueError):
        SectionModel.from_bytes(b"not a model")
    out = io.BytesIO()
    np.savez(out, header=np.frombuffer(b'{"format": "other"}', dtype=np.uint8))
    with pytest.raises(ValueError):
        SectionModel.from_bytes(out.getvalue())
    # Object arrays would need pickle: refused.
    out = io.BytesIO()
    np.savez(out, header=np.array([{"format": 1}], dtype=object))
    with pytest.raises(ValueError):
        SectionModel.from_bytes(out.getvalue())
