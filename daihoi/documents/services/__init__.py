"""Use cases of the document register: one function each, permission first, audited."""

from daihoi.documents.services.attachments import add_attachment
from daihoi.documents.services.errors import (
    AttachmentRefused,
    DuplicateDocument,
    InvalidInput,
    NotAllowed,
    ServiceError,
)
from daihoi.documents.services.links import link_documents
from daihoi.documents.services.numbering import next_number
from daihoi.documents.services.reference import link_issuers_to_units
from daihoi.documents.services.register import register_document
from daihoi.documents.services.symbols import (
    ResolvedSymbol,
    find_document,
    find_registered,
    resolve_symbol,
)

__all__ = [
    "AttachmentRefused",
    "DuplicateDocument",
    "InvalidInput",
    "NotAllowed",
    "ResolvedSymbol",
    "ServiceError",
    "add_attachment",
    "find_document",
    "find_registered",
    "link_documents",
    "link_issuers_to_units",
    "next_number",
    "register_document",
    "resolve_symbol",
]
