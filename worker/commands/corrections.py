"""``quote-worker corrections export``: the editors' corrected articles as a gold set in the format of
``../shared/eval`` (one article a line), for ``quote-worker eval --gold FILE``: the extractor measured
on the newsroom's own articles. See docs/serve.md.

Exit status 0; 2 for a database error or a file that cannot be written.
"""

from __future__ import annotations

import argparse
import sys

import orjson

from worker.commands.store import add_database_arg, add_database_arg_after


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "corrections",
        help="the editors' corrections of a quote store, as a gold set for eval --gold",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    add_database_arg(p, "the quote store (default: sqlite:///quotes.db)")
    sub = p.add_subparsers(dest="corrections_command", metavar="ACTION", required=True)
    export = sub.add_parser(
        "export",
        help="write every corrected article as a gold row (the editors' changes plus the quotes they "
        "left standing, marked as checked)",
    )
    export.add_argument(
        "--out", required=True, metavar="FILE", help="the gold file (JSON lines); - for stdout"
    )
    add_database_arg_after(export)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from worker.store.database import DEFAULT_URL, DatabaseError, open_database
    from worker.store.gold import export_gold
    from worker.store.migrations import SchemaError, migrate

    try:
        out = sys.stdout.buffer if args.out == "-" else open(args.out, "wb")  # noqa: SIM115
    except OSError as exc:
        print(f"quote-worker corrections: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    written = without_text = quotes = 0
    try:
        with open_database(args.database or DEFAULT_URL) as db:
            migrate(db)
            for article_id, row in export_gold(db):
                if row is None:
                    without_text += 1
                    print(
                        f"quote-worker corrections: left out {article_id!r}: the store has not its text "
                        "(store --article-texts)",
                        file=sys.stderr,
                    )
                    continue
                out.write(orjson.dumps(row) + b"\n")
                written += 1
                quotes += len(row["quotes"])
    except (DatabaseError, SchemaError) as exc:
        print(f"quote-worker corrections: {exc}", file=sys.stderr)
        return 2
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    print(
        f"quote-worker corrections: wrote {written} articles ({quotes} quotes) to {args.out}"
        + (f"; {without_text} left out without their text" if without_text else ""),
        file=sys.stderr,
    )
    return 0
