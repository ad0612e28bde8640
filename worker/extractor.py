"""The extraction core's front door: text in, ``Quote`` objects out. Pure Python, no Kafka.

``Extractor`` is built once per process (patterns compiled, models loaded) and then called per article.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from worker import __version__
from worker.quotes import Quote

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
        self._parser = None
        if backend in ("stanza", "auto"):
            from worker.nlp.stanza_backend import StanzaParser, models_available

            if backend == "stanza" or models_available(stanza_models):
                self._parser = StanzaParser(stanza_models)
                self.backend_name = "stanza"

    def extract(self, text: str) -> list[Quote]:
        """Every attributed quote of ``text``, in text order."""
        if self._parser is None:
            return self._attributor.extract(text)
        return self._attributor.extract(text, parser=self._parser)

    def extract_article(self, text: str, title: str | None = None) -> list[Quote]:
        """Quotes of an article: those of a separately given title (``field='title'``) first."""
        quotes: list[Quote] = []
        if title:
            quotes.extend(replace(q, field="title") for q in self.extract(title))
        quotes.extend(self.extract(text))
        return quotes
