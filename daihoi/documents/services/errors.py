"""Typed errors of the register: a stable code for the API, a Vietnamese message for people."""

from __future__ import annotations

from daihoi.core.services.errors import InvalidInput, NotAllowed, ServiceError

__all__ = ["AttachmentRefused", "DuplicateDocument", "InvalidInput", "NotAllowed", "ServiceError"]


class DuplicateDocument(InvalidInput):
    code = "duplicate_symbol"


class AttachmentRefused(InvalidInput):
    code = "attachment_refused"
