"""Use cases on the delegate roster: withdraw a delegate, let a reserve replace an official one,
export the list to Excel in the import layout."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Congress
from daihoi.core.office.xlsx import DATE_FORMAT, Sheet, xlsx_bytes
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import Category, Delegate, Status
from daihoi.delegates.rules import can_manage_delegates
from daihoi.delegates.services.columns import COLUMNS
from daihoi.vietnamese import nfc


def _require_manager(actor) -> None:
    if not can_manage_delegates(actor):
        raise NotAllowed(_("Đồng chí không có quyền quản lý danh sách đại biểu."))


@transaction.atomic
def withdraw(actor, delegate: Delegate, reason: str) -> Delegate:
    """Rút tên đại biểu: the delegate stops counting as summoned (see base.py)."""
    _require_manager(actor)
    delegate = Delegate.objects.select_for_update().get(pk=delegate.pk)
    reason = nfc(reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi lý do rút tên đại biểu."), code="reason_required")
    if delegate.status == Status.WITHDRAWN:
        raise InvalidInput(_("Đại biểu này đã được rút tên."), code="already_withdrawn")
    delegate.status = Status.WITHDRAWN
    delegate.withdrawal_reason = reason
    delegate.save(update_fields=["status", "withdrawal_reason", "updated_at"])
    record(actor, "delegate.withdrawn", delegate, {"reason": reason})
    return delegate


@transaction.atomic
def replace_with_reserve(actor, official: Delegate, reserve: Delegate) -> Delegate:
    """A reserve delegate (dự khuyết) takes the seat of an official one."""
    _require_manager(actor)
    rows = Delegate.objects.select_for_update().in_bulk([official.pk, reserve.pk])
    official, reserve = rows[official.pk], rows[reserve.pk]
    if official.congress_id != reserve.congress_id:
        raise InvalidInput(_("Hai đại biểu không cùng một đại hội."), code="other_congress")
    if not official.is_official:
        raise InvalidInput(_("Chỉ thay thế được đại biểu chính thức."), code="not_official")
    if reserve.category != Category.RESERVE or reserve.status != Status.ACTIVE:
        raise InvalidInput(_("Người thay thế phải là đại biểu dự khuyết."), code="not_reserve")
    if reserve.replaces_id is not None:
        raise InvalidInput(_("Đại biểu dự khuyết này đã thay cho người khác."), code="reserve_used")
    if Delegate.objects.filter(replaces=official).exists():
        raise InvalidInput(_("Đại biểu này đã có người thay."), code="already_replaced")
    reserve.replaces = official
    reserve.save(update_fields=["replaces", "updated_at"])
    record(actor, "delegate.replaced", reserve, {"official": official.pk, "reserve": reserve.pk})
    return reserve


def export_rows(congress: Congress):
    queryset = Delegate.objects.filter(congress=congress).order_by("number")
    for d in queryset.iterator(chunk_size=1000):
        yield [
            d.number, d.full_name, d.get_gender_display(), d.birth_date, d.ethnicity, d.religion,
            d.party_unit_text, d.position, d.education, d.political_theory,
            d.get_category_display(), "x" if d.is_committee_member else "", d.import_key,
        ]  # fmt: skip


def export_delegates(congress: Congress) -> bytes:
    """The delegate list as .xlsx, in the column layout that import reads back."""
    headers = [header for _f, header in COLUMNS]
    date_col = [f for f, _h in COLUMNS].index("birth_date")
    sheet = Sheet(_("Danh sách đại biểu"), headers, export_rows(congress), {date_col: DATE_FORMAT})
    return xlsx_bytes([sheet])
