"""Public pages, no sign-in: the drafts and their reading page (table of contents, sections,
"Góp ý đoạn này"), the news, the comment form under both, the acknowledgement with the reference
number, and the captcha image. The form posts to its own URL and answers 303 to the
acknowledgement once the comment is committed (services.intake)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.consultation import captcha
from daihoi.consultation.forms import CommentForm
from daihoi.consultation.models import Article, Comment, Draft, DraftVersion, Paragraph
from daihoi.consultation.services import intake
from daihoi.consultation.services.drafts import published_version
from daihoi.core.services.errors import InvalidInput
from daihoi.vietnamese import format_number

# A comment is a few kilobytes at most; refuse bigger bodies before reading them.
MAX_BODY_BYTES = 64 * 1024


def _new_form(initial=None, sections=None) -> CommentForm:
    initial = {**(initial or {}), "captcha_key": captcha.new_challenge()}
    return CommentForm(initial=initial, sections=sections)


def _prefill(request) -> dict:
    initial = {}
    for source, field in (("muc", "section"), ("doan", "paragraph")):
        value = request.GET.get(source, "")
        if value.isascii() and value.isdigit() and len(value) < 12:
            initial[field] = value
    return initial


@require_GET
def draft_list(request):
    published = DraftVersion.objects.filter(draft=OuterRef("pk"), published_at__isnull=False)
    drafts = (
        Draft.objects.annotate(public=Exists(published)).filter(public=True).order_by("-created_at")
    )
    articles = Article.objects.filter(published_at__isnull=False)[:5]
    return render(request, "consultation/public_drafts.html", {"drafts": drafts,
                  "articles": articles})  # fmt: skip


def _reading_version(pk: int) -> DraftVersion:
    version = published_version(pk)
    if version is None:
        raise Http404
    return version


@require_GET
def draft_read(request, pk: int):
    version = _reading_version(pk)
    sections = list(
        version.sections.prefetch_related(
            Prefetch("paragraphs", queryset=Paragraph.objects.order_by("number"))
        )
    )
    form = _new_form(_prefill(request), sections) if version.comments_open else None
    return render(request, "consultation/public_draft.html", {
        "version": version, "draft": version.draft, "sections": sections, "form": form,
    })  # fmt: skip


@require_GET
def news_list(request):
    articles = Article.objects.filter(published_at__isnull=False)
    return render(request, "consultation/news_list.html", {"articles": articles})


@require_GET
def news_detail(request, pk: int):
    article = get_object_or_404(Article, pk=pk, published_at__isnull=False)
    paragraphs = [p.strip() for p in article.body.split("\n\n") if p.strip()]
    return render(request, "consultation/news_article.html", {
        "article": article, "paragraphs": paragraphs, "form": _new_form(),
    })  # fmt: skip


def _too_big(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        return True


def _receive(request, *, draft_id=None, article_id=None):
    """The form's fields straight to the service (its checks are the form's). Returns the
    stored comment or raises the service's error; shared by the view and the hot path."""
    post = request.POST
    on_draft = draft_id is not None
    data = intake.CommentData(
        name=post.get("name", ""), title=post.get("title", ""),
        content=post.get("content", ""), phone=post.get("phone", ""),
        section_id=intake.normalise_choice(post.get("section")) if on_draft else None,
        paragraph_number=intake.normalise_choice(post.get("paragraph")) if on_draft else None,
    )  # fmt: skip
    return intake.submit_comment(
        data, client_ip=intake.client_address(request.META),
        captcha_key=post.get("captcha_key", ""), captcha_answer=post.get("captcha", ""),
        honeypot=post.get("website", ""), draft_id=draft_id, article_id=article_id,
    )  # fmt: skip


def _acknowledge(comment) -> HttpResponse:
    # 303 See Other: the browser GETs the acknowledgement; a reload does not post again.
    url = reverse("consultation:acknowledged", args=[comment.reference])
    return HttpResponse(status=303, headers={"Location": url, "X-Frame-Options": "DENY"})


def _submit(request, *, draft_id=None, article_id=None, sections=None, context=None):
    """The POST of the form, shared by drafts and articles; the form object is built only to
    show errors. When IntakeHotPathMiddleware already tried the comment, its outcome (an
    error) is shown here without a second try."""
    if _too_big(request):
        return render(request, "consultation/public_error.html", {
            "message": _("Góp ý quá dài. Xin rút gọn nội dung (tối đa %(limit)s ký tự).")
            % {"limit": format_number(intake.CONTENT_MAX)}}, status=413)  # fmt: skip
    outcome = getattr(request, "intake_outcome", None)
    if outcome is None:
        try:
            return _acknowledge(_receive(request, draft_id=draft_id, article_id=article_id))
        except InvalidInput as exc:
            outcome = exc
    if isinstance(outcome, intake.RateLimited):
        response = render(request, "consultation/public_429.html", {"message": outcome.message,
                          "retry_after": outcome.retry_after}, status=429)  # fmt: skip
        response["Retry-After"] = str(outcome.retry_after)
        return response
    return _form_again(request, outcome, sections, context)


def _form_again(request, exc: InvalidInput, sections, context):
    """The form with what was typed, the errors, and a fresh captcha (the old one is used)."""
    form = CommentForm(request.POST, sections=sections)
    form.is_valid()  # the field errors, in the service's words (forms.CommentForm.clean)
    errors = getattr(exc, "errors", None)
    if errors is None:
        form.add_error(None, exc.message)
    else:
        form.add_service_errors(errors)
    data = request.POST.copy()
    data["captcha_key"], data["captcha"], data["website"] = captcha.new_challenge(), "", ""
    form.data = data
    return render(request, "consultation/public_comment.html", {"form": form, **(context or {})},
                  status=400)  # fmt: skip


@require_http_methods(["GET", "POST"])
def draft_comment(request, pk: int):
    if request.method == "POST":
        # The sections are read only to show the form again; the service checks the ids.
        return _submit(request, draft_id=pk, sections=_Sections(pk),
                       context={"draft_id": pk})  # fmt: skip
    version = _reading_version(pk)
    sections = list(version.sections.all())
    form = _new_form(_prefill(request), sections) if version.comments_open else None
    return render(request, "consultation/public_comment.html", {
        "form": form, "draft": version.draft, "version": version, "draft_id": pk,
    })  # fmt: skip


class _Sections:
    """The sections of a draft's public version, read only when the form must be shown again."""

    def __init__(self, draft_id: int):
        self.draft_id = draft_id

    def __iter__(self):
        version = published_version(self.draft_id)
        return iter(version.sections.all() if version else [])


@require_http_methods(["GET", "POST"])
def news_comment(request, pk: int):
    if request.method == "POST":
        return _submit(request, article_id=pk, context={"article_id": pk})
    article = get_object_or_404(Article, pk=pk, published_at__isnull=False)
    return render(request, "consultation/public_comment.html", {
        "form": _new_form(), "article": article, "article_id": pk,
    })  # fmt: skip


@require_GET
def acknowledged(request, reference: str):
    comment = get_object_or_404(
        Comment.objects.select_related("version__draft", "section", "paragraph", "article"),
        reference=reference[:24],
    )
    return render(request, "consultation/public_ack.html", {"comment": comment})


@never_cache
@require_GET
def captcha_image(request, key: str):
    answer = captcha.answer_for(key)
    if answer is None:
        raise Http404
    return HttpResponse(captcha.render_png(answer), content_type="image/png")


@never_cache
@require_GET
def captcha_refresh(request):
    key = captcha.new_challenge()
    return JsonResponse({"key": key, "image": reverse("consultation:captcha_image", args=[key])})


def intake_ready(request):
    """Sẵn sàng: 204 without touching the database or the cache, for a load balancer's probe
    (and the intake benchmark's bare-view figure)."""
    return HttpResponse(status=204)


INTAKE_PATH = r"^/(?P<kind>du-thao|tin-tuc)/(?P<pk>[0-9]{1,12})/gop-y/$"


def fits(request) -> bool:
    return not _too_big(request)


def receive_hot(request, csrf_ok: bool, kind: str, pk: str):
    """The comment form's POST on the hot path (daihoi/core/hotpath.py, registered in apps.py):
    sessions, authentication, two-factor gates, messages and axes do not concern an anonymous
    comment. The same service as the view; an acknowledged comment gets its 303 here. Anything
    else goes down the normal stack: a CSRF failure meets Django's own 403, and an error the
    service raised is kept on the request (`intake_outcome`) for the view to show without
    trying a second time."""
    if not csrf_ok:
        return None
    target = {"draft_id": int(pk)} if kind == "du-thao" else {"article_id": int(pk)}
    try:
        return _acknowledge(_receive(request, **target))
    except InvalidInput as exc:
        request.intake_outcome = exc
    return None
