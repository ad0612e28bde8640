"""Arguments and set-up shared by several subcommands, so each is defined once."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from worker.extractor import BACKENDS, Extractor


def lexicon_folder(value: str) -> str:
    """``--lexicon``: a folder that loads as a lexicon (checked now, so a bad one is a usage error
    naming the missing file, not a failure of every article later); the resolved path."""
    from worker.lexicon import Lexicon, LexiconError  # imported here: loading it is not start-up work

    try:
        return str(Lexicon.load(value).path)
    except LexiconError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    parser.add_argument(
        "--lexicon",
        type=lexicon_folder,
        default=os.environ.get("QUOTE_WORKER_LEXICON"),
        metavar="DIR",
        help="lexicon folder written by `quote-worker lexicon build` (env QUOTE_WORKER_LEXICON; "
        "default: the lexicon the package ships)",
    )


def extractor_factory(args: argparse.Namespace) -> Callable[[], Extractor]:
    """Builds the extractor the flags describe; picklable, so pool workers build their own."""
    lexicon = Path(args.lexicon) if args.lexicon else None
    return partial(Extractor, args.backend, stanza_models=args.stanza_models, lexicon=lexicon)


def make_extractor(args: argparse.Namespace) -> Extractor:
    return extractor_factory(args)()
