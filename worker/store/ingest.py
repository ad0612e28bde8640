"""Consumed records into the database: one batch, one transaction, offsets included.

``apply_batch`` is the whole write path of ``quote-worker store``. For one batch of records from the
quotes and status topics it upserts the quotes (latest record per quote id), records each article's
latest status, marks which quotes are current (the quote ids of the article's latest ``ok`` status),
refreshes the speaker keys of the names it touched and stores the next offset of every partition it
read — all in one transaction, so after a crash the database and its offsets agree, and reading again
from those offsets neither loses nor repeats a row.

The end state depends only on the latest record per quote id and the latest status per article (each
topic keeps per-article order: one partition per article), not on how the two topics interleave: a
quote record that arrives before the status listing it waits, hidden, and one whose article moved on
stays hidden. Replaying a topic therefore gives the same rows again.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from worker.store.database import Database
from worker.store.folding import search_text
from worker.store.speakers import first_kind, name_key, refresh_speakers

log = logging.getLogger(__name__)

OK = "ok"


@dataclass(frozen=True, slots=True)
class Consumed:
    """One record as read from Kafka, reduced to what the store needs."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


@dataclass
class BatchResult:
    quotes: int = 0
    statuses: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def normalise_time(value: Any) -> str | None:
    """An RFC 3339 timestamp as UTC ``YYYY-MM-DDTHH:MM:SSZ`` (sortable as text in both engines); None
    for a missing or unreadable one."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _decode(rec: Consumed, result: BatchResult, id_field: str = "article_id") -> dict[str, Any] | None:
    if rec.value is None:
        return None
    try:
        doc = orjson.loads(rec.value)
    except orjson.JSONDecodeError:
        result.skip("not_json")
        log.warning("skipped a record that is not JSON", extra=_where(rec))
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get(id_field), str):
        result.skip("no_article_id")
        log.warning("skipped a record without an article id", extra=_where(rec))
        return None
    if id_field != "article_id":  # an input message names its article "id"
        doc = {**doc, "article_id": doc[id_field]}
    return doc


def _where(rec: Consumed) -> dict[str, Any]:
    return {"topic": rec.topic, "partition": rec.partition, "offset": rec.offset}


def quote_row(doc: dict[str, Any]) -> tuple[Any, ...]:
    """The ``quotes`` columns of one quote record, ``current`` and ``position`` aside."""
    speaker = doc.get("speaker") or {}
    cue = doc.get("cue") or {}
    article = doc.get("article") or {}
    span = doc.get("span") or [0, 0]
    extractor = doc.get("extractor") or {}
    return (
        doc["quote_id"],
        doc["article_id"],
        doc.get("field", "text"),
        doc.get("type", "direct"),
        doc.get("text", ""),
        search_text(doc.get("text", "")),
        int(span[0]),
        int(span[1]),
        cue.get("text"),
        cue.get("lemma"),
        speaker.get("name"),
        speaker.get("mention"),
        speaker.get("title"),
        speaker.get("kind"),
        speaker.get("id"),
        name_key(speaker.get("name"), speaker.get("kind")),
        float(doc.get("confidence", 0.0)),
        article.get("source"),
        normalise_time(article.get("published_at")) or "",  # '' = unknown: the date index orders every row
        extractor.get("version"),
        extractor.get("backend"),
        orjson.dumps(doc).decode(),
    )


QUOTE_COLUMNS = (
    "quote_id, article_id, field, type, text, search, span_start, span_end, cue, cue_lemma, speaker_name, "
    "speaker_mention, speaker_title, speaker_kind, speaker_entity, name_key, confidence, source, "
    "published_at, extractor_version, backend, record"
)
# A quote an editor corrected keeps the editor's content when the stream sends it again (a replay, a
# re-extraction that finds it again): only whether and where it is current follows the stream, and a
# rejected one stays out of the lists (current 2, see worker.store.corrections).
_UPSERT_QUOTE = (
    f"INSERT INTO quotes ({QUOTE_COLUMNS}, current, position, speaker_key) VALUES ({', '.join('?' * 25)}) "
    "ON CONFLICT (quote_id) DO UPDATE SET "
    + ", ".join(
        f"{c} = CASE WHEN quotes.correction IS NULL THEN excluded.{c} ELSE quotes.{c} END"
        for c in [*QUOTE_COLUMNS.split(", ")[1:], "speaker_key"]
    )
    + ", current = CASE WHEN quotes.rejected = 1 AND excluded.current = 1 THEN 2 ELSE excluded.current END"
    + ", position = excluded.position"
)
_UPSERT_TEXT = (
    "INSERT INTO article_texts (article_id, title, text) VALUES (?, ?, ?) "
    "ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, text = excluded.text"
)
_UPSERT_ARTICLE_META = (
    "INSERT INTO articles (article_id, title, source, url, published_at) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, source = excluded.source, "
    "url = excluded.url, published_at = excluded.published_at"
)
_UPSERT_STATUS = (
    "INSERT INTO articles (article_id, status, reason, quote_ids, quote_count, extractor_version, "
    "processed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
    "status = excluded.status, reason = excluded.reason, processed_at = excluded.processed_at, "
    "quote_ids = coalesce(excluded.quote_ids, articles.quote_ids), "
    "quote_count = CASE WHEN excluded.quote_ids IS NULL THEN articles.quote_count "
    "ELSE excluded.quote_count END, "
    "extractor_version = coalesce(excluded.extractor_version, articles.extractor_version)"
)
_UPSERT_OFFSET = (
    "INSERT INTO store_offsets (topic, kafka_partition, next_offset) VALUES (?, ?, ?) "
    "ON CONFLICT (topic, kafka_partition) DO UPDATE SET next_offset = excluded.next_offset"
)


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _current_sets(db: Database, article_ids: list[str]) -> dict[str, list[str] | None]:
    """The quote ids of each article's latest ok status (None: no ok status read yet)."""
    out: dict[str, list[str] | None] = {}
    for chunk in _chunks(article_ids):
        marks = ", ".join("?" * len(chunk))
        for aid, ids in db.query(
            f"SELECT article_id, quote_ids FROM articles WHERE article_id IN ({marks})", chunk
        ):
            out[aid] = orjson.loads(ids) if ids else None
    return out


def article_text(doc: dict[str, Any]) -> tuple[str, str | None, str] | None:
    """(id, title, text) of an input article message; None for one without a text."""
    title = doc.get("title")
    if not isinstance(doc.get("text"), str):
        return None
    return doc["article_id"], title if isinstance(title, str) and title else None, doc["text"]


def _read(
    records: list[Consumed],
    quotes_topic: str,
    status_topic: str,
    result: BatchResult,
    article_topics: Collection[str] = (),
) -> tuple[
    dict[str, dict[str, Any]],
    set[str],
    dict[str, dict[str, Any]],
    dict[tuple[str, int], int],
    dict[str, tuple[str, str | None, str]],
]:
    """The batch reduced to what it changes: the latest record per quote id, the withdrawn quote ids
    (tombstones), the latest status per article, the next offset per partition and the latest text
    per article (from ``article_topics``, the worker's input)."""
    texts: dict[str, tuple[str, str | None, str]] = {}
    quotes: dict[str, dict[str, Any]] = {}
    tombstones: set[str] = set()
    statuses: dict[str, dict[str, Any]] = {}
    offsets: dict[tuple[str, int], int] = {}
    for rec in records:
        offsets[(rec.topic, rec.partition)] = max(offsets.get((rec.topic, rec.partition), -1), rec.offset + 1)
        if rec.topic == quotes_topic:
            if rec.value is None and rec.key:  # a compaction tombstone: the quote is withdrawn
                qid = rec.key.decode("utf-8", "replace")
                tombstones.add(qid)
                quotes.pop(qid, None)
                continue
            doc = _decode(rec, result)
            if doc is None:
                continue
            if not isinstance(doc.get("quote_id"), str):
                result.skip("no_quote_id")
                continue
            tombstones.discard(doc["quote_id"])
            quotes[doc["quote_id"]] = doc
        elif rec.topic == status_topic:
            doc = _decode(rec, result)
            if doc is not None:
                statuses[doc["article_id"]] = doc
        elif rec.topic in article_topics:
            doc = _decode(rec, result, id_field="id")
            text = article_text(doc) if doc is not None else None
            if text is not None:
                texts[text[0]] = text
    return quotes, tombstones, statuses, offsets, texts


def _status_row(aid: str, doc: dict[str, Any]) -> tuple[Any, ...]:
    """An ok status fixes the article's quote set; a dead-lettered one (the article failed this time)
    is recorded but leaves its previous quotes as they were (quote_ids None keeps the stored ones)."""
    ids = [q for q in doc.get("quote_ids") or [] if isinstance(q, str)] if doc.get("status") == OK else None
    extractor = doc.get("extractor") or {}
    return (
        aid,
        doc.get("status"),
        doc.get("reason"),
        orjson.dumps(ids).decode() if ids is not None else None,
        len(ids) if ids is not None else 0,
        extractor.get("version"),
        doc.get("processed_at"),
    )


def apply_batch(
    db: Database,
    records: list[Consumed],
    quotes_topic: str,
    status_topic: str,
    article_topics: Collection[str] = (),
) -> BatchResult:
    """Write one batch (records in partition order) and its offsets in one transaction; the records of
    ``article_topics`` (the worker's input, read with ``store --article-texts``) keep each article's
    text, which editors' corrections point into."""
    result = BatchResult()
    quotes, tombstones, statuses, offsets, texts = _read(
        records, quotes_topic, status_topic, result, article_topics
    )
    built = {qid: quote_row(doc) for qid, doc in quotes.items()}
    with db.transaction():
        for chunk in _chunks(sorted(tombstones)):
            db.execute(f"DELETE FROM quotes WHERE quote_id IN ({', '.join('?' * len(chunk))})", chunk)
        # Article metadata from the quote records (the status records carry none).
        meta: dict[str, tuple[Any, ...]] = {}
        for doc in quotes.values():
            article = doc.get("article")
            if isinstance(article, dict):
                meta[doc["article_id"]] = (
                    doc["article_id"],
                    article.get("title"),
                    article.get("source"),
                    article.get("url"),
                    normalise_time(article.get("published_at")),
                )
        db.executemany(_UPSERT_ARTICLE_META, sorted(meta.values()))
        before = _current_sets(db, sorted(statuses))
        db.executemany(_UPSERT_STATUS, [_status_row(aid, doc) for aid, doc in sorted(statuses.items())])
        sets = _current_sets(db, sorted({d["article_id"] for d in quotes.values()} | set(statuses)))
        # Speaker keys first, so that each quote row is written once, with its key.
        names: dict[str, tuple[str, str]] = {}  # name_key -> (least spelling, first kind) in this batch
        for row in built.values():
            key, spelling, kind = row[15], row[10], row[13]
            if key is not None:
                seen = names.get(key)
                names[key] = (
                    (min(spelling, seen[0]), first_kind(kind, seen[1]))
                    if seen
                    else (spelling, first_kind(kind))
                )
        speaker_keys = refresh_speakers(db, names)
        # Quotes: current where the article's latest ok status lists them, at the position it gives.
        rows = []
        for qid, doc in quotes.items():
            ids = sets.get(doc["article_id"])
            position = ids.index(qid) if ids is not None and qid in ids else None
            row = built[qid]
            rows.append((*row, int(position is not None), position, speaker_keys.get(row[15])))
        db.executemany(_UPSERT_QUOTE, rows)
        # Articles whose quote set changed: the quotes it dropped hidden, the ones it lists shown at
        # their positions (those read in earlier batches; this batch's were just written so).
        # Invariant: a quote is current exactly when its article's latest ok status lists it.
        hide: list[tuple[str]] = []
        show: list[tuple[int, str, str]] = []
        for aid in sorted(statuses):
            ids, old = sets.get(aid), before.get(aid)
            if ids is None or ids == old:
                continue
            hide += [(qid,) for qid in sorted(set(old or ()) - set(ids))]
            show += [(i, qid, aid) for i, qid in enumerate(ids) if qid not in quotes]
        db.executemany("UPDATE quotes SET current = 0, position = NULL WHERE quote_id = ?", hide)
        db.executemany(
            "UPDATE quotes SET current = CASE WHEN rejected = 1 THEN 2 ELSE 1 END, position = ? "
            "WHERE quote_id = ? AND article_id = ?",
            show,
        )
        db.executemany(_UPSERT_TEXT, sorted(texts.values()))
        db.executemany(_UPSERT_OFFSET, [(t, p, o) for (t, p), o in sorted(offsets.items())])
    result.quotes = len(quotes)
    result.statuses = len(statuses)
    return result


def stored_offsets(db: Database) -> dict[tuple[str, int], int]:
    """The next offset to read of every partition the store has read from."""
    return {
        (t, int(p)): int(o)
        for t, p, o in db.query("SELECT topic, kafka_partition, next_offset FROM store_offsets")
    }
