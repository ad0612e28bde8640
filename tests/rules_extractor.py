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


def speakers(text: str) -> list[str | None]:
    """The speaker of each quote of ``text``, in order."""
    return [speaker_name(q) for q in rules().extract(text)]


def speakers_and_texts(text: str) -> list[tuple[str | None, str]]:
    """(speaker, content) of each quote of ``text``, in order."""
    return [(speaker_name(q), q.text) for q in rules().extract(text)]
