"""Rule-based attribution: cues, quoted spans and speaker phrases, read in text order.

Each cue word (a speech verb, an adverbial participle, a source phrase, a verbal noun) looks ahead in
its sentence for what opens the reported content (a complementizer such as أن / إن, a colon, or a
quotation mark) and takes the words between as the speaker phrase; when there are none the speaker is
the sentence subject before the cue or the last speaker (implicit: ``وأضاف أن``). Quoted spans that no
cue claimed may still be attributed by a cue right after them (``"…"، قال الوزير``), and short lines of
the form ``SOURCE: statement`` (headlines, list items) are quotes of their own. Quotation marks that
nothing attributes (names, terms) are never quotes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from worker import lexicon as lx
from worker.attribution.marks import QUOTE_CHARS, Quoted, find_quoted
from worker.attribution.speakers import (
    Entity,
    EntityRegistry,
    MentionInfo,
    analyse,
    canonical,
    is_adverbial_participle,
    not_in_name,
)
from worker.nlp.candidates import candidate_regions
from worker.nlp.parse_attribution import ParsedAttribution, attributions
from worker.quotes import Cue, Quote, QuoteType, Span, Speaker
from worker.text import COMMAS, WORD, Token, fold_word, tokenize, trim

if TYPE_CHECKING:
    from worker.nlp.doc import Parser, Sentence

# Cheap test first: a text with no quotation mark, colon or cue word has no quote.
_MARKS = re.compile("[:«“”\"„']")


def _has_candidate(text: str) -> bool:
    if _MARKS.search(text):
        return True
    return any(fold_word(w) in lx.CUE_FORMS for w in WORD.findall(text))


_SENTENCE_END = re.compile(r'[.!?؟…](?=[\s"»”]|$)|\n')
# أن after these is a conjunction (بعد أن، إلا أن، كما أن), not reported speech.
_BEFORE_COMPLEMENTIZER_NOT_SPEECH = frozenset(
    {
        "بعد",
        "قبل",
        "منذ",
        "دون",
        "بدون",
        "رغم",
        "برغم",
        "بمجرد",
        "لمجرد",
        "بدل",
        "حين",
        "الا",
        "غير",
        "حيث",
        "بما",
        "كما",
        "لو",
        "مع",
        "حتي",
        "ولو",
        "بالرغم",
        "الي",
    }
)
_CONNECTORS = frozenset({"لكن", "ولكن", "لكنه", "بينما", "فيما", "كما", "و", "ف", "إذ", "اذ", "حيث", "ثم"})
_DOC_NOUNS = lx.DOCUMENT_NOUNS
_LEADING_PREPOSITIONS = frozenset(
    lx.FUNCTION_WORDS
    | lx.ADJUNCT_PREPOSITIONS
    | {"بشان", "وبشان", "وحول", "وعن", "وفي", "وعلي", "ومع", "وبعد", "وقبل", "وخلال", "ومن", "وعند", "ولدي"}
)
_DOCUMENT_CUE = lx.CueForm("جاء", "verb")
_BELIEF_VERBS = frozenset({"توقع", "اعتقد", "رجح", "ظن", "قدر", "اعتبر", "رأى"})
# After a comma these open the journalist's own clause, which ends the reported content.
_CLAUSE_OPENERS = frozenset({"حيث", "فيما", "بينما", "وذلك", "مما", "ما", "وسط"})
# These open a clause of the journalist's only with أن (، قبل أن …); with a noun they are adjuncts.
_CONJUNCTIONS_WITH_AN = frozenset({"قبل", "بعد", "عقب", "اثر", "منذ"})
_SOURCE_CONTENT_OPENERS = frozenset({"فان", "فانه", "فانها", "فانهم", "فقد", "فهناك"})
_MARKER_WORDS = frozenset(lx.CUE_FORMS) | _CLAUSE_OPENERS | _CONJUNCTIONS_WITH_AN
_MAX_LOOKAHEAD = 30
_MAX_SPEAKER = 10


@dataclass(slots=True)
class _Found:
    type: QuoteType
    content: tuple[int, int]
    cue: tuple[int, int]
    cue_lemma: str
    mention: list[Token] | None
    info: MentionInfo | None
    entity: Entity | None
    confidence: float


def _next(positions: list[int], pos: int) -> int:
    """The first of the sorted ``positions`` at or after ``pos`` (a large number if none)."""
    k = bisect.bisect_left(positions, pos)
    return positions[k] if k < len(positions) else 1 << 62


def _is_addressee(fold: str) -> bool:
    """لوسائل، للصحفيين، لقناة: a ل-prefixed word that names whom the speaker addressed."""
    if fold.startswith(lx.MEDIA_PREFIXED) or (fold.startswith("ل") and len(fold) > 1 and fold[1].isascii()):
        return True  # لـCNN
    rest = fold[1:] if fold.startswith("ل") else ""
    return bool(rest) and (rest in lx.ORG_HEADS or rest in lx.TITLE_HEADS or ("ا" + rest) in lx.ORG_HEADS)


class RuleAttributor:
    """Stateless across articles: build once, call ``extract`` for each text.

    With a parse (``parsed``: the sentences of the candidate regions, or a ``parser`` to get them), cue
    verbs outside the lexicon are found by lemma and part of speech, and the subject of a cue verb names
    its speaker where the rules found none; where the parse gives nothing, the rules decide."""

    def extract(
        self, text: str, parser: Parser | None = None, parsed: list[Sentence] | None = None
    ) -> list[Quote]:
        if not text or not _has_candidate(text):
            return []
        if parsed is None and parser is not None:
            regions = candidate_regions(text)
            parsed = parser.parse(text, regions) if regions else []
        hints = [a for sentence in parsed or () for a in attributions(sentence, text)]
        return _Article(text, hints).run()


class _Article:
    """The working state of one text."""

    def __init__(self, text: str, hints: list[ParsedAttribution] | None = None) -> None:
        self.text = text
        self.hints = {h.cue[0]: h for h in hints or ()}  # parse evidence by cue start
        self.tokens = tokenize(text)
        self.starts = [t.start for t in self.tokens]
        self.quoted = find_quoted(text)
        self.quoted_by_open = {q.open: q for q in self.quoted}
        self._quoted_opens = [q.open for q in self.quoted]
        self.ends = [
            m.start()
            for m in _SENTENCE_END.finditer(text)
            if m.group() == "\n" or not self.in_quote(m.start())
        ]
        # The few tokens that matter to the boundaries and look-ahead: cues and clause openers.
        self.marker_indices = [k for k, t in enumerate(self.tokens) if t.fold in _MARKER_WORDS]
        self.boundaries = self._attribution_boundaries()
        self.colons = [k for k, c in enumerate(text) if c == ":"]
        self.comp_starts = [t.start for t in self.tokens if t.fold in lx.COMPLEMENTIZERS]
        self.stop_starts = [
            self.tokens[k].start
            for k in self.marker_indices
            if self.tokens[k].fold in lx.CUE_FORMS and self._takes_over(k)
        ]
        self.claimed: list[tuple[int, int]] = []  # sorted, non-overlapping
        self._claimed_starts: list[int] = []
        self.found: list[_Found] = []
        self.registry = EntityRegistry()

    # --- positions -------------------------------------------------------------------------------
    def in_quote(self, pos: int) -> bool:
        k = bisect.bisect_right(self._quoted_opens, pos) - 1
        return k >= 0 and self.quoted[k].open < pos < self.quoted[k].close

    def _takes_over(self, j: int) -> bool:
        """A cue that ends the look-ahead of an earlier one: a participle, or a verb that opens a
        clause of its own (with و / ف, or after a comma)."""
        f = self.tokens[j].fold
        cue = lx.CUE_FORMS.get(f)
        if cue is None:
            return False
        return cue.kind == "participle" or (
            cue.kind == "verb" and (f[0] in "وف" or any(c in COMMAS for c in self.gap(j)))
        )

    def has_quote_inside(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._quoted_opens, start)
        return k < len(self.quoted) and self.quoted[k].close <= end

    def sentence_end(self, pos: int) -> int:
        k = bisect.bisect_left(self.ends, pos)
        return self.ends[k] if k < len(self.ends) else len(self.text)

    def sentence_start(self, pos: int) -> int:
        k = bisect.bisect_left(self.ends, pos) - 1
        return self.ends[k] + 1 if k >= 0 else 0

    def paragraph_end(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def clause_end(self, pos: int) -> int:
        """Where reported content that starts at ``pos`` ends: the sentence end, or just before a comma
        (or cue) that opens a new attribution."""
        end = self.sentence_end(pos)
        k = bisect.bisect_left(self.boundaries, pos)
        if k < len(self.boundaries):
            end = min(end, self.boundaries[k])
        return self._new_clause_of_a_speaker(pos, end)

    def _new_clause_of_a_speaker(self, start: int, end: int) -> int:
        """``…، ودافع العطية عن …``: after a comma, a و-verb whose subject is a known speaker starts the
        journalist's next clause; the reported content ends at that comma."""
        k = self.token_at(start)
        last = min(len(self.tokens) - 1, k + 400)  # a clause is not longer: keep long texts linear
        while k < last and self.tokens[k + 1].start < end:
            t, nxt = self.tokens[k], self.tokens[k + 1]
            if (
                t.fold.startswith("و")
                and len(t.fold) > 3
                and not t.fold.startswith("وال")
                and t.fold not in lx.FUNCTION_WORDS
                and any(c in COMMAS for c in self.gap(k))
                and self.registry.find_by_tokens([nxt]) is not None
            ):
                return self.tokens[k - 1].end
            k += 1
        return end

    def _attribution_boundaries(self) -> list[int]:
        """Positions where reported content must end: a comma (or sentence start) before a cue, a cue
        participle or source phrase, a comma before a clause of the journalist's own (، قبل أن …)."""
        out = []
        tokens = self.tokens
        for i in self.marker_indices:
            tok = tokens[i]
            cue = lx.CUE_FORMS.get(tok.fold)
            nxt = tokens[i + 1].fold if i + 1 < len(tokens) else ""
            opener = tok.fold in _CLAUSE_OPENERS or (tok.fold in _CONJUNCTIONS_WITH_AN and nxt == "ان")
            if (cue is None and not opener) or self.in_quote(tok.start):
                continue
            gap_start = self.tokens[i - 1].end if i else 0
            gap = self.text[gap_start : tok.start]
            if any(c in COMMAS for c in gap):
                out.append(gap_start + min(gap.find(c) for c in COMMAS if c in gap))
            elif cue is None:
                continue
            elif cue.kind == "verb" and any(c in ".!?؟" for c in gap):
                out.append(gap_start + 1)  # a new sentence that opens with a cue: وكشف …
            elif cue.kind in ("participle", "source") and tok.fold != "حسب":
                out.append(gap_start)
        return out

    def token_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect.bisect_left(self.starts, pos)

    def is_claimed(self, pos: int) -> bool:
        k = bisect.bisect_right(self._claimed_starts, pos) - 1
        return k >= 0 and pos < self.claimed[k][1]

    def overlaps_claimed(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._claimed_starts, end) - 1
        return k >= 0 and self.claimed[k][1] > start

    def gap(self, i: int) -> str:
        """The characters between token i-1 and token i."""
        return self.text[self.tokens[i - 1].end if i else 0 : self.tokens[i].start]

    # --- the pass --------------------------------------------------------------------------------
    def run(self) -> list[Quote]:
        self._register_titled_names()
        for i, tok in enumerate(self.tokens):
            cue = lx.CUE_FORMS.get(tok.fold)
            if cue is None and (self.hints or tok.fold in ("جاء", "وجاء")):
                cue = self._parsed_cue(tok) or self._document_cue(i)
            if cue is None or self.is_claimed(tok.start) or self.in_quote(tok.start):
                continue
            if cue.kind == "source":
                self._source(i, cue)
            else:
                self._speech(i, cue)
        self._headlines()
        self.registry.merge_titled(self.text, self.tokens, self.in_quote)
        return self._build()

    def _document_cue(self, i: int) -> lx.CueForm | None:
        """وجاء في بيان الوزارة أن …: a document that says something (its issuer is the speaker)."""
        if self.tokens[i].fold not in ("جاء", "وجاء") or i + 2 >= len(self.tokens):
            return None
        if self.tokens[i + 1].fold != "في" or self.tokens[i + 2].fold not in _DOC_NOUNS:
            return None
        return _DOCUMENT_CUE

    def _parsed_cue(self, tok: Token) -> lx.CueForm | None:
        """A speech verb the lexicon lacks but the parse recognised (by lemma and part of speech)."""
        hint = self.hints.get(tok.start)
        if hint is None or hint.cue[1] != tok.end or tok.fold in lx.FUNCTION_WORDS:
            return None
        if hint.speaker is None or hint.complementizer is None:
            return None  # only a full parse (subject, complementizer, clause) vouches for a new verb
        return lx.CueForm(hint.cue_lemma, "verb")

    def _parsed_speaker(self, i: int) -> list[Token] | None:
        """The subject of cue token i in the parse, as tokens (None when the parse gives none)."""
        hint = self.hints.get(self.tokens[i].start)
        if hint is None or hint.speaker is None:
            return None
        s, e = hint.speaker
        if self.in_quote(s) or self.overlaps_claimed(s, e):
            return None
        words = self.tokens[self.token_at(s) : self.token_at(e)]
        # the same checks as a speaker phrase the rules read (no adverb, event noun or participle)
        return self._speaker_phrase(words) if 0 < len(words) <= _MAX_SPEAKER else None

    def _register_titled_names(self) -> None:
        """Title + full name anywhere in the text (الرئيس الأوكراني فولوديمير زيلينسكي), so that a later
        bare title or family name of a speaker links to the full name."""
        for i, tok in enumerate(self.tokens):
            if not lx.is_title(tok.fold) or self.in_quote(tok.start):
                continue
            words = self._trim_mention(self.tokens[i : i + 9]) or []
            info = analyse(words)
            if info.title and len(info.name) >= 2:
                self.registry.resolve(self.text, words, tok.start, speaks=False)

    def _speech(self, i: int, cue: lx.CueForm) -> None:
        tok = self.tokens[i]
        cue_span = (tok.start, tok.end)
        limit = self.sentence_end(tok.end)
        opener = self._find_opener(i, limit)
        if opener is None:
            if cue.kind == "verb":
                self._quote_before_cue(i, cue)
            return
        kind, j, pos = opener
        pre = self.tokens[i + 1 : j]
        while pre and pre[-1].fold in lx.COMPLEMENTIZER_PREPOSITIONS:
            pre = pre[:-1]
        content = self._content(kind, j, pos)
        if content is None:
            return
        qtype, (cs, ce) = content
        if self.overlaps_claimed(cs, ce) or (cue.kind == "participle" and len(pre) > 3):
            return  # taken already; or a participle with a long phrase before its content
        mention: list[Token] | None = None
        relayed = self._relayed_source(pre, cue.lemma == "نقل") if cue.kind == "verb" else None
        if cue is _DOCUMENT_CUE:
            mention = self._trim_mention(pre[1:])  # after في: بيان مشترك لمحامي الرجلين
        elif relayed:  # ونقلت الوكالة عن الوزير / على لسان الوزير: the source speaks, not the relay
            mention = relayed
        elif cue.kind == "participle":
            mention = self._governing_subject(i)
        elif cue.kind == "verb":
            # SVO (الحكومة السورية تصف … بأنه): a known subject before the verb wins, and what follows
            # the verb is its object; otherwise the words after the verb name the speaker.
            mention = (
                self._subject_before(i, known_only=True)
                or self._speaker_phrase(pre)
                or self._subject_before(i)
                or self._parsed_speaker(i)
            )
        elif cue.kind == "noun" and cue.passive_subject:
            mention = self._after_an(i)
        if (
            mention is None
            and cue.kind == "verb"
            and cue.lemma in _BELIEF_VERBS
            and tok.fold.lstrip("وف")[:1] in "يت"
        ):
            return  # ويتوقع أن / ويعتقد أن: "it is expected", nobody's words
        entity, info = self._resolve(mention, cue.feminine, i, cue.plural)
        confidence = (0.9 if qtype == "direct" else 0.8) if mention else 0.7
        self._add(_Found(qtype, (cs, ce), cue_span, cue.lemma, mention, info, entity, confidence))

    def _find_opener(self, i: int, limit: int) -> tuple[str, int, int] | None:
        """What opens the content after cue token i: ('comp', token, end of it) for a complementizer,
        ('colon', token after, pos of colon), ('quote', token after, pos of mark); None when the
        sentence ends, the look-ahead runs out or another cue takes over first. Each kind of event is
        found by bisection in precomputed positions, so a text full of cues stays linear."""
        n = len(self.tokens)
        last = min(n, i + _MAX_LOOKAHEAD + 1)
        horizon = min(limit + 1, self.tokens[last].start if last < n else len(self.text))
        skipped: tuple[str, int, int] | None = None  # a short quoted name passed on the way
        pos = self.tokens[i].end
        while pos < horizon:
            colon = _next(self.colons, pos)
            k = bisect.bisect_left(self._quoted_opens, pos)
            while k < len(self.quoted) and self.is_claimed(self.quoted[k].open):
                k += 1
            quote = self.quoted[k].open if k < len(self.quoted) else len(self.text)
            comp_k = bisect.bisect_left(self.comp_starts, pos)
            comp = self.comp_starts[comp_k] if comp_k < len(self.comp_starts) else len(self.text)
            stop = _next(self.stop_starts, pos)
            first = min(colon, quote, comp, stop)
            if first >= horizon or (first in (comp, stop) and first >= limit):
                return skipped
            j = self.token_at(first)
            if first == colon:
                return ("colon", j, colon)
            if first == quote:
                q = self.quoted[k]
                words = len(self.text[q.start : q.end].split())
                far = j - i > 8 or any(c in COMMAS for c in self.text[self.tokens[i].end : quote])
                before = self.tokens[j - 1].fold if j - 1 > i else ""
                names_it = before in lx.ORG_HEADS or lx.is_title(before)  # مراسلة "قناة الحدث"
                if self._is_name_quote(q) or (words <= 2 and far):
                    # a quoted name on the way (حكومة «المدينة»); kept in case nothing else follows,
                    # unless it is a word or two far from the cue, or the name of what precedes it
                    if skipped is None and words > 1 and not far and not names_it:
                        skipped = ("quote", j, quote)
                    pos = q.close + 1
                    continue
                return ("quote", j, quote)
            if first == comp:
                before = self.tokens[j - 1].fold
                if j - 1 > i and before in _BEFORE_COMPLEMENTIZER_NOT_SPEECH and before != "الي":
                    return None
                return ("comp", j, self.tokens[j].end)
            return None  # a later cue (وأضاف، مشيرا) governs what follows
        return skipped

    def _is_name_quote(self, q: Quoted) -> bool:
        """A short closed quote with more of the sentence after it: a quoted name or term
        (في حوار مع جريدة "لا غازيتا" الإيطالية: …), not the content."""
        if not q.closed or len(self.text[q.start : q.end].split()) > 4:
            return False
        rest = self.text[q.close + 1 : self.clause_end(q.close + 1)]
        return bool(rest.strip(" \t،,.:؛;!?؟-–—" + QUOTE_CHARS))

    def _content(self, kind: str, j: int, pos: int) -> tuple[QuoteType, tuple[int, int]] | None:
        text = self.text
        if kind == "quote":  # the cue (or its speaker) runs straight into a quotation: direct
            q = self.quoted_by_open[pos]
            qs, qe = trim(text, q.start, q.end)
            return ("direct", (qs, qe)) if qe > qs else None
        start = pos + 1 if kind == "colon" else pos
        while start < len(text) and text[start].isspace() and text[start] != "\n":
            start += 1
        if start < len(text) and start in self.quoted_by_open:
            if kind == "colon":
                return self._content("quote", j, start)
            return self._direct_or_mixed(self.quoted_by_open[start], start + 1)
        if kind == "colon":  # an answer or statement after a colon may run over sentences
            k = bisect.bisect_right(self.boundaries, start)
            end = self.paragraph_end(start)
            if k < len(self.boundaries):
                end = min(end, self.boundaries[k])
        else:
            end = self.clause_end(start)
        s, e = trim(text, start, end, "،,:؛;-–—.")
        if e - s < 2 or (len(text[s:e].split()) < 2 and kind == "colon"):
            return None
        return ("mixed" if self.has_quote_inside(s, e) else "indirect"), (s, e)

    def _direct_or_mixed(self, q: Quoted, content_start: int) -> tuple[QuoteType, tuple[int, int]] | None:
        """A quote right after its opener: direct if it fills the clause, else the start of a mixed one."""
        after = q.close + 1 if q.closed else q.close
        clause_end = self.clause_end(q.close)
        rest = self.text[after:clause_end].strip(" \t،,.:؛;!?؟-–—" + QUOTE_CHARS)
        if not q.closed or not rest or after >= clause_end:
            s, e = trim(self.text, q.start, q.end)
            return ("direct", (s, e)) if e > s else None
        s, e = trim(self.text, content_start, clause_end, "،,:؛;")
        return ("mixed", (s, e)) if e > s else None

    def _quote_before_cue(self, i: int, cue: lx.CueForm) -> None:
        """``"…"، قال الوزير``: a closed quote right before the cue is its content."""
        tok = self.tokens[i]
        before = self.text[max(0, tok.start - 4) : tok.start]
        k = bisect.bisect_right(self._quoted_opens, tok.start) - 1
        if k < 0:
            return
        q = self.quoted[k]
        if not q.closed or q.close >= tok.start or self.is_claimed(q.open):
            return
        between = self.text[q.close + 1 : tok.start]
        if between.strip(" \t،,.-–—") or "\n" in before:
            return
        end = self.sentence_end(tok.end)
        j = self.token_at(tok.end)
        pre = self.tokens[j : min(self.token_at(end), j + _MAX_SPEAKER + 1)]
        mention = self._speaker_phrase(pre)
        if not mention:
            return
        entity, info = self._resolve(mention, cue.feminine, i)
        s, e = trim(self.text, q.start, q.end)
        self._add(_Found("direct", (s, e), (tok.start, tok.end), cue.lemma, mention, info, entity, 0.85))

    def _source(self, i: int, cue: lx.CueForm) -> None:
        """بحسب X، … / …، وفقا لـ X / نقلا عن X / على لسان X."""
        tok = self.tokens[i]
        cue_start = tok.start
        j = i + 1
        if tok.fold.endswith("لسان"):
            if i == 0 or self.tokens[i - 1].fold not in ("علي", "وعلي"):
                return
            cue_start = self.tokens[i - 1].start
        elif tok.fold.endswith("نقلا"):
            if j >= len(self.tokens) or self.tokens[j].fold != "عن":
                return
            j += 1
        # وفقا لما ذكره X / بحسب ما أعلنت X: skip the relative and its verb.
        while j < len(self.tokens) and self.tokens[j].fold in ("ل", "لـ", "ما", "لما", "بما"):
            j += 2 if self.tokens[j].fold != "ل" else 1
        sent_start = self.sentence_start(tok.start)
        lead = [
            t for t in self.tokens[max(self.token_at(sent_start), i - 3) : i] if t.fold not in _CONNECTORS
        ]
        sent_end = self.sentence_end(tok.end)
        if not lead:  # clause-initial: بحسب X، CONTENT
            stop = self._next_comma(j, sent_end)
            if stop is None:  # بحسب الوزير فإن …: no comma, the فإن / فقد opens the content
                k = next(
                    (
                        k
                        for k in range(j + 1, min(len(self.tokens), j + _MAX_SPEAKER + 1))
                        if self.tokens[k].fold in _SOURCE_CONTENT_OPENERS
                    ),
                    None,
                )
                if k is None or self.tokens[k].start >= sent_end:
                    return
                stop = self.tokens[k].start - 1
            mention = self._trim_mention(self.tokens[j : self.token_at(stop)])
            content = self._content("comp", self.token_at(stop), stop + 1)
        else:  # clause-final: CONTENT، بحسب X.
            near = max(sent_start, tok.start - 8)
            comma = max(self.text.rfind("،", near, tok.start), self.text.rfind(",", near, tok.start))
            mention = self._trim_mention(self.tokens[j : min(self.token_at(sent_end), j + _MAX_SPEAKER + 1)])
            content = None
            # The source phrase must close the sentence, after a comma: …، بحسب رويترز.
            tail = mention[-1].end if mention else sent_end
            closes = (
                bool(mention)
                and sent_end - tail < 8
                and not self.text[tail:sent_end].strip(" \t.،,)" + QUOTE_CHARS)
            )
            if comma >= 0 and not self.text[comma : tok.start].strip("،, \t") and closes:
                s, e = trim(self.text, sent_start, comma)
                whole = self.quoted_by_open.get(s)
                if whole is not None and whole.closed and whole.close == e - 1:  # "…"، بحسب X.
                    s, e = trim(self.text, whole.start, whole.end)
                    content = ("direct", (s, e)) if e > s else None
                elif e - s > 10:
                    content = ("mixed" if self.has_quote_inside(s, e) else "indirect", (s, e))
        if mention and content is None and cue.lemma == "على لسان" and len(mention) <= _MAX_SPEAKER:
            self._resolve(mention, None, i)  # جاء ذلك على لسان X، … حيث قال: X speaks next
            return
        if not mention or content is None or len(mention) > _MAX_SPEAKER:
            return
        qtype, (cs, ce) = content
        if self.overlaps_claimed(cs, ce):
            return  # the medium of a quote already attributed
        entity, info = self._resolve(mention, None, i)
        self._add(_Found(qtype, (cs, ce), (cue_start, tok.end), cue.lemma, mention, info, entity, 0.7))

    def _next_comma(self, j: int, limit: int) -> int | None:
        for k in range(j, min(len(self.tokens), j + _MAX_SPEAKER + 1)):
            gap_start = self.tokens[k - 1].end
            if gap_start >= limit:
                return None
            gap = self.text[gap_start : self.tokens[k].start]
            for c in COMMAS:
                if c in gap:
                    return gap_start + gap.index(c)
        return None

    def _headlines(self) -> None:
        """``SOURCE: statement`` at the start of a short line (headline, list item)."""
        text = self.text
        pos = 0
        while pos < len(text):
            line_end = self.paragraph_end(pos)
            self._headline(pos, line_end)
            pos = line_end + 1

    def _headline(self, start: int, end: int) -> None:
        colon = self.text.find(":", start, end)
        if colon < 0 or self.is_claimed(colon) or self.in_quote(colon):
            return
        # A list item may run a teaser into the source: "• ليس من شأنها..ماكرون: …"
        start = max(start, max(self.text.rfind(c, start, colon) for c in ".…") + 1)
        i, k = self.token_at(start), self.token_at(colon)
        source = self.tokens[i:k]
        if not source or len(source) > 6 or self.token_at(end) - k < 3:
            return
        lead = self.text[start : source[0].start].strip(" \t•*-–—·▪●◾" + QUOTE_CHARS)
        if lead or source[0].fold in lx.LABELS or source[0].fold in lx.FUNCTION_WORDS:
            return
        mention = [source[0]]
        for t in source[1:]:
            f = t.fold
            if (
                f in lx.CUE_FORMS
                or f in lx.FUNCTION_WORDS
                or (f.startswith("ل") and f not in lx.TITLE_COMPLEMENTS)
            ):
                break
            known = f in lx.PLACES or f in lx.ORG_HEADS or f in lx.TITLE_COMPLEMENTS or lx.is_title(f)
            if f[:1] in "يتن" and len(f) > 3 and not known and not self.registry.find_by_tokens([t]):
                break  # a present-tense verb: واشنطن تصعد:
            mention.append(t)
        if len(mention) > 4:
            return
        cue_verb = lx.CUE_FORMS.get(source[len(mention)].fold) if len(mention) < len(source) else None
        content = self._content("colon", k, colon)
        if content is None:
            return
        qtype, (cs, ce) = content
        if qtype == "indirect":
            qtype = "direct"
        if self.overlaps_claimed(cs, ce):
            return
        cue_span = (colon, colon + 1)
        lemma = ":"
        if cue_verb is not None:
            t = source[len(mention)]
            cue_span, lemma = (t.start, t.end), cue_verb.lemma
        entity, info = self._resolve(mention, None, i)
        self._add(_Found(qtype, (cs, ce), cue_span, lemma, mention, info, entity, 0.75))

    # --- speakers ----------------------------------------------------------------------------------
    def _speaker_phrase(self, pre: list[Token]) -> list[Token] | None:
        """The speaker words among those between a cue and its content: up to a comma, an adjunct
        (في بيان، خلال، أمس، لـ«وكالة»), a clause word or a quotation mark. An apposition after a comma
        completes a bare title: المتحدث باسم الكرملين، ديمتري بيسكوف."""
        out: list[Token] = []
        for n, t in enumerate(pre):
            f = t.fold
            if n:
                gap = self.text[pre[n - 1].end : t.start]
                if any(c in QUOTE_CHARS or c in "()[]:.!?؟\n" for c in gap) and not self._names_org(out, gap):
                    break
                if any(c in COMMAS for c in gap):
                    if self._bare_title(out) and n + 1 < len(pre) and f not in lx.FUNCTION_WORDS:
                        continue_with = self._trim_mention(pre[n:])
                        if continue_with and len(continue_with) <= 4:
                            out.extend(continue_with)
                    break
            if n == 0 and (
                f in lx.PRONOUN_SUBJECTS
                or f in _LEADING_PREPOSITIONS
                or (f.startswith(lx.SPEECH_EVENT_STEMS) and f not in lx.ORG_HEADS)
                or is_adverbial_participle(f)
            ):
                return None  # وواصل عن … / وركز حديثه على أن: no speaker named here
            if self._ends_speaker(pre, n):
                break
            if n and _is_addressee(f) and not self._bare_title(out) and out[0].fold not in _DOC_NOUNS:
                break  # an addressee after a name: ويلباك لوسائل إعلام
            if n and not_in_name(f) and not self._bare_title(out):
                break  # سليماني موجها خطابه، الوليد دعمه الكلي: the name has ended
            out.append(t)
            if len(out) >= _MAX_SPEAKER:
                return None
        return self._cut_after_known_name(out) if out else None

    def _relayed_source(self, pre: list[Token], relay_verb: bool) -> list[Token] | None:
        """The speaker a relay names: نقلت الوكالة عن الوزير (after نقل), … على لسان الوزير (any cue)."""
        for k, t in enumerate(pre[:-1]):
            if (t.fold == "عن" and relay_verb) or (t.fold == "لسان" and k and pre[k - 1].fold == "علي"):
                return self._trim_mention(pre[k + 1 :])
        return None

    def _governing_subject(self, i: int) -> list[Token] | None:
        """وعلق ماركيش على التجديد قائلا: the participle's speaker is the subject of the cue verb
        before it in the same sentence."""
        start = max(self.token_at(self.sentence_start(self.tokens[i].start)), i - 15)
        for v in range(i - 1, start - 1, -1):
            cue = lx.CUE_FORMS.get(self.tokens[v].fold)
            if cue is not None and cue.kind == "verb":
                if self.overlaps_claimed(self.tokens[v].start, self.tokens[v].end):
                    return None  # that verb has its own quote: its speaker is already the latest
                words = self._speaker_phrase(self.tokens[v + 1 : i])
                return words if words and self._is_named_subject(words) else None
        return None

    def _is_named_subject(self, words: list[Token]) -> bool:
        """Words that can only be a subject: a title, organisation, source or place word, or a
        speaker the article already knows (not an object such as بقدرة المرأة)."""
        head = words[0].fold
        if head in lx.TITLE_HEADS or head in lx.ORG_HEADS or head in lx.ANONYMOUS_HEADS or head in lx.PLACES:
            return True
        return (
            self.registry.find_by_tokens(words[:2]) is not None
            or self.registry.find_by_tokens(words[:1]) is not None
        )

    def _cut_after_known_name(self, words: list[Token]) -> list[Token]:
        """A phrase that starts with the name of a known speaker ends with that name: what follows is
        the verb's object (وتوقع بومبيو إحراز "تقدم")."""
        for k in range(len(words), 0, -1):
            e = self.registry.find_by_tokens(words[:k])
            if e is not None and e.kind == "person":
                return words[:k]
        return words

    def _ends_speaker(self, words: list[Token], n: int) -> bool:
        f = words[n].fold
        if f in lx.TIME_WORDS or f in lx.ADJUNCT_PREPOSITIONS or f in lx.SPEAKER_BREAKERS:
            return True
        if f in lx.CUE_FORMS or f in lx.COMPLEMENTIZERS:
            return True
        if f in lx.FUNCTION_WORDS and f not in ("في", "وفي", "علي", "عن", "الي", "مع", "لدي", "بين"):
            return True
        if f == "ل" or f.startswith(lx.MEDIA_PREFIXED):
            return True
        if f in ("في", "وفي", "علي", "عن", "الي", "مع") and n + 1 < len(words):
            nxt = words[n + 1].fold
            stem = nxt[2:] if nxt.startswith("ال") else nxt
            if nxt in lx.TIME_WORDS or stem.startswith(lx.SPEECH_EVENT_STEMS) or f in ("علي", "الي", "مع"):
                return True
            if (
                f == "عن"
                and n
                and words[n - 1].fold not in _DOC_NOUNS
                and words[n - 1].fold not in ("صادر", "الصادر", "صادرة", "الصادرة")
            ):
                return True
        return False

    def _trim_mention(self, words: list[Token]) -> list[Token] | None:
        out: list[Token] = []
        for n, t in enumerate(words):
            gap = self.text[words[n - 1].end : t.start] if n else ""
            if any(c in COMMAS or c in QUOTE_CHARS or c in "():.!?؟\n" for c in gap) and not self._names_org(
                out, gap
            ):
                break
            if self._ends_speaker(words, n) and n:
                break
            out.append(t)
        return out or None

    @staticmethod
    def _names_org(words: list[Token], gap: str) -> bool:
        """An organisation word followed by its quoted or bracketed name: قناة "BFM"، محطة (WILX)."""
        return (
            len(words) in (1, 2) and words[0].fold in lx.ORG_HEADS and not any(c in gap for c in ":.!?؟\n،,")
        )

    @staticmethod
    def _bare_title(words: list[Token]) -> bool:
        if len(words) == 1 and words[0].fold.startswith(lx.KINSHIP_STEMS):
            return True  # والدتها، زينب أحمد
        return (
            bool(words)
            and words[0].fold in lx.TITLE_HEADS
            and all(
                w.fold.startswith("ال") or w.fold in lx.TITLE_HEADS or w.fold in ("باسم", "لدي")
                for w in words
            )
        )

    def _subject_before(self, i: int, known_only: bool = False) -> list[Token] | None:
        """SVO: ``العطية قال:``، ``لكن غوغل أكدت أن`` — a short noun phrase opening the clause."""
        tok = self.tokens[i]
        start = self.sentence_start(tok.start)
        start = max(start, tok.start - 200)  # a subject is a short phrase: look no further back
        comma = max(self.text.rfind("،", start, tok.start), self.text.rfind(",", start, tok.start))
        if comma >= 0:
            start = comma + 1
        words = self.tokens[self.token_at(start) : i]
        for k in range(len(words) - 1, -1, -1):  # … لكن المهاجم قال إن: the clause after the connector
            if words[k].fold in _CONNECTORS or words[k].fold in ("لكن", "ولكن", "بينما", "فيما", "وبينما"):
                words = words[k + 1 :]
                break
        if not words or len(words) > 7:
            return None
        if words[0].fold in lx.AUXILIARY_VERBS:
            return None
        head = words[0].fold
        if head in _LEADING_PREPOSITIONS or head in lx.PRONOUN_SUBJECTS or head in lx.LABELS:
            return None
        if any(w.fold in lx.CUE_FORMS or w.fold in lx.SPEAKER_BREAKERS for w in words):
            return None
        if any(c in QUOTE_CHARS or c in "()[]-–—" for c in self.text[words[0].start : words[-1].end]):
            return None  # a dateline or an aside, not a subject
        if any(w.fold in lx.TIME_WORDS or (w.fold in lx.FUNCTION_WORDS and w.fold != "في") for w in words):
            return None
        if self._is_named_subject(words):
            return words
        if not known_only and len(words) <= 3 and start == self.sentence_start(tok.start):
            return words
        return None

    def _after_an(self, i: int) -> list[Token] | None:
        """نقلت الصحيفة عن مصادر قولها: the speaker is what follows عن."""
        for k in range(i - 1, max(-1, i - 9), -1):
            if self.tokens[k].fold == "عن":
                return self._trim_mention(self.tokens[k + 1 : i])
        return None

    def _resolve(
        self, mention: list[Token] | None, feminine: bool | None, i: int, plural: bool | None = None
    ) -> tuple[Entity | None, MentionInfo | None]:
        position = self.tokens[i].start
        if mention:
            words = mention
            # A document stands for its issuer: بيان صادر عن وزارة الداخلية.
            if words[0].fold in _DOC_NOUNS:
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
            if first.fold.startswith("ل") and (rest in lx.ORG_HEADS or rest in _DOC_NOUNS):
                # وفقا للشرطة الألمانية: the speaker is الشرطة الألمانية (لل = ل + ال)
                shown = (
                    ("ال" + self.text[first.start + 2 : first.end])
                    if first.fold.startswith("لل")
                    else self.text[first.start + 1 : first.end]
                )
                name_text = shown + self.text[first.end : words[-1].end]
                words = [Token(first.start + 1, first.end, rest), *words[1:]]
                if rest in _DOC_NOUNS:
                    return self._resolve(words, feminine, i)
            entity, info = self.registry.resolve(
                self.text, words, position, feminine, name_text=name_text, plural=plural
            )
            return entity, info
        implicit = self._subject_in_sentence(i) or self.registry.recent(feminine, plural)
        if implicit is not None:
            implicit.last_spoke = position
        return implicit, None

    def _subject_in_sentence(self, i: int) -> Entity | None:
        """An implicit speaker named earlier in the same sentence (ونعت سليماني ترامب … مؤكدا أنه)."""
        start = max(self.token_at(self.sentence_start(self.tokens[i].start)), i - 40)
        for k in range(start, i):
            if self.tokens[k].fold in lx.TITLE_HEADS:  # وكان الرئيس الأمريكي رد … وقال
                e = self.registry.lookup(self._trim_mention(self.tokens[k:i]) or [])
                if e is not None and e.last_spoke >= 0:
                    return e
            for n in (3, 2, 1):
                if k + n <= i:
                    e = self.registry.find_by_tokens(self.tokens[k : k + n])
                    if e is not None:
                        return e
        return None

    # --- output ----------------------------------------------------------------------------------
    def _add(self, f: _Found) -> None:
        if f.content[1] <= f.content[0]:
            return  # nothing inside the marks (" ")
        lo = min(f.cue[0], f.content[0], f.mention[0].start if f.mention else f.cue[0])
        hi = max(f.cue[1], f.content[1], f.mention[-1].end if f.mention else f.cue[1])
        k = bisect.bisect_left(self._claimed_starts, lo)
        self.claimed.insert(k, (lo, hi))
        self._claimed_starts.insert(k, lo)
        self.found.append(f)

    def _build(self) -> list[Quote]:
        text = self.text
        out = []
        for f in sorted(self.found, key=lambda f: f.content[0]):
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
