"""Prometheus metrics of ``quote-worker serve``, as a pure ASGI middleware so that every answer is
counted, the 413 of an over-long body and the 404 of an unknown path included."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import Counter, Histogram

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter(
    "quote_worker_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "quote_worker_http_request_seconds",
    "Time from a request's start to its answer's last byte",
    ["route"],
    buckets=_LATENCY_BUCKETS,
)
EXTRACTION_SECONDS = Histogram(
    "quote_worker_http_extraction_seconds",
    "Decoding, validation and extraction of one article posted to /v1/extract",
    buckets=_LATENCY_BUCKETS,
)
BODY_BYTES = Histogram(
    "quote_worker_http_request_body_bytes",
    "Bytes of a /v1/extract body read by the server (a refused body: as far as it was read)",
    buckets=(1e3, 1e4, 1e5, 2.5e5, 5e5, 1e6, 2.5e6, 5e6, 1e7),
)
REJECTED = Counter("quote_worker_http_rejected_total", "Articles refused by /v1/extract", ["reason"])
QUOTES = Counter("quote_worker_http_quotes_total", "Quote records returned by /v1/extract")

OTHER_ROUTE = "other"


class MetricsMiddleware:
    """Counts requests by method, route and status and times them. Only the app's own paths become
    label values (``other`` for the rest), so a scanner cannot grow the metrics without bound."""

    def __init__(self, app: Any, routes: Iterable[str], prefixes: Iterable[str] = ()) -> None:
        self.app = app
        self.routes = frozenset(routes)
        self.prefixes = tuple(prefixes)

    def route_of(self, path: str) -> str:
        if path in self.routes:
            return path
        for prefix in self.prefixes:
            if path.startswith(prefix):
                return prefix
        return OTHER_ROUTE

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what an exception that escapes the app becomes

        async def send_counted(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        route = self.route_of(scope["path"])
        try:
            await self.app(scope, receive, send_counted)
        finally:
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            REQUEST_SECONDS.labels(route).observe(time.perf_counter() - started)
