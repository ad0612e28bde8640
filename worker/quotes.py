"""The data objects that extraction produces. Offsets are the common language: every span is a pair of
Python string indices (end exclusive) into the text that was analysed, so ``text[start:end]`` is the
thing the object names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

QuoteType = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organization", "group", "anonymous", "unknown"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def as_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(frozen=True, slots=True)
class Cue:
    """The word (or the colon) that marks the attribution, as written, with its lemma."""

    text: str
    lemma: str
    span: Span


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said it. ``mention`` is the phrase at this quote (None when implicit, as in ``وأضاف أن``);
    ``name`` is the canonical name of the entity within the article; ``entity_id`` is shared by every
    quote of the same entity in one article."""

    name: str | None
    mention: str | None
    span: Span | None
    title: str | None
    kind: SpeakerKind
    entity_id: str | None


@dataclass(frozen=True, slots=True)
class Quote:
    type: QuoteType
    span: Span
    text: str
    cue: Cue
    speaker: Speaker
    confidence: float
    field: Literal["text", "title"] = "text"
