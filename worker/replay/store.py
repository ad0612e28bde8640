"""Where a replay's output and progress go.

* ``FileSink``: a ``Sink`` (``worker.stream.sink``) that writes each record's value as one JSON line, to
  the output file (quotes) and beside it (``*.status.jsonl``, ``*.dlq.jsonl``); ``commit`` flushes and
  fsyncs the files, then hands the offsets and the file sizes to the checkpoint.
* ``GroupCheckpoint``: progress of a named backfill with topic output, as committed offsets of the
  consumer group ``quote-worker-replay.NAME`` (no group membership: the consumer uses ``assign``); the
  frozen range of each partition travels in the commit's metadata.
* ``FileCheckpoint``: progress of a named backfill with file output, as a JSON file written atomically
  (temporary file, fsync, rename) after the output is flushed; it also records the output files' sizes,
  so a resumed run first cuts off whatever was written after the last checkpoint (no duplicates).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import orjson
from kafka import OffsetAndMetadata, TopicPartition

from worker.replay.plan import Plan, Range
from worker.stream.messages import OutputTopics, OutRecord
from worker.stream.sink import Offsets, Sink

GROUP_PREFIX = "quote-worker-replay."
CHECKPOINT_VERSION = 1


def group_id(name: str) -> str:
    return GROUP_PREFIX + name


def side_paths(output: Path) -> tuple[Path, Path]:
    """Status and dead-letter files beside ``output``: ``out.jsonl`` -> ``out.status.jsonl``,
    ``out.dlq.jsonl``."""
    stem = output.name[: -len(".jsonl")] if output.name.endswith(".jsonl") else output.name
    return output.with_name(f"{stem}.status.jsonl"), output.with_name(f"{stem}.dlq.jsonl")


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a directory be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


class FileSink(Sink):
    """JSON lines instead of topics: ``topics`` maps the three pseudo topic names to files."""

    def __init__(
        self,
        paths: Mapping[str, Path],
        truncate_to: Mapping[str, int] | None = None,
        on_commit: Callable[[Offsets, dict[str, int]], None] | None = None,
    ) -> None:
        super().__init__(None)  # no producer: ``send`` writes to files
        self.paths = dict(paths)
        self.on_commit = on_commit
        self._files: dict[str, IO[bytes]] = {}
        self._pending: list[OutRecord] = []
        for topic, path in self.paths.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            f = path.open("ab" if truncate_to is not None else "wb")
            if truncate_to is not None:
                size = truncate_to.get(topic, 0)
                if f.tell() < size:
                    raise RuntimeError(f"{path} is shorter than its checkpoint says ({f.tell()} < {size})")
                f.truncate(size)
                f.seek(size)
            self._files[topic] = f

    @staticmethod
    def topics_for(output: Path) -> tuple[OutputTopics, dict[str, Path]]:
        status, dlq = side_paths(output)
        topics = OutputTopics(str(output), str(status), str(dlq))
        return topics, {str(output): output, str(status): status, str(dlq): dlq}

    def send(self, rec: OutRecord) -> None:
        f = self._files[rec.topic]
        f.write(rec.value)
        f.write(b"\n")
        self._pending.append(rec)

    def sizes(self) -> dict[str, int]:
        return {topic: f.tell() for topic, f in self._files.items()}

    def commit(self, offsets: Offsets) -> bool:
        for f in self._files.values():
            f.flush()
            os.fsync(f.fileno())
        self._count(self._pending)
        self._pending.clear()
        if self.on_commit is not None:
            self.on_commit(offsets, self.sizes())
        return True

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()


def _range_doc(r: Range) -> dict[str, int]:
    return {"start": r.start, "end": r.end, "next": r.next}


class FileCheckpoint:
    """``{"version", "name", "topics", "partitions": [{topic, partition, start, end, next}], "files"}``."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name

    def load(self) -> tuple[Plan, dict[str, int]] | None:
        if not self.path.exists():
            return None
        doc = orjson.loads(self.path.read_bytes())
        if doc.get("version") != CHECKPOINT_VERSION:
            raise RuntimeError(f"{self.path}: unknown checkpoint version {doc.get('version')!r}")
        plan = {
            TopicPartition(p["topic"], p["partition"]): Range(p["start"], p["end"], p["next"])
            for p in doc["partitions"]
        }
        return plan, {k: int(v) for k, v in doc.get("files", {}).items()}

    def save(self, plan: Plan, sizes: Mapping[str, int]) -> None:
        doc: dict[str, Any] = {
            "version": CHECKPOINT_VERSION,
            "name": self.name,
            "topics": sorted({tp.topic for tp in plan}),
            "complete": all(r.done for r in plan.values()),
            "partitions": [
                {"topic": tp.topic, "partition": tp.partition, **_range_doc(r)}
                for tp, r in sorted(plan.items())
            ],
            "files": dict(sizes),
        }
        write_atomic(self.path, orjson.dumps(doc, option=orjson.OPT_INDENT_2))

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


class GroupCheckpoint:
    """Committed offsets of ``quote-worker-replay.NAME``; metadata ``{"start": S, "end": E}``."""

    def __init__(self, consumer: Any, name: str) -> None:
        self.consumer = consumer
        self.name = name

    def load(self, tps: list[TopicPartition]) -> Plan | None:
        """The stored ranges of ``tps``; None when the group has committed none of them."""
        found: Plan = {}
        for tp in tps:
            om = self.consumer.committed(tp, metadata=True)
            if om is None or om.offset is None or om.offset < 0:
                continue
            try:
                meta = orjson.loads(om.metadata or b"{}")
                found[tp] = Range(int(meta["start"]), int(meta["end"]), int(om.offset))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                raise RuntimeError(
                    f"group {group_id(self.name)} has an offset for {tp.topic}[{tp.partition}] without a "
                    "replay range in its metadata (not a replay group?); use --restart or another --name"
                ) from None
        if not found:
            return None
        missing = [tp for tp in tps if tp not in found]
        if missing:
            raise RuntimeError(
                f"backfill {self.name!r} has no progress for {missing} (partitions added since it started, "
                "or other topics); use --restart to start it over"
            )
        return found

    def save(self, plan: Plan, tps: list[TopicPartition] | None = None) -> None:
        payload = {
            tp: OffsetAndMetadata(
                plan[tp].next, orjson.dumps({"start": plan[tp].start, "end": plan[tp].end}).decode(), -1
            )
            for tp in (plan if tps is None else tps)
        }
        if payload:
            self.consumer.commit(payload)
