"""The one document model between NLP and attribution.

Every backend (the built-in rules analyser, stanza) fills these objects; attribution reads only them.
Offsets are the common language: ``start``/``end`` are Python string indices (end exclusive) into the
ORIGINAL article text, so ``text[w.start:w.end]`` is what a word covers.

Word numbering follows Universal Dependencies / stanza: ``Word.index`` is 1-based within its sentence,
``Word.head`` is the index of the head word, ``0`` for the root, ``None`` when the backend does not parse.

Multi-word tokens (Arabic clitics, e.g. ``وقال`` = ``و`` + ``قال``): every word keeps the span of the
written token in ``token_start``/``token_end``; ``start``/``end`` are narrowed to the letters of the
word where its text matches the token's text (``و`` -> ``[0:1]``, ``قال`` -> ``[1:4]``), and stay the
whole token span otherwise (``exact`` is then False). A cue is reported as written, with its attached
letters, so attribution uses the token span for cues and the word span elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

Region = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Word:
    index: int  # 1-based within the sentence
    text: str  # the word as the backend analysed it (for MWT parts, the expanded form, e.g. ``قال``)
    start: int
    end: int
    lemma: str | None = None
    upos: str | None = None
    feats: str | None = None
    head: int | None = None  # index of the head word; 0 = root; None = not parsed
    deprel: str | None = None
    token_start: int = -1  # span of the written token this word belongs to (== start/end when no MWT)
    token_end: int = -1
    exact: bool = True  # text[start:end] is this word's own letters (False: an MWT part given the token span)

    def __post_init__(self) -> None:
        if self.token_start < 0:
            object.__setattr__(self, "token_start", self.start)
        if self.token_end < 0:
            object.__setattr__(self, "token_end", self.end)

    @property
    def span(self) -> Region:
        return (self.start, self.end)

    @property
    def token_span(self) -> Region:
        return (self.token_start, self.token_end)

    @property
    def is_mwt_part(self) -> bool:
        return (self.token_start, self.token_end) != (self.start, self.end) or not self.exact


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str  # PER, ORG, LOC, MISC ... as the NER model names them
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    words: tuple[Word, ...]
    entities: tuple[Entity, ...] = ()

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self) -> Iterator[Word]:
        return iter(self.words)

    @property
    def parsed(self) -> bool:
        return any(w.head is not None for w in self.words)

    def word(self, index: int) -> Word:
        """The word with UD index ``index`` (1-based)."""
        return self.words[index - 1]

    def children(self, index: int) -> list[Word]:
        return [w for w in self.words if w.head == index]

    def subtree(self, index: int) -> list[Word]:
        """The word ``index`` and all its descendants, in sentence order."""
        keep = {index}
        changed = True
        while changed:
            changed = False
            for w in self.words:
                if w.head is not None and w.head in keep and w.index not in keep:
                    keep.add(w.index)
                    changed = True
        return [w for w in self.words if w.index in keep]

    def word_at(self, offset: int) -> Word | None:
        """The word whose span contains character ``offset``."""
        for w in self.words:
            if w.start <= offset < w.end:
                return w
        return None


@dataclass(frozen=True, slots=True)
class Doc:
    text: str
    sentences: tuple[Sentence, ...] = field(default_factory=tuple)

    @property
    def words(self) -> list[Word]:
        return [w for s in self.sentences for w in s.words]

    @property
    def entities(self) -> list[Entity]:
        return [e for s in self.sentences for e in s.entities]


@runtime_checkable
class Parser(Protocol):
    """What the attributor may be handed as ``parser``: both backends implement it."""

    name: str

    def parse(self, text: str, regions: Sequence[Region]) -> list[Sentence]:
        """Sentences of the given character regions of ``text``, offsets into ``text``."""
        ...

    def parse_many(self, items: Sequence[tuple[str, Sequence[Region]]]) -> list[list[Sentence]]:
        """``parse`` for many articles at once (one batched call where the backend can batch)."""
        ...


def align_words(token_text: str, token_start: int, word_texts: Sequence[str]) -> list[tuple[int, int, bool]]:
    """Character spans of the words of one written token (``exact`` flag per word).

    Words that match the token's letters from the left (proclitics) or from the right (pronoun suffixes)
    get their own letters; an unmatched word in the middle gets what is left between them (``exact`` is
    False when its text differs from those letters, e.g. ``للسلطة`` = ``ل`` + ``السلطة``)."""
    n = len(word_texts)
    end_all = token_start + len(token_text)
    if n == 1:
        return [(token_start, end_all, word_texts[0] == token_text)]
    spans: list[tuple[int, int, bool] | None] = [None] * n
    left = 0
    i = 0
    while i < n and word_texts[i] and token_text.startswith(word_texts[i], left):
        # keep at least one letter for every remaining word
        if len(token_text) - (left + len(word_texts[i])) < n - i - 1:
            break
        spans[i] = (token_start + left, token_start + left + len(word_texts[i]), True)
        left += len(word_texts[i])
        i += 1
    right = len(token_text)
    j = n - 1
    while j >= i and word_texts[j] and token_text.endswith(word_texts[j], 0, right):
        if right - len(word_texts[j]) < left + (j - i):
            break
        spans[j] = (token_start + right - len(word_texts[j]), token_start + right, True)
        right -= len(word_texts[j])
        j -= 1
    middle = range(i, j + 1)
    if len(middle) == 1 and right > left:
        k = middle[0]
        spans[k] = (token_start + left, token_start + right, token_text[left:right] == word_texts[k])
    else:
        for k in middle:  # several unmatched words: each gets the unmatched middle (or the whole token)
            if right > left:
                spans[k] = (token_start + left, token_start + right, False)
            else:
                spans[k] = (token_start, end_all, False)
    return [s if s is not None else (token_start, end_all, False) for s in spans]
