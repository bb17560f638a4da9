"""The deadline grammar of task proposals: every kind, dates as written, document dates ignored."""

from __future__ import annotations

import pytest

from daihoi.tasks.extraction import extract
from daihoi.tasks.extraction.deadlines import find_deadline
from daihoi.tasks.extraction.textutil import fold_keep


@pytest.mark.parametrize(
    ("words", "kind", "date"),
    [
        ("Hoàn thành trước ngày 30/8/2020 theo quy định", "date", "2020-08-30"),
        ("Báo cáo xong trước ngày 15 tháng 9 năm 2020", "date", "2020-09-15"),
        ("Gửi về chậm nhất ngày 05/01/2021", "date", "2021-01-05"),
        ("Nộp trước ngày 25/7", "date", "2020-07-25"),  # year of the document
        ("Báo cáo trước ngày 25 hằng tháng", "periodic", None),
        ("Hoàn thành trong tháng 7/2020", "month", "2020-07-31"),
        ("Trình trong tháng 2 năm 2024", "month", "2024-02-29"),
        ("Hoàn thành trong quý III/2020", "quarter", "2020-09-30"),
        ("Triển khai trong quý 4 năm 2021", "quarter", "2021-12-31"),
        ("Hoàn thành trong quý I", "quarter", "2020-03-31"),
        ("Tổng kết 6 tháng đầu năm 2021", "quarter", "2021-06-30"),
        ("Sơ kết sáu tháng cuối năm", "quarter", "2020-12-31"),
        ("Hoàn thành trong năm 2022", "year", "2022-12-31"),
        ("Định kỳ báo cáo kết quả", "periodic", None),
        ("Thường xuyên theo dõi tình hình", "periodic", None),
        ("Báo cáo hằng quý", "periodic", None),
        ("Bảo đảm an ninh trước, trong và sau Đại hội", "event", None),
        ("Trực 24/24 giờ trong thời gian diễn ra Đại hội lần thứ XVII", "event", None),
        ("Hoàn thành trước Đại hội", "event", None),
        ("Xây dựng kế hoạch trang trí", "none", None),
    ],
)
def test_deadline_kinds(words: str, kind: str, date: str | None) -> None:
    found = find_deadline(words, fold_keep(words), 2020)
    assert found.kind == kind
    assert (found.date.isoformat() if found.date else None) == date
    if kind != "none":
        assert found.text and found.text.lower() in words.lower()


def test_the_date_of_a_cited_document_is_no_deadline() -> None:
    text = (
        "Công an thành phố chủ trì triển khai thực hiện Kế hoạch số 164-KH/TU ngày 16/10/2019 "
        "của Ban Thường vụ Thành ủy."
    )
    (task,) = extract(text)
    assert task.deadline.kind == "none"
    assert task.references == ["164-KH/TU"]


def test_impossible_date_is_not_a_date() -> None:
    found = find_deadline("trước ngày 31/2/2020", fold_keep("trước ngày 31/2/2020"), 2020)
    assert found.kind != "date"


def test_hour_before_the_date_and_dashes() -> None:
    text = (
        "Văn phòng Thành ủy là cơ quan thường trực, chịu trách nhiệm tổng hợp báo cáo "
        "trước 17h00 ngày 20/9/2025.\n"
        "Sở Giao thông vận tải xây dựng phương án phân luồng, hoàn thành trước ngày 15-9-2025.\n"
    )
    first, second = extract(text)
    assert first.lead_units == ["Văn phòng Thành ủy"]
    assert first.deadline.date is not None and first.deadline.date.isoformat() == "2025-09-20"
    assert second.deadline.date is not None and second.deadline.date.isoformat() == "2025-09-15"
