import pytest

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role
from daihoi.documents.models import Document

pytestmark = pytest.mark.django_db

NOTICE = {
    "symbol": "2682-TB/TU",
    "date": "2020-06-22",
    "summary": "Kết luận tại hội nghị giao ban Tiểu ban tổ chức phục vụ Đại hội",
}


def _post(client, data):
    return client.post("/api/documents/", data, content_type="application/json")


def test_staff_registers_and_lists_documents(client, role_user):
    client.force_login(role_user(Role.ORGANISING_STAFF))
    created = _post(client, NOTICE)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["symbol"] == "2682-TB/TU" and body["doc_type"] == "TB" and body["number"] == 2682
    assert AuditEntry.objects.filter(target_id=str(body["id"])).exists()
    listing = client.get("/api/documents/").json()
    assert [d["symbol"] for d in listing] == ["2682-TB/TU"]


def test_duplicate_and_bad_symbol_are_400_with_a_code(client, role_user):
    client.force_login(role_user(Role.ORGANISING_STAFF))
    assert _post(client, NOTICE).status_code == 201
    duplicate = _post(client, NOTICE)
    assert duplicate.status_code == 400 and "đã có" in duplicate.json()["detail"]
    bad = _post(client, {**NOTICE, "symbol": "2682/TB-"})
    assert bad.status_code == 400
    assert Document.objects.count() == 1


def test_liaison_reads_but_cannot_register(client, role_user, unit):
    client.force_login(role_user(Role.UNIT_LIAISON, unit=unit))
    assert client.get("/api/documents/").status_code == 200
    assert _post(client, NOTICE).status_code == 403
    client.force_login(role_user(Role.DELEGATE))
    assert client.get("/api/documents/").status_code == 403
