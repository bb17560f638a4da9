"""The register: list with search and filters, one document, the registration form."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from daihoi.core.models import Congress
from daihoi.core.views.mixins import ObjectPermissionMixin, PagePermissionMixin, require_perm
from daihoi.documents.forms import AttachmentForm, DocumentForm, LinkForm
from daihoi.documents.models import Document, DocumentType
from daihoi.documents.services import (
    ServiceError,
    find_registered,
    next_number,
    register_document,
    resolve_symbol,
)
from daihoi.documents.symbols import format_symbol
from daihoi.vietnamese import fold, format_date_line

# Service error codes that concern the typed symbol, shown under that field.
SYMBOL_CODES = {
    "empty", "bad_format", "missing_number", "bad_number", "missing_type", "bad_type",
    "unknown_type", "missing_issuer", "bad_issuer", "bad_year", "too_long", "unknown_issuer",
    "type_not_party", "type_not_state", "duplicate_symbol",
}  # fmt: skip
FIELD_OF_CODE = {"bad_date": "date", "bad_term": "term", "congress_required": "congress"}


def search(queryset, text: str):
    """Documents whose symbol or summary contain every word, with or without diacritics.

    Folding runs in Python (SQLite has no unaccent); a register holds thousands of rows, and
    only three short columns are read.
    """
    words = fold(text).split()
    if not words:
        return queryset
    rows = queryset.order_by().values_list("pk", "symbol", "summary")
    matched = [
        pk for pk, symbol, summary in rows if all(w in fold(f"{symbol} {summary}") for w in words)
    ]
    return queryset.filter(pk__in=matched)


class DocumentListView(PagePermissionMixin, ListView):
    permission = "documents.view_document"
    template_name = "documents/document_list.html"
    paginate_by = 50

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["documents/_document_results.html"]
        return [self.template_name]

    def get_queryset(self):
        self.request.active_nav = "documents"
        params = self.request.GET
        self.filters = {
            "q": params.get("q", "").strip()[:200],
            "loai": params.get("loai", "").strip()[:10],
            "coquan": params.get("coquan", "").strip()[:30],
            "nam": params.get("nam", "").strip()[:4],
        }
        queryset = Document.objects.select_related("doc_type", "issuer").annotate(
            attachment_count=Count("attachments")
        )
        if self.filters["loai"]:
            queryset = queryset.filter(doc_type__code=self.filters["loai"])
        if self.filters["coquan"]:
            queryset = queryset.filter(issuer_code=self.filters["coquan"])
        if self.filters["nam"].isdigit():
            queryset = queryset.filter(date__year=int(self.filters["nam"]))
        return search(queryset, self.filters["q"]).order_by("-date", "-number", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filters=self.filters,
            page_query=query.urlencode(),
            types=DocumentType.objects.all(),
            issuer_codes=Document.objects.order_by("issuer_code")
            .values_list("issuer_code", flat=True)
            .distinct(),
            years=[d.year for d in Document.objects.dates("date", "year", order="DESC")],
            can_register=self.request.user.has_perm("documents.add_document"),
        )
        return context


class DocumentDetailView(ObjectPermissionMixin, DetailView):
    model = Document
    permission = "documents.view_document"
    template_name = "documents/document_detail.html"

    def get_queryset(self):
        self.request.active_nav = "documents"
        return super().get_queryset().select_related("doc_type", "issuer__unit", "congress")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document, user = self.object, self.request.user
        can_change = user.has_perm("documents.change_document", document)
        context.update(
            date_line=format_date_line(document.date, document.place),
            attachments=document.attachments.order_by("uploaded_at", "pk"),
            outgoing=document.outgoing_links.select_related("target__doc_type").order_by("pk"),
            incoming=document.incoming_links.select_related("source__doc_type").order_by("pk"),
            tasks=self._tasks(document, user),
            can_change=can_change,
            attachment_form=AttachmentForm() if can_change else None,
            link_form=LinkForm() if can_change else None,
        )
        return context

    @staticmethod
    def _tasks(document, user) -> list:
        """Tasks created from this document, when the tasks app provides `document.tasks`."""
        manager = getattr(document, "tasks", None)
        if manager is None:
            return []
        tasks = manager.all()
        if hasattr(tasks, "visible_to"):
            tasks = tasks.visible_to(user)
        return list(tasks)


class DocumentCreateView(PagePermissionMixin, FormView):
    permission = "documents.add_document"
    template_name = "documents/document_form.html"
    form_class = DocumentForm

    def get_initial(self):
        self.request.active_nav = "documents"
        return {"congress": Congress.objects.filter(is_current=True).first()}

    def form_valid(self, form):
        try:
            document = register_document(self.request.user, **form.cleaned_data)
        except ServiceError as exc:
            field = "symbol" if exc.code in SYMBOL_CODES else FIELD_OF_CODE.get(exc.code)
            form.add_error(field, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Đã vào sổ văn bản số %(symbol)s.") % {"symbol": document.symbol}
        )
        return redirect("documents:detail", pk=document.pk)


def _congress(value: str) -> Congress | None:
    return Congress.objects.filter(pk=int(value)).first() if value.isdigit() else None


def _proposal(resolved, params) -> dict:
    parsed = resolved.parsed
    number = next_number(
        parsed.issuer_code,
        parsed.type_code,
        params.get("term", ""),
        congress=_congress(params.get("congress", "")),
        in_congress=params.get("in_congress") in {"on", "true", "1"},
    )
    proposed = format_symbol(
        parsed.system, f"{number:02d}", parsed.type_code, parsed.issuer_code, parsed.year
    )
    return {"next_number": number, "proposed_symbol": proposed}


@require_perm("documents.add_document")
def check_symbol(request):
    """HTMX: what the typed symbol means, whether it is taken, and the next free number."""
    params = request.GET
    text = params.get("symbol", "").strip()[:100]
    context: dict = {"text": text}
    if not text:
        return render(request, "documents/_symbol_check.html", context)
    try:
        context["resolved"] = resolved = resolve_symbol(text)
        context["existing"] = find_registered(resolved.parsed)
    except ServiceError as exc:
        context["error"] = exc.message
        resolved = _without_number(text)
        context["template"] = resolved
    if resolved is not None:
        try:
            context.update(_proposal(resolved, params))
        except ServiceError as exc:
            context["proposal_error"] = exc.message
    return render(request, "documents/_symbol_check.html", context)


def _without_number(text: str):
    """«TB/TU» or «QĐ-UBND» typed without a number: read it with a placeholder number."""
    if text[:1].isdigit():
        return None
    body = text.lstrip("-/ ")
    for candidate in (f"1-{body}", f"1/{body}"):
        try:
            return resolve_symbol(candidate)
        except ServiceError:
            continue
    return None
