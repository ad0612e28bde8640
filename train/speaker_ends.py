"""Where a speaker phrase ends, learned: a check of the rules' name boundaries under 5-fold
cross-validation by article (the folds of ``train/folds.py``).

For every gold quote of the dev set that the rules extractor matches (IoU >= 0.5) with a speaker
phrase, each end position of that phrase is a candidate: the rules' end, one or two words shorter, or
one or two words longer (while no punctuation intervenes). A candidate is right when the name that
``speakers.analyse`` reads from those words is the gold speaker by the scorer's rule
(``worker.scoring.speaker_correct``). Each candidate is described by the mined statistics of its last
word and of the word after it (how often each opens, continues or ends a name; given, family, title,
organisation word; the article; verb-likeness; corpus frequency; a rare word with the article), the
punctuation after it, its distance from the rules' end, and whether it is the rules' choice.

A logistic regression (L2, fitted by Newton's method in numpy: deterministic, no new dependency) scores
the candidates; the best-scored one of a phrase is the model's choice. The figure is the share of
phrases (with at least one right candidate) where the choice is right, on folds the model was not
trained on, beside the share where the rules' end is right.

    python train/speaker_ends.py [--gold ../shared/eval/dev.jsonl] [--write FILE]

``--write`` saves the coefficients trained on all of dev as JSON (the same bytes on every run).
"""

from __future__ import annotations

import argparse
import json
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

from worker.attribution import names
from worker.attribution.speakers import analyse
from worker.commands.evaluate import read_gold
from worker.extractor import Extractor
from worker.lexicon import Lexicon
from worker.records import quote_record
from worker.scoring import greedy_pairs, speaker_correct
from worker.text import Token, tokenize

SHORTER, LONGER = 2, 2  # candidate ends around the rules' end
L2 = 1.0
ROLE_FEATURES = (
    "opens",
    "continues",
    "ends",
    "alone",
    "freq",
    "given",
    "family",
    "title",
    "in_titles",
    "org",
    "definite",
    "verb",
    "common",
    "rare_definite",
    "function",
    "particle",
)
FEATURES = (
    "bias",
    "rules_end",
    "shorter",
    "longer",
    "distance",
    "length",
    *(f"last_{f}" for f in ROLE_FEATURES),
    *(f"next_{f}" for f in ROLE_FEATURES),
    "no_next",
    "punct_after",
)


def word_features(lex: Lexicon, fold: str) -> list[float]:
    r = lex.person_roles(fold)
    return [
        math.log1p(r.opens),
        math.log1p(r.continues),
        math.log1p(r.ends),
        math.log1p(r.alone),
        math.log1p(max(r.freq, lex.word_use(fold).freq)) / 5,
        float(fold in lex.GIVEN_NAMES),
        float(names.is_family_name(lex, fold)),
        float(lex.is_title(fold)),
        float(names.in_titles(lex, fold)),
        float(fold in lex.ORG_HEADS),
        float(fold.startswith("ال")),
        float(names.looks_verb(lex, fold)),
        float(names.common_word(lex, fold)),
        float(names.rare_definite(lex, fold)),
        float(fold in lex.FUNCTION_WORDS),
        float(fold in lex.NAME_PARTICLES),
    ]


def candidates(text: str, tokens: list[Token], span: tuple[int, int]) -> tuple[list[Token], int] | None:
    """The phrase's words and up to ``LONGER`` words after it (no punctuation between), and the
    number of words of the phrase itself."""
    inside = [t for t in tokens if t.start >= span[0] and t.end <= span[1]]
    if not inside:
        return None
    k = len(inside)
    after = [t for t in tokens if t.start >= span[1]][:LONGER]
    words = list(inside)
    for t in after:
        if text[words[-1].end : t.start].strip():
            break
        words.append(t)
    return words, k


def phrase_rows(lex: Lexicon, text: str, words: list[Token], k: int, gold: dict[str, Any]) -> list[Any]:
    """(features, right) of each candidate end of one phrase."""
    rows = []
    for e in range(max(1, k - SHORTER), len(words) + 1):
        info = analyse(lex, words[:e])
        shown = info.name or words[:e]
        name = text[shown[0].start : shown[-1].end]
        right = speaker_correct({"speaker": {"name": name}}, gold)
        last, nxt = words[e - 1], words[e] if e < len(words) else None
        gap = text[last.end : nxt.start] if nxt else ""
        x = [
            1.0,
            float(e == k),
            float(e < k),
            float(e > k),
            abs(e - k),
            e / 5,
            *word_features(lex, last.fold),
            *(word_features(lex, nxt.fold) if nxt else [0.0] * len(ROLE_FEATURES)),
            float(nxt is None),
            float(bool(gap.strip())),
        ]
        rows.append((x, right, e == k))
    return rows


def collect(gold_path: str) -> tuple[list[list[Any]], list[int]]:
    """Every matched quote's candidate rows and its article's fold."""
    gold = read_gold(gold_path)
    folds = fold_of(gold)
    ex = Extractor("rules")
    lex = ex.lexicon
    phrases, fold_ids = [], []
    for a in gold:
        aid, text = str(a["id"]), a["text"]
        preds = [quote_record(aid, q, ex.version, ex.backend_name) for q in ex.extract(text)]
        tokens = tokenize(text)
        spans = [(g["content_start"], g["content_end"]) for g in a["quotes"]]
        for gi, pi in greedy_pairs(spans, [p["span"] for p in preds], 0.5):
            sp = (preds[pi].get("speaker") or {}).get("span")
            if not sp:
                continue
            found = candidates(text, tokens, (sp[0], sp[1]))
            if found is None:
                continue
            rows = phrase_rows(lex, text, found[0], found[1], a["quotes"][gi])
            phrases.append(rows)
            fold_ids.append(folds[aid])
    return phrases, fold_ids


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """L2 logistic regression by Newton's method (deterministic)."""
    w = np.zeros(x.shape[1])
    reg = L2 * np.eye(x.shape[1])
    reg[0, 0] = 0.0  # no penalty on the bias
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + reg @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + reg + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def matrix(phrases: list[list[Any]]) -> tuple[np.ndarray, np.ndarray]:
    rows = [r for p in phrases for r in p]
    return np.array([r[0] for r in rows], dtype=float), np.array([float(r[1]) for r in rows])


def choice_right(w: np.ndarray, rows: list[Any]) -> bool:
    scores = [float(np.dot(w, r[0])) for r in rows]
    return bool(rows[int(np.argmax(scores))][1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", default=str(DEV), help="default: %(default)s")
    ap.add_argument("--write", metavar="FILE", help="save the coefficients trained on all of dev here")
    ap.add_argument(
        "--without-rules",
        action="store_true",
        help="leave out the features that say where the rules ended (statistics and punctuation alone)",
    )
    args = ap.parse_args()
    phrases, fold_ids = collect(args.gold)
    if args.without_rules:
        hidden = [FEATURES.index(f) for f in ("rules_end", "shorter", "longer", "distance")]
        for p in phrases:
            for r in p:
                for h in hidden:
                    r[0][h] = 0.0
    decidable = [i for i, p in enumerate(phrases) if any(r[1] for r in p)]
    print(f"phrases {len(phrases)}, with a right candidate {len(decidable)}")
    total_model = total_rules = total = 0
    for k in range(FOLDS):
        train = [phrases[i] for i in range(len(phrases)) if fold_ids[i] != k]
        test = [phrases[i] for i in decidable if fold_ids[i] == k]
        w = fit(*matrix(train))
        model = sum(choice_right(w, p) for p in test)
        rules = sum(any(r[1] and r[2] for r in p) for p in test)
        total_model, total_rules, total = total_model + model, total_rules + rules, total + len(test)
        print(f"fold {k + 1}  held-out: model {model}/{len(test)}  rules {rules}/{len(test)}")
    print(
        f"cross-validated: model {total_model}/{total} = {total_model / total:.3f}  "
        f"rules {total_rules}/{total} = {total_rules / total:.3f}"
    )
    w = fit(*matrix(phrases))
    on_dev = sum(choice_right(w, phrases[i]) for i in decidable)
    print(f"trained and scored on all of dev (no evidence): model {on_dev}/{total} = {on_dev / total:.3f}")
    if args.write:
        coef = {name: round(float(c), 6) for name, c in zip(FEATURES, w, strict=True)}
        Path(args.write).write_text(json.dumps(coef, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
