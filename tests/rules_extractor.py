"""The rules extractor as the unit tests of the extraction core use it, built once per test session."""

from __future__ import annotations

from functools import cache

from worker.extractor import Extractor
from worker.quotes import Quote


@cache
def rules() -> Extractor:
    return Extractor("rules")


def only(text: str) -> Quote:
    """The one quote of ``text`` (fails, listing them, when there are more or none)."""
    quotes = rules().extract(text)
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


def speaker_name(q: Quote) -> str | None:
    return q.speaker.name or q.speaker.mention
