"""Attachments (upload, download) and links between documents."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, View
from django.views.generic.detail import SingleObjectMixin

from daihoi.core.uploads import max_upload_bytes
from daihoi.core.views.mixins import ObjectPermissionMixin
from daihoi.documents.forms import AttachmentForm, LinkForm
from daihoi.documents.models import Attachment, Document, LinkKind
from daihoi.documents.services import (
    ServiceError,
    add_attachment,
    find_document,
    link_documents,
)


class _DocumentFormView(ObjectPermissionMixin, SingleObjectMixin, FormView):
    """A form about one document, for those who may change the register (others: 404)."""

    model = Document
    permission = "documents.change_document"
    context_object_name = "document"

    def dispatch(self, request, *args, **kwargs):
        request.active_nav = "documents"
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect("documents:detail", pk=self.object.pk)


class AttachmentUploadView(_DocumentFormView):
    template_name = "documents/attachment_form.html"
    form_class = AttachmentForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_upload_mb"] = max_upload_bytes() // (1024 * 1024)
        return context

    def form_valid(self, form):
        try:
            attachment = add_attachment(self.request.user, self.object, form.cleaned_data["file"])
        except ServiceError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        return self.done(_("Đã đính kèm tệp «%(name)s».") % {"name": attachment.original_name})


class DocumentLinkView(_DocumentFormView):
    template_name = "documents/link_form.html"
    form_class = LinkForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            other = find_document(data["target"])
            if other is None:
                form.add_error(
                    "target",
                    _("Không tìm thấy văn bản số «%(symbol)s» trong sổ.")
                    % {"symbol": data["target"]},
                )
                return self.form_invalid(form)
            source, target = self.object, other
            if data["direction"] == LinkForm.INCOMING:
                source, target = other, self.object
            link_documents(self.request.user, source, target, data["kind"])
        except ServiceError as exc:
            form.add_error("target", exc.message)
            return self.form_invalid(form)
        return self.done(
            _("Đã liên kết: %(source)s — %(kind)s — %(target)s.")
            % {
                "source": source.symbol,
                "kind": LinkKind(data["kind"]).label,
                "target": target.symbol,
            }
        )


class AttachmentDownloadView(ObjectPermissionMixin, SingleObjectMixin, View):
    """Files go out through this view, after the permission check, never from MEDIA_URL."""

    model = Attachment
    permission = "documents.view_document"

    def get_queryset(self):
        return super().get_queryset().select_related("document")

    def get(self, request, *args, **kwargs):
        attachment = self.get_object()
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
