"""Delegate groups (tổ đại biểu): the services, who may do what, the pages and the Word list."""

from __future__ import annotations

import datetime as dt
import io
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from daihoi.audit.models import AuditEntry
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.models import Category, Delegate, DelegateGroup, Status
from daihoi.delegates.services import groups as services
from daihoi.delegates.services.roster import withdraw
from tests.delegates.test_base import make
from tests.factories import CongressFactory, UnitFactory

pytestmark = pytest.mark.django_db
LIST = reverse("delegates:groups")
_serial = count(10_000)


def roster(congress, units, per_unit, committee_per_unit=1, category=Category.ELECTED):
    """per_unit delegates in each unit, the first `committee_per_unit` of them committee members."""
    rows = []
    for unit in units:
        for j in range(per_unit):
            n = next(_serial)
            rows.append(
                Delegate(
                    congress=congress,
                    number=n,
                    full_name=f"Đại biểu Thử {n}",
                    gender="nam",
                    birth_date=dt.date(1970, 1, 1),
                    category=category,
                    party_unit=unit,
                    is_committee_member=j < committee_per_unit,
                    import_key=f"bulk-{n}",
                )  # fmt: skip
            )
    return Delegate.objects.bulk_create(rows)


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


# --- services ---


def test_create_rename_delete_are_audited(congress, staff):
    group = services.create_group(staff, congress, 1, "  Tổ   Ba Đình ")
    assert group.name == "Tổ Ba Đình"
    services.update_group(staff, group, "Tổ Hoàn Kiếm", number=2)
    member = make(congress, "Nguyễn Thị Hằng", group=group)
    assert services.delete_group(staff, group) == 1
    member.refresh_from_db()
    assert member.group is None
    assert not DelegateGroup.objects.exists()
    assert actions() == [
        "delegate_group.created",
        "delegate_group.updated",
        "delegate_group.deleted",
    ]


def test_group_numbers_are_unique_and_positive(congress, staff):
    services.create_group(staff, congress, 1)
    with pytest.raises(InvalidInput) as taken:
        services.create_group(staff, congress, 1)
    assert taken.value.code == "number_taken"
    with pytest.raises(InvalidInput) as bad:
        services.create_group(staff, congress, 0)
    assert bad.value.code == "bad_number"


@pytest.mark.parametrize("role", [Role.UNIT_LIAISON, Role.CREDENTIALS_COMMITTEE, Role.PRESIDIUM])
def test_only_organisers_change_groups(congress, staff, role_user, unit, role):
    other = role_user(role, unit=unit if role == Role.UNIT_LIAISON else None)
    group = services.create_group(staff, congress, 1)
    delegate = make(congress, "Trần Văn Nam")
    with pytest.raises(NotAllowed):
        services.create_group(other, congress, 2)
    with pytest.raises(NotAllowed):
        services.assign(other, delegate, group)
    with pytest.raises(NotAllowed):
        services.set_leadership(other, group, None, None)
    with pytest.raises(NotAllowed):
        services.auto_divide(other, congress, 1)
    with pytest.raises(NotAllowed):
        services.delete_group(other, group)
    assert actions() == ["delegate_group.created"]


def test_leader_and_deputy_are_two_members_of_the_group(congress, staff):
    group = services.create_group(staff, congress, 1)
    leader = make(congress, "Lê Thị Thu Hà", group=group)
    deputy = make(congress, "Phạm Đức Anh", group=group)
    outsider = make(congress, "Đỗ Quang Vinh")
    with pytest.raises(InvalidInput) as not_member:
        services.set_leadership(staff, group, outsider, None)
    assert not_member.value.code == "not_member"
    with pytest.raises(InvalidInput) as same:
        services.set_leadership(staff, group, leader, leader)
    assert same.value.code == "same_person"
    services.set_leadership(staff, group, leader, deputy)
    group.refresh_from_db()
    assert (group.leader, group.deputy) == (leader, deputy)
    services.set_leadership(staff, group, None, deputy)  # either may be left empty
    group.refresh_from_db()
    assert group.leader is None
    assert actions()[-1] == "delegate_group.leadership_set"


def test_assign_moves_a_delegate_and_a_leaving_leader_stops_leading(congress, staff):
    first = services.create_group(staff, congress, 1)
    second = services.create_group(staff, congress, 2)
    delegate = make(congress, "Vũ Hồng Nhung")
    services.assign(staff, delegate, first)
    services.set_leadership(staff, first, delegate, None)
    services.assign(staff, delegate, second)
    first.refresh_from_db()
    delegate.refresh_from_db()
    assert delegate.group == second
    assert first.leader is None
    services.assign(staff, delegate, None)
    delegate.refresh_from_db()
    assert delegate.group is None
    entry = AuditEntry.objects.filter(action="delegate.group_assigned").order_by("seq").last()
    assert '"from":2' in entry.data and '"to":null' in entry.data


def test_assign_refuses_withdrawn_delegates_and_other_congresses(congress, staff):
    group = services.create_group(staff, congress, 1)
    gone = make(congress, "Đã Rút Tên")
    withdraw(staff, gone, "Chuyển công tác")
    with pytest.raises(InvalidInput) as withdrawn:
        services.assign(staff, gone, group)
    assert withdrawn.value.code == "withdrawn"
    elsewhere = CongressFactory(ordinal=18, convening_committee=congress.convening_committee)
    stranger = make(elsewhere, "Người Đại Hội Khác")
    with pytest.raises(InvalidInput) as other:
        services.assign(staff, stranger, group)
    assert other.value.code == "other_congress"


def test_auto_divide(congress, staff):
    units = [UnitFactory() for _ in range(5)]
    roster(congress, units[:3], per_unit=4)  # three units of 4, one committee member each
    roster(congress, units[3:], per_unit=2, committee_per_unit=0)
    roster(congress, [units[0]], per_unit=2, committee_per_unit=0, category=Category.RESERVE)
    gone = make(congress, "Rút Tên Rồi", party_unit=units[1])
    withdraw(staff, gone, "Ốm")
    result = services.auto_divide(staff, congress, 3)  # 18 active delegates: 6 + 4+2 + 4+2
    assert [g.name for g in result.groups] == ["Tổ 1", "Tổ 2", "Tổ 3"]
    assert result.split_units == []
    assert result.committee_counts == [1, 1, 1]
    rows, ungrouped = services.group_rows(congress)
    assert ungrouped == []  # withdrawn delegates are not listed at all
    assert [row.size for row in rows] == [6, 6, 6]
    assert Delegate.objects.filter(congress=congress, status=Status.ACTIVE, group=None).count() == 0
    assert Delegate.objects.get(pk=gone.pk).group is None
    for row in rows:
        units_here = {m.delegate.party_unit_id for m in row.members}
        # Each unit sits in exactly one group.
        for other in rows:
            if other is not row:
                assert units_here.isdisjoint({m.delegate.party_unit_id for m in other.members})
        # The suggested leader is the group's committee member with the lowest number.
        committee = [m.delegate for m in row.members if m.delegate.is_committee_member]
        assert row.group.leader == min(committee, key=lambda d: d.number)
        assert row.members[0].role == "Tổ trưởng"
    assert actions()[-1] == "delegate_group.auto_divided"


def test_auto_divide_again_needs_confirmation_and_replaces(congress, staff):
    roster(congress, [UnitFactory() for _ in range(4)], per_unit=3)
    services.auto_divide(staff, congress, 4, replace=False)
    renamed = DelegateGroup.objects.get(congress=congress, number=1)
    services.update_group(staff, renamed, "Tổ Tây Hồ")
    with pytest.raises(InvalidInput) as exists:
        services.auto_divide(staff, congress, 2, replace=False)
    assert exists.value.code == "groups_exist"
    services.auto_divide(staff, congress, 2)
    groups = list(DelegateGroup.objects.filter(congress=congress).order_by("number"))
    assert [(g.number, g.name) for g in groups] == [(1, "Tổ Tây Hồ"), (2, "Tổ 2")]
    assert Delegate.objects.filter(group=None).count() == 0
    with pytest.raises(InvalidInput) as too_many:
        services.auto_divide(staff, congress, 13)
    assert too_many.value.code == "too_many_groups"


def test_auto_divide_reports_a_unit_it_had_to_split(congress, staff):
    big = UnitFactory(name="Đảng bộ Công an Thành phố")
    roster(congress, [big], per_unit=7, committee_per_unit=2)
    roster(congress, [UnitFactory()], per_unit=3, committee_per_unit=0)
    result = services.auto_divide(staff, congress, 2)  # groups of 5: the unit of 7 cannot fit
    assert result.split_units == [("Đảng bộ Công an Thành phố", [1, 2])]
    assert result.committee_counts == [1, 1]
    entry = AuditEntry.objects.get(action="delegate_group.auto_divided")
    assert "Đảng bộ Công an Thành phố" in entry.data


def test_unit_typed_as_text_counts_as_one_unit(congress, staff):
    for name in (
        "Đảng bộ Khối Doanh nghiệp",
        "ĐẢNG BỘ KHỐI DOANH NGHIỆP",
        "Dang bo Khoi Doanh nghiep",
    ):
        make(congress, f"Đại biểu {name}", party_unit_text=name)
    make(congress, "Không Ghi Đảng Bộ")
    result = services.auto_divide(staff, congress, 1)
    assert result.split_units == []
    keys = {services.unit_key(d) for d in Delegate.objects.filter(congress=congress)}
    assert keys == {("text", "dang bo khoi doanh nghiep"), None}


# --- pages ---


@pytest.fixture
def divided(congress, staff):
    ba_dinh = UnitFactory(name="Đảng bộ quận Ba Đình")
    hoan_kiem = UnitFactory(name="Đảng bộ quận Hoàn Kiếm")
    names = {
        "leader": make(congress, "Nguyễn Thị Ngọc Ánh", committee=True, party_unit=ba_dinh,
                       position="Bí thư Quận ủy"),
        "deputy": make(congress, "Trần Đức Thắng", party_unit=ba_dinh),
        "other": make(congress, "Lê Hữu Phước", committee=True, party_unit=hoan_kiem),
        "fourth": make(congress, "Phạm Thị Hường", party_unit=hoan_kiem),
    }  # fmt: skip
    services.auto_divide(staff, congress, 2)
    group = DelegateGroup.objects.get(members=names["leader"])
    services.set_leadership(staff, group, names["leader"], names["deputy"])
    return names


@pytest.mark.parametrize("role", [Role.UNIT_LIAISON, Role.DELEGATE, Role.PRESS])
def test_pages_refused_to_others(client, congress, role_user, unit, role):
    client.force_login(role_user(role, unit=unit if role == Role.UNIT_LIAISON else None))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("delegates:groups_print")).status_code == 403
    assert client.get(reverse("delegates:groups_docx")).status_code == 403
    response = client.post(reverse("delegates:groups_divide"), {"group_count": "2"})
    assert response.status_code == 403
    assert not DelegateGroup.objects.exists()


def test_anonymous_is_sent_to_login(client, congress):
    assert client.get(LIST).status_code == 302


@pytest.mark.parametrize("role", [Role.PRESIDIUM, Role.SECRETARIAT, Role.CREDENTIALS_COMMITTEE])
def test_readers_see_the_lists_but_do_not_edit(client, congress, role_user, divided, role):
    client.force_login(role_user(role))
    page = client.get(LIST)
    assert page.status_code == 200
    assert page.context["can_manage"] is False
    assert "Nguyễn Thị Ngọc Ánh" in page.content.decode()
    assert client.get(reverse("delegates:groups_print")).status_code == 200
    group = DelegateGroup.objects.first()
    response = client.post(reverse("delegates:group_delete", args=[group.pk]))
    assert response.status_code == 403


def test_list_page_for_organisers(client, staff, divided):
    client.force_login(staff)
    page = client.get(LIST)
    assert page.status_code == 200
    assert page.context["can_manage"] is True
    html = page.content.decode()
    assert 'name="confirm"' in html  # groups exist: re-dividing asks for confirmation
    assert [row.size for row in page.context["rows"]] == [2, 2]
    assert [row.committee_count for row in page.context["rows"]] == [1, 1]


def test_list_query_count_does_not_grow(client, congress, staff, django_assert_num_queries):
    roster(congress, [UnitFactory()], per_unit=2)
    services.auto_divide(staff, congress, 1)
    client.force_login(staff)
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(LIST)
    roster(congress, [UnitFactory() for _ in range(3)], per_unit=5)
    services.auto_divide(staff, congress, 4)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(LIST).status_code == 200


def test_auto_divide_post_asks_to_confirm_a_redivision(client, congress, staff):
    roster(congress, [UnitFactory() for _ in range(3)], per_unit=3)
    client.force_login(staff)
    done = client.post(reverse("delegates:groups_divide"), {"group_count": "3"}, follow=True)
    assert "Đã chia đại biểu thành 3 tổ." in done.content.decode()
    assert DelegateGroup.objects.filter(congress=congress).count() == 3
    refused = client.post(reverse("delegates:groups_divide"), {"group_count": "1"}, follow=True)
    assert "cần xác nhận chia lại" in refused.content.decode()
    assert DelegateGroup.objects.filter(congress=congress).count() == 3
    client.post(reverse("delegates:groups_divide"), {"group_count": "1", "confirm": "1"})
    assert DelegateGroup.objects.filter(congress=congress).count() == 1


def test_forms_create_move_lead_rename_delete(client, congress, staff, divided):
    client.force_login(staff)
    client.post(reverse("delegates:group_create"), {"number": "3", "name": "Tổ bổ sung"})
    third = DelegateGroup.objects.get(number=3)
    client.post(
        reverse("delegates:group_move"), {"delegate": divided["fourth"].pk, "group": third.pk}
    )
    divided["fourth"].refresh_from_db()
    assert divided["fourth"].group == third
    client.post(
        reverse("delegates:group_leadership", args=[third.pk]),
        {"leader": divided["fourth"].pk, "deputy": ""},
    )
    third.refresh_from_db()
    assert third.leader == divided["fourth"]
    refused = client.post(
        reverse("delegates:group_leadership", args=[third.pk]),
        {"leader": divided["other"].pk, "deputy": ""},
        follow=True,
    )
    assert "không phải thành viên của tổ này" in refused.content.decode()
    client.post(reverse("delegates:group_update", args=[third.pk]), {"name": "Tổ Long Biên"})
    third.refresh_from_db()
    assert third.name == "Tổ Long Biên"
    client.post(reverse("delegates:group_delete", args=[third.pk]))
    divided["fourth"].refresh_from_db()
    assert divided["fourth"].group is None
    assert not DelegateGroup.objects.filter(pk=third.pk).exists()


def test_docx_reads_back_with_the_names_exact(client, staff, divided):
    client.force_login(staff)
    response = client.get(reverse("delegates:groups_docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('danh-sach-to-dai-bieu.docx"')
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "DANH SÁCH" in text
    assert "Các tổ đại biểu thảo luận tại Đại hội" in text
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    assert len(tables) == 2
    rows = {row.cells[1].text: [c.text for c in row.cells] for t in tables for row in t.rows[1:]}
    assert set(rows) == {"Nguyễn Thị Ngọc Ánh", "Trần Đức Thắng", "Lê Hữu Phước", "Phạm Thị Hường"}
    assert rows["Nguyễn Thị Ngọc Ánh"] == [
        "1", "Nguyễn Thị Ngọc Ánh", "Đảng bộ quận Ba Đình", "Bí thư Quận ủy", "Tổ trưởng",
    ]  # fmt: skip
    assert rows["Trần Đức Thắng"][4] == "Tổ phó"


def test_print_page(client, staff, divided):
    client.force_login(staff)
    page = client.get(reverse("delegates:groups_print"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="group-sheet"') == 2
    assert "Trần Đức Thắng" in html and "Tổ phó" in html
    assert "<script" not in html and "style=" not in html
