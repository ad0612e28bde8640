"""Rule-based attribution: the order of its decisions over one text.

1. ``cues.has_candidate``: a text with no quotation mark, colon or cue word is done at once.
2. ``article.Article``: words, quoted spans, sentence ends and the boundaries where content stops.
3. ``entities.gather``: every titled person and every body named in full, anywhere, with what the text
   says of each, so that later short mentions, titles and body nouns link up.
4. For each cue word in text order: a source phrase (``sources``) or a speech cue (``speech``), which
   finds the content (``content``), then the speaker phrase (``speaker_phrase``), then the entity it
   names (``resolve``). A cue the lexicon lacks may come from a document (``وجاء في بيان``) or the
   parse (``cues``).
5. ``headlines``: ``SOURCE: statement`` lines that no cue claimed.
6. ``fragments``: short quotations no cue claimed that a source is said to use (يندد بـ"…").
7. ``entities.link``: speakers known only by a description (a title, an office with a nationality, a
   body noun) are linked to the one named entity whose attributes fit, else to the named person beside
   that title; and the quotes are built.

Quotation marks that nothing attributes (names, terms) are never quotes.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from worker import lexicon as lx
from worker.attribution.article import Article
from worker.attribution.content import describing_with_object, describing_with_object_words
from worker.attribution.cues import CONDITIONAL_CUES, conditional_cue, document_cue, has_candidate, parsed_cue
from worker.attribution.entities import gather, link
from worker.attribution.fragments import fragments
from worker.attribution.headlines import headlines
from worker.attribution.sources import source_phrase
from worker.attribution.speakers import canonical
from worker.attribution.speech import issued_document, speech_cue, thus_said
from worker.nlp.candidates import candidate_regions
from worker.nlp.parse_attribution import attributions
from worker.quotes import Cue, Quote, Span, Speaker

if TYPE_CHECKING:
    from worker.lexicon import Lexicon
    from worker.nlp.doc import Parser, Sentence
    from worker.text import Token


class RuleAttributor:
    """Stateless across articles: build once (with the ``Lexicon`` whose words it reads; None: the
    shipped one), call ``extract`` for each text.

    With a parse (``parsed``: the sentences of the candidate regions, or a ``parser`` to get them), cue
    verbs outside the lexicon are found by lemma and part of speech, and the subject of a cue verb names
    its speaker where the rules found none; where the parse gives nothing, the rules decide."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else lx.DEFAULT

    def extract(
        self, text: str, parser: Parser | None = None, parsed: list[Sentence] | None = None
    ) -> list[Quote]:
        if not text or not has_candidate(text, self.lexicon):
            return []
        if parsed is None and parser is not None:
            regions = candidate_regions(text, self.lexicon)
            parsed = parser.parse(text, regions) if regions else []
        hints = [a for sentence in parsed or () for a in attributions(sentence, text)]
        return _attribute(Article(text, self.lexicon, hints))


def _attribute(a: Article) -> list[Quote]:
    gather(a)
    others = _other_cue_words(a.lx)
    for i, tok in enumerate(a.tokens):
        cue = a.lx.CUE_FORMS.get(tok.fold)
        if cue is None:
            if not a.hints and tok.fold not in others:
                continue  # most words: two lookups and on
            cue = _other_cue(a, i, tok)
        if cue is None or a.is_claimed(tok.start) or a.in_quote(tok.start):
            continue
        if tok.fold in a.lx.LABELS and a.text[tok.end - 1] == "أ":
            continue  # اقرأ: (read more) folds like أقرا, the dual of أقر; its final hamza tells them apart
        if cue.kind == "source":
            source_phrase(a, i, cue)
        else:
            speech_cue(a, i, cue)
    headlines(a)
    fragments(a)
    link(a)
    return _build(a)


def _other_cue(a: Article, i: int, tok: Token) -> lx.CueForm | None:
    """A cue the lexicon's table lacks (the parse's verb, a document, a conditional cue, a cue learned
    from the corpus), or a quote
    lead or an issued document recorded on the way (``هكذا``، ``وأصدر X بيانا:``)."""
    cue = None
    if a.hints or tok.fold in ("جاء", "وجاء"):
        cue = parsed_cue(a, tok) or document_cue(a, i)
    if cue is None and tok.fold in CONDITIONAL_CUES:
        cue = conditional_cue(a, i)
    if cue is None:
        cue = a.lx.LEARNED_CUES.get(tok.fold)  # held to its own tests in speech_cue
    if cue is None:
        cue = describing_with_object(a.lx, tok.fold)  # ووصفهم بأنهم "…"
    if cue is None and tok.fold == "هكذا" and not a.in_quote(tok.start):
        thus_said(a, i)  # "…".. هكذا بدأ X
    elif cue is None and tok.fold.removesuffix("ا") in a.lx.DOCUMENT_NOUNS and not a.in_quote(tok.start):
        issued_document(a, i)  # وأصدر X بيانا: "…"
    return cue


@cache
def _other_cue_words(lexicon: Lexicon) -> frozenset[str]:
    """Every word ``_other_cue`` may act on without a parse (a superset), so the loop skips the rest."""
    documents = lexicon.DOCUMENT_NOUNS
    words = {"جاء", "وجاء", "هكذا", *CONDITIONAL_CUES, *lexicon.LEARNED_CUES}
    return frozenset(
        {*words, *documents, *(d + "ا" for d in documents), *describing_with_object_words(lexicon)}
    )


def _build(a: Article) -> list[Quote]:
    text = a.text
    out = []
    for f in sorted(a.found, key=lambda f: f.content[0]):
        cs, ce = f.content
        mention_text = mention_span = None
        title = None
        if f.mention:
            mention_span = Span(f.mention[0].start, f.mention[-1].end)
            mention_text = text[mention_span.start : mention_span.end]
        if f.info and f.info.title:
            title = text[f.info.title[0].start : f.info.title[-1].end]
        e = canonical(f.entity) if f.entity else None
        speaker = Speaker(
            name=(e.name or e.descriptor) if e else None,
            mention=mention_text,
            span=mention_span,
            title=title,
            kind=e.kind if e else "unknown",
            entity_id=e.id if e else None,
        )
        cue = Cue(text[f.cue[0] : f.cue[1]], f.cue_lemma, Span(*f.cue))
        out.append(Quote(f.type, Span(cs, ce), text[cs:ce], cue, speaker, f.confidence))
    return out
