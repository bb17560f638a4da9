"""Staff pages (consultation.manage_drafts): drafts uploaded as DOCX and previewed by section,
versions published, comments opened and closed; news articles created and published."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.consultation.forms import ArticleForm, DraftCreateForm, VersionUploadForm
from daihoi.consultation.models import Article, Draft, DraftVersion, Paragraph
from daihoi.consultation.services import drafts as service
from daihoi.core.models import Congress
from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import require_perm

PERMISSION = "consultation.manage_drafts"


@require_perm(PERMISSION)
def draft_admin_list(request):
    request.active_nav = "drafts"
    congress = Congress.objects.filter(is_current=True).first()
    form = DraftCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and congress is not None:
        try:
            with transaction.atomic():
                draft = service.create_draft(request.user, congress, form.cleaned_data["title"])
                service.upload_version(request.user, draft, form.cleaned_data["file"])
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Đã tải lên dự thảo; xem lại các mục rồi công bố."))
            return redirect("consultation:draft_admin", draft.pk)
    drafts = Draft.objects.annotate(n_versions=Count("versions")).order_by("-created_at")
    return render(request, "consultation/drafts_list.html", {"drafts": drafts, "form": form,
                  "congress": congress})  # fmt: skip


@require_perm(PERMISSION)
def draft_admin(request, pk: int):
    request.active_nav = "drafts"
    draft = get_object_or_404(Draft, pk=pk)
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = service.upload_version(request.user, draft, form.cleaned_data["file"])
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Đã tải lên phiên bản %(n)s.") % {"n": version.number})
            return redirect("consultation:version_preview", version.pk)
    versions = draft.versions.annotate(
        n_sections=Count("sections", distinct=True), n_comments=Count("comments", distinct=True)
    ).order_by("-number")
    return render(request, "consultation/drafts_detail.html", {"draft": draft,
                  "versions": versions, "form": form})  # fmt: skip


@require_perm(PERMISSION)
def version_preview(request, pk: int):
    request.active_nav = "drafts"
    version = get_object_or_404(DraftVersion.objects.select_related("draft"), pk=pk)
    sections = version.sections.prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("number"))
    )
    return render(request, "consultation/drafts_preview.html", {"version": version,
                  "sections": sections})  # fmt: skip


@require_POST
@require_perm(PERMISSION)
def version_action(request, pk: int, action: str):
    version = get_object_or_404(DraftVersion, pk=pk)
    steps = {
        "cong-bo": lambda: service.publish_version(request.user, version),
        "mo-gop-y": lambda: service.set_comments_open(request.user, version, True),
        "dong-gop-y": lambda: service.set_comments_open(request.user, version, False),
    }
    if action in steps:
        try:
            steps[action]()
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã cập nhật phiên bản %(n)s.") % {"n": version.number})
    return redirect("consultation:draft_admin", version.draft_id)


@require_perm(PERMISSION)
def news_admin(request):
    request.active_nav = "drafts"
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.create_article(request.user, data["title"], data["summary"], data["body"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo tin bài (chưa đăng)."))
            return redirect("consultation:news_admin")
    articles = Article.objects.order_by("-pk")
    return render(request, "consultation/news_admin.html", {"articles": articles, "form": form})


@require_POST
@require_perm(PERMISSION)
def news_publish(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    publish = request.POST.get("publish") == "1"
    try:
        service.set_article_published(request.user, article, publish)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("consultation:news_admin")
