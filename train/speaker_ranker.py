"""A ranker over candidate speakers, learned: a check of the rules' choice of entity under 5-fold
cross-validation by article (the folds of ``train/folds.py``; issue 16, second try).

For every gold quote of the dev set that the rules extractor matches (IoU >= 0.5), the candidates are
the article's entities after the rules' pass (``attribution/entities.link`` included), one per
canonical entity. A candidate is right when its name (else its description) is the gold speaker by
the scorer's rule (``worker.scoring.speaker_correct``). Each candidate is described by:

- the rules' choice (1 for the entity the rules gave the quote);
- distance: how many words before the cue the entity's nearest name word stands (log), whether one
  stands in the cue's sentence or paragraph, how many times it is named before the cue (log);
- the speaking history: whether it spoke before this cue, and whether it is the latest or second
  latest speaker;
- agreement: the cue's gender against the entity's known gender (agrees / contradicts);
- the entity: a person, a body, a proper name or only a description, named after the cue only.

A logistic regression (``speaker_ends.fit``: L2, Newton's method, deterministic) scores them; the best
of a quote is the ranker's choice. ``--scope implicit`` (default) lets it choose only for quotes whose
speaker the rules resolved with no mention (an implicit cue: the decision a ranker can change most);
``all`` for every matched quote; ``--without-rules`` leaves the rules' choice out. Printed: attributed
F1 of the rules, of the ranker's choices on folds it was not trained on, of the ranker trained and
scored on all of dev, and the ceiling (a right candidate exists).

    python train/speaker_ranker.py [--gold ../shared/eval/dev.jsonl] [--scope implicit|all]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # shared_data: where ../shared is

from folds import FOLDS, fold_of
from shared_data import DEV
from speaker_ends import fit

from worker.attribution.article import Article, Found
from worker.attribution.attributor import _attribute
from worker.attribution.speakers import Entity, canonical, name_key
from worker.commands.evaluate import read_gold
from worker.lexicon import DEFAULT
from worker.scoring import greedy_pairs, prf, speaker_correct

FEATURES = (
    "bias",
    "rules_choice",
    "log_distance",
    "in_sentence",
    "in_paragraph",
    "log_mentions",
    "spoke_before",
    "latest_speaker",
    "second_speaker",
    "gender_agrees",
    "gender_contradicts",
    "person",
    "body",
    "proper_name",
    "named_after_only",
)


def _answer(e: Entity) -> str | None:
    return e.name or e.descriptor


def article_queries(article: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """One query per gold quote the rules match (its candidates' features and labels, which one the
    rules chose, whether the rules' speaker is right), and how many quotes the rules predicted."""
    text = article["text"]
    a = Article(text, DEFAULT, [])
    quotes = _attribute(a)
    found = sorted(a.found, key=lambda f: f.content[0])
    golds = article["quotes"]
    pairs = greedy_pairs(
        [(g["content_start"], g["content_end"]) for g in golds],
        [(q.span.start, q.span.end) for q in quotes],
        0.5,
    )
    entities = list({id(c): c for c in map(canonical, a.registry.entities) if _answer(c)}.values())
    where: dict[str, list[int]] = {}  # name key -> token positions outside quotes
    for k, tok in enumerate(a.tokens):
        if not a.in_quote(tok.start):
            where.setdefault(name_key(a.lx, tok.fold), []).append(k)
    spoken = [(f.cue[0], id(canonical(f.entity))) for f in found if f.entity is not None]
    out = []
    for gi, qi in pairs:
        f: Found = found[qi]
        rules = canonical(f.entity) if f.entity is not None else None
        cue_k = a.token_at(f.cue[0])
        sentence = a.token_at(a.sentence_start(f.cue[0]))
        paragraph = a.token_at(text.rfind("\n", 0, f.cue[0]) + 1)
        before = [e for start, e in spoken if start < f.cue[0]]
        history = list(dict.fromkeys(reversed(before)))  # entity ids, the latest speaker first
        cue = a.lx.CUE_FORMS.get(a.tokens[cue_k].fold) if cue_k < len(a.tokens) else None
        feminine = cue.feminine if cue is not None else None
        rows = []
        for e in entities:
            keys = e.name_keys or ({e.head} if e.head else set())
            positions = sorted({k for key in keys for k in where.get(key, ())})
            earlier = [k for k in positions if k < cue_k]
            distance = cue_k - earlier[-1] if earlier else 10_000
            x = [
                1.0,
                float(e is rules),
                math.log1p(distance),
                float(bool(earlier) and earlier[-1] >= sentence),
                float(bool(earlier) and earlier[-1] >= paragraph),
                math.log1p(len(earlier)),
                float(id(e) in history),
                float(bool(history) and history[0] == id(e)),
                float(len(history) > 1 and history[1] == id(e)),
                float(feminine is not None and e.feminine is not None and e.feminine == feminine),
                float(feminine is not None and e.feminine is not None and e.feminine != feminine),
                float(e.kind == "person"),
                float(e.kind == "organization"),
                float(e.name is not None),
                float(not earlier and bool(positions)),
            ]
            right = speaker_correct({"speaker": {"name": _answer(e)}}, golds[gi])
            rows.append((x, right, e is rules))
        rules_right = rules is not None and speaker_correct({"speaker": {"name": _answer(rules)}}, golds[gi])
        out.append({"rows": rows, "implicit": f.mention is None, "rules_right": rules_right})
    return out, len(quotes)


def _choice_right(w: np.ndarray, q: dict[str, Any]) -> bool:
    rows = q["rows"]
    if not rows:
        return bool(q["rules_right"])
    scores = [float(np.dot(w, r[0])) for r in rows]
    return bool(rows[int(np.argmax(scores))][1])


def _train(queries: list[dict[str, Any]]) -> np.ndarray:
    rows = [r for q in queries for r in q["rows"]]
    return fit(np.array([r[0] for r in rows], dtype=float), np.array([float(r[1]) for r in rows]))


def attributed_f1(right: int, n_pred: int, n_gold: int) -> float:
    return prf(right, n_pred, n_gold)["f1"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", default=str(DEV), help="default: %(default)s")
    ap.add_argument("--scope", choices=("implicit", "all"), default="implicit")
    ap.add_argument(
        "--without-rules", action="store_true", help="leave the rules' choice out of the features"
    )
    args = ap.parse_args()
    gold = read_gold(args.gold)
    folds = fold_of(gold)
    per_article: dict[str, list[dict[str, Any]]] = {}
    n_pred = 0
    for art in gold:
        per_article[str(art["id"])], predicted = article_queries(art)
        n_pred += predicted
        if args.without_rules:
            for q in per_article[str(art["id"])]:
                q["rows"] = [([*x[:1], 0.0, *x[2:]], right, rules) for x, right, rules in q["rows"]]
    n_gold = sum(len(art["quotes"]) for art in gold)
    chosen = (lambda q: q["implicit"]) if args.scope == "implicit" else (lambda q: True)
    rules_right = sum(q["rules_right"] for qs in per_article.values() for q in qs)
    cv_right = 0
    for k in range(FOLDS):
        train = [q for aid, qs in per_article.items() if folds[aid] != k for q in qs if chosen(q)]
        w = _train(train)
        for aid, qs in per_article.items():
            if folds[aid] == k:
                cv_right += sum(_choice_right(w, q) if chosen(q) else q["rules_right"] for q in qs)
    w_all = _train([q for qs in per_article.values() for q in qs if chosen(q)])
    dev_right = sum(
        _choice_right(w_all, q) if chosen(q) else q["rules_right"] for qs in per_article.values() for q in qs
    )
    scoped = sum(chosen(q) for qs in per_article.values() for q in qs)
    oracle = sum(
        (any(r[1] for r in q["rows"]) or q["rules_right"]) if chosen(q) else q["rules_right"]
        for qs in per_article.values()
        for q in qs
    )
    print(f"matched quotes {sum(len(qs) for qs in per_article.values())}, ranked ({args.scope}) {scoped}")
    for label, right in (
        ("rules", rules_right),
        ("ranker, 5-fold CV", cv_right),
        ("ranker, trained on dev", dev_right),
        ("a right candidate exists", oracle),
    ):
        print(f"{label:<26} speakers right {right}  attributed F1 {attributed_f1(right, n_pred, n_gold):.4f}")
    print(
        "coefficients (all of dev):", ", ".join(f"{n} {c:+.2f}" for n, c in zip(FEATURES, w_all, strict=True))
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
