"""The ``quote-worker eval --html`` report: every gold article drawn twice with the review page's view
(``assets/render.js``), the predicted quotes beside the gold ones, with each kind of error marked, an
index of the articles (sortable, filtered by kind of error) and the scores at the top. One
self-contained file (styles, scripts and data inside) that opens offline.

The marks come from ``worker.scoring``'s own matching at its main threshold (``greedy_pairs``,
``speaker_correct``, ``cue_correct``, ``trim``), the calls that ``score`` makes, so the marks and the
figures at the top agree:

- ``missed`` / ``spurious``: a gold quote / a prediction that overlaps nothing left unmatched;
- ``boundary``: a gold quote and a prediction left unmatched at the main threshold that still overlap
  (paired by ``greedy_pairs`` at ``ANY_OVERLAP``): the quote was found with the wrong boundaries. The
  scorer counts each as one missed and one spurious quote;
- ``wrong-speaker``: a matched pair whose speaker is wrong;
- on any matched pair, ``differences``: ``type``, ``cue`` (not ``cue_correct``) and ``span`` (not equal
  once trimmed, the exact level's test).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from string import Template
from typing import Any

import orjson

from worker.scoring import (
    ANY_OVERLAP,
    MAIN_THRESHOLD,
    cue_correct,
    greedy_pairs,
    level_name,
    speaker_correct,
    trim,
)
from worker.serve import ASSETS

OK, MISSED, SPURIOUS, BOUNDARY, WRONG_SPEAKER = "ok", "missed", "spurious", "boundary", "wrong-speaker"
TYPE, CUE, SPAN = "type", "cue", "span"
ERROR_KINDS = (MISSED, SPURIOUS, BOUNDARY, WRONG_SPEAKER, TYPE, CUE, SPAN)


def _span(start: Any, end: Any) -> list[int] | None:
    return [start, end] if isinstance(start, int) and isinstance(end, int) else None


def gold_quote_view(text: str, gold: Mapping[str, Any]) -> dict[str, Any]:
    """A gold quote (GUIDELINES.md) in the shape of a quote record, which is what the view draws."""
    start, end = gold["content_start"], gold["content_end"]
    return {
        "field": "text",
        "type": gold.get("type") or "direct",
        "text": gold.get("content") or text[start:end],
        "span": [start, end],
        "cue": {"text": gold.get("cue"), "span": _span(gold.get("cue_start"), gold.get("cue_end"))},
        "speaker": {
            "name": gold.get("speaker"),
            "mention": gold.get("mention"),
            "span": _span(gold.get("mention_start"), gold.get("mention_end")),
            "kind": None,
            "id": gold.get("speaker"),
        },
    }


def _summary(quote: Mapping[str, Any]) -> dict[str, Any]:
    """What the other side of a pair says, for the view to show beside this side's quote."""
    speaker = quote.get("speaker") or {}
    return {
        "type": quote.get("type"),
        "speaker": speaker.get("name") or speaker.get("mention"),
        "cue": (quote.get("cue") or {}).get("text"),
        "span": quote.get("span"),
    }


def _link(number: int, verdict: str, predicted: dict[str, Any], gold: dict[str, Any]) -> None:
    predicted.update(verdict=verdict, pair=number, other=_summary(gold))
    gold.update(verdict=verdict, pair=number, other=_summary(predicted))


def judge_article(article: Mapping[str, Any], predictions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One article for the report: its predicted and gold quotes, each with its side, its verdict and,
    for a linked pair, the pair's number, what the other side says and their differences; and the
    count of each kind of error (``ERROR_KINDS``)."""
    text = article["text"]
    golds = article["quotes"]
    gold_spans = [(g["content_start"], g["content_end"]) for g in golds]
    pred_spans = [p["span"] for p in predictions]
    predicted = [{**p, "side": "predicted", "verdict": SPURIOUS} for p in predictions]
    gold = [{**gold_quote_view(text, g), "side": "gold", "verdict": MISSED} for g in golds]
    pairs = sorted(greedy_pairs(gold_spans, pred_spans, MAIN_THRESHOLD))
    for number, (gi, pi) in enumerate(pairs):
        verdict = OK if speaker_correct(predictions[pi], golds[gi]) else WRONG_SPEAKER
        _link(number, verdict, predicted[pi], gold[gi])
        differences = []
        if predictions[pi].get("type") != (golds[gi].get("type") or "direct"):
            differences.append(TYPE)
        if not cue_correct(predictions[pi], golds[gi]):
            differences.append(CUE)
        if trim(text, gold_spans[gi]) != trim(text, pred_spans[pi]):
            differences.append(SPAN)
        predicted[pi]["differences"] = gold[gi]["differences"] = differences
    # What the main threshold left unmatched but still overlaps: one quote found with wrong boundaries.
    lone_gold = [gi for gi in range(len(golds)) if gold[gi]["verdict"] == MISSED]
    lone_pred = [pi for pi in range(len(predictions)) if predicted[pi]["verdict"] == SPURIOUS]
    loose = greedy_pairs([gold_spans[g] for g in lone_gold], [pred_spans[p] for p in lone_pred], ANY_OVERLAP)
    for number, (g, p) in enumerate(sorted(loose), start=len(pairs)):
        _link(number, BOUNDARY, predicted[lone_pred[p]], gold[lone_gold[g]])
    counts = {
        MISSED: sum(q["verdict"] == MISSED for q in gold),
        SPURIOUS: sum(q["verdict"] == SPURIOUS for q in predicted),
        BOUNDARY: sum(q["verdict"] == BOUNDARY for q in gold),
        WRONG_SPEAKER: sum(q["verdict"] == WRONG_SPEAKER for q in gold),
    }
    for kind in (TYPE, CUE, SPAN):
        counts[kind] = sum(kind in q.get("differences", ()) for q in gold)
    return {
        "id": str(article["id"]),
        "text": text,
        "predicted": predicted,
        "gold": gold,
        "counts": counts,
    }


def judge(
    gold_articles: Sequence[Mapping[str, Any]], predictions: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """``judge_article`` over a gold set, with the predictions of each article in their given order (the
    order that ``worker.scoring.score`` sees)."""
    by_article: dict[str, list[Mapping[str, Any]]] = {}
    for record in predictions:
        by_article.setdefault(str(record["article_id"]), []).append(record)
    return [judge_article(a, by_article.get(str(a["id"]), [])) for a in gold_articles]


def _script_data(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<`` that could end it early."""
    return orjson.dumps(value).decode("utf-8").replace("<", "\\u003c")


def report_html(
    gold_articles: Sequence[Mapping[str, Any]],
    predictions: Sequence[Mapping[str, Any]],
    result: Mapping[str, Any],
    about: Mapping[str, Any],
) -> str:
    """The report: ``result`` is ``worker.scoring.score``'s answer for these predictions; ``about`` says
    what was evaluated (gold file, backend, version) for the page's header."""
    scores = {k: v for k, v in result.items() if k != "errors"}
    data = {
        "about": {**about, "main_level": level_name(MAIN_THRESHOLD)},
        "scores": scores,
        "articles": judge(gold_articles, predictions),
    }
    template = Template((ASSETS / "report.html").read_text(encoding="utf-8"))
    return template.substitute(
        style=(ASSETS / "review.css").read_text(encoding="utf-8"),
        render_js=(ASSETS / "render.js").read_text(encoding="utf-8"),
        report_js=(ASSETS / "report.js").read_text(encoding="utf-8"),
        data=_script_data(data),
    )
