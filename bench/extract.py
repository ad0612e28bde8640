#!/usr/bin/env python3
"""Articles per second of the extractor, beside a floor measured in the same run.

    python bench/extract.py [--rounds 7] [--backend rules] [--dev PATH] [--json]

Texts: the dev articles (``--dev``; default ../shared/eval/dev.jsonl, or under QUOTE_WORKER_SHARED: see
tests/shared_data.py), read at run time, never copied into the repository; when they are absent, the
project's samples (samples/articles.jsonl), with a note.

Measured side by side, alternating within every round (median over the rounds):
- extractor: ``Extractor(backend).extract(text)`` on every text;
- pipeline: ``process_message(raw)`` on every article message (decode, validate, extract, build records);
- floor: one ``orjson.loads`` of the message plus one regex pass over its text, the least any
  worker must do per article.
The ratio says how many times slower than the floor each path is.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
sys.path.insert(0, str(ROOT / "tests"))  # shared_data: where ../shared is

from shared_data import DEV  # noqa: E402

from worker.extractor import BACKENDS, Extractor  # noqa: E402
from worker.records import process_message  # noqa: E402

SAMPLES = ROOT / "samples" / "articles.jsonl"
# The floor's single pass: quote marks, colons and the commonest cue stems, as a cheap pre-filter would.
FLOOR_PATTERN = re.compile(r"[\"«»“”:]|قال|أكد|أضاف|أن|إن")
MIN_ROUND_S = 0.2


def load_messages(dev: Path) -> tuple[list[bytes], str]:
    """Article messages (id and text only) and a note on where they came from."""
    if dev.exists():
        path, note = dev, f"dev set {dev} "
    else:
        path = SAMPLES
        note = f"NOTE: {dev} not found; using the project's samples {SAMPLES.relative_to(ROOT)} "
    messages = []
    for line in path.read_bytes().splitlines():
        if line.strip():
            doc = orjson.loads(line)
            messages.append(orjson.dumps({"id": str(doc["id"]), "text": doc["text"]}))
    return messages, note + f"({len(messages)} articles)"


def timed(fn: Callable[[], object], loops: int) -> float:
    started = time.perf_counter()
    for _ in range(loops):
        fn()
    return time.perf_counter() - started


def calibrate(fn: Callable[[], object]) -> int:
    """Loops over the whole set so that one measurement takes at least MIN_ROUND_S."""
    once = max(timed(fn, 1), 1e-6)
    return max(1, int(MIN_ROUND_S / once) + 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7, help="measurement rounds (median; default %(default)s)")
    ap.add_argument("--backend", choices=BACKENDS, default="rules")
    ap.add_argument("--stanza-models", default=None, metavar="DIR")
    ap.add_argument("--dev", type=Path, default=DEV, help="gold/dev JSON lines to take texts from")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    messages, note = load_messages(args.dev)
    texts = [orjson.loads(m)["text"] for m in messages]
    n = len(messages)
    built = time.perf_counter()
    extractor = Extractor(args.backend, stanza_models=args.stanza_models)
    build_s = time.perf_counter() - built

    def run_extractor() -> None:
        for text in texts:
            extractor.extract(text)

    def run_pipeline() -> None:
        for raw in messages:
            process_message(raw, extractor)

    def run_floor() -> None:
        for raw in messages:
            FLOOR_PATTERN.findall(orjson.loads(raw)["text"])

    paths = {"extractor": run_extractor, "pipeline": run_pipeline, "floor": run_floor}
    loops = {name: calibrate(fn) for name, fn in paths.items()}  # also the warm-up
    rates: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(max(1, args.rounds)):
        for name, fn in paths.items():
            rates[name].append(n * loops[name] / timed(fn, loops[name]))
    median = {name: statistics.median(r) for name, r in rates.items()}
    floor = median["floor"]
    result = {
        "texts": note,
        "articles": n,
        "characters": sum(map(len, texts)),
        "backend": extractor.backend_name,
        "build_seconds": round(build_s, 3),
        "rounds": max(1, args.rounds),
        "articles_per_second": {k: round(v, 1) for k, v in median.items()},
        "floor_over": {k: round(floor / v, 1) for k, v in median.items() if k != "floor"},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"texts: {note}, {result['characters']} characters; backend {result['backend']}")
    print(f"extractor built in {build_s:.3f} s; {result['rounds']} rounds, median articles/s:")
    for name in paths:
        spread = f"(min {min(rates[name]):,.0f}, max {max(rates[name]):,.0f})"
        ratio = "" if name == "floor" else f"  floor is {floor / median[name]:,.1f}x faster"
        print(f"  {name:9} {median[name]:>12,.1f} articles/s {spread}{ratio}")
    print("floor = one orjson parse of the message + one regex pass over its text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
