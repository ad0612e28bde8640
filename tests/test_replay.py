"""Tests of ``quote-worker replay`` (issue 5, "Must show"): against a real broker (the session ``kafka``
fixture) with an archive of invented Arabic articles across 3 partitions, produced with explicit
partitions and timestamps; plus broker-free unit tests of parsing, throttling and the file sink.

Records are compared with what the stream worker builds for the same input message
(``worker.stream.extraction.process_values`` + ``worker.stream.messages.build_outputs``, the live
worker's own code path), processing metadata (``processing_ms``, ``processed_at``,
``dead_lettered_at``) aside. The kill tests run replay as a subprocess held to a slow pace by its own
``--max-rate``, so the kill lands mid-way on any machine, and they check that it did.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from worker.cli import main
from worker.extractor import Extractor
from worker.replay.plan import parse_offsets, parse_time
from worker.replay.progress import TokenBucket
from worker.replay.store import FileSink, side_paths
from worker.stream.config import ConfigError
from worker.stream.extraction import process_values
from worker.stream.messages import ExtractorInfo, OutputTopics, OutRecord, SourceMessage, build_outputs

REPO = Path(__file__).resolve().parent.parent
T0 = parse_time("2024-05-01T00:00:00Z")
MINUTE = 60_000
TIMING = ("processing_ms", "processed_at", "dead_lettered_at")

# The run to be killed reads KILL_RATE articles/s (replay's --max-rate): the archive takes it over 10 s,
# and the kill comes once KILL_AFTER articles are done (about 1 s in), whatever the machine's speed.
KILL_RATE = 30
KILL_AFTER = 60

SPEAKERS = ("الوزير أحمد سالم", "المتحدثة ليلى حداد", "النائب كريم منصور", "رئيس البلدية سمير يوسف")
SAYINGS = ("الاقتصاد ينمو", "المشروع سيكتمل قريبا", "الأسعار ستنخفض", "الحوار هو الحل")
TEMPLATES = (
    'قال {s} إن "{q} في العام {i}".',
    "أكد {s} أن العمل مستمر في الحي رقم {i}. وأضاف: «{q}».",
    "افتتح المعرض أبوابه اليوم بمشاركة {i} دار نشر.",
    'صرح {s} للصحفيين: "{q}، ولا تراجع عن ذلك".',
)
N_ARTICLES = 330
BAD = (
    b'{"id": "bad-json", "text": ',
    b'{"id": "bad-utf8", "text": "\xff\xfe"}',
    orjson.dumps({"id": "bad-schema", "title": "بلا نص"}),
    orjson.dumps({"id": "bad-empty", "text": "  "}),
)


def article(i: int) -> bytes:
    doc: dict[str, Any] = {
        "id": f"arch-{i:04d}-{(i * 7919) % 1000:03d}",
        "text": TEMPLATES[i % 4].format(s=SPEAKERS[i % 3], q=SAYINGS[(i // 4) % 4], i=i),
    }
    if i % 6 == 0:
        doc["title"] = f'{SPEAKERS[i % 4]}: "{SAYINGS[i % 4]}"'
    return orjson.dumps(doc)


@dataclass
class Archive:
    topic: str
    messages: list[SourceMessage]  # as stored: partition, offset and timestamp known

    @property
    def n(self) -> int:
        return len(self.messages)


def produce_archive(kafka: Any, n: int = N_ARTICLES) -> Archive:
    topic = kafka.unique("archive")
    # timestamps are in 2024: without retention.ms=-1 the broker's time retention would delete them
    kafka.create_topics([topic], partitions=3, config={"retention.ms": "-1"})
    values = [article(i) for i in range(n)]
    for j, bad in enumerate(BAD):  # a few bad messages among the good ones
        values.insert(25 + j * 70, bad)
    producer = kafka.producer(linger_ms=5)
    futures = []
    try:
        for i, v in enumerate(values):
            futures.append(producer.send(topic, v, partition=i % 3, timestamp_ms=T0 + i * MINUTE))
        producer.flush()
        metas = [f.get(timeout=30) for f in futures]
    finally:
        producer.close()
    msgs = [
        SourceMessage(topic, m.partition, m.offset, v, None, T0 + i * MINUTE)
        for i, (v, m) in enumerate(zip(values, metas, strict=True))
    ]
    return Archive(topic, msgs)


@pytest.fixture(scope="module")
def archive(kafka: Any) -> Archive:
    return produce_archive(kafka)


def expected(
    messages: list[SourceMessage], topics: OutputTopics
) -> dict[str, list[tuple[bytes | None, Any, dict[str, bytes]]]]:
    """What the live worker publishes for these messages: per output topic, (key, value, headers) in
    publishing order, timing fields removed."""
    extractor = Extractor("rules")
    info = ExtractorInfo(extractor.version, extractor.backend_name)
    processed = process_values([m.value for m in messages], extractor, 1_000_000)
    out: dict[str, list[tuple[bytes | None, Any, dict[str, bytes]]]] = defaultdict(list)
    for src, proc in zip(messages, processed, strict=True):
        for rec in build_outputs(src, proc, topics, info).records:
            out[rec.topic].append((rec.key, stable(orjson.loads(rec.value)), dict(rec.headers)))
    return out


def stable(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in TIMING}


def replay(*args: str | Path, bootstrap: str) -> int:
    argv = ["replay", *map(str, args), "--bootstrap-servers", bootstrap, "--log-format", "text"]
    return main([*argv, "--progress", "log", "--progress-interval", "1"])


def read_file_output(path: Path) -> dict[str, list[dict[str, Any]]]:
    status, dlq = side_paths(path)
    return {
        "quotes": [orjson.loads(line) for line in path.read_bytes().splitlines()],
        "status": [orjson.loads(line) for line in status.read_bytes().splitlines()],
        "dlq": [orjson.loads(line) for line in dlq.read_bytes().splitlines()],
    }


def read_topics(kafka: Any, topics: list[str], want: dict[str, int], timeout: float = 60) -> dict[str, list]:
    """Every record of ``topics`` from the start until at least ``want[topic]`` of each (then a drain)."""
    return kafka.collect(topics, lambda out: all(len(out[t]) >= n for t, n in want.items()), timeout)


def output_topics(kafka: Any) -> OutputTopics:
    base = kafka.unique("backfill")
    topics = OutputTopics(base, f"{base}.status", f"{base}.dlq")
    kafka.create_topics([base], partitions=3, config={"cleanup.policy": "compact"})
    kafka.create_topics([topics.status, topics.dead_letter], partitions=3)
    return topics


def check_file_exact(path: Path, archive: Archive, messages: list[SourceMessage] | None = None) -> None:
    """The file output is exactly the worker's records for ``messages``: same bodies, same order per
    partition, one status per input, no duplicates."""
    messages = archive.messages if messages is None else messages
    got = read_file_output(path)
    status, dlq = side_paths(path)
    want = expected(messages, OutputTopics(str(path), str(status), str(dlq)))

    def per_partition(docs: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
        by: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for d in docs:
            by[d["source"]["partition"]].append(stable(d))
        return by

    assert len(got["status"]) == len(messages), "one status record per input message"
    assert Counter(
        s["source"]["offset"] + 100_000 * s["source"]["partition"] for s in got["status"]
    ) == Counter(m.offset + 100_000 * m.partition for m in messages)
    # file lines interleave partitions in consumption order; within a partition the order is the worker's
    assert per_partition(got["status"]) == per_partition([v for _, v, _ in want[str(status)]])
    assert sorted(map(orjson.dumps, map(stable, got["dlq"]))) == sorted(
        orjson.dumps(v) for _, v, _ in want[str(dlq)]
    )
    assert sorted(orjson.dumps(q) for q in got["quotes"]) == sorted(
        orjson.dumps(v) for _, v, _ in want[str(path)]
    )
    assert len({q["quote_id"] for q in got["quotes"]}) == len(got["quotes"])


# ---------------------------------------------------------------------------------- broker tests


@pytest.mark.integration
def test_replay_to_file_and_topic_matches_worker(kafka: Any, archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "backfill.jsonl"
    assert replay(archive.topic, "--output-file", out, bootstrap=kafka.bootstrap_servers) == 0
    check_file_exact(out, archive)
    got = read_file_output(out)
    assert Counter(s["status"] for s in got["status"]) == {"ok": N_ARTICLES, "dead_lettered": len(BAD)}
    assert {d["reason"] for d in got["dlq"]} == {"not_json", "not_utf8", "schema_violation", "empty_text"}
    assert len(got["quotes"]) > N_ARTICLES // 2  # the archive really has quotes

    topics = output_topics(kafka)
    args = ["--output-topic", topics.quotes, "--status-topic", topics.status, "--dead-letter-topic"]
    assert (
        replay(
            archive.topic, *args, topics.dead_letter, "--processes", "2", bootstrap=kafka.bootstrap_servers
        )
        == 0
    )
    want = expected(archive.messages, topics)
    counts = {t: len(v) for t, v in want.items()}
    records = read_topics(kafka, list(counts), counts)
    for topic, expected_records in want.items():
        got_records = [(r.key, stable(orjson.loads(r.value)), dict(r.headers)) for r in records[topic]]
        assert len(got_records) == len(expected_records), topic
        key = lambda kv: repr((kv[0], orjson.dumps(kv[1]), sorted(kv[2].items())))  # noqa: E731
        assert sorted(map(key, got_records)) == sorted(map(key, expected_records)), topic
    # quotes of one article stay on one partition, as the worker puts them
    parts: dict[str, set[int]] = defaultdict(set)
    for r in records[topics.quotes]:
        parts[orjson.loads(r.value)["article_id"]].add(r.partition)
    assert all(len(p) == 1 for p in parts.values())


@pytest.mark.integration
def test_refuses_live_topic_and_bad_options(kafka: Any, archive: Archive, capsys: Any) -> None:
    assert replay(archive.topic, "--output-topic", "quotes", bootstrap=kafka.bootstrap_servers) == 2
    assert "live worker" in capsys.readouterr().err
    assert replay(archive.topic, "--output-topic", archive.topic, bootstrap=kafka.bootstrap_servers) == 2
    missing = kafka.unique("absent")
    assert replay(missing, "--dry-run", bootstrap=kafka.bootstrap_servers) == 2
    assert replay(archive.topic, "--offsets", "0:5", "--dry-run", bootstrap=kafka.bootstrap_servers) == 2
    assert "does not name" in capsys.readouterr().err


@pytest.mark.integration
def test_timestamp_bounds_select_exactly_the_range(
    kafka: Any, archive: Archive, tmp_path: Path, capsys: Any
) -> None:
    lo, hi = T0 + 100 * MINUTE, T0 + 200 * MINUTE + 30_000  # half a minute past 200: 200 is in, 201 out
    in_range = [m for m in archive.messages if lo <= (m.timestamp_ms or 0) < hi]
    assert len(in_range) == 101
    bounds = ["--from", "2024-05-01T01:40:00Z", "--until", str(hi)]
    capsys.readouterr()
    assert replay(archive.topic, *bounds, "--dry-run", bootstrap=kafka.bootstrap_servers) == 0
    table = capsys.readouterr().out
    for p in range(3):
        want = sum(1 for m in in_range if m.partition == p)
        row = next(line for line in table.splitlines() if line.startswith(f"{archive.topic}[{p}]"))
        assert int(row.split()[-1]) == want, table
    out = tmp_path / "range.jsonl"
    assert replay(archive.topic, *bounds, "--output-file", out, bootstrap=kafka.bootstrap_servers) == 0
    check_file_exact(out, archive, in_range)
    # explicit offsets: partition 0 from 50, partition 1 skipped, partition 2 from the start
    out2 = tmp_path / "offsets.jsonl"
    code = replay(
        archive.topic,
        "--offsets",
        "0:50,1:end,2:earliest",
        "--output-file",
        out2,
        bootstrap=kafka.bootstrap_servers,
    )
    assert code == 0
    picked = [m for m in archive.messages if (m.partition == 0 and m.offset >= 50) or m.partition == 2]
    check_file_exact(out2, archive, picked)


@pytest.mark.integration
def test_rerun_yields_identical_keys_and_values(kafka: Any, archive: Archive, tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out in (a, b):
        assert (
            replay(
                archive.topic, "--output-file", out, "--batch-size", "37", bootstrap=kafka.bootstrap_servers
            )
            == 0
        )
    ga, gb = read_file_output(a), read_file_output(b)
    assert a.read_bytes() == b.read_bytes() or sorted(ga["quotes"], key=orjson.dumps) == sorted(
        gb["quotes"], key=orjson.dumps
    )
    for kind in ("status", "dlq"):
        assert sorted(orjson.dumps(stable(d)) for d in ga[kind]) == sorted(
            orjson.dumps(stable(d)) for d in gb[kind]
        )

    topics = output_topics(kafka)
    args = [
        "--output-topic",
        topics.quotes,
        "--status-topic",
        topics.status,
        "--dead-letter-topic",
        topics.dead_letter,
    ]
    for _ in range(2):
        assert replay(archive.topic, *args, bootstrap=kafka.bootstrap_servers) == 0
    n_quotes = len(ga["quotes"])
    records = read_topics(
        kafka, [topics.quotes, topics.status], {topics.quotes: 2 * n_quotes, topics.status: 2 * archive.n}
    )
    for topic in (topics.quotes, topics.status):
        values: dict[bytes, set[bytes]] = defaultdict(set)
        counts: Counter[bytes] = Counter()
        for r in records[topic]:
            doc = stable(orjson.loads(r.value))
            # a status of a message without an article id has no key: tell them apart by source
            key = (r.key or b"") + orjson.dumps(doc.get("source"))
            values[key].add(orjson.dumps(doc))
            counts[key] += 1
        assert all(len(v) == 1 for v in values.values()), f"{topic}: a rerun changed a value"
        assert set(counts.values()) == {2}, f"{topic}: not every record was published twice"


def _spawn_throttled(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """``quote-worker replay`` in a subprocess (so that it can be ``kill -9``ed), at KILL_RATE."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "worker.cli", "replay", *args, "--max-rate", str(KILL_RATE)]
    cmd += ["--log-format", "text", "--progress", "log"]
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _assert_killed_mid_way(done: int, archive: Archive) -> None:
    assert KILL_AFTER <= done < archive.n, f"the kill did not land mid-way: {done} of {archive.n} done"


def _wait(pred: Any, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        if proc.poll() is not None:
            raise AssertionError(f"replay exited {proc.returncode} early:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    raise AssertionError(f"no progress in {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.mark.integration
def test_kill9_then_resume_file(kafka: Any, archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "named.jsonl"
    ckpt = Path(f"{out}.checkpoint.json")
    args = [archive.topic, "--output-file", str(out), "--name", "nightly", "--batch-size", "10"]
    args += ["--bootstrap-servers", kafka.bootstrap_servers]

    def checkpointed() -> int:
        try:
            doc = orjson.loads(ckpt.read_bytes())
        except (FileNotFoundError, orjson.JSONDecodeError):
            return 0
        return sum(p["next"] - p["start"] for p in doc["partitions"])

    proc = _spawn_throttled(args, tmp_path / "first.log")
    _wait(lambda: checkpointed() >= KILL_AFTER, proc, tmp_path / "first.log")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    _assert_killed_mid_way(checkpointed(), archive)
    assert not orjson.loads(ckpt.read_bytes())["complete"]
    # resume (in-process, full speed): completes, and the file holds each record exactly once
    assert replay(*args[:-2], bootstrap=kafka.bootstrap_servers) == 0
    assert orjson.loads(ckpt.read_bytes())["complete"]
    check_file_exact(out, archive)
    # --restart starts over: same result
    assert replay(*args[:-2], "--restart", bootstrap=kafka.bootstrap_servers) == 0
    check_file_exact(out, archive)


@pytest.mark.integration
def test_kill9_then_resume_topic(kafka: Any, archive: Archive, tmp_path: Path) -> None:
    from kafka import TopicPartition

    topics = output_topics(kafka)
    name = kafka.unique("bf")
    args = [archive.topic, "--output-topic", topics.quotes, "--status-topic", topics.status]
    args += ["--dead-letter-topic", topics.dead_letter, "--name", name, "--batch-size", "10"]
    probe = kafka.consumer(group_id=f"quote-worker-replay.{name}")
    tps = [TopicPartition(archive.topic, p) for p in range(3)]

    def committed() -> int:
        return sum(probe.committed(tp) or 0 for tp in tps)

    try:
        log = tmp_path / "first.log"
        proc = _spawn_throttled([*args, "--bootstrap-servers", kafka.bootstrap_servers], log)
        _wait(lambda: committed() >= KILL_AFTER, proc, log)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        _assert_killed_mid_way(committed(), archive)
        assert replay(*args, bootstrap=kafka.bootstrap_servers) == 0
        assert committed() == archive.n
    finally:
        probe.close()
    want = expected(archive.messages, topics)
    records = read_topics(kafka, [topics.quotes, topics.status], {topics.status: archive.n})
    statuses = defaultdict(set)
    for r in records[topics.status]:
        doc = stable(orjson.loads(r.value))
        statuses[(doc["source"]["partition"], doc["source"]["offset"])].add(orjson.dumps(doc))
    assert len(statuses) == archive.n, "an input message has no status record"
    assert all(len(v) == 1 for v in statuses.values()), "a re-sent status differs beyond timing"
    got_quotes = {r.key: orjson.loads(r.value) for r in records[topics.quotes]}
    assert got_quotes == {k: v for k, v, _ in want[topics.quotes]}


# ------------------------------------------------------------------------------- broker-free tests


def test_parse_time_and_offsets() -> None:
    assert parse_time("2024-05-01T00:00:00Z") == 1714521600000
    assert parse_time("2024-05-01") == 1714521600000
    assert parse_time("2024-05-01T03:00:00+03:00") == 1714521600000
    assert parse_time("1714521600000") == 1714521600000
    with pytest.raises(ConfigError):
        parse_time("yesterday")
    assert parse_offsets("0:120,1:98") == {(None, 0): 120, (None, 1): 98}
    assert parse_offsets("arts:2:end, arts:0:earliest") == {("arts", 2): "end", ("arts", 0): "earliest"}
    for bad in ("0", "0:x", "0:-1", ""):
        with pytest.raises(ConfigError):
            parse_offsets(bad)


def test_token_bucket_limits_rate() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    bucket = TokenBucket(100, clock=lambda: now[0], sleep=sleep)
    for _ in range(10):
        bucket.take(50)
    # 500 articles at 100/s with a burst of 100: at least 4 s of waiting
    assert sum(slept) == pytest.approx(4.0)


def test_file_sink_truncates_to_checkpoint(tmp_path: Path) -> None:
    out = tmp_path / "q.jsonl"
    topics, paths = FileSink.topics_for(out)
    assert paths[topics.status] == tmp_path / "q.status.jsonl"
    sink = FileSink(paths)
    sink.send(OutRecord(topics.quotes, b"k", b'{"a":1}', [], b"k"))
    sink.commit({})
    size = sink.sizes()
    sink.send(OutRecord(topics.quotes, b"k", b'{"a":2}', [], b"k"))  # written, never committed
    sink.close()
    resumed = FileSink(paths, truncate_to=size)
    resumed.close()
    assert out.read_bytes() == b'{"a":1}\n'
