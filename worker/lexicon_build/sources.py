"""Where the builder's articles come from: a file of article messages (JSON lines, optionally gzip'd) or
a Kafka topic read from its beginning to the end offsets it has when the build starts."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

#: A partition that yields nothing this long before its end offset is an error (broker gone).
STALL_TIMEOUT_S = 60.0


class SourceError(ValueError):
    """Input the builder cannot read (the message names the file and line, or the topic)."""


def _article_text(message: Any) -> str | None:
    """The text of one article message (title first when it is given apart); None when it has none."""
    if not isinstance(message, dict) or not isinstance(message.get("text"), str):
        return None
    title = message.get("title")
    return f"{title}\n\n{message['text']}" if isinstance(title, str) and title else message["text"]


def read_file(path: Path) -> Iterator[str]:
    """Article texts of a JSON-lines file (``.gz``: gzip'd). A line that is not an article message is an
    error: an archive is the user's own data, and silently mining half of it would mislead."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from None
    with raw, gzip.open(raw) if path.suffix == ".gz" else raw as stream:
        try:
            for n, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    text = _article_text(orjson.loads(line))
                except orjson.JSONDecodeError as exc:
                    raise SourceError(f"{path}:{n}: not JSON ({exc})") from None
                if text is None:
                    raise SourceError(f"{path}:{n}: not an article message (no string field 'text')")
                yield text
        except (OSError, EOFError) as exc:  # a truncated or corrupt .gz
            raise SourceError(f"cannot read {path}: {exc}") from None


def read_topic(topic: str, kafka_kwargs: dict[str, Any]) -> Iterator[str]:
    """Article texts of ``topic``, partition by partition in partition order, each from its beginning to
    the end offset it has now (what arrives later is not read): the same topic contents always give the
    same texts in the same order, so the same lexicon. No consumer group: nothing is committed. Records
    that are not article messages are skipped: a topic may carry anything a producer sent."""
    from kafka import KafkaConsumer

    from worker.replay.plan import resolve

    consumer = KafkaConsumer(
        bootstrap_timeout_ms=15_000, enable_auto_commit=False, allow_auto_create_topics=False, **kafka_kwargs
    )
    try:
        if not consumer.partitions_for_topic(topic):
            raise SourceError(f"topic {topic!r} does not exist")
        plan = resolve(consumer, [topic])
        for tp in sorted(plan, key=lambda tp: tp.partition):
            span = plan[tp]
            if not span.total:
                continue
            consumer.assign([tp])
            consumer.seek(tp, span.start)
            last_progress = time.monotonic()
            while consumer.position(tp) < span.end:
                polled = consumer.poll(timeout_ms=1000)
                if polled:
                    last_progress = time.monotonic()
                elif time.monotonic() - last_progress > STALL_TIMEOUT_S:
                    raise SourceError(f"no records from {topic}[{tp.partition}] for {STALL_TIMEOUT_S:.0f} s")
                for records in polled.values():
                    for record in records:
                        if record.offset >= span.end:
                            break
                        try:
                            text = _article_text(orjson.loads(record.value))
                        except (orjson.JSONDecodeError, TypeError):
                            text = None
                        if text is not None:
                            yield text
    finally:
        consumer.close()
