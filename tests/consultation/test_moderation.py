"""Moderation service: the queues and the folded search, accept / hide / restore / flag, bulk
actions in one transaction with one audit row, and the spam and abuse hints."""

from __future__ import annotations

import json

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.consultation.models import Comment, CommentStatus
from daihoi.consultation.services import moderation
from daihoi.core.models import Role
from daihoi.core.services.errors import InvalidInput, NotAllowed
from tests.consultation.factories import make_comment, sections_of

pytestmark = pytest.mark.django_db


def test_a_moderator_accepts_and_it_is_audited(moderator, draft):
    comment = make_comment(sections_of(draft)[0])
    moderation.accept(moderator, comment)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.ACCEPTED
    assert comment.moderated_by == moderator and comment.moderated_at is not None
    entry = AuditEntry.objects.get(action="consultation.comment_accepted")
    assert entry.target_id == str(comment.pk) and entry.actor == moderator
    assert entry.target_label == comment.reference


def test_a_delegate_may_not_moderate(role_user, draft):
    comment = make_comment(sections_of(draft)[0])
    with pytest.raises(NotAllowed):
        moderation.accept(role_user(Role.DELEGATE), comment)
    with pytest.raises(NotAllowed):
        moderation.bulk_hide(role_user(Role.DELEGATE), [comment.pk], "Thư rác")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.RECEIVED
    assert not AuditEntry.objects.filter(action__startswith="consultation.").exists()


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_hiding_requires_a_reason(moderator, draft, reason):
    comment = make_comment(sections_of(draft)[0])
    with pytest.raises(InvalidInput) as error:
        moderation.hide(moderator, comment, reason)
    assert error.value.code == "reason_required"
    with pytest.raises(InvalidInput):
        moderation.bulk_hide(moderator, [comment.pk], reason)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.RECEIVED


def test_hide_keeps_the_reason_and_restore_brings_it_back_to_the_queue(moderator, draft):
    comment = make_comment(sections_of(draft)[0])
    moderation.hide(moderator, comment, "  Quảng  cáo   bán hàng ")
    comment.refresh_from_db()
    assert (comment.status, comment.hidden_reason) == (CommentStatus.HIDDEN, "Quảng cáo bán hàng")
    assert list(moderation.queue("hidden", draft=draft)) == [comment]
    assert comment not in moderation.queue("new", draft=draft)
    entry = AuditEntry.objects.get(action="consultation.comment_hidden")
    assert json.loads(entry.data)["hidden_reason"] == "Quảng cáo bán hàng"
    moderation.restore(moderator, comment)
    comment.refresh_from_db()
    assert (comment.status, comment.hidden_reason) == (CommentStatus.RECEIVED, "")
    assert list(moderation.queue("new", draft=draft)) == [comment]
    assert AuditEntry.objects.filter(action="consultation.comment_restored").count() == 1


def test_restoring_a_visible_comment_changes_nothing(moderator, draft):
    comment = make_comment(sections_of(draft)[0])
    moderation.restore(moderator, comment)
    assert not AuditEntry.objects.filter(action="consultation.comment_restored").exists()


def test_bulk_hide_is_one_transaction_with_one_audit_row_listing_the_ids(moderator, draft):
    section = sections_of(draft)[0]
    comments = [make_comment(section, f"Ý kiến số {n} về quy hoạch") for n in range(5)]
    ids = [c.pk for c in comments[:4]]
    assert moderation.bulk_hide(moderator, ids, "Gửi lặp lại nhiều lần") == 4
    assert Comment.objects.filter(status=CommentStatus.HIDDEN).count() == 4
    data = json.loads(AuditEntry.objects.get(action="consultation.comments_hidden").data)
    assert data["ids"] == sorted(ids) and data["count"] == 4
    assert data["references"] == [c.reference for c in comments[:4]]
    assert data["hidden_reason"] == "Gửi lặp lại nhiều lần"


def test_bulk_with_a_missing_id_changes_nothing(moderator, draft):
    comment = make_comment(sections_of(draft)[0])
    with pytest.raises(InvalidInput) as error:
        moderation.bulk_accept(moderator, [comment.pk, comment.pk + 1000])
    assert error.value.code == "missing"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.RECEIVED
    assert not AuditEntry.objects.filter(action__startswith="consultation.").exists()


def test_bulk_refuses_nothing_and_too_many(moderator, draft):
    with pytest.raises(InvalidInput) as error:
        moderation.bulk_accept(moderator, [])
    assert error.value.code == "nothing_selected"
    with pytest.raises(InvalidInput) as error:
        moderation.bulk_accept(moderator, range(1, moderation.BULK_LIMIT + 2))
    assert error.value.code == "too_many"
    with pytest.raises(InvalidInput):
        moderation.bulk_accept(moderator, ["abc"])


def test_bulk_accept_counts_only_what_changed(moderator, draft):
    section = sections_of(draft)[0]
    accepted = make_comment(section, status=CommentStatus.ACCEPTED)
    fresh = make_comment(section)
    assert moderation.bulk_accept(moderator, [accepted.pk, fresh.pk]) == 1
    entry = AuditEntry.objects.get(action="consultation.comments_accepted")
    assert json.loads(entry.data)["ids"] == [fresh.pk]


def test_flag_and_unflag_one_and_many(moderator, draft):
    section = sections_of(draft)[0]
    a, b = make_comment(section), make_comment(section)
    moderation.flag(moderator, a, "spam")
    a.refresh_from_db()
    assert a.spam_flag and not a.abuse_flag
    assert list(moderation.queue("flagged", draft=draft)) == [a]
    assert moderation.bulk_flag(moderator, [a.pk, b.pk], "abuse") == 2
    assert moderation.bulk_unflag(moderator, [a.pk, b.pk], "spam") == 1
    a.refresh_from_db()
    assert (a.spam_flag, a.abuse_flag) == (False, True)
    moderation.unflag(moderator, b)
    b.refresh_from_db()
    assert (b.spam_flag, b.abuse_flag) == (False, False)
    with pytest.raises(InvalidInput):
        moderation.flag(moderator, a, "other")
    actions = list(
        AuditEntry.objects.filter(action__startswith="consultation.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "consultation.comment_flagged",
        "consultation.comments_flagged",
        "consultation.comments_unflagged",
        "consultation.comment_unflagged",
    ]


def test_a_flagged_comment_that_is_hidden_leaves_the_flagged_queue(moderator, draft):
    comment = make_comment(sections_of(draft)[0], spam_flag=True)
    moderation.hide(moderator, comment, "Thư rác")
    assert not moderation.queue("flagged", draft=draft).exists()
    assert moderation.queue_counts(draft=draft) == {
        "new": 0, "flagged": 0, "hidden": 1, "accepted": 0, "all": 1,
    }  # fmt: skip


def test_queue_by_section_and_search_without_diacritics(draft):
    first, second = sections_of(draft)
    wanted = make_comment(first, "Đề nghị tăng cường phòng, chống tham nhũng, lãng phí.")
    make_comment(first, "Cần quan tâm phát triển giao thông công cộng.")
    other = make_comment(second, "Phòng chống tham nhũng phải quyết liệt hơn.")
    assert set(moderation.queue("all", section=first)) == {wanted, *first.comments.all()}
    found = moderation.queue("all", draft=draft, text="tham nhung")
    assert set(found) == {wanted, other}
    assert list(moderation.queue("all", section=first, text="THAM NHŨNG lang phi")) == [wanted]
    assert list(moderation.queue("all", text=wanted.reference.lower())) == [wanted]
    with pytest.raises(InvalidInput):
        moderation.queue("unknown")


def test_search_stops_at_its_limit(draft, monkeypatch):
    section = sections_of(draft)[0]
    for n in range(7):
        make_comment(section, f"Ý kiến về giao thông số {n}")
    monkeypatch.setattr(moderation, "SEARCH_LIMIT", 3)
    monkeypatch.setattr(moderation, "SEARCH_CHUNK", 2)
    assert moderation.queue("all", draft=draft, text="giao thong").count() == 3


@pytest.mark.parametrize(
    ("text", "spam", "abuse"),
    [
        ("Đề nghị bổ sung giải pháp phát triển kinh tế số.", False, False),
        ("Khuyến mãi lớn, liên hệ ngay zalo 0912 345 678", True, False),
        ("Xem thêm tại https://vi-du.example/khuyen-mai", True, False),
        ("Nguồn số liệu: https://vi-du.example/bao-cao-kinh-te", False, False),
        ("Xem www.a-example.com và www.b-example.com", True, False),
        ("Hayyyyyyyyyyyyyy!!!!!!!!!!", True, False),
        ("Bọn khốn nạn này", False, True),
        ("bon khon nan nay", False, True),
        ("Đồ chó", False, True),
        # Folding must not turn ordinary words into insults: "đeo" is not "đéo".
        ("Cán bộ phải đeo thẻ khi làm việc, đi đúng giờ.", False, False),
    ],
)
def test_detect(text, spam, abuse):
    assert moderation.detect("Góp ý", text) == moderation.Flags(spam=spam, abuse=abuse)


def test_scan_flags_marks_received_comments_with_one_audit_row_per_kind(moderator, draft):
    section = sections_of(draft)[0]
    spam = make_comment(section, "Vay tiền nhanh, lãi thấp, liên hệ ngay")
    abuse = make_comment(section, "Toàn lũ súc vật")
    clean = make_comment(section, "Nhất trí với dự thảo.")
    accepted = make_comment(section, "Vay tiền nhanh", status=CommentStatus.ACCEPTED)
    assert moderation.scan_flags(moderator, draft=draft) == {"spam": 1, "abuse": 1}
    flags = dict(Comment.objects.values_list("pk", "spam_flag"))
    assert flags[spam.pk] and not flags[clean.pk] and not flags[accepted.pk]
    assert Comment.objects.get(pk=abuse.pk).abuse_flag
    entries = [
        json.loads(e.data)
        for e in AuditEntry.objects.filter(action="consultation.comments_flagged")
    ]
    assert sorted(e["kind"] for e in entries) == ["abuse", "spam"]
    assert all(e["automatic"] for e in entries)
