"""``quote-worker store``: keep a database of articles, quotes and speakers from the quotes and status
topics, exactly once (the offsets are stored with the rows). See docs/store.md.

Exit status: 0 after a clean stop (SIGTERM/SIGINT, or --until-caught-up done), 2 for a usage or
configuration error (bad database URL, missing topic, a schema newer than this program), 1 otherwise.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from types import FrameType

from worker.stream.config import CONNECTION_SETTINGS, ConfigError, add_config_args, load_config

log = logging.getLogger("worker.store")

DATABASE_ENV = "QUOTE_WORKER_DATABASE"

# The settings of `run` that apply here: the connection, the two topics read, batching, metrics, logs.
CONFIG_SETTINGS = (
    *CONNECTION_SETTINGS,
    "quotes_topic",
    "status_topic",
    "input_topics",
    "batch_size",
    "poll_timeout_ms",
    "stall_timeout_s",
    "lag_interval_s",
    "metrics_port",
    "metrics_host",
    "log_level",
    "log_format",
)


def add_database_arg(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--database URL`` (env QUOTE_WORKER_DATABASE), shared by ``store`` and ``serve``."""
    parser.add_argument(
        "--database",
        metavar="URL",
        default=os.environ.get(DATABASE_ENV),
        help=f"{help_text}: sqlite:///PATH or postgresql://USER@HOST:PORT/DB (env {DATABASE_ENV})",
    )


def add_database_arg_after(parser: argparse.ArgumentParser) -> None:
    """``--database`` again on a subcommand's action (``editors add NAME --database URL``), which keeps
    the value given before the action when it is not given again."""
    parser.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help="as before the action")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "store",
        help="keep a searchable database of the quotes (SQLite or PostgreSQL), fed from the quotes topic",
        description="Read the quotes and status topics into a database of articles, quotes and speakers, "
        "exactly once: the offsets read are stored in the same transaction as the rows, and a restart "
        "resumes from them. An article processed again replaces its quotes. The schema is created and "
        "migrated at start.",
    )
    add_database_arg(p, "the database to keep (default: sqlite:///quotes.db)")
    p.add_argument(
        "--until-caught-up",
        action="store_true",
        help="stop once the end offsets the topics had at start are stored (a one-shot load)",
    )
    p.add_argument(
        "--article-texts",
        action="store_true",
        help="also read the worker's input topics (--input-topics) and keep each article's title and "
        "text: the article pages show it, and editors' corrections of spans and missed quotes need it",
    )
    p.add_argument("--migrate-only", action="store_true", help="create or migrate the schema, then exit")
    add_config_args(p, only=CONFIG_SETTINGS)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from worker.store.consumer import StoreConsumer
    from worker.store.database import DEFAULT_URL, DatabaseError, open_database, redact
    from worker.store.migrations import SchemaError, migrate
    from worker.stream.lag import broker_timeout_s
    from worker.stream.logs import setup_logging
    from worker.stream.metrics import Health, serve

    try:
        config = load_config(args)
    except ConfigError as exc:
        print(f"quote-worker store: configuration error: {exc}", file=sys.stderr)
        return 2
    setup_logging(config.log_level, config.log_format)
    url = args.database or DEFAULT_URL
    try:
        db = open_database(url)
        applied = migrate(db)
    except (DatabaseError, SchemaError) as exc:
        print(f"quote-worker store: {exc}", file=sys.stderr)
        return 2
    log.info("database ready", extra={"database": redact(url), "migrations_applied": applied})
    if args.migrate_only:
        db.close()
        return 0
    health = Health(config.stall_timeout_s, broker_timeout_s(config))
    consumer = StoreConsumer(config, db, health, article_texts=args.article_texts)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        consumer.request_stop(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = None
    if config.metrics_port:
        try:
            server = serve(health, config.metrics_port, config.metrics_host)
        except OSError as exc:
            log.error("cannot serve metrics", extra={"port": config.metrics_port, "error": str(exc)})
            return 2
    try:
        consumer.run(until_caught_up=args.until_caught_up)
    except ConfigError as exc:
        log.error(f"configuration error: {exc}")
        return 2
    except Exception as exc:  # the database went away, a broker error: the open transaction is lost
        # whole (rolled back), so a restart resumes exactly where the last one ended
        log.exception(f"fatal: {type(exc).__name__}: {exc}")
        return 1
    finally:
        if server is not None:
            server.close()
        db.close()
    return 0
