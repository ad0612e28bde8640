"""The replay loop: a bounded read of every partition of the input topics with ``assign`` (no group
membership, no rebalancing), fed into the stream worker's own processing chain
(``worker.stream.strategies.build_chain``: extraction, record building, dead letters, status records),
with a ``Sink`` that writes to topics (``AtLeastOnceSink``) or to JSON-lines files (``FileSink``).

Progress is tracked per partition by hand: the next offset to read; a partition is finished when the
consumer's position reaches the end offset frozen when the backfill began. A named backfill stores that
progress after each flushed batch (``worker.replay.store``), so a crash resumes where it stopped.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, OffsetAndMetadata, TopicPartition
from prometheus_client import REGISTRY

from worker.records import REASONS
from worker.replay.plan import OffsetSpec, Plan, Range, resolve, tp_name
from worker.replay.progress import Progress, TokenBucket
from worker.replay.store import FileCheckpoint, FileSink, GroupCheckpoint, group_id
from worker.stream.config import AT_LEAST_ONCE, ConfigError, StreamConfig
from worker.stream.consumer import close_all
from worker.stream.extraction import ExtractorFactory, Runner, make_runner
from worker.stream.messages import OutputTopics, SourceMessage
from worker.stream.sink import AtLeastOnceSink, Offsets, Sink
from worker.stream.strategies import Batch, ProcessingStrategy, build_chain

log = logging.getLogger("worker.replay")


@dataclass
class ReplayOptions:
    topics: list[str]
    output_topic: str | None = None
    status_topic: str | None = None
    dead_letter_topic: str | None = None
    output_file: Path | None = None
    name: str | None = None
    restart: bool = False
    checkpoint: Path | None = None
    from_ms: int | None = None
    offsets: OffsetSpec | None = None
    until_ms: int | None = None
    max_rate: float | None = None
    dry_run: bool = False
    progress: str = "auto"
    progress_interval_s: float = 10.0

    def output_topics(self) -> OutputTopics:
        assert self.output_topic is not None
        return OutputTopics(
            self.output_topic,
            self.status_topic or f"{self.output_topic}.status",
            self.dead_letter_topic or f"{self.output_topic}.dlq",
        )

    def checkpoint_path(self) -> Path | None:
        if self.name is None or self.output_file is None:
            return None
        return self.checkpoint or self.output_file.with_name(f"{self.output_file.name}.checkpoint.json")


@dataclass
class Summary:
    planned: int = 0  # offsets in range still to read when this run started
    articles: int = 0  # input messages processed (each has one status record)
    quotes: int = 0
    dead_lettered: int = 0
    skipped: int = 0  # in the offset range but outside --from/--until by timestamp
    elapsed_s: float = 0.0
    complete: bool = False
    resumed: bool = False
    partitions: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.articles / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def text(self) -> str:
        state = "complete" if self.complete else "interrupted (resume with the same --name)"
        return "\n".join(
            [
                f"replay {state}{' (resumed)' if self.resumed else ''}",
                f"  articles:      {self.articles}",
                f"  quotes:        {self.quotes}",
                f"  dead-lettered: {self.dead_lettered}",
                f"  skipped:       {self.skipped} (timestamp outside --from/--until)",
                f"  elapsed:       {self.elapsed_s:.2f} s",
                f"  rate:          {self.rate:.1f} articles/s",
            ]
        )

    def as_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "rate": round(self.rate, 2)}


def _counter(name: str, labels: dict[str, str] | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


class _Counts:
    """What the chain has committed, from the worker's own metrics (they count committed work only)."""

    def __init__(self, topics: list[str]) -> None:
        self.topics = topics
        self.base = self._read()

    def _read(self) -> tuple[float, float, float]:
        consumed = sum(_counter("quote_worker_consumed_total", {"topic": t}) for t in self.topics)
        quotes = _counter("quote_worker_quotes_total")
        dead = sum(_counter("quote_worker_dead_lettered_total", {"reason": r}) for r in REASONS)
        return consumed, quotes, dead

    def delta(self) -> tuple[int, int, int]:
        now = self._read()
        return tuple(int(a - b) for a, b in zip(now, self.base, strict=True))  # type: ignore[return-value]


def format_plan(plan: Plan) -> str:
    rows = [f"{'partition':<32} {'start':>10} {'end':>10} {'next':>10} {'remaining':>10}"]
    for tp, r in sorted(plan.items()):
        rows.append(f"{tp_name(tp):<32} {r.start:>10} {r.end:>10} {r.next:>10} {r.remaining:>10}")
    total = sum(r.total for r in plan.values())
    remaining = sum(r.remaining for r in plan.values())
    rows.append(f"{'total':<32} {'':>10} {'':>10} {'':>10} {remaining:>10}  (of {total} in range)")
    return "\n".join(rows)


class Replay:
    def __init__(self, options: ReplayOptions, config: StreamConfig, factory: ExtractorFactory) -> None:
        if (options.output_topic is None) == (options.output_file is None) and not options.dry_run:
            raise ConfigError("give exactly one of --output-topic and --output-file")
        if options.restart and not options.name:
            raise ConfigError("--restart needs --name")
        self.options = options
        gid = group_id(options.name) if options.name else None
        changes: dict[str, Any] = {"guarantee": AT_LEAST_ONCE, "input_topics": list(options.topics)}
        if gid:
            changes["group_id"] = gid
        if options.output_topic is not None:
            t = options.output_topics()
            changes.update(quotes_topic=t.quotes, status_topic=t.status, dead_letter_topic=t.dead_letter)
        self.config = dataclasses.replace(config, **changes)  # re-checked: outputs may not be inputs
        self.group_id = gid
        self.factory = factory
        self._stop = threading.Event()
        self.consumer: Any = None
        self.producer: Any = None
        self.runner: Runner | None = None
        self.sink: Sink | None = None
        self.chain: ProcessingStrategy[Batch] | None = None
        self.plan: Plan = {}
        self.resumed = False
        self.file_checkpoint: FileCheckpoint | None = None
        self.group_checkpoint: GroupCheckpoint | None = None
        self._sizes: dict[str, int] | None = None
        self.on_batch: Callable[[int], None] | None = None  # test hook: called after each batch

    def request_stop(self, reason: str = "") -> None:
        if not self._stop.is_set():
            log.info("stopping: finishing the current batch", extra={"reason": reason})
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- set-up --------------------------------------------------------------------------------------
    def connect(self) -> None:
        kw = self.config.consumer_kwargs()
        kw.update(group_id=self.group_id, enable_auto_commit=False, isolation_level="read_committed")
        self.consumer = KafkaConsumer(bootstrap_timeout_ms=15_000, **kw)

    def make_plan(self) -> Plan:
        """The ranges of this run: the stored ones of a named backfill (unless --restart), else fresh."""
        o = self.options
        assert self.consumer is not None
        fresh = lambda: resolve(  # noqa: E731
            self.consumer, o.topics, from_ms=o.from_ms, offsets=o.offsets, until_ms=o.until_ms
        )
        stored: Plan | None = None
        ckpt_path = o.checkpoint_path()
        if ckpt_path is not None:
            self.file_checkpoint = FileCheckpoint(ckpt_path, o.name or "")
            if not o.restart:
                loaded = self.file_checkpoint.load()
                if loaded is not None:
                    stored, self._sizes = loaded
                    want = {tp.topic for tp in stored}
                    if want != set(o.topics):
                        raise ConfigError(
                            f"checkpoint {ckpt_path} is for topics {sorted(want)}, not {sorted(o.topics)}; "
                            "use --restart or another --name"
                        )
        elif o.name is not None:
            self.group_checkpoint = GroupCheckpoint(self.consumer, o.name)
            if not o.restart:
                from worker.replay.plan import partitions_of

                try:
                    stored = self.group_checkpoint.load(partitions_of(self.consumer, o.topics))
                except RuntimeError as exc:
                    raise ConfigError(str(exc)) from None
        if stored is not None:
            self.resumed = True
            if o.from_ms is not None or o.offsets is not None or o.until_ms is not None:
                log.warning(
                    "resuming a named backfill: its stored range applies; start/until options only filter"
                )
            return stored
        return fresh()

    def build(self) -> None:
        o, cfg = self.options, self.config
        self.runner = make_runner(
            self.factory, cfg.processes, cfg.max_bytes, cfg.extraction_timeout_ms / 1000
        )
        if o.output_file is not None:
            topics, paths = FileSink.topics_for(o.output_file)
            self.sink = FileSink(paths, self._sizes if self.resumed else None, self._file_committed)
        else:
            self.producer = KafkaProducer(bootstrap_timeout_ms=15_000, **cfg.producer_kwargs())
            topics = o.output_topics()
            for t in (topics.quotes, topics.status, topics.dead_letter):
                if not self.producer.partitions_for(t):
                    raise ConfigError(f"output topic {t!r} does not exist (create it first)")
            self.sink = AtLeastOnceSink(
                self.producer, self._topic_committed, cfg.reconnect_backoff_max_s, lambda: self.stopping
            )
        self.chain = build_chain(self.runner, self.sink, topics, cfg.dead_letter_max_original_bytes)

    # -- progress store ------------------------------------------------------------------------------
    def _advance(self, offsets: Offsets) -> None:
        for tp, off in offsets.items():
            r = self.plan[tp]
            r.next = max(r.next, off)

    def _topic_committed(self, payload: dict[TopicPartition, OffsetAndMetadata]) -> None:
        self._advance({tp: om.offset for tp, om in payload.items()})
        if self.group_checkpoint is not None:
            self.group_checkpoint.save(self.plan, list(payload))

    def _file_committed(self, offsets: Offsets, sizes: dict[str, int]) -> None:
        self._advance(offsets)
        self._sizes = sizes
        if self.file_checkpoint is not None:
            self.file_checkpoint.save(self.plan, sizes)

    def _save_all(self) -> None:
        if self.group_checkpoint is not None:
            self.group_checkpoint.save(self.plan)
        if self.file_checkpoint is not None:
            assert isinstance(self.sink, FileSink)
            self.file_checkpoint.save(self.plan, self.sink.sizes())

    # -- the run -------------------------------------------------------------------------------------
    def dry_run(self) -> Plan:
        self.connect()
        try:
            self.plan = self.make_plan()
            return self.plan
        finally:
            self.close()

    def run(self) -> Summary:
        o = self.options
        summary = Summary()
        self.connect()
        try:
            self.plan = self.make_plan()
            summary.resumed = self.resumed
            summary.planned = sum(r.remaining for r in self.plan.values())
            self.build()
            assert self.chain is not None
            self._save_all()  # a fresh named backfill stores its frozen range before any output
            log.info(
                "replay started",
                extra={
                    "topics": o.topics,
                    "backfill": o.name,
                    "resumed": self.resumed,
                    "to_read": summary.planned,
                    "extractor": self.runner.info.as_dict() if self.runner else None,
                },
            )
            summary = self._loop(summary)
        finally:
            self.close()
        return summary

    def _loop(self, summary: Summary) -> Summary:
        o, cfg, consumer, chain = self.options, self.config, self.consumer, self.chain
        assert chain is not None
        active = [tp for tp, r in sorted(self.plan.items()) if not r.done]
        counts = _Counts(o.topics)
        progress = Progress(self.plan, o.progress, o.progress_interval_s)
        bucket = TokenBucket(o.max_rate) if o.max_rate else None
        batch_size = cfg.batch_size if not o.max_rate else max(1, min(cfg.batch_size, int(o.max_rate)))
        started = time.perf_counter()
        consumer.assign(active)
        for tp in active:
            consumer.seek(tp, max(self.plan[tp].next, self.plan[tp].start))
        pending = set(active)
        finished: set[TopicPartition] = set()
        try:
            while pending and not self.stopping:
                polled = consumer.poll(timeout_ms=cfg.poll_timeout_ms, max_records=batch_size)
                messages: list[SourceMessage] = []
                for tp, records in polled.items():
                    end = self.plan[tp].end
                    for r in records:
                        if r.offset >= end:
                            break
                        if (o.from_ms is not None and 0 <= r.timestamp < o.from_ms) or (
                            o.until_ms is not None and r.timestamp >= o.until_ms
                        ):
                            summary.skipped += 1
                            continue
                        messages.append(
                            SourceMessage(r.topic, r.partition, r.offset, r.value or b"", r.key, r.timestamp)
                        )
                for tp in list(pending):
                    position = consumer.position(tp)
                    progress.update(tp, position)
                    if position >= self.plan[tp].end:
                        pending.discard(tp)
                        finished.add(tp)
                        consumer.pause(tp)
                if messages:
                    if bucket is not None:
                        bucket.take(len(messages))
                    chain.submit(Batch(messages))
                chain.poll()
                progress.tick()
                if self.on_batch is not None:
                    self.on_batch(len(messages))
            chain.join()
            for tp in finished:  # everything of theirs is flushed: they end at the frozen end offset
                self.plan[tp].next = max(self.plan[tp].next, self.plan[tp].end)
            self._save_all()
        finally:
            progress.close()
        summary.elapsed_s = time.perf_counter() - started
        summary.articles, summary.quotes, summary.dead_lettered = counts.delta()
        summary.complete = all(r.done for r in self.plan.values())
        summary.partitions = {
            tp_name(tp): {"start": r.start, "end": r.end, "next": r.next}
            for tp, r in sorted(self.plan.items())
        }
        if o.progress == "log" or (o.progress == "auto" and progress.mode == "log"):
            log.info("replay finished", extra={"summary": summary.as_dict()})
        return summary

    def close(self) -> None:
        chain, self.chain = self.chain, None
        consumer, self.consumer = self.consumer, None
        producer, self.producer = self.producer, None
        runner, self.runner = self.runner, None
        file_sink = self.sink if isinstance(self.sink, FileSink) else None
        close_all(
            ("processing chain", chain.close if chain else None),
            ("output file", file_sink.close if file_sink else None),
            ("consumer", (lambda: consumer.close(autocommit=False)) if consumer else None),
            ("producer", (lambda: producer.close(timeout=10)) if producer else None),
            ("extraction runner", runner.close if runner else None),
        )


__all__ = ["Range", "Replay", "ReplayOptions", "Summary", "format_plan"]
