"""Every refusal becomes a JSON answer with the right status; a 500 is the logged last resort."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from spineconsult.consult.errors import ConsultError, InvalidInput, RateLimited, Unauthorized

log = logging.getLogger("spineconsult.web")


def _field_of(loc: Sequence[object]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "body"


async def consult_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ConsultError)
    content: dict[str, object] = {"detail": exc.message}
    headers: dict[str, str] = {}
    if isinstance(exc, InvalidInput):
        content["field"] = exc.field
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    return JSONResponse(content, status_code=exc.status, headers=headers)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 naming the field: FastAPI's error list plus a one-line message."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": ("body",), "msg": "invalid"}
    field = _field_of(first.get("loc", ("body",)))
    # Only location, message and type: the rejected input may hold a password or health data.
    detail = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors
    ]
    content = {
        "detail": jsonable_encoder(detail),
        "field": field,
        "message": f"{field}: {first.get('msg', 'invalid')}",
    }
    return JSONResponse(content, status_code=422)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error; it has been logged"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ConsultError, consult_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
