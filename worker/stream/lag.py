"""Consumer lag as operators read it, and the broker's reachability, measured on a timer by a thread of
its own, so neither depends on the processing loop (which may wait on a flush, or on a slow batch).

Lag of a partition = its end offset minus the group's committed offset — what
``kafka-consumer-groups --describe`` shows — for the partitions this worker holds. The thread uses its
own client (a consumer that never joins the group: it only asks for offsets), with short timeouts.

It feeds ``Health``: whether the broker answers (``/readyz``), and when a committed offset last
advanced while there was lag (``/healthz``). While the broker cannot be read the lag is unknown: the
gauge's series are removed (absent, not a frozen number) and ``quote_worker_consumer_lag_age_seconds``
grows.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from worker.stream import metrics
from worker.stream.config import StreamConfig
from worker.stream.health import Health

log = logging.getLogger(__name__)

# Short, so that an unreachable broker is reported within seconds (``Health.broker_timeout_s``).
REQUEST_TIMEOUT_MS = 3_000


def broker_timeout_s(config: StreamConfig) -> float:
    """How long without an answer before the broker counts as unreachable: one request's timeout and two
    measurement intervals (a measurement is late, not lost, on a busy machine)."""
    return REQUEST_TIMEOUT_MS / 1000 + 2 * config.lag_interval_s


class LagMonitor:
    def __init__(
        self,
        config: StreamConfig,
        assigned: Callable[[], set[TopicPartition]],
        health: Health,
    ) -> None:
        self.config = config
        self.assigned = assigned
        self.health = health
        self.interval_s = config.lag_interval_s
        self._stop = threading.Event()
        self._client: KafkaConsumer | None = None
        self._committed: dict[TopicPartition, int] = {}
        self._reported: set[TopicPartition] = set()
        self._thread = threading.Thread(target=self._run, name="lag-monitor", daemon=True)

    def start(self) -> LagMonitor:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=REQUEST_TIMEOUT_MS / 1000 + 5)
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.close(autocommit=False)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.refresh()
            except Exception as exc:  # broker away, or anything else: not ready until it answers again
                if self.health.broker_error is None:
                    log.warning("broker not answering offset requests", extra={"error": repr(exc)})
                self._set({})  # the lag is unknown now: no series rather than the last value
                self.health.broker_unreachable(repr(exc))
            self._stop.wait(max(0.0, self.interval_s - (time.monotonic() - started)))

    def _consumer(self) -> KafkaConsumer:
        if self._client is None:
            kw: dict[str, Any] = self.config.common_kafka_kwargs()
            kw.update(
                group_id=self.config.group_id,
                enable_auto_commit=False,
                request_timeout_ms=REQUEST_TIMEOUT_MS,
                bootstrap_timeout_ms=REQUEST_TIMEOUT_MS,
                client_id=f"{self.config.group_id}-lag",
            )
            self._client = KafkaConsumer(**kw)
        return self._client

    def refresh(self) -> None:
        """One measurement: end and committed offsets of the held partitions (raises if the broker
        does not answer)."""
        client = self._consumer()
        tps = sorted(self.assigned())
        if not tps:  # nothing held: still tell whether the broker answers (every topic has partition 0)
            probe = TopicPartition(self.config.input_topics[0], 0)
            client.end_offsets([probe], timeout_ms=REQUEST_TIMEOUT_MS)
            self._set({})
            self.health.observed(0, False)
            return
        end = client.end_offsets(tps, timeout_ms=REQUEST_TIMEOUT_MS)
        committed: dict[TopicPartition, int | None] = {
            tp: client.committed(tp, timeout_ms=REQUEST_TIMEOUT_MS) for tp in tps
        }
        missing = [tp for tp, off in committed.items() if off is None]
        if missing:  # never committed: the group starts at the beginning (earliest) or the end (latest)
            start = (
                client.beginning_offsets(missing, timeout_ms=REQUEST_TIMEOUT_MS)
                if self.config.auto_offset_reset == "earliest"
                else {tp: end[tp] for tp in missing}
            )
            committed.update(start)
        lag = {tp: max(0, end[tp] - (committed[tp] or 0)) for tp in tps}
        advanced = any((committed[tp] or 0) > self._committed[tp] for tp in tps if tp in self._committed)
        self._committed = {tp: committed[tp] or 0 for tp in tps}
        self._set(lag)
        self.health.observed(sum(lag.values()), advanced)

    def _set(self, lag: dict[TopicPartition, int]) -> None:
        for tp in self._reported - set(lag):
            with contextlib.suppress(KeyError):
                metrics.LAG.remove(tp.topic, str(tp.partition))
        for tp, value in lag.items():
            metrics.LAG.labels(tp.topic, str(tp.partition)).set(value)
        self._reported = set(lag)
