#!/usr/bin/env python3
"""What loading the lexicon costs, beside what extracting costs, measured in the same run.

    python bench/lexicon.py [--rounds 7] [--lexicon DIR] [--dev PATH] [--corpus FILE --articles N] [--json]

Measured (median over the rounds, each a fresh read of the folder, no cache):
- load: ``Lexicon(DIR)``, every file read and every derived table built (the process start-up cost;
  the issue asks for under 1 s);
- base only: the same without the mined statistics;
- extract dev: ``Extractor("rules").extract`` over every dev text (samples when the dev set is absent),
  so the load reads as a number of dev passes.
With ``--corpus``, also the builder's mining rate over the first ``--articles`` articles of that file
(the whole-corpus build time is that rate times the corpus size; ``make lexicon`` measures it whole).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from bench.extract import DEV, load_messages  # noqa: E402
from worker.extractor import Extractor  # noqa: E402
from worker.lexicon import DEFAULT_DIR, Lexicon  # noqa: E402


def median_s(fn: Callable[[], object], rounds: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--lexicon", type=Path, default=DEFAULT_DIR, metavar="DIR")
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--corpus", type=Path, default=None, metavar="FILE", help="article messages to mine")
    ap.add_argument("--articles", type=int, default=3000, help="how many of --corpus to mine")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rounds = max(1, args.rounds)

    messages, note = load_messages(args.dev)
    texts = [orjson.loads(m)["text"] for m in messages]
    extractor = Extractor("rules", lexicon=args.lexicon)
    extractor.extract(texts[0])  # warm-up

    def extract_all() -> None:
        for text in texts:
            extractor.extract(text)

    load, load_all = median_s(lambda: Lexicon(args.lexicon), rounds)
    base, _ = median_s(lambda: Lexicon(args.lexicon, mined=False), rounds)
    extract, _ = median_s(extract_all, rounds)
    result: dict[str, object] = {
        "lexicon": str(args.lexicon),
        "texts": note,
        "rounds": rounds,
        "load_seconds": round(load, 4),
        "load_max_seconds": round(max(load_all), 4),
        "base_only_seconds": round(base, 4),
        "extract_dev_seconds": round(extract, 4),
        "load_in_dev_passes": round(load / extract, 2),
    }
    if args.corpus is not None:
        from worker.lexicon_build.mine import mine
        from worker.lexicon_build.sources import read_file

        sample = list(islice(read_file(args.corpus), args.articles))
        started = time.perf_counter()
        mine(sample, Lexicon(args.lexicon, mined=False))
        mined_s = time.perf_counter() - started
        result["mine_articles"] = len(sample)
        result["mine_articles_per_second"] = round(len(sample) / mined_s, 1)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"lexicon {args.lexicon}; texts: {note}; {rounds} rounds, medians:")
    print(f"  load (all files, derived tables)  {load * 1000:8.1f} ms (max {max(load_all) * 1000:.1f} ms)")
    print(f"  load, base lists only              {base * 1000:8.1f} ms")
    print(f"  extract every dev text (rules)     {extract * 1000:8.1f} ms")
    print(f"  loading costs {load / extract:.2f} dev passes")
    if "mine_articles" in result:
        rate, n = result["mine_articles_per_second"], result["mine_articles"]
        print(f"  mining: {rate} articles/s over {n} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
