"""Moderation of public comments (kiểm duyệt góp ý): the queue and its filters, accept, hide with
a reason, restore, flag and unflag — one comment at a time or many at once.

A comment is never deleted: hiding keeps it with its reason, and the synthesis and the reports
leave hidden comments out. Every change is written to the audit chain: one row per comment for a
single action, one row per bulk action listing the ids and references it changed.

The spam and abuse flags are hints for the moderator, never a decision: `detect` is a cheap word
list and pattern check that marks comments worth a look.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.consultation.models import Article, Comment, CommentStatus, Draft, Section
from daihoi.consultation.rules import can_moderate
from daihoi.consultation.services.intake import looks_like_spam
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.vietnamese import collapse_whitespace, fold, nfc

__all__ = [
    "BULK_LIMIT",
    "FLAG_KINDS",
    "QUEUES",
    "Flags",
    "accept",
    "bulk_accept",
    "bulk_flag",
    "bulk_hide",
    "bulk_restore",
    "bulk_unflag",
    "detect",
    "flag",
    "hide",
    "queue",
    "queue_counts",
    "restore",
    "scan_flags",
    "search",
    "unflag",
]

BULK_LIMIT = 1000  # comments per bulk action: ten pages of the queue at most
REASON_MAX = 1000
SEARCH_LIMIT = 2000  # matches kept by a search; narrow the filters to see further
SEARCH_CHUNK = 2000
QUEUES = ("new", "flagged", "hidden", "accepted", "all")
FLAG_KINDS = ("spam", "abuse")
_FLAG_FIELD = {"spam": "spam_flag", "abuse": "abuse_flag"}


# --- the queue ---


def queue(
    view: str = "new",
    *,
    draft: Draft | None = None,
    section: Section | None = None,
    article: Article | None = None,
    text: str = "",
) -> QuerySet[Comment]:
    """The comments of one queue: "new" (received, oldest first), "flagged" (spam or abuse
    suspected, not hidden), "hidden", "accepted" or "all"; narrowed to a draft, a section or an
    article, and to a search typed with or without diacritics."""
    if view not in QUEUES:
        raise InvalidInput(_("Không có hàng đợi này."), code="bad_queue")
    comments = Comment.objects.select_related("section", "article", "version__draft")
    comments = _narrow(comments, draft=draft, section=section, article=article)
    if view == "new":
        comments = comments.filter(status=CommentStatus.RECEIVED).order_by("created_at", "pk")
    elif view == "flagged":
        comments = comments.exclude(status=CommentStatus.HIDDEN).filter(
            Q(spam_flag=True) | Q(abuse_flag=True)
        )
        comments = comments.order_by("created_at", "pk")
    elif view == "hidden":
        comments = comments.filter(status=CommentStatus.HIDDEN).order_by("-moderated_at", "-pk")
    elif view == "accepted":
        comments = comments.filter(status=CommentStatus.ACCEPTED).order_by("-created_at", "-pk")
    else:
        comments = comments.order_by("-created_at", "-pk")
    return search(comments, text)


def _narrow(comments, *, draft=None, section=None, article=None):
    if section is not None:
        return comments.filter(section=section)
    if article is not None:
        return comments.filter(article=article)
    if draft is not None:
        return comments.filter(version__draft=draft)
    return comments


def queue_counts(*, draft: Draft | None = None) -> dict[str, int]:
    """How many comments wait in each queue (one query)."""
    comments = _narrow(Comment.objects.order_by(), draft=draft)
    not_hidden = ~Q(status=CommentStatus.HIDDEN)
    totals = comments.aggregate(
        new=Count("pk", filter=Q(status=CommentStatus.RECEIVED)),
        flagged=Count("pk", filter=not_hidden & (Q(spam_flag=True) | Q(abuse_flag=True))),
        hidden=Count("pk", filter=Q(status=CommentStatus.HIDDEN)),
        accepted=Count("pk", filter=Q(status=CommentStatus.ACCEPTED)),
        all=Count("pk"),
    )
    return {key: totals[key] for key in QUEUES}


def search(comments: QuerySet[Comment], text: str) -> QuerySet[Comment]:
    """Comments whose reference, name, title or content contain every word of `text`, compared
    without diacritics ("dong y" finds "Đồng ý").

    Folding runs in Python (SQLite has no unaccent): the candidates, already narrowed by the
    queue's filters, are read in chunks of their short columns and the first SEARCH_LIMIT
    matches are kept, so memory stays bounded however many comments there are.
    """
    words = fold(text or "").split()
    if not words:
        return comments
    candidates = comments.order_by().values_list("pk", "reference", "name", "title", "content")
    matched: list[int] = []
    last = 0
    while len(matched) < SEARCH_LIMIT:
        chunk = list(candidates.filter(pk__gt=last).order_by("pk")[:SEARCH_CHUNK])
        if not chunk:
            break
        for pk, reference, name, title, content in chunk:
            haystack = fold(f"{reference} {name} {title} {content}")
            if all(word in haystack for word in words):
                matched.append(pk)
        last = chunk[-1][0]
    return comments.filter(pk__in=matched[:SEARCH_LIMIT])


# --- the heuristics ---


@dataclass(frozen=True)
class Flags:
    spam: bool
    abuse: bool


# Our own short lists. Folding makes some insults collide with ordinary words ("đéo" and "đeo",
# "đĩ" and "đi"), so those are matched with their diacritics; phrases that stay unambiguous when
# folded also catch text typed without diacritics.
_ABUSE_WITH_MARKS = frozenset(
    {"đéo", "địt", "đĩ", "đụ", "lồn", "buồi", "cặc", "vãi", "khốn", "mất dạy", "vô học", "đồ chó"}
)
_ABUSE_FOLDED = frozenset(
    {
        "khon nan", "suc vat", "cho chet", "do ngu", "ngu nhu bo", "ngu nhu lon", "oc cho",
        "bo lao", "lao toet", "mat day", "con di", "vcl", "vkl", "dcm", "dkm", "clgt", "dmm",
    }
)  # fmt: skip
_SPAM_FOLDED = frozenset(
    {
        "khuyen mai", "giam gia", "lien he ngay", "vay tien", "vay von nhanh", "casino",
        "ca cuoc", "no hu", "tai xiu", "lo de", "keo nha cai", "kiem tien online", "zalo",
        "telegram", "inbox ngay",
    }
)  # fmt: skip
_PHONE = re.compile(r"(?:\+?84|0)(?:[\s.]?\d){9}\b")


def _has_phrase(text: str, phrases: frozenset[str]) -> bool:
    padded = f" {text} "
    return any(f" {phrase} " in padded for phrase in phrases)


def _words(text: str) -> str:
    """Lower-cased letters and digits only, one space between words (diacritics kept)."""
    return " ".join(re.sub(r"[^\w]+|_", " ", nfc(text).lower()).split())


def detect(title: str, content: str) -> Flags:
    """Cheap hints: spam (intake's own rule — several links or a long run of one character —
    plus advert words and several phone numbers) and abuse (insults from our word list, with or
    without diacritics)."""
    text = f"{title}\n{content}"
    words = _words(text)
    folded = fold(words)
    abuse = _has_phrase(words, _ABUSE_WITH_MARKS) or _has_phrase(folded, _ABUSE_FOLDED)
    spam = (
        looks_like_spam(content, title)
        or _has_phrase(folded, _SPAM_FOLDED)
        or len(_PHONE.findall(text)) >= 2
    )
    return Flags(spam=spam, abuse=abuse)


# --- the actions ---


def _require_moderator(actor) -> None:
    if not can_moderate(actor):
        raise NotAllowed(_("Đồng chí không có quyền kiểm duyệt góp ý."))


def _clean_reason(reason: str) -> str:
    text = collapse_whitespace(nfc(reason or ""))
    if not text:
        raise InvalidInput(_("Hãy ghi lý do ẩn ý kiến."), code="reason_required")
    if len(text) > REASON_MAX:
        raise InvalidInput(
            _("Lý do ẩn dài quá %(max)d ký tự.") % {"max": REASON_MAX}, code="reason_too_long"
        )
    return text


def _clean_ids(ids: Iterable) -> list[int]:
    try:
        clean = sorted({int(pk) for pk in ids})
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("Danh sách ý kiến không hợp lệ."), code="bad_ids") from exc
    if not clean:
        raise InvalidInput(_("Hãy chọn ít nhất một ý kiến."), code="nothing_selected")
    if len(clean) > BULK_LIMIT:
        raise InvalidInput(
            _("Mỗi lần chỉ xử lý được tối đa %(max)d ý kiến.") % {"max": BULK_LIMIT},
            code="too_many",
        )
    return clean


def _check_kind(kind: str) -> str:
    if kind not in FLAG_KINDS:
        raise InvalidInput(_("Loại gắn cờ không hợp lệ."), code="bad_flag")
    return kind


@dataclass(frozen=True)
class _Change:
    """One moderation action: which comments it applies to, what it writes, how it is logged."""

    action: str
    applies: Q
    values: dict


def _accept_change() -> _Change:
    return _Change(
        "accepted",
        ~Q(status=CommentStatus.ACCEPTED),
        {"status": CommentStatus.ACCEPTED, "hidden_reason": ""},
    )


def _hide_change(reason: str) -> _Change:
    # A hidden comment may be hidden again: the newer reason replaces the older one.
    return _Change("hidden", Q(), {"status": CommentStatus.HIDDEN, "hidden_reason": reason})


def _restore_change() -> _Change:
    # Back to the "new" queue, where a moderator accepts it.
    return _Change(
        "restored",
        Q(status=CommentStatus.HIDDEN),
        {"status": CommentStatus.RECEIVED, "hidden_reason": ""},
    )


def _flag_change(kind: str) -> _Change:
    field = _FLAG_FIELD[_check_kind(kind)]
    return _Change("flagged", Q(**{field: False}), {field: True})


def _unflag_change(kind: str | None) -> _Change:
    if kind is None:
        return _Change(
            "unflagged", Q(spam_flag=True) | Q(abuse_flag=True),
            {"spam_flag": False, "abuse_flag": False},
        )  # fmt: skip
    field = _FLAG_FIELD[_check_kind(kind)]
    return _Change("unflagged", Q(**{field: True}), {field: False})


def _apply(actor, ids: list[int], change: _Change, data: dict, single: bool) -> list[int]:
    """Lock the comments, change those the action applies to, write one audit row. Returns the
    ids of the comments that changed."""
    locked = list(
        Comment.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        .values_list("pk", flat=True)
    )  # fmt: skip
    if len(locked) != len(ids):
        raise InvalidInput(_("Có ý kiến không còn tồn tại."), code="missing")
    changing = list(
        Comment.objects.filter(pk__in=ids).filter(change.applies).order_by("pk")
        .values_list("pk", "reference")
    )  # fmt: skip
    if not changing:
        return []
    values = dict(change.values)
    if "status" in values:
        values.update(moderated_at=timezone.now(), moderated_by=actor)
    pks = [pk for pk, _reference in changing]
    Comment.objects.filter(pk__in=pks).update(**values)
    logged = {key: value for key, value in change.values.items() if key != "status"} | data
    if single:
        target = Comment(pk=pks[0], reference=changing[0][1])  # its label is the reference
        record(actor, f"consultation.comment_{change.action}", target, logged)
    else:
        logged |= {"count": len(pks), "ids": pks, "references": [ref for _pk, ref in changing]}
        record(actor, f"consultation.comments_{change.action}", None, logged)
    return pks


def _one(actor, comment: Comment, change: _Change, data: dict | None = None) -> Comment:
    _require_moderator(actor)
    _apply(actor, [comment.pk], change, data or {}, single=True)
    comment.refresh_from_db()
    return comment


def _many(actor, ids: Iterable, change: _Change, data: dict | None = None) -> int:
    _require_moderator(actor)
    return len(_apply(actor, _clean_ids(ids), change, data or {}, single=False))


@transaction.atomic
def accept(actor, comment: Comment) -> Comment:
    return _one(actor, comment, _accept_change())


@transaction.atomic
def hide(actor, comment: Comment, reason: str) -> Comment:
    """Hide a comment from the synthesis and the reports; the reason is required."""
    _require_moderator(actor)
    return _one(actor, comment, _hide_change(_clean_reason(reason)))


@transaction.atomic
def restore(actor, comment: Comment) -> Comment:
    """Bring a hidden comment back to the "new" queue."""
    return _one(actor, comment, _restore_change())


@transaction.atomic
def flag(actor, comment: Comment, kind: str) -> Comment:
    return _one(actor, comment, _flag_change(kind), {"kind": kind})


@transaction.atomic
def unflag(actor, comment: Comment, kind: str | None = None) -> Comment:
    """Clear one flag, or both when `kind` is None."""
    return _one(actor, comment, _unflag_change(kind), {"kind": kind or "all"})


@transaction.atomic
def bulk_accept(actor, ids: Iterable) -> int:
    """Accept many comments in one transaction; returns how many changed."""
    return _many(actor, ids, _accept_change())


@transaction.atomic
def bulk_hide(actor, ids: Iterable, reason: str) -> int:
    _require_moderator(actor)
    return _many(actor, ids, _hide_change(_clean_reason(reason)))


@transaction.atomic
def bulk_restore(actor, ids: Iterable) -> int:
    return _many(actor, ids, _restore_change())


@transaction.atomic
def bulk_flag(actor, ids: Iterable, kind: str) -> int:
    return _many(actor, ids, _flag_change(kind), {"kind": kind})


@transaction.atomic
def bulk_unflag(actor, ids: Iterable, kind: str | None = None) -> int:
    return _many(actor, ids, _unflag_change(kind), {"kind": kind or "all"})


def scan_flags(actor, *, draft: Draft | None = None, chunk: int = 2000) -> dict[str, int]:
    """Run `detect` over the received comments without a flag and flag what it finds; one
    audit row per kind listing the flagged ids. Returns {"spam": n, "abuse": n}."""
    _require_moderator(actor)
    comments = _narrow(Comment.objects.order_by(), draft=draft).filter(
        status=CommentStatus.RECEIVED, spam_flag=False, abuse_flag=False
    )
    found: dict[str, list[int]] = {"spam": [], "abuse": []}
    last = 0
    while True:
        rows = list(
            comments.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "title", "content")[:chunk]
        )
        if not rows:
            break
        for pk, title, content in rows:
            flags = detect(title, content)
            if flags.spam:
                found["spam"].append(pk)
            if flags.abuse:
                found["abuse"].append(pk)
        last = rows[-1][0]
    counts = {}
    for kind, ids in found.items():
        counts[kind] = 0
        for start in range(0, len(ids), BULK_LIMIT):
            with transaction.atomic():
                counts[kind] += len(
                    _apply(
                        actor, ids[start : start + BULK_LIMIT], _flag_change(kind),
                        {"kind": kind, "automatic": True}, single=False,
                    )
                )  # fmt: skip
    return counts
