"""Tệp đính kèm: PDF or DOCX only, checked by name and content, size-limited, stored once."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.uploads import DOCUMENT_KINDS, UploadRefused, check_upload, removed_on_error
from daihoi.documents.models import Attachment, Document
from daihoi.documents.services.base import Actor, require_manager
from daihoi.documents.services.errors import AttachmentRefused


@transaction.atomic
def add_attachment(actor: Actor, document: Document, uploaded_file: UploadedFile) -> Attachment:
    """Attach a PDF or DOCX to a document; the same content twice on one document is refused."""
    require_manager(actor)
    try:
        checked = check_upload(uploaded_file, DOCUMENT_KINDS)
    except UploadRefused as exc:
        raise AttachmentRefused(exc.message, code=exc.code) from None
    name, content_type, size, sha256 = (
        checked.name,
        checked.content_type,
        checked.size,
        checked.sha256,
    )
    document = Document.objects.select_for_update().get(pk=document.pk)
    same = document.attachments.filter(sha256=sha256).first()
    if same is not None:
        raise AttachmentRefused(
            _("Nội dung tệp này đã được đính kèm văn bản (tệp «%(name)s»).")
            % {"name": same.original_name},
            code="duplicate_attachment",
        )
    attachment = Attachment(
        document=document,
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    attachment.file.save(name, uploaded_file, save=False)
    with removed_on_error(attachment.file.storage, attachment.file.name), transaction.atomic():
        attachment.save()
        record(
            actor,
            "attachment.added",
            attachment,
            {
                "document": document.pk,
                "symbol": document.symbol,
                "name": name,
                "size": size,
                "sha256": sha256,
            },
        )
    return attachment
