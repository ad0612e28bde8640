"""The stream worker with the stanza backend (issue 6): a real ``quote-worker run --backend stanza`` on
the small offline model, against the real broker; its records match the same extractor run offline."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from shared_data import SMALL_MODEL, needs

pytestmark = [pytest.mark.integration, pytest.mark.stanza]

REPO = Path(__file__).resolve().parent.parent

ARTICLES = [
    {"id": "stz-1", "text": 'وقال الرئيس الروسي فلاديمير بوتين إن "الفكرة صحيحة". وأضاف أن الحوار مستمر.'},
    {"id": "stz-2", "text": "أكدت وزيرة الصحة هالة منصور أن الوضع تحت السيطرة.", "title": "منصور: لا إغلاق"},
    {"id": "stz-3", "text": "افتتح المعرض أبوابه اليوم بمشاركة مئة دار نشر."},
]


@needs(SMALL_MODEL)
@pytest.mark.timeout(400)
def test_worker_runs_with_the_stanza_backend(kafka: Any, tmp_path: Path) -> None:
    pytest.importorskip("stanza", reason="stanza is not installed (pip install '.[stanza]')")
    from worker.extractor import Extractor
    from worker.records import process_batch

    names = {role: kafka.unique(role) for role in ("articles", "quotes", "status", "dlq")}
    kafka.create_topics(list(names.values()), partitions=1)
    producer = kafka.producer()
    for doc in ARTICLES:
        producer.send(names["articles"], key=doc["id"].encode(), value=orjson.dumps(doc))
    producer.flush()
    producer.close()

    env = {**os.environ, "QUOTE_WORKER_TORCH_THREADS": "1"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "worker.cli",
            "run",
            "--bootstrap-servers",
            kafka.bootstrap_servers,
            "--input-topics",
            names["articles"],
            "--quotes-topic",
            names["quotes"],
            "--status-topic",
            names["status"],
            "--dead-letter-topic",
            names["dlq"],
            "--group-id",
            kafka.unique("group"),
            "--auto-offset-reset",
            "earliest",
            "--metrics-port",
            "0",
            "--backend",
            "stanza",
            "--stanza-models",
            str(SMALL_MODEL),
            "--log-format",
            "text",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    statuses: dict[str, dict[str, Any]] = {}
    consumer = kafka.consumer(names["status"])
    deadline = time.monotonic() + 300
    try:
        while len(statuses) < len(ARTICLES) and time.monotonic() < deadline and worker.poll() is None:
            for batch in consumer.poll(timeout_ms=1000).values():
                for message in batch:
                    status = orjson.loads(message.value)
                    statuses[status["article_id"]] = status
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=120)[0].decode(errors="replace")
        consumer.close()
    assert len(statuses) == len(ARTICLES), output[-3000:]
    assert all(s["status"] == "ok" and s["extractor"]["backend"] == "stanza" for s in statuses.values())

    quote_consumer = kafka.consumer(names["quotes"])
    quotes = [orjson.loads(m.value) for m in quote_consumer]
    quote_consumer.close()
    expected = [
        r
        for o in process_batch(
            [orjson.dumps(d) for d in ARTICLES], Extractor("stanza", stanza_models=str(SMALL_MODEL))
        )
        for r in o.records
    ]
    assert sorted(quotes, key=lambda r: r["quote_id"]) == sorted(expected, key=lambda r: r["quote_id"])
    assert {q["speaker"]["name"] for q in quotes} >= {"فلاديمير بوتين", "هالة منصور"}
    by_id = {d["id"]: d for d in ARTICLES}
    for q in quotes:
        start, end = q["span"]
        assert by_id[q["article_id"]][q["field"]][start:end] == q["text"]
