"""A cap on request bodies (uploads have their own, larger limit), so no client can make the server
hold an arbitrarily large JSON or form body in memory."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_FILES_PER_REQUEST = 4


class BodyTooLarge(HTTPException):
    """An HTTPException, so that a framework reading the body passes it on as a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"the request body may be at most {limit} bytes")


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        if _declared_length(scope) > limit:
            await _refuse(send, limit)
            return
        try:
            await self.app(scope, _counting(receive, limit), send)
        except BodyTooLarge:
            await _refuse(send, limit)

    def _limit_for(self, scope: Scope) -> int:
        """Multipart bodies carry files (each checked again on its own): a few files' worth."""
        if _header(scope, b"content-type").startswith(b"multipart/form-data"):
            return self.max_upload_bytes * MAX_FILES_PER_REQUEST + 65536
        return self.max_bytes


def _header(scope: Scope, wanted: bytes) -> bytes:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return bytes(value).lower()
    return b""


def _declared_length(scope: Scope) -> int:
    try:
        return int(_header(scope, b"content-length") or 0)
    except ValueError:
        return 0


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"the request body may be at most {limit} bytes"}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
