"""``quote-worker lexicon build``: a lexicon folder mined from an archive of articles, for ``--lexicon``.

The base lists (cue verbs, title heads, …) are copied from ``--base`` (default: the shipped lexicon);
the statistics (names and their parts, titles, organisations, nationality adjectives) are mined from
the articles given: a JSON-lines file of article messages (``.gz``: gzip'd) or a Kafka topic, read from
its beginning to the end offsets it has when the build starts. docs/extraction.md ("Data resources")
says what each file holds and decides.

Exit status: 0 built; 1 the input could not be read; 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from worker.stream.config import CONNECTION_SETTINGS, add_config_args

    p = subparsers.add_parser(
        "lexicon",
        help="build a lexicon folder (names, titles, organisations) from an archive of articles",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    sub = p.add_subparsers(dest="lexicon_command", metavar="ACTION", required=True)
    b = sub.add_parser(
        "build",
        help="mine a lexicon folder from a file or topic of article messages",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="FILE|TOPIC",
        help="article messages: a JSON-lines file (.gz allowed), or a Kafka topic when no such file exists",
    )
    b.add_argument("--out", required=True, type=Path, metavar="DIR", help="lexicon folder to write")
    b.add_argument(
        "--base",
        type=Path,
        metavar="DIR",
        help="lexicon folder whose base lists are used and copied (default: the shipped lexicon)",
    )
    b.add_argument("--quiet", action="store_true", help="print nothing on success")
    add_config_args(b, only=CONNECTION_SETTINGS)
    b.set_defaults(func=run)


def _texts(args: argparse.Namespace) -> Iterator[str]:
    from worker.lexicon_build.sources import read_file, read_topic

    path = Path(args.source)
    if path.exists() or path.suffix in (".jsonl", ".json", ".ndjson", ".gz"):
        return read_file(path)
    from worker.stream.config import load_config

    config = load_config(args)
    return read_topic(args.source, config.common_kafka_kwargs())


def run(args: argparse.Namespace) -> int:
    from kafka.errors import KafkaError

    from worker.lexicon import DEFAULT_DIR, LexiconError
    from worker.lexicon_build import build
    from worker.lexicon_build.sources import SourceError
    from worker.stream.config import ConfigError

    try:
        summary = build(_texts(args), args.out, base=args.base or DEFAULT_DIR)
    except (ConfigError, LexiconError) as exc:
        print(f"quote-worker lexicon build: {exc}", file=sys.stderr)
        return 2
    except SourceError as exc:
        print(f"quote-worker lexicon build: {exc}", file=sys.stderr)
        return 1
    except KafkaError as exc:  # --from named no file, and no broker serves it as a topic
        print(
            f"quote-worker lexicon build: {args.source!r} is no file, and as a topic: {exc}",
            file=sys.stderr,
        )
        return 1
    if not args.quiet:
        print(
            f"lexicon: {summary.articles} articles, {summary.tokens} words in {summary.seconds:.1f} s "
            f"-> {summary.out}",
            file=sys.stderr,
        )
        for name, rows in summary.entries.items():
            print(f"  {name}: {rows}", file=sys.stderr)
    return 0
