"""Bounded request bodies: 413 before the app reads too much.

Pure ASGI (no BaseHTTPMiddleware): it sits on every request's hot path. Request latency is
measured for every service by `minhbach.observability.operations` (route template, status).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intake import messages as msg
from intake.domain import FieldError
from intake.errors import errors_body


class BodyTooLarge(HTTPException):
    """Raised from `receive` so FastAPI passes it through (it re-raises HTTPException as is)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=limit)
        self.limit = limit


class IntakeMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            if _declared_length(scope) > self.max_body_bytes:
                raise BodyTooLarge(self.max_body_bytes)
            await self.app(scope, self._limited(receive), send)
        except BodyTooLarge:
            # Raised before the app could answer (declared length, or a stream outside a route).
            await _send_too_large(send, self.max_body_bytes)

    def _limited(self, receive: Receive) -> Receive:
        received = 0
        limit = self.max_body_bytes

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        return limited_receive


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


async def _send_too_large(send: Any, limit: int) -> None:
    body = errors_body([too_large_error(limit)])
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def too_large_error(limit: int) -> FieldError:
    return FieldError("body", msg.BODY_TOO_LARGE.format(limit=limit // 1024), "too_large")
