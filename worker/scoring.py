"""Scoring of predicted quote records against a gold set, by the definitions of
``../shared/eval/GUIDELINES.md`` (the contract that the shared ``score.py`` also follows).

Gold: one article per row, ``{"id", "text", "quotes": [{"type", "content_start", "content_end", "cue",
"speaker", "speaker_aliases", "speaker_key", ...}]}``. Predictions: quote records as the worker publishes
them (``article_id``, ``span``, ``speaker.name`` / ``speaker.mention``, ``cue.text``).

- Matching pairs each prediction one-to-one with a gold quote of the same article, greedily, the
  largest overlap (character IoU of the content spans) first; a pair needs IoU at or above the
  threshold and a non-empty overlap. Equal overlaps are taken from the last gold quote and the last
  prediction first, so that results are reproducible (and the same as the shared scorer's).
- ``exact``: pairs of the greedy match at any overlap whose content spans are equal once leading and
  trailing non-alphanumeric characters (space, punctuation, quote marks) are trimmed.
- Speaker right: after folding, the predicted name (else mention) equals the canonical name, or, with
  the article ال dropped from long words, contains one of the speaker keys as whole words and is an
  alias or a run of whole words inside one.
- Cue right: the folded predicted cue equals the folded gold cue.

Figures are rounded to four decimals. ``recall_by_type`` and the error list use the main threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAIN_THRESHOLD = 0.5
THRESHOLDS: tuple[float, ...] = (0.3, 0.5, 0.8)
#: Minimum overlap for the ``exact`` level: any overlap at all, then equality after trimming.
ANY_OVERLAP = 0.01

# Harakat, Quranic marks, superscript alef and tatweel: dropped before comparing.
_MARKS = frozenset(
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
)
# Letter variants folded to one form: hamza carriers and wasla to bare alef, alef maqsura to ya,
# ta marbuta to ha, hamza on waw / ya to the bare letter.
_LETTERS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
_FOLD_TABLE = str.maketrans({**dict.fromkeys(_MARKS, None), **_LETTERS})
# Word characters in the sense of Python's ``\w`` (letters, digits, underscore); all else separates.
_SEPARATORS = re.compile(r"\W+")


def fold(value: str | None) -> str:
    """Comparison form of an Arabic string: no diacritics or tatweel, one alef, ى→ي, ة→ه, and words
    separated by single spaces with punctuation removed."""
    if not value:
        return ""
    return " ".join(_SEPARATORS.split(value.translate(_FOLD_TABLE))).strip()


def without_article(folded: str) -> str:
    """Words of a folded string with a leading ال removed from words longer than four letters."""
    return " ".join(w[2:] if len(w) > 4 and w[:2] == "ال" else w for w in folded.split())


def _contains_words(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` as a run of whole space-separated words."""
    return f" {needle} " in f" {haystack} "


def overlap(a: Sequence[int], b: Sequence[int]) -> float:
    """Intersection over union of two character spans ``[start, end)``."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def trim(text: str, span: Sequence[int]) -> tuple[int, int]:
    """``span`` shrunk past leading and trailing characters that are not letters or digits."""
    start, end = int(span[0]), int(span[1])
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def predicted_speaker(record: Mapping[str, Any]) -> str | None:
    """The speaker string that is judged: ``speaker.name``, else ``speaker.mention``."""
    speaker = record.get("speaker") or {}
    return speaker.get("name") if fold(speaker.get("name")) else speaker.get("mention")


def _as_given(record: Mapping[str, Any]) -> str | None:
    speaker = record.get("speaker") or {}
    return speaker.get("name") or speaker.get("mention")


def speaker_correct(record: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """Whether the predicted speaker of ``record`` names the gold quote's speaker (see module doc)."""
    guess = fold(predicted_speaker(record))
    if not guess:
        return False
    canonical = fold(gold["speaker"])
    if guess == canonical:
        return True
    guess = without_article(guess)
    raw_keys = gold.get("speaker_key")
    if not raw_keys:  # no key given: the last word of the canonical name
        raw_keys = canonical.split(" ")[-1]
    keys = [without_article(fold(k)) for k in ([raw_keys] if isinstance(raw_keys, str) else raw_keys)]
    if not any(k and _contains_words(guess, k) for k in keys):
        return False
    forms = [without_article(canonical)]
    forms += [without_article(fold(a)) for a in gold.get("speaker_aliases") or () if a]
    return any(_contains_words(form, guess) for form in forms)


def cue_correct(record: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    cue = record.get("cue") or {}
    return fold(cue.get("text")) == fold(gold.get("cue"))


def greedy_pairs(
    gold_spans: Sequence[Sequence[int]], pred_spans: Sequence[Sequence[int]], threshold: float
) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs, the largest overlap first (ties: the later
    gold quote, then the later prediction), each with overlap > 0 and ≥ ``threshold``."""
    candidates: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold_spans):
        for pi, p in enumerate(pred_spans):
            o = overlap(g, p)
            if o > 0 and o >= threshold:
                candidates.append((o, gi, pi))
    candidates.sort(key=lambda c: (-c[0], -c[1], -c[2]))
    taken_gold: set[int] = set()
    taken_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in candidates:
        if gi in taken_gold or pi in taken_pred:
            continue
        taken_gold.add(gi)
        taken_pred.add(pi)
        pairs.append((gi, pi))
    return pairs


def prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)}


def level_name(threshold: float | str) -> str:
    return "exact" if threshold == "exact" else f"iou>={threshold}"


LEVELS: tuple[float | str, ...] = (*THRESHOLDS, "exact")


@dataclass
class _Tally:
    matched: int = 0
    attributed: int = 0
    cues: int = 0

    def figures(self, n_pred: int, n_gold: int) -> dict[str, Any]:
        return {
            "quote": prf(self.matched, n_pred, n_gold),
            "attributed": prf(self.attributed, n_pred, n_gold),
            "speaker_accuracy": round(self.attributed / self.matched, 4) if self.matched else 0.0,
            "cue_accuracy": round(self.cues / self.matched, 4) if self.matched else 0.0,
        }


@dataclass
class _TypeRecall:
    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, found: bool) -> None:
        self.total[kind] = self.total.get(kind, 0) + 1
        self.found[kind] = self.found.get(kind, 0) + int(found)

    def figures(self) -> dict[str, float]:
        return {k: round(self.found[k] / self.total[k], 4) for k in sorted(self.total)}


def _pairs_at(level: float | str, article: Mapping[str, Any], golds: list, preds: list) -> list:
    gold_spans = [(g["content_start"], g["content_end"]) for g in golds]
    pred_spans = [p["span"] for p in preds]
    if level != "exact":
        assert isinstance(level, float)
        return greedy_pairs(gold_spans, pred_spans, level)
    text = article["text"]
    return [
        (gi, pi)
        for gi, pi in greedy_pairs(gold_spans, pred_spans, ANY_OVERLAP)
        if trim(text, gold_spans[gi]) == trim(text, pred_spans[pi])
    ]


def score(gold_articles: Iterable[Mapping[str, Any]], predictions: Iterable[Mapping[str, Any]]) -> dict:
    """Every figure of the evaluation: counts, P/R/F1 per level, recall by type and the errors at the
    main threshold (missed, spurious and wrong-speaker quotes)."""
    articles = list(gold_articles)
    preds_by_article: dict[str, list[Mapping[str, Any]]] = {}
    for record in predictions:
        preds_by_article.setdefault(str(record["article_id"]), []).append(record)
    gold_ids = {str(a["id"]) for a in articles}
    n_gold = sum(len(a["quotes"]) for a in articles)
    # Predictions for articles outside the gold set are not counted.
    n_pred = sum(len(recs) for aid, recs in preds_by_article.items() if aid in gold_ids)
    result: dict[str, Any] = {"articles": len(articles), "gold_quotes": n_gold, "predicted_quotes": n_pred}
    by_type = _TypeRecall()
    errors: list[dict[str, Any]] = []
    for level in LEVELS:
        tally = _Tally()
        for article in articles:
            golds = article["quotes"]
            preds = preds_by_article.get(str(article["id"]), [])
            pairs = _pairs_at(level, article, golds, preds)
            tally.matched += len(pairs)
            for gi, pi in pairs:
                right = speaker_correct(preds[pi], golds[gi])
                tally.attributed += right
                tally.cues += cue_correct(preds[pi], golds[gi])
                if level == MAIN_THRESHOLD and not right:
                    errors.append(
                        {
                            "article": article["id"],
                            "kind": "wrong speaker",
                            "quote": golds[gi]["content"][:80],
                            "gold": golds[gi]["speaker"],
                            "pred": _as_given(preds[pi]),
                        }
                    )
            if level == MAIN_THRESHOLD:
                found = {gi for gi, _ in pairs}
                used = {pi for _, pi in pairs}
                for gi, g in enumerate(golds):
                    by_type.add(g.get("type", "?"), gi in found)
                    if gi not in found:
                        errors.append(
                            {
                                "article": article["id"],
                                "kind": "missed",
                                "quote": g["content"][:80],
                                "gold": g["speaker"],
                            }
                        )
                for pi, p in enumerate(preds):
                    if pi not in used:
                        start, end = p["span"]
                        snippet = article["text"][start:end][:80]
                        errors.append({"article": article["id"], "kind": "spurious", "quote": snippet})
        result[level_name(level)] = tally.figures(n_pred, n_gold)
    result["recall_by_type"] = by_type.figures()
    result["errors"] = errors
    return result


def format_report(result: Mapping[str, Any]) -> list[str]:
    """The figures as text lines, in the shared scorer's layout."""
    lines = [
        f"articles {result['articles']}  gold quotes {result['gold_quotes']}  "
        f"predicted {result['predicted_quotes']}"
    ]
    for level in LEVELS:
        key = level_name(level)
        r = result[key]
        q, a = r["quote"], r["attributed"]
        lines.append(
            f"{key:9} quote P/R/F1 {q['p']:.3f}/{q['r']:.3f}/{q['f1']:.3f}"
            f"  attributed P/R/F1 {a['p']:.3f}/{a['r']:.3f}/{a['f1']:.3f}"
            f"  speaker acc {r['speaker_accuracy']:.3f}  cue acc {r['cue_accuracy']:.3f}"
        )
    lines.append(f"recall by type: {result['recall_by_type']}")
    return lines
