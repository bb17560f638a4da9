"""Next number: per issuer × type × term outside a congress; one counter inside a congress."""

from __future__ import annotations

import datetime as dt

import pytest

from daihoi.core.models import Congress
from daihoi.documents.services import InvalidInput, next_number
from tests.documents.helpers import make_document
from tests.factories import CongressFactory

pytestmark = pytest.mark.django_db

OLD, NEW = "2015–2020", "2020–2025"


def _congress(unit, ordinal=17) -> Congress:
    return CongressFactory(ordinal=ordinal, convening_committee=unit)


def test_first_number_is_one():
    assert next_number("TU", "KH", OLD) == 1


def test_per_issuer_type_and_term():
    make_document("163-KH/TU", term=OLD)
    make_document("164-KH/TU", term=OLD)
    make_document("2682-TB/TU", term=OLD)
    make_document("01-KH/TBTCPV", term=OLD)
    assert next_number("TU", "KH", OLD) == 165
    assert next_number("TU", "TB", OLD) == 2683
    assert next_number("TBTCPV", "KH", OLD) == 2
    assert next_number("VPTU", "KH", OLD) == 1
    # Codes and terms as people type them.
    assert next_number("tu", "kh", "2015 - 2020") == 165


def test_numbering_restarts_in_a_new_term():
    make_document("164-KH/TU", date=dt.date(2019, 10, 16), term=OLD)
    assert next_number("TU", "KH", NEW) == 1
    make_document("01-KH/TU", date=dt.date(2020, 11, 2), term=NEW)
    assert next_number("TU", "KH", NEW) == 2
    assert next_number("TU", "KH", OLD) == 165


def test_one_counter_for_the_whole_congress(unit):
    congress, other = _congress(unit), _congress(unit, ordinal=18)
    on = {"congress": congress, "in_congress": True, "term": NEW, "date": dt.date(2020, 10, 11)}
    make_document("01-NQ/TU", **on)
    make_document("02-BB/TU", **on)
    make_document("03-QĐ/ĐU", **on)
    for issuer, doc_type in [("TU", "NQ"), ("ĐU", "TB"), ("TBTCPV", "BC")]:
        assert next_number(issuer, doc_type, NEW, congress=congress, in_congress=True) == 4
    assert next_number("TU", "BB", NEW, congress=other, in_congress=True) == 1
    # Outside the congress the issuer's own series is untouched.
    assert next_number("TU", "NQ", NEW) == 1
    assert next_number("TU", "NQ", NEW, congress=congress) == 1


def test_congress_counter_needs_a_congress():
    with pytest.raises(InvalidInput, match="phải gắn với một đại hội"):
        next_number("TU", "NQ", NEW, in_congress=True)


def test_unknown_type_or_bad_term_is_refused():
    with pytest.raises(InvalidInput, match="Thể loại «XY» không có trong danh mục"):
        next_number("TU", "XY", NEW)
    with pytest.raises(InvalidInput, match="Nhiệm kỳ"):
        next_number("TU", "KH", "2025")
