"""``quote-worker run``: the long-running Kafka worker. Articles in, quote records, status records and
dead letters out, with the delivery guarantee chosen by ``--guarantee``. See docs/stream.md.

Exit status: 0 after a clean shutdown (SIGTERM/SIGINT), 2 for fatal configuration (missing topic, bad
credentials, bad settings), 1 for any other fatal error.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from types import FrameType

from worker.commands.common import add_backend_args, extractor_factory
from worker.stream.config import ConfigError, add_config_args, load_config

log = logging.getLogger("worker.run")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "run",
        help="consume articles from Kafka and publish quote records (the streaming worker)",
        description="Consume article messages, extract quotes, publish quote, status and dead-letter "
        "records. Settings come from flags, then QUOTE_WORKER_*/KAFKA_* environment variables, then "
        "--config FILE (TOML), then the defaults shown.",
    )
    add_backend_args(p)
    add_config_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kafka import errors as kerr

    from worker.stream import metrics
    from worker.stream.consumer import StreamWorker
    from worker.stream.health import Health
    from worker.stream.lag import broker_timeout_s
    from worker.stream.logs import setup_logging
    from worker.stream.sink import FatalError

    try:
        config = load_config(args)
    except ConfigError as exc:
        print(f"quote-worker run: configuration error: {exc}", file=sys.stderr)
        return 2
    setup_logging(config.log_level, config.log_format)
    health = Health(config.stall_timeout_s, broker_timeout_s(config))
    worker = StreamWorker(config, extractor_factory(args), health)

    first_signal: list[float] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # A second signal, a second or more after the first, stops at once without the clean finish
        # (one signal delivered twice, as `timeout` or a process-group kill does, does not).
        if first_signal and time.monotonic() - first_signal[0] > 1.0:
            log.warning("second signal: exiting at once")
            raise KeyboardInterrupt
        if not first_signal:
            first_signal.append(time.monotonic())
        worker.request_stop(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    server = None
    if config.metrics_port:
        try:
            server = metrics.serve(health, config.metrics_port, config.metrics_host)
        except OSError as exc:
            log.error("cannot serve metrics", extra={"port": config.metrics_port, "error": str(exc)})
            return 2
    try:
        worker.run()
    except ConfigError as exc:
        log.error(f"configuration error: {exc}")
        return 2
    except FatalError as exc:
        log.error(f"fatal: {exc}")
        return 2 if "authentication" in str(exc) or "authoris" in str(exc) else 1
    except kerr.KafkaError as exc:
        log.exception(f"fatal Kafka error: {exc!r}")
        return 1
    finally:
        if server is not None:
            server.close()
    return 0
