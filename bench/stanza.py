"""stanza throughput on the dev articles, with and without the candidate pre-filter, beside the rules
analyser. Run: ``python bench/stanza.py [--models DIR] [--dev FILE] [--threads N] [--repeat N]``.

Needs stanza and a model set (default ../shared/models/stanza-ar-small) and ../shared/eval/dev.jsonl
(both under QUOTE_WORKER_SHARED where it is set: see tests/shared_data.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# this file is named stanza.py: keep its folder off the path so `import stanza` finds the library
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # shared_data: where ../shared is

from shared_data import DEV, SMALL_MODEL, absent  # noqa: E402

from worker.nlp.candidates import candidate_regions  # noqa: E402
from worker.nlp.rules_backend import RulesAnalyser  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default=str(SMALL_MODEL), help="stanza models (default: %(default)s)")
    ap.add_argument("--dev", default=str(DEV), help="articles to parse (default: %(default)s)")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: 1)")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the dev set per measurement")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    ap.add_argument("--batch", type=int, default=16, help="articles per parse_many call")
    args = ap.parse_args()

    dev = Path(args.dev)
    if not dev.exists():
        print(f"skip: {absent(dev)}", file=sys.stderr)
        return 0
    texts = [
        json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if args.limit:
        texts = texts[: args.limit]
    n_chars = sum(map(len, texts))

    t0 = time.perf_counter()
    regions = [candidate_regions(t) for t in texts]
    prefilter_s = time.perf_counter() - t0
    kept = sum(e - s for rs in regions for s, e in rs)
    print(f"{len(texts)} articles, {n_chars} characters")
    print(
        f"pre-filter: {prefilter_s * 1000:.1f} ms for all, keeps {sum(map(len, regions))} regions, "
        f"{kept / n_chars:.1%} of the text"
    )

    rules = RulesAnalyser()
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        n_rules = sum(len(rules.parse(t, [(0, len(t))])) for t in texts)
    rules_s = (time.perf_counter() - t0) / args.repeat

    try:
        from worker.nlp.stanza_backend import StanzaModelsMissing, StanzaParser
    except ImportError:
        print("stanza not installed: rules only")
        return 0
    t0 = time.perf_counter()
    try:
        parser = StanzaParser(args.models, threads=args.threads)
    except StanzaModelsMissing as e:
        print(f"skip stanza: {e}")
        return 0
    load_s = time.perf_counter() - t0
    print(f"stanza load: {load_s:.1f} s ({args.models}, {parser.threads} threads)")
    parser.parse("وقال الرئيس إن الفكرة صحيحة.", [(0, 28)])  # warm-up

    def run(items: list[tuple[str, list[tuple[int, int]]]]) -> tuple[float, int, int]:
        t = time.perf_counter()
        n_s = n_w = 0
        for _ in range(args.repeat):
            for k in range(0, len(items), args.batch):
                for sents in parser.parse_many(items[k : k + args.batch]):
                    n_s += len(sents)
                    n_w += sum(len(s.words) for s in sents)
        return (time.perf_counter() - t) / args.repeat, n_s // args.repeat, n_w // args.repeat

    full_s, full_sents, full_words = run([(t, [(0, len(t))]) for t in texts])
    cand_s, cand_sents, cand_words = run(list(zip(texts, regions, strict=True)))
    cand_s += prefilter_s

    n = len(texts)
    rows = [
        ("stanza, whole text", full_s, full_sents, full_words),
        ("stanza, candidates", cand_s, cand_sents, cand_words),
        ("rules analyser", rules_s, n_rules, 0),
    ]
    print(f"{'':22s} {'seconds':>8s} {'articles/s':>11s} {'sentences':>10s} {'sent/s':>8s} {'words/s':>8s}")
    for name, s, ns, nw in rows:
        print(f"{name:22s} {s:8.2f} {n / s:11.1f} {ns:10d} {ns / s:8.1f} {(nw / s if nw else 0):8.0f}")
    print(f"pre-filter speed-up (articles/s, candidates vs whole text): {full_s / cand_s:.2f}x")
    print(f"rules analyser vs stanza on candidates: {cand_s / rules_s:.0f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
