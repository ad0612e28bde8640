"""``quote-worker models``: install and inspect the stanza Arabic models.

``models download [--dir DIR]`` fetches the official default Arabic package (needs internet; run it on a
machine that has it and copy DIR over). ``models check [--stanza-models DIR]`` reports which processors'
files are installed, where, and whether the pipeline loads. Nothing else in the product downloads.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from worker.nlp.stanza_backend import (
    BASE_PROCESSORS,
    LANG,
    StanzaModelsMissing,
    default_resources_dir,
    locate_models,
)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "models",
        help="download or check the stanza Arabic models (for --backend stanza|auto)",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    sub = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    d = sub.add_parser(
        "download",
        help="fetch the official default Arabic package (needs internet)",
        epilog="exit status: 0 downloaded; 1 failed (offline, no stanza, disk); the message says why.",
    )
    d.add_argument(
        "--dir",
        default=os.environ.get("QUOTE_WORKER_STANZA_MODELS") or None,
        metavar="DIR",
        help="stanza resources directory to write (default: $STANZA_RESOURCES_DIR or ~/stanza_resources)",
    )
    d.set_defaults(func=run_download)
    c = sub.add_parser(
        "check",
        help="report which model files are installed and whether the pipeline loads",
        epilog="exit status: 0 the models load; 1 something is missing or does not load.",
    )
    c.add_argument(
        "--stanza-models",
        default=os.environ.get("QUOTE_WORKER_STANZA_MODELS"),
        metavar="DIR",
        help="resources directory or explicit model folder (default: stanza's own resources directory)",
    )
    c.add_argument("--no-load", action="store_true", help="only look at the files, do not load the pipeline")
    c.set_defaults(func=run_check)


def run_download(args: argparse.Namespace) -> int:
    target = os.path.abspath(os.path.expanduser(args.dir)) if args.dir else default_resources_dir()
    try:
        import stanza
    except ImportError:
        print("error: stanza is not installed; pip install 'quote-worker[stanza]'", file=sys.stderr)
        return 1
    print(f"downloading the default {LANG} package into {target} ...", file=sys.stderr)
    try:
        stanza.download(LANG, model_dir=target, package="default", logging_level="WARN")
    except Exception as e:  # requests/urllib/HF errors differ by version; all mean the same here
        print(
            f"error: download failed ({type(e).__name__}: {e}).\n"
            "It needs internet access (https://huggingface.co and raw.githubusercontent.com). On an offline "
            "machine, run `quote-worker models download --dir DIR` elsewhere and copy DIR here, then pass "
            "--stanza-models DIR.",
            file=sys.stderr,
        )
        return 1
    ms = locate_models(target)
    print(f"installed: {', '.join(ms.processors)} in {target}")
    if ms.missing:
        print(f"warning: still missing {', '.join(ms.missing)}", file=sys.stderr)
        return 1
    print(f"use it with: --backend stanza --stanza-models {target} (or --backend auto)")
    return 0


def run_check(args: argparse.Namespace) -> int:
    ms = locate_models(args.stanza_models)
    print(
        f"models: {ms.path} ({'explicit model files' if ms.kind == 'explicit' else 'stanza resources dir'})"
    )
    for proc in (*BASE_PROCESSORS, "ner"):
        files = {k: v for k, v in ms.files.items() if k == proc or k.startswith(f"{proc}:")}
        if proc == "pos" and ms.kind == "explicit":
            files["pretrain"] = ms.files.get("pretrain", "")
        if not files:
            state = "optional, not installed" if proc == "ner" else "MISSING"
            print(f"  {proc:9s} {state}")
            continue
        for name, f in files.items():
            ok = bool(f) and os.path.exists(f)
            size = f"{os.path.getsize(f) / 1e6:.1f} MB" if ok else "MISSING"
            print(f"  {name:9s} {size:>9s}  {f}")
    try:
        import stanza  # noqa: F401
    except ImportError:
        print("stanza: not installed (pip install 'quote-worker[stanza]')")
        return 1
    if ms.missing:
        print(f"missing: {', '.join(ms.missing)}\nget them with: quote-worker models download [--dir DIR]")
        return 1
    if args.no_load:
        print("files complete (pipeline not loaded: --no-load)")
        return 0
    from worker.nlp.stanza_backend import StanzaParser

    t0 = time.perf_counter()
    try:
        parser = StanzaParser(args.stanza_models)
    except StanzaModelsMissing as e:
        print(f"pipeline does not load: {e}")
        return 1
    load_s = time.perf_counter() - t0
    sample = "وقال الرئيس إن الفكرة صحيحة."
    words = sum(len(s.words) for s in parser.parse(sample, [(0, len(sample))]))
    print(
        f"pipeline loads ({', '.join(parser.model_set.processors)}) in {load_s:.1f} s; "
        f"test sentence: {words} words"
    )
    return 0
