from daihoi.documents.models.documents import (
    Attachment,
    Document,
    DocumentLink,
    DocumentSystem,
    LinkKind,
    Secrecy,
    SignerCapacity,
    Urgency,
)
from daihoi.documents.models.reference import DocumentType, Issuer

__all__ = [
    "Attachment",
    "Document",
    "DocumentLink",
    "DocumentSystem",
    "DocumentType",
    "Issuer",
    "LinkKind",
    "Secrecy",
    "SignerCapacity",
    "Urgency",
]
