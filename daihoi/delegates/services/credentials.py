"""Credentials review (thẩm tra tư cách đại biểu): the committee's decisions, complaints about
delegates (đơn thư), and the figures of the credentials report (domain.md §4).

Who is counted. The report speaks of the delegates summoned (đại biểu được triệu tập), counted
exactly as the base does (base.py, `Base.summoned`): active official delegates, plus one seat for
each withdrawn official whose seat a reserve delegate fills. In the composition that seat is
described by the reserve who sits in it, so every composition block adds up to the delegates
summoned.

Which base each percentage uses:
- present, absent, every composition row (category, women, ethnic minorities, unknown
  ethnicity, education, political theory, age bands): of the delegates summoned;
- nothing is a percentage of those present: the congress reports its make-up against the list
  it summoned, and "present" is itself shown as a share of that list.
Percentages have two decimals and a decimal comma (`format_percent`: 68/500 → "13,60%"); the
average age has one decimal ("52,3").

Present means an attendance row in the given session, or in any session when none is given.
An ethnic minority is a typed ethnicity other than Kinh (compared without case or diacritics);
a blank one is counted apart as unknown. Education and political theory are grouped by the
typed value (NFC, spacing and case ignored) and shown in the first spelling met in number order.
Ages are whole years on the congress's opening day (today when it is not set).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Congress
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import (
    OFFICIAL_CATEGORIES,
    AbsenceNote,
    Attendance,
    Category,
    CredentialComplaint,
    Credentials,
    Delegate,
    Gender,
    Session,
    Status,
)
from daihoi.delegates.rules import can_decide_credentials
from daihoi.vietnamese import (
    collapse_whitespace,
    collation_key,
    fold,
    format_number,
    format_percent,
    nfc,
    person_sort_key,
)

MAJORITY_ETHNICITY = "kinh"  # compared folded: "Kinh", "KINH", "kinh"
# Age bands of the report: under 40, 40 to 50 inclusive, over 50.
YOUNG_LIMIT, OLD_LIMIT = 40, 50


# --- decisions and complaints ---


def _require_committee(actor) -> None:
    if not can_decide_credentials(actor):
        raise NotAllowed(
            _("Chỉ Ban Thẩm tra tư cách đại biểu được ghi kết quả thẩm tra và đơn thư.")
        )


def _clean(text: str | None) -> str:
    return nfc(text or "").strip()


@transaction.atomic
def decide(actor, delegate: Delegate, qualified: bool, reason: str = "") -> Delegate:
    """Record the committee's decision on one delegate; a later decision replaces it (audited)."""
    _require_committee(actor)
    delegate = Delegate.objects.select_for_update().get(pk=delegate.pk)
    reason = _clean(reason)
    new = Credentials.QUALIFIED if qualified else Credentials.NOT_QUALIFIED
    if new == Credentials.NOT_QUALIFIED and not reason:
        raise InvalidInput(
            _("Cần ghi lý do khi kết luận đại biểu không đủ tư cách."), code="reason_required"
        )
    old, old_reason = delegate.credentials, delegate.credentials_reason
    if old == new and old_reason == reason:
        return delegate  # the same form sent twice: nothing changes, nothing to log
    delegate.credentials = new
    delegate.credentials_reason = reason
    delegate.credentials_decided_at = timezone.now()
    delegate.save(
        update_fields=["credentials", "credentials_reason", "credentials_decided_at", "updated_at"]
    )
    record(
        actor,
        "delegate.credentials_decided",
        delegate,
        {"old": old, "new": new, "old_reason": old_reason, "reason": reason},
    )
    return delegate


@transaction.atomic
def record_complaint(
    actor, delegate: Delegate, received_on: dt.date, summary: str
) -> CredentialComplaint:
    """Ghi đơn thư: a complaint or denunciation about a delegate, as received."""
    _require_committee(actor)
    summary = _clean(summary)
    if not summary:
        raise InvalidInput(_("Cần ghi nội dung đơn thư."), code="summary_required")
    if received_on is None:
        raise InvalidInput(_("Cần ghi ngày nhận đơn thư."), code="date_required")
    if received_on > timezone.localdate():
        raise InvalidInput(_("Ngày nhận đơn thư không thể sau hôm nay."), code="future_date")
    complaint = CredentialComplaint.objects.create(
        delegate=delegate, received_on=received_on, summary=summary
    )
    record(
        actor,
        "delegate.complaint_recorded",
        complaint,
        {"delegate": delegate.pk, "received_on": received_on, "summary": summary},
    )
    return complaint


@transaction.atomic
def resolve_complaint(
    actor, complaint: CredentialComplaint, resolution: str
) -> CredentialComplaint:
    """Ghi kết quả xử lý đơn thư; a correction replaces the earlier result (audited)."""
    _require_committee(actor)
    complaint = CredentialComplaint.objects.select_for_update().get(pk=complaint.pk)
    resolution = _clean(resolution)
    if not resolution:
        raise InvalidInput(_("Cần ghi kết quả xử lý đơn thư."), code="resolution_required")
    old = complaint.resolution
    if old == resolution and complaint.resolved_at is not None:
        return complaint
    complaint.resolution = resolution
    complaint.resolved_at = timezone.now()
    complaint.save(update_fields=["resolution", "resolved_at"])
    record(
        actor,
        "delegate.complaint_resolved",
        complaint,
        {"delegate": complaint.delegate_id, "old": old, "resolution": resolution},
    )
    return complaint


# --- the report ---


@dataclass(frozen=True)
class Row:
    """One line of the composition: "Nữ: 12 đồng chí (chiếm 2,40%)"."""

    label: str
    count: int
    percent: str


@dataclass(frozen=True)
class Person:
    number: int
    full_name: str


@dataclass(frozen=True)
class AbsentDelegate:
    number: int
    full_name: str
    reason: str
    replacement: str = ""  # the reserve who sits in for them, if any


@dataclass(frozen=True)
class NotQualified:
    number: int
    full_name: str
    reason: str


@dataclass(frozen=True)
class Ages:
    on: dt.date  # the day ages are counted on (the opening day)
    average: str  # "52,3"; "" when nobody has a birth date
    youngest: tuple[Person, ...]
    youngest_age: int | None
    oldest: tuple[Person, ...]
    oldest_age: int | None
    bands: tuple[Row, ...]


@dataclass(frozen=True)
class CredentialsReport:
    congress_title: str
    session_name: str  # "" for the whole congress
    summoned: int
    present: Row
    absent: Row
    absentees: tuple[AbsentDelegate, ...]
    categories: tuple[Row, ...]  # add up to `summoned`
    reserves: int  # reserve delegates on the list (dự khuyết), shown apart
    reserves_seated: int  # of which filling the seat of a withdrawn official
    women: Row
    minorities: Row
    ethnicity_unknown: Row
    education: tuple[Row, ...]
    political_theory: tuple[Row, ...]
    ages: Ages
    qualified: int  # among the delegates summoned
    pending: int
    not_qualified: tuple[NotQualified, ...]  # every delegate of the congress so found
    complaints_received: int
    complaints_resolved: int


UNKNOWN_REASON = "chưa rõ lý do"

_FIELDS = (
    "pk", "number", "full_name", "gender", "birth_date", "ethnicity", "education",
    "political_theory", "category", "status", "credentials", "credentials_reason",
    "replaced_by__pk", "replaced_by__full_name", "present",
)  # fmt: skip


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _percent(count: int, whole: int) -> str:
    return format_percent(count, whole) if whole else format_percent(0, 1)


def _row(label: str, count: int, whole: int) -> Row:
    return Row(str(label), count, _percent(count, whole))


def _seats(rows: list[dict]) -> list[dict]:
    """The people in the summoned seats, counted as base.summoned counts them."""
    by_pk = {row["pk"]: row for row in rows}
    seats = []
    for row in rows:
        if row["category"] not in OFFICIAL_CATEGORIES:
            continue
        if row["status"] == Status.ACTIVE:
            seats.append(row)
        elif row["replaced_by__pk"] is not None:
            seats.append(by_pk[row["replaced_by__pk"]])
    return seats


def _grouped(values: Iterable[str], whole: int) -> tuple[Row, ...]:
    """Rows by typed value: grouped NFC and case-folded, shown in the first spelling seen;
    by count (largest first), then in Vietnamese order; the blank ones last."""
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    blank = 0
    for value in values:
        text = collapse_whitespace(nfc(value or ""))
        if not text:
            blank += 1
            continue
        key = text.casefold()
        shown.setdefault(key, text)
        counts[key] = counts.get(key, 0) + 1
    order = sorted(counts, key=lambda k: (-counts[k], collation_key(shown[k])))
    rows = [_row(shown[k], counts[k], whole) for k in order]
    if blank:
        rows.append(_row(_("Chưa ghi"), blank, whole))
    return tuple(rows)


def _people(rows: list[dict]) -> tuple[Person, ...]:
    ordered = sorted(rows, key=lambda r: person_sort_key(r["full_name"]))
    return tuple(Person(r["number"], r["full_name"]) for r in ordered)


def _ages(seats: list[dict], on: dt.date, whole: int) -> Ages:
    dated = [(row, _age(row["birth_date"], on)) for row in seats if row["birth_date"]]
    if not dated:
        return Ages(on, "", (), None, (), None, ())
    ages = [age for _r, age in dated]
    young, old = min(ages), max(ages)
    average = format_number(Decimal(sum(ages)) / Decimal(len(ages)), 1)
    bands = (
        _row(_("Dưới %(n)d tuổi") % {"n": YOUNG_LIMIT}, sum(a < YOUNG_LIMIT for a in ages), whole),
        _row(
            _("Từ %(low)d đến %(high)d tuổi") % {"low": YOUNG_LIMIT, "high": OLD_LIMIT},
            sum(YOUNG_LIMIT <= a <= OLD_LIMIT for a in ages),
            whole,
        ),
        _row(_("Trên %(n)d tuổi") % {"n": OLD_LIMIT}, sum(a > OLD_LIMIT for a in ages), whole),
    )
    return Ages(
        on=on,
        average=average,
        youngest=_people([r for r, a in dated if a == young]),
        youngest_age=young,
        oldest=_people([r for r, a in dated if a == old]),
        oldest_age=old,
        bands=bands,
    )


def _categories(seats: list[dict], whole: int) -> tuple[Row, ...]:
    labels = dict(Category.choices)
    rows = [
        _row(labels[category], sum(s["category"] == category for s in seats), whole)
        for category in OFFICIAL_CATEGORIES
    ]
    seated = sum(s["category"] == Category.RESERVE for s in seats)
    if seated:
        rows.append(_row(_("Dự khuyết thay đại biểu đã rút"), seated, whole))
    return tuple(rows)


def _absence_reasons(congress: Congress) -> dict[int, str]:
    notes = (
        AbsenceNote.objects.filter(delegate__congress=congress)
        .order_by("created_at", "pk")
        .values_list("delegate_id", "reason")
    )
    reasons: dict[int, list[str]] = {}
    for delegate_id, reason in notes:
        text = collapse_whitespace(nfc(reason))
        if text and text not in reasons.setdefault(delegate_id, []):
            reasons[delegate_id].append(text)
    return {pk: "; ".join(texts) for pk, texts in reasons.items() if texts}


def credentials_report(congress: Congress, session: Session | None = None) -> CredentialsReport:
    """Every figure of the credentials report, in three queries whatever the congress's size."""
    attended = Attendance.objects.filter(delegate=OuterRef("pk"))
    if session is not None:
        attended = attended.filter(session=session)
    rows = list(
        Delegate.objects.filter(congress=congress)
        .annotate(present=Exists(attended))
        .order_by("number")
        .values(*_FIELDS)
    )
    seats = _seats(rows)
    whole = len(seats)
    reasons = _absence_reasons(congress)
    complaints = CredentialComplaint.objects.filter(delegate__congress=congress).aggregate(
        received=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False))
    )

    present = [s for s in seats if s["present"]]
    absentees = tuple(
        AbsentDelegate(
            s["number"],
            s["full_name"],
            reasons.get(s["pk"], UNKNOWN_REASON),
            s["replaced_by__full_name"] or "",
        )
        for s in seats
        if not s["present"]
    )
    ethnicities = [fold(s["ethnicity"] or "") for s in seats]
    not_qualified = tuple(
        NotQualified(r["number"], r["full_name"], r["credentials_reason"])
        for r in rows
        if r["credentials"] == Credentials.NOT_QUALIFIED
    )
    on = congress.start_date or timezone.localdate()
    return CredentialsReport(
        congress_title=congress.title,
        session_name=session.name if session is not None else "",
        summoned=whole,
        present=_row(_("Có mặt"), len(present), whole),
        absent=_row(_("Vắng mặt"), len(absentees), whole),
        absentees=absentees,
        categories=_categories(seats, whole),
        reserves=sum(
            r["category"] == Category.RESERVE and r["status"] == Status.ACTIVE for r in rows
        ),
        reserves_seated=sum(s["category"] == Category.RESERVE for s in seats),
        women=_row(_("Nữ"), sum(s["gender"] == Gender.FEMALE for s in seats), whole),
        minorities=_row(
            _("Dân tộc thiểu số"),
            sum(bool(e) and e != MAJORITY_ETHNICITY for e in ethnicities),
            whole,
        ),
        ethnicity_unknown=_row(_("Chưa ghi dân tộc"), ethnicities.count(""), whole),
        education=_grouped((s["education"] for s in seats), whole),
        political_theory=_grouped((s["political_theory"] for s in seats), whole),
        ages=_ages(seats, on, whole),
        qualified=sum(s["credentials"] == Credentials.QUALIFIED for s in seats),
        pending=sum(s["credentials"] == Credentials.PENDING for s in seats),
        not_qualified=not_qualified,
        complaints_received=complaints["received"],
        complaints_resolved=complaints["resolved"],
    )
