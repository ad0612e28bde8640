"""Who may correct: editors and their tokens (``quote-worker editors add|list|revoke``).

A token is 32 random bytes (``secrets.token_urlsafe``), shown once when the editor is added; the store
keeps only its SHA-256, so a copy of the database gives no one a token. A presented token is hashed and
compared with every editor's hash in constant time (``hmac.compare_digest``, no early exit), so neither
the answer's timing nor an index lookup tells how close a guess was.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from worker.store.database import Database

TOKEN_BYTES = 32
MAX_NAME = 100


class EditorError(ValueError):
    """A name that cannot be added, or an editor that does not exist."""


@dataclass(frozen=True)
class Editor:
    name: str
    revoked: bool


def now() -> str:
    """The store's time stamps: UTC, microseconds, sortable as text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise EditorError(f"an editor's name has 1 to {MAX_NAME} characters")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise EditorError("an editor's name has no control characters")
    return name


def add_editor(db: Database, name: str) -> str:
    """Add editor ``name``; the new token (shown once: only its hash is kept)."""
    name = check_name(name)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with db.transaction():
        if db.scalar("SELECT count(*) FROM editors WHERE name = ?", (name,)):
            raise EditorError(f"there is an editor named {name!r} already (names stay unique, revoked too)")
        db.execute(
            "INSERT INTO editors (name, token_hash, created_at) VALUES (?, ?, ?)",
            (name, hash_token(token), now()),
        )
    return token


def revoke_editor(db: Database, name: str) -> None:
    """Revoke ``name``'s token: their writes are refused from now on (403); their corrections stay."""
    with db.transaction():
        if not db.scalar("SELECT count(*) FROM editors WHERE name = ?", (name,)):
            raise EditorError(f"no editor named {name!r}")
        db.execute("UPDATE editors SET revoked_at = coalesce(revoked_at, ?) WHERE name = ?", (now(), name))


def list_editors(db: Database) -> list[dict[str, Any]]:
    rows = db.query("SELECT name, created_at, revoked_at FROM editors ORDER BY created_at, name")
    return [{"name": n, "created_at": c, "revoked_at": r} for n, c, r in rows]


def editor_of_token(db: Database, token: str) -> Editor | None:
    """The editor whose token this is (revoked or not); None for a token no editor has."""
    presented = hash_token(token)
    found: Editor | None = None
    for name, stored, revoked_at in db.query("SELECT name, token_hash, revoked_at FROM editors"):
        if hmac.compare_digest(presented, stored):
            found = Editor(name, revoked_at is not None)
    return found
