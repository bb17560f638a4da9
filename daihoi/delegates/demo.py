"""Demo delegates for the Hanoi XVII example, in the shape of Hanoi 2015 (domain.md §4): 500
summoned = 68 ex officio + 432 elected, 10 reserves, 495 present at the preparatory session and 5
absent with reasons; the sessions of the programme; badges; 12 groups. The names are invented
(generated from common family, middle and given names with a fixed seed). Idempotent: a congress
that has delegates is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from daihoi.audit.services import record
from daihoi.core.models import Congress, Role, Unit, User
from daihoi.delegates.models import (
    AbsenceNote,
    Attendance,
    Category,
    CheckInMethod,
    Delegate,
    Session,
    SessionKind,
)
from daihoi.delegates.services.badges import issue_missing
from daihoi.delegates.services.groups import auto_divide

EX_OFFICIO, ELECTED, RESERVES, GROUPS = 68, 432, 10, 12
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Phan", "Trịnh", "Đinh", "Lương", "Tạ", "Khuất", "Ông"]  # fmt: skip
MIDDLE_MEN = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Quốc", "Xuân", "Mạnh", "Tiến"]
MIDDLE_WOMEN = ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Thị Thu", "Lan", "Minh"]
GIVEN_MEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hiếu", "Hùng", "Khánh", "Long",
             "Nam", "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Đạt",
             "Ích", "Ẩn", "Ước"]  # fmt: skip
GIVEN_WOMEN = ["Anh", "Hà", "Hạnh", "Hoa", "Hương", "Hường", "Lan", "Linh", "Mai", "Nga",
               "Phương", "Tâm", "Thảo", "Trang", "Vân", "Yến", "Ánh", "Uyên"]  # fmt: skip
ETHNIC = ["Kinh"] * 46 + ["Mường", "Tày", "Dao", "Thái"]
EDUCATION = ["Thạc sĩ"] * 5 + ["Tiến sĩ"] * 3 + ["Đại học"] * 2 + ["Phó Giáo sư, Tiến sĩ"]
THEORY = ["Cao cấp"] * 9 + ["Trung cấp"]
ABSENT = [
    "Đi công tác nước ngoài theo phân công",
    "Ốm, điều trị tại bệnh viện",
    "Việc gia đình đột xuất",
    "Đi học tập trung dài hạn",
    "Ốm",
]


def _person(rng: random.Random, female: bool) -> tuple[str, str]:
    family = rng.choice(FAMILY)
    if female:
        return f"{family} {rng.choice(MIDDLE_WOMEN)} {rng.choice(GIVEN_WOMEN)}", "nu"
    return f"{family} {rng.choice(MIDDLE_MEN)} {rng.choice(GIVEN_MEN)}", "nam"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _sessions(congress: Congress) -> list[Session]:
    first = congress.start_date or timezone.localdate()
    programme = [
        ("Phiên trù bị", SessionKind.PREPARATORY, _at(first, 8)),
        ("Phiên khai mạc", SessionKind.OFFICIAL, _at(first + dt.timedelta(days=1), 8)),
        ("Phiên làm việc chiều ngày thứ nhất", SessionKind.OFFICIAL,
         _at(first + dt.timedelta(days=1), 14)),
        ("Phiên bế mạc", SessionKind.OFFICIAL, _at(first + dt.timedelta(days=2), 14)),
    ]  # fmt: skip
    return [
        Session.objects.get_or_create(
            congress=congress, name=name, defaults={"kind": kind, "starts_at": starts}
        )[0]
        for name, kind, starts in programme
    ]


@transaction.atomic
def load_demo_delegates() -> int:
    """Create the demo delegates; returns how many were created (0 when already there)."""
    congress = Congress.objects.filter(is_current=True).first()
    organiser = User.objects.filter(role_assignments__role=Role.ORGANISING_STAFF).first()
    if congress is None or organiser is None or congress.delegates.exists():
        return 0
    rng = random.Random(2025)
    units = list(Unit.objects.exclude(pk=congress.convening_committee_id).order_by("name"))
    delegate_account = User.objects.filter(role_assignments__role=Role.DELEGATE).first()
    rows: list[Delegate] = []
    kinds = (
        [Category.EX_OFFICIO] * EX_OFFICIO + [Category.ELECTED] * ELECTED
        + [Category.RESERVE] * RESERVES
    )  # fmt: skip
    for number, category in enumerate(kinds, start=1):
        female = rng.random() < 0.2
        name, gender = _person(rng, female)
        unit = units[(number * 7) % len(units)]
        ex_officio = category == Category.EX_OFFICIO
        rows.append(
            Delegate(
                congress=congress, number=number, full_name=name, gender=gender,
                birth_date=dt.date(rng.randint(1962, 1990), rng.randint(1, 12), rng.randint(1, 28)),
                ethnicity=rng.choice(ETHNIC), religion="Không", party_unit=unit,
                party_unit_text=unit.name,
                position=("Ủy viên Ban Chấp hành Đảng bộ Thành phố" if ex_officio
                          else f"Cán bộ {unit.name}"),
                education=rng.choice(EDUCATION), political_theory=rng.choice(THEORY),
                is_committee_member=ex_officio, category=category,
                import_key=f"demo-{number:04d}",
            )
        )  # fmt: skip
    if delegate_account is not None:
        # The demo delegate's own record, so "a delegate sees their own record" can be tried.
        rows[EX_OFFICIO].full_name = delegate_account.get_full_name() or rows[EX_OFFICIO].full_name
        rows[EX_OFFICIO].user = delegate_account
    Delegate.objects.bulk_create(rows)
    sessions = _sessions(congress)
    officials = list(
        Delegate.objects.filter(congress=congress).exclude(category=Category.RESERVE)
        .order_by("number")
    )  # fmt: skip
    absent = {d.pk for d in rng.sample(officials[EX_OFFICIO:], len(ABSENT))}
    moment = sessions[0].starts_at - dt.timedelta(minutes=30)
    Attendance.objects.bulk_create(
        Attendance(delegate=d, session=sessions[0], present_at=moment, method=CheckInMethod.QR)
        for d in officials
        if d.pk not in absent
    )
    for delegate, reason in zip((d for d in officials if d.pk in absent), ABSENT, strict=True):
        AbsenceNote.objects.create(delegate=delegate, reason=reason, whole_congress=False)
    issue_missing(organiser, congress)
    auto_divide(organiser, congress, GROUPS)
    record(None, "demo.delegates_loaded", congress, {"delegates": len(rows)})
    return len(rows)
