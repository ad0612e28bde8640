"""What the stream publishes for one input message: quote records, one status record, and for bad input a
dead-letter record. Pure functions (no Kafka client), shared by ``run`` and ``replay``.

Keys and partitions (see docs/stream.md):

* quotes: key ``quote_id`` (a compacted topic dedupes re-sent quotes); the partition is chosen from the
  *article id* (``partition_for``: murmur2 of the id, as Kafka's default partitioner would for that key),
  so every quote of one article lands on one partition, in article order;
* status: key = article id, same partition rule (so an article's status sits beside its quotes' partition
  number when both topics have the same partition count);
* dead letters: key = article id when known, else none; partition from the article id, else from the
  source ``topic:partition`` so the dead letters of one source partition stay in order.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from kafka.partitioner.default import murmur2  # identical to the Java client's

from worker.records import SCHEMA_VERSION

OK = "ok"
DEAD_LETTERED = "dead_lettered"
CONTENT_TYPE = b"application/json"

Headers = list[tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class SourceMessage:
    """One consumed input record, reduced to what processing needs."""

    topic: str
    partition: int
    offset: int
    value: bytes
    key: bytes | None = None
    timestamp_ms: int | None = None


@dataclass(slots=True)
class Processed:
    """The result of extraction for one input message, in a form that pickles cheaply across processes:
    quote records are already serialised to JSON bytes."""

    article_id: str | None
    quotes: list[tuple[str, bytes]]  # (quote_id, JSON value)
    reason: str | None = None
    message: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass(frozen=True, slots=True)
class OutRecord:
    """One record to produce. ``partition_key`` picks the partition (``partition_for``)."""

    topic: str
    key: bytes | None
    value: bytes
    headers: Headers
    partition_key: bytes


@dataclass(frozen=True)
class OutputTopics:
    quotes: str
    status: str
    dead_letter: str


@dataclass(frozen=True)
class ExtractorInfo:
    version: str
    backend: str

    def as_dict(self) -> dict[str, str]:
        return {"version": self.version, "backend": self.backend}


@dataclass
class Built:
    """The records of one input message and what they mean for metrics."""

    records: list[OutRecord] = field(default_factory=list)
    quotes: int = 0
    dead_letter_reason: str | None = None


def partition_for(partition_key: bytes, partitions: int) -> int:
    """The partition of a key among ``partitions``: Kafka's default (murmur2, positive, modulo)."""
    return (murmur2(partition_key) & 0x7FFFFFFF) % partitions


def iso_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_ms(timestamp_ms: int | None) -> str | None:
    if timestamp_ms is None or timestamp_ms < 0:
        return None
    dt = datetime.fromtimestamp(timestamp_ms / 1000, UTC)
    return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def source_headers(src: SourceMessage) -> Headers:
    return [
        ("content-type", CONTENT_TYPE),
        ("schema-version", str(SCHEMA_VERSION).encode()),
        ("source-topic", src.topic.encode()),
        ("source-partition", str(src.partition).encode()),
        ("source-offset", str(src.offset).encode()),
    ]


def source_position(src: SourceMessage) -> dict[str, Any]:
    return {"topic": src.topic, "partition": src.partition, "offset": src.offset}


def status_document(
    src: SourceMessage, processed: Processed, extractor: ExtractorInfo, processed_at: str | None = None
) -> dict[str, Any]:
    """The status record of one input message (``schemas/status.schema.json``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "article_id": processed.article_id,
        "status": OK if processed.ok else DEAD_LETTERED,
        "quote_count": len(processed.quotes),
        "quote_ids": [qid for qid, _ in processed.quotes],
        "reason": processed.reason,
        "source": source_position(src),
        "extractor": extractor.as_dict(),
        "processing_ms": round(processed.seconds * 1000, 3),
        "processed_at": processed_at or iso_now(),
    }


def dead_letter_document(
    src: SourceMessage,
    processed: Processed,
    extractor: ExtractorInfo,
    max_original_bytes: int,
    dead_lettered_at: str | None = None,
) -> dict[str, Any]:
    """The dead-letter record of one bad input message (``schemas/deadletter.schema.json``). The original
    bytes travel base64-encoded in the JSON value, cut at ``max_original_bytes`` (flagged) so that the
    record fits the broker's size limit; the source position always points at the full original."""
    original = src.value[:max_original_bytes]
    return {
        "schema_version": SCHEMA_VERSION,
        "reason": processed.reason,
        "message": processed.message or "",
        "article_id": processed.article_id,
        "source": {
            **source_position(src),
            "timestamp": iso_ms(src.timestamp_ms),
            "key_base64": base64.b64encode(src.key).decode() if src.key is not None else None,
        },
        "original_base64": base64.b64encode(original).decode(),
        "original_size": len(src.value),
        "original_truncated": len(original) < len(src.value),
        "extractor": extractor.as_dict(),
        "dead_lettered_at": dead_lettered_at or iso_now(),
    }


def build_outputs(
    src: SourceMessage,
    processed: Processed,
    topics: OutputTopics,
    extractor: ExtractorInfo,
    max_original_bytes: int = 700_000,
) -> Built:
    """Every record to publish for one input message, in publishing order: its quotes (article order),
    then for bad input the dead letter, then the status record."""
    built = Built()
    headers = source_headers(src)
    aid = processed.article_id
    article_key = aid.encode() if aid is not None else None
    if processed.ok:
        assert article_key is not None
        for qid, value in processed.quotes:
            built.records.append(OutRecord(topics.quotes, qid.encode(), value, headers, article_key))
        built.quotes = len(processed.quotes)
    else:
        built.dead_letter_reason = processed.reason
        doc = dead_letter_document(src, processed, extractor, max_original_bytes)
        dl_headers = [*headers, ("dead-letter-reason", (processed.reason or "").encode())]
        fallback = f"{src.topic}:{src.partition}".encode()
        built.records.append(
            OutRecord(topics.dead_letter, article_key, orjson.dumps(doc), dl_headers, article_key or fallback)
        )
    status = orjson.dumps(status_document(src, processed, extractor))
    built.records.append(
        OutRecord(
            topics.status,
            article_key,
            status,
            headers,
            article_key or f"{src.topic}:{src.partition}".encode(),
        )
    )
    return built
