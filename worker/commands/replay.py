"""``quote-worker replay``: re-extract quotes from an archived article topic, bounded and resumable.
Same extraction, records, dead letters and status records as ``quote-worker run``. See docs/replay.md.

Exit status: 0 when the range is done (or after ``--dry-run``), 2 for bad options or configuration
(missing topic, live output topic without ``--allow-live-topic``), 1 for other fatal errors, 130 when
stopped by a signal before the end (a named backfill then resumes where it stopped).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from worker.commands.common import add_backend_args, extractor_factory
from worker.stream.config import CONNECTION_SETTINGS, ConfigError, add_config_args, load_config

if TYPE_CHECKING:
    from worker.replay import ReplayOptions

log = logging.getLogger("worker.replay")

# The stream settings replay takes from flags, environment or --config (connection, security, batching).
CONFIG_SETTINGS = (
    *CONNECTION_SETTINGS,
    "processes",
    "extraction_timeout_ms",
    "batch_size",
    "poll_timeout_ms",
    "max_bytes",
    "dead_letter_max_original_bytes",
    "log_level",
    "log_format",
)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "replay",
        help="re-extract quotes from an archived article topic (bounded, resumable backfill)",
        description="Read every partition of the input topic(s) from a start point up to the end "
        "offsets taken at start (or --until), publish the same records as `quote-worker run` to a "
        "backfill topic or a JSON-lines file, print a summary and exit.",
    )
    p.add_argument("topics", nargs="+", metavar="TOPIC", help="input (article) topic(s)")
    start = p.add_mutually_exclusive_group()
    start.add_argument(
        "--from-beginning", action="store_true", help="start at the earliest offset (the default)"
    )
    start.add_argument(
        "--from",
        dest="from_time",
        metavar="TIME",
        help="start at the first message with timestamp >= TIME (ISO 8601, e.g. 2024-05-01T00:00:00Z, or "
        "epoch milliseconds)",
    )
    start.add_argument(
        "--offsets",
        metavar="P:OFF,...",
        help="explicit start offsets, every partition named: PARTITION:OFFSET or TOPIC:PARTITION:OFFSET; "
        "OFFSET a number, 'earliest' or 'end' (skip)",
    )
    p.add_argument(
        "--until",
        metavar="TIME",
        help="stop before the first message with timestamp >= TIME, per partition (default: the end "
        "offsets when the replay starts)",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--output-topic", metavar="TOPIC", help="topic of quote records (must exist)")
    out.add_argument(
        "--output-file",
        type=Path,
        metavar="PATH",
        help="JSON-lines file of quote records; status records and dead letters go beside it "
        "(NAME.status.jsonl, NAME.dlq.jsonl)",
    )
    p.add_argument(
        "--status-topic",
        dest="replay_status_topic",
        metavar="TOPIC",
        help="status topic (default: OUTPUT_TOPIC.status)",
    )
    p.add_argument(
        "--dead-letter-topic",
        dest="replay_dead_letter_topic",
        metavar="TOPIC",
        help="dead letters (default: OUTPUT_TOPIC.dlq)",
    )
    p.add_argument(
        "--allow-live-topic",
        action="store_true",
        help="allow writing to the live worker's output topics (refused by default)",
    )
    p.add_argument(
        "--name",
        metavar="NAME",
        help="a resumable backfill: progress is stored (consumer group quote-worker-replay.NAME for topic "
        "output, a checkpoint file for file output) and a rerun continues where it stopped",
    )
    p.add_argument("--restart", action="store_true", help="with --name: forget stored progress, start over")
    p.add_argument(
        "--checkpoint",
        type=Path,
        metavar="PATH",
        help="with --name and --output-file: the checkpoint file (default: OUTPUT_FILE.checkpoint.json)",
    )
    p.add_argument("--max-rate", type=float, metavar="N", help="at most N articles per second")
    p.add_argument(
        "--dry-run", action="store_true", help="only count the messages in range per partition and exit"
    )
    p.add_argument(
        "--progress",
        choices=("auto", "bar", "log", "none"),
        default="auto",
        help="bar: progress bars (total and per partition); log: a log line every --progress-interval; "
        "auto: bar on a terminal, else log (default: %(default)s)",
    )
    p.add_argument("--progress-interval", type=float, default=10.0, metavar="SECONDS")
    add_backend_args(p)
    add_config_args(p, only=CONFIG_SETTINGS)  # their dests are setting names: replay's own flags avoid them
    p.set_defaults(func=run)


def options_from(args: argparse.Namespace) -> ReplayOptions:
    """``ReplayOptions`` from the flags, checked for combinations that make no sense."""
    from worker.replay import ReplayOptions
    from worker.replay.plan import parse_offsets, parse_time

    opts = ReplayOptions(
        topics=list(args.topics),
        output_topic=args.output_topic,
        status_topic=args.replay_status_topic,
        dead_letter_topic=args.replay_dead_letter_topic,
        output_file=args.output_file,
        name=args.name,
        restart=args.restart,
        checkpoint=args.checkpoint,
        from_ms=parse_time(args.from_time) if args.from_time else None,
        offsets=parse_offsets(args.offsets) if args.offsets else None,
        until_ms=parse_time(args.until) if args.until else None,
        max_rate=args.max_rate,
        dry_run=args.dry_run,
        progress=args.progress,
        progress_interval_s=args.progress_interval,
    )
    if opts.max_rate is not None and opts.max_rate <= 0:
        raise ConfigError("--max-rate must be positive")
    if (args.replay_status_topic or args.replay_dead_letter_topic) and not args.output_topic:
        raise ConfigError("--status-topic/--dead-letter-topic go with --output-topic")
    if args.checkpoint and not (args.name and args.output_file):
        raise ConfigError("--checkpoint goes with --name and --output-file")
    if not args.dry_run and not (args.output_topic or args.output_file):
        raise ConfigError("give --output-topic or --output-file (or --dry-run)")
    return opts


def run(args: argparse.Namespace) -> int:
    from kafka import errors as kerr

    from worker.replay import Replay, format_plan
    from worker.stream.logs import setup_logging

    try:
        config = load_config(args)
        opts = options_from(args)
        # the live worker's output topics (flags aside: environment, --config file, defaults)
        live = {config.quotes_topic, config.status_topic, config.dead_letter_topic}
        if opts.output_topic is not None and not args.allow_live_topic:
            clash = sorted(live & set(dataclasses.astuple(opts.output_topics())))
            if clash:
                raise ConfigError(
                    f"{', '.join(clash)} is an output topic of the live worker; replay into a backfill "
                    "topic, or pass --allow-live-topic"
                )
        replay = Replay(opts, config, extractor_factory(args))
    except ConfigError as exc:
        print(f"quote-worker replay: {exc}", file=sys.stderr)
        return 2
    setup_logging(replay.config.log_level, replay.config.log_format)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if replay.stopping:
            raise KeyboardInterrupt
        replay.request_stop(signal.Signals(signum).name)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        if opts.dry_run:
            plan = replay.dry_run()
            print(format_plan(plan))
            return 0
        summary = replay.run()
    except ConfigError as exc:
        log.error(f"configuration error: {exc}")
        print(f"quote-worker replay: {exc}", file=sys.stderr)
        return 2
    except kerr.KafkaError as exc:
        log.exception(f"fatal Kafka error: {exc!r}")
        return 1
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    print(summary.text(), flush=True)
    return 0 if summary.complete else 130
