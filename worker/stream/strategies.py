"""Processing strategies, after getsentry/arroyo: small steps with ``submit`` / ``poll`` / ``join`` /
``close``, each handing its results to the next, composed into a chain::

    Extract (inline or process pool, order kept) -> Produce (build + send records) -> Commit (sink)

The live consumer loop (``worker.stream.consumer``) and ``replay`` both feed batches of
``SourceMessage`` into ``build_chain(...)``; neither knows how records are built or committed.

* ``submit(item)`` hands one item over; it blocks only when more than ``saturated()`` allows is in flight
  (the live loop never gets there: it pauses its partitions while ``saturated()`` and keeps polling).
* ``saturated()`` says that enough work is in flight; ``wait(timeout)`` waits until some of it is done.
* ``poll()`` moves finished work along without blocking.
* ``join()`` finishes everything in flight and commits it (called on revocation and shutdown).
* ``close()`` releases resources; nothing more may be submitted.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kafka import TopicPartition

from worker.stream import metrics
from worker.stream.extraction import Runner
from worker.stream.messages import OutputTopics, OutRecord, Processed, SourceMessage, build_outputs
from worker.stream.sink import Sink

T = TypeVar("T")


class ProcessingStrategy(Generic[T]):
    def submit(self, item: T) -> None:
        raise NotImplementedError

    def poll(self) -> None:
        pass

    def saturated(self) -> bool:
        return False

    def wait(self, timeout: float) -> None:
        pass

    def join(self, timeout: float | None = None) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass
class Batch:
    messages: list[SourceMessage]
    started: float = field(default_factory=time.perf_counter)


@dataclass
class ProcessedBatch:
    batch: Batch
    processed: list[Processed]


@dataclass
class Produced:
    """What a committed batch advanced: next offsets per partition, counts for metrics."""

    offsets: dict[TopicPartition, int]
    started: float
    consumed: dict[str, int]
    quotes: int = 0
    dead_letters: dict[str, int] = field(default_factory=dict)


class Extract(ProcessingStrategy[Batch]):
    """Runs extraction over each batch (the runner spreads it over its processes); results go downstream
    in submission order, so per-partition order holds even when batches finish out of order."""

    def __init__(
        self, runner: Runner, next_step: ProcessingStrategy[ProcessedBatch], max_pending: int = 0
    ) -> None:
        self.runner = runner
        self.next_step = next_step
        self.max_pending = max_pending or 2 * runner.parallelism
        self.pending: deque[tuple[Batch, Future[list[Processed]]]] = deque()

    def submit(self, item: Batch) -> None:
        self.pending.append((item, self.runner.submit([m.value for m in item.messages])))
        while len(self.pending) > self.max_pending:  # back-pressure for callers that do not pause
            self._forward_head()
        self.poll()

    def saturated(self) -> bool:
        return len(self.pending) >= self.max_pending

    def wait(self, timeout: float) -> None:
        if self.pending:
            wait_for([self.pending[0][1]], timeout)

    def _forward_head(self) -> None:
        batch, fut = self.pending.popleft()
        started = time.perf_counter()
        processed = fut.result()
        metrics.STAGE_SECONDS.labels("wait_extraction").inc(time.perf_counter() - started)
        self.next_step.submit(ProcessedBatch(batch, processed))

    def poll(self) -> None:
        while self.pending and self.pending[0][1].done():
            self._forward_head()
        self.next_step.poll()

    def join(self, timeout: float | None = None) -> None:
        while self.pending:
            self._forward_head()
        self.next_step.join(timeout)

    def close(self) -> None:
        self.next_step.close()


class Produce(ProcessingStrategy[ProcessedBatch]):
    """Builds the records of each processed message and sends them through the sink (no waiting)."""

    def __init__(
        self,
        sink: Sink,
        topics: OutputTopics,
        runner: Runner,
        next_step: ProcessingStrategy[Produced],
        max_original_bytes: int = 700_000,
    ) -> None:
        self.sink = sink
        self.topics = topics
        self.runner = runner
        self.next_step = next_step
        self.max_original_bytes = max_original_bytes

    def submit(self, item: ProcessedBatch) -> None:
        info = self.runner.info
        offsets: dict[TopicPartition, int] = {}
        consumed: dict[str, int] = {}
        produced = Produced(offsets, item.batch.started, consumed)
        observe = metrics.EXTRACTION_SECONDS.observe
        started = time.perf_counter()
        records: list[OutRecord] = []
        for src, proc in zip(item.batch.messages, item.processed, strict=True):
            built = build_outputs(src, proc, self.topics, info, self.max_original_bytes)
            records.extend(built.records)
            observe(proc.seconds)
            produced.quotes += built.quotes
            if built.dead_letter_reason:
                produced.dead_letters[built.dead_letter_reason] = (
                    produced.dead_letters.get(built.dead_letter_reason, 0) + 1
                )
            offsets[TopicPartition(src.topic, src.partition)] = src.offset + 1
            consumed[src.topic] = consumed.get(src.topic, 0) + 1
        built_at = time.perf_counter()
        send = self.sink.send
        for rec in records:
            send(rec)
        metrics.STAGE_SECONDS.labels("build_records").inc(built_at - started)
        metrics.STAGE_SECONDS.labels("send").inc(time.perf_counter() - built_at)
        self.next_step.submit(produced)

    def poll(self) -> None:
        self.next_step.poll()

    def join(self, timeout: float | None = None) -> None:
        self.next_step.join(timeout)

    def close(self) -> None:
        self.next_step.close()


class Commit(ProcessingStrategy[Produced]):
    """Commits through the sink once per poll: everything produced so far and the offsets it covers.
    Metrics count only what is committed."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.waiting: list[Produced] = []
        self.lost_batches = 0

    def submit(self, item: Produced) -> None:
        self.waiting.append(item)

    def poll(self) -> None:
        self._commit()

    def join(self, timeout: float | None = None) -> None:
        self._commit()

    def _commit(self) -> None:
        if not self.waiting:
            return
        items, self.waiting = self.waiting, []
        offsets: dict[TopicPartition, int] = {}
        for it in items:
            offsets.update(it.offsets)
        started = time.perf_counter()
        committed = self.sink.commit(offsets)
        metrics.STAGE_SECONDS.labels("flush_commit").inc(time.perf_counter() - started)
        produced = self.sink.take_produced()
        if not committed:
            self.lost_batches += len(items)
            return
        now = time.perf_counter()
        for topic, n in produced.items():
            metrics.PRODUCED.labels(topic).inc(n)
        for it in items:
            metrics.BATCH_SECONDS.observe(now - it.started)
            metrics.BATCH_SIZE.observe(sum(it.consumed.values()))
            metrics.QUOTES.inc(it.quotes)
            for topic, n in it.consumed.items():
                metrics.CONSUMED.labels(topic).inc(n)
            for reason, n in it.dead_letters.items():
                metrics.DEAD_LETTERED.labels(reason).inc(n)


def build_chain(
    runner: Runner, sink: Sink, topics: OutputTopics, max_original_bytes: int = 700_000
) -> ProcessingStrategy[Batch]:
    """Extract -> Produce -> Commit, the chain that ``run`` and ``replay`` feed with batches."""
    return Extract(runner, Produce(sink, topics, runner, Commit(sink), max_original_bytes))


def batch_of(messages: Sequence[SourceMessage]) -> Batch:
    return Batch(list(messages))
