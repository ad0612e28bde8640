"""The worker's topics: default names and the settings each is created with. One place, so that
``quote-worker topics create``, the stream worker, replay and the tests agree."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TopicSpec:
    role: str
    name: str
    config: dict[str, str] = field(default_factory=dict)
    help: str = ""


ARTICLES = TopicSpec("articles", "articles", {}, "input: one article message per record")
QUOTES = TopicSpec(
    "quotes",
    "quotes",
    # Compacted: records are keyed by quote_id, so a re-sent quote replaces its twin.
    {"cleanup.policy": "compact"},
    "output: one quote record per quote, keyed by quote_id",
)
STATUS = TopicSpec(
    "status", "article-status", {}, "one status record per input article (ok or dead-lettered)"
)
DEAD_LETTER = TopicSpec(
    "dead-letter", "articles.dlq", {}, "input that could not be processed, with the reason"
)

ALL = (ARTICLES, QUOTES, STATUS, DEAD_LETTER)

BY_ROLE = {spec.role: spec for spec in ALL}


# ----------------------------------------------------------------------------------------------------
# Creating topics through kafka-python's admin client (used by ``quote-worker topics`` and the tests).
# kafka-python has no type hints and changed its admin API between 2.x and 3.x; both are handled here.


@dataclass
class EnsureResult:
    """What ``ensure_topics`` did, per topic name."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def admin_client(bootstrap_servers: str | list[str], timeout_s: float = 10.0, **extra: Any) -> Any:
    """A ``KafkaAdminClient`` that gives up connecting after ``timeout_s`` (raises NoBrokersAvailable)."""
    from kafka import KafkaAdminClient

    ms = int(timeout_s * 1000)
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers,
        "client_id": "quote-worker-admin",
        "request_timeout_ms": max(ms, 1000),
    }
    known = getattr(KafkaAdminClient, "DEFAULT_CONFIG", {})
    for key in ("bootstrap_timeout_ms", "api_version_auto_timeout_ms"):  # kafka-python 3.x, 2.x
        if key in known:
            options[key] = ms
    options.update(extra)
    return KafkaAdminClient(**options)


def _create_one_batch(
    admin: Any, wanted: dict[str, tuple[int, int, dict[str, str]]], timeout_ms: int
) -> dict[str, tuple[int, str]]:
    """Send one CreateTopics request; return {name: (error_code, message)} (0 = created)."""
    import kafka

    if int(kafka.__version__.split(".")[0]) >= 3:
        request = {
            name: {"num_partitions": parts, "replication_factor": rf, "configs": dict(configs)}
            for name, (parts, rf, configs) in wanted.items()
        }
        response = admin.create_topics(request, timeout_ms=timeout_ms, raise_errors=False)
        return {
            t["name"]: (int(t.get("error_code", 0)), str(t.get("error_message") or ""))
            for t in response.get("topics", [])
        }
    from kafka.admin import NewTopic  # kafka-python 2.x
    from kafka.errors import KafkaError

    out: dict[str, tuple[int, str]] = {}
    for name, (parts, rf, configs) in wanted.items():
        try:
            response = admin.create_topics(
                [NewTopic(name, parts, rf, topic_configs=dict(configs))], timeout_ms=timeout_ms
            )
            for entry in getattr(response, "topic_errors", []):
                out[str(entry[0])] = (int(entry[1]), str(entry[2] if len(entry) > 2 else ""))
            out.setdefault(name, (0, ""))
        except KafkaError as exc:
            out[name] = (int(getattr(exc, "errno", -1) or -1), str(exc))
    return out


def ensure_topics(
    admin: Any,
    topics: dict[str, dict[str, str]],
    *,
    partitions: int = 3,
    replication_factor: int = 1,
    timeout_s: float = 30.0,
    wait: bool = True,
) -> EnsureResult:
    """Create each topic of ``{name: config}`` that does not exist yet. Existing topics are reported,
    not changed and not an error. With ``wait``, returns once every topic has a leader for each
    partition (usable by producers and consumers)."""
    from kafka.errors import TopicAlreadyExistsError

    result = EnsureResult()
    present = set(admin.list_topics())
    wanted = {}
    for name, config in topics.items():
        if name in present:
            result.existing.append(name)
        else:
            wanted[name] = (partitions, replication_factor, config)
    if wanted:
        for name, (code, message) in _create_one_batch(admin, wanted, int(timeout_s * 1000)).items():
            if code == 0:
                result.created.append(name)
            elif code == TopicAlreadyExistsError.errno:  # created meanwhile by someone else
                result.existing.append(name)
            else:
                from kafka.errors import for_code

                result.failed[name] = f"{for_code(code).__name__}: {message}".rstrip(": ")
    if wait:
        wait_for_topics(admin, [n for n in topics if n not in result.failed], timeout_s=timeout_s)
    return result


def topic_not_ready(description: dict[str, Any] | None) -> str | None:
    """Why a ``describe_topics`` entry is not usable yet, or None when it is."""
    if description is None:
        return "not in metadata"
    if description.get("error_code", 0):
        return f"error code {description['error_code']}"
    partitions = description.get("partitions") or []
    if not partitions:
        return "no partitions yet"
    for part in partitions:
        leader = part.get("leader", part.get("leader_id", -1))
        if part.get("error_code", 0) or leader is None or leader < 0:
            return f"partition {part.get('partition', part.get('partition_index'))} has no leader"
    return None


def wait_for_topics(admin: Any, names: list[str], timeout_s: float = 30.0) -> None:
    """Block until every named topic has a leader for each partition; TimeoutError otherwise."""
    deadline = time.monotonic() + timeout_s
    pending = {name: "not yet asked" for name in names}
    while pending:
        try:
            described = admin.describe_topics(list(pending))
        except Exception as exc:  # transient metadata errors while the topics appear
            pending = dict.fromkeys(pending, f"describe_topics failed: {exc!r}")
        else:
            by_name = {d.get("name", d.get("topic")): d for d in described}
            pending = {n: r for n in pending if (r := topic_not_ready(by_name.get(n))) is not None}
        if not pending:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"topics not ready after {timeout_s:.0f}s: {pending}")
        time.sleep(0.1)


def describe_topic_configs(admin: Any, names: list[str]) -> dict[str, dict[str, str]]:
    """The non-default configs of each topic, as {name: {key: value}}."""
    from kafka.admin import ConfigResource, ConfigResourceType

    resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in names]
    response = admin.describe_configs(resources)
    out: dict[str, dict[str, str]] = {name: {} for name in names}
    if isinstance(response, dict):  # kafka-python 3.x: {type: {name: {key: {value: ...}}}}
        for by_name in response.values():
            for name, configs in by_name.items():
                for key, data in configs.items():
                    value = data.get("value") if isinstance(data, dict) else data
                    out.setdefault(name, {})[key] = "" if value is None else str(value)
        return out
    for resp in response if isinstance(response, list) else [response]:  # kafka-python 2.x
        for resource in resp.resources:
            name, entries = resource[3], resource[4]
            for entry in entries:
                is_default = entry[3] if len(entry) > 3 else False
                if not is_default:
                    out.setdefault(name, {})[entry[0]] = str(entry[1])
    return out
