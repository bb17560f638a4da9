"""Credentials review: decisions, complaints, the report's figures against a hand-computed
congress and the Hanoi 2015 shape, the Word export read back, and the pages."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.base import compute_base
from daihoi.delegates.models import (
    AbsenceNote,
    Attendance,
    Category,
    CredentialComplaint,
    Credentials,
    Delegate,
    Session,
)
from daihoi.delegates.services.credentials import (
    credentials_report,
    decide,
    record_complaint,
    resolve_complaint,
)
from daihoi.delegates.services.credentials_docx import credentials_docx
from daihoi.delegates.services.roster import replace_with_reserve, withdraw
from tests.delegates.test_base import make

pytestmark = pytest.mark.django_db

START = dt.date(2020, 10, 11)
EX, EL, AP, RE = Category.EX_OFFICIO, Category.ELECTED, Category.APPOINTED, Category.RESERVE
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
THAC_SI_NFD = unicodedata.normalize("NFD", "Thạc sĩ")


def born(age: int) -> dt.date:
    """A birth date giving `age` on the opening day (11/10/2020), birthday already passed."""
    return dt.date(2020 - age, 1, 15)


# The 20 people in the summoned seats: 19 active officials and reserve R1, who fills the seat of
# the withdrawn official W. R2 stands in for B12 (absent, not withdrawn): not a seat of its own.
# key, name, category, gender, birth date, ethnicity, education, political theory
PEOPLE = [
    ("E1", "Nguyễn Văn An", EX, "nam", born(61), "Kinh", "Tiến sĩ", "Cao cấp"),
    ("E2", "Trần Thị Bình", EX, "nu", born(55), "Kinh", "Thạc sĩ", "Cao cấp"),
    ("E3", "Lê Văn Cường", EX, "nam", born(58), "Tày", "Tiến sĩ", "Cao cấp"),
    ("E4", "Phạm Thị Dung", EX, "nu", born(57), "KINH", "thạc sĩ", "CAO CẤP"),
    ("B1", "Hoàng Văn Đức", EL, "nam", born(56), "Kinh", "Tiến sĩ", "Cao cấp"),
    ("B2", "Vũ Thị Hà", EL, "nu", born(54), "Mường", "Cử nhân", "Cao cấp"),
    ("B3", "Đặng Văn Hùng", EL, "nam", born(53), "", "Thạc sĩ", "Cao cấp"),
    ("B4", "Bùi Thị Lan", EL, "nu", born(52), "Kinh", "Cử nhân", "Trung cấp"),
    ("B5", "Đỗ Văn Long", EL, "nam", born(51), "Kinh", THAC_SI_NFD, "Cao cấp"),
    ("B6", "Hồ Thị Mai", EL, "nu", born(50), "thái", "Thạc  sĩ", "Cao cấp"),
    ("B7", "Ngô Văn Nam", EL, "nam", born(50), "Kinh", "Tiến sĩ", "Cao cấp"),
    ("B8", "Dương Văn Phúc", EL, "nam", born(48), "Kinh", "Cử nhân", "Cao cấp"),
    ("B9", "Lý Thị Quỳnh", EL, "nu", born(47), "", "", "Trung cấp"),
    ("B10", "Mai Văn Sơn", EL, "nam", born(45), "Kinh", "Thạc sĩ", "Cao cấp"),
    ("B11", "Trịnh Văn Tâm", EL, "nam", born(40), "Kinh", "Thạc sĩ", "Cao cấp"),
    # 40 on 11/10/2020 would be born 11/10/1980; born a day later, still 39 that day.
    ("B12", "Cao Văn Thắng", EL, "nam", dt.date(1980, 10, 12), "Kinh", "Cử nhân", "Cao cấp"),
    ("B13", "Đinh Văn Vinh", EL, "nam", born(38), "Kinh", "Tiến sĩ", "Cao cấp"),
    ("B14", "Lương Văn Xuân", EL, "nam", born(59), "Kinh", "Thạc sĩ", "Cao cấp"),
    ("A1", "Tạ Thị Yến", AP, "nu", born(55), "Kinh", "Cử nhân", "Trung cấp"),
    ("W", "Phan Thị Rút", EL, "nu", born(30), "Kinh", "Thạc sĩ", "Cao cấp"),
    # 33 exactly on the opening day: the birthday counts.
    ("R1", "Kiều Văn Thay", RE, "nam", dt.date(1987, 10, 11), "Kinh", "", "Sơ cấp"),
    ("R2", "Quách Thị Dự", RE, "nu", born(35), "Dao", "Tiến sĩ", "Sơ cấp"),
]


@pytest.fixture
def committee(role_user):
    return role_user(Role.CREDENTIALS_COMMITTEE)


@pytest.fixture
def hall(congress, staff, committee):
    congress.start_date = START
    congress.save()
    d = {}
    for key, name, category, gender, birth, ethnicity, education, theory in PEOPLE:
        d[key] = make(
            congress, name, category, gender=gender, birth_date=birth, ethnicity=ethnicity,
            education=education, political_theory=theory,
        )  # fmt: skip
    withdraw(staff, d["W"], "Chuyển công tác")
    replace_with_reserve(staff, d["W"], d["R1"])
    replace_with_reserve(staff, d["B12"], d["R2"])
    now = timezone.now()
    first = Session.objects.create(
        congress=congress, name="Phiên trù bị", kind="preparatory", starts_at=now
    )
    second = Session.objects.create(
        congress=congress, name="Phiên khai mạc", kind="official", starts_at=now
    )
    absent = {"B10", "B11", "B12", "W"}
    for key, person in d.items():
        if key in absent:
            continue
        sessions = [first] if key == "B6" else [first, second]
        for session in sessions:
            Attendance.objects.create(delegate=person, session=session, present_at=now)
    AbsenceNote.objects.create(delegate=d["B10"], reason="Ốm, điều trị tại bệnh viện")
    AbsenceNote.objects.create(delegate=d["B12"], reason="Đi công tác nước ngoài")
    AbsenceNote.objects.create(delegate=d["B12"], reason="Đi công tác nước ngoài")  # twice
    for key in [p[0] for p in PEOPLE[:17]] + ["A1"]:
        decide(committee, d[key], qualified=True)
    decide(committee, d["B14"], qualified=False, reason="Đang bị xem xét kỷ luật")
    complaint = record_complaint(committee, d["B14"], dt.date(2020, 10, 5), "Đơn tố cáo")
    resolve_complaint(committee, complaint, "Đã xác minh, có cơ sở")
    record_complaint(committee, d["E1"], dt.date(2020, 10, 6), "Đơn phản ánh")
    d["first"], d["second"] = first, second
    return d


def rows(block):
    return [(row.label, row.count, row.percent) for row in block]


def test_report_by_hand(congress, hall, django_assert_num_queries):
    with django_assert_num_queries(3):
        report = credentials_report(congress)
    # Summoned: 19 active officials + W's seat (filled by R1) = 20, as the base counts it.
    assert report.summoned == 20 == compute_base(congress).summoned
    # Categories: E1–E4 = 4, B1–B14 = 14, A1 = 1, R1 in W's seat = 1.
    assert rows(report.categories) == [
        ("Đương nhiên", 4, "20,00%"),
        ("Được bầu", 14, "70,00%"),
        ("Chỉ định", 1, "5,00%"),
        ("Dự khuyết thay đại biểu đã rút", 1, "5,00%"),
    ]
    assert (report.reserves, report.reserves_seated) == (2, 1)
    # Absent from every session: B10, B11, B12; 17 present.
    assert (report.present.count, report.present.percent) == (17, "85,00%")
    assert (report.absent.count, report.absent.percent) == (3, "15,00%")
    assert [(a.full_name, a.reason, a.replacement) for a in report.absentees] == [
        ("Mai Văn Sơn", "Ốm, điều trị tại bệnh viện", ""),
        ("Trịnh Văn Tâm", "chưa rõ lý do", ""),
        ("Cao Văn Thắng", "Đi công tác nước ngoài", "Quách Thị Dự"),
    ]
    # Women: E2, E4, B2, B4, B6, B9, A1 = 7 (W and R2 hold no seat).
    assert (report.women.count, report.women.percent) == (7, "35,00%")
    # Minorities: Tày, Mường, thái = 3 ("KINH" is Kinh); blank: B3, B9 = 2.
    assert (report.minorities.count, report.minorities.percent) == (3, "15,00%")
    assert (report.ethnicity_unknown.count, report.ethnicity_unknown.percent) == (2, "10,00%")
    # Thạc sĩ: E2, E4 (lower case), B3, B5 (NFD), B6 (two spaces), B10, B11, B14 = 8, shown as
    # first typed (E2); Cử nhân: B2, B4, B8, B12, A1 = 5; Tiến sĩ: E1, E3, B1, B7, B13 = 5 —
    # a tie, so Vietnamese order (C before T); blank: B9, R1 = 2, last.
    assert rows(report.education) == [
        ("Thạc sĩ", 8, "40,00%"),
        ("Cử nhân", 5, "25,00%"),
        ("Tiến sĩ", 5, "25,00%"),
        ("Chưa ghi", 2, "10,00%"),
    ]
    # Cao cấp: 16 (E4 typed "CAO CẤP"); Trung cấp: B4, B9, A1; Sơ cấp: R1.
    assert rows(report.political_theory) == [
        ("Cao cấp", 16, "80,00%"),
        ("Trung cấp", 3, "15,00%"),
        ("Sơ cấp", 1, "5,00%"),
    ]
    ages = report.ages
    # 61+55+58+57+56+54+53+52+51+50+50+48+47+45+40+39+38+59+55+33 = 1001; 1001/20 = 50,05.
    assert ages.on == START
    assert ages.average == "50,1"  # rounded half up
    assert ([p.full_name for p in ages.youngest], ages.youngest_age) == (["Kiều Văn Thay"], 33)
    assert ([p.full_name for p in ages.oldest], ages.oldest_age) == (["Nguyễn Văn An"], 61)
    # Under 40: 39, 38, 33; 40–50: 50, 50, 48, 47, 45, 40; over 50: the other 11.
    assert rows(ages.bands) == [
        ("Dưới 40 tuổi", 3, "15,00%"),
        ("Từ 40 đến 50 tuổi", 6, "30,00%"),
        ("Trên 50 tuổi", 11, "55,00%"),
    ]
    # Decided qualified: 17 + A1 = 18; B14 not qualified; R1 not yet reviewed.
    assert (report.qualified, report.pending) == (18, 1)
    assert [(p.full_name, p.reason) for p in report.not_qualified] == [
        ("Lương Văn Xuân", "Đang bị xem xét kỷ luật")
    ]
    assert (report.complaints_received, report.complaints_resolved) == (2, 1)


def test_report_for_one_session(congress, hall):
    report = credentials_report(congress, hall["second"])
    # B6 came to the preparatory session only.
    assert report.session_name == "Phiên khai mạc"
    assert (report.present.count, report.present.percent) == (16, "80,00%")
    assert (report.absent.count, report.absent.percent) == (4, "20,00%")
    assert ("Hồ Thị Mai", "chưa rõ lý do") in [(a.full_name, a.reason) for a in report.absentees]


def test_age_uses_today_without_a_start_date(congress):
    make(congress, "Một", birth_date=dt.date(1970, 1, 1))
    report = credentials_report(congress)
    today = timezone.localdate()
    assert report.ages.on == today
    assert report.ages.oldest_age == today.year - 1970


def test_empty_congress(congress):
    report = credentials_report(congress)
    assert report.summoned == 0
    assert report.present.percent == "0,00%"
    assert report.ages.average == ""
    assert credentials_docx(congress)[:2] == b"PK"


@pytest.fixture
def hanoi_2015(congress):
    """500 summoned = 68 ex officio + 432 elected; 495 present at the session."""
    delegates = [
        Delegate(
            congress=congress,
            number=n,
            full_name=f"Đại biểu {n}",
            gender="nam",
            birth_date=dt.date(1965, 1, 1),
            ethnicity="Kinh",
            category=EX if n <= 68 else EL,
            import_key=f"hn-{n}",
        )  # fmt: skip
        for n in range(1, 501)
    ]
    Delegate.objects.bulk_create(delegates)
    session = Session.objects.create(
        congress=congress, name="Phiên khai mạc", kind="official", starts_at=timezone.now()
    )
    now = timezone.now()
    Attendance.objects.bulk_create(
        Attendance(delegate=d, session=session, present_at=now)
        for d in Delegate.objects.filter(congress=congress, number__lte=495)
    )
    return session


def test_hanoi_2015_shape(congress, hanoi_2015):
    report = credentials_report(congress, hanoi_2015)
    assert report.summoned == 500
    assert rows(report.categories) == [
        ("Đương nhiên", 68, "13,60%"),
        ("Được bầu", 432, "86,40%"),
        ("Chỉ định", 0, "0,00%"),
    ]
    assert (report.present.count, report.present.percent) == (495, "99,00%")
    assert (report.absent.count, report.absent.percent) == (5, "1,00%")


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_docx_hanoi_2015(congress, hanoi_2015):
    text = docx_text(credentials_docx(congress, hanoi_2015))
    assert "BAN THẨM TRA TƯ CÁCH ĐẠI BIỂU" in text
    assert "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" in text
    assert "BÁO CÁO" in text
    assert f"Thẩm tra tư cách đại biểu dự {congress.title}" in text
    assert (
        "Tổng số đại biểu được triệu tập: 500 đồng chí, trong đó: đại biểu đương nhiên 68 đồng "
        "chí (chiếm 13,60%), đại biểu được bầu 432 đồng chí (chiếm 86,40%)."
    ) in text
    assert (
        "Số đại biểu có mặt tại phiên khai mạc: 495 đồng chí (chiếm 99,00%); vắng mặt: "
        "5 đồng chí (chiếm 1,00%)."
    ) in text
    assert "Đại biểu 500" in text  # in the table of absent delegates
    assert "chưa rõ lý do" in text


def test_docx_by_hand(congress, hall):
    text = docx_text(credentials_docx(congress))
    assert "Đại biểu dự khuyết: 2 đồng chí, trong đó 1 đồng chí thay thế" in text
    assert "Đại biểu nữ: 7 đồng chí (chiếm 35,00%)." in text
    assert (
        "Đại biểu là người dân tộc thiểu số: 3 đồng chí (chiếm 15,00%); chưa ghi dân tộc: "
        "2 đồng chí (chiếm 10,00%)."
    ) in text
    assert (
        "Về trình độ chuyên môn: Thạc sĩ 8 đồng chí (chiếm 40,00%); Cử nhân 5 đồng chí "
        "(chiếm 25,00%); Tiến sĩ 5 đồng chí (chiếm 25,00%); Chưa ghi 2 đồng chí (chiếm 10,00%)."
    ) in text
    assert "tuổi bình quân 50,1" in text
    assert (
        "dưới 40 tuổi 3 đồng chí (chiếm 15,00%); từ 40 đến 50 tuổi 6 đồng chí (chiếm 30,00%); "
        "trên 50 tuổi 11 đồng chí (chiếm 55,00%)."
    ) in text
    assert "đồng chí Nguyễn Văn An, 61 tuổi" in text
    assert "đồng chí Kiều Văn Thay, 33 tuổi" in text
    assert "Ốm, điều trị tại bệnh viện" in text
    assert "Đi công tác nước ngoài (đại biểu dự khuyết Quách Thị Dự thay)" in text
    number = hall["B14"].number
    assert f"1. Đồng chí Lương Văn Xuân (số {number}): Đang bị xem xét kỷ luật." in text
    assert "đã nhận 2 đơn thư" in text


# --- decisions and complaints ---


def audit(action: str) -> list[dict]:
    entries = AuditEntry.objects.filter(action=action).order_by("seq")
    return [json.loads(entry.data) for entry in entries]


def test_decide_records_and_audits_changes(congress, committee):
    delegate = make(congress, "Nguyễn Văn Một")
    decide(committee, delegate, qualified=True)
    delegate.refresh_from_db()
    assert delegate.credentials == Credentials.QUALIFIED
    assert delegate.credentials_decided_at is not None
    decide(committee, delegate, qualified=True)  # the same again: no second entry
    decide(committee, delegate, qualified=False, reason="Không đủ điều kiện")
    delegate.refresh_from_db()
    assert delegate.credentials == Credentials.NOT_QUALIFIED
    assert audit("delegate.credentials_decided") == [
        {"old": "pending", "new": "qualified", "old_reason": "", "reason": ""},
        {
            "old": "qualified",
            "new": "not_qualified",
            "old_reason": "",
            "reason": "Không đủ điều kiện",
        },
    ]


def test_not_qualified_needs_a_reason(congress, committee):
    delegate = make(congress, "Nguyễn Văn Một")
    with pytest.raises(InvalidInput) as error:
        decide(committee, delegate, qualified=False, reason="   ")
    assert error.value.code == "reason_required"
    delegate.refresh_from_db()
    assert delegate.credentials == Credentials.PENDING


@pytest.mark.parametrize("role", [Role.ORGANISING_STAFF, Role.DELEGATE, Role.PRESIDIUM])
def test_only_the_committee_decides(congress, role_user, role):
    actor = role_user(role)
    delegate = make(congress, "Nguyễn Văn Một")
    with pytest.raises(NotAllowed):
        decide(actor, delegate, qualified=True)
    with pytest.raises(NotAllowed):
        record_complaint(actor, delegate, dt.date(2020, 10, 1), "Đơn")
    assert not AuditEntry.objects.filter(action="delegate.credentials_decided").exists()


def test_nfd_input_is_stored_nfc(congress, committee):
    delegate = make(congress, "Nguyễn Văn Một")
    reason = unicodedata.normalize("NFD", "Chưa đủ tuổi đảng")
    decide(committee, delegate, qualified=False, reason=reason)
    delegate.refresh_from_db()
    assert delegate.credentials_reason == unicodedata.normalize("NFC", reason)
    complaint = record_complaint(
        committee, delegate, dt.date(2020, 10, 1), unicodedata.normalize("NFD", "Đơn tố cáo")
    )
    assert complaint.summary == "Đơn tố cáo"


def test_complaint_rules(congress, committee):
    delegate = make(congress, "Nguyễn Văn Một")
    with pytest.raises(InvalidInput) as error:
        record_complaint(committee, delegate, dt.date(2020, 10, 1), " ")
    assert error.value.code == "summary_required"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as error:
        record_complaint(committee, delegate, tomorrow, "Đơn")
    assert error.value.code == "future_date"
    complaint = record_complaint(committee, delegate, dt.date(2020, 10, 1), "Đơn tố cáo")
    with pytest.raises(InvalidInput) as error:
        resolve_complaint(committee, complaint, "")
    assert error.value.code == "resolution_required"
    resolve_complaint(committee, complaint, "Không có cơ sở")
    complaint.refresh_from_db()
    assert complaint.resolution == "Không có cơ sở"
    assert complaint.resolved_at is not None
    assert audit("delegate.complaint_recorded")[0]["summary"] == "Đơn tố cáo"
    assert audit("delegate.complaint_resolved") == [
        {"delegate": delegate.pk, "old": "", "resolution": "Không có cơ sở"}
    ]


# --- pages ---

WORKLIST = reverse("delegates:credentials")
REPORT = reverse("delegates:credentials_report")
REPORT_DOCX = reverse("delegates:credentials_report_docx")


def test_urls():
    assert WORKLIST == "/dai-bieu/tham-tra/"
    assert REPORT == "/dai-bieu/tham-tra/bao-cao/"
    assert REPORT_DOCX == "/dai-bieu/tham-tra/bao-cao.docx"


def test_liaison_gets_403(client, congress, role_user, unit):
    delegate = make(congress, "Nguyễn Văn Một")
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    for url in (WORKLIST, REPORT, REPORT_DOCX):
        assert client.get(url).status_code == 403
    decide_url = reverse("delegates:credentials_decide", args=[delegate.pk])
    assert client.post(decide_url, {"decision": "qualified"}).status_code == 403


def test_staff_reads_the_report_but_may_not_decide(client, congress, staff):
    delegate = make(congress, "Nguyễn Văn Một")
    client.force_login(staff)
    assert client.get(REPORT).status_code == 200
    page = client.get(WORKLIST)
    assert page.status_code == 200
    assert "Ghi kết luận" not in page.content.decode()
    decide_url = reverse("delegates:credentials_decide", args=[delegate.pk])
    assert client.post(decide_url, {"decision": "qualified"}).status_code == 403


def test_committee_decides_through_the_worklist(client, congress, committee):
    delegate = make(congress, "Nguyễn Văn Một")
    client.force_login(committee)
    page = client.get(WORKLIST)
    assert "Ghi kết luận" in page.content.decode()
    decide_url = reverse("delegates:credentials_decide", args=[delegate.pk])
    refused = client.post(decide_url, {"decision": "not_qualified", "reason": ""}, follow=True)
    assert "Cần ghi lý do" in refused.content.decode()
    done = client.post(
        decide_url,
        {"decision": "not_qualified", "reason": "Sai lý lịch", "next": WORKLIST},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == WORKLIST
    delegate.refresh_from_db()
    assert (delegate.credentials, delegate.credentials_reason) == ("not_qualified", "Sai lý lịch")
    filtered = client.get(WORKLIST, {"trang-thai": "pending"})
    assert list(filtered.context["page_obj"]) == []
    # An outside address in "next" is ignored.
    away = client.post(decide_url, {"decision": "qualified", "next": "https://example.com/"})
    assert away["Location"] == WORKLIST


def test_committee_records_and_resolves_a_complaint(client, congress, committee):
    delegate = make(congress, "Nguyễn Văn Một")
    client.force_login(committee)
    data = {"number": delegate.number, "received_on": "05/10/2020", "summary": "Đơn tố cáo"}
    client.post(reverse("delegates:complaint_add"), data)
    complaint = CredentialComplaint.objects.get()
    assert (complaint.delegate, complaint.received_on) == (delegate, dt.date(2020, 10, 5))
    bad = client.post(
        reverse("delegates:complaint_add"), {**data, "received_on": "32/13/2020"}, follow=True
    )
    assert "Ngày không hợp lệ" in bad.content.decode()
    client.post(
        reverse("delegates:complaint_resolve", args=[complaint.pk]), {"resolution": "Đã xử lý"}
    )
    complaint.refresh_from_db()
    assert complaint.resolution == "Đã xử lý"
    assert "Đơn tố cáo" in client.get(WORKLIST).content.decode()


def test_report_page_and_docx_download(client, congress, hall, committee):
    client.force_login(committee)
    page = client.get(REPORT, {"phien": hall["second"].pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "80,00%" in html
    assert f'href="{REPORT_DOCX}?phien={hall["second"].pk}"' in html
    download = client.get(REPORT_DOCX, {"phien": hall["second"].pk})
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX
    assert "attachment" in download["Content-Disposition"]
    text = docx_text(download.content)
    assert "Số đại biểu có mặt tại phiên khai mạc: 16 đồng chí (chiếm 80,00%)" in text


def test_report_page_query_count_does_not_grow(
    client, congress, committee, django_assert_num_queries, django_assert_max_num_queries
):
    make(congress, "Một")
    client.force_login(committee)
    client.get(REPORT)
    with django_assert_max_num_queries(20) as one:
        client.get(REPORT)
    make(congress, "Hai", education="Thạc sĩ")
    make(congress, "Ba", political_theory="Cao cấp")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(REPORT)


def test_panel_on_the_delegate_page(client, congress, committee, role_user):
    account = role_user(Role.DELEGATE)
    own = make(congress, "Nguyễn Văn Chính Mình", user=account)
    detail = reverse("delegates:detail", args=[own.pk])
    client.force_login(account)
    html = client.get(detail).content.decode()
    assert "Ghi kết luận" not in html
    assert reverse("delegates:credentials") not in html
    client.force_login(committee)
    html = client.get(detail).content.decode()
    assert "Ghi kết luận" in html
    assert reverse("delegates:credentials_decide", args=[own.pk]) in html


def test_worklist_query_count_does_not_grow(
    client, congress, committee, django_assert_num_queries, django_assert_max_num_queries
):
    first = make(congress, "Một")
    record_complaint(committee, first, dt.date(2020, 10, 1), "Đơn một")
    client.force_login(committee)
    client.get(WORKLIST)
    with django_assert_max_num_queries(20) as one:
        client.get(WORKLIST)
    for name in ("Hai", "Ba"):
        record_complaint(committee, make(congress, name), dt.date(2020, 10, 2), "Đơn")
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(WORKLIST)
    assert len(page.context["page_obj"]) == 3
