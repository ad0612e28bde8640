"""The store's schema as numbered migrations, applied in order by ``migrate`` (``quote-worker store``
and ``serve --database`` run it at start). A migration is never edited once released: a change is a
new number, with its row in ``store_schema``.

Tables (docs/store.md has the meaning of every column):

* ``store_offsets``: the next offset to read per topic partition, written in the same transaction as
  the rows those records produced (exactly once; the Kafka Connect JDBC sink's pattern);
* ``articles``: one row per article: its metadata, its latest status, and the quote ids of its latest
  ``ok`` status, which decide which of its quotes are current;
* ``quotes``: the latest record of every quote id ever read, with ``current`` = 1 where the article's
  latest status lists it (a re-extracted article's stale quotes are kept hidden, not shown: a record may
  arrive before the status that lists it, as the two topics are read side by side);
* ``speaker_names``: each folded canonical name and the speaker key it was merged into;
* ``name_variants``: spelling variants learned from the store (see ``worker.store.speakers``);
* ``article_texts``: the article's title and text, read from the input topic (``store --article-texts``),
  which editors' corrections point into;
* ``editors``: who may correct (a hash of each token, never the token), ``corrections``: every
  correction with the record before and after it, ``audit``: every write accepted or refused
  (``worker.store.corrections``, ``worker.store.editors``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from worker.store.database import POSTGRESQL, SQLITE, Database


class SchemaError(RuntimeError):
    """The database's schema is newer than this program knows."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    common: tuple[str, ...]
    sqlite: tuple[str, ...] = ()
    postgresql: tuple[str, ...] = ()

    def statements(self, dialect: str) -> tuple[str, ...]:
        return self.common + (self.sqlite if dialect == SQLITE else self.postgresql)


INITIAL = Migration(
    1,
    "articles, quotes, speakers, offsets",
    common=(
        """CREATE TABLE store_offsets (
            topic TEXT NOT NULL,
            kafka_partition INTEGER NOT NULL,
            next_offset BIGINT NOT NULL,
            PRIMARY KEY (topic, kafka_partition))""",
        """CREATE TABLE articles (
            article_id TEXT PRIMARY KEY,
            title TEXT,
            source TEXT,
            url TEXT,
            published_at TEXT,
            status TEXT,
            reason TEXT,
            quote_ids TEXT,
            quote_count INTEGER NOT NULL DEFAULT 0,
            extractor_version TEXT,
            processed_at TEXT)""",
        "CREATE INDEX articles_published ON articles (published_at)",
        """CREATE TABLE quotes (
            quote_id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            current INTEGER NOT NULL DEFAULT 0,
            position INTEGER,
            field TEXT NOT NULL,
            type TEXT NOT NULL,
            text TEXT NOT NULL,
            search TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            cue TEXT,
            cue_lemma TEXT,
            speaker_name TEXT,
            speaker_mention TEXT,
            speaker_title TEXT,
            speaker_kind TEXT,
            speaker_entity TEXT,
            name_key TEXT,
            speaker_key TEXT,
            confidence REAL NOT NULL,
            source TEXT,
            published_at TEXT NOT NULL DEFAULT '',
            extractor_version TEXT,
            backend TEXT,
            record TEXT NOT NULL)""",
        "CREATE INDEX quotes_article ON quotes (article_id, position)",
        # Covering indexes for the API's questions: a speaker's quotes newest first and their page's
        # counts (names, spellings, days) without reading the rows; quotes newest first (the cursor
        # is a (published_at, quote_id) row value) and the most quoted speakers in a date range.
        "CREATE INDEX quotes_speaker ON quotes "
        "(speaker_key, current, published_at, quote_id, name_key, speaker_name)",
        "CREATE INDEX quotes_name ON quotes (name_key, speaker_key)",
        "CREATE INDEX quotes_published ON quotes (published_at, quote_id, current, speaker_key)",
        """CREATE TABLE speaker_names (
            name_key TEXT PRIMARY KEY,
            speaker_key TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            canonical TEXT NOT NULL,
            last_word TEXT NOT NULL,
            n_words INTEGER NOT NULL)""",
        "CREATE INDEX speaker_names_key ON speaker_names (speaker_key)",
        "CREATE INDEX speaker_names_last ON speaker_names (last_word, n_words)",
        """CREATE TABLE name_variants (
            variant TEXT PRIMARY KEY,
            canonical TEXT NOT NULL)""",
    ),
    # Full-text search over the folded words (worker.store.folding): FTS5 kept in step by triggers in
    # SQLite, a GIN index on the 'simple' tsvector in PostgreSQL (no stemming: the words are folded).
    sqlite=(
        """CREATE VIRTUAL TABLE quotes_fts USING fts5(
            search, content='quotes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0')""",
        """CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
            INSERT INTO quotes_fts (rowid, search) VALUES (new.rowid, new.search); END""",
        """CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
            INSERT INTO quotes_fts (quotes_fts, rowid, search)
            VALUES ('delete', old.rowid, old.search); END""",
        """CREATE TRIGGER quotes_fts_update AFTER UPDATE OF search ON quotes BEGIN
            INSERT INTO quotes_fts (quotes_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
            INSERT INTO quotes_fts (rowid, search) VALUES (new.rowid, new.search); END""",
    ),
    postgresql=("CREATE INDEX quotes_fts ON quotes USING GIN (to_tsvector('simple', search))",),
)


def _with_ids(statements: tuple[str, ...], identity: str) -> tuple[str, ...]:
    return tuple(statement.replace("{id}", identity) for statement in statements)


# Editors' corrections (issue 18). A corrected quote row holds the corrected record (``correction``
# says by whom, when, which action) and the stream no longer overwrites its content; ``rejected`` = 1
# marks a quote an editor said is none (then ``current`` is 2: in its article, but not listed).
_CORRECTION_TABLES = (
    """CREATE TABLE corrections (
        id {id},
        article_id TEXT NOT NULL,
        quote_id TEXT NOT NULL,
        action TEXT NOT NULL,
        change TEXT NOT NULL,
        editor TEXT NOT NULL,
        at TEXT NOT NULL,
        extractor_version TEXT,
        original TEXT,
        corrected TEXT NOT NULL)""",
    """CREATE TABLE audit (
        id {id},
        at TEXT NOT NULL,
        editor TEXT,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        detail TEXT)""",
)

_CORRECTION_INDEXES = (
    "CREATE INDEX corrections_article ON corrections (article_id, id)",
    "CREATE INDEX corrections_at ON corrections (at, id)",
)

CORRECTIONS = Migration(
    2,
    "article texts, editors, corrections, audit",
    common=(
        "ALTER TABLE quotes ADD COLUMN correction TEXT",
        "ALTER TABLE quotes ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE article_texts (
            article_id TEXT PRIMARY KEY,
            title TEXT,
            text TEXT NOT NULL)""",
        """CREATE TABLE editors (
            name TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT)""",
    ),
    sqlite=_with_ids(_CORRECTION_TABLES, "INTEGER PRIMARY KEY AUTOINCREMENT") + _CORRECTION_INDEXES,
    postgresql=_with_ids(_CORRECTION_TABLES, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
    + _CORRECTION_INDEXES,
)

MIGRATIONS: tuple[Migration, ...] = (INITIAL, CORRECTIONS)
LATEST = MIGRATIONS[-1].version


def current_version(db: Database) -> int:
    """The schema version of ``db``: 0 for an empty database."""
    if db.dialect == POSTGRESQL:
        exists = db.scalar("SELECT to_regclass('store_schema') IS NOT NULL")
    else:
        exists = db.scalar("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='store_schema'")
    if not exists:
        return 0
    return int(db.scalar("SELECT coalesce(max(version), 0) FROM store_schema"))


def migrate(db: Database) -> list[int]:
    """Bring ``db`` to the latest schema; the versions applied now (empty when it was up to date).
    One transaction, under a lock (SQLite's write lock; an advisory lock in PostgreSQL), so that a
    store and a server starting together do not both migrate."""
    applied = []
    with db.transaction():
        if db.dialect == POSTGRESQL:
            db.execute("SELECT pg_advisory_xact_lock(17017017)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS store_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at TEXT NOT NULL)"
        )
        have = current_version(db)
        if have > LATEST:
            raise SchemaError(
                f"the database is at schema version {have}, newer than this quote-worker knows "
                f"({LATEST}): upgrade quote-worker"
            )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for migration in MIGRATIONS:
            if migration.version <= have:
                continue
            for statement in migration.statements(db.dialect):
                db.execute(statement)
            db.execute(
                "INSERT INTO store_schema (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, now),
            )
            applied.append(migration.version)
    return applied
