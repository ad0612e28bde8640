"""What /healthz and /readyz say (``worker.stream.health``), on a clock of the test's own, and the probe
server (``worker.stream.probe_server``) on a real socket: its answers, its bounds, and 1,000 concurrent
probes answered while every core is busy. The same against a busy worker and a real broker:
tests/test_stream_probes.py."""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
import time
from collections.abc import Iterator

import pytest

from worker.stream import metrics
from worker.stream.health import Health
from worker.stream.probe_server import Answer, CachedRender, ProbeServer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ready_health(clock: Clock) -> Health:
    health = Health(stall_timeout_s=300, broker_timeout_s=5, clock=clock)
    health.set_subscribed(True)
    health.set_assigned(2)
    health.observed(lag=0, advanced=False)
    return health


def test_readiness_says_why() -> None:
    clock = Clock()
    health = Health(stall_timeout_s=300, broker_timeout_s=5, clock=clock)
    assert health.not_ready_reason() == "not connected yet"
    health.set_subscribed(True)
    assert health.not_ready_reason() == "broker unreachable (never answered)"
    health.observed(lag=0, advanced=False)
    assert health.not_ready_reason() == "no partitions assigned"
    health.set_assigned(2)
    assert health.is_ready() and health.live()
    # the broker stops answering: not ready once the last answer is older than broker_timeout_s, even
    # before a request fails
    clock.now += 4.9
    assert health.is_ready()
    clock.now += 0.2
    assert health.not_ready_reason() == "broker unreachable (no answer for 5.1 s)"
    assert health.live()  # an outage: not ready, but a restart would not help
    health.broker_unreachable("KafkaTimeoutError()")
    assert health.lag is None
    assert health.not_ready_reason() == "broker unreachable (no answer for 5.1 s): KafkaTimeoutError()"
    health.observed(lag=3, advanced=False)  # back: ready at once
    assert health.is_ready() and health.lag_age_s() == 0
    health.set_stopping()
    assert health.not_ready_reason() == "stopping"


def test_stalls_make_the_worker_unready_then_dead() -> None:
    clock = Clock()
    health = ready_health(clock)
    health.observed(lag=5, advanced=False)
    for _ in range(300):  # measured every second, nothing committed
        clock.now += 1.0
        health.beat()
        health.observed(lag=5, advanced=False)
    clock.now += 0.5
    health.observed(lag=5, advanced=False)
    assert health.stalled()
    assert health.not_ready_reason() == "stalled: no committed offset advanced for 300 s while the lag was 5"
    assert health.not_live_reason() == health.not_ready_reason()
    health.observed(lag=5, advanced=True)  # a commit advanced: live again
    assert health.is_ready()
    clock.now += 300
    health.observed(lag=0, advanced=False)
    assert health.not_live_reason() == "stalled: the processing loop did not turn for 300 s"
    health.beat()
    assert health.is_ready()  # nothing to do (lag 0) is no stall
    # an outage does not count as a stall: the stall clock starts again when the broker is back
    health.observed(lag=5, advanced=False)
    health.broker_unreachable("down")
    clock.now += 400
    health.beat()
    health.observed(lag=5, advanced=False)
    assert health.live() and health.is_ready()


def test_metrics_say_ready_and_the_lag_age() -> None:
    clock = Clock()
    health = ready_health(clock)
    metrics.watch(health)

    def sample(name: str) -> float:
        value = metrics.REGISTRY.get_sample_value(name)
        assert value is not None
        return value

    assert sample("quote_worker_ready") == 1
    clock.now += 7
    assert sample("quote_worker_consumer_lag_age_seconds") == 7
    assert sample("quote_worker_ready") == 0


def test_cached_render_renders_once_per_ttl() -> None:
    calls = []
    render = CachedRender(lambda: calls.append(1) or str(len(calls)).encode(), ttl_s=60)
    assert [render() for _ in range(100)] == [b"1"] * 100


# -------------------------------------------------------------------------------- the probe server


@pytest.fixture
def server() -> Iterator[ProbeServer]:
    routes = {"/healthz": lambda: Answer(200, b"ok\n"), "/readyz": lambda: Answer(503, b"not ready: x\n")}
    srv = ProbeServer(routes, "127.0.0.1", 0, timeout_s=1.0, max_head_bytes=4096).start()
    yield srv
    srv.close()


def raw_request(port: int, data: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


def test_probe_server_answers_and_refuses(server: ProbeServer) -> None:
    assert server.host == "127.0.0.1"
    ok = raw_request(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert ok.startswith(b"HTTP/1.1 200 OK\r\n") and ok.endswith(b"\r\n\r\nok\n")
    assert b"Connection: close" in ok
    assert raw_request(server.port, b"GET /readyz?x=1 HTTP/1.1\r\n\r\n").endswith(b"not ready: x\n")
    assert raw_request(server.port, b"GET /nope HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 404")
    assert raw_request(server.port, b"POST /healthz HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 405")
    assert raw_request(server.port, b"garbage\r\n\r\n").startswith(b"HTTP/1.1 400")
    head = raw_request(server.port, b"HEAD /healthz HTTP/1.1\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and head.endswith(b"\r\n\r\n")


def test_probe_server_bounds_each_request(server: ProbeServer) -> None:
    # a head over max_head_bytes: closed unanswered, without reading it all (the unread rest makes the
    # kernel reset the connection)
    with pytest.raises(ConnectionError):
        raw_request(server.port, b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 20000)
    # a client that trickles its head is cut at the deadline of the whole head, not of each byte
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 8:
            try:
                s.sendall(b"X")
                if s.recv(1, socket.MSG_DONTWAIT) == b"":
                    closed = True
                    break
            except BlockingIOError:
                pass
            except OSError:
                closed = True
                break
            time.sleep(0.2)
        assert closed, "a trickling client held the connection for 8 s"
    # the server still answers
    assert raw_request(server.port, b"GET /healthz HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 200")


async def _probe_many(port: int, n: int, timeout: float) -> list[bytes]:
    async def one() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: worker\r\n\r\n")
        await writer.drain()
        data = await reader.read()
        writer.close()
        return data

    async def bounded() -> bytes:
        try:
            return await asyncio.wait_for(one(), timeout)
        except (TimeoutError, OSError) as exc:
            return repr(exc).encode()

    return await asyncio.gather(*(bounded() for _ in range(n)))


def fire_probes(port: int, n: int = 1000, timeout: float = 30) -> tuple[int, float, list[bytes]]:
    """``n`` concurrent ``GET /healthz``, each with ``timeout`` (a kubelet's is 1-10 s); returns how many
    were answered 200, the seconds the burst took, and the failures."""
    started = time.monotonic()
    answers = asyncio.run(_probe_many(port, n, timeout))
    took = time.monotonic() - started
    ok = [a for a in answers if a.startswith(b"HTTP/1.1 200")]
    return len(ok), took, [a for a in answers if not a.startswith(b"HTTP/1.1 200")][:5]


def _spin(stop_at: float) -> None:
    while time.monotonic() < stop_at:
        pass


@pytest.fixture
def default_server() -> Iterator[ProbeServer]:
    """A probe server with the worker's own settings (5 s for a request head): the burst's client is one
    starved Python thread that may write a request seconds after its connection was accepted, which the
    ``server`` fixture's 1 s head deadline would count against the server."""
    routes = {"/healthz": lambda: Answer(200, b"ok\n")}
    srv = ProbeServer(routes, "127.0.0.1", 0).start()
    yield srv
    srv.close()


def test_thousand_concurrent_probes_answered_on_busy_cores(default_server: ProbeServer) -> None:
    server = default_server
    hogs = [
        multiprocessing.get_context("spawn").Process(target=_spin, args=(time.monotonic() + 120,))
        for _ in range(2 * (multiprocessing.cpu_count() or 1))
    ]
    for h in hogs:
        h.start()
    try:
        answered, took, failures = fire_probes(server.port)
    finally:
        for h in hogs:
            h.kill()
            h.join()
    print(f"{answered}/1000 concurrent probes answered 200 in {took:.1f}s with every core busy")
    assert answered == 1000, failures
    assert server.dropped == 0
