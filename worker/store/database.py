"""One database interface over SQLite (the embedded default) and PostgreSQL (psycopg 3).

The store's SQL is written once, with ``?`` placeholders and ``ON CONFLICT`` upserts that both engines
take; ``Database`` converts the placeholders for PostgreSQL and keeps the few differences (full-text
search, the migrations' DDL) in one place each. ``open_database(url)`` picks the engine from the URL:
``sqlite:///relative.db``, ``sqlite:////absolute.db``, ``postgresql://user@host:port/db``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DEFAULT_URL = "sqlite:///quotes.db"


class DatabaseError(RuntimeError):
    """A database that cannot be opened or used (bad URL, missing driver, refused connection)."""


class Database:
    """A connection and its dialect. Every change goes through ``transaction()``: all of it or none."""

    dialect: str

    def __init__(self, url: str) -> None:
        self.url = url

    # to be provided per engine ------------------------------------------------------------------
    def _cursor(self) -> Any:
        raise NotImplementedError

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def close(self) -> None:
        raise NotImplementedError

    # shared -------------------------------------------------------------------------------------
    def sql(self, statement: str) -> str:
        return statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        cur = self._cursor()
        cur.execute(self.sql(statement), tuple(params))

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            cur = self._cursor()
            cur.executemany(self.sql(statement), [tuple(r) for r in rows])

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self._cursor()
        cur.execute(self.sql(statement), tuple(params))
        return [tuple(row) for row in cur.fetchall()]

    def scalar(self, statement: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(statement, params)
        return rows[0][0] if rows else None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteDatabase(Database):
    dialect = SQLITE

    def __init__(self, url: str, path: str) -> None:
        super().__init__(url)
        if path != ":memory:":
            folder = Path(path).expanduser().resolve().parent
            if not folder.is_dir():
                raise DatabaseError(f"cannot open {url}: folder {folder} does not exist")
        try:
            # isolation_level=None: transactions are ours (BEGIN IMMEDIATE ... COMMIT), not the module's
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            # WAL: readers (the API) never block the writer (store); NORMAL sync loses no commit when the
            # process is killed, only on power loss, and then offsets and rows go back together.
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open {url}: {exc}") from None
        self._depth = 0

    def _cursor(self) -> Any:
        return self.conn.cursor()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
        self.conn.close()


class PostgresDatabase(Database):
    dialect = POSTGRESQL

    def __init__(self, url: str) -> None:
        super().__init__(url)
        try:
            import psycopg
        except ImportError:
            raise DatabaseError(
                "PostgreSQL needs psycopg 3: pip install 'quote-worker[postgresql]'"
            ) from None
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise DatabaseError(f"cannot connect to {redact(url)}: {exc}".strip()) from None

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    def _cursor(self) -> Any:
        return self.conn.cursor()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def close(self) -> None:
        self.conn.close()


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def open_database(url: str) -> Database:
    """The database named by ``url`` (see the module's docstring); ``DatabaseError`` if it cannot be."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        if not url.startswith("sqlite:///"):
            raise DatabaseError(f"a SQLite URL is sqlite:///PATH (three slashes), not {url!r}")
        path = url.removeprefix("sqlite:///") or ":memory:"
        return SqliteDatabase(url, path)
    if scheme in ("postgresql", "postgres"):
        return PostgresDatabase(url)
    raise DatabaseError(f"unknown database URL {redact(url)!r}: sqlite:///PATH or postgresql://…")
