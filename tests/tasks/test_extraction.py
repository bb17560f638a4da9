"""Task proposals from notices (issue #4): the engine on invented fixtures and on notice 2682."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from daihoi.tasks.extraction import builtin_directory, directory_from_file, extract
from daihoi.tasks.extraction.directory import Directory, UnitEntry

FIXTURES = Path(__file__).parent / "extraction_fixtures"
ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared" / "data"


def _run(name: str, directory: Directory | None = None) -> list[dict]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [p.to_json() for p in extract(text, directory)]


def _find(tasks: list[dict], words: str) -> dict:
    hits = [t for t in tasks if words.lower() in t["text"].lower()]
    assert len(hits) == 1, (words, [t["text"] for t in tasks])
    return hits[0]


def test_bullets_under_a_giao_intro_inherit_the_lead_and_coordinators() -> None:
    tasks = _run("tinh_uy_bullets.txt")
    assert len(tasks) == 7
    first = _find(tasks, "Hướng dẫn các đảng bộ")
    assert first["text"].startswith("Hướng dẫn")  # bullet marker removed
    assert first["lead_units"] == ["Ban Tổ chức Tỉnh ủy"]
    assert first["coordinating_units"] == ["Văn phòng Tỉnh ủy"]
    assert first["deadline"] == {
        "kind": "date",
        "date": "2025-03-15",
        "text": "hoàn thành trước ngày 15/3/2025",
    }
    second = _find(tasks, "Tổng hợp danh sách")
    assert second["deadline"]["kind"] == "month"
    assert second["deadline"]["date"] == "2025-06-30"
    assert second["approval_chain"] == ["Ban Thường vụ Tỉnh ủy"]


def test_abbreviations_several_leads_and_all_deadline_kinds_in_a_plan() -> None:
    tasks = _run("tinh_uy_bullets.txt")
    assert _find(tasks, "BTG Tỉnh ủy")["lead_units"] == ["Ban Tuyên giáo Tỉnh ủy"]
    assert _find(tasks, "BTG Tỉnh ủy")["deadline"]["kind"] == "periodic"
    security = _find(tasks, "Công an tỉnh")
    assert security["lead_units"] == ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]
    assert security["deadline"]["kind"] == "event"
    funds = _find(tasks, "Giao Sở Tài chính")
    assert funds["lead_units"] == ["Sở Tài chính"]
    assert (funds["deadline"]["kind"], funds["deadline"]["date"]) == ("quarter", "2025-06-30")
    monthly = _find(tasks, "25 hằng tháng")
    assert monthly["deadline"] == {
        "kind": "periodic",
        "date": None,
        "text": "trước ngày 25 hằng tháng",
    }
    decoration = _find(tasks, "Sở Văn hóa, Thể thao và Du lịch")
    assert decoration["coordinating_units"] == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_government_notice_giao_de_nghi_and_other_provinces() -> None:
    tasks = _run("chinh_phu_thong_bao.txt")
    assert len(tasks) == 5  # the news line "ban hành Thông báo số ..." and the intro are no tasks
    decree = _find(tasks, "hoàn thiện dự thảo Nghị định")
    assert decree["lead_units"] == ["Bộ Kế hoạch và Đầu tư"]
    assert decree["coordinating_units"] == ["Bộ Tài chính", "Bộ Tư pháp"]
    assert decree["approval_chain"] == ["Chính phủ"]
    home = _find(tasks, "Giao Bộ Nội vụ")
    assert home["deadline"]["date"] == "2024-04-30"
    assert home["approval_chain"] == ["Thủ tướng Chính phủ"]
    city = _find(tasks, "Hải Đông")
    assert city["lead_units"] == ["Ủy ban nhân dân thành phố Hải Đông"]
    assert city["unknown_units"] == ["Ủy ban nhân dân thành phố Hải Đông"]
    assert city["references"] == ["1234/QĐ-TTg"]
    assert (city["deadline"]["kind"], city["deadline"]["date"]) == ("year", "2024-12-31")
    media = _find(tasks, "Bộ Thông tin và Truyền thông")
    assert media["lead_units"] == ["Bộ Thông tin và Truyền thông"]
    assert media["deadline"]["kind"] == "periodic"
    rail = _find(tasks, "đường sắt")
    assert rail["unknown_units"] == ["Ban Quản lý dự án đường sắt"]
    assert (rail["deadline"]["kind"], rail["deadline"]["date"]) == ("quarter", "2025-06-30")


def test_shared_noun_shorthand_and_unknown_units() -> None:
    tasks = _run("nhieu_don_vi.txt")
    assert len(tasks) == 4
    plan = _find(tasks, "xây dựng đề án")
    assert plan["lead_units"] == ["Ban Tổ chức Thành ủy", "Ban Tuyên giáo Thành ủy"]
    assert plan["approval_chain"] == [
        "Tiểu ban tổ chức phục vụ đại hội",
        "Thường trực Thành ủy",
        "Ban Thường vụ Thành ủy",
    ]
    assert plan["deadline"]["date"] == "2025-09-30"
    drill = _find(tasks, "diễn tập")
    assert drill["lead_units"] == ["Công an thành phố", "Liên đoàn Lao động thành phố"]
    hall = _find(tasks, "hội trường")
    assert hall["lead_units"] == ["Trung tâm Hội nghị Quốc tế Sông Hồng"]
    assert hall["unknown_units"] == ["Trung tâm Hội nghị Quốc tế Sông Hồng"]
    assert _find(tasks, "12-KL/TU")["references"] == ["12-KL/TU"]


def test_labelled_fields_headings_and_recipients() -> None:
    tasks = _run("ke_hoach_nhan_truong.txt")
    assert len(tasks) == 4  # headings, purposes, "Nơi nhận" and the signature are no tasks
    post = _find(tasks, "Đăng tải toàn văn")
    assert post["lead_units"] == ["Văn phòng Tỉnh ủy"]
    assert post["coordinating_units"] == ["Sở Thông tin và Truyền thông", "Báo Lâm Sơn"]
    assert post["unknown_units"] == ["Báo Lâm Sơn"]
    assert post["deadline"]["date"] == "2025-05-10"
    summary = _find(tasks, "Tổng hợp ý kiến")
    assert summary["lead_units"] == ["Ban Tuyên giáo Tỉnh ủy"]
    assert (summary["deadline"]["kind"], summary["deadline"]["date"]) == ("month", "2025-06-30")
    front = _find(tasks, "Đề nghị Ủy ban Mặt trận")
    assert front["lead_units"] == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]
    assert front["coordinating_units"] == ["Hội Nông dân tỉnh"]
    districts = _find(tasks, "Các huyện ủy")
    assert districts["lead_units"] == ["Các huyện ủy, thị ủy, thành ủy trực thuộc"]
    assert districts["deadline"]["date"] == "2025-06-30"  # half-year of the document's year


def test_shorthand_generic_groups_and_plus_bullets() -> None:
    tasks = _run("ket_luan_nhieu_cau.txt")
    assert len(tasks) == 8
    rules = _find(tasks, "quy chế làm việc")
    assert rules["lead_units"] == ["Ban Tổ chức Thành ủy", "Ban Tuyên giáo Thành ủy"]
    assert rules["deadline"] == {"kind": "event", "date": None, "text": "trước Đại hội"}
    money = _find(tasks, "thẩm định kinh phí")
    assert money["lead_units"] == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
    staff = _find(tasks, "Rà soát biên chế")
    assert staff["lead_units"] == ["Sở Nội vụ"]
    assert staff["deadline"]["date"] == "2026-03-31"
    jobs = _find(tasks, "vị trí việc làm")
    assert jobs["approval_chain"] == ["Ủy ban nhân dân thành phố"]
    assert jobs["deadline"]["date"] == "2026-12-31"
    grassroots = _find(tasks, "cấp cơ sở")
    assert grassroots["lead_units"] == [
        "Các quận ủy, huyện ủy, thị ủy và đảng ủy trực thuộc Thành ủy"
    ]
    assert _find(tasks, "Ban Dân vận")["lead_units"] == ["Ban Dân vận Thành ủy"]
    health = _find(tasks, "Sở Y tế")
    assert health["coordinating_units"] == ["Công an thành phố"]
    assert health["deadline"]["kind"] == "event"
    assert _find(tasks, "kỳ họp chuyên đề")["deadline"]["date"] == "2025-12-15"


def test_table_rows_use_the_header_columns() -> None:
    tasks = _run("bang_ke_hoach.txt")
    assert [t["lead_units"] for t in tasks] == [
        ["Sở Văn hóa và Thể thao"],
        ["Công an thành phố"],
        ["Sở Tài chính"],
        ["Văn phòng Thành ủy"],
    ]
    assert [t["deadline"]["kind"] for t in tasks] == ["month", "event", "date", "periodic"]
    assert tasks[1]["coordinating_units"] == ["Bộ Chỉ huy Quân sự thành phố", "Công an quận Ba Sơn"]
    assert tasks[1]["unknown_units"] == ["Công an quận Ba Sơn"]


def test_directory_from_a_units_file_and_empty_text(tmp_path: Path) -> None:
    units = tmp_path / "units.json"
    units.write_text(
        json.dumps({"units": [{"name": "Ban Chỉ đạo Đại hội", "aliases": ["BCĐ Đại hội"]}]}),
        encoding="utf-8",
    )
    directory = directory_from_file(units)
    tasks = extract("BCĐ Đại hội chủ trì tổng kết công tác tổ chức trong tháng 12/2025.", directory)
    assert tasks[0].lead_units == ["Ban Chỉ đạo Đại hội"]
    assert tasks[0].unknown_units == []
    assert extract("", directory) == []
    assert extract("   \n\n  ") == []


def test_builtin_directory_knows_aliases() -> None:
    directory = builtin_directory()
    assert directory.lookup("BTG Thành ủy") == "Ban Tuyên giáo Thành ủy"
    assert directory.lookup("cong an tp") == "Công an thành phố"
    assert directory.lookup(unicodedata.normalize("NFD", "Ban Tổ chức Tỉnh ủy")) == (
        "Ban Tổ chức Tỉnh ủy"
    )
    assert Directory([UnitEntry("Sở Y tế")]).lookup("Sở Giáo dục") is None


@pytest.mark.skipif(not (SHARED / "notices").is_dir(), reason="shared data not present")
def test_notice_2682_against_its_annotation() -> None:
    gold = json.loads((SHARED / "notices" / "2682-TB-TU.json").read_text(encoding="utf-8"))
    text = (SHARED / "notices" / "2682-TB-TU.txt").read_text(encoding="utf-8")
    directory = directory_from_file(SHARED / "hanoi-units.json")
    predicted = [p.to_json() for p in extract(text, directory)]
    matched = 0
    leads = 0
    for task in gold["tasks"]:
        key = unicodedata.normalize("NFC", task["key"]).lower()
        hits = [p for p in predicted if key in p["text"].lower()]
        if not hits:
            continue
        matched += 1
        want = {directory.canonical(n) for n in task["lead_units"]}
        leads += want == set(hits[0]["lead_units"])
    assert matched / len(gold["tasks"]) >= 0.9
    assert matched / len(predicted) >= 0.9
    assert leads / len(gold["tasks"]) >= 0.9


def test_lines_without_full_stop_need_a_lead_unit() -> None:
    text = (
        "Chuẩn bị tốt điều kiện tổ chức Đại hội (08:15 01/07/2025)\n"
        "Sở Y tế chủ trì kiểm tra an toàn thực phẩm\n"
        "Bài viết liên quan\n"
    )
    tasks = extract(text)
    assert [t.lead_units for t in tasks] == [["Sở Y tế"]]


def test_speaker_directions_set_the_scene_for_the_next_sentence() -> None:
    text = (
        "Đồng chí Bí thư chỉ đạo, phát huy kết quả, các cơ quan, đơn vị được phân công cần bám sát "
        "Kế hoạch số "
        "05-KH/TU. Từ đó xây dựng kế hoạch chi tiết, định kỳ báo cáo Thường trực Thành ủy."
    )
    (task,) = extract(text)
    assert task.lead_units == ["các cơ quan, đơn vị được phân công"]
    assert task.references == ["05-KH/TU"]
    assert task.approval_chain == ["Thường trực Thành ủy"]
    assert task.deadline.kind == "periodic"


def test_bench_scoring_matches_keys_once() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_x", ROOT / "bench" / "extract_tasks.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    gold = [
        {
            "key": "Lập Kế hoạch",
            "lead_units": ["BTG Thành ủy"],
            "deadline": {"kind": "none", "date": None},
        },
        {"key": "lập kế hoạch", "lead_units": [], "deadline": {"kind": "none", "date": None}},
    ]
    predicted = [
        {
            "text": "Ban Tuyên giáo Thành ủy lập kế hoạch.",
            "lead_units": ["Ban Tuyên giáo Thành ủy"],
            "deadline": {"kind": "none", "date": None},
        },
    ]
    scores = bench.score(predicted, gold, builtin_directory())
    assert scores["recall"] == 0.5
    assert scores["precision"] == 1.0
    assert scores["lead_unit_accuracy"] == 0.5
