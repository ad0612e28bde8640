"""End-to-end throughput of the stream worker beside the extractor alone and a plain kafka-python
passthrough, on one broker, in one run.

    python bench/stream.py [--articles 3000] [--backend rules] [--processes N] [--bootstrap HOST:PORT]

All read the same articles; the Kafka runs read the same input topic (3 partitions, filled once before
any clock starts) in their own consumer group, with the same batch size (``max_poll_records``):

* extractor alone: ``records.process_batch`` over the same messages in this process, warm (extractor
  built and one warm-up pass before the clock), no Kafka: the ceiling of one extraction process;
  measured before and after the Kafka runs, the faster counts (both are printed);
* passthrough: poll a batch, send every message unchanged to one output topic, flush, commit;
* worker: ``StreamWorker`` (at-least-once, the rules backend by default), with 1 and with 2
  processes (or ``--processes N`` only): decode, validate, extract (in child processes), produce quote
  and status records, flush, commit.

Each Kafka clock starts when the group assigns the partitions and stops when the last input offset is
committed. For the worker it also prints where the consumer process's time went (the
``quote_worker_stage_seconds_total`` counters) and the extraction time summed over messages (in the
children), articles/s beside records/s, and the goal ratios.

Articles: the texts of the dev set (``--dev``; default ../shared/eval/dev.jsonl, or under
QUOTE_WORKER_SHARED: see tests/shared_data.py) read at run time (ids made unique per copy), or
generated sentences when that file is absent. Without ``--bootstrap`` (or
KAFKA_BOOTSTRAP_SERVERS) a local broker is started in a temporary directory (deploy/kafka).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import logging
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # shared_data: where ../shared is

from kafka import ConsumerRebalanceListener, KafkaConsumer, KafkaProducer  # noqa: E402
from kafka.admin import KafkaAdminClient, NewTopic  # noqa: E402
from shared_data import DEV, absent  # noqa: E402

from worker.commands.common import add_backend_args, extractor_factory  # noqa: E402
from worker.stream import metrics  # noqa: E402
from worker.stream.config import StreamConfig  # noqa: E402
from worker.stream.consumer import StreamWorker  # noqa: E402

GENERATED = (
    'قال الوزير أحمد سالم إن "الاقتصاد ينمو بنسبة {i} في المئة". وأضاف أن الحكومة ستدعم الشركات الصغيرة.',
    "أكدت المتحدثة باسم الشركة ليلى حداد أن الأرباح ارتفعت. وأضافت: «نحن متفائلون بالمستقبل».",
    "افتتح المعرض الدولي للكتاب أبوابه اليوم بمشاركة {i} دار نشر من عشرين دولة.",
)


def articles(n: int, dev: Path) -> tuple[list[bytes], str]:
    texts: list[str] = []
    source = "generated"
    if dev.exists():
        for line in dev.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = orjson.loads(line)
                if isinstance(doc.get("text"), str) and doc["text"].strip():
                    texts.append(doc["text"])
        source = f"{dev} ({len(texts)} texts, repeated)"
    else:
        print(f"note: {absent(dev)}; using generated articles", file=sys.stderr)
    if not texts:
        texts = [t.format(i=i) for i, t in enumerate(GENERATED)]
    out = [orjson.dumps({"id": f"bench-{i}", "text": texts[i % len(texts)]}) for i in range(n)]
    return out, source


def start_broker(tmp: Path) -> Any:
    path = REPO / "deploy" / "kafka" / "localkafka.py"
    spec = importlib.util.spec_from_file_location("localkafka", path)
    assert spec is not None and spec.loader is not None
    lk = importlib.util.module_from_spec(spec)
    sys.modules["localkafka"] = lk
    spec.loader.exec_module(lk)
    broker = lk.LocalKafka(
        data_dir=tmp / "kafka", port=lk.free_port(), controller_port=lk.free_port(), die_with_parent=True
    )
    broker.start(timeout=180)
    return broker


class _Clock(ConsumerRebalanceListener):
    def __init__(self) -> None:
        self.assigned_at: float | None = None

    def on_partitions_assigned(self, assigned: Any) -> None:
        if assigned and self.assigned_at is None:
            self.assigned_at = time.perf_counter()

    def on_partitions_revoked(self, revoked: Any) -> None:
        pass


def passthrough(bootstrap: str, topic: str, out_topic: str, n: int, batch: int) -> float:
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=f"bench-pass-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=batch,
    )
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    clock = _Clock()
    consumer.subscribe([topic], listener=clock)
    seen = 0
    try:
        while seen < n:
            records = consumer.poll(timeout_ms=200, max_records=batch)
            for recs in records.values():
                for r in recs:
                    producer.send(out_topic, value=r.value, key=r.key)
                    seen += 1
            if records:
                producer.flush()
                consumer.commit()
        end = time.perf_counter()
    finally:
        consumer.close(autocommit=False)
        producer.close()
    assert clock.assigned_at is not None
    return end - clock.assigned_at


def counter(metric: Any, *labels: str) -> float:
    value: float = (metric.labels(*labels) if labels else metric)._value.get()
    return value


STAGES = ("poll", "wait_extraction", "build_records", "send", "flush_commit")


def through_worker(
    bootstrap: str, topic: str, outs: list[str], n: int, batch: int, processes: int, args: argparse.Namespace
) -> dict[str, Any]:
    config = StreamConfig(
        bootstrap_servers=[bootstrap],
        input_topics=[topic],
        quotes_topic=outs[0],
        status_topic=outs[1],
        dead_letter_topic=outs[2],
        group_id=f"bench-worker-{uuid.uuid4().hex[:8]}",
        batch_size=batch,
        processes=processes,
        metrics_port=0,
        guarantee=args.guarantee,
        transactional_id=f"bench-{uuid.uuid4().hex[:8]}",
    )
    worker = StreamWorker(config, extractor_factory(args))
    assigned: list[float] = []
    on_assigned = worker.on_assigned

    def stamp(tps: list[Any]) -> None:
        if tps and not assigned:
            assigned.append(time.perf_counter())
        on_assigned(tps)

    worker.on_assigned = stamp  # type: ignore[method-assign]
    before = counter(metrics.CONSUMED, topic)
    quotes_before = counter(metrics.QUOTES)
    stages_before = {s: counter(metrics.STAGE_SECONDS, s) for s in STAGES}
    extraction_before = metrics.EXTRACTION_SECONDS._sum.get()
    thread = threading.Thread(target=worker.run, name="worker")
    thread.start()
    try:
        while counter(metrics.CONSUMED, topic) - before < n:
            if not thread.is_alive():
                raise RuntimeError("the worker stopped early")
            time.sleep(0.005)
        end = time.perf_counter()
    finally:
        worker.request_stop("bench done")
        thread.join()
    return {
        "seconds": end - assigned[0],
        "records": counter(metrics.QUOTES) - quotes_before + n,  # quotes + one status per article
        "stages": {s: counter(metrics.STAGE_SECONDS, s) - stages_before[s] for s in STAGES},
        "extraction": metrics.EXTRACTION_SECONDS._sum.get() - extraction_before,
    }


def extractor_alone(values: list[bytes], args: argparse.Namespace) -> tuple[float, int]:
    """The extraction core alone on the same messages, warm: seconds and records (quotes + statuses)."""
    from worker.records import process_batch

    extractor = extractor_factory(args)()
    process_batch(values[:50], extractor)  # warm-up: schema validator, lazy tables
    started = time.perf_counter()
    outcomes = process_batch(values, extractor)
    seconds = time.perf_counter() - started
    return seconds, sum(len(o.records) for o in outcomes) + len(values)


def argument_parser(doc: str | None) -> argparse.ArgumentParser:
    """The options every Kafka bench here takes (this one and bench/replay.py)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--dev", type=Path, default=DEV, help="article texts (default: %(default)s)")
    ap.add_argument("--batch-size", type=int, default=500)
    add_backend_args(ap)  # the worker's own --backend, --stanza-models, --lexicon
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS"))
    return ap


def fill_outputs(bootstrap: str, outputs: list[str]) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(t, 3, 1) for t in outputs])
    admin.close()


def fill_input(
    bootstrap: str, topic: str, outputs: list[str], values: list[bytes], what: str, args: Any
) -> None:
    """Create the input and output topics (3 partitions) and fill the input once, before any clock."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(t, 3, 1) for t in [topic, *outputs]])
    admin.close()
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    for v in values:
        producer.send(topic, v)
    producer.flush()
    producer.close()
    mb = sum(map(len, values)) / 1e6
    print(f"{what} ({mb:.1f} MB); batch {args.batch_size}")


def main() -> int:
    ap = argument_parser(__doc__)
    ap.add_argument("--guarantee", default="at-least-once", choices=("at-least-once", "exactly-once"))
    ap.set_defaults(processes=None)  # here: one worker run per process count, 1 and 2 unless given
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)

    values, source = articles(args.articles, args.dev)
    with contextlib.ExitStack() as stack:
        bootstrap = args.bootstrap
        if not bootstrap:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-kafka-")))
            print("starting a local broker ...", file=sys.stderr)
            broker = start_broker(tmp)
            stack.callback(broker.stop)
            bootstrap = broker.bootstrap_servers
        tag = uuid.uuid4().hex[:8]
        topic = f"bench-in-{tag}"
        pass_out = f"bench-pass-out-{tag}"
        outs = [f"bench-quotes-{tag}", f"bench-status-{tag}", f"bench-dlq-{tag}"]
        fill_input(bootstrap, topic, [pass_out], values, f"{args.articles} articles from {source}", args)

        n = args.articles
        # the extractor alone before and after the Kafka runs: the faster of the two is its ceiling (the
        # machine's load may change meanwhile; both are printed)
        core_first, core_records = extractor_alone(values, args)
        pass_s = passthrough(bootstrap, topic, pass_out, n, args.batch_size)
        runs = {}
        for procs in [args.processes] if args.processes else [1, 2]:
            outs_p = [f"{t}-p{procs}" for t in outs]
            fill_outputs(bootstrap, outs_p)
            runs[procs] = through_worker(bootstrap, topic, outs_p, n, args.batch_size, procs, args)
        core_last, _ = extractor_alone(values, args)
        core_s = min(core_first, core_last)
        core_rate, pass_rate = n / core_s, n / pass_s
        print(
            f"extractor alone: {core_rate:8.1f} articles/s {core_records / core_s:9.0f} records/s "
            f"(best of {core_first:.2f} s before and {core_last:.2f} s after the Kafka runs; warm, "
            f"one process, no Kafka; {core_records / n:.1f} records per article)"
        )
        print(f"passthrough:     {pass_rate:8.1f} articles/s {pass_rate:9.0f} records/s ({pass_s:.2f} s)")
        for procs, run in runs.items():
            secs = run["seconds"]
            print(
                f"worker x{procs}:       {n / secs:8.1f} articles/s {run['records'] / secs:9.0f} records/s "
                f"({secs:.2f} s; backend {args.backend}, {args.guarantee})"
            )
            parts = ", ".join(f"{k} {v:.2f}" for k, v in run["stages"].items())
            print(f"  consumer process, s: {parts}; extraction in children {run['extraction']:.2f} s")
        if 1 in runs:
            one = n / runs[1]["seconds"]
            print(f"goal: worker x1 / extractor alone = {one / core_rate:.2f} (>= 0.8)")
            print(
                f"goal: worker x1 records/s / passthrough records/s = "
                f"{runs[1]['records'] / runs[1]['seconds'] / pass_rate:.2f} (within 10%: >= 0.9)"
            )
            if 2 in runs:
                print(f"goal: worker x2 / worker x1 = {runs[1]['seconds'] / runs[2]['seconds']:.2f} (>= 1.6)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
