"""The extraction core's front door: text in, ``Quote`` objects out. Pure Python, no Kafka.

``Extractor`` is built once per process (patterns compiled, models loaded) and then called per article.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from worker import __version__
from worker.quotes import Quote
from worker.text import fold

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from worker.lexicon import Lexicon
    from worker.nlp.doc import Sentence
    from worker.nlp.stanza_backend import StanzaParser

BackendName = Literal["rules", "stanza"]
BACKENDS: tuple[str, ...] = ("rules", "stanza", "auto")


class Extractor:
    """Finds attributed quotes in Arabic news text.

    ``backend``: ``rules`` (built-in analyser, no models), ``stanza`` (dependency parse where a cheap pass
    found a candidate; needs the Arabic models), or ``auto`` (stanza when its models are installed).
    ``lexicon``: a lexicon folder (``quote-worker lexicon build``) or a loaded ``Lexicon``; None: the
    shipped one. A folder that lacks a file raises ``LexiconError`` naming it.
    """

    def __init__(
        self,
        backend: str = "rules",
        *,
        stanza_models: str | None = None,
        lexicon: Lexicon | Path | str | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        from worker.attribution import RuleAttributor
        from worker.lexicon import Lexicon  # loads the shipped lexicon: not at import (CLI start-up)

        self.version = __version__
        self.lexicon = lexicon if isinstance(lexicon, Lexicon) else Lexicon.load(lexicon)
        self._attributor = RuleAttributor(self.lexicon)
        _warm_name_tagger(self.lexicon)
        self.backend_name: BackendName = "rules"
        self._parser: StanzaParser | None = None
        if backend in ("stanza", "auto"):
            from worker.nlp.stanza_backend import StanzaParser, models_available

            if backend == "stanza" or models_available(stanza_models):
                self._parser = StanzaParser(stanza_models)
                self.backend_name = "stanza"

    def extract(self, text: str) -> list[Quote]:
        """Every attributed quote of ``text``, in text order."""
        return self._attributor.extract(text, parser=self._parser)

    def extract_article(self, text: str, title: str | None = None) -> list[Quote]:
        """Quotes of an article: those of a separately given title (``field='title'``) first."""
        return self.extract_articles([(text, title)])[0]

    def extract_articles(self, articles: list[tuple[str, str | None]]) -> list[list[Quote]]:
        """``extract_article`` over many (text, title) pairs. With stanza, the candidate sentences of
        all of them are parsed in one batched call; only those sentences are parsed at all."""
        fields = [t for text, title in articles for t in ((title, text) if title else (text,))]
        parses: list[list[Sentence] | None] = [None] * len(fields)
        if self._parser is not None:
            from worker.nlp.candidates import candidate_regions

            parses = list(self._parser.parse_many([(t, candidate_regions(t, self.lexicon)) for t in fields]))
        found = iter(
            self._attributor.extract(t, parsed=p) if p is not None else self._attributor.extract(t)
            for t, p in zip(fields, parses, strict=True)
        )
        out: list[list[Quote]] = []
        for _text, title in articles:
            headline = next(found) if title else []
            body = next(found)
            out.append([*(_as_title_quote(q, body) for q in headline), *body])
        return out


def _as_title_quote(quote: Quote, body: list[Quote]) -> Quote:
    """A quote of a separately given title, linked to the body's speaker when the body names the same
    one more fully (title ``منصور:`` and body ``وزيرة الصحة هالة منصور``); otherwise its entity id gets
    a ``t`` prefix so that it never collides with the body's ids."""
    sp = quote.speaker
    words = set(fold(sp.name or sp.mention or "").split())
    for other in body:
        o = other.speaker
        if words and o.name and o.entity_id and words <= set(fold(o.name).split()):
            linked = replace(sp, name=o.name, kind=o.kind, entity_id=o.entity_id)
            return replace(quote, field="title", speaker=linked)
    entity_id = f"t{sp.entity_id}" if sp.entity_id else None
    return replace(quote, field="title", speaker=replace(sp, entity_id=entity_id))


def _warm_name_tagger(lexicon: Lexicon) -> None:
    """Load the learned name tagger now, while the extractor is built, so that the first article that
    asks it about a doubtful name does not pay for reading the model (0.06-0.3 s). Without the model
    file the rules decide alone: said once, here, instead of silently on every article."""
    from worker.attribution.name_tagger import NameTagger, NameTaggerError

    try:
        NameTagger.load(lexicon=lexicon)
    except NameTaggerError as exc:
        log.warning("name tagger unavailable; name boundaries from the rules alone: %s", exc)
