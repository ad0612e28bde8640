"""``quote-worker store`` against a real broker, into SQLite and a real PostgreSQL (issue 17, "Must
show"): kill -9 during a live feed, then a restart: every quote of every article exactly once, read
exactly once (the restart resumes from the database's offsets); a replay of the topics changes no row;
a re-extracted article's stale quotes are gone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from store_feed import article, produce, worker_output
from store_fixtures import database_url, postgres  # noqa: F401  (fixtures)

from worker.store.database import open_database
from worker.store.ingest import stored_offsets

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
BOOT = "import sys; from worker.cli import main; sys.exit(main(sys.argv[1:]))"
PARTITIONS = 3


def store_command(url: str, bootstrap: str, quotes: str, status: str, *extra: str) -> list[str]:
    return [
        sys.executable, "-c", BOOT, "store", "--database", url, "--bootstrap-servers", bootstrap,
        "--quotes-topic", quotes, "--status-topic", status, "--batch-size", "10", "--metrics-port", "0",
        "--log-format", "json", *extra,
    ]  # fmt: skip


def run_store(cmd: list[str], timeout: float = 180) -> list[dict[str, Any]]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return [json.loads(line) for line in done.stderr.decode().splitlines() if line.startswith("{")]


def records_read(logs: list[dict[str, Any]]) -> int:
    return next(int(entry["records_read"]) for entry in logs if entry.get("msg") == "stopped")


def current_quotes(url: str) -> dict[str, list[str]]:
    with open_database(url) as db:
        out: dict[str, list[str]] = {}
        for aid, qid in db.query(
            "SELECT article_id, quote_id FROM quotes WHERE current = 1 ORDER BY article_id, position"
        ):
            out.setdefault(aid, []).append(qid)
        return out


def table_rows(url: str) -> dict[str, list[Any]]:
    with open_database(url) as db:
        return {
            t: sorted(db.query(f"SELECT * FROM {t}"), key=repr)
            for t in ("articles", "quotes", "speaker_names", "name_variants", "store_offsets")
        }


def offsets_read(url: str) -> int:
    try:
        with open_database(url) as db:
            if not db.scalar("SELECT count(*) FROM store_schema"):
                return 0
            return sum(stored_offsets(db).values())
    except Exception:  # not created yet
        return 0


def test_kill_9_restart_replay_and_reextraction(kafka: Any, database_url: str) -> None:  # noqa: F811
    quotes, status = kafka.create_topics(
        [kafka.unique("quotes"), kafka.unique("status")], partitions=PARTITIONS
    )
    docs = [article(i, prefix="live") for i in range(150)]
    # The feed ends with re-extractions: new words for 10 articles, no quotes left in 5 others.
    again = [article(i, version=2, prefix="live") for i in range(0, 40, 4)]
    again += [article(i, version=0, prefix="live") for i in range(1, 50, 10)]
    records = worker_output(docs, quotes, status) + worker_output(again, quotes, status)
    total = len(records)
    expected: dict[str, list[str]] = {}
    for r in worker_output(docs, quotes, status) + worker_output(again, quotes, status):
        doc = orjson.loads(r.value)
        if r.topic == status and doc["status"] == "ok":
            expected[doc["article_id"]] = doc["quote_ids"]
    expected = {aid: ids for aid, ids in expected.items() if ids}

    producer = kafka.producer()
    fed = threading.Event()

    def feed() -> None:  # a live feed: the store reads while records keep coming
        for i in range(0, total, 25):
            produce(producer, records[i : i + 25], PARTITIONS)
            producer.flush()
            time.sleep(0.05)
        fed.set()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    cmd = store_command(database_url, kafka.bootstrap_servers, quotes, status)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 120
        while offsets_read(database_url) < total // 4:
            assert proc.poll() is None, proc.stderr.read().decode()[-3000:] if proc.stderr else ""
            assert time.monotonic() < deadline, "the store stored nothing"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # mid-stream: no clean shutdown
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stderr:
            proc.stderr.close()
    at_kill = offsets_read(database_url)
    assert 0 < at_kill < total
    assert fed.wait(120)
    feeder.join()
    producer.close()

    logs = run_store([*cmd, "--until-caught-up"])
    assert at_kill + records_read(logs) == total  # resumed from the database's offsets: read once
    assert current_quotes(database_url) == expected
    assert offsets_read(database_url) == total
    rows = table_rows(database_url)
    ids = [row[0] for row in rows["quotes"]]
    assert len(ids) == len(set(ids))

    # A replay of both topics from their start changes nothing.
    with open_database(database_url) as db, db.transaction():
        db.execute("DELETE FROM store_offsets")
    logs = run_store([*cmd, "--until-caught-up"])
    assert records_read(logs) == total
    assert table_rows(database_url) == rows


def test_missing_topic_and_bad_database_are_usage_errors(kafka: Any, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    url = f"sqlite:///{tmp_path / 'q.db'}"
    cmd = store_command(url, kafka.bootstrap_servers, kafka.unique("absent"), kafka.unique("absent"))
    done = subprocess.run(cmd, capture_output=True, timeout=120, env=env, cwd=REPO)
    assert done.returncode == 2 and b"does not exist" in done.stderr
    cmd = store_command(f"sqlite:///{tmp_path / 'no' / 'q.db'}", kafka.bootstrap_servers, "q", "s")
    done = subprocess.run(cmd, capture_output=True, timeout=60, env=env, cwd=REPO)
    assert done.returncode == 2 and b"does not exist" in done.stderr
    cmd = store_command("mysql://x", kafka.bootstrap_servers, "q", "s")
    done = subprocess.run(cmd, capture_output=True, timeout=60, env=env, cwd=REPO)
    assert done.returncode == 2 and b"unknown database URL" in done.stderr


def test_a_real_worker_feeds_the_store(kafka: Any, tmp_path: Path) -> None:
    """`quote-worker run` publishes, `quote-worker store` stores: every record the worker published is
    a current row, with the article's metadata from the input message."""
    names = {t: kafka.unique(t) for t in ("articles", "quotes", "status", "dlq")}
    kafka.create_topics(list(names.values()), partitions=2)
    docs = [article(i, prefix="real") for i in range(12)]
    producer = kafka.producer()
    for doc in docs:
        producer.send(names["articles"], key=doc["id"].encode(), value=orjson.dumps(doc))
    producer.send(names["articles"], value=b"not json")  # dead-lettered: a status without an article
    producer.flush()
    producer.close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    worker = subprocess.Popen(
        [sys.executable, "-c", BOOT, "run", "--bootstrap-servers", kafka.bootstrap_servers,
         "--input-topics", names["articles"], "--quotes-topic", names["quotes"], "--status-topic",
         names["status"], "--dead-letter-topic", names["dlq"], "--group-id", kafka.unique("group"),
         "--metrics-port", "0", "--poll-timeout-ms", "100"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        published = kafka.collect(
            [names["status"]], lambda out: len(out[names["status"]]) >= len(docs) + 1, 120
        )
        assert len(published[names["status"]]) >= len(docs) + 1
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
    expected = sum(orjson.loads(r.value)["quote_count"] for r in published[names["status"]])
    quotes = kafka.collect([names["quotes"]], lambda out: len(out[names["quotes"]]) >= expected, 120)[
        names["quotes"]
    ]
    url = f"sqlite:///{tmp_path / 'quotes.db'}"
    run_store(
        [*store_command(url, kafka.bootstrap_servers, names["quotes"], names["status"]), "--until-caught-up"]
    )
    with open_database(url) as db:
        rows = dict(db.query("SELECT quote_id, record FROM quotes WHERE current = 1"))
        meta = db.query("SELECT article_id, source, url, published_at FROM articles WHERE status = 'ok'")
    assert {q.key.decode(): orjson.loads(q.value) for q in quotes} == {
        k: orjson.loads(v) for k, v in rows.items()
    }
    assert len(rows) == 2 * len(docs)
    by_id = {d["id"]: d for d in docs}
    assert len(meta) == len(docs)
    for aid, source, link, published_at in meta:
        assert (source, link) == (by_id[aid]["source"], by_id[aid]["url"]) and published_at.endswith("Z")
    # With --article-texts the store also reads the worker's input topic: each article's title and
    # text, which editors' corrections point into (the record that is not JSON is skipped).
    with_texts = f"sqlite:///{tmp_path / 'texts.db'}"
    logs = run_store(
        [
            *store_command(with_texts, kafka.bootstrap_servers, names["quotes"], names["status"]),
            "--article-texts",
            "--input-topics",
            names["articles"],
            "--until-caught-up",
        ]
    )
    assert records_read(logs) == len(quotes) + len(published[names["status"]]) + len(docs) + 1
    with open_database(with_texts) as db:
        texts = {aid: (title, text) for aid, title, text in db.query("SELECT * FROM article_texts")}
        assert db.scalar("SELECT count(*) FROM quotes WHERE current = 1") == len(rows)
    assert texts == {d["id"]: (d["title"], d["text"]) for d in docs}
