"""Prometheus metrics of the stream worker, and the routes of the server that serves them with ``/healthz``
and ``/readyz`` (what they say: ``worker.stream.health``; the server: ``worker.stream.probe_server``).
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest

from worker.stream.health import Health
from worker.stream.probe_server import Answer, CachedRender, ProbeServer, Route

__all__ = ["Health"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

CONSUMED = Counter("quote_worker_consumed_total", "Input messages consumed", ["topic"])
PRODUCED = Counter("quote_worker_produced_total", "Records produced (committed to the output)", ["topic"])
QUOTES = Counter("quote_worker_quotes_total", "Quote records produced")
DEAD_LETTERED = Counter("quote_worker_dead_lettered_total", "Input messages dead-lettered", ["reason"])
BATCH_SECONDS = Histogram(
    "quote_worker_batch_seconds", "One batch from poll to committed offsets", buckets=_LATENCY_BUCKETS
)
EXTRACTION_SECONDS = Histogram(
    "quote_worker_extraction_seconds", "Extraction time of one article", buckets=_LATENCY_BUCKETS
)
BATCH_SIZE = Histogram(
    "quote_worker_batch_size", "Input messages per batch", buckets=(1, 5, 10, 50, 100, 250, 500, 1000, 5000)
)
LAG = Gauge(
    "quote_worker_consumer_lag",
    "End offset minus the group's committed offset, per held partition (refreshed on a timer; absent "
    "while the broker cannot be read)",
    ["topic", "partition"],
)
STAGE_SECONDS = Counter(
    "quote_worker_stage_seconds_total",
    "Time the consumer process spent per stage (poll, wait_extraction, build_records, send, flush_commit)",
    ["stage"],
)
COMMITS = Counter("quote_worker_commits_total", "Offset commits (or committed transactions)")
RETRIES = Counter("quote_worker_retries_total", "Retried broker operations", ["operation"])
ASSIGNED = Gauge("quote_worker_assigned_partitions", "Partitions currently assigned")
UP = Gauge("quote_worker_ready", "1 when /readyz answers 200 (the worker can make progress)")


LAG_AGE = Gauge(
    "quote_worker_consumer_lag_age_seconds",
    "Seconds since the lag was last measured; quote_worker_consumer_lag is absent while the broker cannot "
    "be read, and this grows (-1: never measured)",
)


def watch(health: Health) -> None:
    """``quote_worker_ready`` and the lag's age read from ``health`` at each scrape."""
    UP.set_function(lambda: 1.0 if health.is_ready() else 0.0)
    LAG_AGE.set_function(lambda: -1.0 if (age := health.lag_age_s()) is None else age)


def probe_routes(health: Health, render_ttl_s: float = 1.0) -> dict[str, Route]:
    """``/metrics``, ``/healthz`` and ``/readyz`` for ``ProbeServer``: each answer is built from memory."""
    render = CachedRender(lambda: generate_latest(REGISTRY), render_ttl_s)

    def healthz() -> Answer:
        why = health.not_live_reason()
        return Answer(200, b"ok\n") if why is None else Answer(503, f"{why}\n".encode())

    def readyz() -> Answer:
        why = health.not_ready_reason()
        return Answer(200, b"ready\n") if why is None else Answer(503, f"not ready: {why}\n".encode())

    return {
        "/metrics": lambda: Answer(200, render(), CONTENT_TYPE_LATEST),
        "/healthz": healthz,
        "/readyz": readyz,
    }


def serve(health: Health, port: int, host: str = "127.0.0.1") -> ProbeServer:
    """The worker's metrics and probe server, started (see ``worker.stream.probe_server``)."""
    watch(health)
    return ProbeServer(probe_routes(health), host, port).start()
