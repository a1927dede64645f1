"""Domain errors. Each names the HTTP status and error code the API maps it to, so every adapter and
handler speaks the one error model of the contract (docs/architecture.md §5)."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class InvalidInput(DomainError):
    status = 400
    code = "validation_error"

    @classmethod
    def for_field(cls, field: str, message: str) -> InvalidInput:
        return cls(f"{field}: {message}", [{"field": field, "message": message}])


class Unauthenticated(DomainError):
    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class VersionConflict(Conflict):
    code = "version_conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class RequestInProgress(Conflict):
    code = "request_in_progress"


class ReferenceTaken(Conflict):
    """A generated reference collided with an existing one; the service draws another."""

    code = "reference_taken"


class ServiceUnavailable(DomainError):
    """A dependency is throttling or failing; nothing was changed and the caller may retry."""

    status = 503
    code = "service_unavailable"
