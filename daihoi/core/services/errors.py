"""Typed errors raised by service functions: a stable code for the API, a Vietnamese message."""


class ServiceError(Exception):
    code = "service_error"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotAllowed(ServiceError):
    code = "not_allowed"


class InvalidInput(ServiceError):
    code = "invalid_input"
