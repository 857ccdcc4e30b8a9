"""Domain errors carry the HTTP status they map to; one handler renders them as problem details.

Each kind of problem is one line: its status, the title clients read, and the suffix of its
``type`` URI (``/problems/<suffix>``). A subclass names only what differs from its parent.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400
    title = "Bad request"
    type_suffix = "bad-request"

    def __init_subclass__(
        cls, *, status: int | None = None, title: str | None = None, suffix: str | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status_code = status
        if title is not None:
            cls.title = title
        if suffix is not None:
            cls.type_suffix = suffix

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError, status=404, title="Not found", suffix="not-found"): ...


class Conflict(DomainError, status=409, title="Conflict", suffix="conflict"): ...


class InvalidTransition(Conflict, title="Invalid stage transition", suffix="invalid-transition"): ...


class VersionMismatch(DomainError, status=412, title="Precondition failed", suffix="version-mismatch"): ...


class PreconditionRequired(
    DomainError, status=428, title="Precondition required", suffix="precondition-required"
): ...


class Unprocessable(DomainError, status=422, title="Unprocessable content", suffix="unprocessable"): ...


class UnsupportedMediaType(
    DomainError, status=415, title="Unsupported media type", suffix="unsupported-media-type"
): ...


class Unauthorized(DomainError, status=401, title="Unauthorized", suffix="unauthorized"): ...


class Forbidden(DomainError, status=403, title="Forbidden", suffix="forbidden"): ...


class Unavailable(DomainError, status=503, title="Service unavailable", suffix="unavailable"): ...


def field_error(field: str, message: str, kind: str = "value_error") -> Unprocessable:
    """A 422 that points at one body field, shaped like the framework's own validation errors."""
    return Unprocessable(message, errors=[{"loc": ["body", field], "msg": message, "type": kind}])
