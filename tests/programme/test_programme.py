"""The congress programme: items in order, who may see and change it, the agenda page and the
operating script read back from Word."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as read_docx

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import Session, SessionKind
from daihoi.programme import defaults, services
from daihoi.programme.models import ItemKind, ProgrammeItem, ScriptTemplate
from daihoi.programme.services import ItemData
from tests.documents.helpers import make_document
from tests.factories import sign_in

pytestmark = pytest.mark.django_db
AGENDA = reverse("programme:agenda")
SCRIPT = reverse("programme:script_docx")
MOTION = "thông qua Chương trình làm việc của Đại hội"


def at(day: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2020, 10, day, hour, 0))


@pytest.fixture
def sessions(congress):
    official = Session.objects.create(
        congress=congress, name="Phiên chính thức", kind=SessionKind.OFFICIAL, starts_at=at(12, 8)
    )
    preparatory = Session.objects.create(
        congress=congress, name="Phiên trù bị", kind=SessionKind.PREPARATORY, starts_at=at(11, 14)
    )
    return preparatory, official


def add(staff, session, title, kind=ItemKind.OTHER, **fields) -> ProgrammeItem:
    return services.add_item(staff, session, ItemData(title=title, kind=kind, **fields))


def titles(session) -> list[str]:
    return list(session.programme_items.order_by("order").values_list("title", flat=True))


def script_rows(congress) -> list[tuple[str, str]]:
    document = read_docx(io.BytesIO(services.operating_script(congress)))
    rows = []
    for table in document.tables[1:-1]:  # between the header and the signature
        for row in table.rows:
            cells = row.cells
            if len(cells) == 2:
                rows.append((cells[0].text, cells[1].text))
    return rows


# --- services ---


def test_items_are_appended_moved_and_renumbered(sessions, staff):
    preparatory, _official = sessions
    first = add(staff, preparatory, "Chào cờ")
    second = add(staff, preparatory, "Bầu Đoàn Chủ tịch", ItemKind.VOTE, vote_motion="bầu Đoàn")
    third = add(staff, preparatory, "Thông qua Chương trình", ItemKind.VOTE, vote_motion=MOTION)
    assert [first.order, second.order, third.order] == [1, 2, 3]

    services.move_item(staff, third, up=True)
    assert titles(preparatory) == ["Chào cờ", "Thông qua Chương trình", "Bầu Đoàn Chủ tịch"]
    services.move_item(staff, first, up=True)  # already first: nothing changes
    services.move_item(staff, first, up=False)
    assert titles(preparatory) == ["Thông qua Chương trình", "Chào cờ", "Bầu Đoàn Chủ tịch"]

    services.delete_item(staff, ProgrammeItem.objects.get(pk=third.pk))
    orders = list(preparatory.programme_items.order_by("order").values_list("order", flat=True))
    assert orders == [1, 2]
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions.count("programme_item.created") == 3
    assert "programme_item.moved" in actions and "programme_item.deleted" in actions


def test_update_item_and_checks(sessions, staff, congress):
    preparatory, _official = sessions
    item = add(staff, preparatory, "Báo cáo", ItemKind.REPORT)
    document = make_document(congress=congress)
    services.update_item(
        staff, item,
        ItemData(title="Báo cáo chính trị", kind=ItemKind.REPORT, presenter="Đồng chí Bí thư",
                 starts_at=dt.time(9, 30), document=document),
    )  # fmt: skip
    item.refresh_from_db()
    assert (item.title, item.starts_at, item.document) == (
        "Báo cáo chính trị",
        dt.time(9, 30),
        document,
    )
    with pytest.raises(InvalidInput) as missing:
        add(staff, preparatory, "Biểu quyết", ItemKind.VOTE)
    assert missing.value.code == "no_motion"
    with pytest.raises(InvalidInput):
        add(staff, preparatory, "   ")


def test_nfd_input_is_stored_nfc(sessions, staff):
    preparatory, _official = sessions
    title = unicodedata.normalize("NFD", "Thông qua  Quy chế làm việc")
    item = add(staff, preparatory, title, ItemKind.VOTE,
               vote_motion=unicodedata.normalize("NFD", "thông qua Quy chế"),
               presenter=unicodedata.normalize("NFD", "Đồng chí Nguyễn Văn Thử"))  # fmt: skip
    item.refresh_from_db()
    assert item.title == "Thông qua Quy chế làm việc"
    assert unicodedata.is_normalized("NFC", item.vote_motion + item.presenter)
    template = services.update_script_template(
        staff, ItemKind.OPENING, unicodedata.normalize("NFD", "Tuyên bố khai mạc Đại hội.\n\n")
    )
    assert template.lines == "Tuyên bố khai mạc Đại hội."


def test_only_staff_and_admins_change_the_programme(sessions, staff, role_user):
    preparatory, _official = sessions
    item = add(staff, preparatory, "Chào cờ")
    admin = role_user(Role.SYSTEM_ADMIN)
    add(admin, preparatory, "Khai mạc", ItemKind.OPENING)
    for role in (Role.DELEGATE, Role.PRESIDIUM, Role.UNIT_LIAISON):
        user = role_user(role, unit=preparatory.congress.convening_committee
                         if role == Role.UNIT_LIAISON else None)  # fmt: skip
        with pytest.raises(NotAllowed):
            add(user, preparatory, "Không được")
        with pytest.raises(NotAllowed):
            services.delete_item(user, item)
        with pytest.raises(NotAllowed):
            services.update_script_template(user, ItemKind.VOTE, "x")


def test_defaults_match_the_data_migration():
    # Read the migration's frozen text, not the rows: a transactional test earlier on the same
    # worker empties the tables (flush), and the rows would then be missing, not different.
    frozen = importlib.import_module("daihoi.programme.migrations.0002_default_scripts")
    assert {kind: "\n".join(lines) for kind, lines in defaults.DEFAULT_LINES.items()} == {
        "vote": frozen.VOTE,
        "election": frozen.ELECTION,
    }


# --- the operating script ---


def test_script_has_items_in_order_with_the_chairs_lines(sessions, staff, congress):
    preparatory, official = sessions
    add(staff, official, "Khai mạc Đại hội", ItemKind.OPENING, presenter="Đồng chí Bí thư")
    add(staff, official, "Bầu Ban Chấp hành khóa XVIII", ItemKind.ELECTION,
        vote_motion="bầu Ban Chấp hành Đảng bộ thành phố khóa XVIII")  # fmt: skip
    add(staff, preparatory, "Thông qua Chương trình", ItemKind.VOTE, vote_motion=MOTION,
        starts_at=dt.time(14, 30))  # fmt: skip

    rows = script_rows(congress)
    texts = [text for text, _who in rows]
    assert rows[0] == ("Nội dung", "Người trình bày")
    # Sessions in time order: the preparatory session's vote comes before the opening.
    vote = texts.index("1. 14:30 — Thông qua Chương trình")
    opening = texts.index("1. Khai mạc Đại hội")
    assert vote < opening
    assert rows[opening][1] == "Đồng chí Bí thư"
    assert rows[vote][1] == "Chủ tọa"
    assert texts[vote + 1 : vote + 4] == [
        f"– Đồng chí nào nhất trí {MOTION}, đề nghị giơ thẻ đại biểu.",
        "– Đồng chí nào không nhất trí, đề nghị giơ thẻ.",
        "– Đồng chí nào có ý kiến khác?",
    ]
    assert all(who == "Chủ tọa" for _text, who in rows[vote + 1 : vote + 4])

    election = texts.index("2. Bầu Ban Chấp hành khóa XVIII")
    steps = texts[election + 1 : election + 1 + len(defaults.ELECTION_LINES)]
    expected_order = [
        "Ban kiểm phiếu",  # introduced and approved
        "nguyên tắc bầu cử",
        "niêm phong hòm phiếu",
        "Phát phiếu bầu",
        "tiến hành bỏ phiếu bầu Ban Chấp hành Đảng bộ thành phố khóa XVIII",
        "Thu phiếu bầu",
        "kiểm phiếu tại phòng kiểm phiếu",
        "Đọc biên bản kiểm phiếu",
    ]
    assert len(steps) == len(expected_order)
    for step, words in zip(steps, expected_order, strict=True):
        assert words in step
    speakers = [who for _t, who in rows[election + 1 : election + 1 + len(steps)]]
    assert speakers[0] == "Chủ tọa" and speakers[-1] == "Trưởng Ban kiểm phiếu"

    body = "\n".join(
        p.text for p in read_docx(io.BytesIO(services.operating_script(congress))).paragraphs
    )
    assert "KỊCH BẢN" in body and congress.title in body


def test_edited_template_changes_the_script(sessions, staff, congress):
    preparatory, _official = sessions
    add(staff, preparatory, "Thông qua Quy chế", ItemKind.VOTE, vote_motion="thông qua Quy chế")
    services.update_script_template(
        staff, ItemKind.VOTE, "Đề nghị Đại hội biểu quyết {motion}.\nXin cảm ơn."
    )
    texts = [text for text, _who in script_rows(congress)]
    assert "– Đề nghị Đại hội biểu quyết thông qua Quy chế." in texts
    assert "– Xin cảm ơn." in texts
    assert not any("giơ thẻ đại biểu" in text for text in texts)
    assert AuditEntry.objects.filter(action="script_template.updated").exists()


# --- pages ---


def test_delegate_sees_the_agenda_but_cannot_edit(client, sessions, staff, role_user):
    preparatory, official = sessions
    item = add(staff, official, "Khai mạc Đại hội", ItemKind.OPENING, starts_at=dt.time(8, 0))
    add(staff, preparatory, "Chào cờ")
    sign_in(client, role_user(Role.DELEGATE))
    page = client.get(AGENDA)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Phiên trù bị") < html.index("Phiên chính thức")
    assert "Khai mạc Đại hội" in html and "08:00" in html
    assert reverse("programme:item_edit", args=[item.pk]) not in html
    assert "css/programme.css" in html and "<style" not in html
    assert client.get(reverse("programme:item_add")).status_code == 403
    assert client.get(reverse("programme:item_edit", args=[item.pk])).status_code == 403
    assert client.post(reverse("programme:item_delete", args=[item.pk])).status_code == 403
    assert client.get(reverse("programme:templates")).status_code == 403
    assert client.get(SCRIPT).status_code == 403
    assert ProgrammeItem.objects.filter(pk=item.pk).exists()


def test_liaison_reads_the_agenda_only(client, sessions, staff, role_user, unit):
    _preparatory, official = sessions
    item = add(staff, official, "Khai mạc Đại hội", ItemKind.OPENING)
    sign_in(client, role_user(Role.UNIT_LIAISON, unit=unit))
    assert client.get(AGENDA).status_code == 200
    assert client.get(SCRIPT).status_code == 403
    move = reverse("programme:item_move", args=[item.pk])
    assert client.post(move, {"direction": "up"}).status_code == 403
    save = reverse("programme:template_save", args=["vote"])
    assert client.post(save, {"vote-lines": "x"}).status_code == 403


def test_without_a_role_or_signed_out(client, sessions, user):
    assert client.get(AGENDA).status_code == 302
    sign_in(client, user)
    assert client.get(AGENDA).status_code == 403


def test_staff_adds_edits_and_downloads(client, sessions, staff, congress):
    preparatory, _official = sessions
    sign_in(client, staff)
    response = client.post(
        reverse("programme:item_add"),
        {"session": preparatory.pk, "title": "Thông qua Chương trình", "kind": "vote",
         "vote_motion": MOTION, "starts_at": "14:30"},
    )  # fmt: skip
    assert response.status_code == 302
    item = ProgrammeItem.objects.get()
    assert item.starts_at == dt.time(14, 30)

    missing = client.post(
        reverse("programme:item_add"),
        {"session": preparatory.pk, "title": "Biểu quyết", "kind": "vote"},
    )
    assert missing.status_code == 200
    assert "Hãy ghi nội dung đề nghị Đại hội biểu quyết." in missing.content.decode()

    edit = reverse("programme:item_edit", args=[item.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"title": "Thông qua Chương trình làm việc", "kind": "vote",
                       "vote_motion": MOTION})  # fmt: skip
    item.refresh_from_db()
    assert item.title == "Thông qua Chương trình làm việc" and item.starts_at is None

    assert client.get(reverse("programme:templates")).status_code == 200
    client.post(
        reverse("programme:template_save", args=["vote"]), {"vote-lines": "Biểu quyết {motion}."}
    )
    assert ScriptTemplate.objects.get(kind="vote").lines == "Biểu quyết {motion}."

    download = client.get(SCRIPT)
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.docx"')
    document = read_docx(io.BytesIO(download.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert f"– Biểu quyết {MOTION}." in cells


def test_item_of_another_congress_is_not_found(client, sessions, staff, congress):
    from tests.factories import CongressFactory

    other = CongressFactory(ordinal=18)
    session = Session.objects.create(
        congress=other, name="Phiên khác", kind=SessionKind.OFFICIAL, starts_at=at(13, 8)
    )
    item = add(staff, session, "Không thuộc đại hội này")
    sign_in(client, staff)
    assert client.get(reverse("programme:item_edit", args=[item.pk])).status_code == 404


def test_nav_shows_the_programme_to_a_delegate(client, sessions, role_user):
    sign_in(client, role_user(Role.DELEGATE))
    page = client.get(AGENDA)
    assert any(item.name == "programme" for item in page.context["navigation"])


def test_agenda_queries_do_not_grow_with_items(
    client, sessions, staff, role_user, django_assert_max_num_queries
):
    preparatory, official = sessions
    add(staff, official, "Khai mạc", document=make_document())
    sign_in(client, role_user(Role.DELEGATE))
    with django_assert_max_num_queries(50) as one:
        client.get(AGENDA)
    for n in range(3):
        add(staff, preparatory, f"Nội dung {n}", document=make_document(symbol=f"{n + 10}-TB/TU"))
    with django_assert_max_num_queries(50) as many:
        client.get(AGENDA)
    assert len(many.captured_queries) == len(one.captured_queries)
