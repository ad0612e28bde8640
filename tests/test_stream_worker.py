"""Integration tests of ``quote-worker run`` against a real broker (issue 4, "Must show").

Workers run as subprocesses (``python -c BOOT run ...``), so they can be SIGTERMed and ``kill -9``ed,
with the test-only extractor hooks of ``HOOKS`` (set by environment). The articles are invented here.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from worker.extractor import Extractor
from worker.records import process_batch, validate

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent

# Test-only hooks on the extractor, set by environment. They must act in the extraction child processes
# too, so they live in a ``sitecustomize`` module (every Python process started with it on its path
# imports it): ``QW_TEST_RAISE_ON`` (extraction raises for texts containing it), ``QW_TEST_SLOW_MS``
# (sleep per article, so that a kill lands mid-stream; only for texts containing ``QW_TEST_SLOW_ON``
# when that is set), ``QW_TEST_HANG_ON`` (extraction of texts containing it never ends: an article over
# any time budget, whatever the machine's speed).
HOOKS = """
import os, time
if any(os.environ.get(k) for k in ("QW_TEST_RAISE_ON", "QW_TEST_SLOW_MS", "QW_TEST_HANG_ON")):
    from worker import extractor as _ex
    _orig = _ex.Extractor.extract_articles
    _raise = os.environ.get("QW_TEST_RAISE_ON")
    _hang = os.environ.get("QW_TEST_HANG_ON")
    _slow = float(os.environ.get("QW_TEST_SLOW_MS", "0")) / 1000
    _slow_on = os.environ.get("QW_TEST_SLOW_ON")
    def _patched(self, articles):
        if _raise and any(_raise in text for text, _ in articles):
            raise RuntimeError("injected extractor failure")
        if _hang and any(_hang in text for text, _ in articles):
            time.sleep(3600)
        if _slow:
            time.sleep(_slow * sum(1 for text, _ in articles if not _slow_on or _slow_on in text))
        return _orig(self, articles)
    _ex.Extractor.extract_articles = _patched
"""
BOOT = "import sys; from worker.cli import main; sys.exit(main(sys.argv[1:]))"

TEMPLATES = (
    'قال الوزير أحمد سالم إن "الاقتصاد ينمو بنسبة {i} في المئة".',
    "أكدت المتحدثة باسم الشركة ليلى حداد أن الأرباح ارتفعت في الربع رقم {i}. "
    'وأضافت: "نحن متفائلون بالمستقبل".',
    "افتتح المعرض الدولي للكتاب أبوابه اليوم بمشاركة {i} دار نشر.",
    "قال رئيس البلدية سمير يوسف: «سننتهي من ترميم الجسر خلال {i} يوما».",
)
TITLE = 'الوزير: "الموسم المقبل أفضل"'


def article(i: int, prefix: str = "art") -> dict[str, Any]:
    doc: dict[str, Any] = {"id": f"{prefix}-{i:05d}", "text": TEMPLATES[i % len(TEMPLATES)].format(i=i)}
    if i % 5 == 0:
        doc["title"] = TITLE
    return doc


def raw(doc: dict[str, Any]) -> bytes:
    return orjson.dumps(doc)


# --------------------------------------------------------------------------------------- helpers


class Names:
    def __init__(self, kafka: Any, partitions: int = 3) -> None:
        self.input = kafka.unique("articles")
        self.quotes = kafka.unique("quotes")
        self.status = kafka.unique("status")
        self.dlq = kafka.unique("dlq")
        self.group = kafka.unique("group")
        kafka.create_topics([self.input, self.status, self.dlq], partitions=partitions)
        kafka.create_topics([self.quotes], partitions=partitions, config={"cleanup.policy": "compact"})

    def args(self) -> list[str]:
        return [
            "--input-topics", self.input,
            "--quotes-topic", self.quotes,
            "--status-topic", self.status,
            "--dead-letter-topic", self.dlq,
            "--group-id", self.group,
        ]  # fmt: skip


class Worker:
    def __init__(
        self, bootstrap: str, names: Names, log: Path, *extra: str, env: dict[str, str] | None = None
    ):
        self.log = log
        hooks = log.parent / "hooks"
        hooks.mkdir(exist_ok=True)
        (hooks / "sitecustomize.py").write_text(HOOKS)
        cmd = [sys.executable, "-c", BOOT, "run", "--bootstrap-servers", bootstrap, *names.args()]
        cmd += ["--session-timeout-ms", "6000", "--poll-timeout-ms", "100", "--metrics-port", "0"]
        cmd += list(extra)
        full_env = {**os.environ, "PYTHONPATH": f"{hooks}{os.pathsep}{REPO}", **(env or {})}
        self.handle = log.open("ab")
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=full_env, stdout=self.handle, stderr=subprocess.STDOUT
        )

    def logs(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                with contextlib.suppress(ValueError):
                    out.append(json.loads(line))
        return out

    def assignments(self) -> list[list[str]]:
        return [e["partitions"] for e in self.logs() if e.get("msg") == "partitions assigned"]

    def wait_assigned(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(self.assignments()):
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"worker got no partitions in {timeout}s:\n{self.log.read_text()[-3000:]}")

    def stop(self, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        finally:
            self.kill()
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.handle.close()


@pytest.fixture
def workers() -> Any:
    started: list[Worker] = []

    def make(*args: Any, **kw: Any) -> Worker:
        w = Worker(*args, **kw)
        started.append(w)
        return w

    yield make
    for w in started:
        w.kill()


def produce(kafka: Any, topic: str, values: list[bytes]) -> None:
    producer = kafka.producer(linger_ms=5)
    try:
        for v in values:
            producer.send(topic, v)
        producer.flush()
    finally:
        producer.close()


def collect(
    kafka: Any,
    topics: list[str],
    done: Callable[[dict[str, list[Any]]], bool],
    timeout: float = 60,
    read_committed: bool = False,
) -> dict[str, list[Any]]:
    """Every record of ``topics`` by topic, until ``done(records)`` (``KafkaCluster.collect``)."""
    records: dict[str, list[Any]] = kafka.collect(topics, done, timeout, read_committed)
    return records


def status_ids(records: list[Any]) -> set[str | None]:
    return {orjson.loads(r.value)["article_id"] for r in records}


def until_statuses(names: Names, ids: set[str]) -> Callable[[dict[str, list[Any]]], bool]:
    return lambda out: ids <= status_ids(out.get(names.status, []))


def until_complete(names: Names, docs: list[dict[str, Any]]) -> Callable[[dict[str, list[Any]]], bool]:
    """Every article's status and every expected quote key read (topics are fetched at their own pace,
    so statuses may be all in while quotes of the last batches are still on their way)."""
    ids = {d["id"] for d in docs}
    keys = {r["quote_id"].encode() for recs in expected_quotes([raw(d) for d in docs]).values() for r in recs}
    return lambda out: until_statuses(names, ids)(out) and keys <= {r.key for r in out.get(names.quotes, [])}


def expected_quotes(values: list[bytes]) -> dict[str, list[dict[str, Any]]]:
    """What the core makes of these messages, per article id (the worker must publish exactly this)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for outcome in process_batch(values, Extractor("rules")):
        if outcome.ok:
            assert outcome.article_id is not None
            out[outcome.article_id] = outcome.records
    return out


def headers(rec: Any) -> dict[str, bytes]:
    return dict(rec.headers)


def kill_mid_stream(
    kafka: Any, names: Names, proc: subprocess.Popen, *, after: int, total: int, read_committed: bool
) -> None:
    """``kill -9`` a worker once ``after`` status records are out, and check it had not finished."""
    collect(
        kafka, [names.status], lambda o: len(o.get(names.status, [])) >= after, read_committed=read_committed
    )
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    seen = collect(kafka, [names.status], lambda o: True, timeout=2, read_committed=read_committed)
    assert len(status_ids(seen[names.status])) < total, "all done before the kill: make the workers slower"


def check_quotes_complete(
    names: Names, out: dict[str, list[Any]], docs: list[dict[str, Any]], *, allow_duplicates: bool
) -> None:
    """Every article has a status and exactly its expected quotes; duplicates (if allowed) identical."""
    expected = expected_quotes([raw(d) for d in docs])
    statuses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in out[names.status]:
        doc = orjson.loads(rec.value)
        statuses[doc["article_id"]].append(doc)
    assert set(statuses) == {d["id"] for d in docs}
    for aid, docs_of in statuses.items():
        assert all(s["status"] == "ok" for s in docs_of)
        if not allow_duplicates:
            assert len(docs_of) == 1, f"duplicate status for {aid}"
        stable = {
            orjson.dumps({k: v for k, v in s.items() if k not in ("processing_ms", "processed_at")})
            for s in docs_of
        }
        assert len(stable) == 1, f"re-sent status of {aid} differs beyond timing"
    seen: dict[bytes, set[bytes]] = defaultdict(set)
    counts: Counter[bytes] = Counter()
    for rec in out.get(names.quotes, []):
        seen[rec.key].add(rec.value)
        counts[rec.key] += 1
    want = {r["quote_id"].encode(): r for recs in expected.values() for r in recs}
    assert set(seen) == set(want)
    for key, values in seen.items():
        assert len(values) == 1, "a re-sent quote has a different value"
        assert orjson.loads(next(iter(values))) == want[key]
    if not allow_duplicates:
        assert max(counts.values(), default=1) == 1, "read_committed consumer saw a duplicate quote"


# ----------------------------------------------------------------------------------------- tests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.parametrize("processes", [1, 2])
def test_known_articles_exact_records(kafka: Any, workers: Any, tmp_path: Path, processes: int) -> None:
    names = Names(kafka)
    docs = [article(i) for i in range(40)]
    values = [raw(d) for d in docs]
    produce(kafka, names.input, values)
    port = free_port()
    w = workers(
        kafka.bootstrap_servers, names, tmp_path / "worker.log", "--processes", str(processes),
        "--metrics-port", str(port), "--metrics-host", "127.0.0.1",
    )  # fmt: skip
    ids = {d["id"] for d in docs}
    out = collect(kafka, [names.quotes, names.status, names.dlq], until_statuses(names, ids))
    assert http_get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    assert http_get(f"http://127.0.0.1:{port}/readyz")[0] == 200
    code, metrics_text = http_get(f"http://127.0.0.1:{port}/metrics")
    assert code == 200 and "quote_worker_consumed_total" in metrics_text
    assert w.stop() == 0, w.log.read_text()[-3000:]

    check_quotes_complete(names, out, docs, allow_duplicates=False)
    assert not out.get(names.dlq)
    by_id = {d["id"]: d for d in docs}
    expected = expected_quotes(values)
    assert sum(len(v) for v in expected.values()) > 40  # the sample really has quotes

    quote_partitions: dict[str, set[int]] = defaultdict(set)
    per_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in out[names.quotes]:
        doc = orjson.loads(rec.value)
        assert validate("quote", doc) == []
        assert rec.key == doc["quote_id"].encode()
        h = headers(rec)
        assert h["content-type"] == b"application/json" and h["schema-version"] == b"1"
        assert h["source-topic"] == names.input.encode()
        src_offset, src_partition = int(h["source-offset"]), int(h["source-partition"])
        assert src_offset >= 0 and src_partition >= 0
        field_text = by_id[doc["article_id"]][doc["field"]]
        start, end = doc["span"]
        assert field_text[start:end] == doc["text"]
        cs, ce = doc["cue"]["span"]
        assert field_text[cs:ce] == doc["cue"]["text"]
        if doc["speaker"]["span"] is not None:
            ss, se = doc["speaker"]["span"]
            assert field_text[ss:se] == doc["speaker"]["mention"]
        quote_partitions[doc["article_id"]].add(rec.partition)
        per_article[doc["article_id"]].append(doc)
    # one partition per article, records in the core's order
    assert all(len(p) == 1 for p in quote_partitions.values())
    for aid, recs in per_article.items():
        assert recs == expected[aid]
    for rec in out[names.status]:
        doc = orjson.loads(rec.value)
        assert validate("status", doc) == [], doc
        assert doc["quote_count"] == len(expected.get(doc["article_id"], []))
        assert doc["quote_ids"] == [r["quote_id"] for r in expected.get(doc["article_id"], [])]
        assert doc["source"]["topic"] == names.input
        assert rec.key == doc["article_id"].encode()
    # the worker's log is JSON lines and names no secret
    assert any(e.get("msg") == "worker started" for e in w.logs())


def test_bad_input_is_dead_lettered(kafka: Any, workers: Any, tmp_path: Path) -> None:
    names = Names(kafka)
    good_before = [article(i, "before") for i in range(5)]
    good_after = [article(i, "after") for i in range(5)]
    bad: dict[str, bytes] = {
        "not_utf8": b'{"id": "x", "text": "\xff\xfe"}',
        "not_json": b'{"id": "y", "text": ',
        "schema_violation": raw({"id": "no-text", "title": "x"}),
        "too_large": raw({"id": "huge", "text": "قال الوزير " * 400}),
        "empty_text": raw({"id": "empty", "text": " \u200f\n\u200b\u2067\u2069\ufeff\u200d\t"}),
        "extraction_failed": raw({"id": "explodes", "text": 'قال الوزير إن "BOOM هنا".'}),
    }
    values = [raw(d) for d in good_before] + list(bad.values())
    produce(kafka, names.input, values)
    w = workers(
        kafka.bootstrap_servers, names, tmp_path / "worker.log", "--max-bytes", "2000",
        env={"QW_TEST_RAISE_ON": "BOOM"},
    )  # fmt: skip
    out = collect(kafka, [names.dlq], lambda o: len(o.get(names.dlq, [])) >= len(bad))
    assert w.proc.poll() is None, "the worker died on bad input"
    produce(kafka, names.input, [raw(d) for d in good_after])  # it keeps processing after them
    all_docs = good_before + good_after
    ids = {d["id"] for d in all_docs}
    out = collect(
        kafka,
        [names.quotes, names.status, names.dlq],
        lambda o: (
            ids <= status_ids(o.get(names.status, [])) and len(o.get(names.status, [])) >= len(ids) + len(bad)
        ),
    )
    assert w.stop() == 0

    dead = {}
    for rec in out[names.dlq]:
        doc = orjson.loads(rec.value)
        assert validate("deadletter", doc) == [], doc
        assert headers(rec)["dead-letter-reason"] == doc["reason"].encode()
        assert doc["message"]
        assert doc["source"]["topic"] == names.input
        dead[doc["reason"]] = doc
    assert set(dead) == set(bad)
    for reason, value in bad.items():
        assert base64.b64decode(dead[reason]["original_base64"]) == value
        assert dead[reason]["original_size"] == len(value) and not dead[reason]["original_truncated"]
    assert dead["extraction_failed"]["article_id"] == "explodes"
    assert dead["empty_text"]["article_id"] == "empty"
    statuses = [orjson.loads(r.value) for r in out[names.status]]
    for s in statuses:
        assert validate("status", s) == [], s
    assert Counter(s["status"] for s in statuses) == {"ok": len(all_docs), "dead_lettered": len(bad)}
    assert {s["reason"] for s in statuses if s["status"] == "dead_lettered"} == set(bad)
    ok_ids = {s["article_id"] for s in statuses if s["status"] == "ok"}
    assert ok_ids == ids


@pytest.mark.parametrize("guarantee", ["at-least-once", "exactly-once"])
def test_kill9_then_restart_loses_nothing(kafka: Any, workers: Any, tmp_path: Path, guarantee: str) -> None:
    names = Names(kafka)
    docs = [article(i) for i in range(300)]
    produce(kafka, names.input, [raw(d) for d in docs])
    eos = guarantee == "exactly-once"
    args = ["--guarantee", guarantee, "--batch-size", "10", "--transactional-id", kafka.unique("txn")]
    # paced at 25 ms an article: the 260 left after the 40th status take 6.5 s at the least, so the kill
    # lands mid-stream however fast the machine (kill_mid_stream checks that it did)
    slow = {"QW_TEST_SLOW_MS": "25"}
    w1 = workers(kafka.bootstrap_servers, names, tmp_path / "w1.log", *args, env=slow)
    kill_mid_stream(kafka, names, w1.proc, after=40, total=len(docs), read_committed=eos)

    w2 = workers(kafka.bootstrap_servers, names, tmp_path / "w2.log", *args)
    out = collect(
        kafka, [names.quotes, names.status], until_complete(names, docs), timeout=90, read_committed=eos
    )
    assert w2.stop() == 0
    check_quotes_complete(names, out, docs, allow_duplicates=not eos)


@pytest.mark.parametrize("guarantee", ["at-least-once", "exactly-once"])
def test_broker_restart_mid_stream(kafka_factory: Any, workers: Any, tmp_path: Path, guarantee: str) -> None:
    broker = kafka_factory()
    names = Names(broker)
    docs = [article(i) for i in range(300)]
    produce(broker, names.input, [raw(d) for d in docs])
    eos = guarantee == "exactly-once"
    w = workers(
        broker.bootstrap_servers, names, tmp_path / "w.log",
        "--batch-size", "10", "--reconnect-backoff-max-s", "2",
        "--guarantee", guarantee, "--transactional-id", broker.unique("txn"),
        env={"QW_TEST_SLOW_MS": "10"},
    )  # fmt: skip
    collect(broker, [names.status], lambda o: len(o.get(names.status, [])) >= 30, read_committed=eos)
    broker.stop()
    time.sleep(3)
    assert w.proc.poll() is None, "the worker died while the broker was down"
    broker.start()
    out = collect(
        broker, [names.quotes, names.status], until_complete(names, docs), timeout=120, read_committed=eos
    )
    assert w.stop() == 0, w.log.read_text()[-3000:]
    check_quotes_complete(names, out, docs, allow_duplicates=not eos)


@pytest.mark.parametrize("guarantee", ["at-least-once", "exactly-once"])
def test_two_workers_share_partitions_and_fail_over(
    kafka: Any, workers: Any, tmp_path: Path, guarantee: str
) -> None:
    names = Names(kafka, partitions=4)
    docs = [article(i) for i in range(400)]
    eos = guarantee == "exactly-once"
    # a short transaction timeout: the killed worker's open transaction is aborted sooner
    args = ["--batch-size", "10", "--guarantee", guarantee, "--transaction-timeout-ms", "10000"]
    # paced at 50 ms an article, and the articles produced only once both workers hold partitions: the
    # 340 left after the 60th status take 8.5 s at the least on two workers, whatever the machine's
    # speed (a busy machine used to start the second worker after the first had done them all)
    slow = {"QW_TEST_SLOW_MS": "50"}
    w1 = workers(
        kafka.bootstrap_servers, names, tmp_path / "w1.log", *args,
        "--transactional-id", kafka.unique("txn1"), env=slow,
    )  # fmt: skip
    w1.wait_assigned()
    w2 = workers(
        kafka.bootstrap_servers, names, tmp_path / "w2.log", *args,
        "--transactional-id", kafka.unique("txn2"), env=slow,
    )  # fmt: skip
    w2.wait_assigned()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # both hold partitions at once: the group split them
        a1, a2 = w1.assignments(), w2.assignments()
        if a1 and a2 and a1[-1] and a2[-1] and not set(a1[-1]) & set(a2[-1]):
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"partitions not shared: {w1.assignments()} / {w2.assignments()}")
    w2_partitions = set(w2.assignments()[-1])
    produce(kafka, names.input, [raw(d) for d in docs])
    kill_mid_stream(kafka, names, w2.proc, after=60, total=len(docs), read_committed=eos)
    out = collect(
        kafka, [names.quotes, names.status], until_complete(names, docs), timeout=120, read_committed=eos
    )
    # the survivor took over the dead worker's partitions
    assert w2_partitions <= set(w1.assignments()[-1]), w1.assignments()
    assert w1.stop() == 0
    check_quotes_complete(names, out, docs, allow_duplicates=not eos)


def test_fatal_config_exits_nonzero(kafka: Any, tmp_path: Path) -> None:
    names = Names(kafka)
    base = [sys.executable, "-m", "worker.cli", "run", "--bootstrap-servers", kafka.bootstrap_servers]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    missing_in = [*base, *names.args()[2:], "--input-topics", kafka.unique("nope"), "--metrics-port", "0"]
    res = subprocess.run(missing_in, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "input topic(s) missing" in res.stderr
    args = names.args()
    args[args.index("--quotes-topic") + 1] = kafka.unique("absent")
    res = subprocess.run(
        [*base, *args, "--metrics-port", "0"], cwd=REPO, env=env, capture_output=True, text=True, timeout=90
    )
    assert res.returncode == 2 and "does not exist" in res.stderr, res.stderr[-2000:]
    res = subprocess.run([*base, "--guarantee", "maybe"], cwd=REPO, env=env, capture_output=True, text=True)
    assert res.returncode == 2


def test_sasl_credentials(tmp_path: Path, workers: Any) -> None:
    """SASL PLAIN settings reach kafka-python: wrong password -> clear error and exit 2; right one
    works; the password never shows in the log."""
    from kafka_fixtures import KafkaCluster, localkafka

    port, cport, sasl_port = localkafka.free_port(), localkafka.free_port(), localkafka.free_port()
    host = "127.0.0.1"
    jaas = (
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        'username="admin" password="admin-pw" user_admin="admin-pw" user_worker="worker-pw-123";'
    )
    broker = localkafka.LocalKafka(
        data_dir=tmp_path / "kafka",
        port=port,
        controller_port=cport,
        die_with_parent=True,
        extra_properties={
            "listeners": f"PLAINTEXT://{host}:{port},SASL_PLAINTEXT://{host}:{sasl_port},CONTROLLER://{host}:{cport}",
            "advertised.listeners": f"PLAINTEXT://{host}:{port},SASL_PLAINTEXT://{host}:{sasl_port}",
            "listener.security.protocol.map": (
                "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT"
            ),
            "sasl.enabled.mechanisms": "PLAIN",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config": jaas,
        },
    )
    broker.start(timeout=120)
    try:
        plain = KafkaCluster(broker.bootstrap_servers)
        names = Names(plain)
        produce(plain, names.input, [raw(article(1))])
        sasl = [
            "--security-protocol",
            "SASL_PLAINTEXT",
            "--sasl-mechanism",
            "PLAIN",
            "--sasl-username",
            "worker",
        ]
        bad = workers(
            f"{host}:{sasl_port}",
            names,
            tmp_path / "bad.log",
            *sasl,
            env={"KAFKA_SASL_PASSWORD": "wrong-pw-456"},
        )
        assert bad.proc.wait(60) == 2, bad.log.read_text()[-2000:]
        text = bad.log.read_text()
        assert "authentication" in text.lower() and "wrong-pw-456" not in text
        good = workers(
            f"{host}:{sasl_port}",
            names,
            tmp_path / "good.log",
            *sasl,
            env={"KAFKA_SASL_PASSWORD": "worker-pw-123"},
        )
        out = collect(plain, [names.status], until_statuses(names, {"art-00001"}), timeout=60)
        assert status_ids(out[names.status]) == {"art-00001"}
        assert good.stop() == 0
        assert "worker-pw-123" not in good.log.read_text()
    finally:
        broker.stop(timeout=15)
