"""Proposing tasks from a document's text, reviewing them, and accepting some."""

from __future__ import annotations

import pytest
from django.urls import reverse

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role, Unit
from daihoi.documents.services.register import register_document
from daihoi.tasks.models import Task

pytestmark = pytest.mark.django_db

TEXT = (
    "Giao Ban Tuyên giáo Thành ủy chủ trì, phối hợp với Sở Văn hóa và Thể thao xây dựng "
    "phương án trang trí, báo cáo Tiểu ban trong tháng 7/2020.\n"
    "Đài Phát thanh và Truyền hình Hà Nội hoàn thành phim tài liệu trước ngày 30/8/2020.\n"
    "Giao Trung tâm Hội nghị Quốc gia chủ trì chuẩn bị hội trường trước ngày 15/9/2020.\n"
)


@pytest.fixture
def document(db):
    for name, kind in [
        ("Ban Tuyên giáo Thành ủy", "party_organ"),
        ("Sở Văn hóa và Thể thao", "state_department"),
        ("Đài Phát thanh và Truyền hình Hà Nội", "media"),
    ]:
        Unit.objects.get_or_create(name=name, defaults={"kind": kind})
    return register_document(
        None, symbol="2682-TB/TU", date="22/06/2020", summary="Kết luận giao ban", body=TEXT
    )


def _analyse(client, document, **data):
    return client.post(reverse("propose_tasks", args=[document.pk]), {"step": "analyse", **data})


def test_paste_review_and_accept(client, role_user, document):
    client.force_login(role_user(Role.SUBCOMMITTEE_STANDING))
    page = client.get(reverse("propose_tasks", args=[document.pk]))
    assert page.status_code == 200 and "Phân tích và đề xuất" in page.text
    analysed = _analyse(client, document, text=TEXT)
    assert analysed.status_code == 200
    formset = analysed.context["formset"]
    assert len(formset.forms) == 3
    first = formset.forms[0].initial
    assert first["lead"] == "Ban Tuyên giáo Thành ủy"
    assert "Sở Văn hóa và Thể thao" in first["coordinating"]
    assert first["deadline_kind"] == "month" and first["deadline_date"].isoformat() == "2020-07-31"
    assert "Trung tâm Hội nghị Quốc gia" in analysed.context["unknown"]

    data = {"step": "create", "historical": "1", "p-TOTAL_FORMS": "3", "p-INITIAL_FORMS": "3"}
    for i, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if value is None:
                continue
            if name == "deadline_date":
                value = value.strftime("%d/%m/%Y")
            data[f"p-{i}-{name}"] = "on" if value is True else value
    data.pop("p-2-accept")  # drop the third proposal
    data["p-1-title"] = "Hoàn thành phim tài liệu về Đại hội"  # edit the second
    response = client.post(reverse("propose_tasks", args=[document.pk]), data)
    assert response.status_code == 302, response.content[:2000]
    tasks = list(Task.objects.filter(document=document).order_by("pk"))
    assert [t.title for t in tasks][1] == "Hoàn thành phim tài liệu về Đại hội"
    assert len(tasks) == 2 and tasks[0].source_text.startswith("Giao Ban Tuyên giáo")
    assert AuditEntry.objects.filter(action="task.proposals_accepted").exists()


def test_empty_text_is_a_message(client, role_user, document):
    client.force_login(role_user(Role.SUBCOMMITTEE_STANDING))
    response = _analyse(client, document, text="   ")
    assert response.status_code == 200 and "Văn bản trống" in response.text


def test_liaison_cannot_propose(client, role_user, document, unit):
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    assert client.get(reverse("propose_tasks", args=[document.pk])).status_code == 403


def test_unknown_unit_joins_the_directory_in_one_click(client, role_user):
    client.force_login(role_user(Role.ORGANISING_STAFF))
    response = client.post(
        reverse("add_unit_to_directory"), {"name": "Trung tâm Hội nghị Quốc gia", "kind": "group"}
    )
    assert response.status_code == 200 and "Đã thêm" in response.text
    assert Unit.objects.filter(name="Trung tâm Hội nghị Quốc gia").exists()


def test_add_to_directory_button_only_for_who_may_add_units(client, role_user, document):
    button = "Thêm vào danh bạ</button>"
    client.force_login(role_user(Role.SUBCOMMITTEE_STANDING))
    standing = _analyse(client, document, text=TEXT)
    assert "Trung tâm Hội nghị Quốc gia" in standing.text and button not in standing.text
    client.force_login(role_user(Role.ORGANISING_STAFF))
    assert button in _analyse(client, document, text=TEXT).text
