"""Use cases on delegate groups (tổ đại biểu): create, rename, delete, move a delegate, choose the
leader (tổ trưởng) and deputy (tổ phó), divide everyone automatically, and the printable lists.

Only organising staff and system administrators change groups (`can_manage_delegates`); every
change is written to the audit chain. The division itself is daihoi.delegates.grouping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Congress
from daihoi.core.office.docx_party import Block, Heading, PartyDocument, Table, render
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.grouping import Member, divide
from daihoi.delegates.models import Delegate, DelegateGroup, Status
from daihoi.delegates.rules import can_manage_delegates
from daihoi.vietnamese import collapse_whitespace, fold, nfc

MAX_GROUPS = 100
PLACE = "Hà Nội"  # the date line's place, as in the subcommittee's other documents


def _require_manager(actor) -> None:
    if not can_manage_delegates(actor):
        raise NotAllowed(_("Đồng chí không có quyền quản lý tổ đại biểu."))


def _clean_name(name: str) -> str:
    return collapse_whitespace(nfc(name or ""))


def _check_number(congress: Congress, number, exclude: int | None = None) -> int:
    if not isinstance(number, int) or number < 1:
        raise InvalidInput(_("Số tổ phải là số nguyên dương."), code="bad_number")
    taken = DelegateGroup.objects.filter(congress=congress, number=number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise InvalidInput(_("Đã có Tổ %(number)d.") % {"number": number}, code="number_taken")
    return number


@transaction.atomic
def create_group(actor, congress: Congress, number: int, name: str = "") -> DelegateGroup:
    _require_manager(actor)
    number = _check_number(congress, number)
    group = DelegateGroup.objects.create(congress=congress, number=number, name=_clean_name(name))
    record(actor, "delegate_group.created", group, {"number": number, "name": group.name})
    return group


@transaction.atomic
def update_group(actor, group: DelegateGroup, name: str, number: int | None = None):
    """Rename a group, and renumber it when `number` is given."""
    _require_manager(actor)
    group = DelegateGroup.objects.select_for_update().get(pk=group.pk)
    before = {"number": group.number, "name": group.name}
    if number is not None:
        group.number = _check_number(group.congress, number, exclude=group.pk)
    group.name = _clean_name(name)
    group.save(update_fields=["number", "name"])
    after = {"number": group.number, "name": group.name}
    record(actor, "delegate_group.updated", group, {"before": before, "after": after})
    return group


@transaction.atomic
def delete_group(actor, group: DelegateGroup) -> int:
    """Delete a group; its members become ungrouped. Returns how many they were."""
    _require_manager(actor)
    group = DelegateGroup.objects.select_for_update().get(pk=group.pk)
    released = Delegate.objects.filter(group=group).update(group=None)
    record(actor, "delegate_group.deleted", group, {"number": group.number, "members": released})
    group.delete()
    return released


@transaction.atomic
def assign(actor, delegate: Delegate, group: DelegateGroup | None) -> Delegate:
    """Move a delegate into `group`, or out of every group with None. A leader or deputy who
    leaves their group stops being one."""
    _require_manager(actor)
    delegate = (
        Delegate.objects.select_for_update(of=("self",)).select_related("group").get(pk=delegate.pk)
    )
    if group is not None:
        if group.congress_id != delegate.congress_id:
            raise InvalidInput(_("Tổ và đại biểu không cùng một đại hội."), code="other_congress")
        if delegate.status != Status.ACTIVE:
            raise InvalidInput(_("Đại biểu đã rút tên, không xếp vào tổ được."), code="withdrawn")
    old = delegate.group
    if old is not None and (group is None or old.pk != group.pk):
        _drop_role(old, delegate)
    delegate.group = group
    delegate.save(update_fields=["group", "updated_at"])
    record(
        actor, "delegate.group_assigned", delegate,
        {"from": old.number if old else None, "to": group.number if group else None},
    )  # fmt: skip
    return delegate


def _drop_role(group: DelegateGroup, delegate: Delegate) -> None:
    changed = []
    if group.leader_id == delegate.pk:
        group.leader, changed = None, [*changed, "leader"]
    if group.deputy_id == delegate.pk:
        group.deputy, changed = None, [*changed, "deputy"]
    if changed:
        group.save(update_fields=changed)


@transaction.atomic
def set_leadership(
    actor, group: DelegateGroup, leader: Delegate | None, deputy: Delegate | None
) -> DelegateGroup:
    """Tổ trưởng and tổ phó: members of the group, two different persons; either may be None."""
    _require_manager(actor)
    group = DelegateGroup.objects.select_for_update().get(pk=group.pk)
    # Read membership from the database, not from what the caller holds.
    fresh = Delegate.objects.in_bulk([p.pk for p in (leader, deputy) if p is not None])
    leader = fresh[leader.pk] if leader is not None else None
    deputy = fresh[deputy.pk] if deputy is not None else None
    for person in (leader, deputy):
        if person is not None and person.group_id != group.pk:
            raise InvalidInput(
                _("Đồng chí %(name)s không phải thành viên của tổ này.")
                % {"name": person.full_name},
                code="not_member",
            )
    if leader is not None and deputy is not None and leader.pk == deputy.pk:
        raise InvalidInput(
            _("Tổ trưởng và tổ phó phải là hai người khác nhau."), code="same_person"
        )
    group.leader, group.deputy = leader, deputy
    group.save(update_fields=["leader", "deputy"])
    record(
        actor, "delegate_group.leadership_set", group,
        {"leader": leader.pk if leader else None, "deputy": deputy.pk if deputy else None},
    )  # fmt: skip
    return group


# --- automatic division ---


@dataclass(frozen=True)
class AutoDivision:
    """What auto_divide did: the groups, and the algorithm's report in group numbers."""

    groups: list[DelegateGroup]
    committee_counts: list[int]
    split_units: list[tuple[str, list[int]]] = field(default_factory=list)

    @property
    def committee_balanced(self) -> bool:
        return max(self.committee_counts) - min(self.committee_counts) <= 1


def unit_key(delegate: Delegate):
    """Delegates of one Party unit: the unit record, else the typed name folded, else none."""
    if delegate.party_unit_id is not None:
        return ("unit", delegate.party_unit_id)
    text = fold(delegate.party_unit_text or "")
    return ("text", text) if text else None


def unit_label(delegate: Delegate) -> str:
    return delegate.party_unit.name if delegate.party_unit_id else delegate.party_unit_text


@transaction.atomic
def auto_divide(actor, congress: Congress, group_count: int, replace: bool = True):
    """Divide every active delegate (reserves included) into groups "Tổ 1".."Tổ k".

    With `replace` the current groups are replaced: groups numbered 1..k are reused (their names
    kept), higher ones deleted. Without it, a congress that already has groups is refused. The
    suggested leader of each group is its committee member with the lowest delegate number; the
    deputy is left for the organisers to choose.
    """
    _require_manager(actor)
    delegates = list(
        Delegate.objects.select_for_update(of=("self",))
        .filter(congress=congress, status=Status.ACTIVE)
        .select_related("party_unit")
        .order_by("number")
    )
    if not isinstance(group_count, int) or not 1 <= group_count <= MAX_GROUPS:
        raise InvalidInput(
            _("Số tổ phải từ 1 đến %(max)d.") % {"max": MAX_GROUPS}, code="bad_group_count"
        )
    if group_count > len(delegates):
        raise InvalidInput(_("Số tổ nhiều hơn số đại biểu."), code="too_many_groups")
    existing = {
        g.number: g for g in DelegateGroup.objects.select_for_update().filter(congress=congress)
    }
    if existing and not replace:
        raise InvalidInput(
            _("Đại hội đã có tổ đại biểu; cần xác nhận chia lại."), code="groups_exist"
        )
    division = divide(
        [Member(d.pk, unit_key(d), d.is_committee_member) for d in delegates], group_count
    )
    Delegate.objects.filter(congress=congress).update(group=None)
    DelegateGroup.objects.filter(congress=congress, number__gt=group_count).delete()
    by_pk = {d.pk: d for d in delegates}
    groups = []
    for index, member_ids in enumerate(division.groups):
        number = index + 1
        # A stored name is data, in Vietnamese whatever the organiser's screen language.
        group = existing.get(number) or DelegateGroup(
            congress=congress, number=number, name=f"Tổ {number}"
        )
        members = [by_pk[pk] for pk in member_ids]  # in delegate-number order
        group.leader = next((d for d in members if d.is_committee_member), None)
        group.deputy = None
        group.save()
        Delegate.objects.filter(pk__in=member_ids).update(group=group)
        groups.append(group)
    labels: dict = {}
    for d in delegates:
        labels.setdefault(unit_key(d), unit_label(d))
    split = [(labels[unit], [g + 1 for g in where]) for unit, where in division.split_units.items()]
    result = AutoDivision(groups, division.committee_counts, split)
    record(
        actor, "delegate_group.auto_divided", congress,
        {"group_count": group_count, "sizes": division.sizes,
         "committee_counts": division.committee_counts, "split_units": split},
    )  # fmt: skip
    return result


# --- lists ---


@dataclass(frozen=True)
class MemberRow:
    delegate: Delegate
    role: str  # "Tổ trưởng", "Tổ phó" or ""

    @property
    def unit(self) -> str:
        return unit_label(self.delegate)


@dataclass(frozen=True)
class GroupRow:
    group: DelegateGroup
    members: list[MemberRow]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def committee_count(self) -> int:
        return sum(row.delegate.is_committee_member for row in self.members)

    @property
    def leader(self) -> Delegate | None:
        return next(
            (m.delegate for m in self.members if m.delegate.pk == self.group.leader_id), None
        )

    @property
    def deputy(self) -> Delegate | None:
        return next(
            (m.delegate for m in self.members if m.delegate.pk == self.group.deputy_id), None
        )


def group_rows(congress: Congress) -> tuple[list[GroupRow], list[Delegate]]:
    """Every group with its active members (leader, deputy, then by delegate number), and the
    active delegates in no group. Two queries, whatever the size."""
    groups = list(DelegateGroup.objects.filter(congress=congress).order_by("number"))
    delegates = (
        Delegate.objects.filter(congress=congress, status=Status.ACTIVE)
        .select_related("party_unit")
        .order_by("number")
    )
    by_group: dict[int, list[Delegate]] = {g.pk: [] for g in groups}
    ungrouped: list[Delegate] = []
    for delegate in delegates:
        by_group.get(delegate.group_id, ungrouped).append(delegate)
    rows = []
    for group in groups:
        roles = {group.leader_id: _("Tổ trưởng"), group.deputy_id: _("Tổ phó")}
        roles.pop(None, None)
        members = sorted(
            by_group[group.pk],
            key=lambda d: (d.pk != group.leader_id, d.pk != group.deputy_id, d.number),
        )
        rows.append(GroupRow(group, [MemberRow(d, roles.get(d.pk, "")) for d in members]))
    return rows, ungrouped


def groups_docx(congress: Congress) -> bytes:
    """The group lists as a Party-format Danh sách, one table per group; always in Vietnamese."""
    with translation.override("vi"):
        return render(_groups_document(congress))


def _groups_document(congress: Congress) -> PartyDocument:
    rows, _ungrouped = group_rows(congress)
    header = [_("STT"), _("Họ và tên"), _("Đảng bộ"), _("Chức vụ"), _("Ghi chú")]
    blocks: list[Block] = []
    for row in rows:
        title = _("Tổ %(number)d") % {"number": row.group.number}
        if row.group.name and row.group.name != title:
            title = f"{title}: {row.group.name}"
        blocks.append(Heading(title.upper()))
        blocks.append(
            _("Số đại biểu: %(size)d; ủy viên Ban Chấp hành: %(committee)d.")
            % {"size": row.size, "committee": row.committee_count}
        )
        body = [
            [str(n), m.delegate.full_name, m.unit, m.delegate.position, m.role]
            for n, m in enumerate(row.members, start=1)
        ]
        blocks.append(Table([header, *body], widths_mm=(12, 45, 42, 44, 22)))
    if not rows:
        blocks.append(_("Chưa chia tổ đại biểu."))
    return PartyDocument(
        upper_body=congress.party_organisation.upper(),
        issuing_body=_("Ban Tổ chức Đại hội").upper(),
        symbol="\u00a0" * 6 + "-DS/BTCĐH",
        place=PLACE,
        date=timezone.localdate(),
        kind_title=_("Danh sách"),
        summary=_("Các tổ đại biểu thảo luận tại %(congress)s") % {"congress": congress.title},
        blocks=blocks,
        signer_capacity=_("T/M Ban Tổ chức Đại hội"),
        recipients=[_("Các tổ đại biểu,"), _("Lưu Ban Tổ chức.")],
    )
