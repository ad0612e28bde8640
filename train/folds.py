"""The dev set split by article into five folds (fixed seed), and the figures of each fold.

Rules written from errors are checked on a fold they were not written on; learned components are
trained on four folds and scored on the fifth (cross-validation by article).

    python train/folds.py [--gold ../shared/eval/dev.jsonl] [--backend rules|stanza]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # shared_data: where ../shared is

from shared_data import DEV

from worker.commands.evaluate import read_gold
from worker.records import quote_record
from worker.scoring import score

FOLDS = 5
SEED = 11


def fold_of(gold: list[dict[str, Any]]) -> dict[str, int]:
    """Article id -> fold (0..4): the ids shuffled with a fixed seed, dealt round-robin."""
    ids = sorted(str(a["id"]) for a in gold)
    random.Random(SEED).shuffle(ids)
    return {aid: k % FOLDS for k, aid in enumerate(ids)}


def figures(result: dict[str, Any]) -> str:
    r = result["iou>=0.5"]
    q, at = r["quote"], r["attributed"]
    return (
        f"quote P/R/F1 {q['p']:.3f}/{q['r']:.3f}/{q['f1']:.3f}  "
        f"attributed P/R/F1 {at['p']:.3f}/{at['r']:.3f}/{at['f1']:.3f}  "
        f"speaker acc {r['speaker_accuracy']:.3f}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", default=str(DEV), help="default: %(default)s")
    ap.add_argument("--backend", default="rules")
    args = ap.parse_args()
    from worker.extractor import Extractor

    gold = read_gold(args.gold)
    ex = Extractor(args.backend)
    folds = fold_of(gold)
    preds: dict[str, list[dict[str, Any]]] = {}
    for a in gold:
        aid = str(a["id"])
        preds[aid] = [quote_record(aid, q, ex.version, ex.backend_name) for q in ex.extract(a["text"])]
    print("all    ", figures(score(gold, [p for ps in preds.values() for p in ps])))
    for k in range(FOLDS):
        part = [a for a in gold if folds[str(a["id"])] == k]
        res = score(part, [p for a in part for p in preds[str(a["id"])]])
        print(f"fold {k + 1} ", figures(res), f"({len(part)} articles)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
