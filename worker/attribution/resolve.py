"""Resolving a speaker: the entity a mention names (a document stands for its issuer, وفقا للشرطة is
الشرطة), the entity an implicit cue refers to (a subject earlier in the sentence; for a feminine cue, the
subject of the feminine verb that opens its sentence or the one before; else the latest speaker
agreeing in gender and number), and the titled names registered before the pass."""

from __future__ import annotations

from typing import TYPE_CHECKING

from worker.attribution.speaker_phrase import opening_verb_subject, opens_with_verb, trim_mention
from worker.attribution.speakers import Entity, MentionInfo, analyse
from worker.text import Token

if TYPE_CHECKING:
    from worker.attribution.article import Article


def register_titled_names(a: Article) -> None:
    """Title + full name anywhere in the text (الرئيس الأوكراني فولوديمير زيلينسكي), so that a later
    bare title or family name of a speaker links to the full name."""
    for i, tok in enumerate(a.tokens):
        if not a.lx.is_title(tok.fold) or a.in_quote(tok.start):
            continue
        words = trim_mention(a, a.tokens[i : i + 9]) or []
        info = analyse(a.lx, words)
        if info.title and len(info.name) >= 2:
            if len(info.name) > 2 and not _ends_at_boundary(a, info.name[-1]):
                # in running text a long name often runs into the verb after it (… جاستن ترودو
                # تذرع ترامب): without a boundary after it, only the first two words are sure
                words = words[: words.index(info.name[1]) + 1]
            a.registry.resolve(a.text, words, tok.start, speaks=False)


def _ends_at_boundary(a: Article, last: Token) -> bool:
    """Whether a clear boundary follows ``last``: punctuation, a complementizer or cue, a function
    word, or the end of the text."""
    k = a.token_at(last.end)
    if k >= len(a.tokens):
        return True
    nxt = a.tokens[k]
    if a.text[last.end : nxt.start].strip():
        return True
    return nxt.fold in a.lx.COMPLEMENTIZERS or nxt.fold in a.lx.CUE_FORMS or nxt.fold in a.lx.FUNCTION_WORDS


def resolve(
    a: Article, mention: list[Token] | None, feminine: bool | None, i: int, plural: bool | None = None
) -> tuple[Entity | None, MentionInfo | None]:
    position = a.tokens[i].start
    if mention:
        words = mention
        # A document stands for its issuer: بيان صادر عن وزارة الداخلية.
        if words[0].fold in a.lx.DOCUMENT_NOUNS:
            for k, w in enumerate(words):
                if w.fold == "عن" and k + 1 < len(words):
                    words = words[k + 1 :]
                    break
            else:
                if len(words) > 1 and words[1].fold.startswith("ل"):
                    words = words[1:]  # تقرير للأمم المتحدة: the issuer (its ل comes off below)
                elif len(words) > 2 and words[1].fold.endswith(("ته", "تها", "ها")):
                    words = words[2:]  # بيان أصدرته الشركة: the subject of the relative verb
        name_text = None
        first = words[0]
        rest = "ال" + first.fold[2:] if first.fold.startswith("لل") else first.fold[1:]
        if first.fold.startswith("ل") and (rest in a.lx.ORG_HEADS or rest in a.lx.DOCUMENT_NOUNS):
            # وفقا للشرطة الألمانية: the speaker is الشرطة الألمانية (لل = ل + ال)
            shown = (
                ("ال" + a.text[first.start + 2 : first.end])
                if first.fold.startswith("لل")
                else a.text[first.start + 1 : first.end]
            )
            name_text = shown + a.text[first.end : words[-1].end]
            words = [Token(first.start + 1, first.end, rest), *words[1:]]
            if rest in a.lx.DOCUMENT_NOUNS:
                return resolve(a, words, feminine, i)
        entity, info = a.registry.resolve(
            a.text, words, position, feminine, name_text=name_text, plural=plural
        )
        return entity, info
    implicit = subject_in_sentence(a, i)
    if implicit is None and feminine and not plural:
        implicit = feminine_clause_subject(a, i)
    if implicit is None:
        implicit = a.registry.recent(feminine, plural)
    if implicit is not None:
        a.registry.spoke(implicit, position)
    return implicit, None


def subject_in_sentence(a: Article, i: int) -> Entity | None:
    """An implicit speaker named earlier in the same sentence (ونعت سليماني ترامب … مؤكدا أنه)."""
    start = max(a.token_at(a.sentence_start(a.tokens[i].start)), i - 40)
    for k in range(start, i):
        if a.tokens[k].fold in a.lx.TITLE_HEADS:  # وكان الرئيس الأمريكي رد … وقال
            e = a.registry.lookup(trim_mention(a, a.tokens[k:i]) or [])
            if e is not None and e.last_spoke >= 0:
                return e
        if not a.registry.knows(a.tokens[k]):
            continue  # no known name starts with this word
        for n in (3, 2, 1):
            if k + n <= i:
                e = a.registry.find_by_tokens(a.tokens[k : k + n])
                if e is not None:
                    return e
    return None


def feminine_clause_subject(a: Article, i: int) -> Entity | None:
    """VSO agreement: a feminine implicit cue (لكنها أشارت، وأشارت إلى أن) refers to the subject of
    the feminine verb that opens its sentence, or else the sentence before (وتقدمت شركة نوفا بشكوى …
    وأشارت إلى أن), before any earlier speaker: a verb that is not a cue has no quote to make its
    subject the latest speaker."""
    here = a.token_at(a.sentence_start(a.tokens[i].start))
    starts = [here]
    if here > 0:
        starts.append(a.token_at(a.sentence_start(a.tokens[here - 1].start)))
    for k in starts:
        if k >= i - 1 and k == here:
            continue  # the cue opens the sentence: look at the one before
        if not opens_with_verb(a, k, feminine=True):
            continue
        words = opening_verb_subject(a, k, i)
        if words is None:
            return None
        entity, _ = a.registry.resolve(a.text, words, words[0].start, True)
        return entity
    return None
