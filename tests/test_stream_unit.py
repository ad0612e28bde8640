"""Unit tests of the stream layer without a broker: configuration, record building, strategies, sinks."""

from __future__ import annotations

import argparse
import base64
import logging
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka import TopicPartition
from kafka import errors as kerr

from worker.records import validate
from worker.stream.config import ConfigError, StreamConfig, add_config_args, load_config, settings_table
from worker.stream.extraction import Runner
from worker.stream.logs import JsonFormatter
from worker.stream.messages import (
    ExtractorInfo,
    OutputTopics,
    Processed,
    SourceMessage,
    build_outputs,
    partition_for,
)
from worker.stream.sink import AtLeastOnceSink, TransactionalSink
from worker.stream.strategies import Batch, build_chain

INFO = ExtractorInfo("0.1.0", "rules")
TOPICS = OutputTopics("quotes", "status", "dlq")
QID = "0123456789abcdef0123456789abcdef"


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    add_config_args(p)
    return p.parse_args(argv)


# ------------------------------------------------------------------------------------------ config


def test_config_precedence_defaults_file_env_flags(tmp_path: Path) -> None:
    f = tmp_path / "w.toml"
    f.write_text('group_id = "from-file"\nbatch_size = 7\nprocesses = 3\n[producer]\nlinger_ms = 50\n')
    env = {"QUOTE_WORKER_BATCH_SIZE": "9", "KAFKA_BOOTSTRAP_SERVERS": "a:1,b:2"}
    cfg = load_config(parse(["--config", str(f), "--processes", "4"]), environ=env)
    assert cfg.group_id == "from-file"  # file over default
    assert cfg.batch_size == 9  # env over file
    assert cfg.processes == 4  # flag over env and file
    assert cfg.bootstrap_servers == ["a:1", "b:2"]
    assert cfg.metrics_port == 8000  # default
    assert cfg.producer_kwargs()["linger_ms"] == 50


def test_config_security_passthrough_and_redaction() -> None:
    env = {
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME": "svc",
        "KAFKA_SASL_PASSWORD": "hunter2",
        "KAFKA_SSL_CAFILE": "/etc/ca.pem",
    }
    cfg = load_config(parse([]), environ=env)
    kw = cfg.consumer_kwargs()
    assert kw["sasl_mechanism"] == "SCRAM-SHA-512" and kw["sasl_plain_password"] == "hunter2"
    assert kw["ssl_cafile"] == "/etc/ca.pem" and kw["security_protocol"] == "SASL_SSL"
    shown = cfg.redacted()
    assert shown["sasl_password"] == "***" and "hunter2" not in repr(shown)
    record = logging.LogRecord("x", logging.INFO, "", 0, "started", None, None)
    record.config = shown
    record.sasl_password = "hunter2"
    assert "hunter2" not in JsonFormatter().format(record)


def test_config_errors() -> None:
    with pytest.raises(ConfigError):
        load_config(parse([]), environ={"QUOTE_WORKER_GUARANTEE": "maybe"})
    with pytest.raises(ConfigError):
        load_config(parse([]), environ={"KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT"})
    with pytest.raises(ConfigError):
        load_config(parse(["--batch-size", "many"]), environ={})
    with pytest.raises(ConfigError):
        StreamConfig(input_topics=["x"], quotes_topic="x")


def test_exactly_once_settings() -> None:
    cfg = load_config(parse(["--guarantee", "exactly-once", "--group-id", "g"]), environ={})
    assert cfg.producer_kwargs()["transactional_id"].startswith("g-")
    assert cfg.consumer_kwargs()["isolation_level"] == "read_committed"
    assert cfg.consumer_kwargs()["enable_auto_commit"] is False


def test_docs_list_every_setting() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "stream.md").read_text(encoding="utf-8")
    for row in settings_table().splitlines()[2:]:
        flag = row.split("`")[1]
        assert flag in doc, f"{flag} missing from docs/stream.md"


# ---------------------------------------------------------------------------------------- records


def src(offset: int = 5, value: bytes = b"{}", partition: int = 1) -> SourceMessage:
    return SourceMessage("articles", partition, offset, value, b"k", 1_700_000_000_000)


def quote_value(article_id: str, qid: str = QID) -> bytes:
    return orjson.dumps(
        {
            "schema_version": 1,
            "quote_id": qid,
            "article_id": article_id,
            "field": "text",
            "type": "direct",
            "text": "x",
            "span": [0, 1],
            "cue": {"text": "قال", "lemma": "قال", "span": [0, 3]},
            "speaker": {
                "name": None,
                "mention": None,
                "span": None,
                "title": None,
                "kind": "unknown",
                "id": None,
            },
            "confidence": 0.5,
            "extractor": {"version": "0.1.0", "backend": "rules"},
        }
    )


def test_build_outputs_ok() -> None:
    proc = Processed("a1", [(QID, quote_value("a1"))], seconds=0.002)
    built = build_outputs(src(), proc, TOPICS, INFO)
    quote, status = built.records
    assert quote.topic == "quotes" and quote.key == QID.encode() and quote.partition_key == b"a1"
    assert dict(quote.headers)["source-offset"] == b"5"
    assert dict(quote.headers)["content-type"] == b"application/json"
    doc = orjson.loads(status.value)
    assert validate("status", doc) == []
    assert doc["status"] == "ok" and doc["quote_ids"] == [QID] and doc["source"]["offset"] == 5
    assert status.key == b"a1" and status.partition_key == b"a1"


def test_build_outputs_dead_letter_truncates_original() -> None:
    value = b"\xff" * 100
    proc = Processed(None, [], "not_utf8", "bad byte")
    built = build_outputs(src(value=value), proc, TOPICS, INFO, max_original_bytes=10)
    dl, status = built.records
    doc = orjson.loads(dl.value)
    assert validate("deadletter", doc) == []
    assert base64.b64decode(doc["original_base64"]) == value[:10]
    assert doc["original_truncated"] and doc["original_size"] == 100
    assert doc["source"]["key_base64"] == base64.b64encode(b"k").decode()
    assert dl.key is None and dl.partition_key == b"articles:1"
    sdoc = orjson.loads(status.value)
    assert (
        validate("status", sdoc) == [] and sdoc["status"] == "dead_lettered" and sdoc["reason"] == "not_utf8"
    )


def test_partition_for_matches_kafka_default() -> None:
    from kafka.partitioner.default import murmur2

    for key in (b"a1", "مقال-7".encode(), b""):
        assert partition_for(key, 6) == (murmur2(key) & 0x7FFFFFFF) % 6


# ---------------------------------------------------------------------------- strategies and sinks


class FakeFuture:
    def __init__(self, error: BaseException | None = None) -> None:
        self.exception = error

    def failed(self) -> bool:
        return self.exception is not None


class FakeProducer:
    def __init__(self, fail_first: int = 0) -> None:
        self.sent: list[tuple[str, bytes | None, bytes, int]] = []
        self.fail_first = fail_first
        self.flushes = 0
        self.log: list[str] = []

    def partitions_for(self, topic: str) -> set[int]:
        return {0, 1, 2}

    def send(self, topic: str, value: bytes, key: bytes | None, headers: Any, partition: int) -> FakeFuture:
        self.sent.append((topic, key, value, partition))
        self.log.append("send")
        if self.fail_first:
            self.fail_first -= 1
            return FakeFuture(kerr.KafkaTimeoutError("broker away"))
        return FakeFuture()

    def flush(self) -> None:
        self.flushes += 1
        self.log.append("flush")

    # transactions
    def begin_transaction(self) -> None:
        self.log.append("begin")

    def send_offsets_to_transaction(self, offsets: Any, group: Any) -> None:
        self.log.append(f"offsets:{sorted((tp.partition, o.offset) for tp, o in offsets.items())}")

    def commit_transaction(self) -> None:
        if "fail-commit" in self.log:
            self.log.remove("fail-commit")
            raise kerr.KafkaTimeoutError("coordinator away")
        self.log.append("commit")

    def abort_transaction(self) -> None:
        self.log.append("abort")


class OutOfOrderRunner(Runner):
    """Finishes later batches first, as child processes may."""

    info = INFO

    def __init__(self) -> None:
        self.futures: list[tuple[Future[list[Processed]], list[bytes]]] = []

    @property
    def parallelism(self) -> int:
        return 2

    def submit(self, values: Any) -> Future[list[Processed]]:
        fut: Future[list[Processed]] = Future()
        self.futures.append((fut, list(values)))
        return fut

    def finish(self) -> None:
        for fut, values in reversed(self.futures):
            if not fut.done():
                fut.set_result(
                    [
                        Processed(v.decode(), [(f"{i:032x}", quote_value(v.decode(), f"{i:032x}"))])
                        for i, v in enumerate(values)
                    ]
                )


def test_chain_keeps_order_and_commits_after_delivery() -> None:
    producer = FakeProducer()
    commits: list[dict[TopicPartition, Any]] = []

    def commit(offsets: dict[TopicPartition, Any]) -> None:
        producer.log.append("commit")
        commits.append(offsets)

    runner = OutOfOrderRunner()
    sink = AtLeastOnceSink(producer, commit)  # type: ignore[arg-type]
    chain = build_chain(runner, sink, TOPICS)
    messages = [src(offset=i, value=f"a{i}".encode(), partition=i % 2) for i in range(8)]
    chain.submit(Batch(messages[:5]))
    chain.submit(Batch(messages[5:]))
    chain.poll()
    assert not producer.sent  # nothing before extraction is done
    runner.finish()
    chain.join()
    statuses = [orjson.loads(v)["article_id"] for t, _, v, _ in producer.sent if t == "status"]
    assert statuses == [f"a{i}" for i in range(8)]  # input order, despite out-of-order batches
    assert (
        producer.log.index("commit")
        > producer.log.index("flush")
        > max(i for i, e in enumerate(producer.log) if e == "send")
    )
    assert {(tp.partition, o.offset) for tp, o in commits[0].items()} == {(0, 7), (1, 8)}


def test_at_least_once_resends_failed_records() -> None:
    producer = FakeProducer(fail_first=2)
    committed: list[Any] = []
    sink = AtLeastOnceSink(producer, committed.append, backoff_max_s=0.01)  # type: ignore[arg-type]
    built = build_outputs(src(), Processed("a1", [(QID, quote_value("a1"))]), TOPICS, INFO)
    for rec in built.records:
        sink.send(rec)
    assert sink.commit({TopicPartition("articles", 1): 6})
    assert len(producer.sent) == 4 and producer.sent[2:] == producer.sent[:2]  # same records re-sent
    assert committed and sink.take_produced() == {"quotes": 1, "status": 1}


def test_transactional_sink_retries_whole_batch() -> None:
    producer = FakeProducer()
    producer.log.append("fail-commit")
    sink = TransactionalSink(producer, lambda: "group", backoff_max_s=0.01)  # type: ignore[arg-type]
    built = build_outputs(src(), Processed("a1", [(QID, quote_value("a1"))]), TOPICS, INFO)
    for rec in built.records:
        sink.send(rec)
    assert sink.commit({TopicPartition("articles", 1): 6})
    log = [e for e in producer.log if e not in ("fail-commit",)]
    assert log == [
        "begin", "send", "send", "offsets:[(1, 6)]", "abort",
        "begin", "send", "send", "offsets:[(1, 6)]", "commit",
    ]  # fmt: skip
