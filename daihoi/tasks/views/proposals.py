"""Propose tasks from a document's text: paste or upload, review each proposal, accept."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daihoi.core.services.errors import ServiceError
from daihoi.core.services.units import create_unit
from daihoi.core.views.mixins import require_perm
from daihoi.tasks.forms_proposals import ProposalFormSet, SourceForm
from daihoi.tasks.services.create import TaskSpec
from daihoi.tasks.services.proposals import accept_proposals


def _document(pk: int):
    from daihoi.documents.models import Document

    return get_object_or_404(Document, pk=pk)


def _initial(proposal: dict) -> dict:
    deadline = proposal["deadline"]
    text = proposal["text"]
    return {
        "accept": True,
        "title": text[:300],
        "source_text": text,
        "lead": "; ".join(proposal["lead_units"]),
        "coordinating": "; ".join(proposal["coordinating_units"]),
        "deadline_kind": deadline["kind"],
        "deadline_date": dt.date.fromisoformat(deadline["date"]) if deadline["date"] else None,
        "deadline_text": deadline["text"] or "",
        "approval_chain": "; ".join(proposal["approval_chain"]),
    }


def _read_upload(uploaded) -> str:
    """The text of an uploaded TXT, DOCX or PDF, through the extraction's own reader."""
    from daihoi.tasks.extraction import read_path

    with tempfile.NamedTemporaryFile(suffix=Path(uploaded.name or "").suffix.lower()) as tmp:
        for chunk in uploaded.chunks():
            tmp.write(chunk)
        tmp.flush()
        return read_path(tmp.name)


def _analyse(request, document):
    from daihoi.tasks.extraction import (
        ReadError,
        directory_from_db,
        directory_with_builtin,
        extract,
    )

    source = SourceForm(request.POST, request.FILES)
    if not source.is_valid():
        return render(request, "tasks/proposals.html", {"document": document, "source": source})
    try:
        if source.cleaned_data["file"]:
            text = _read_upload(source.cleaned_data["file"])
        else:
            text = source.cleaned_data["text"]
        if not text.strip():
            raise ReadError(_("Văn bản trống: hãy dán nội dung hoặc tải tệp lên."))
    except ReadError as exc:
        source.add_error(None, str(exc))
        return render(request, "tasks/proposals.html", {"document": document, "source": source})
    proposals = [p.to_json() for p in extract(text, directory_with_builtin(directory_from_db()))]
    unknown = sorted({name for p in proposals for name in p.get("unknown_units", [])})
    formset = ProposalFormSet(initial=[_initial(p) for p in proposals], prefix="p")
    return render(
        request,
        "tasks/proposals.html",
        {"document": document, "source": source, "formset": formset, "unknown": unknown},
    )


def _create(request, document):
    formset = ProposalFormSet(request.POST, prefix="p")
    if not formset.is_valid():
        return render(request, "tasks/proposals.html", {"document": document, "formset": formset})
    specs = []
    for form in formset:
        data = form.cleaned_data
        if not data.get("accept"):
            continue
        specs.append(
            TaskSpec(
                title=data["title"],
                source_text=data["source_text"],
                deadline_kind=data["deadline_kind"],
                deadline_date=data["deadline_date"],
                deadline_text=data["deadline_text"],
                **form.lists(),
            )
        )
    try:
        tasks = accept_proposals(
            request.user, document, specs, historical=bool(request.POST.get("historical"))
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return render(request, "tasks/proposals.html", {"document": document, "formset": formset})
    messages.success(request, _("Đã giao %(n)d nhiệm vụ theo văn bản.") % {"n": len(tasks)})
    return redirect("documents:detail", pk=document.pk)


@require_perm("tasks.add_task")
def propose_tasks(request, document_pk: int):
    request.active_nav = "documents"
    document = _document(document_pk)
    if request.method == "POST" and request.POST.get("step") == "create":
        return _create(request, document)
    if request.method == "POST":
        return _analyse(request, document)
    source = SourceForm(initial={"text": document.body})
    return render(request, "tasks/proposals.html", {"document": document, "source": source})


@require_POST
@require_perm("core.add_unit")
def add_unit_to_directory(request):
    """One click from a flagged unit name: the unit joins the directory (HTMX partial)."""
    name = request.POST.get("name", "").strip()
    try:
        unit = create_unit(request.user, name=name, kind=request.POST.get("kind", "group"))
    except ServiceError as exc:
        return render(request, "tasks/partials/unit_added.html", {"error": exc.message})
    return render(request, "tasks/partials/unit_added.html", {"unit": unit})
