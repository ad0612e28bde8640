"""Pytest fixtures for tests against a real Kafka broker (imported by tests/conftest.py).

* ``kafka`` (session): one single-node KRaft broker for the whole test session, started with
  deploy/kafka/localkafka.py on free ports in a temporary directory, or the cluster named by
  ``KAFKA_BOOTSTRAP_SERVERS`` when that is set. Yields a ``KafkaCluster``.
* ``kafka_factory`` (function): starts PRIVATE brokers for one test (``PrivateKafka``), which the test
  may ``stop()``, ``kill()`` and ``start()`` again on the same ports and data directory; all of them
  are gone at the end of the test. The session broker is never touched.

Tests using either are marked ``integration`` automatically (conftest), but mark them anyway.
When such a test fails, the end of the broker's log is added to the failure report.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from worker import topics as topic_specs

REPO = Path(__file__).resolve().parent.parent
_LOCALKAFKA = REPO / "deploy" / "kafka" / "localkafka.py"


def _load_localkafka() -> Any:
    if "localkafka" in sys.modules:
        return sys.modules["localkafka"]
    spec = importlib.util.spec_from_file_location("localkafka", _LOCALKAFKA)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["localkafka"] = module
    spec.loader.exec_module(module)
    return module


localkafka = _load_localkafka()

START_TIMEOUT = float(os.environ.get("KAFKA_TEST_START_TIMEOUT", "120"))


class KafkaCluster:
    """A reachable Kafka cluster and helpers for tests."""

    def __init__(self, bootstrap_servers: str, broker: Any | None = None) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.broker = broker  # localkafka.LocalKafka, or None for an external cluster

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.bootstrap_servers!r})"

    # names and topics ---------------------------------------------------------------------------
    @staticmethod
    def unique(prefix: str = "test") -> str:
        """A fresh topic (or group, transactional id) name: ``<prefix>-<12 hex>``."""
        safe = "".join(c if c.isalnum() or c in "._-" else "-" for c in prefix)[:200] or "test"
        return f"{safe}-{uuid.uuid4().hex[:12]}"

    def admin(self, timeout_s: float = 15.0) -> Any:
        """A kafka-python KafkaAdminClient; close it (or use ``with contextlib.closing(...)``)."""
        return topic_specs.admin_client(self.bootstrap_servers, timeout_s=timeout_s)

    def create_topics(
        self,
        names: list[str],
        partitions: int = 3,
        config: dict[str, str] | None = None,
        *,
        replication_factor: int = 1,
        timeout_s: float = 30.0,
    ) -> list[str]:
        """Create the topics (existing ones are left alone) and wait until every partition has a
        leader. Returns ``names``. Raises RuntimeError if one could not be created."""
        with contextlib.closing(self.admin()) as admin:
            result = topic_specs.ensure_topics(
                admin,
                {name: dict(config or {}) for name in names},
                partitions=partitions,
                replication_factor=replication_factor,
                timeout_s=timeout_s,
            )
        if result.failed:
            raise RuntimeError(f"could not create topics: {result.failed}")
        return list(names)

    def topic_configs(self, names: list[str]) -> dict[str, dict[str, str]]:
        """Non-default configs of each topic as the broker reports them (describe_configs)."""
        with contextlib.closing(self.admin()) as admin:
            return topic_specs.describe_topic_configs(admin, names)

    # clients ------------------------------------------------------------------------------------
    def producer(self, **overrides: Any) -> Any:
        """A KafkaProducer on this cluster (acks=all); close it."""
        from kafka import KafkaProducer

        options: dict[str, Any] = {"bootstrap_servers": self.bootstrap_servers, "acks": "all"}
        options.update(overrides)
        return KafkaProducer(**options)

    def consumer(self, *topics: str, **overrides: Any) -> Any:
        """A KafkaConsumer subscribed to ``topics`` from the earliest offset, in a fresh group unless
        ``group_id`` is given; close it."""
        from kafka import KafkaConsumer

        options: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers,
            "group_id": self.unique("group"),
            "auto_offset_reset": "earliest",
            "enable_auto_commit": False,
            "consumer_timeout_ms": 10_000,
        }
        options.update(overrides)
        return KafkaConsumer(*topics, **options)

    def collect(
        self,
        topics: list[str],
        done: Callable[[dict[str, list[Any]]], bool],
        timeout: float = 60,
        read_committed: bool = False,
    ) -> dict[str, list[Any]]:
        """Every record of ``topics`` from the start, by topic, until ``done(records)`` or ``timeout``;
        then one short drain, so that duplicates just behind are seen too."""
        consumer = self.consumer(
            *topics,
            isolation_level="read_committed" if read_committed else "read_uncommitted",
            consumer_timeout_ms=500,
        )
        out: dict[str, list[Any]] = defaultdict(list)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                for batch in consumer.poll(timeout_ms=300).values():
                    for rec in batch:
                        out[rec.topic].append(rec)
                if done(out):
                    for batch in consumer.poll(timeout_ms=700).values():
                        for rec in batch:
                            out[rec.topic].append(rec)
                    break
        finally:
            consumer.close()
        return out

    def log_tail(self, lines: int = 200) -> str:
        if self.broker is None:
            return f"(external cluster {self.bootstrap_servers}: no broker log here)"
        return str(self.broker.log_tail(lines))


class PrivateKafka(KafkaCluster):
    """A broker of one's own: ``stop()``, ``kill()`` and ``start()`` keep its ports and data."""

    broker: Any

    def __init__(self, broker: Any) -> None:
        super().__init__(broker.bootstrap_servers, broker)

    @property
    def data_dir(self) -> Path:
        return Path(self.broker.data_dir)

    @property
    def port(self) -> int:
        return int(self.broker.port)

    @property
    def pid(self) -> int | None:
        pid = self.broker.pid()
        return None if pid is None else int(pid)

    def running(self) -> bool:
        return bool(self.broker.running())

    def start(self, timeout: float = START_TIMEOUT) -> float:
        """Start again (same ports, same data); returns the seconds it took to be ready."""
        return float(self.broker.start(timeout=timeout))

    def stop(self, timeout: float = 30.0) -> None:
        """Clean shutdown (SIGTERM), SIGKILL after ``timeout``; no process is left on return."""
        self.broker.stop(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL the broker's process group: a crash, no clean shutdown."""
        self.broker.kill()


def _start_broker(base: Path, **options: Any) -> Any:
    """Start a LocalKafka in ``base`` on free ports; retries with other ports if one was taken."""
    last: Exception | None = None
    for attempt in range(3):
        data_dir = base if attempt == 0 else base.with_name(f"{base.name}-{attempt}")
        broker = localkafka.LocalKafka(
            data_dir=data_dir,
            port=localkafka.free_port(),
            controller_port=localkafka.free_port(),
            die_with_parent=True,
            **options,
        )
        try:
            broker.start(timeout=START_TIMEOUT)
            return broker
        except localkafka.KafkaLocalError as exc:
            last = exc
            broker.kill()
            if "already in use" not in str(exc):
                raise
    raise RuntimeError(f"could not start a Kafka broker: {last}")


# The brokers of the running test, for the failure report (see conftest.pytest_runtest_makereport).
_SESSION: list[KafkaCluster] = []
PRIVATE_KEY = pytest.StashKey[list[PrivateKafka]]()


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaCluster]:
    """The session's Kafka: ``KAFKA_BOOTSTRAP_SERVERS`` if set, else a local broker of our own."""
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "").strip()
    if external:
        cluster = KafkaCluster(external)
        _SESSION.append(cluster)
        yield cluster
        _SESSION.remove(cluster)
        return
    broker = _start_broker(tmp_path_factory.mktemp("kafka-session"))
    cluster = KafkaCluster(broker.bootstrap_servers, broker)
    _SESSION.append(cluster)
    try:
        yield cluster
    finally:
        _SESSION.remove(cluster)
        broker.stop(timeout=30)  # SIGTERM to the process group, SIGKILL after 30 s


@pytest.fixture
def kafka_factory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., PrivateKafka]]:
    """``kafka_factory(**options) -> PrivateKafka``: a started private broker for this test.
    ``options`` go to ``localkafka.LocalKafka`` (e.g. ``auto_create_topics=True``,
    ``extra_properties={"log.retention.ms": "60000"}``, ``heap="256m"``)."""
    started: list[PrivateKafka] = []
    request.node.stash[PRIVATE_KEY] = started

    def make(**options: Any) -> PrivateKafka:
        broker = _start_broker(tmp_path_factory.mktemp("kafka-private"), **options)
        handle = PrivateKafka(broker)
        started.append(handle)
        return handle

    yield make
    for handle in started:
        handle.broker.stop(timeout=10)


def brokers_of(item: pytest.Item) -> list[KafkaCluster]:
    """The brokers a test used: the session one if it asked for it, and its private ones."""
    out: list[KafkaCluster] = []
    if "kafka" in getattr(item, "fixturenames", ()):
        out += _SESSION
    out += item.stash.get(PRIVATE_KEY, [])
    return out


def report_sections(item: pytest.Item, lines: int = 120) -> list[tuple[str, str]]:
    sections = []
    for cluster in brokers_of(item):
        if cluster.broker is not None:
            sections.append((f"kafka broker log ({cluster.bootstrap_servers})", cluster.log_tail(lines)))
    return sections
