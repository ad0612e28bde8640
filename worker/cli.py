"""``quote-worker``: one command line for every job. Each subcommand lives in its own module under
``worker/commands`` and registers itself through ``add_parser(subparsers)``; this file only dispatches."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from worker import __version__

# Subcommand modules, in the order ``--help`` lists them.
COMMANDS = (
    "worker.commands.extract",
    "worker.commands.evaluate",
    "worker.commands.serve",
    "worker.commands.models",
    "worker.commands.run",
    "worker.commands.replay",
    "worker.commands.store",
    "worker.commands.editors",
    "worker.commands.corrections",
    "worker.commands.topics",
    "worker.commands.demo",
    "worker.commands.lexicon",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quote-worker",
        description="Quote attribution for Arabic news: speaker-quote records, offline or from Kafka.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `quote-worker extract | head` is normal use
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
