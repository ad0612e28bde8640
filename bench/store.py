"""The quote store beside the worker: ingest rate into SQLite and PostgreSQL next to the worker's own
output rate, and query latency on a store of a million quotes.

    python bench/store.py [--quotes 1000000] [--postgres URL | --no-postgres] [--postgres-quotes N]
                          [--articles 2000] [--rounds 3]

* worker: ``process_values`` + ``build_outputs`` (what one worker process does per article, Kafka
  aside) over the dev texts (``../shared/eval/dev.jsonl``, repeated with unique ids) or, where they are
  absent, the sample articles: quote and status records per second, warm;
* ingest: those very records through ``apply_batch`` (the store's whole write path: one transaction
  per batch of 500 records, offsets included, speaker keys refreshed), into a fresh SQLite file and a
  fresh PostgreSQL database; the ratio store ÷ worker says whether one store keeps up with one worker
  (goal ≥ 1);
* a store of ``--quotes`` quotes generated from the sample articles' records (each copied under new
  article ids, dates over two years, ten outlets, 3,000 speakers of a Zipf-like popularity drawn from
  the lexicon's given and family names, a few words changed so that the text index varies), then the
  latency (p50/p95 of 40 runs, after 3 warm-up runs) of ``queries`` calls as the API makes them: a
  full-text search of a common and of a rare word (first page of 50), the speaker page of the most
  quoted speaker, and one speaker's quotes in a month. Goal: p95 under 200 ms on SQLite. For SQLite,
  which runs in this process, the CPU time of each query is printed beside the wall-clock time: on a
  machine shared with other work the wall clock also counts the waits for a core.

PostgreSQL: ``--postgres URL`` (a database this bench may fill), else a temporary server of Debian's
binaries (as tests/store_fixtures.py starts it), else skipped with the reason.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # shared_data, store_fixtures

from shared_data import DEV  # noqa: E402
from store_fixtures import TemporaryPostgres, postgres_binaries  # noqa: E402

from worker.extractor import Extractor  # noqa: E402
from worker.lexicon import Lexicon  # noqa: E402
from worker.records import DEFAULT_MAX_BYTES, quote_id  # noqa: E402
from worker.store import queries  # noqa: E402
from worker.store.database import Database, open_database  # noqa: E402
from worker.store.ingest import Consumed, apply_batch  # noqa: E402
from worker.store.migrations import migrate  # noqa: E402
from worker.stream.extraction import process_values  # noqa: E402
from worker.stream.messages import ExtractorInfo, OutputTopics, SourceMessage, build_outputs  # noqa: E402

Q, S = "quotes", "article-status"
BATCH = 500
SAMPLES = REPO / "samples" / "articles.jsonl"
OUTLETS = [f"مصدر {i}" for i in range(10)]


def texts() -> tuple[list[dict[str, Any]], str]:
    path = DEV if DEV.exists() else SAMPLES
    docs = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    return [
        {"id": d["id"], "text": d["text"], **({"title": d["title"]} if d.get("title") else {})} for d in docs
    ], str(path)


def worker_records(n: int) -> tuple[list[Consumed], float, int]:
    """The records of ``n`` articles as the worker builds them, and the seconds it took (warm)."""
    docs, _ = texts()
    extractor = Extractor("rules")
    info = ExtractorInfo(extractor.version, extractor.backend_name)
    topics = OutputTopics(Q, S, "dlq")
    values = [
        orjson.dumps(
            {
                **docs[i % len(docs)],
                "id": f"bench-{i}",
                "source": OUTLETS[i % 10],
                "published_at": f"2024-0{1 + i % 9}-1{i % 10}T10:00:00Z",
            }
        )
        for i in range(n)
    ]
    process_values(values[:20], extractor, DEFAULT_MAX_BYTES)  # warm
    started = time.perf_counter()
    out: list[Consumed] = []
    offsets = {Q: 0, S: 0}
    quotes = 0
    for i in range(0, n, BATCH):
        chunk = values[i : i + BATCH]
        for k, (value, processed) in enumerate(
            zip(chunk, process_values(chunk, extractor, DEFAULT_MAX_BYTES), strict=True)
        ):
            src = SourceMessage("articles", 0, i + k, value)
            for r in build_outputs(src, processed, topics, info).records:
                if r.topic in offsets:
                    out.append(Consumed(r.topic, 0, offsets[r.topic], r.key, r.value))
                    offsets[r.topic] += 1
                    quotes += r.topic == Q
    return out, time.perf_counter() - started, quotes


def ingest(db: Database, records: list[Consumed]) -> float:
    started = time.perf_counter()
    for i in range(0, len(records), BATCH):
        apply_batch(db, records[i : i + BATCH], Q, S)
    return time.perf_counter() - started


def reset(db: Database) -> None:
    with db.transaction():
        for table in ("quotes", "articles", "speaker_names", "name_variants", "store_offsets"):
            db.execute(f"DELETE FROM {table}")


def speaker_pool(rng: random.Random, n: int = 3000) -> list[str]:
    lx = Lexicon.load()
    given = sorted(w for w in lx.GIVEN_NAMES if "_" not in w)[:400]
    family = sorted(w for w in lx.FAMILY_NAMES if "_" not in w)[:400]
    names: set[str] = set()
    while len(names) < n:
        names.add(f"{rng.choice(given)} {rng.choice(family)}")
    return sorted(names)


def generated(total: int, seed: int = 17) -> Iterator[list[Consumed]]:
    """Batches of records of a store of ``total`` quotes, from the sample articles' records."""
    rng = random.Random(seed)
    extractor = Extractor("rules")
    base = [orjson.loads(line) for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    templates = [process_values([orjson.dumps(d)], extractor, DEFAULT_MAX_BYTES)[0] for d in base]
    per_article = [[orjson.loads(v) for _, v in t.quotes] for t in templates if t.quotes]
    names = speaker_pool(rng)
    weights = [1 / (rank + 1) for rank in range(len(names))]
    words = sorted({w for recs in per_article for r in recs for w in r["text"].split() if len(w) > 3})
    made = offset = article = 0
    batch: list[Consumed] = []
    while made < total:
        recs = per_article[article % len(per_article)]
        aid = f"gen-{article:08d}"
        day = rng.randrange(730)
        published = (
            f"{2023 + day // 365}-{1 + day % 365 // 31 % 12:02d}-{1 + day % 28:02d}T{day % 24:02d}:00:00Z"
        )
        speaker = rng.choices(names, weights)[0]
        ids = []
        for n, rec in enumerate(recs):
            text = f"{rec['text']} {rng.choice(words)} {rng.choice(words)}"
            qid = quote_id(aid, "text", n * 1000, n * 1000 + len(text))
            ids.append(qid)
            doc = {
                **rec,
                "quote_id": qid,
                "article_id": aid,
                "text": text,
                "span": [n * 1000, n * 1000 + len(text)],
                "speaker": {**rec["speaker"], "name": speaker, "kind": "person"},
                "article": {
                    "title": None,
                    "source": OUTLETS[article % 10],
                    "url": None,
                    "published_at": published,
                },
            }
            batch.append(Consumed(Q, 0, offset, qid.encode(), orjson.dumps(doc)))
            offset += 1
        status = {"article_id": aid, "status": "ok", "quote_ids": ids, "quote_count": len(ids)}
        batch.append(Consumed(S, 0, article, aid.encode(), orjson.dumps(status)))
        made += len(ids)
        article += 1
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def latency(run: Callable[[], Any], runs: int = 40) -> tuple[float, float, float, float]:
    """p50 and p95 of the wall-clock time, then of this process's CPU time (SQLite works in this
    process, so its CPU time is the query's own cost, whatever else the machine runs), in ms."""
    for _ in range(3):
        run()
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        run()
        cpu.append((time.process_time() - used) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    wall.sort()
    cpu.sort()
    p95 = int(len(wall) * 0.95) - 1
    return statistics.median(wall), wall[p95], statistics.median(cpu), cpu[p95]


def query_latencies(db: Database) -> dict[str, tuple[float, float, float, float]]:
    top = queries.speakers(db, {"limit": "1"})[0]["key"]
    month = queries.QuoteQuery(speaker=top, since="2024-03-01T00:00:00Z", until="2024-04-01T00:00:00Z")
    return {
        "full-text, common word (page of 50)": latency(
            lambda: queries.quotes(db, queries.QuoteQuery(words=("الحكومه",)))
        ),
        "full-text, two words": latency(
            lambda: queries.quotes(db, queries.QuoteQuery(words=("البذور", "مدعومه")))
        ),
        "full-text, rare word": latency(lambda: queries.quotes(db, queries.QuoteQuery(words=("الجفاف",)))),
        "speaker page, most quoted speaker": latency(lambda: queries.speaker(db, top)),
        "one speaker's quotes in a month": latency(lambda: queries.quotes(db, month)),
        "most quoted speakers in a month": latency(
            lambda: queries.speakers(db, {"from": "2024-03-01", "to": "2024-03-31"})
        ),
    }


@contextlib.contextmanager
def postgres_url(args: argparse.Namespace) -> Iterator[str | None]:
    if args.no_postgres:
        yield None
        return
    if args.postgres:
        yield args.postgres
        return
    bin_dir = postgres_binaries()
    if bin_dir is None:
        print(
            "PostgreSQL: skipped (no /usr/lib/postgresql/*/bin: apt-get install postgresql, "
            "or give --postgres URL)"
        )
        yield None
        return
    with TemporaryPostgres(bin_dir) as server:
        yield server.new_database()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quotes", type=int, default=1_000_000, help="quotes in the latency store (default 1,000,000)"
    )
    parser.add_argument(
        "--articles", type=int, default=2000, help="articles of the ingest comparison (default 2000)"
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL database to fill (default: a temporary server)"
    )
    parser.add_argument(
        "--postgres-quotes", type=int, help="quotes in PostgreSQL's latency store (default: --quotes)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="ingest comparison rounds (default 3)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()

    _, source = texts()
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, postgres_url(args) as pg:
        urls = {"sqlite": f"sqlite:///{tmp}/ingest.db"}
        if pg:
            urls["postgresql"] = pg
        # Rounds side by side, the best of each kept: the machine's load moves under one measure.
        for _ in range(args.rounds):
            records, worker_s, n_quotes = worker_records(args.articles)
            rates["worker"] = max(rates.get("worker", 0.0), len(records) / worker_s)
            for engine, url in urls.items():
                with open_database(url) as db:
                    migrate(db)
                    reset(db)
                    seconds = ingest(db, records)
                rates[engine] = max(rates.get(engine, 0.0), len(records) / seconds)
        print(
            f"articles: {args.articles} from {source}; {n_quotes} quotes, "
            f"{len(records)} quote + status records"
        )
        print(f"best of {args.rounds} rounds, side by side:")
        print(f"worker (one process, rules, Kafka aside) {rates['worker']:10.0f} records/s")
        for engine in urls:
            ratio = rates[engine] / rates["worker"]
            print(
                f"store ingest, {engine:10}               {rates[engine]:10.0f} records/s  "
                f"ratio store/worker {ratio:.2f}"
            )
        for engine, url in urls.items():
            big = f"sqlite:///{tmp}/big.db" if engine == "sqlite" else url
            with open_database(big) as db:
                migrate(db)
                reset(db)  # PostgreSQL: the same database as the ingest runs
                started = time.perf_counter()
                total = args.quotes if engine == "sqlite" else args.postgres_quotes or args.quotes
                for batch in generated(total):
                    apply_batch(db, batch, Q, S)
                stored = db.scalar("SELECT count(*) FROM quotes WHERE current = 1")
                print(
                    f"\n{engine}: a store of {stored:,} quotes filled in "
                    f"{time.perf_counter() - started:.0f} s"
                )
                if engine == "postgresql":
                    db.execute("ANALYZE")
                print(f"  {'(ms)':40}  wall p50    p95" + ("   CPU p50    p95" if engine == "sqlite" else ""))
                for what, (p50, p95, cpu50, cpu95) in query_latencies(db).items():
                    cpu = f"   {cpu50:7.1f} {cpu95:7.1f}" if engine == "sqlite" else ""
                    print(f"  {what:40} {p50:7.1f} {p95:7.1f}{cpu}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
