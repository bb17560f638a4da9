"""The data migration's tables, the parser's copy of them, and linking issuers to units."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Unit
from daihoi.core.services.example import load_units
from daihoi.documents import tables
from daihoi.documents.models import DocumentType, Issuer
from daihoi.documents.services import NotAllowed, link_issuers_to_units

pytestmark = pytest.mark.django_db

migration = importlib.import_module("daihoi.documents.migrations.0002_reference_data")


def test_types_in_the_database_match_the_parser_table():
    rows = {(t.code, t.name, t.party, t.state) for t in DocumentType.objects.all()}
    assert rows == set(tables.DOCUMENT_TYPES) == set(migration.DOCUMENT_TYPES)


def test_issuers_in_the_database_match_the_parser_table():
    rows = {(i.code, i.name) for i in Issuer.objects.all()}
    assert rows == set(tables.ISSUERS) == set(migration.ISSUERS)


def test_tt_is_one_row_for_both_systems():
    tt = DocumentType.objects.get(code="TT")
    assert tt.party and tt.state
    assert "Thông tri" in tt.name and "Thông tư" in tt.name
    assert DocumentType.objects.get(code="QĐi").party
    assert not DocumentType.objects.get(code="QĐi").state
    assert DocumentType.objects.get(code="QyĐ").state
    assert not DocumentType.objects.get(code="NĐ").party


def test_the_migration_links_issuers_to_units_that_exist():
    load_units()
    Issuer.objects.update(unit=None)
    migration.load(django_apps, None)
    assert Issuer.objects.get(code="TU").unit.name == "Thành ủy Hà Nội"
    assert Issuer.objects.get(code="VPTU").unit.name == "Văn phòng Thành ủy"
    assert Issuer.objects.get(code="TW").unit is None
    assert DocumentType.objects.count() == len(tables.DOCUMENT_TYPES)  # run twice, no copies


def test_link_issuers_to_units_after_loading_units():
    assert Issuer.objects.filter(unit__isnull=False).count() == 0  # no units at migration time
    load_units()
    linked = link_issuers_to_units()
    assert linked == 6
    assert Issuer.objects.get(code="TBTCPV").unit.name == "Tiểu ban tổ chức phục vụ đại hội"
    assert Issuer.objects.get(code="BTGTU").unit.name == "Ban Tuyên giáo Thành ủy"
    assert AuditEntry.objects.filter(action="issuer.linked").count() == 6
    assert link_issuers_to_units() == 0  # idempotent


def test_link_by_acronym_and_never_over_a_manual_link():
    district = Unit.objects.create(
        name="Đảng ủy Khối các cơ quan", acronym="ĐUK", kind="party_organ"
    )
    chosen = Unit.objects.create(name="Đảng ủy Khối doanh nghiệp", kind="party_organ")
    Issuer.objects.filter(code="ĐU").update(unit=chosen)
    link_issuers_to_units()
    assert Issuer.objects.get(code="ĐUK").unit == district
    assert Issuer.objects.get(code="ĐU").unit == chosen


def test_only_register_keepers_link_issuers(liaison):
    with pytest.raises(NotAllowed):
        link_issuers_to_units(liaison)
