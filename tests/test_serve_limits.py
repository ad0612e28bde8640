"""``quote-worker serve``'s limits (``worker/serve/limits.py``) on a real uvicorn server: slow and incomplete
requests are closed at their deadlines, idle keep-alive connections too, over-long heads are answered 431
(also a 1 MB one, whose client reads the answer), connections over the cap are answered 503, and a client
that goes away mid-body is one INFO line. Deadlines are short here (1-2 s); the checks allow them
``machine_speed.slowness()`` times some seconds of slack."""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from machine_speed import slowness
from serve_fixtures import extractor

from worker.extractor import Extractor
from worker.serve import DEFAULT_SAMPLES
from worker.serve.app import create_app, read_samples
from worker.serve.limits import ServerLimits, uvicorn_config

__all__ = ["extractor"]

LIMITS = ServerLimits(header_timeout_s=1.0, body_timeout_s=2.0, keep_alive_s=2.0, max_connections=500)


class LimitedServer:
    def __init__(self, extractor: Extractor, limits: ServerLimits) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        app = create_app(extractor, samples=read_samples(DEFAULT_SAMPLES))
        # log_config None: uvicorn's loggers propagate to the root, where caplog sees them
        self.server = uvicorn.Server(uvicorn_config(app, limits, log_level="info", log_config=None))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=30)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def server(extractor: Extractor) -> Iterator[LimitedServer]:
    running = LimitedServer(extractor, LIMITS)
    yield running
    running.close()


SLACK_S = 3.0  # seconds of slack on an unloaded machine, times its slowness (measured once per test)


@pytest.fixture
def slack() -> float:
    return SLACK_S * slowness()


def read_all(conn: socket.socket) -> bytes:
    out = b""
    try:
        while chunk := conn.recv(65536):
            out += chunk
    except ConnectionResetError:
        pass
    return out


def closed_within(conn: socket.socket, seconds: float) -> tuple[bytes, float]:
    """What the server sent until it closed the connection, and after how long."""
    conn.settimeout(seconds)
    started = time.monotonic()
    return read_all(conn), time.monotonic() - started


def test_slowloris_heads_are_cut_at_the_header_deadline(server: LimitedServer, slack: float) -> None:
    conns = [server.connect() for _ in range(300)]
    started = time.monotonic()
    for _ in range(3):  # a byte of head now and then, never the end of it
        for c in conns:
            c.sendall(b"G" if _ == 0 else b"E")
        time.sleep(0.2)
    answers = [closed_within(c, LIMITS.header_timeout_s + slack) for c in conns]
    took = time.monotonic() - started
    for c in conns:
        c.close()
    closed = [a for a, _ in answers if a.startswith(b"HTTP/1.1 408 ")]
    print(f"{len(closed)}/300 slowloris connections answered 408 and closed within {took:.1f}s")
    assert len(closed) == 300


def test_a_connection_that_sends_nothing_is_closed(server: LimitedServer, slack: float) -> None:
    with server.connect() as c:
        answer, after = closed_within(c, LIMITS.header_timeout_s + slack)
    assert answer.startswith(b"HTTP/1.1 408 ") and after >= LIMITS.header_timeout_s * 0.9


def test_a_body_that_does_not_come_is_cut_at_the_body_deadline(server: LimitedServer, slack: float) -> None:
    conns = [server.connect() for _ in range(100)]
    for c in conns:
        c.sendall(b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + b"{" * 10)
    answers = [closed_within(c, LIMITS.body_timeout_s + slack) for c in conns]
    for c in conns:
        c.close()
    ok = [a for a, t in answers if a.startswith(b"HTTP/1.1 408 ")]
    print(f"{len(ok)}/100 half-sent bodies answered 408 and closed")
    assert len(ok) == 100


def test_idle_keep_alive_connections_are_closed(server: LimitedServer, slack: float) -> None:
    with server.connect() as c:
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        answer, after = closed_within(c, LIMITS.keep_alive_s + slack)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert after < LIMITS.keep_alive_s + slack


def test_a_second_request_on_a_kept_connection_gets_a_fresh_head_deadline(server: LimitedServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        for _ in range(3):  # one connection (HTTP/1.1 keep-alive) for all three
            conn.request("GET", "/healthz")
            answer = conn.getresponse()
            assert answer.status == 200 and answer.getheader("connection") != "close"
            answer.read()
            time.sleep(LIMITS.header_timeout_s * 0.8)  # idle, below the keep-alive timeout
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("what", "head"),
    [
        ("2,000 header lines", b"".join(b"X-H%d: v\r\n" % i for i in range(2000))),
        ("101 header lines", b"".join(b"X-H%d: v\r\n" % i for i in range(101))),
        ("one 1 MB header", b"X-Big: " + b"a" * 1_000_000 + b"\r\n"),
        ("17 kB of headers", b"X-A: " + b"a" * 17_000 + b"\r\n"),
    ],
)
def test_over_long_heads_get_431(server: LimitedServer, what: str, head: bytes) -> None:
    with server.connect() as c:
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n")
        answer, _ = closed_within(c, 10)
    assert answer.startswith(b"HTTP/1.1 431 "), (what, answer[:200])


def test_a_head_within_the_limits_is_served(server: LimitedServer) -> None:
    with server.connect() as c:
        head = b"".join(b"X-H%d: v\r\n" % i for i in range(98))  # with Host: 99 lines
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + head + b"Connection: close\r\n\r\n")
        answer, _ = closed_within(c, 10)
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_connections_over_the_cap_get_503(extractor: Extractor) -> None:
    limits = ServerLimits(header_timeout_s=30, body_timeout_s=30, max_connections=5)
    running = LimitedServer(extractor, limits)
    try:
        held = [running.connect() for _ in range(4)]
        for c in held:
            c.sendall(b"GET /heal")  # unfinished: each holds a connection
        time.sleep(0.2)
        with running.connect() as c:
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer, _ = closed_within(c, 10)
        assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
        for c in held:
            c.close()
        time.sleep(0.2)
        with running.connect() as c:
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer, _ = closed_within(c, 10)
        assert answer.startswith(b"HTTP/1.1 200 ")
    finally:
        running.close()


def test_a_client_gone_mid_body_is_one_info_line(
    server: LimitedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(5):
        with server.connect() as c:
            c.sendall(b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + b"{" * 100)
            time.sleep(0.1)  # the app is reading the body
    deadline = time.monotonic() + 5 * slowness()  # the app sees the disconnect after its next read
    lines = []
    while time.monotonic() < deadline:
        lines = [r for r in caplog.records if "disconnected" in r.getMessage()]
        if len(lines) >= 5:
            break
        time.sleep(0.1)
    time.sleep(0.3)
    assert len([r for r in caplog.records if "disconnected" in r.getMessage()]) == 5
    assert all(r.levelno == logging.INFO and r.exc_info is None for r in lines)
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert errors == [], [r.getMessage() for r in errors]
