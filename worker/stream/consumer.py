"""The live loop of ``quote-worker run``: connect (with backoff while the broker is unreachable), check
the topics, subscribe, then poll batches into the strategy chain until asked to stop; on revocation and on
shutdown the chain is joined, so everything in flight is produced and committed before partitions move
or the process leaves the group.

The loop never waits on extraction (it runs in child processes, ``worker.stream.extraction``): while
enough is in flight it pauses its partitions and goes on polling, so the group never sees a gap between
polls longer than one poll, whatever the input — no eviction, no reprocessing loop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka import errors as kerr
from kafka.consumer.subscription_state import AsyncConsumerRebalanceListener

from worker import topics
from worker.stream import metrics
from worker.stream.config import ConfigError, StreamConfig
from worker.stream.extraction import ExtractorFactory, Runner, make_runner
from worker.stream.health import Health
from worker.stream.lag import LagMonitor
from worker.stream.messages import OutputTopics, SourceMessage
from worker.stream.sink import (
    AtLeastOnceSink,
    Backoff,
    FatalError,
    Sink,
    TransactionalSink,
)
from worker.stream.strategies import Batch, ProcessingStrategy, build_chain

log = logging.getLogger(__name__)

AUTH_ERRORS: tuple[type[BaseException], ...] = (
    kerr.SaslAuthenticationFailedError,
    kerr.AuthorizationError,
)


class _Rebalance(AsyncConsumerRebalanceListener):
    """kafka-python 3 calls rebalance listeners on its IO thread, where a blocking consumer call (the
    offset commit of ``join``) is refused. So the revocation work runs on a helper thread, and the
    listener yields to the IO loop (heartbeats and that very commit go on) until it is done."""

    def __init__(self, worker: StreamWorker) -> None:
        self.worker = worker

    async def on_partitions_revoked(self, revoked: Any) -> None:
        tps = list(revoked)
        helper = threading.Thread(target=self.worker.on_revoked, args=(tps,), name="revocation")
        helper.start()
        net = getattr(self.worker.consumer, "_net", None)  # kafka-python 3: the IO loop of the consumer
        while helper.is_alive():
            if net is None:  # not driven by an IO loop: nothing to yield to
                helper.join()
                break
            await net.sleep(0.02)

    async def on_partitions_assigned(self, assigned: Any) -> None:
        self.worker.on_assigned(list(assigned))


class _AuthWatch(logging.Handler):
    """kafka-python (3.x) retries a bootstrap whose SASL authentication fails and finally raises a bare
    timeout; the authentication error itself only travels in its log records (as an argument). This
    handler, on the ``kafka`` logger during start-up, picks it out by type, so a wrong password is a
    fatal configuration error instead of an endless "broker unreachable"."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.error: BaseException | None = None

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        for arg in args:
            if isinstance(arg, AUTH_ERRORS):
                self.error = arg
        if record.exc_info and isinstance(record.exc_info[1], AUTH_ERRORS):
            self.error = record.exc_info[1]


class StopRequested(Exception):
    """A stop was requested before the worker was connected: nothing to finish."""


class StreamWorker:
    def __init__(
        self,
        config: StreamConfig,
        extractor_factory: ExtractorFactory,
        health: Health | None = None,
    ) -> None:
        self.config = config
        self.extractor_factory = extractor_factory
        self.health = health or Health()
        self._stop = threading.Event()
        self.consumer: KafkaConsumer | None = None
        self.producer: KafkaProducer | None = None
        self.runner: Runner | None = None
        self.sink: Sink | None = None
        self.chain: ProcessingStrategy[Batch] | None = None
        self.assigned: set[TopicPartition] = set()
        self.lag_monitor: LagMonitor | None = None
        self._paused = False
        # The chain is used by the loop and, on revocation, by a helper thread (see _Rebalance).
        self._chain_lock = threading.Lock()
        self._listener_error: BaseException | None = None

    # -- control -------------------------------------------------------------------------------------
    def request_stop(self, reason: str = "") -> None:
        if not self._stop.is_set():
            log.info("stopping: finishing the current batch", extra={"reason": reason})
        self._stop.set()
        self.health.set_stopping()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- set-up --------------------------------------------------------------------------------------
    def _retrying(self, what: str, make: Callable[[], Any]) -> Any:
        backoff = Backoff(initial=0.5, maximum=self.config.reconnect_backoff_max_s)
        watch = _AuthWatch()
        kafka_log = logging.getLogger("kafka")
        level = kafka_log.level
        kafka_log.addHandler(watch)
        if kafka_log.getEffectiveLevel() > logging.WARNING:
            kafka_log.setLevel(logging.WARNING)
        try:
            return self._retry_loop(what, make, backoff, watch)
        finally:
            kafka_log.removeHandler(watch)
            kafka_log.setLevel(level)

    def _retry_loop(self, what: str, make: Callable[[], Any], backoff: Backoff, watch: _AuthWatch) -> Any:
        while True:
            try:
                return make()
            except AUTH_ERRORS as exc:
                raise FatalError(f"{what}: authentication or authorisation failed: {exc}") from exc
            except kerr.KafkaError as exc:
                if watch.error is not None:
                    raise FatalError(
                        f"{what}: authentication or authorisation failed: {watch.error}"
                    ) from watch.error
                if self.stopping:
                    raise StopRequested from exc
                metrics.RETRIES.labels("connect").inc()
                log.warning(
                    "broker unreachable; retrying",
                    extra={"what": what, "error": repr(exc), "retry_in_s": round(backoff.delay, 2)},
                )
                self.health.beat()
                backoff.wait(lambda: self.stopping)
                if self.stopping:
                    raise StopRequested from exc

    def connect(self) -> None:
        cfg = self.config
        boot_ms = 10_000
        self.consumer = self._retrying(
            "consumer", lambda: KafkaConsumer(bootstrap_timeout_ms=boot_ms, **cfg.consumer_kwargs())
        )
        self._check_topics()
        self.producer = self._retrying(
            "producer", lambda: KafkaProducer(bootstrap_timeout_ms=boot_ms, **cfg.producer_kwargs())
        )
        producer = self.producer
        if cfg.exactly_once:
            self._retrying("init_transactions", producer.init_transactions)
        self.health.beat()

    @property
    def topics_out(self) -> tuple[str, str, str]:
        c = self.config
        return (c.quotes_topic, c.status_topic, c.dead_letter_topic)

    def _check_topics(self) -> None:
        """Fails clearly when an input topic is missing, or an output topic is missing and the broker
        does not create it on demand (auto.create.topics.enable=false)."""
        assert self.consumer is not None
        if not self.config.require_topics:
            return
        existing = self._retrying("list topics", self.consumer.topics)
        missing = [t for t in self.config.input_topics if t not in existing]
        if missing:
            raise ConfigError(f"input topic(s) missing: {', '.join(missing)} (create them first)")
        for topic in self.topics_out:
            if topic not in existing and not self._auto_created(topic):
                raise ConfigError(
                    f"output topic {topic!r} does not exist and the broker did not create it "
                    "(create it, e.g. with `quote-worker topics create`, or enable auto-creation)"
                )

    def _auto_created(self, topic: str) -> bool:
        """Asks for the topic's metadata with a short-lived producer (which makes a broker with
        auto-creation create it); only used when a topic is missing."""
        probe = KafkaProducer(**{**self.config.common_kafka_kwargs(), "max_block_ms": 5000})
        try:
            return bool(probe.partitions_for(topic))
        except kerr.KafkaError:
            return False
        finally:
            probe.close(timeout=2)

    def build(self) -> None:
        """The runner (extractor), the sink and the strategy chain."""
        cfg = self.config
        assert self.producer is not None and self.consumer is not None
        consumer = self.consumer
        if self.runner is None:
            self.runner = make_runner(
                self.extractor_factory, cfg.processes, cfg.max_bytes, cfg.extraction_timeout_ms / 1000
            )
        if cfg.exactly_once:
            group_md = getattr(consumer, "group_metadata", None)
            get_md: Callable[[], Any] = group_md if callable(group_md) else (lambda: cfg.group_id)
            self.sink = TransactionalSink(
                self.producer, get_md, cfg.reconnect_backoff_max_s, lambda: self.stopping
            )
        else:
            self.sink = AtLeastOnceSink(
                self.producer, consumer.commit, cfg.reconnect_backoff_max_s, lambda: self.stopping
            )
        topics = OutputTopics(cfg.quotes_topic, cfg.status_topic, cfg.dead_letter_topic)
        self.chain = build_chain(self.runner, self.sink, topics, cfg.dead_letter_max_original_bytes)

    # -- rebalance -----------------------------------------------------------------------------------
    def on_revoked(self, revoked: list[TopicPartition]) -> None:
        log.info("partitions revoked; committing what is in flight", extra={"partitions": _tps(revoked)})
        if self.chain is not None:
            try:
                with self._chain_lock:  # the loop may go on polling meanwhile (a join that outlasts a poll)
                    self.chain.join()
            except BaseException as exc:  # kafka-python may swallow listener errors: re-raised after poll
                self._listener_error = exc
        self.assigned = self.assigned - set(revoked)  # a new set: the lag thread may be copying the old
        metrics.ASSIGNED.set(len(self.assigned))
        self.health.set_assigned(len(self.assigned))

    def on_assigned(self, assigned: list[TopicPartition]) -> None:
        self.assigned = self.assigned | set(assigned)
        metrics.ASSIGNED.set(len(self.assigned))
        self.health.set_assigned(len(self.assigned))
        if self.sink is not None:
            self.sink.refresh_partitions()
        log.info("partitions assigned", extra={"partitions": _tps(assigned)})

    # -- the loop ------------------------------------------------------------------------------------
    def run(self) -> None:
        """Connect, then consume until ``request_stop``; raises ``FatalError``/``ConfigError``."""
        try:
            self.connect()
        except StopRequested:
            log.info("stopped before connecting")
            self.close()
            return
        self.build()
        assert self.consumer is not None and self.chain is not None
        consumer, chain = self.consumer, self.chain
        log.info(
            "worker started",
            extra={
                "config": self.config.redacted(),
                "extractor": self.runner.info.as_dict() if self.runner else None,
            },
        )
        consumer.subscribe(self.config.input_topics, listener=_Rebalance(self))
        self.lag_monitor = LagMonitor(self.config, lambda: self.assigned, self.health).start()
        self.health.set_subscribed(True)
        poll_ms = self.config.poll_timeout_ms
        try:
            while not self.stopping:
                with self._chain_lock:
                    busy = chain.saturated()
                    self._pause(busy)
                    if busy:  # wait for extraction, then a poll that keeps us in the group (no records)
                        chain.wait(poll_ms / 1000)
                started = time.perf_counter()
                records = consumer.poll(timeout_ms=0 if busy else poll_ms, max_records=self.config.batch_size)
                metrics.STAGE_SECONDS.labels("poll").inc(time.perf_counter() - started)
                self.health.beat()
                if self._listener_error is not None:
                    raise self._listener_error
                messages = [
                    SourceMessage(r.topic, r.partition, r.offset, r.value or b"", r.key, r.timestamp)
                    for tp_records in records.values()
                    for r in tp_records
                ]
                with self._chain_lock:
                    if messages:
                        chain.submit(Batch(messages))
                    chain.poll()
            with self._chain_lock:
                chain.join()
        finally:
            self.health.set_subscribed(False)
            self.close()

    def _pause(self, pause: bool) -> None:
        """Pause every held partition while enough work is in flight; resume when there is room. Paused
        partitions return nothing from poll, and the poll still counts as one for the group."""
        assert self.consumer is not None
        if pause:
            self.consumer.pause(*self.consumer.assignment())  # also partitions assigned meanwhile
        elif self._paused:
            self.consumer.resume(*self.consumer.paused())
        self._paused = pause

    def close(self) -> None:
        chain, self.chain = self.chain, None
        consumer, self.consumer = self.consumer, None
        producer, self.producer = self.producer, None
        runner, self.runner = self.runner, None
        monitor, self.lag_monitor = self.lag_monitor, None
        close_all(
            ("lag monitor", monitor.close if monitor else None),
            ("processing chain", chain.close if chain else None),
            # leaves the group now, so partitions move at once
            ("consumer", (lambda: consumer.close(autocommit=False)) if consumer else None),
            # a static member does not leave on close (kafka-python, as the Java client): removed here
            ("static membership", self._leave_static_membership if consumer else None),
            ("producer", (lambda: producer.close(timeout=10)) if producer else None),
            ("extraction runner", runner.close if runner else None),
        )
        log.info("worker stopped")

    def _leave_static_membership(self) -> None:
        """Takes this worker's static member out of the group, as a dynamic member leaves on close: a
        stopped worker's partitions move at once rather than after the session timeout. (A crashed
        one's stay put until the session timeout, or until the same instance id comes back.)"""
        instance = self.config.group_instance_id
        if not instance:
            return
        from kafka.admin import MemberToRemove

        common = self.config.common_kafka_kwargs()
        servers = common.pop("bootstrap_servers")
        admin = topics.admin_client(servers, timeout_s=5, **common)
        try:
            result = admin.remove_group_members(
                self.config.group_id, [MemberToRemove(group_instance_id=instance)]
            )
        finally:
            admin.close()
        errors = {str(k): v.__name__ for k, v in result.items() if v is not kerr.NoError}
        if errors:
            log.warning("leaving the group as a static member failed", extra={"errors": errors})
        else:
            log.info("left the group", extra={"group_instance_id": instance})


def close_all(*steps: tuple[str, Callable[[], object] | None]) -> None:
    """Run each close step in order; one that fails is logged and the rest still run."""
    for what, close in steps:
        if close is None:
            continue
        try:
            close()
        except Exception:
            log.exception("closing the %s failed", what)


def _tps(tps: list[TopicPartition]) -> list[str]:
    return sorted(f"{tp.topic}[{tp.partition}]" for tp in tps)
