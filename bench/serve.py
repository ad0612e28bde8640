#!/usr/bin/env python3
"""What the HTTP API costs over the extraction it serves, measured side by side in one run.

    python bench/serve.py [--rounds 7] [--backend rules] [--json]

Texts: the project's samples (samples/articles.jsonl). A real uvicorn server with the
``quote-worker serve`` app runs in a thread on a free port; alternating within every round (median
over the rounds):
- pipeline: ``process_message(raw)`` on every article message, in process;
- http: ``POST /v1/extract`` of every message over one kept-alive connection, answer read and decoded.
The ratio says how many times the HTTP round trip costs the extraction alone.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from pathlib import Path

import orjson
import uvicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from worker.extractor import BACKENDS, Extractor  # noqa: E402
from worker.records import process_message  # noqa: E402
from worker.serve.app import create_app  # noqa: E402

SAMPLES = ROOT / "samples" / "articles.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--loops", type=int, default=10, help="passes over the samples per round")
    parser.add_argument("--backend", choices=BACKENDS, default="rules")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    messages = [line for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    extractor = Extractor(args.backend)
    # As `quote-worker serve` runs it (uvicorn binds the address), on any free port.
    config = uvicorn.Config(
        create_app(extractor), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def pipeline() -> None:
        for raw in messages:
            process_message(raw, extractor)

    def over_http() -> None:
        for raw in messages:
            conn.request("POST", "/v1/extract", raw, {"Content-Type": "application/json"})
            answer = conn.getresponse()
            body = answer.read()
            assert answer.status == 200, body
            orjson.loads(body)

    runs: dict[str, list[float]] = {"pipeline": [], "http": []}
    for fn in (pipeline, over_http):  # warm-up
        fn()
    for _ in range(args.rounds):
        for name, fn in (("pipeline", pipeline), ("http", over_http)):
            started = time.perf_counter()
            for _ in range(args.loops):
                fn()
            per_article = (time.perf_counter() - started) / (args.loops * len(messages))
            runs[name].append(per_article)
    conn.close()
    server.should_exit = True
    thread.join(10)

    ms = {name: statistics.median(times) * 1000 for name, times in runs.items()}
    result = {
        "articles": len(messages),
        "backend": extractor.backend_name,
        "ms_per_article": {k: round(v, 3) for k, v in ms.items()},
        "http_over_pipeline": round(ms["http"] / ms["pipeline"], 2),
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(
        f"samples: {len(messages)} articles, backend {extractor.backend_name}, median of {args.rounds} rounds"
    )
    print(f"pipeline (process_message) {ms['pipeline']:.3f} ms/article")
    ratio = result["http_over_pipeline"]
    print(f"http (POST /v1/extract)    {ms['http']:.3f} ms/article   {ratio:.2f}x the pipeline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
