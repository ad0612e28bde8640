"""``quote-worker serve``: the extractor over HTTP (``POST /v1/extract``) and the review page (``GET /``).

The extractor is built once, with the same backend options as the other commands, before the server
accepts a connection; ``docs/serve.md`` describes the endpoints.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from worker.commands.common import add_backend_args, make_extractor
from worker.commands.store import add_database_arg
from worker.records import DEFAULT_MAX_BYTES
from worker.serve.limits import ServerLimits

EPILOG = """\
endpoints: POST /v1/extract (an article message in, {"quotes": [...]} out), GET / (the review page),
GET /healthz, GET /metrics (Prometheus), GET /openapi.json, GET /v1/samples.

limits (worker/serve/limits.py): a request head over 100 header lines or 16 KiB is answered 431;
--header-timeout-s, --body-timeout-s, --keep-alive-s and --max-connections above.

exit status: 0 stopped by Ctrl-C (SIGINT); 143 (128 + 15) stopped by SIGTERM, after answering the
open requests; 1 the address cannot be bound; 2 usage error.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve",
        help="an HTTP API for the extractor, and a review page that shows an article's quotes",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument(
        "--port", type=int, default=8080, help="port to listen on; 0: any free one (default: %(default)s)"
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="largest accepted request body in bytes (default: %(default)s, as the stream worker)",
    )
    p.add_argument(
        "--samples",
        metavar="FILE",
        help="article messages (JSON lines) offered on the review page (default: samples/articles.jsonl)",
    )
    p.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="server log level (default: %(default)s)",
    )
    limits = ServerLimits()
    p.add_argument(
        "--max-connections",
        type=int,
        default=limits.max_connections,
        metavar="N",
        help="connections served at once; a request over it is answered 503 (default: %(default)s)",
    )
    for name, what in (
        (
            "header_timeout_s",
            "a request's head (request line and headers) must arrive within, from its first byte",
        ),
        ("body_timeout_s", "a request's body must arrive within, from the end of its head"),
        ("keep_alive_s", "an idle keep-alive connection is closed after"),
    ):
        p.add_argument(
            "--" + name.replace("_", "-"),
            type=float,
            default=getattr(limits, name),
            metavar="SECONDS",
            help=f"{what} (default: %(default)s); else 408 and the connection closed",
        )
    add_database_arg(p, "a quote store to serve: GET /v1/quotes, /v1/speakers, /v1/articles (default: none)")
    add_backend_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from worker.serve import DEFAULT_SAMPLES
    from worker.serve.app import create_app, read_samples
    from worker.serve.limits import uvicorn_config

    if args.max_bytes <= 0:
        print("quote-worker serve: --max-bytes must be positive", file=sys.stderr)
        return 2
    samples = Path(args.samples) if args.samples else DEFAULT_SAMPLES
    try:
        articles = read_samples(samples)
    except (OSError, ValueError) as exc:
        print(f"quote-worker serve: cannot read the samples {samples}: {exc}", file=sys.stderr)
        return 2
    extractor = make_extractor(args)  # once: patterns compiled and models loaded before the first request
    for name in ("max_connections", "header_timeout_s", "body_timeout_s", "keep_alive_s"):
        if getattr(args, name) <= 0:
            print(f"quote-worker serve: --{name.replace('_', '-')} must be positive", file=sys.stderr)
            return 2
    limits = ServerLimits(
        header_timeout_s=args.header_timeout_s,
        body_timeout_s=args.body_timeout_s,
        keep_alive_s=args.keep_alive_s,
        max_connections=args.max_connections,
    )
    from worker.store.database import DatabaseError
    from worker.store.migrations import SchemaError

    try:
        app = create_app(extractor, max_bytes=args.max_bytes, samples=articles, database=args.database)
    except (DatabaseError, SchemaError) as exc:
        print(f"quote-worker serve: {exc}", file=sys.stderr)
        return 2
    # uvicorn stops on SIGINT/SIGTERM once open requests are answered (then re-raises SIGTERM, so the
    # status says how the process ended). The app has no start-up or shut-down work (the extractor is
    # built above), hence no lifespan protocol (uvicorn_config turns it off).
    server = uvicorn.Server(
        uvicorn_config(app, limits, host=args.host, port=args.port, log_level=args.log_level)
    )
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises a SIGINT once it has shut down
        server.run()
    return 0 if server.started else 1  # 1: the address could not be bound
