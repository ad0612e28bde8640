"""The ``quote-worker eval --html`` report: every gold article drawn twice with the review page's view
(``assets/render.js``), the predicted quotes beside the gold ones, with missed quotes, spurious quotes
and wrong speakers marked and the scores at the top. One self-contained file (styles, scripts and data
inside) that opens offline.

The marks come from ``worker.scoring``'s own matching at its main threshold (``greedy_pairs`` and
``speaker_correct``), the calls that ``score`` makes, so the marks and the figures at the top agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from string import Template
from typing import Any

import orjson

from worker.scoring import MAIN_THRESHOLD, greedy_pairs, level_name, speaker_correct
from worker.serve import ASSETS

OK, MISSED, SPURIOUS, WRONG_SPEAKER = "ok", "missed", "spurious", "wrong-speaker"


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


def judge_article(article: Mapping[str, Any], predictions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One article for the report: its predicted and gold quotes, each with its verdict and, for a
    matched pair, the pair's number; and the count of each kind of error."""
    golds = article["quotes"]
    pairs = greedy_pairs(
        [(g["content_start"], g["content_end"]) for g in golds],
        [p["span"] for p in predictions],
        MAIN_THRESHOLD,
    )
    predicted = [{**p, "verdict": SPURIOUS} for p in predictions]
    gold = [{**gold_quote_view(article["text"], g), "verdict": MISSED} for g in golds]
    for number, (gi, pi) in enumerate(sorted(pairs)):
        verdict = OK if speaker_correct(predictions[pi], golds[gi]) else WRONG_SPEAKER
        for quote in (predicted[pi], gold[gi]):
            quote["verdict"] = verdict
            quote["pair"] = number
    counts = {
        MISSED: sum(q["verdict"] == MISSED for q in gold),
        SPURIOUS: sum(q["verdict"] == SPURIOUS for q in predicted),
        WRONG_SPEAKER: sum(q["verdict"] == WRONG_SPEAKER for q in gold),
    }
    return {
        "id": str(article["id"]),
        "text": article["text"],
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
