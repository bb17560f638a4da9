"""The register list: search with or without diacritics, filters, pagination, N+1 guard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from daihoi.documents.models import LinkKind
from daihoi.documents.services import add_attachment, link_documents
from tests.documents.helpers import login, make_document, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    notice = make_document()
    plan = make_document(
        "01-KH/TBTCPV", date=dt.date(2019, 8, 19), summary="Kế hoạch tổ chức phục vụ đại hội"
    )
    decision = make_document(
        "42/2014/QĐ-TTg", date=dt.date(2014, 8, 1), summary="Quyết định của Thủ tướng"
    )
    return notice, plan, decision


def _symbols(client, **params) -> list[str]:
    page = client.get(reverse("documents:list"), params)
    assert page.status_code == 200
    return [d.symbol for d in page.context["object_list"]]


def test_list_shows_the_register_newest_first(client, liaison, register):
    login(client, liaison)
    page = client.get(reverse("documents:list"))
    assert "Sổ đăng ký văn bản" in page.text
    assert "Vào sổ văn bản mới" not in page.text  # a liaison reads only
    assert _symbols(client) == ["2682-TB/TU", "01-KH/TBTCPV", "42/2014/QĐ-TTg"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kết luận", ["2682-TB/TU"]),
        ("ket luan", ["2682-TB/TU"]),
        ("KET LUAN giao ban", ["2682-TB/TU"]),
        ("dai hoi", ["2682-TB/TU", "01-KH/TBTCPV"]),
        ("2682", ["2682-TB/TU"]),
        ("01-kh/tbtcpv", ["01-KH/TBTCPV"]),
        ("qđ-ttg", ["42/2014/QĐ-TTg"]),
        ("qd-ttg", ["42/2014/QĐ-TTg"]),
        ("không có văn bản này", []),
    ],
)
def test_search_with_and_without_diacritics(client, member, register, query, expected):
    login(client, member)
    assert _symbols(client, q=query) == expected


def test_filters_by_type_issuer_and_year(client, member, register):
    login(client, member)
    assert _symbols(client, loai="KH") == ["01-KH/TBTCPV"]
    assert _symbols(client, coquan="TU") == ["2682-TB/TU"]
    assert _symbols(client, nam="2014") == ["42/2014/QĐ-TTg"]
    assert _symbols(client, nam="2020", q="ket luan") == ["2682-TB/TU"]
    assert _symbols(client, nam="abc") == ["2682-TB/TU", "01-KH/TBTCPV", "42/2014/QĐ-TTg"]
    assert _symbols(client, loai="ZZ") == []
    page = client.get(reverse("documents:list"))
    assert page.context["years"] == [2020, 2019, 2014]
    assert list(page.context["issuer_codes"]) == ["TBTCPV", "TTg", "TU"]


def test_htmx_request_gets_only_the_results(client, member, register):
    login(client, member)
    page = client.get(reverse("documents:list"), {"q": "ket luan"}, HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert "<html" not in page.text and "2682-TB/TU" in page.text


def test_pagination_keeps_the_filters(client, member):
    for number in range(1, 53):
        make_document(f"{number:02d}-CV/TU", date=dt.date(2020, 1, 1), summary="Công văn")
    login(client, member)
    first = client.get(reverse("documents:list"), {"q": "cong van"})
    assert len(first.context["object_list"]) == 50
    assert "q=cong+van&amp;page=2" in first.text
    second = client.get(reverse("documents:list"), {"q": "cong van", "page": 2})
    assert len(second.context["object_list"]) == 2
    assert client.get(reverse("documents:list"), {"page": 99}).status_code == 404


def _row(number: int):
    document = make_document(f"{number}-TB/TU", summary=f"Thông báo kết luận số {number}")
    add_attachment(None, document, upload(f"{number}.pdf", pdf_bytes(str(number))))
    return document


@pytest.mark.parametrize("params", [{}, {"q": "ket luan", "loai": "TB", "nam": "2020"}])
def test_query_count_does_not_grow_with_rows(
    client, member, django_assert_num_queries, django_assert_max_num_queries, params
):
    first = _row(1)
    login(client, member)
    url = reverse("documents:list")
    client.get(url, params)  # warm the session
    with django_assert_max_num_queries(20) as one:
        assert client.get(url, params).status_code == 200
    second, third = _row(2), _row(3)
    link_documents(None, second, first, LinkKind.CITES)
    link_documents(None, third, first, LinkKind.CITES)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url, params)
    assert len(page.context["object_list"]) == 3
