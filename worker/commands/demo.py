"""``quote-worker demo``: the whole pipeline on a local broker, end to end, in one command.

It publishes the sample articles to the input topic, starts a real ``quote-worker run`` as a separate
process (its own consumer group, so a second demo reprocesses everything), waits until the status topic
has a record for every article it sent, stops the worker with SIGTERM (a clean shutdown) and prints the
speaker-quote records that came out. The broker and topics come first: ``kafka-local up`` and
``quote-worker topics create`` (``make demo`` runs all of it, then loads the quotes into a SQLite
quote store with ``quote-worker store --until-caught-up``).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import uuid
from typing import Any

import orjson

from worker import topics
from worker.commands.common import lexicon_folder
from worker.serve import DEFAULT_SAMPLES  # package data: found in an installed package too

DESCRIPTION = """\
Publish the sample articles to the input topic, run a real worker on them (its own consumer group,
so a second demo processes everything again), wait until every article has its status record, stop
the worker cleanly and print the quotes that came out. The broker and the topics come first:
kafka-local up, then quote-worker topics create (make demo runs all of it, then loads the quotes into
a SQLite quote store).
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "demo",
        help="stream the sample articles through a worker on a local broker and print the quotes",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "articles", nargs="?", default=str(DEFAULT_SAMPLES), help="JSON-lines articles (default: samples)"
    )
    p.add_argument(
        "--bootstrap-servers",
        default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
        help="Kafka brokers (env KAFKA_BOOTSTRAP_SERVERS; default: %(default)s)",
    )
    p.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for the worker (default: 120)"
    )
    p.add_argument("--backend", default="rules", choices=("rules", "stanza", "auto"))
    p.add_argument(
        "--lexicon", type=lexicon_folder, metavar="DIR", help="lexicon folder (default: the shipped one)"
    )
    p.set_defaults(func=run)


def _read_articles(path: str) -> list[dict[str, Any]]:
    with open(path, "rb") as fh:
        return [orjson.loads(line) for line in fh if line.strip()]


def run(args: argparse.Namespace) -> int:
    from kafka import KafkaConsumer, KafkaProducer
    from kafka.errors import KafkaError

    articles = _read_articles(args.articles)
    wanted = {a["id"] for a in articles}
    try:
        producer = KafkaProducer(bootstrap_servers=args.bootstrap_servers, acks="all")
    except KafkaError as exc:
        print(
            f"demo: no Kafka broker at {args.bootstrap_servers} ({exc}); start one with "
            "`.venv/bin/python deploy/kafka/kafka-local up` (`make demo` does)",
            file=sys.stderr,
        )
        return 2
    consumers = {
        name: KafkaConsumer(
            name,
            bootstrap_servers=args.bootstrap_servers,
            auto_offset_reset="latest",
            enable_auto_commit=False,
        )
        for name in (topics.STATUS.name, topics.QUOTES.name)
    }
    for consumer in consumers.values():  # fix positions at the current end before anything is sent
        while not consumer.assignment():
            consumer.poll(timeout_ms=200)
        for partition in consumer.assignment():
            consumer.position(partition)
    for article in articles:
        producer.send(topics.ARTICLES.name, key=article["id"].encode(), value=orjson.dumps(article))
    producer.flush()
    producer.close()
    print(f"demo: sent {len(articles)} articles to '{topics.ARTICLES.name}'", file=sys.stderr)

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "worker.cli",
            "run",
            "--bootstrap-servers",
            args.bootstrap_servers,
            "--group-id",
            f"quote-worker-demo-{uuid.uuid4().hex[:8]}",
            "--auto-offset-reset",
            "earliest",
            "--backend",
            args.backend,
            *(("--lexicon", args.lexicon) if args.lexicon else ()),
            "--metrics-port",
            "0",
            "--log-format",
            "text",
            "--log-level",
            "WARNING",
        ],
    )
    seen: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + args.timeout
    try:
        while wanted - seen.keys() and time.monotonic() < deadline and worker.poll() is None:
            for batch in consumers[topics.STATUS.name].poll(timeout_ms=500).values():
                for message in batch:
                    status = orjson.loads(message.value)
                    if status.get("article_id") in wanted:
                        seen[status["article_id"]] = status
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    quotes: list[dict[str, Any]] = []
    while True:  # everything the worker produced is flushed before its status records: drain it
        polled = consumers[topics.QUOTES.name].poll(timeout_ms=1000)
        if not polled:
            break
        quotes.extend(orjson.loads(m.value) for batch in polled.values() for m in batch)
    for consumer in consumers.values():
        consumer.close()

    # A second demo's worker (a fresh group) processes the first demo's articles again: the same
    # quote_id, as on the compacted topic, counts once.
    quotes = list({q["quote_id"]: q for q in quotes if q["article_id"] in wanted}.values())
    for record in quotes:
        sp = record["speaker"]
        who = sp["name"] or sp["mention"] or "?"
        print(
            f"{record['article_id']}  [{record['type']}] {who} ({record['cue']['text']}): «{record['text']}»"
        )
    dead = sorted(a for a, s in seen.items() if s["status"] != "ok")
    missing = sorted(wanted - seen.keys())
    print(
        f"demo: {len(seen)}/{len(wanted)} articles processed, {len(quotes)} quotes, "
        f"{len(dead)} dead-lettered{', missing: ' + ', '.join(missing) if missing else ''}",
        file=sys.stderr,
    )
    return 1 if missing else 0
