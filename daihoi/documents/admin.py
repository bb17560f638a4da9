"""Django admin for the register's reference tables and, read-mostly, the documents.

Documents are entered through the register page (symbol checks, numbering, attachments checked);
here an admin may correct the descriptive fields. Every change is written to the audit chain.
"""

from __future__ import annotations

from django.contrib import admin

from daihoi.core.admin import AuditedAdmin
from daihoi.documents.models import Attachment, Document, DocumentLink, DocumentType, Issuer


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdmin):
    list_display = ["code", "name", "party", "state"]
    list_filter = ["party", "state"]
    search_fields = ["code", "name"]


@admin.register(Issuer)
class IssuerAdmin(AuditedAdmin):
    list_display = ["code", "name", "unit"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["unit"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the register page, which checks type and size


class OutgoingLinkInline(admin.TabularInline):
    model = DocumentLink
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    list_display = ["symbol", "date", "doc_type", "issuer_code", "term", "in_congress"]
    list_filter = ["system", "doc_type", "in_congress", "term"]
    search_fields = ["symbol", "summary"]
    date_hierarchy = "date"
    list_select_related = ["doc_type"]
    readonly_fields = [
        "system",
        "symbol",
        "number",
        "doc_type",
        "issuer",
        "issuer_code",
        "created_by",
        "created_at",
    ]
    inlines = [AttachmentInline, OutgoingLinkInline]

    def has_add_permission(self, request):
        return False  # the register page parses the symbol and refuses duplicates
