"""``quote-worker editors``: who may correct quotes in a quote store (``serve --database``).

``add NAME`` prints the editor's new token once (only its hash is stored; a lost token is replaced by
revoking the name and adding another), ``list`` shows the editors, ``revoke NAME`` refuses their
writes from then on, ``audit`` prints the latest writes, accepted and refused. Exit status 0, 2 for a
usage or database error.
"""

from __future__ import annotations

import argparse
import sys

from worker.commands.store import add_database_arg, add_database_arg_after


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "editors",
        help="add, list or revoke the editors who may correct quotes in the store",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    add_database_arg(p, "the quote store (default: sqlite:///quotes.db)")
    sub = p.add_subparsers(dest="editors_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add an editor and print their token (shown once)")
    add.add_argument("name", metavar="NAME")
    listing = sub.add_parser("list", help="the editors, when added, when revoked")
    revoke = sub.add_parser("revoke", help="refuse an editor's writes from now on")
    revoke.add_argument("name", metavar="NAME")
    audit = sub.add_parser("audit", help="the latest writes through the API, accepted or refused")
    audit.add_argument("--limit", type=int, default=100, metavar="N", help="how many, newest first (100)")
    for action in (add, listing, revoke, audit):
        add_database_arg_after(action)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from worker.store.audit import audit_rows
    from worker.store.database import DEFAULT_URL, DatabaseError, open_database
    from worker.store.editors import EditorError, add_editor, list_editors, revoke_editor
    from worker.store.migrations import SchemaError, migrate

    try:
        with open_database(args.database or DEFAULT_URL) as db:
            migrate(db)
            if args.editors_command == "add":
                token = add_editor(db, args.name)
                print(token)
                print(
                    f"quote-worker editors: added {args.name.strip()!r}; the token above is shown only "
                    "now: give it to them (the page's sign-in asks for it)",
                    file=sys.stderr,
                )
            elif args.editors_command == "revoke":
                revoke_editor(db, args.name)
                print(f"quote-worker editors: revoked {args.name!r}", file=sys.stderr)
            elif args.editors_command == "audit":
                print("at\teditor\taction\ttarget\toutcome\tdetail")
                for row in audit_rows(db, max(args.limit, 1)):
                    print("\t".join("" if v is None else str(v) for v in row.values()))
            else:
                for editor in list_editors(db):
                    state = f"revoked {editor['revoked_at']}" if editor["revoked_at"] else "active"
                    print(f"{editor['name']}\tadded {editor['created_at']}\t{state}")
    except (DatabaseError, SchemaError, EditorError) as exc:
        print(f"quote-worker editors: {exc}", file=sys.stderr)
        return 2
    return 0
