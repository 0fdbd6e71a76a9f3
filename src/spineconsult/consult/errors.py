"""Refusals a use case can raise; the web layer maps each to one HTTP status."""

from __future__ import annotations


class ConsultError(Exception):
    """Base of every expected refusal; `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unauthorized(ConsultError):
    status = 401


class Forbidden(ConsultError):
    status = 403


class NotFound(ConsultError):
    status = 404


class Conflict(ConsultError):
    """The case is not in a state that allows this (already claimed, not answered yet...)."""

    status = 409


class TooLarge(ConsultError):
    status = 413


class UnsupportedType(ConsultError):
    status = 415


class InvalidInput(ConsultError):
    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class RateLimited(ConsultError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(ConsultError):
    """A part the request needs is not installed (e.g. de-identification before publication)."""

    status = 503
