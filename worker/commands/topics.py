"""``quote-worker topics``: create and list the worker's Kafka topics (names and settings from
``worker/topics.py``).

    quote-worker topics create [--partitions N] [--replication-factor R] [--bootstrap-servers H:P]
    quote-worker topics list

``create`` is idempotent: topics that already exist are reported and left as they are. Exit status:
0 when every topic exists afterwards, 1 when one could not be created, 2 when the broker is unreachable.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from worker import topics

DEFAULT_BOOTSTRAP = "localhost:9092"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "topics",
        help="create or list the worker's Kafka topics",
        description="Create or list the worker's topics: "
        + ", ".join(f"{s.name} ({s.role})" for s in topics.ALL)
        + ". The quotes topic is compacted (keyed by quote_id).",
    )
    actions = p.add_subparsers(dest="topics_action", metavar="ACTION", required=True)

    create = actions.add_parser(
        "create",
        help="create the topics that do not exist yet (existing ones are reported, not changed)",
    )
    _add_connection_args(create)
    create.add_argument(
        "--partitions", type=int, default=3, help="partitions of each new topic (default %(default)s)"
    )
    create.add_argument(
        "--replication-factor",
        type=int,
        default=1,
        help="replicas of each new topic; 1 for a single local broker, 3 in production (default %(default)s)",
    )
    for spec in topics.ALL:
        create.add_argument(
            f"--{spec.role}-topic",
            dest=f"topic_{spec.role.replace('-', '_')}",
            default=spec.name,
            metavar="NAME",
            help=f"name of the {spec.role} topic (default %(default)s)",
        )
    create.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra topic config for every new topic, e.g. retention.ms=604800000 (repeatable)",
    )
    create.add_argument(
        "--only", action="append", choices=[s.role for s in topics.ALL], help="create only these roles"
    )
    create.add_argument("--timeout", type=float, default=30.0, help="seconds to wait (default %(default)s)")
    create.set_defaults(func=create_topics)

    listing = actions.add_parser("list", help="list the broker's topics with partitions and configs")
    _add_connection_args(listing)
    listing.add_argument(
        "--all", action="store_true", help="include internal topics (__consumer_offsets ...)"
    )
    listing.add_argument("--timeout", type=float, default=15.0, help="seconds to wait (default %(default)s)")
    listing.set_defaults(func=list_topics)


def _add_connection_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--bootstrap-servers",
        default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_BOOTSTRAP),
        metavar="HOST:PORT,...",
        help="Kafka brokers (env KAFKA_BOOTSTRAP_SERVERS; default %(default)s)",
    )


def _parse_configs(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--config expects KEY=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def _connect(args: argparse.Namespace) -> Any:
    """The admin client, or None after printing why the broker cannot be reached."""
    from kafka.errors import KafkaError

    servers = [s.strip() for s in args.bootstrap_servers.split(",") if s.strip()]
    try:
        return topics.admin_client(servers, timeout_s=min(args.timeout, 15.0))
    except (KafkaError, OSError) as exc:
        print(
            f"quote-worker topics: cannot reach Kafka at {','.join(servers)} ({type(exc).__name__}: {exc}). "
            "Is the broker running? Locally: deploy/kafka/kafka-local up",
            file=sys.stderr,
        )
        return None


def create_topics(args: argparse.Namespace) -> int:
    from kafka.errors import KafkaError

    try:
        extra = _parse_configs(args.config)
    except ValueError as exc:
        print(f"quote-worker topics create: {exc}", file=sys.stderr)
        return 2
    if args.partitions < 1 or args.replication_factor < 1:
        print(
            "quote-worker topics create: --partitions and --replication-factor must be >= 1", file=sys.stderr
        )
        return 2
    roles = set(args.only or [s.role for s in topics.ALL])
    wanted: dict[str, dict[str, str]] = {}
    for spec in topics.ALL:
        if spec.role in roles:
            name = getattr(args, f"topic_{spec.role.replace('-', '_')}")
            wanted[name] = {**extra, **spec.config}

    admin = _connect(args)
    if admin is None:
        return 2
    try:
        result = topics.ensure_topics(
            admin,
            wanted,
            partitions=args.partitions,
            replication_factor=args.replication_factor,
            timeout_s=args.timeout,
        )
    except (KafkaError, TimeoutError, OSError) as exc:
        print(f"quote-worker topics create: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        admin.close()
    for name in wanted:
        config = ", ".join(f"{k}={v}" for k, v in wanted[name].items())
        if name in result.created:
            state = f"created ({args.partitions} partitions, replication {args.replication_factor})"
        elif name in result.existing:
            state = "exists (left unchanged)"
        else:
            state = f"FAILED: {result.failed.get(name, 'unknown error')}"
        print(f"{name}: {state}{f'; {config}' if config and name in result.created else ''}")
    return 1 if result.failed else 0


def list_topics(args: argparse.Namespace) -> int:
    from kafka.errors import KafkaError

    admin = _connect(args)
    if admin is None:
        return 2
    try:
        described = admin.describe_topics()
        names = sorted(
            str(d.get("name", d.get("topic")))
            for d in described
            if args.all or not (d.get("is_internal") or str(d.get("name", d.get("topic"))).startswith("__"))
        )
        configs = topics.describe_topic_configs(admin, names) if names else {}
    except (KafkaError, OSError) as exc:
        print(f"quote-worker topics list: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        admin.close()
    by_name = {str(d.get("name", d.get("topic"))): d for d in described}
    ours = {s.name: s.role for s in topics.ALL}
    for name in names:
        parts = by_name[name].get("partitions") or []
        rf = max((len(p.get("replicas") or p.get("replica_nodes") or []) for p in parts), default=0)
        role = f" [{ours[name]}]" if name in ours else ""
        config = ", ".join(f"{k}={v}" for k, v in sorted(configs.get(name, {}).items()))
        print(f"{name}{role}: {len(parts)} partitions, replication {rf}{f'; {config}' if config else ''}")
    return 0
