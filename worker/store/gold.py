"""Editors' corrections as gold data: every corrected article as a row of ``../shared/eval``'s gold
format (GUIDELINES.md), which ``quote-worker eval --gold`` and ``score.py`` read.

A row holds every quote of the article as the store serves it after the corrections: the editors'
changes, the quotes they added, and the extractor's quotes they left standing, which count as checked
(an editor who corrected the article read it); quotes rejected are left out. The row's ``text`` is the
title, a blank line and the body, as in the gold sets, and offsets are shifted to match. Fields the
scorer does not read say where each quote comes from: ``checked_by`` (the article's editors) and
``correction`` (the quote's latest action, null for a quote left as extracted).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from worker.store.corrections import article_texts
from worker.store.database import Database

TITLE_SEPARATOR = "\n\n"


def _gold_speaker(speaker: dict[str, Any]) -> tuple[str, str | None]:
    """The canonical name, and the words without which it is not named (a person's family name; an
    organisation's or group's whole name, whose last word may be an adjective)."""
    name = speaker.get("name") or speaker.get("mention") or ""
    words = name.split()
    if not words:
        return "", None
    return name, words[-1] if speaker.get("kind") == "person" else name


def _shifted(span: Any, shift: int) -> tuple[int | None, int | None]:
    if not span:
        return None, None
    return int(span[0]) + shift, int(span[1]) + shift


def gold_row(
    article_id: str, texts: dict[str, str], quotes: list[tuple[dict[str, Any], dict[str, Any] | None]]
) -> dict[str, Any]:
    """One gold article of ``quotes`` (record, correction mark) that stand (none rejected)."""
    title, body = texts["title"], texts["text"]
    text = f"{title}{TITLE_SEPARATOR}{body}" if title else body
    body_shift = len(title) + len(TITLE_SEPARATOR) if title else 0
    aliases: dict[str, set[str]] = {}
    for record, _ in quotes:
        name, _key = _gold_speaker(record["speaker"])
        mention = record["speaker"].get("mention")
        if name and mention and mention != name:
            aliases.setdefault(name, set()).add(mention)
    editors = sorted({mark["by"] for _, mark in quotes if mark})
    out = []
    for record, mark in quotes:
        shift = body_shift if record["field"] == "text" else 0
        speaker, cue = record["speaker"], record["cue"]
        name, key = _gold_speaker(speaker)
        start, end = _shifted(record["span"], shift)
        cue_start, cue_end = _shifted(cue.get("span"), shift)
        mention_start, mention_end = _shifted(speaker.get("span"), shift)
        out.append(
            {
                "type": record["type"],
                "content": record["text"],
                "content_start": start,
                "content_end": end,
                "cue": cue.get("text") or "",
                "cue_start": cue_start,
                "cue_end": cue_end,
                "mention": speaker.get("mention"),
                "mention_start": mention_start,
                "mention_end": mention_end,
                "speaker": name,
                "speaker_aliases": sorted(aliases.get(name, ())),
                "speaker_key": key,
                "correction": mark["action"] if mark else None,
                "quote_id": record["quote_id"],
            }
        )
    return {"id": article_id, "text": text, "quotes": out, "checked_by": editors}


def corrected_articles(db: Database) -> list[str]:
    return [aid for (aid,) in db.query("SELECT DISTINCT article_id FROM corrections ORDER BY article_id")]


def export_gold(db: Database) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """(article id, gold row) of every corrected article; the row None for an article whose text the
    store does not keep (it cannot be scored)."""
    for article_id in corrected_articles(db):
        texts = article_texts(db, article_id)
        if texts is None:
            yield article_id, None
            continue
        rows = db.query(
            "SELECT record, correction FROM quotes WHERE article_id = ? AND current = 1 "
            "ORDER BY CASE WHEN field = 'title' THEN 0 ELSE 1 END, span_start, quote_id",
            (article_id,),
        )
        quotes = [(orjson.loads(r), orjson.loads(c) if c else None) for r, c in rows]
        yield article_id, gold_row(article_id, texts, quotes)
