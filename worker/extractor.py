"""The extraction core's front door: text in, ``Quote`` objects out. Pure Python, no Kafka.

``Extractor`` is built once per process (patterns compiled, models loaded) and then called per article.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from worker import __version__
from worker.quotes import Quote

if TYPE_CHECKING:
    from worker.nlp.doc import Sentence
    from worker.nlp.stanza_backend import StanzaParser

BackendName = Literal["rules", "stanza"]
BACKENDS: tuple[str, ...] = ("rules", "stanza", "auto")


class Extractor:
    """Finds attributed quotes in Arabic news text.

    ``backend``: ``rules`` (built-in analyser, no models), ``stanza`` (dependency parse where a cheap pass
    found a candidate; needs the Arabic models), or ``auto`` (stanza when its models are installed).
    """

    def __init__(self, backend: str = "rules", *, stanza_models: str | None = None) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        from worker.attribution import RuleAttributor

        self.version = __version__
        self._attributor = RuleAttributor()
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

            parses = list(self._parser.parse_many([(t, candidate_regions(t)) for t in fields]))
        found = iter(
            self._attributor.extract(t, parsed=p) if p is not None else self._attributor.extract(t)
            for t, p in zip(fields, parses, strict=True)
        )
        out: list[list[Quote]] = []
        for _text, title in articles:
            quotes = [replace(q, field="title") for q in next(found)] if title else []
            quotes.extend(next(found))
            out.append(quotes)
        return out
