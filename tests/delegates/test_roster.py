"""Withdrawal and replacement by a reserve delegate: checks, audit, constraints."""

from __future__ import annotations

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import Category, Status
from daihoi.delegates.services.roster import replace_with_reserve, withdraw
from tests.delegates.test_base import make

pytestmark = pytest.mark.django_db


def test_withdraw_records_reason_and_audit(congress, staff):
    delegate = make(congress, "Nguyễn Văn Rút")
    withdraw(staff, delegate, "  Chuyển công tác ")
    delegate.refresh_from_db()
    assert delegate.status == Status.WITHDRAWN
    assert delegate.withdrawal_reason == "Chuyển công tác"
    assert AuditEntry.objects.filter(action="delegate.withdrawn").count() == 1
    with pytest.raises(InvalidInput):
        withdraw(staff, delegate, "Lần nữa")


def test_withdraw_needs_reason_and_rights(congress, staff, role_user):
    delegate = make(congress, "Nguyễn Văn Ở")
    with pytest.raises(InvalidInput):
        withdraw(staff, delegate, " ")
    with pytest.raises(NotAllowed):
        withdraw(role_user("credentials_committee"), delegate, "Lý do")


def test_replace_checks_categories(congress, staff):
    official = make(congress, "Chính thức")
    reserve = make(congress, "Dự khuyết", Category.RESERVE)
    other = make(congress, "Dự khuyết khác", Category.RESERVE)
    with pytest.raises(InvalidInput):
        replace_with_reserve(staff, reserve, other)  # a reserve is not an official delegate
    with pytest.raises(InvalidInput):
        replace_with_reserve(staff, official, make(congress, "Chính thức khác"))
    replace_with_reserve(staff, official, reserve)
    reserve.refresh_from_db()
    assert reserve.replaces == official
    with pytest.raises(InvalidInput):
        replace_with_reserve(staff, official, other)  # already replaced
    assert AuditEntry.objects.filter(action="delegate.replaced").count() == 1


def test_database_constraints(congress):
    from django.db import IntegrityError, transaction

    official = make(congress, "Chính thức")
    with pytest.raises(IntegrityError), transaction.atomic():
        make(congress, "Cùng số", number=official.number)
    with pytest.raises(IntegrityError), transaction.atomic():
        make(congress, "Không phải dự khuyết", replaces=official)  # only a reserve replaces
    with pytest.raises(IntegrityError), transaction.atomic():
        make(congress, "Giới tính lạ", gender="khac")
