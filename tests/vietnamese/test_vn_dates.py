"""Dates: dd/mm/yyyy, the Party date line (Hướng dẫn 36-HD/VPTW) and parsing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from daihoi.vietnamese import (
    VietnameseDateError,
    fold,
    format_date,
    format_date_line,
    nfd,
    parse_date,
)


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


DAYS_2018_2021 = every_day(date(2018, 1, 1), date(2021, 12, 31))


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2020, 6, 22), "22/06/2020"),
        (date(2018, 2, 3), "03/02/2018"),
        (date(999, 1, 1), "01/01/0999"),
    ],
)
def test_format_date(d: date, text: str) -> None:
    assert format_date(d) == text


@pytest.mark.parametrize(
    ("d", "line"),
    [
        (date(2020, 6, 22), "ngày 22 tháng 6 năm 2020"),
        (date(2018, 2, 3), "ngày 03 tháng 02 năm 2018"),
        (date(2020, 10, 5), "ngày 05 tháng 10 năm 2020"),
        (date(2021, 1, 15), "ngày 15 tháng 01 năm 2021"),
        (date(2020, 12, 31), "ngày 31 tháng 12 năm 2020"),
        (date(2020, 3, 9), "ngày 09 tháng 3 năm 2020"),
    ],
)
def test_format_date_line(d: date, line: str) -> None:
    assert format_date_line(d) == line


def test_format_date_line_with_place() -> None:
    assert format_date_line(date(2020, 6, 22), "Hà Nội") == "Hà Nội, ngày 22 tháng 6 năm 2020"
    assert format_date_line(date(2020, 6, 22), nfd(" Hà  Nội ")) == (
        "Hà Nội, ngày 22 tháng 6 năm 2020"
    )
    assert format_date_line(date(2020, 6, 22), "") == "ngày 22 tháng 6 năm 2020"
    assert format_date_line(date(2020, 6, 22), None) == "ngày 22 tháng 6 năm 2020"


def test_round_trip_every_day_2018_to_2021() -> None:
    assert len(DAYS_2018_2021) == 1461
    for d in DAYS_2018_2021:
        assert parse_date(format_date_line(d)) == d
        assert parse_date(format_date_line(d, "Hà Nội")) == d
        assert parse_date(format_date(d)) == d
        assert parse_date(d.isoformat()) == d
        assert parse_date(fold(format_date_line(d, "Hà Nội"))) == d  # typed without diacritics


@pytest.mark.parametrize(
    "text",
    [
        "22/6/2020",
        "22/06/2020",
        "22-6-2020",
        "22.6.2020",
        "22 / 6 / 2020",
        " 22/6/2020 ",
        "2020-06-22",
        "2020-6-22",
        "ngày 22 tháng 6 năm 2020",
        "ngày 22 tháng 06 năm 2020",
        "Ngày 22 Tháng 6 Năm 2020",
        "NGÀY 22 THÁNG 6 NĂM 2020",
        "ngay 22 thang 6 nam 2020",
        "ngày  22  tháng 6\nnăm 2020",
        "Hà Nội, ngày 22 tháng 6 năm 2020",
        "Ha Noi, ngay 22 thang 6 nam 2020",
        "TP. Hồ Chí Minh, ngày 22 tháng 6 năm 2020",
    ],
)
def test_accepted_forms(text: str) -> None:
    assert parse_date(text) == date(2020, 6, 22)
    assert parse_date(nfd(text)) == date(2020, 6, 22)


@pytest.mark.parametrize(
    ("text", "d"),
    [
        ("ngày 03 tháng 02 năm 2018", date(2018, 2, 3)),
        ("Hà Nội, ngày 03 tháng 02 năm 2018", date(2018, 2, 3)),
        ("ngày 3 tháng 2 năm 2018", date(2018, 2, 3)),
        ("29/2/2020", date(2020, 2, 29)),
        ("1/1/2021", date(2021, 1, 1)),
    ],
)
def test_accepted_examples(text: str, d: date) -> None:
    assert parse_date(text) == d


@pytest.mark.parametrize(
    "text",
    [
        "31/2/2020",
        "29/2/2021",
        "32/1/2020",
        "0/1/2020",
        "1/13/2020",
        "hôm qua",
        "22/6/20",
        "22/6/020",
        "22/6/20200",
        "22/6-2020",
        "2020/06/22",
        "2020-06-31",
        "00/00/0000",
        "",
        "ngày 22 tháng 6",
        "ngày 22 tháng 6 năm 20",
        "Hà Nội ngày 22 tháng 6 năm 2020 và hôm sau",
        "22/6/2020 10:00",
        "٢٢/٦/٢٠٢٠",  # non-ASCII digits
    ],
)
def test_refused(text: str) -> None:
    with pytest.raises(VietnameseDateError) as info:
        parse_date(text)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == f"Ngày không hợp lệ: «{text}»"


def test_error_message_example() -> None:
    with pytest.raises(ValueError, match="^Ngày không hợp lệ: «31/2/2020»$"):
        parse_date("31/2/2020")
