"""The worker's topics: default names and the settings each is created with. One place, so that
``quote-worker topics create``, the stream worker, replay and the tests agree."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TopicSpec:
    role: str
    name: str
    config: dict[str, str] = field(default_factory=dict)
    help: str = ""


ARTICLES = TopicSpec("articles", "articles", {}, "input: one article message per record")
QUOTES = TopicSpec(
    "quotes",
    "quotes",
    # Compacted: records are keyed by quote_id, so a re-sent quote replaces its twin.
    {"cleanup.policy": "compact"},
    "output: one quote record per quote, keyed by quote_id",
)
STATUS = TopicSpec("status", "article-status", {}, "one status record per input article (ok or dead-lettered)")
DEAD_LETTER = TopicSpec("dead-letter", "articles.dlq", {}, "input that could not be processed, with the reason")

ALL = (ARTICLES, QUOTES, STATUS, DEAD_LETTER)
