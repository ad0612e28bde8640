"""Replay rate beside the live worker's rate, on the same messages and broker, in one run.

    python bench/replay.py [--articles 3000] [--backend rules] [--processes 1] [--bootstrap HOST:PORT]

One input topic (3 partitions) is filled once; then

* worker: ``StreamWorker`` (at-least-once) in its own consumer group, clock from partition assignment
  to the last input message committed (``bench/stream.py``'s measurement);
* replay to topics: ``quote-worker replay`` (library) into backfill topics, clock from assignment to
  the end offsets reached and everything flushed (the summary's elapsed time);
* replay to a file: the same into a JSON-lines file (fsync per batch).

Articles: the texts of the dev set (``--dev``, default ../shared/eval/dev.jsonl) read at run time, or
generated sentences (see bench/stream.py). Without ``--bootstrap`` (or KAFKA_BOOTSTRAP_SERVERS) a local
broker is started.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import logging
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


from worker.commands.common import extractor_factory  # noqa: E402
from worker.replay import Replay, ReplayOptions  # noqa: E402
from worker.stream.config import StreamConfig  # noqa: E402


def _stream_bench() -> Any:
    """bench/stream.py as a module: its article source, broker start-up and worker measurement."""
    spec = importlib.util.spec_from_file_location("bench_stream", REPO / "bench" / "stream.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def replay_rate(bootstrap: str, topic: str, args: argparse.Namespace, **output: Any) -> tuple[float, int]:
    config = StreamConfig(
        bootstrap_servers=[bootstrap], batch_size=args.batch_size, processes=args.processes, metrics_port=0
    )
    opts = ReplayOptions(topics=[topic], progress="none", **output)
    summary = Replay(opts, config, extractor_factory(args)).run()
    assert summary.complete and summary.articles == args.articles, summary
    return summary.rate, summary.quotes


def main() -> int:
    sb = _stream_bench()
    args = sb.argument_parser(__doc__).parse_args()
    args.guarantee = "at-least-once"
    logging.basicConfig(level=logging.WARNING)

    values, source = sb.articles(args.articles, args.dev)
    with contextlib.ExitStack() as stack:
        bootstrap = args.bootstrap
        if not bootstrap:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-kafka-")))
            print("starting a local broker ...", file=sys.stderr)
            broker = sb.start_broker(tmp)
            stack.callback(broker.stop)
            bootstrap = broker.bootstrap_servers
        tag = uuid.uuid4().hex[:8]
        topic = f"bench-in-{tag}"
        worker_outs = [f"bench-quotes-{tag}", f"bench-status-{tag}", f"bench-dlq-{tag}"]
        replay_out = f"bench-backfill-{tag}"
        replay_outs = [replay_out, f"{replay_out}.status", f"{replay_out}.dlq"]
        sb.fill_input(
            bootstrap,
            topic,
            [*worker_outs, *replay_outs],
            values,
            f"{args.articles} articles from {source}",
            args,
        )

        work_s = sb.through_worker(bootstrap, topic, worker_outs, args.articles, args.batch_size, args)
        work_rate = args.articles / work_s
        topic_rate, quotes = replay_rate(bootstrap, topic, args, output_topic=replay_out)
        out_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-replay-")))
        file_rate, _ = replay_rate(bootstrap, topic, args, output_file=out_dir / "backfill.jsonl")
        detail = f"backend {args.backend}, processes {args.processes}"
        print(f"worker:          {work_rate:9.1f} articles/s ({work_s:.2f} s; {detail}, at-least-once)")
        print(f"replay to topic: {topic_rate:9.1f} articles/s ({quotes} quotes)")
        print(f"replay to file:  {file_rate:9.1f} articles/s")
        print(f"ratio replay(topic)/worker: {topic_rate / work_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
