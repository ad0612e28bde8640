"""Where the builder's articles come from: a file of article messages (JSON lines, optionally gzip'd) or
a Kafka topic read from its beginning to the end offsets it has when the build starts."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson


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
    """Article texts of every partition of ``topic``, from the beginning to the end offsets it has now
    (what arrives later is not read). No consumer group: nothing is committed. Messages that are not
    article messages are skipped: a topic may carry anything a producer sent."""
    from kafka import KafkaConsumer

    from worker.replay.plan import resolve

    consumer = KafkaConsumer(bootstrap_timeout_ms=15_000, enable_auto_commit=False, **kafka_kwargs)
    try:
        if not consumer.partitions_for_topic(topic):
            raise SourceError(f"topic {topic!r} does not exist")
        plan = {tp: r for tp, r in resolve(consumer, [topic]).items() if r.total}
        consumer.assign(list(plan))
        for tp, r in plan.items():
            consumer.seek(tp, r.start)
        left = dict(plan)
        while left:
            for tp, records in consumer.poll(timeout_ms=1000).items():
                if tp not in left:
                    continue
                end = left[tp].end
                for record in records:
                    if record.offset >= end:
                        break
                    try:
                        text = _article_text(orjson.loads(record.value))
                    except (orjson.JSONDecodeError, TypeError):
                        text = None
                    if text is not None:
                        yield text
                if consumer.position(tp) >= end:
                    del left[tp]
                    consumer.pause(tp)
    finally:
        consumer.close()
