"""NLP layer under the attributor: one document model (``doc``), two backends that fill it
(``rules_backend``: no models; ``stanza_backend``: dependency parses, imported lazily), the candidate
pre-filter (``candidates``) and attribution read from a parse (``parse_attribution``)."""

from worker.nlp.doc import Doc, Entity, Parser, Region, Sentence, Word

__all__ = ["Doc", "Entity", "Parser", "Region", "Sentence", "Word"]
