"""Headlines and list items of the form ``SOURCE: statement`` at the start of a short line."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from worker.attribution import names
from worker.attribution.article import Found
from worker.attribution.content import content_span
from worker.attribution.marks import QUOTE_CHARS
from worker.attribution.resolve import resolve
from worker.attribution.speakers import word_list
from worker.text import trim

if TYPE_CHECKING:
    from worker.attribution.article import Article
    from worker.lexicon import Lexicon
    from worker.text import Token


def headlines(a: Article) -> None:
    """``SOURCE: statement`` at the start of a short line (headline, list item)."""
    text = a.text
    lines = []
    pos = 0
    while pos < len(text):
        line_end = a.paragraph_end(pos)
        lines.append((pos, line_end))
        pos = line_end + 1
    listed = _label_runs(a, lines)
    for start, end in lines:
        if start not in listed:
            headline(a, start, end)


_RUN = 3  # lines in a row whose labels open with the same word: a list of categories, not sources
# a comma, then a label of one or two words and a colon, inside a statement: one more item of a list
_LIST_ITEMS = re.compile(r"[،,][ \t]*[^\s،,:]+(?:[ \t]+[^\s،,:]+)?[ \t]*:(?!\d)")
_LABEL_WORDS = 6


def _label_runs(a: Article, lines: list[tuple[int, int]]) -> set[int]:
    """Starts of the lines that belong to a run of at least ``_RUN`` lines (blank lines between them
    aside) whose ``LABEL:`` opens with the same word: an award or result list (أفضل فيلم: … / أفضل
    مخرج: … / أفضل ممثل: …) or a list of related articles under one name; GUIDELINES: a list item
    ``X: Y`` that states no words of X's is no quote."""
    listed: set[int] = set()
    run: list[int] = []
    label = ""
    for start, end in lines:
        if not a.text[start:end].strip():
            continue
        colon = a.text.find(":", start, end)
        i = a.token_at(start)
        first = a.tokens[i].fold if i < len(a.tokens) and a.tokens[i].start < end else ""
        if colon < 0 or not first or a.token_at(colon) - i > _LABEL_WORDS:
            first = ""
        if first and first == label:
            run.append(start)
        else:
            if len(run) >= _RUN:
                listed.update(run)
            run, label = ([start], first) if first else ([], "")
    if len(run) >= _RUN:
        listed.update(run)
    return listed


_ORDINALS = word_list("ordinals.txt")


def _is_label(lex: Lexicon, fold: str) -> bool:
    """للمزيد، المزيد، تفاصيل، بالصور، أولاً: a topic or list label before a colon, with or without its ل."""
    if fold in lex.LABELS or fold in _ORDINALS:
        return True
    if fold.startswith(("لل", "بال")):  # للمزيد، بالصور، بالفيديو: the label with ل / ب attached
        bare = fold[2:] if fold.startswith("لل") else fold[3:]
        return "ال" + bare in lex.LABELS or bare in lex.LABELS
    return False


_ORG_WORD_USES = 5  # a word seen this often inside organisations' names may open one


def _names_topic(a: Article, source: list[Token]) -> bool:
    """The words before a headline's colon name a topic, not a source (GUIDELINES: topic labels are no
    quotes): a list number (5- …), a verb (وتضمن الاستفتاء سؤالا:), or a common noun of the corpus that
    heads no title, organisation, unnamed source or document and is no name word (هجوم X، مظاهرات X،
    الإعلانات), unless the words name an entity of the article."""
    first = source[0].fold
    if first.isdigit() or _names_time(a, source):
        return True
    bare = first[2:] if first.startswith("ال") else first
    lex = a.lx
    heads = (lex.TITLE_HEADS, lex.ORG_HEADS, lex.ANONYMOUS_HEADS, lex.DOCUMENT_NOUNS)
    if lex.is_title(first) or any(w in words for w in (first, bare) for words in heads):
        return False  # checked first: وزارة، وكالة are heads, not و + a verb
    if names.looks_verb(lex, first.removeprefix("و")):
        return True
    # a family name that is also a common word (الحوثي) or a label with a plural nisba (قادة أمنيون،
    # فلسطينيون: people) names a source; the absolute count of is_name_word does not tell (the name
    # miner's noise gives قمة 7، قضية 4، مباريات 4 too)
    if not names.common_word(lex, bare) or names.ends_names(lex, first):
        return False
    if any(len(t.fold) >= 5 and t.fold.endswith(("يون", "يين")) for t in source):
        return False
    if lex.org_roles(first).in_names >= _ORG_WORD_USES:
        return False  # الصحة العالمية: the corpus reads the word in organisations' names
    second = source[1].fold if len(source) > 1 else ""
    if second and names.is_name_word(lex, second) and second not in lex.PLACE_WORDS:
        return False  # a name whose first word is also a common noun: رياض محرز
    return a.registry.find_by_tokens(source[:2]) is None


def _names_time(a: Article, source: list[Token]) -> bool:
    """A number with no word that can name a speaker beside it: a date or a minute of a live report
    (`مارس 2016:`، `د 85:`), not a medium's name with its number (`فرانس 24:` — an organisation word)."""
    if not any(any(c.isdigit() for c in t.fold) for t in source):
        return False
    lex = a.lx
    for t in source:
        f = t.fold
        if any(c.isdigit() for c in f):
            continue
        if (
            names.known_name_word(lex, f)
            or lex.org_roles(f).in_names >= _ORG_WORD_USES
            or lex.is_title(f)
            or f in lex.ORG_HEADS
            or f in lex.ANONYMOUS_HEADS
            or f in lex.PLACES
            or a.registry.knows(t)
        ):
            return False
    return True


def _whole_statement(a: Article, colon: int, cs: int, ce: int) -> tuple[int, int]:
    """``SOURCE: "X" rest``: a quotation that opens the statement but ends before its sentence does is
    a part of it (مونتشي: "سيف دموقليس" سبب انتقال اللاعب): the statement runs to the sentence end."""
    mark = cs - 1
    if mark <= colon or a.text[mark] not in QUOTE_CHARS or a.text[colon + 1 : mark].strip():
        return cs, ce
    end = a.sentence_end(ce + 1)
    rest = a.text[ce + 1 : end].lstrip(" \t")
    if not rest[:1].isalnum():
        return cs, ce  # "X"، وأضاف … / "X".: the quotation is the statement
    return trim(a.text, mark, end, "،,:؛;.")


def headline(a: Article, start: int, end: int) -> None:
    colon = a.text.find(":", start, end)
    if colon < 0 or a.is_claimed(colon) or a.in_quote(colon):
        return
    if a.text[colon - 1 : colon].isdigit() and a.text[colon + 1 : colon + 2].isdigit():
        return  # وفي الساعة 06:48 …: a clock time, no source's colon
    # A list item may run a teaser into the source: "• ليس من شأنها..ماكرون: …"
    start = max(start, max(a.text.rfind(c, start, colon) for c in ".…") + 1)
    i, k = a.token_at(start), a.token_at(colon)
    source = a.tokens[i:k]
    if not source or len(source) > 6 or a.token_at(end) - k < 3:
        return
    lead = a.text[start : source[0].start].strip(" \t•*-–—·▪●◾" + QUOTE_CHARS)
    if lead or _is_label(a.lx, source[0].fold) or source[0].fold in a.lx.FUNCTION_WORDS:
        return
    if " ".join(t.fold for t in source) in a.lx.COLON_TAGS:
        return  # مباشر: … / ورد الآن: …: an outlet's tag (lexicon_build/tags.py), nobody's words
    if len(source) > 1 and source[0].fold in a.lx.COLON_TAGS and any(c in "-–—" for c in a.gap(i + 1)):
        return  # ريبورتاج - سوريا: …: the tag with its subtitle
    if source[0].fold in ("جاء", "وجاء"):
        return  # وجاء في نص الرسالة: … is a document's words (cues.document_cue), no source line
    if len(source) == 1 and source[0].fold.startswith("لل"):
        return  # - للدفاع: X، Y / - للهجوم: …: a line-up's label, ل + a noun never names a speaker
    if len(source) == 1 and source[0].fold in a.lx.PLACES:
        return  # رومانيا: … / القاهرة: …: a location tag (a place speaks with a verb: موسكو ترد:)
    if _names_topic(a, source):
        return  # مظاهرات البصرة: … / 5- السحب: …: a topic or list label, nobody's words
    mention = [source[0]]
    for t in source[1:]:
        f = t.fold
        if (
            f in a.lx.CUE_FORMS
            or f in a.lx.FUNCTION_WORDS
            or (f.startswith("ل") and f not in a.lx.TITLE_COMPLEMENTS)
        ):
            break
        known = f in a.lx.PLACES or f in a.lx.ORG_HEADS or f in a.lx.TITLE_COMPLEMENTS or a.lx.is_title(f)
        if f[:1] in "يتن" and len(f) > 3 and not known and not a.registry.find_by_tokens([t]):
            break  # a present-tense verb: واشنطن تصعد:
        mention.append(t)
    if len(mention) > 4:
        return
    cue_verb = a.lx.CUE_FORMS.get(source[len(mention)].fold) if len(mention) < len(source) else None
    content = content_span(a, "colon", k, colon)
    if content is None:
        return
    qtype, (cs, ce) = content
    if _LIST_ITEMS.findall(a.text, cs, ce)[_RUN - 2 :]:
        return  # حارس المرمى: X، للدفاع: Y، للوسط: Z: labels and names in a row, a line-up
    if qtype == "indirect":
        qtype = "direct"
    cs, ce = _whole_statement(a, colon, cs, ce)
    if a.overlaps_claimed(cs, ce):
        return
    cue_span = (colon, colon + 1)
    lemma = ":"
    if cue_verb is not None:
        t = source[len(mention)]
        cue_span, lemma = (t.start, t.end), cue_verb.lemma
    entity, info = resolve(a, mention, None, i)
    a.add(Found(qtype, (cs, ce), cue_span, lemma, mention, info, entity, 0.75))
