"""Where output records go and where offsets are committed: the ONE place with delivery-guarantee logic.

* ``AtLeastOnceSink``: ``send`` hands records to the (idempotent) producer; ``commit(offsets)`` flushes,
  re-sends whatever failed (with backoff, as long as it takes), and only then commits the offsets. A
  crash between the two re-delivers the batch: the re-sent records have the same keys and values.
* ``TransactionalSink``: the first ``send`` of a batch begins a transaction; ``commit(offsets)`` adds the
  consumed offsets to it (``send_offsets_to_transaction``) and commits it. An abortable failure aborts and
  replays the whole batch in a new transaction; fencing is fatal.

``replay`` can use ``AtLeastOnceSink(producer, commit_offsets=None)``: flush-and-check without offsets.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from kafka import KafkaProducer, OffsetAndMetadata, TopicPartition
from kafka import errors as kerr

from worker.stream import metrics
from worker.stream.messages import OutRecord, partition_for

log = logging.getLogger(__name__)

Offsets = Mapping[TopicPartition, int]  # next offset to read, per partition

# Errors after which this producer can do nothing useful: the process must exit (and be restarted).
FATAL_PRODUCER_ERRORS: tuple[type[BaseException], ...] = (
    kerr.ProducerFencedError,
    kerr.InvalidProducerEpochError,
    kerr.AuthorizationError,
    kerr.UnsupportedVersionError,
    kerr.SaslAuthenticationFailedError,
)
# Offsets cannot be committed because the group moved on: another member owns (and will redo) the batch.
LOST_OWNERSHIP_ERRORS: tuple[type[BaseException], ...] = (
    kerr.CommitFailedError,
    kerr.IllegalGenerationError,
    kerr.UnknownMemberIdError,
    kerr.RebalanceInProgressError,
    kerr.FencedInstanceIdError,
)


class FatalError(RuntimeError):
    """The worker cannot go on (fenced, unauthorised, misconfigured); exit non-zero."""


class Backoff:
    def __init__(self, initial: float = 0.2, maximum: float = 30.0) -> None:
        self.initial = initial
        self.maximum = maximum
        self.delay = initial

    def wait(self, stop: Callable[[], bool] | None = None) -> None:
        deadline = time.monotonic() + self.delay
        while time.monotonic() < deadline and not (stop and stop()):
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        self.delay = min(self.delay * 2, self.maximum)

    def reset(self) -> None:
        self.delay = self.initial


class Sink:
    """Produces ``OutRecord``s; ``commit`` makes them durable together with the consumed offsets."""

    def __init__(
        self, producer: KafkaProducer, backoff_max_s: float = 30.0, stopping: Callable[[], bool] | None = None
    ) -> None:
        self.producer = producer
        self.backoff_max_s = backoff_max_s
        self.stopping = stopping or (lambda: False)
        self._partitions: dict[str, int] = {}
        # (topic, partition key) -> partition: an article's records share one key, and murmur2 is pure
        # Python in kafka-python; hashed once per article, not once per record
        self._chosen: dict[tuple[str, bytes], int] = {}
        self.produced: dict[str, int] = {}  # per topic, since the last commit

    def partition(self, rec: OutRecord) -> int:
        key = (rec.topic, rec.partition_key)
        chosen = self._chosen.get(key)
        if chosen is not None:
            return chosen
        n = self._partitions.get(rec.topic)
        if n is None:
            parts = self.producer.partitions_for(rec.topic)
            if not parts:
                raise FatalError(f"output topic {rec.topic!r} has no partitions (does it exist?)")
            n = self._partitions[rec.topic] = len(parts)
        if len(self._chosen) > 50_000:
            self._chosen.clear()
        chosen = self._chosen[key] = partition_for(rec.partition_key, n)
        return chosen

    def refresh_partitions(self) -> None:
        self._partitions.clear()
        self._chosen.clear()

    def _send(self, rec: OutRecord) -> Any:
        return self.producer.send(
            rec.topic, value=rec.value, key=rec.key, headers=rec.headers, partition=self.partition(rec)
        )

    def send(self, rec: OutRecord) -> None:
        raise NotImplementedError

    def commit(self, offsets: Offsets) -> bool:
        """Make everything sent durable, then the offsets; False if the group took the partitions away
        (the new owner redoes the batch)."""
        raise NotImplementedError

    def abort(self) -> None:
        """Drop what was sent since the last commit, where the guarantee allows (transactions)."""

    def _count(self, records: list[OutRecord]) -> None:
        for rec in records:
            self.produced[rec.topic] = self.produced.get(rec.topic, 0) + 1

    def take_produced(self) -> dict[str, int]:
        out, self.produced = self.produced, {}
        return out


class AtLeastOnceSink(Sink):
    def __init__(
        self,
        producer: KafkaProducer,
        commit_offsets: Callable[[dict[TopicPartition, OffsetAndMetadata]], None] | None,
        backoff_max_s: float = 30.0,
        stopping: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(producer, backoff_max_s, stopping)
        self.commit_offsets = commit_offsets
        self._pending: list[tuple[OutRecord, Any]] = []

    def send(self, rec: OutRecord) -> None:
        self._pending.append((rec, self._send(rec)))

    def _deliver(self) -> None:
        backoff = Backoff(maximum=self.backoff_max_s)
        while self._pending:
            self.producer.flush()
            failed: list[OutRecord] = []
            first_error: BaseException | None = None
            for rec, fut in self._pending:
                if fut.failed():
                    failed.append(rec)
                    first_error = first_error or fut.exception
            if not failed:
                self._count([rec for rec, _ in self._pending])
                self._pending.clear()
                return
            if isinstance(first_error, FATAL_PRODUCER_ERRORS):
                raise FatalError(f"producing failed: {first_error!r}")
            metrics.RETRIES.labels("produce").inc()
            log.warning(
                "records not delivered; re-sending", extra={"failed": len(failed), "error": repr(first_error)}
            )
            delivered = [rec for rec, fut in self._pending if not fut.failed()]
            self._count(delivered)
            backoff.wait()
            self._pending = [(rec, self._send(rec)) for rec in failed]

    def commit(self, offsets: Offsets) -> bool:
        self._deliver()
        if self.commit_offsets is None or not offsets:
            return True
        payload = {tp: OffsetAndMetadata(off, "", -1) for tp, off in offsets.items()}
        backoff = Backoff(maximum=self.backoff_max_s)
        while True:
            try:
                self.commit_offsets(payload)
                metrics.COMMITS.inc()
                return True
            except LOST_OWNERSHIP_ERRORS as exc:
                log.warning(
                    "offset commit refused: partitions moved to another member", extra={"error": repr(exc)}
                )
                return False
            except kerr.KafkaError as exc:
                if isinstance(exc, FATAL_PRODUCER_ERRORS):
                    raise FatalError(f"offset commit failed: {exc!r}") from exc
                metrics.RETRIES.labels("commit").inc()
                log.warning("offset commit failed; retrying", extra={"error": repr(exc)})
                backoff.wait()


class TransactionalSink(Sink):
    def __init__(
        self,
        producer: KafkaProducer,
        group_metadata: Callable[[], Any],
        backoff_max_s: float = 30.0,
        stopping: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(producer, backoff_max_s, stopping)
        self.group_metadata = group_metadata
        self._records: list[OutRecord] = []
        self._in_txn = False

    def _begin(self) -> None:
        if not self._in_txn:
            self.producer.begin_transaction()
            self._in_txn = True

    def send(self, rec: OutRecord) -> None:
        self._begin()
        self._send(rec)
        self._records.append(rec)

    def abort(self) -> None:
        if self._in_txn:
            try:
                self.producer.abort_transaction()
            except FATAL_PRODUCER_ERRORS as exc:
                raise FatalError(f"transaction abort failed: {exc!r}") from exc
            finally:
                self._in_txn = False
        self._records.clear()

    def commit(self, offsets: Offsets) -> bool:
        if not self._in_txn and not offsets:
            return True
        payload = {tp: OffsetAndMetadata(off, "", -1) for tp, off in offsets.items()}
        backoff = Backoff(maximum=self.backoff_max_s)
        while True:
            try:
                self._begin()
                if payload:
                    self.producer.send_offsets_to_transaction(payload, self.group_metadata())
                self.producer.commit_transaction()
                self._in_txn = False
                self._count(self._records)
                self._records.clear()
                metrics.COMMITS.inc()
                return True
            except FATAL_PRODUCER_ERRORS as exc:
                raise FatalError(f"transaction failed: {exc!r}") from exc
            except kerr.KafkaError as exc:
                lost = isinstance(exc, LOST_OWNERSHIP_ERRORS)
                log.warning(
                    "transaction failed; aborting" + ("" if lost else " and retrying"),
                    extra={"error": repr(exc), "records": len(self._records)},
                )
                metrics.RETRIES.labels("transaction").inc()
                records = list(self._records)
                self.abort()
                if lost:
                    return False
                backoff.wait()
                for rec in records:
                    self.send(rec)
