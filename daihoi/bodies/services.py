"""Use cases for the congress bodies and show-of-hands votes (biểu quyết giơ thẻ).

Organising staff propose each body (Đoàn Chủ tịch, Đoàn Thư ký, Ban Thẩm tra tư cách đại biểu)
from the delegates, the congress approves it by show of hands, and approval gives each member's
account the matching role: membership feeds permissions. The secretariat records each show of
hands; "more than half" is judged against the base (Quy định 24-QĐ/TW 9.3.1), never against
those present. Every change is written to the audit chain.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.bodies.models import Body, BodyKind, BodyMember, Position, ShowOfHandsVote
from daihoi.bodies.rules import can_manage_bodies, can_record_vote
from daihoi.core.models import Congress, Role, RoleAssignment
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.delegates.base import compute_base
from daihoi.delegates.models import Delegate, Session, Status
from daihoi.vietnamese import collapse_whitespace, format_number, format_percent, nfc

ROLE_OF_KIND = {
    BodyKind.PRESIDIUM: Role.PRESIDIUM,
    BodyKind.SECRETARIAT: Role.SECRETARIAT,
    BodyKind.CREDENTIALS_COMMITTEE: Role.CREDENTIALS_COMMITTEE,
}


def _require_manager(actor) -> None:
    if not can_manage_bodies(actor):
        raise NotAllowed(_("Đồng chí không có quyền quản lý các cơ quan giúp việc đại hội."))


def _clean(text: str) -> str:
    return collapse_whitespace(nfc(text or ""))


@transaction.atomic
def propose_body(
    actor, congress: Congress, kind: str, members: Sequence[tuple[Delegate, str]]
) -> Body:
    """Propose (or re-propose, while not yet approved) a body: `members` in reading order,
    each a (delegate, position) pair."""
    _require_manager(actor)
    if kind not in BodyKind.values:
        raise InvalidInput(_("Loại cơ quan không hợp lệ."), code="bad_kind")
    if not members:
        raise InvalidInput(_("Hãy chọn ít nhất một đại biểu."), code="no_members")
    seen: set[int] = set()
    for delegate, position in members:
        if delegate.congress_id != congress.pk:
            raise InvalidInput(_("Đại biểu không thuộc đại hội này."), code="other_congress")
        if delegate.status != Status.ACTIVE:
            raise InvalidInput(
                _("Đại biểu %(name)s đã rút tên.") % {"name": delegate.full_name}, code="withdrawn"
            )
        if delegate.pk in seen:
            raise InvalidInput(
                _("Đại biểu %(name)s được chọn hai lần.") % {"name": delegate.full_name},
                code="duplicate",
            )
        if position not in Position.values:
            raise InvalidInput(_("Vị trí không hợp lệ."), code="bad_position")
        seen.add(delegate.pk)
    body = Body.objects.select_for_update().filter(congress=congress, kind=kind).first()
    if body is not None and body.is_approved:
        raise InvalidInput(
            _("%(body)s đã được đại hội thông qua, không đề xuất lại được.") % {"body": body},
            code="already_approved",
        )
    now = timezone.now()
    if body is None:
        body = Body.objects.create(congress=congress, kind=kind, proposed_at=now)
    else:
        body.members.all().delete()
        body.proposed_at = now
        body.save(update_fields=["proposed_at"])
    BodyMember.objects.bulk_create(
        BodyMember(body=body, delegate=d, user_id=d.user_id, position=p, order=i)
        for i, (d, p) in enumerate(members, start=1)
    )
    record(
        actor, "body.proposed", body,
        {"kind": kind, "members": [[d.number, p] for d, p in members]},
    )  # fmt: skip
    return body


@transaction.atomic
def remove_member(actor, member: BodyMember) -> None:
    """Take a delegate off a proposed body; an approved body is changed only by the congress."""
    _require_manager(actor)
    member = BodyMember.objects.select_related("body", "delegate").get(pk=member.pk)
    body = Body.objects.select_for_update().get(pk=member.body_id)
    if body.is_approved:
        raise InvalidInput(
            _("%(body)s đã được đại hội thông qua, không bớt thành viên được.") % {"body": body},
            code="already_approved",
        )
    record(actor, "body.member_removed", body, {"delegate": member.delegate.number})
    member.delete()


@transaction.atomic
def approve_body(actor, body: Body, approval_text: str) -> Body:
    """The congress approved the body by show of hands: note how, and give every member with an
    account the body's role."""
    _require_manager(actor)
    body = Body.objects.select_for_update().get(pk=body.pk)
    text = _clean(approval_text)
    if not text:
        raise InvalidInput(_("Hãy ghi kết quả biểu quyết thông qua."), code="approval_required")
    if body.is_approved:
        raise InvalidInput(
            _("%(body)s đã được thông qua rồi.") % {"body": body}, code="already_approved"
        )
    members = list(body.members.select_related("delegate"))
    if not members:
        raise InvalidInput(_("Cơ quan chưa có thành viên."), code="no_members")
    body.approval, body.approved_at = text, timezone.now()
    body.save(update_fields=["approval", "approved_at"])
    role = ROLE_OF_KIND[body.kind]
    granted = []
    for member in members:
        user_id = member.user_id or member.delegate.user_id
        if user_id is None:
            continue
        RoleAssignment.objects.get_or_create(user_id=user_id, role=role, unit=None)
        granted.append(user_id)
    record(
        actor, "body.approved", body,
        {"kind": body.kind, "approval": text, "role": role, "users": granted},
    )  # fmt: skip
    return body


def _count(value, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(
            _("Số %(label)s phải là số nguyên không âm.") % {"label": label}, code="bad_count"
        )
    return value


@transaction.atomic
def record_show_of_hands(
    actor,
    congress: Congress,
    motion: str,
    agree: int,
    disagree: int,
    abstain: int,
    unanimous: bool = False,
    session: Session | None = None,
) -> ShowOfHandsVote:
    """Record the counts announced for one show of hands and judge them against the base."""
    if not can_record_vote(actor):
        raise NotAllowed(_("Chỉ Đoàn Thư ký hoặc Ban Tổ chức được ghi kết quả biểu quyết."))
    motion = _clean(motion).rstrip(".")
    if not motion:
        raise InvalidInput(_("Hãy ghi nội dung biểu quyết."), code="motion_required")
    agree = _count(agree, _("tán thành"))
    disagree = _count(disagree, _("không tán thành"))
    abstain = _count(abstain, _("ý kiến khác"))
    if unanimous and (disagree or abstain):
        raise InvalidInput(
            _("Nhất trí 100% thì không có ý kiến không tán thành hay ý kiến khác."),
            code="not_unanimous",
        )
    if session is not None and session.congress_id != congress.pk:
        raise InvalidInput(_("Phiên họp không thuộc đại hội này."), code="other_congress")
    base = compute_base(congress)
    if base.value <= 0:
        raise InvalidInput(_("Chưa có cơ số: đại hội chưa có đại biểu chính thức."), code="no_base")
    if agree + disagree + abstain > base.summoned:
        raise InvalidInput(
            _(
                "Tổng số ý kiến (%(total)s) nhiều hơn số đại biểu được triệu tập (%(summoned)s)."
            ) % {"total": agree + disagree + abstain, "summoned": base.summoned},
            code="over_summoned",
        )  # fmt: skip
    vote = ShowOfHandsVote.objects.create(
        congress=congress, session=session, motion=motion, agree=agree, disagree=disagree,
        abstain=abstain, unanimous=unanimous, base=base.value,
        passed=base.is_more_than_half(agree), recorded_by=actor, recorded_at=timezone.now(),
    )  # fmt: skip
    record(
        actor, "show_of_hands.recorded", vote,
        {"motion": motion, "agree": agree, "disagree": disagree, "abstain": abstain,
         "unanimous": unanimous, "base": vote.base, "passed": vote.passed},
    )  # fmt: skip
    return vote


def minutes_line(vote: ShowOfHandsVote) -> str:
    """One line for the congress minutes; the percentage is of the base, not of those present."""
    figures = {
        "motion": vote.motion,
        "agree": format_number(vote.agree),
        "base": format_number(vote.base),
        "percent": format_percent(vote.agree, vote.base),
        "disagree": format_number(vote.disagree),
        "abstain": format_number(vote.abstain),
    }
    if vote.passed and vote.unanimous:
        return (
            _(
                "Đại hội biểu quyết nhất trí 100%% thông qua %(motion)s: %(agree)s/%(base)s đại "
                "biểu tán thành (%(percent)s so với cơ số)."
            )
            % figures
        )
    if vote.passed:
        template = _(
            "Đại hội biểu quyết thông qua %(motion)s: %(agree)s/%(base)s đại biểu tán thành "
            "(%(percent)s so với cơ số), %(disagree)s không tán thành, %(abstain)s ý kiến khác."
        )
    else:
        template = _(
            "Đại hội biểu quyết %(motion)s, không được thông qua: %(agree)s/%(base)s đại biểu "
            "tán thành (%(percent)s so với cơ số, không quá một nửa), %(disagree)s không tán "
            "thành, %(abstain)s ý kiến khác."
        )
    return template % figures
