"""The store's own Prometheus metrics; the shared ones (consumed records, batch time and size, lag,
commits, assigned partitions, readiness) are ``worker.stream.metrics``'s, served the same way."""

from __future__ import annotations

from prometheus_client import Counter

STORED_QUOTES = Counter("quote_worker_store_quotes_total", "Quote records written to the store")
STORED_STATUSES = Counter("quote_worker_store_statuses_total", "Article status records written to the store")
SKIPPED = Counter(
    "quote_worker_store_skipped_total",
    "Records the store could not read (logged with their position)",
    ["reason"],
)
