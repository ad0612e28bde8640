"""``quote-worker eval``: extract every article of a gold set and score the predictions.

The figures are those of ``../shared/eval/score.py`` by the definitions of its GUIDELINES.md
(``worker.scoring``): quote and attributed P/R/F1 at IoU 0.3 / 0.5 / 0.8 / exact, speaker and cue
accuracy, recall by type; plus the extractor's speed in articles per second.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from worker.commands.common import add_backend_args, make_extractor
from worker.records import quote_record
from worker.scoring import format_report, score
from worker.serve.report import report_html

GOLD_FIELDS = ("id", "text", "quotes")


class GoldError(ValueError):
    pass


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "eval",
        help="extract the articles of a gold set and score the predictions (as ../shared/eval/score.py)",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="exit status: 0 scored; 2 the gold file cannot be read or a file cannot be written (the "
        "message says where).",
    )
    p.add_argument(
        "--gold", required=True, metavar="FILE", help="gold set, one article a line (GUIDELINES.md)"
    )
    p.add_argument("--errors", type=int, default=0, metavar="N", help="list this many errors (default: none)")
    p.add_argument("--json", action="store_true", help="print the whole result as JSON")
    p.add_argument(
        "--predictions",
        metavar="FILE",
        help="also write the predicted quote records here (JSON lines), e.g. for score.py --pred",
    )
    p.add_argument(
        "--html",
        metavar="OUT.html",
        help="also write a report to study the errors: each article's predicted quotes beside the gold "
        "ones (the review page's view), missed, spurious and wrong-speaker quotes marked, scores on top",
    )
    add_backend_args(p)
    p.set_defaults(func=run)


def read_gold(path: str) -> list[dict[str, Any]]:
    """The gold articles of ``path``; ``GoldError`` names the file and line of anything unreadable."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise GoldError(f"{path}: cannot read: {exc.strerror or exc}") from None
    rows: list[dict[str, Any]] = []
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise GoldError(f"{path}:{lineno}: not JSON: {exc}") from None
        if not isinstance(row, dict) or any(k not in row for k in GOLD_FIELDS):
            raise GoldError(f"{path}:{lineno}: not a gold article (needs {', '.join(GOLD_FIELDS)})")
        if not isinstance(row["text"], str) or not isinstance(row["quotes"], list):
            raise GoldError(f"{path}:{lineno}: 'text' must be a string and 'quotes' a list")
        rows.append(row)
    return rows


def run(args: argparse.Namespace) -> int:
    try:
        gold = read_gold(args.gold)
    except GoldError as exc:
        print(f"quote-worker eval: {exc}", file=sys.stderr)
        return 2
    extractor = make_extractor(args)
    predictions: list[dict[str, Any]] = []
    started = time.perf_counter()
    for article in gold:
        aid = str(article["id"])
        for quote in extractor.extract(article["text"]):
            predictions.append(quote_record(aid, quote, extractor.version, extractor.backend_name))
    seconds = time.perf_counter() - started
    rate = len(gold) / seconds if seconds > 0 else float("inf")
    if args.predictions:
        with open(args.predictions, "wb") as fh:
            for record in predictions:
                fh.write(orjson.dumps(record) + b"\n")
    result = score(gold, predictions)
    if args.html:
        about = {"gold": args.gold, "backend": extractor.backend_name, "version": extractor.version}
        try:
            Path(args.html).write_text(report_html(gold, predictions, result, about), encoding="utf-8")
        except OSError as exc:
            print(f"quote-worker eval: cannot write {args.html}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        # On standard error: standard output stays the figures (or the JSON of --json).
        print(f"quote-worker eval: wrote the report to {Path(args.html).resolve()}", file=sys.stderr)
    speed = {
        "backend": extractor.backend_name,
        "seconds": round(seconds, 4),
        "articles_per_second": round(rate, 1),
        "characters": sum(len(a["text"]) for a in gold),
    }
    if args.json:
        print(json.dumps({**result, "speed": speed}, ensure_ascii=False, indent=1))
        return 0
    for line in format_report(result):
        print(line)
    print(
        f"speed: {len(gold)} articles ({speed['characters']} characters) in {seconds:.3f} s: "
        f"{rate:.1f} articles/s (backend {extractor.backend_name})"
    )
    for error in result["errors"][: max(args.errors, 0)]:
        print(json.dumps(error, ensure_ascii=False))
    return 0
