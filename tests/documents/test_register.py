"""Registering documents and linking them: what is stored, what is refused, what is audited."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.documents.models import Document, DocumentLink, LinkKind
from daihoi.documents.services import (
    DuplicateDocument,
    InvalidInput,
    NotAllowed,
    find_document,
    link_documents,
    register_document,
)
from tests.documents.helpers import SUMMARY, make_document

pytestmark = pytest.mark.django_db


def test_register_stores_what_the_symbol_says(organising):
    document = make_document(
        "Số 2682 - tb / tu",
        date="22/6/2020",
        actor=organising,
        term="2015-2020",
        signer_capacity="TM.",
        signer_title="Ban Thường vụ",
        recipients="Như trên,\r\nLưu VPTU.",
    )
    document.refresh_from_db()
    assert document.symbol == "2682-TB/TU"
    assert (document.system, document.number) == ("party", 2682)
    assert document.doc_type.code == "TB" and document.doc_type.name == "Thông báo"
    assert document.issuer.code == "TU" and document.issuer_code == "TU"
    assert document.term == "2015–2020"
    assert document.date == dt.date(2020, 6, 22)
    assert document.place == "Hà Nội"
    assert document.recipients == "Như trên,\nLưu VPTU."
    assert document.created_by == organising
    entry = AuditEntry.objects.get(action="document.registered")
    assert entry.actor == organising
    assert entry.target_id == str(document.pk)
    assert entry.payload["symbol"] == "2682-TB/TU"


def test_text_is_stored_in_nfc():
    document = make_document(summary=unicodedata.normalize("NFD", "Kết luận  giao ban"))
    assert document.summary == "Kết luận giao ban"


def test_state_document_with_free_text_issuer():
    document = make_document("42/2014/QĐ-TTg", date=dt.date(2014, 8, 1))
    assert (document.system, document.issuer.code) == ("state", "TTg")
    other = make_document("1234/QĐ-SNV", date=dt.date(2020, 1, 2))
    assert other.issuer is None and other.issuer_code == "SNV"
    compound = make_document("56/QĐ-UBND-KGVX", date=dt.date(2020, 1, 3))
    assert compound.issuer.code == "UBND" and compound.issuer_code == "UBND-KGVX"


@pytest.mark.parametrize(
    "again",
    [
        "2682-TB/TU",
        "2682-tb/tu",
        "số: 2682 - TB / TU",
        unicodedata.normalize("NFD", "Số 2682-TB/TU"),
        "02682-TB/TU",
    ],
)
def test_duplicate_symbol_is_refused(again):
    make_document("2682-TB/TU")
    with pytest.raises(DuplicateDocument) as caught:
        make_document(again)
    assert caught.value.message == "Văn bản số 2682-TB/TU đã có trong sổ (ngày 22/06/2020)."
    assert caught.value.code == "duplicate_symbol"
    assert Document.objects.count() == 1


def test_duplicate_with_vietnamese_letters_in_any_case():
    make_document("3-QĐi/ĐUK")
    with pytest.raises(DuplicateDocument):
        make_document(unicodedata.normalize("NFD", "3-qđi/đuk"))
    with pytest.raises(DuplicateDocument):
        make_document("3-QDi/DUK")  # typed without the stroke of Đ


def test_unknown_party_issuer_is_refused_with_how_to_add_it():
    with pytest.raises(InvalidInput) as caught:
        make_document("12-TB/BCSĐ")
    assert caught.value.code == "unknown_issuer"
    assert "«BCSĐ» chưa có trong danh mục" in caught.value.message
    assert "Quản trị Django → Sổ đăng ký văn bản → Cơ quan ban hành" in caught.value.message
    assert "TBTCPV" in caught.value.message  # the known codes are listed
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("symbol", "message"),
    [
        ("15-NĐ/TU", "không dùng trong văn bản Đảng"),
        ("15/2020/KL-CP", "chỉ dùng trong văn bản Đảng"),
        ("2682-XY/TU", "Thể loại «XY» không có trong danh mục"),
        ("TB/TU", "Thiếu ký hiệu thể loại"),
        ("0-TB/TU", "Số phải là số nguyên dương"),
    ],
)
def test_bad_symbols_are_refused(symbol, message):
    with pytest.raises(InvalidInput, match=message):
        make_document(symbol)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "31/2/2020"}, "Ngày ban hành «31/2/2020» không hợp lệ"),
        ({"summary": "  "}, "Trích yếu"),
        ({"secrecy": "bi_mat"}, "Độ mật"),
        ({"term": "2020"}, "Nhiệm kỳ"),
        ({"in_congress": True}, "phải gắn với một đại hội"),
    ],
)
def test_bad_fields_are_refused_in_vietnamese(fields, message):
    with pytest.raises(InvalidInput, match=message):
        make_document(**fields)
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action="document.registered").exists()


@pytest.mark.parametrize("role_name", ["liaison", "member", "delegate"])
def test_only_register_keepers_register(request, role_name):
    with pytest.raises(NotAllowed):
        make_document(actor=request.getfixturevalue(role_name))
    assert not Document.objects.exists()


@pytest.mark.parametrize("role_name", ["admin", "standing", "organising"])
def test_register_keepers_register(request, role_name):
    assert make_document(actor=request.getfixturevalue(role_name)).pk


def test_anonymous_cannot_register():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        make_document(actor=AnonymousUser())


def test_link_documents_both_ways_and_audited(standing):
    notice = make_document()
    plan = make_document("01-KH/TBTCPV", date=dt.date(2019, 8, 19), summary="Kế hoạch")
    link = link_documents(standing, notice, plan, LinkKind.CITES)
    assert list(notice.links.all()) == [plan]
    assert list(plan.linked_from.all()) == [notice]
    entry = AuditEntry.objects.get(action="document.linked")
    assert entry.actor == standing and entry.payload["target_symbol"] == "01-KH/TBTCPV"
    assert link.kind == "cites"


def test_link_refusals(standing, liaison):
    notice = make_document()
    plan = make_document("01-KH/TBTCPV", date=dt.date(2019, 8, 19), summary="Kế hoạch")
    link_documents(standing, notice, plan, LinkKind.CITES)
    with pytest.raises(InvalidInput, match="đã có"):
        link_documents(standing, notice, plan, LinkKind.CITES)
    with pytest.raises(InvalidInput, match="chính nó"):
        link_documents(standing, notice, notice, LinkKind.CITES)
    with pytest.raises(InvalidInput, match="không có trong danh mục"):
        link_documents(standing, notice, plan, "likes")
    with pytest.raises(NotAllowed):
        link_documents(liaison, plan, notice, LinkKind.REPORTS_ON)
    assert DocumentLink.objects.count() == 1


def test_find_document_as_typed():
    notice = make_document()
    assert find_document("số 2682-tb/tu") == notice
    assert find_document("2683-TB/TU") is None
    with pytest.raises(InvalidInput):
        find_document("không phải ký hiệu")


def test_register_keeps_summary_given():
    assert make_document().summary == SUMMARY


def test_register_document_signature_is_keyword_only():
    with pytest.raises(TypeError):
        register_document(None, "2682-TB/TU", dt.date(2020, 6, 22), "Trích yếu")  # type: ignore[misc]


def test_the_same_symbol_in_another_term_is_a_new_document():
    """Party numbering restarts each committee term (36-HD/VPTW)."""
    first = make_document("01-KH/TU", term="2015-2020")
    second = make_document("01-KH/TU", term="2020-2025", date=dt.date(2020, 11, 2))
    assert first.pk != second.pk and {first.term, second.term} == {"2015–2020", "2020–2025"}
    with pytest.raises(DuplicateDocument):
        make_document("1-KH/TU", term="2020-2025", date=dt.date(2020, 12, 1))
