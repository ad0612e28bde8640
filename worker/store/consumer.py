"""The loop of ``quote-worker store``: read the quotes and status topics (with ``--article-texts`` the
worker's input topics too) from the offsets the database holds, write each batch with its offsets in
one transaction (``worker.store.ingest``).

No consumer group: the partitions are assigned by hand and the positions live in the database only
(Kafka Connect's JDBC sink does the same), so a restart, after a clean stop or ``kill -9``, resumes
exactly where the last committed transaction ended. Memory is bounded by one batch: a poll returns at
most ``--batch-size`` records and is written before the next poll. Partitions added to a topic later
are picked up every ``PARTITION_CHECK_S``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

from kafka import KafkaConsumer, TopicPartition
from kafka import errors as kerr

from worker.store import metrics as store_metrics
from worker.store.database import Database
from worker.store.ingest import Consumed, apply_batch, stored_offsets
from worker.stream import metrics
from worker.stream.config import ConfigError, StreamConfig

log = logging.getLogger("worker.store")

PARTITION_CHECK_S = 30.0


class StoreConsumer:
    def __init__(
        self,
        config: StreamConfig,
        db: Database,
        health: metrics.Health | None = None,
        article_texts: bool = False,
    ) -> None:
        self.config = config
        self.db = db
        self.health = health or metrics.Health(config.stall_timeout_s)
        # With article_texts, the worker's input topics too: the texts that editors' corrections need.
        self.article_topics = list(config.input_topics) if article_texts else []
        self.topics = [config.quotes_topic, config.status_topic, *self.article_topics]
        self._stop = threading.Event()
        self.consumer: KafkaConsumer | None = None
        self.assigned: set[TopicPartition] = set()
        self._last_partition_check = 0.0
        self._last_lag = 0.0
        self._last_positions: dict[TopicPartition, int] = {}
        self.records_read = 0

    def request_stop(self, reason: str = "") -> None:
        if not self._stop.is_set():
            log.info("stopping: finishing the current batch", extra={"reason": reason})
        self._stop.set()
        self.health.set_stopping()

    def connect(self) -> None:
        kw = self.config.common_kafka_kwargs()
        kw.update(
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.config.batch_size,
            isolation_level="read_committed",  # what an aborted upstream transaction wrote is never stored
        )
        kw.update(self.config.consumer_extra)
        while not self._stop.is_set():
            try:
                self.consumer = KafkaConsumer(bootstrap_timeout_ms=15_000, **kw)
                return
            except kerr.NoBrokersAvailable as exc:
                log.warning(
                    "broker unreachable; retrying", extra={"bootstrap": self.config.bootstrap_servers}
                )
                self.health.broker_unreachable(f"{type(exc).__name__}: {exc}")
                self._stop.wait(min(5.0, self.config.reconnect_backoff_max_s))

    def _partitions(self) -> set[TopicPartition]:
        assert self.consumer is not None
        found: set[TopicPartition] = set()
        for topic in self.topics:
            parts = self.consumer.partitions_for_topic(topic)
            if not parts:
                raise ConfigError(f"topic {topic!r} does not exist (quote-worker topics create makes it)")
            found |= {TopicPartition(topic, p) for p in parts}
        return found

    def _assign(self) -> None:
        """Assign every partition of the two topics and seek each to the database's offset."""
        assert self.consumer is not None
        partitions = self._partitions()
        self._last_partition_check = time.monotonic()
        if partitions == self.assigned:
            return
        kept = {tp: self.consumer.position(tp) for tp in self.assigned}  # partitions held already
        self.consumer.assign(sorted(partitions))
        stored = stored_offsets(self.db)
        for tp in sorted(partitions):
            if tp in kept:
                self.consumer.seek(tp, kept[tp])
            elif (tp.topic, tp.partition) in stored:
                self.consumer.seek(tp, stored[(tp.topic, tp.partition)])
            else:
                self.consumer.seek_to_beginning(tp)
        self.assigned = partitions
        metrics.ASSIGNED.set(len(partitions))
        self.health.set_assigned(len(partitions))
        log.info("assigned", extra={"partitions": len(partitions), "resumed": len(stored)})

    def _measure_lag(self) -> None:
        assert self.consumer is not None
        self._last_lag = time.monotonic()
        try:
            ends = self.consumer.end_offsets(sorted(self.assigned))
        except kerr.KafkaError as exc:
            self.health.broker_unreachable(f"{type(exc).__name__}: {exc}")
            return
        stored = stored_offsets(self.db)
        total = 0
        advanced = False
        for tp, end in ends.items():
            at = stored.get((tp.topic, tp.partition), 0)
            lag = max(0, end - at)
            total += lag
            metrics.LAG.labels(tp.topic, str(tp.partition)).set(lag)
            advanced |= self._last_positions.get(tp, at) != at
            self._last_positions[tp] = at
        self.health.observed(total, advanced)

    def caught_up(self, ends: dict[TopicPartition, int]) -> bool:
        assert self.consumer is not None
        return all(self.consumer.position(tp) >= end for tp, end in ends.items())

    def run(self, until_caught_up: bool = False) -> None:
        """Consume until asked to stop; with ``until_caught_up``, only up to the end offsets the topics
        had at start (a one-shot load)."""
        self.connect()
        if self.consumer is None:
            return
        try:
            self._assign()
            self.health.set_subscribed(True)
            self._measure_lag()
            ends = self.consumer.end_offsets(sorted(self.assigned)) if until_caught_up else {}
            while not self._stop.is_set():
                if until_caught_up and self.caught_up(ends):
                    log.info("caught up with the end offsets at start")
                    break
                self.health.beat()
                self.poll_once()
                now = time.monotonic()
                if now - self._last_lag >= self.config.lag_interval_s:
                    self._measure_lag()
                if now - self._last_partition_check >= PARTITION_CHECK_S:
                    self._assign()
        finally:
            log.info("stopped", extra={"records_read": self.records_read})
            self.health.set_subscribed(False)
            with contextlib.suppress(Exception):
                self.consumer.close(autocommit=False)

    def poll_once(self) -> int:
        """One poll and its transaction; the number of records written."""
        assert self.consumer is not None
        started = time.perf_counter()
        polled = self.consumer.poll(
            timeout_ms=self.config.poll_timeout_ms, max_records=self.config.batch_size
        )
        batch: list[Consumed] = []
        for tp in sorted(polled):
            for rec in polled[tp]:
                batch.append(Consumed(rec.topic, rec.partition, rec.offset, rec.key, rec.value))
        if not batch:
            return 0
        result = apply_batch(
            self.db, batch, self.config.quotes_topic, self.config.status_topic, self.article_topics
        )
        self.records_read += len(batch)
        for topic in self.topics:
            n = sum(1 for r in batch if r.topic == topic)
            if n:
                metrics.CONSUMED.labels(topic).inc(n)
        store_metrics.STORED_QUOTES.inc(result.quotes)
        store_metrics.STORED_STATUSES.inc(result.statuses)
        for reason, n in result.skipped.items():
            store_metrics.SKIPPED.labels(reason).inc(n)
        metrics.COMMITS.inc()
        metrics.BATCH_SIZE.observe(len(batch))
        metrics.BATCH_SECONDS.observe(time.perf_counter() - started)
        log.debug("stored a batch", extra={"records": len(batch), "quotes": result.quotes})
        return len(batch)
