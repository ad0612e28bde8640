"""Arguments and set-up shared by several subcommands, so each is defined once."""

from __future__ import annotations

import argparse
import os

from worker.extractor import BACKENDS, Extractor


def add_backend_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=os.environ.get("QUOTE_WORKER_BACKEND", "rules"),
        help="rules: built-in analyser, no models; stanza: dependency parse of candidate sentences "
        "(needs Arabic models); auto: stanza when its models are installed (default: %(default)s, "
        "env QUOTE_WORKER_BACKEND)",
    )
    parser.add_argument(
        "--stanza-models",
        default=os.environ.get("QUOTE_WORKER_STANZA_MODELS"),
        metavar="DIR",
        help="stanza resources directory, or a folder of explicit Arabic model files such as "
        "stanza-ar-small (env QUOTE_WORKER_STANZA_MODELS; default: stanza's own resources directory)",
    )


def make_extractor(args: argparse.Namespace) -> Extractor:
    return Extractor(args.backend, stanza_models=args.stanza_models)
