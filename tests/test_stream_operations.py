"""What operators see, against a real broker (issue 20): probes answered while the worker is busy, progress
and readiness after the broker returns, the lag unknown while it is away, and fast restarts with static
group membership. Each test prints its figures. Budgets that are wall-clock times are multiplied by
``machine_speed.slowness()``.
"""

from __future__ import annotations

import multiprocessing
import re
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from machine_speed import slowness
from test_stream_health import _spin, fire_probes
from test_stream_stalls import committed_and_end, lag_gauges, wait_for
from test_stream_worker import Names, article, free_port, http_get, produce, raw, workers

__all__ = ["workers"]

pytestmark = pytest.mark.integration


def committed_total(kafka: Any, names: Names, partitions: int) -> int:
    committed, _ = committed_and_end(kafka, names, partitions)
    return sum(c or 0 for c in committed.values())


def metric(port: int, name: str) -> float | None:
    code, text = http_get(f"http://127.0.0.1:{port}/metrics")
    assert code == 200
    m = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    return float(m.group(1)) if m else None


def test_thousand_probes_answered_by_a_busy_worker(kafka: Any, workers: Any, tmp_path: Path) -> None:
    names = Names(kafka)
    produce(kafka, names.input, [raw(article(i)) for i in range(3000)])
    port = free_port()
    # busy: a backlog of articles, each made slow in the extraction child, the consumer paused and polling
    w = workers(
        kafka.bootstrap_servers, names, tmp_path / "w.log", "--metrics-port", str(port),
        "--batch-size", "50", env={"QW_TEST_SLOW_MS": "5"},
    )  # fmt: skip
    w.wait_assigned()
    wait_for("commits", lambda: committed_total(kafka, names, 3) > 0, timeout=60)
    hogs = [
        multiprocessing.get_context("spawn").Process(target=_spin, args=(time.monotonic() + 120,))
        for _ in range(multiprocessing.cpu_count() or 1)
    ]
    for h in hogs:
        h.start()
    try:
        answered, took, failures = fire_probes(port, 1000, timeout=30)
    finally:
        for h in hogs:
            h.kill()
            h.join()
    still_busy = committed_total(kafka, names, 3) < 3000
    assert w.stop() == 0, w.log.read_text()[-3000:]
    print(f"{answered}/1000 concurrent GET /healthz answered 200 in {took:.1f}s by a busy worker")
    assert still_busy, "the worker had finished its backlog before the probes: make it slower"
    assert answered == 1000, failures


@pytest.mark.parametrize("outage", ["stop", "kill"])
def test_progress_resumes_within_seconds_of_the_broker_return(
    kafka_factory: Any, workers: Any, tmp_path: Path, outage: str
) -> None:
    broker = kafka_factory()
    names = Names(broker, partitions=2)
    produce(broker, names.input, [raw(article(i)) for i in range(2000)])
    port = free_port()
    w = workers(  # the defaults of reconnection and lag measurement, the ones documented
        broker.bootstrap_servers, names, tmp_path / "w.log", "--metrics-port", str(port),
        "--batch-size", "20", env={"QW_TEST_SLOW_MS": "10"},
    )  # fmt: skip
    wait_for("commits", lambda: committed_total(broker, names, 2) >= 100, timeout=60)
    wait_for("/readyz 200", lambda: http_get(f"http://127.0.0.1:{port}/readyz")[0] == 200, timeout=10)
    wait_for("the lag of both partitions", lambda: set(lag_gauges(port)) == {0, 1}, timeout=10)  # cached 1 s

    broker.stop() if outage == "stop" else broker.kill()
    down = time.monotonic()
    _, body = wait_for(
        "/readyz 503",
        lambda: (lambda r: r if r[0] == 503 else None)(http_get(f"http://127.0.0.1:{port}/readyz")),
        timeout=30,
        every=0.1,
    )
    unready_after = time.monotonic() - down
    assert body.startswith("not ready: broker unreachable"), body
    wait_for("the lag gauge gone", lambda: lag_gauges(port) == {}, timeout=10)
    age = metric(port, "quote_worker_consumer_lag_age_seconds")
    assert age is not None and age > 0
    assert metric(port, "quote_worker_ready") == 0
    assert http_get(f"http://127.0.0.1:{port}/healthz")[0] == 200  # an outage is no reason to restart
    time.sleep(max(0.0, 8 - (time.monotonic() - down)))  # eight seconds away
    assert (metric(port, "quote_worker_consumer_lag_age_seconds") or 0) >= 7

    broker.start()
    back = time.monotonic()
    before = committed_total(broker, names, 2)
    wait_for(
        "a commit after the return",
        lambda: committed_total(broker, names, 2) > before,
        timeout=120,
        every=0.1,
    )
    resumed_after = time.monotonic() - back
    wait_for(
        "/readyz 200", lambda: http_get(f"http://127.0.0.1:{port}/readyz")[0] == 200, timeout=30, every=0.1
    )
    ready_after = time.monotonic() - back
    wait_for("the lag of both partitions", lambda: set(lag_gauges(port)) == {0, 1}, timeout=10)  # cached 1 s
    left = 2000 - committed_total(broker, names, 2)
    assert w.stop() == 0, w.log.read_text()[-3000:]
    factor = slowness()
    print(
        f"broker {outage}: /readyz 503 ({body.strip()!r}) {unready_after:.1f}s after; back after "
        f"{time.monotonic() - down:.0f}s: first commit {resumed_after:.1f}s and /readyz 200 "
        f"{ready_after:.1f}s after the broker was ready (machine slowness {factor:.1f}); {left} left"
    )
    assert left > 0, "the backlog was done before the return: make the worker slower"
    assert unready_after < 6 * factor
    assert resumed_after < 5 * factor
    assert ready_after < resumed_after + 6 * factor


def test_restarted_worker_takes_its_partitions_back_in_seconds(
    kafka: Any, workers: Any, tmp_path: Path
) -> None:
    """Static membership: kill -9, restart with the same --group-instance-id, repeatedly. The session
    timeout is 45 s, so a dynamic member's partitions would wait 30 s for the dead one to leave."""
    names = Names(kafka)
    produce(kafka, names.input, [raw(article(i)) for i in range(6000)])
    args = ["--group-instance-id", "worker-0", "--session-timeout-ms", "45000", "--batch-size", "20"]
    slow = {"QW_TEST_SLOW_MS": "5"}
    takeovers = []
    for round_ in range(4):
        before = committed_total(kafka, names, 3)
        started = time.monotonic()
        w = workers(kafka.bootstrap_servers, names, tmp_path / f"w{round_}.log", *args, env=slow)
        wait_for("a commit", lambda b=before: committed_total(kafka, names, 3) > b, timeout=60, every=0.1)
        takeovers.append(time.monotonic() - started)
        w.proc.send_signal(signal.SIGKILL)
        w.proc.wait(10)
    # a clean stop leaves the group even as a static member: another instance gets the partitions at once
    before = committed_total(kafka, names, 3)
    w = workers(kafka.bootstrap_servers, names, tmp_path / "last.log", *args, env=slow)
    wait_for("a commit", lambda: committed_total(kafka, names, 3) > before, timeout=60, every=0.1)
    assert w.stop() == 0, w.log.read_text()[-3000:]
    assert any(e.get("msg") == "left the group" for e in w.logs())
    before = committed_total(kafka, names, 3)
    started = time.monotonic()
    other = ["--group-instance-id", "worker-1", *args[2:]]
    w = workers(kafka.bootstrap_servers, names, tmp_path / "other.log", *other, env=slow)
    wait_for("a commit", lambda: committed_total(kafka, names, 3) > before, timeout=60, every=0.1)
    after_stop = time.monotonic() - started
    left = 6000 - committed_total(kafka, names, 3)
    assert w.stop() == 0
    factor = slowness()
    print(
        "first commit after a restart (process start included), kill -9 then the same instance id: "
        + ", ".join(f"{t:.1f}s" for t in takeovers)
        + f"; another instance after a clean stop: {after_stop:.1f}s (session timeout 45 s, "
        f"machine slowness {factor:.1f})"
    )
    assert left > 0, "the backlog was done: make the worker slower"
    budget = min(15 * factor, 40)  # below the session timeout whatever the machine
    assert max(takeovers) < budget and after_stop < budget
