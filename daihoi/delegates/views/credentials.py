"""Credentials pages (thin): the committee's worklist with a decision form per delegate and the
complaints (đơn thư), the report on screen and as Word. Work is done by services.credentials."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from daihoi.core.models import Congress
from daihoi.core.services.errors import ServiceError
from daihoi.core.views.mixins import require_perm
from daihoi.delegates.models import CredentialComplaint, Credentials, Delegate, Session
from daihoi.delegates.services import credentials as service
from daihoi.delegates.services.credentials_docx import credentials_docx
from daihoi.vietnamese import VietnameseDateError, parse_date

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PER_PAGE = 100


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Kết luận"),
        choices=[(Credentials.QUALIFIED, Credentials.QUALIFIED.label),
                 (Credentials.NOT_QUALIFIED, Credentials.NOT_QUALIFIED.label)],
    )  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Lý do / ghi chú"), required=False)


class ComplaintForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Số đại biểu"), min_value=1)
    received_on = forms.CharField(label=gettext_lazy("Ngày nhận (dd/mm/yyyy)"))
    summary = forms.CharField(label=gettext_lazy("Nội dung đơn thư"), widget=forms.Textarea)

    def clean_received_on(self):
        try:
            return parse_date(self.cleaned_data["received_on"])
        except VietnameseDateError as exc:
            raise forms.ValidationError(_("Ngày không hợp lệ, hãy ghi dd/mm/yyyy.")) from exc


def _congress() -> Congress | None:
    return Congress.objects.filter(is_current=True).first()


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = fallback
    return redirect(target or fallback)


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@require_perm("delegates.view_credentials_report")
def worklist(request: HttpRequest) -> HttpResponse:
    request.active_nav = "delegates"
    state = request.GET.get("trang-thai", "")
    delegates = Delegate.objects.filter(congress=_congress()).order_by("number")
    if state in Credentials.values:
        delegates = delegates.filter(credentials=state)
    page = Paginator(delegates, PER_PAGE).get_page(request.GET.get("page"))
    complaints = (
        CredentialComplaint.objects.filter(delegate__congress=_congress())
        .select_related("delegate")
        .order_by("received_on", "pk")
    )
    context = {
        "page_obj": page,
        "state": state,
        "states": Credentials.choices,
        "complaints": complaints,
        "complaint_form": ComplaintForm(),
        "can_decide": request.user.has_perm("delegates.decide_credentials"),
    }
    return render(request, "delegates/credentials_worklist.html", context)


@require_POST
@require_perm("delegates.decide_credentials")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    delegate = get_object_or_404(Delegate, pk=pk, congress=_congress())
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        qualified = form.cleaned_data["decision"] == Credentials.QUALIFIED
        try:
            service.decide(request.user, delegate, qualified, form.cleaned_data["reason"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã ghi kết quả thẩm tra của đại biểu %(name)s.") % {"name": delegate.full_name},
            )
    return _back(request, reverse("delegates:credentials"))


@require_POST
@require_perm("delegates.decide_credentials")
def complaint_add(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, reverse("delegates:credentials"))
    delegate = Delegate.objects.filter(
        congress=_congress(), number=form.cleaned_data["number"]
    ).first()
    if delegate is None:
        messages.error(request, _("Không có đại biểu mang số này."))
        return _back(request, reverse("delegates:credentials"))
    try:
        service.record_complaint(
            request.user, delegate, form.cleaned_data["received_on"], form.cleaned_data["summary"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi đơn thư về đại biểu %(name)s.") % {"name": delegate})
    return _back(request, reverse("delegates:credentials"))


@require_POST
@require_perm("delegates.decide_credentials")
def complaint_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_object_or_404(CredentialComplaint, pk=pk, delegate__congress=_congress())
    try:
        service.resolve_complaint(request.user, complaint, request.POST.get("resolution", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi kết quả xử lý đơn thư."))
    return _back(request, reverse("delegates:credentials"))


def _session(request: HttpRequest, congress: Congress | None) -> Session | None:
    value = request.GET.get("phien", "")
    if not value or congress is None:
        return None
    if not value.isdigit():
        return None
    return get_object_or_404(Session, pk=int(value), congress=congress)


@require_perm("delegates.view_credentials_report")
def report_page(request: HttpRequest) -> HttpResponse:
    request.active_nav = "delegates"
    congress = _congress()
    session = _session(request, congress)
    context = {
        "congress": congress,
        "session": session,
        "sessions": Session.objects.filter(congress=congress) if congress else [],
        "report": service.credentials_report(congress, session) if congress else None,
        "query": f"?phien={session.pk}" if session else "",
    }
    return render(request, "delegates/credentials_report.html", context)


@require_perm("delegates.view_credentials_report")
def report_docx(request: HttpRequest) -> HttpResponse:
    congress = _congress()
    if congress is None:
        messages.error(request, _("Chưa có đại hội đang làm việc."))
        return redirect("delegates:credentials_report")
    content = credentials_docx(congress, _session(request, congress))
    return HttpResponse(
        content,
        content_type=DOCX,
        headers={"Content-Disposition": 'attachment; filename="bao-cao-tham-tra-tu-cach.docx"'},
    )
