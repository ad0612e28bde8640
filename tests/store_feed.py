"""What the stream worker publishes for a list of article messages, built by the worker's own code
(``process_values`` + ``build_outputs``): the store's tests feed these records, as a worker would,
without running one. The articles are invented here."""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson

from worker.extractor import Extractor
from worker.records import DEFAULT_MAX_BYTES
from worker.store.ingest import Consumed
from worker.stream.extraction import process_values
from worker.stream.messages import (
    ExtractorInfo,
    OutputTopics,
    OutRecord,
    SourceMessage,
    build_outputs,
    partition_for,
)

SPEAKERS = (
    ("الوزير", "أحمد سالم"),
    ("المتحدثة باسم الشركة", "ليلى حداد"),
    ("رئيس البلدية", "سمير يوسف"),
    ("الرئيس الأميركي", "دونالد ترامب"),
)
OUTLETS = ("صحيفة الشروق", "وكالة الأنباء", "موقع المدينة")


def article(i: int, version: int = 1, prefix: str = "art") -> dict[str, Any]:
    """Article ``i``: two quotes (a direct one and reported speech) by one of ``SPEAKERS``, an outlet and
    a date; ``version`` changes the words, hence the quote spans and ids (a re-extraction); version 0
    is a text without quotes."""
    title, name = SPEAKERS[i % len(SPEAKERS)]
    family = name.split()[-1]
    extra = " جدا" * (version - 1)
    text = (
        f'قال {title} {name} إن "المشروع رقم {i} سيكتمل قريبا{extra}". '
        f"وأضاف {family}: «نحن ملتزمون بالموعد المحدد للمسؤولية رقم {i}»."
    )
    if version == 0:
        text = f"افتتح المعرض الدولي للكتاب أبوابه اليوم بمشاركة {i} دار نشر."
    day = 1 + i % 28
    return {
        "id": f"{prefix}-{i:05d}",
        "text": text,
        "title": f"خبر رقم {i}",
        "source": OUTLETS[i % len(OUTLETS)],
        "url": f"https://news.example/{prefix}/{i}",
        "published_at": f"2024-0{1 + i % 3}-{day:02d}T08:00:00+03:00",
    }


@cache
def _extractor() -> Extractor:
    return Extractor("rules")


def worker_output(docs: list[dict[str, Any]], quotes_topic: str, status_topic: str) -> list[OutRecord]:
    """The quote and status records of ``docs``, in publishing order (dead letters left out)."""
    values = [orjson.dumps(d) for d in docs]
    extractor = _extractor()
    info = ExtractorInfo(extractor.version, extractor.backend_name)
    topics = OutputTopics(quotes_topic, status_topic, "dlq")
    out: list[OutRecord] = []
    for offset, (value, processed) in enumerate(
        zip(values, process_values(values, extractor, DEFAULT_MAX_BYTES), strict=True)
    ):
        src = SourceMessage("articles", 0, offset, value, None, None)
        out += [r for r in build_outputs(src, processed, topics, info).records if r.topic != "dlq"]
    return out


def as_consumed(records: list[OutRecord], partitions: int = 1) -> list[Consumed]:
    """The records as a store would read them from topics of ``partitions`` partitions."""
    next_offset: dict[tuple[str, int], int] = {}
    out = []
    for r in records:
        p = partition_for(r.partition_key, partitions)
        off = next_offset.get((r.topic, p), 0)
        next_offset[(r.topic, p)] = off + 1
        out.append(Consumed(r.topic, p, off, r.key, r.value))
    return out


def produce(producer: Any, records: list[OutRecord], partitions: int) -> None:
    for r in records:
        producer.send(r.topic, key=r.key, value=r.value, partition=partition_for(r.partition_key, partitions))
