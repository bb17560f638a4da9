"""Moderation pages (consultation.moderate): the queue with its filters and search, one action
on one comment, the same actions on the selected comments, and the spam and abuse scan. The
work is in daihoi.consultation.services.moderation."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.consultation.models import Article, Comment, Draft, Section
from daihoi.consultation.services import moderation as service
from daihoi.core.views.actions import run_service
from daihoi.core.views.mixins import require_perm

PERMISSION = "consultation.moderate"
PAGE_SIZE = 50
# Query values in Vietnamese, service names in English.
QUEUE_OF_PARAM = {
    "moi": "new", "gan-co": "flagged", "da-an": "hidden", "da-duyet": "accepted", "tat-ca": "all",
}  # fmt: skip
PARAM_OF_QUEUE = {queue: param for param, queue in QUEUE_OF_PARAM.items()}


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _queue_labels() -> dict[str, str]:
    return {
        "new": _("Mới nhận"),
        "flagged": _("Nghi rác, lời lẽ không phù hợp"),
        "hidden": _("Đã ẩn"),
        "accepted": _("Đã duyệt"),
        "all": _("Tất cả"),
    }


@require_perm(PERMISSION)
def queue(request):
    request.active_nav = "moderation"
    params = request.GET
    view = QUEUE_OF_PARAM.get(params.get("loc", ""), "new")
    draft = Draft.objects.filter(pk=_int(params.get("du-thao"))).first()
    section = (
        Section.objects.filter(pk=_int(params.get("muc")), version__draft=draft).first()
        if draft
        else None
    )
    article = Article.objects.filter(pk=_int(params.get("tin-bai"))).first()
    text = params.get("q", "").strip()[:200]
    comments = service.queue(view, draft=draft, section=section, article=article, text=text)
    page = Paginator(comments.select_related("paragraph"), PAGE_SIZE).get_page(params.get("page"))
    counts = service.queue_counts(draft=draft)
    labels = _queue_labels()
    query = params.copy()
    query.pop("page", None)
    tabs_query = query.copy()
    tabs_query.pop("loc", None)
    return render(
        request,
        "consultation/moderation_queue.html",
        {
            "view": view,
            "tabs": [
                (PARAM_OF_QUEUE[key], labels[key], counts[key], key == view)
                for key in service.QUEUES
            ],  # fmt: skip
            "queue_label": labels[view],
            "page_obj": page,
            "comments": page.object_list,
            "drafts": Draft.objects.order_by("-created_at"),
            "sections": Section.objects.filter(version__draft=draft).order_by(
                "version__number", "position"
            )
            if draft
            else [],
            "articles": Article.objects.order_by("-published_at", "-pk")[:200],
            "draft": draft,
            "section": section,
            "article": article,
            "text": text,
            "page_query": query.urlencode(),
            "tabs_query": tabs_query.urlencode(),
            "here": request.get_full_path(),
            "bulk_limit": service.BULK_LIMIT,
            "search_limit": service.SEARCH_LIMIT,
        },
    )


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("consultation:moderation"))


def _run(request, call, success):
    return run_service(request, call, success, _back(request))


@require_POST
@require_perm(PERMISSION)
def act(request, pk: int):
    """One action on one comment: accept, hide (with a reason), restore, flag or unflag."""
    comment = get_object_or_404(Comment, pk=pk)
    action, user = request.POST.get("action", ""), request.user
    reason = request.POST.get("reason", "")
    calls = {
        "accept": (lambda: service.accept(user, comment), _("Đã duyệt ý kiến %(ref)s.")),
        "hide": (lambda: service.hide(user, comment, reason), _("Đã ẩn ý kiến %(ref)s.")),
        "restore": (lambda: service.restore(user, comment), _("Đã khôi phục ý kiến %(ref)s.")),
        "flag_spam": (
            lambda: service.flag(user, comment, "spam"),
            _("Đã gắn cờ nghi thư rác cho ý kiến %(ref)s."),
        ),
        "flag_abuse": (
            lambda: service.flag(user, comment, "abuse"),
            _("Đã gắn cờ nghi lời lẽ không phù hợp cho ý kiến %(ref)s."),
        ),
        "unflag": (lambda: service.unflag(user, comment), _("Đã bỏ cờ của ý kiến %(ref)s.")),
    }
    if action not in calls:
        messages.error(request, _("Thao tác không hợp lệ."))
        return _back(request)
    call, success = calls[action]
    return _run(request, call, success % {"ref": comment.reference})


@require_POST
@require_perm(PERMISSION)
def bulk(request):
    """The same action on every selected comment, in one transaction."""
    ids, action, user = request.POST.getlist("ids"), request.POST.get("action", ""), request.user
    reason = request.POST.get("reason", "")
    calls = {
        "accept": lambda: service.bulk_accept(user, ids),
        "hide": lambda: service.bulk_hide(user, ids, reason),
        "restore": lambda: service.bulk_restore(user, ids),
        "flag_spam": lambda: service.bulk_flag(user, ids, "spam"),
        "flag_abuse": lambda: service.bulk_flag(user, ids, "abuse"),
        "unflag": lambda: service.bulk_unflag(user, ids),
    }
    if action not in calls:
        messages.error(request, _("Hãy chọn thao tác."))
        return _back(request)
    return _run(
        request,
        calls[action],
        lambda count: (
            _("Đã xử lý %(count)d ý kiến (các ý kiến đã ở trạng thái đó được giữ nguyên).")
            % {"count": count}
        ),
    )


@require_POST
@require_perm(PERMISSION)
def scan(request):
    """Run the spam and abuse hints over the received comments without a flag."""
    draft = Draft.objects.filter(pk=_int(request.POST.get("du-thao"))).first()
    return _run(
        request,
        lambda: service.scan_flags(request.user, draft=draft),
        lambda found: (
            _(
                "Đã gắn cờ %(spam)d ý kiến nghi thư rác và %(abuse)d ý kiến nghi lời lẽ "
                "không phù hợp."
            )
            % found
        ),  # fmt: skip
    )
