"""The base (cơ số) for "more than half" in a delegates' congress, computed live.

Quy định 24-QĐ/TW, 9.3.1 (domain.md §5): official delegates summoned, minus committee members of
the convening level absent for the whole congress, minus official delegates absent for the whole
congress without a reserve replacing them. Not those present, not ballots cast. A delegate
present at any session stays in the base; "absent for the whole congress" means no attendance
row in any session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from daihoi.core.models import Congress
from daihoi.delegates.models import OFFICIAL_CATEGORIES, Attendance, Delegate, Status


@dataclass(frozen=True)
class Base:
    summoned: int
    absent_committee_members: list[Delegate] = field(default_factory=list)
    absent_unreplaced: list[Delegate] = field(default_factory=list)

    @property
    def value(self) -> int:
        return self.summoned - len(self.absent_committee_members) - len(self.absent_unreplaced)

    def is_more_than_half(self, votes: int) -> bool:
        return 2 * votes > self.value


def compute_base(congress: Congress) -> Base:
    """Count the base now, from the delegates and the attendance rows."""
    officials = Delegate.objects.filter(
        congress=congress, category__in=OFFICIAL_CATEGORIES, status=Status.ACTIVE
    )
    # A withdrawn official replaced by a reserve is still one summoned seat: the reserve fills
    # it. The seat is counted once, through the official, whatever their status.
    replaced_withdrawn = Delegate.objects.filter(
        congress=congress,
        category__in=OFFICIAL_CATEGORIES,
        status=Status.WITHDRAWN,
        replaced_by__isnull=False,
    )
    summoned = officials.count() + replaced_withdrawn.count()
    present = Attendance.objects.filter(delegate=OuterRef("pk"))
    absent = (
        officials.annotate(was_present=Exists(present))
        .filter(was_present=False)
        .select_related("replaced_by")
        .order_by("number")
    )
    committee: list[Delegate] = []
    unreplaced: list[Delegate] = []
    for delegate in absent:
        if delegate.is_committee_member:
            committee.append(delegate)
        elif not _replaced(delegate):
            unreplaced.append(delegate)
    return Base(summoned, committee, unreplaced)


def _replaced(delegate: Delegate) -> bool:
    try:
        reserve = delegate.replaced_by
    except Delegate.DoesNotExist:
        return False
    return reserve.status == Status.ACTIVE
