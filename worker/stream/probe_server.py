"""The worker's small HTTP server for ``/metrics``, ``/healthz`` and ``/readyz``, built to answer while the
worker is saturated:

* a real listen backlog (``backlog``, 1024 by default; the kernel caps it at ``net.core.somaxconn``), so
  a burst of probes waits in the kernel's queue instead of having its SYNs dropped and retried seconds
  later;
* threads of its own: one accepts, a fixed pool (``threads``) answers, so a burst costs no thread per
  connection and the processing loop is never asked to serve;
* bounded work per request: the request head is read with one deadline for the whole of it
  (``timeout_s``, not per byte: a client that trickles cannot hold a thread longer) and at most
  ``max_head_bytes``; one request per connection (``Connection: close``); every answer is built by a
  callable that does no I/O (the metrics text is rendered at most once per ``render_ttl_s``, whatever
  the number of scrapes, by ``CachedRender``); connections waiting beyond ``max_pending`` are closed
  at once rather than queued without end.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"


Route = Callable[[], Answer]

_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    503: "Service Unavailable",
}


class CachedRender:
    """``render()`` at most once per ``ttl_s``; concurrent callers share one rendering."""

    def __init__(self, render: Callable[[], bytes], ttl_s: float = 1.0) -> None:
        self.render = render
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._value = b""
        self._at = float("-inf")

    def __call__(self) -> bytes:
        with self._lock:
            now = time.monotonic()
            if now - self._at >= self.ttl_s:
                self._value = self.render()
                self._at = time.monotonic()
            return self._value


class ProbeServer:
    def __init__(
        self,
        routes: Mapping[str, Route],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        backlog: int = 1024,
        threads: int = 4,
        timeout_s: float = 5.0,
        max_head_bytes: int = 8192,
        max_pending: int = 4096,
    ) -> None:
        self.routes = dict(routes)
        self.timeout_s = timeout_s
        self.max_head_bytes = max_head_bytes
        self.max_pending = max_pending
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.sock.bind((host, port))
            self.sock.listen(backlog)
        except OSError:
            self.sock.close()
            raise
        self.host = host
        self.port = int(self.sock.getsockname()[1])
        self._pending: queue.Queue[socket.socket | None] = queue.Queue()
        self._closed = threading.Event()
        self._threads = [threading.Thread(target=self._accept_loop, name="probe-accept", daemon=True)]
        self._threads += [
            threading.Thread(target=self._answer_loop, name=f"probe-http-{i}", daemon=True)
            for i in range(threads)
        ]
        self.dropped = 0  # connections closed unanswered because too many were waiting

    def start(self) -> ProbeServer:
        for t in self._threads:
            t.start()
        log.info("metrics server listening", extra={"host": self.host, "port": self.port})
        return self

    def close(self) -> None:
        self._closed.set()
        # wakes the accept loop (blocked in accept) by closing the listening socket under it
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        for _ in self._threads:
            self._pending.put(None)
        for t in self._threads:
            t.join(timeout=self.timeout_s + 1)
        while not self._pending.empty():
            conn = self._pending.get_nowait()
            if conn is not None:
                conn.close()

    # -- threads -------------------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                if self._closed.is_set():
                    return
                time.sleep(0.01)  # e.g. out of file descriptors: do not spin
                continue
            if self._pending.qsize() >= self.max_pending:
                self.dropped += 1
                conn.close()
                continue
            self._pending.put(conn)

    def _answer_loop(self) -> None:
        while True:
            conn = self._pending.get()
            if conn is None:
                return
            try:
                self._answer(conn)
            except OSError:
                pass  # the client went away: nothing to answer
            except Exception:
                log.exception("metrics server: answering a request failed")
            finally:
                conn.close()

    # -- one request ---------------------------------------------------------------------------------
    def _read_head(self, conn: socket.socket) -> bytes | None:
        """The request head (up to the blank line), within ``timeout_s`` for the whole of it; None when
        it does not come in time or is too long."""
        deadline = time.monotonic() + self.timeout_s
        head = b""
        while b"\r\n\r\n" not in head and b"\n\n" not in head:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or len(head) > self.max_head_bytes:
                return None
            conn.settimeout(remaining)
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                return None
            if not chunk:
                return head or None
            head += chunk
        return head

    def _answer(self, conn: socket.socket) -> None:
        head = self._read_head(conn)
        if head is None:
            return
        parts = head.split(b"\r\n", 1)[0].split(b"\n", 1)[0].split()
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/"):
            answer = Answer(400, b"bad request\n")
        elif parts[0] not in (b"GET", b"HEAD"):
            answer = Answer(405, b"method not allowed\n")
        else:
            route = self.routes.get(parts[1].split(b"?", 1)[0].decode("latin-1"))
            answer = route() if route is not None else Answer(404, b"not found\n")
        reason = _REASONS.get(answer.status, "")
        header = (
            f"HTTP/1.1 {answer.status} {reason}\r\nContent-Type: {answer.content_type}\r\n"
            f"Content-Length: {len(answer.body)}\r\nConnection: close\r\n\r\n"
        ).encode("latin-1")
        conn.settimeout(self.timeout_s)
        conn.sendall(header if parts and parts[0] == b"HEAD" else header + answer.body)
