"""Prometheus metrics of the stream worker and the HTTP server that serves them with ``/healthz`` (liveness:
the loop turns and committed offsets advance while there is lag) and ``/readyz`` (readiness: connected,
subscribed, broker answering, not stopping). See ``Health``.
"""

from __future__ import annotations

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest

log = logging.getLogger(__name__)

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
    "End offset minus the group's committed offset, per held partition (refreshed on a timer)",
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
UP = Gauge("quote_worker_ready", "1 when the worker is connected and consuming")


class Health:
    """Shared state behind /healthz and /readyz, updated by the processing loop and the lag monitor.

    * live (``/healthz``): the processing loop turned in the last ``stall_timeout_s``, and the group's
      committed offsets advanced in that time or there was nothing to do (lag 0). A stall is counted only
      while the broker answers: an outage is what readiness reports.
    * ready (``/readyz``): connected, subscribed, not stopping, the broker answering, and live.
    """

    def __init__(self, stall_timeout_s: float = 300.0) -> None:
        # default: longer than a flush can block while the broker is away (delivery timeout 120 s)
        self.stall_timeout_s = stall_timeout_s
        self.last_beat = time.monotonic()
        self.last_progress = time.monotonic()
        self.lag = 0
        self.ready = False
        self.stopping = False
        self.broker_ok = True

    def beat(self) -> None:
        self.last_beat = time.monotonic()

    def set_ready(self, ready: bool) -> None:
        self.ready = ready
        self._update_up()

    def observed(self, lag: int, advanced: bool) -> None:
        """A lag measurement: total lag of the held partitions, and whether a committed offset moved."""
        self.lag = lag
        if advanced or lag == 0 or not self.broker_ok:
            self.last_progress = time.monotonic()
        self.broker_ok = True
        self._update_up()

    def broker_unreachable(self) -> None:
        self.broker_ok = False
        self.last_progress = time.monotonic()  # the stall clock restarts when the broker is back
        self._update_up()

    def _update_up(self) -> None:
        UP.set(1 if self.is_ready() else 0)

    def stalled(self) -> bool:
        return self.lag > 0 and time.monotonic() - self.last_progress > self.stall_timeout_s

    def live(self) -> bool:
        return time.monotonic() - self.last_beat < self.stall_timeout_s and not self.stalled()

    def is_ready(self) -> bool:
        return self.ready and not self.stopping and self.broker_ok and self.live()


class _Handler(BaseHTTPRequestHandler):
    health: Health

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._send(200, generate_latest(REGISTRY), CONTENT_TYPE_LATEST)
        elif path == "/healthz":
            ok = self.health.live()
            self._send(200 if ok else 503, b"ok\n" if ok else b"stalled\n")
        elif path == "/readyz":
            ok = self.health.is_ready()
            why = b"" if ok else b" (broker unreachable)" if not self.health.broker_ok else b""
            self._send(200 if ok else 503, b"ready\n" if ok else b"not ready" + why + b"\n")
        else:
            self._send(404, b"not found\n")

    def _send(self, code: int, body: bytes, ctype: str = "text/plain; charset=utf-8") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: probes hit this every few seconds
        pass


class MetricsServer:
    """``/metrics``, ``/healthz``, ``/readyz`` on one port, served from a daemon thread."""

    def __init__(self, health: Health, port: int, host: str = "0.0.0.0") -> None:
        handler = type("Handler", (_Handler,), {"health": health})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="metrics-http", daemon=True)

    def start(self) -> MetricsServer:
        self.thread.start()
        log.info("metrics server listening", extra={"port": self.port})
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
