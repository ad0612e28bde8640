"""The audit table: every write to the store through the API, accepted or refused, with who (null
when no editor could be told), when, the action, its target and the outcome. Refusals are written in
a transaction of their own, so that a refused request changes nothing else."""

from __future__ import annotations

from typing import Any

from worker.store.database import Database
from worker.store.editors import now

ACCEPTED = "accepted"


def audit(
    db: Database,
    editor: str | None,
    action: str,
    target: str | None,
    outcome: str,
    detail: str | None = None,
) -> None:
    """One audit row (inside the caller's transaction when there is one)."""
    db.execute(
        "INSERT INTO audit (at, editor, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (now(), editor, action, target, outcome, detail),
    )


def audit_rows(db: Database, limit: int = 1000) -> list[dict[str, Any]]:
    """The latest audit rows, newest first."""
    rows = db.query(
        "SELECT at, editor, action, target, outcome, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
    )
    keys = ("at", "editor", "action", "target", "outcome", "detail")
    return [dict(zip(keys, row, strict=True)) for row in rows]
