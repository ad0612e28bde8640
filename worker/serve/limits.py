"""What one client may cost ``quote-worker serve``: the server's limits, applied under uvicorn (h11).

uvicorn bounds idle keep-alive connections (``timeout_keep_alive``) and, with ``limit_concurrency``, the
connections and requests it takes on at once (over it, 503). It has no deadline for a request's head or
body, and no limit on the number of header lines; h11 answers an over-long head with 400 only past its
own buffer size. ``limited_protocol`` adds these to uvicorn's h11 protocol:

* the head of a request (request line and headers) must arrive within ``header_timeout_s`` of its first
  byte (of the connection, for the first request), the whole of it, not per byte: a client that trickles
  ("slowloris") is answered 408 and closed;
* its body within ``body_timeout_s`` of the head; else 408 (or, once the app answers, a plain close);
* more than ``max_headers`` header lines or ``max_header_bytes`` bytes of head: 431, then the connection
  is read and discarded for a moment before it closes, so that a client still sending its head reads
  the answer instead of a reset.

``QuietDisconnects`` wraps the app: a client that goes away before its request was read is one INFO line
(``client disconnected``), not an ERROR with a traceback per connection, which anyone could cause.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from typing import Any

import h11
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

# uvicorn's own logger of the server's events: its handler and level (--log-level) apply
log = logging.getLogger("uvicorn.error")

#: After a refusal, how long the rest of what the client sends is read and dropped before closing.
LINGER_S = 2.0


@dataclass(frozen=True)
class ServerLimits:
    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0
    keep_alive_s: float = 5.0  # whole seconds (uvicorn's unit)
    max_headers: int = 100
    max_header_bytes: int = 16 * 1024
    max_connections: int = 256


def _refusal(status: int, reason: str, text: str) -> bytes:
    body = text.encode() + b"\n"
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


class LimitedH11Protocol(H11Protocol):
    limits = ServerLimits()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head = bytearray()
        self._deadline: asyncio.TimerHandle | None = None
        self._phase = ""
        self._discarding = False
        self._arm("head", self.limits.header_timeout_s)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, phase: str, seconds: float) -> None:
        self._disarm()
        self._phase = phase
        self._deadline = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = None
        self._phase = ""

    def data_received(self, data: bytes) -> None:
        if self._discarding:
            return
        if self.conn.their_state is h11.IDLE:  # a request head is coming in
            if self._phase != "head":  # the first byte after an idle keep-alive starts its clock
                self._arm("head", self.limits.header_timeout_s)
            self._head += data
            end = self._head.find(b"\r\n\r\n")
            head = self._head if end < 0 else self._head[:end]
            if len(head) > self.limits.max_header_bytes or head.count(b"\n") > self.limits.max_headers:
                self._refuse(431, "Request Header Fields Too Large", "request header fields too large")
                return
            if end >= 0:
                self._head = bytearray()
        super().data_received(data)
        self._follow_state()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_state()

    def _follow_state(self) -> None:
        """The deadline that applies to what the client owes now: its body, or nothing."""
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            if self._phase != "body":
                self._arm("body", self.limits.body_timeout_s)
        elif state is not h11.IDLE:
            self._disarm()
        elif self._phase == "head" and not self._head:
            self._disarm()  # between requests: uvicorn's keep-alive timeout applies

    def _timed_out(self) -> None:
        phase = self._phase
        self._deadline = None
        self._phase = ""
        if self.transport.is_closing():
            return
        log.info("%s - request %s not received in time: 408, connection closed", _client(self), phase)
        self._refuse(408, "Request Timeout", f"request {phase} not received in time")

    def _refuse(self, status: int, reason: str, text: str) -> None:
        self._disarm()
        cycle = self.cycle
        answered = cycle is not None and cycle.response_started
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True  # the app's reads end, its answer goes nowhere
            cycle.message_event.set()
        if not answered:
            self.transport.write(_refusal(status, reason, text))
        self._discarding = True
        self.loop.call_later(LINGER_S, self.transport.close)


def _client(protocol: H11Protocol) -> str:
    client = protocol.client
    return f"{client[0]}:{client[1]}" if client else "?"


def limited_protocol(limits: ServerLimits) -> type[LimitedH11Protocol]:
    """uvicorn's h11 protocol with ``limits`` (a class: uvicorn makes one per connection)."""
    return type("LimitedH11Protocol", (LimitedH11Protocol,), {"limits": limits})


class QuietDisconnects:
    """ASGI middleware: a request whose client went away is logged as one INFO line."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            client = scope.get("client") or ("?", 0)
            log.info(
                "%s:%s - client disconnected before its request to %s was read",
                client[0],
                client[1],
                scope.get("path"),
            )


def uvicorn_config(app: Any, limits: ServerLimits, **options: Any) -> Any:
    """A ``uvicorn.Config`` serving ``app`` within ``limits`` (``options``: host, port, log_level…)."""
    import uvicorn

    return uvicorn.Config(
        QuietDisconnects(app),
        http=limited_protocol(limits),
        timeout_keep_alive=math.ceil(limits.keep_alive_s),  # uvicorn takes whole seconds
        limit_concurrency=limits.max_connections,
        h11_max_incomplete_event_size=limits.max_header_bytes + 1024,
        lifespan="off",
        **options,
    )
