"""Admin pages of the register for system admins; changes there are audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from daihoi.audit.models import AuditEntry
from daihoi.documents.models import Issuer
from tests.documents.helpers import login, make_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["documenttype", "issuer", "document"])
def test_admin_lists_render(client, admin, model):
    make_document()
    login(client, admin)
    assert client.get(reverse(f"admin:documents_{model}_changelist")).status_code == 200


def test_documents_are_not_added_in_the_admin(client, admin):
    login(client, admin)
    assert client.get(reverse("admin:documents_document_add")).status_code == 403
    document = make_document()
    page = client.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert page.status_code == 200


def test_adding_an_issuer_in_the_admin_is_audited(client, admin):
    login(client, admin)
    response = client.post(
        reverse("admin:documents_issuer_add"),
        {"code": "BCSĐ", "name": "Ban Cán sự đảng"},
    )
    assert response.status_code == 302
    issuer = Issuer.objects.get(code="BCSĐ")
    assert AuditEntry.objects.filter(action="issuer.created", target_id=str(issuer.pk)).exists()
    # Now the register accepts that issuer.
    assert make_document("12-TB/BCSĐ").issuer == issuer
