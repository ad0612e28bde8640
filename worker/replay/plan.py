"""What a replay covers: per partition, the first offset of the backfill, the end offset frozen when it
first started, and the next offset to read. Parsing of ``--from``/``--until`` times and ``--offsets``.

Offsets come from the broker: ``beginning_offsets``/``end_offsets`` (taken once, at the start of the
backfill), and ``offsets_for_times`` for time bounds (the first offset whose timestamp is >= the time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka import TopicPartition

from worker.stream.config import ConfigError

EARLIEST = "earliest"
END = "end"


@dataclass
class Range:
    """One partition of a backfill: offsets ``[start, end)``; ``next`` is the next offset to read (its
    committed position). ``end`` is frozen when the backfill first starts, so that what arrives later is
    not part of it."""

    start: int
    end: int
    next: int

    @property
    def total(self) -> int:
        return max(0, self.end - self.start)

    @property
    def remaining(self) -> int:
        return max(0, self.end - max(self.next, self.start))

    @property
    def done(self) -> bool:
        return self.next >= self.end


Plan = dict[TopicPartition, Range]


def tp_name(tp: TopicPartition) -> str:
    return f"{tp.topic}[{tp.partition}]"


def parse_time(text: str) -> int:
    """Milliseconds since the epoch from ISO 8601 (``2024-05-01T00:00:00Z``, ``2024-05-01``; no zone
    means UTC) or a plain integer of epoch milliseconds."""
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ConfigError(f"not a time: {text!r} (use ISO 8601, e.g. 2024-05-01T00:00:00Z)") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp() * 1000)


OffsetSpec = dict[tuple[str | None, int], int | str]


def parse_offsets(text: str) -> OffsetSpec:
    """``--offsets``: comma-separated ``PARTITION:OFFSET`` or ``TOPIC:PARTITION:OFFSET`` items; OFFSET is
    a number, ``earliest`` or ``end`` (skip the partition)."""
    out: OffsetSpec = {}
    for item in (i.strip() for i in text.split(",")):
        if not item:
            continue
        parts = item.rsplit(":", 2)
        try:
            if len(parts) == 2:
                topic, part, off = None, int(parts[0]), parts[1].strip()
            elif len(parts) == 3:
                topic, part, off = parts[0], int(parts[1]), parts[2].strip()
            else:
                raise ValueError(item)
            value: int | str = off if off in (EARLIEST, END) else int(off)
        except ValueError:
            raise ConfigError(
                f"bad --offsets item {item!r}: use PARTITION:OFFSET or TOPIC:PARTITION:OFFSET, "
                "OFFSET a number, 'earliest' or 'end'"
            ) from None
        if isinstance(value, int) and value < 0:
            raise ConfigError(f"bad --offsets item {item!r}: negative offset")
        out[(topic, part)] = value
    if not out:
        raise ConfigError("--offsets is empty")
    return out


def partitions_of(consumer: Any, topics: list[str]) -> list[TopicPartition]:
    tps: list[TopicPartition] = []
    for topic in topics:
        parts = consumer.partitions_for_topic(topic)
        if not parts:
            raise ConfigError(f"input topic {topic!r} does not exist (or has no partitions)")
        tps += [TopicPartition(topic, p) for p in sorted(parts)]
    return tps


def _times(consumer: Any, tps: list[TopicPartition], ms: int) -> dict[TopicPartition, int | None]:
    found = consumer.offsets_for_times(dict.fromkeys(tps, ms))
    return {tp: (found[tp].offset if found.get(tp) is not None else None) for tp in tps}


def resolve(
    consumer: Any,
    topics: list[str],
    *,
    from_ms: int | None = None,
    offsets: OffsetSpec | None = None,
    until_ms: int | None = None,
) -> Plan:
    """The ranges of a fresh backfill: start at the earliest offset, the first at/after ``from_ms``, or
    the explicit ``offsets`` (every partition must be named); end at the current end offset, or at the
    first offset at/after ``until_ms`` when that comes first."""
    tps = partitions_of(consumer, topics)
    begin = consumer.beginning_offsets(tps)
    end = consumer.end_offsets(tps)
    start: dict[TopicPartition, int] = dict(begin)
    if from_ms is not None:
        for tp, off in _times(consumer, tps, from_ms).items():
            start[tp] = end[tp] if off is None else off
    if offsets is not None:
        missing = []
        for tp in tps:
            value = offsets.get((tp.topic, tp.partition), offsets.get((None, tp.partition)))
            if value is None:
                missing.append(tp_name(tp))
            elif value == END:
                start[tp] = end[tp]
            elif value != EARLIEST:
                assert isinstance(value, int)
                start[tp] = value
        if len(topics) > 1 and any(t is None for t, _ in offsets):
            raise ConfigError("with several topics, --offsets items must be TOPIC:PARTITION:OFFSET")
        unknown = [
            f"{t or topics[0]}[{p}]" for t, p in offsets if TopicPartition(t or topics[0], p) not in begin
        ]
        if unknown:
            raise ConfigError(f"--offsets names partitions that do not exist: {', '.join(unknown)}")
        if missing:
            raise ConfigError(
                f"--offsets does not name {', '.join(missing)}: name every partition "
                "(OFFSET 'earliest' starts at the beginning, 'end' skips it)"
            )
    stop = dict(end)
    if until_ms is not None:
        for tp, off in _times(consumer, tps, until_ms).items():
            if off is not None:
                stop[tp] = min(off, end[tp])
    plan: Plan = {}
    for tp in tps:
        first = min(max(start[tp], begin[tp]), stop[tp])
        plan[tp] = Range(first, max(stop[tp], first), first)
    return plan
