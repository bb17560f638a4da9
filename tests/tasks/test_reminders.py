"""Reminders: daily digests (e-mail + notifications, once a day), the done setting, and the
written reminder (công văn đôn đốc) registered in the document register."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document as open_docx

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Congress, CongressLevel, Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.documents.models import Document
from daihoi.tasks.models import Notification
from daihoi.tasks.reminders import (
    DUE_SOON,
    OVERDUE,
    build_digests,
    draft_written_reminder,
    issue_written_reminder,
    send_digests,
)
from daihoi.tasks.services.create import TaskSpec, create_task
from daihoi.tasks.services.progress import submit_product
from daihoi.tasks.tasks import send_daily_digests
from daihoi.vietnamese import format_date
from tests.factories import UnitFactory, make_user_with_role

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def make(title, lead, due=None, *, coordinating=(), chain=(), text=""):
    return create_task(
        None,
        TaskSpec(
            title=title,
            lead_units=[lead],
            coordinating_units=list(coordinating),
            deadline_kind="date" if due else "none",
            deadline_date=due,
            deadline_text=text,
            approval_chain=list(chain),
        ),
        allow_past_deadline=True,
    )


@pytest.fixture
def world():
    today = timezone.localdate()
    unit = UnitFactory(name="Quận ủy Hoàn Kiếm")
    other = UnitFactory(name="Sở Văn hóa và Thể thao")
    staff = make_user_with_role(Role.ORGANISING_STAFF)
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=unit, email="dau.moi@hoankiem.vn")
    other_liaison = make_user_with_role(Role.UNIT_LIAISON, unit=other, email="so@vhtt.vn")
    gone = make_user_with_role(Role.UNIT_LIAISON, unit=unit, email="cu@hoankiem.vn")
    gone.is_active = False
    gone.save()
    t = {
        "soon": make("Chuẩn bị khánh tiết", unit, today + 3 * DAY),
        "overdue": make("Báo cáo an ninh", unit, today - 2 * DAY, text="trước ngày 30/8/2020"),
        "coordinating": make("Tuyên truyền trực quan", other, today - DAY, coordinating=[unit]),
        "far": make("Tổng kết sau đại hội", unit, today + 30 * DAY),
        "done": make("Đã xong từ trước", unit, today - 5 * DAY),
        "none": make("Việc thường xuyên", unit),
        "waiting": make(
            "Trình đề án trang trí", unit, today - 3 * DAY, chain=["Thường trực Tiểu ban"]
        ),
    }
    submit_product(staff, t["done"])  # no chain: approved on submission
    submit_product(staff, t["waiting"])  # submitted, not yet approved
    return {
        "today": today,
        "unit": unit,
        "other": other,
        "staff": staff,
        "liaison": liaison,
        "other_liaison": other_liaison,
        "t": t,
    }


def digest_of(digests, user):
    (digest,) = [d for d in digests if d.user == user]
    return digest


def test_digest_holds_due_soon_and_overdue_lead_first(world):
    t = world["t"]
    digests = build_digests(world["today"])
    assert {d.user for d in digests} == {world["liaison"], world["other_liaison"]}
    mine = digest_of(digests, world["liaison"])
    assert [(i.task, i.kind, i.is_lead) for i in mine.items] == [
        (t["waiting"], OVERDUE, True),
        (t["overdue"], OVERDUE, True),
        (t["soon"], DUE_SOON, True),
        (t["coordinating"], OVERDUE, False),
    ]
    assert [i.days for i in mine.items] == [3, 2, 3, 1]
    theirs = digest_of(digests, world["other_liaison"])
    assert [(i.task, i.is_lead) for i in theirs.items] == [(t["coordinating"], True)]


def test_done_setting_decides_what_is_overdue(world, settings):
    waiting = world["t"]["waiting"]
    settings.DAIHOI_TASK_DONE_MEANS = "approved"
    assert waiting in [
        i.task for i in digest_of(build_digests(world["today"]), world["liaison"]).items
    ]
    settings.DAIHOI_TASK_DONE_MEANS = "submitted"
    items = digest_of(build_digests(world["today"]), world["liaison"]).items
    assert waiting not in [i.task for i in items]
    assert world["t"]["overdue"] in [i.task for i in items]


def test_due_soon_window_is_the_setting(world, settings):
    settings.DAIHOI_DUE_SOON_DAYS = 2
    items = digest_of(build_digests(world["today"]), world["liaison"]).items
    assert world["t"]["soon"] not in [i.task for i in items]


def test_send_mails_notifies_and_is_idempotent_per_day(world):
    today, t = world["today"], world["t"]
    assert send_digests(today) == 2
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == ["dau.moi@hoankiem.vn"])
    assert message.subject == f"[daihoi] Nhiệm vụ sắp đến hạn và quá hạn — {format_date(today)}"
    for task in (t["soon"], t["overdue"], t["coordinating"], t["waiting"]):
        assert task.title in message.body
    assert t["far"].title not in message.body and t["done"].title not in message.body
    assert message.body.index("ĐƠN VỊ CHỦ TRÌ") < message.body.index("ĐƠN VỊ PHỐI HỢP")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Báo cáo an ninh" in html
    notes = Notification.objects.filter(user=world["liaison"])
    assert sorted((n.task_id, n.kind) for n in notes) == sorted(
        [
            (t["soon"].pk, DUE_SOON),
            (t["overdue"].pk, OVERDUE),
            (t["coordinating"].pk, OVERDUE),
            (t["waiting"].pk, OVERDUE),
        ]
    )
    assert AuditEntry.objects.filter(action="reminders.sent").count() == 1

    # The same day again: nothing new.
    assert send_digests(today) == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 5
    assert AuditEntry.objects.filter(action="reminders.sent").count() == 1

    # The rows now date from yesterday: today's run reminds again.
    Notification.objects.update(created_at=timezone.now() - 2 * DAY)
    assert send_digests(today) == 2
    assert Notification.objects.count() == 10


def test_new_item_later_the_same_day_is_sent_alone(world):
    today = world["today"]
    send_digests(today)
    late = make("Việc mới quá hạn", world["unit"], today - DAY)
    assert send_digests(today) == 1
    assert late.title in mail.outbox[-1].body
    assert world["t"]["soon"].title not in mail.outbox[-1].body


def test_liaison_without_email_still_gets_notifications(world):
    world["liaison"].email = ""
    world["liaison"].save()
    assert send_digests(world["today"]) == 1
    assert Notification.objects.filter(user=world["liaison"]).count() == 4


def test_celery_task_and_command_run_inline(world):
    # apply() runs the task in this process whether or not a broker is configured (the
    # PostgreSQL run of CI sets REDIS_URL, and no worker listens there).
    assert send_daily_digests.apply(args=[world["today"].isoformat()]).get() == 2
    out = io.StringIO()
    call_command("send_reminders", "--date", format_date(world["today"]), stdout=out)
    assert "gửi 0 thư nhắc việc" in out.getvalue()
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("send_reminders", "--date", "31/02/2020")


# --- written reminder ---


def docx_texts(content: bytes) -> str:
    document = open_docx(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_draft_letter_names_overdue_tasks_and_next_number(world):
    text = docx_texts(draft_written_reminder(world["staff"], world["unit"], None, world["today"]))
    assert "Số 01-CV/TBTCPV" in text
    assert "V/v đôn đốc thực hiện nhiệm vụ phục vụ Đại hội" in text
    assert "Kính gửi: Quận ủy Hoàn Kiếm" in text
    for key in ("overdue", "coordinating", "waiting"):
        assert world["t"][key].title in text
    assert "trước ngày 30/8/2020" in text  # the deadline as written
    assert world["t"]["soon"].title not in text and world["t"]["done"].title not in text


def test_only_staff_may_draft_or_issue(world):
    with pytest.raises(NotAllowed):
        draft_written_reminder(world["liaison"], world["unit"], None, world["today"])
    with pytest.raises(NotAllowed):
        issue_written_reminder(world["liaison"], world["unit"], None, world["today"])


def test_nothing_overdue_is_refused(world):
    quiet = UnitFactory()
    with pytest.raises(InvalidInput):
        draft_written_reminder(world["staff"], quiet, None, world["today"])


def test_issue_registers_cv_with_next_number_attaches_and_notifies(world):
    today, t = world["today"], world["t"]
    document = issue_written_reminder(world["staff"], world["unit"], [t["overdue"]], today)
    assert document.symbol == "01-CV/TBTCPV"
    assert document.doc_type.code == "CV" and document.issuer_code == "TBTCPV"
    assert document.date == today and "đôn đốc" in document.summary
    (attachment,) = document.attachments.all()
    with attachment.file.open("rb") as handle:
        text = docx_texts(handle.read())
    assert "Số 01-CV/TBTCPV" in text and t["overdue"].title in text
    assert t["waiting"].title not in text  # only the chosen task
    notes = Notification.objects.filter(user=world["liaison"], kind="written_reminder")
    assert [n.task for n in notes] == [t["overdue"]]
    assert "01-CV/TBTCPV" in notes[0].text
    assert AuditEntry.objects.filter(action="tasks.reminder_issued").count() == 1
    second = issue_written_reminder(world["staff"], world["unit"], None, today)
    assert second.symbol == "02-CV/TBTCPV"
    text = docx_texts(draft_written_reminder(world["staff"], world["unit"], None, today))
    assert "Số 03-CV/TBTCPV" in text


def test_letter_uses_congress_header_and_outgoing_term(world):
    today = world["today"]
    Congress.objects.create(
        party_organisation="Đảng bộ thành phố Hà Nội",
        level=CongressLevel.PROVINCE,
        ordinal=17,
        term_start=2020,
        term_end=2025,
        start_date=today + 60 * DAY,
        convening_committee=UnitFactory(name="Thành ủy Hà Nội"),
        is_current=True,
    )
    document = issue_written_reminder(world["staff"], world["unit"], None, today)
    assert document.term == "2015–2020"
    with document.attachments.get().file.open("rb") as handle:
        assert "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" in docx_texts(handle.read())


def test_reminder_pages(client, world):
    url = reverse("task_reminder", args=[world["unit"].pk])
    client.force_login(world["liaison"])
    assert client.get(url).status_code == 403
    client.force_login(world["staff"])
    page = client.get(url)
    assert page.status_code == 200 and "Báo cáo an ninh" in page.text
    draft = client.get(reverse("task_reminder_draft", args=[world["unit"].pk]))
    assert draft.status_code == 200 and draft["Content-Disposition"].endswith('.docx"')
    quiet = UnitFactory()
    assert client.get(reverse("task_reminder_draft", args=[quiet.pk])).status_code == 400
    issue = reverse("task_reminder_issue", args=[world["unit"].pk])
    response = client.post(issue, {"task": [world["t"]["overdue"].pk]}, follow=True)
    assert response.status_code == 200 and "01-CV/TBTCPV" in response.text
    assert Document.objects.filter(symbol="01-CV/TBTCPV").exists()


def test_letter_cites_the_source_documents(world):
    from daihoi.documents.models import DocumentLink, LinkKind
    from daihoi.documents.services import register_document

    today = world["today"]
    notice = register_document(
        None, symbol="2682-TB/TU", date=dt.date(2020, 6, 22), summary="Kết luận giao ban"
    )
    task = create_task(
        None,
        TaskSpec(
            title="Rà soát phương án bảo vệ",
            lead_units=[world["unit"]],
            deadline_kind="date",
            deadline_date=today - 4 * DAY,
        ),
        document=notice,
        allow_past_deadline=True,
    )
    text = docx_texts(draft_written_reminder(world["staff"], world["unit"], [task], today))
    assert "Thực hiện Thông báo số 2682-TB/TU" in text
    letter = issue_written_reminder(world["staff"], world["unit"], [task], today)
    assert DocumentLink.objects.filter(source=letter, target=notice, kind=LinkKind.CITES).exists()
