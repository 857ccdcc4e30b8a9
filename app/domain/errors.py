"""Domain errors carry the HTTP status they map to; one handler renders them as problem details."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400
    title = "Bad request"
    type_suffix = "bad-request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status_code = 404
    title = "Not found"
    type_suffix = "not-found"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"
    type_suffix = "conflict"


class InvalidTransition(Conflict):
    title = "Invalid stage transition"
    type_suffix = "invalid-transition"


class VersionMismatch(DomainError):
    status_code = 412
    title = "Precondition failed"
    type_suffix = "version-mismatch"


class PreconditionRequired(DomainError):
    status_code = 428
    title = "Precondition required"
    type_suffix = "precondition-required"


class Unprocessable(DomainError):
    status_code = 422
    title = "Unprocessable content"
    type_suffix = "unprocessable"


def field_error(field: str, message: str, kind: str = "value_error") -> Unprocessable:
    """A 422 that points at one body field, shaped like the framework's own validation errors."""
    return Unprocessable(message, errors=[{"loc": ["body", field], "msg": message, "type": kind}])


class UnsupportedMediaType(DomainError):
    status_code = 415
    title = "Unsupported media type"
    type_suffix = "unsupported-media-type"


class Unauthorized(DomainError):
    status_code = 401
    title = "Unauthorized"
    type_suffix = "unauthorized"


class Forbidden(DomainError):
    status_code = 403
    title = "Forbidden"
    type_suffix = "forbidden"


class Unavailable(DomainError):
    status_code = 503
    title = "Service unavailable"
    type_suffix = "unavailable"
