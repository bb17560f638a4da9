"""The demo documents of the Hanoi XVII example: loaded once, linked, body from the notice."""

from __future__ import annotations

import datetime as dt

import pytest

from daihoi.core.services.example import load_units
from daihoi.documents.demo import load_demo_documents
from daihoi.documents.models import Document, DocumentLink, Issuer

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings, tmp_path):
    """A project folder with ../shared/data/notices next to it."""
    settings.BASE_DIR = tmp_path / "main"
    notices = tmp_path / "shared" / "data" / "notices"
    notices.mkdir(parents=True)
    return notices


def test_demo_documents_are_loaded_once_and_linked(shared):
    load_units()
    result = load_demo_documents()
    assert (result.documents_created, result.links_created) == (3, 2)
    assert result.issuers_linked == 6
    notice = Document.objects.get(symbol="2682-TB/TU")
    assert notice.date == dt.date(2020, 6, 22) and notice.doc_type.name == "Thông báo"
    assert notice.summary.startswith("Kết luận của Phó Bí thư Thường trực Thành ủy")
    assert notice.issuer.unit.name == "Thành ủy Hà Nội"
    assert notice.body == ""  # no notice file in this folder
    plan = Document.objects.get(symbol="01-KH/TBTCPV")
    assert plan.date == dt.date(2019, 8, 19) and plan.doc_type.code == "KH"
    assert plan.issuer == Issuer.objects.get(code="TBTCPV")
    security = Document.objects.get(symbol="164-KH/TU")
    assert security.date == dt.date(2019, 10, 16)
    assert {link.target.symbol for link in notice.outgoing_links.all()} == {
        "01-KH/TBTCPV",
        "164-KH/TU",
    }
    assert {link.kind for link in DocumentLink.objects.all()} == {"cites"}

    again = load_demo_documents()
    assert (again.documents_created, again.links_created, again.issuers_linked) == (0, 0, 0)
    assert Document.objects.count() == 3 and DocumentLink.objects.count() == 2


def test_notice_body_comes_from_the_shared_file(shared):
    text = "Thông báo số 2682-TB/TU, kết luận của đồng chí Phó Bí thư Thường trực Thành ủy."
    (shared / "2682-TB-TU.txt").write_text(text, encoding="utf-8")
    load_demo_documents()
    assert Document.objects.get(symbol="2682-TB/TU").body == text
    assert Document.objects.get(symbol="164-KH/TU").body == ""


def test_demo_runs_without_units():
    assert load_demo_documents().documents_created == 3
