"""The working state of one text: its words, quoted spans, sentence ends and content boundaries,
computed once and searched by bisection, and the spans that quotes found so far have claimed."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from worker.attribution.marks import QUOTE_CHARS, find_quoted
from worker.attribution.speakers import Entity, EntityRegistry, MentionInfo, name_key, word_list
from worker.lexicon import Lexicon
from worker.nlp.parse_attribution import ParsedAttribution
from worker.quotes import QuoteType
from worker.text import COMMAS, Token, tokenize

_SENTENCE_END = re.compile(r'[.!?؟…](?=[\s"»”]|$)|\n')
# After a comma these open the journalist's own clause, which ends the reported content.
_OPENER_ENTRIES = [e.split() for e in word_list("clause_openers.txt")]
_CLAUSE_OPENERS = frozenset(e[0] for e in _OPENER_ENTRIES if len(e) == 1)
# ويأتي ذلك: a word that opens the journalist's clause only before the word paired with it
_CLAUSE_OPENER_PAIRS = frozenset((e[0], e[1]) for e in _OPENER_ENTRIES if len(e) == 2)
_PAIRED_OPENERS = frozenset(first for first, _ in _CLAUSE_OPENER_PAIRS)
_BUT = frozenset({"لكن", "ولكن"})
# These open a clause of the journalist's only with أن (، قبل أن …); with a noun they are adjuncts.
_CONJUNCTIONS_WITH_AN = frozenset({"قبل", "بعد", "عقب", "اثر", "منذ"})
_COLON = re.compile(":")
# A dateline opening a paragraph: a place, its agency or outlet in brackets, a dash (دبي، الإمارات
# العربية المتحدة (CNN) –، الرباط (و م ع) -). The dash ends a sentence: what follows is the article's first
# sentence, never the continuation of the dateline.
_DATELINE = re.compile(r"(?m)^[^\S\n]*[^\n().!?؟:\"«»“”]{2,60}\([^()\n]{1,25}\)[^\S\n]*[-–—]+")
_NEWLINE = re.compile("\n")
_WORD_RUN = re.compile(r"\S+")
_COMMA = re.compile("[" + "".join(sorted(COMMAS)) + "]")
# Before a cue verb these make it the verb of a clause of its own, not a word of the speaker phrase.
_CLAUSE_LINKS = frozenset(
    {
        "لكن",
        "لكنه",
        "لكنها",
        "لكنهم",
        "ولكن",
        "ولكنه",
        "ولكنها",
        "بينما",
        "فيما",
        "ما",
        "مما",
        "التي",
        "الذي",
        "الذين",
    }
)
# Connectors that open a new clause (of a new attribution when a cue verb follows within a few words).
_CONNECTIVES = frozenset({"لكن", "ولكن", "لكنه", "لكنها", "ولكنه", "ولكنها", "كما", "فيما", "بينما"})


@lru_cache(maxsize=8)
def _marker_words(lex: Lexicon) -> frozenset[str]:
    """The words that matter to the boundaries and look-ahead: cues and clause openers."""
    return frozenset(lex.CUE_FORMS) | _CLAUSE_OPENERS | _PAIRED_OPENERS | _CONJUNCTIONS_WITH_AN | _BUT


def word_count(text: str, start: int, end: int, at_most: int) -> int:
    """Words in text[start:end], counted no further than ``at_most + 1`` (a long quote costs nothing)."""
    n = 0
    for _ in _WORD_RUN.finditer(text, start, end):
        n += 1
        if n > at_most:
            break
    return n


@dataclass(slots=True)
class Found:
    type: QuoteType
    content: tuple[int, int]
    cue: tuple[int, int]
    cue_lemma: str
    mention: list[Token] | None
    info: MentionInfo | None
    entity: Entity | None
    confidence: float


class Article:
    """The working state of one text."""

    def __init__(self, text: str, lexicon: Lexicon, hints: list[ParsedAttribution] | None = None) -> None:
        self.text = text
        self.lx = lexicon
        self.hints = {h.cue[0]: h for h in hints or ()}  # parse evidence by cue start
        self.tokens = tokenize(text)
        self.starts = [t.start for t in self.tokens]
        self.quoted = find_quoted(text)
        self.quoted_by_open = {q.open: q for q in self.quoted}
        self.quoted_opens = [q.open for q in self.quoted]
        self.ends = [
            m.start()
            for m in _SENTENCE_END.finditer(text)
            if m.group() == "\n" or not self.in_quote(m.start())
        ]
        if "(" in text and (datelines := [m.end() - 1 for m in _DATELINE.finditer(text)]):
            self.ends = sorted(self.ends + datelines)
        # The few tokens that matter to the boundaries and look-ahead: cues and clause openers.
        self.marker_indices = [k for k, t in enumerate(self.tokens) if t.fold in _marker_words(lexicon)]
        self.boundaries = self._attribution_boundaries()
        self.colons = [m.start() for m in _COLON.finditer(text)]
        self.newlines = [m.start() for m in _NEWLINE.finditer(text)]
        self.commas = [m.start() for m in _COMMA.finditer(text)]
        self.quote_words = [word_count(text, q.start, q.end, 4) for q in self.quoted]  # 5 = more
        # آن (Anne, "time") folds like أن / إن, but a complementizer is never written with madda
        comps = self.lx.COMPLEMENTIZERS
        self.comp_starts = [t.start for t in self.tokens if t.fold in comps and "آ" not in t.text(text)]
        self.stop_starts = [
            self.tokens[k].start
            for k in self.marker_indices
            if self.tokens[k].fold in self.lx.CUE_FORMS and self._takes_over(k)
        ]
        self.claimed: list[tuple[int, int]] = []  # sorted, non-overlapping
        self._claimed_starts: list[int] = []
        self.found: list[Found] = []
        self.registry = EntityRegistry(lexicon)
        self._clause_verbs: dict[str, list[int]] | None = None  # found at the first known speaker
        self._speaker_clauses: list[int] = []  # sorted
        self._keys_seen = 0
        self.name_quotes: dict[tuple[int, int], bool] = {}  # content.is_name_quote's answers
        self.title_quotes: dict[int, bool] = {}  # content's "is quote k a title or a medium?" answers

    def in_quote(self, pos: int) -> bool:
        k = bisect.bisect_right(self.quoted_opens, pos) - 1
        return k >= 0 and self.quoted[k].open < pos < self.quoted[k].close

    def _takes_over(self, j: int) -> bool:
        """A cue that ends the look-ahead of an earlier one: a participle, or a verb that opens a
        clause of its own (with و / ف, or after a comma)."""
        f = self.tokens[j].fold
        cue = self.lx.CUE_FORMS.get(f)
        if cue is None:
            return False
        if cue.kind == "participle":
            return True
        if cue.kind != "verb":
            return False
        if f[0] in "وف" or any(c in COMMAS for c in self.gap(j)):
            return True
        # ، لكنها أشارت / بسبب ما تقول …: a verb after a connector or a relative opens its own clause
        return j > 0 and self.tokens[j - 1].fold in _CLAUSE_LINKS

    def has_quote_inside(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.quoted_opens, start)
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

    def is_boundary(self, pos: int) -> bool:
        """Whether reported content must end at ``pos`` (a comma before a cue or before the journalist's
        own clause: ، وكانت …، ، حيث …)."""
        k = bisect.bisect_left(self.boundaries, pos)
        return k < len(self.boundaries) and self.boundaries[k] == pos

    def stray_close(self, start: int) -> int | None:
        """``ولفت البيان أن … . وأسفر … والاستقرار".``: the paragraph of ``start`` ends with a closing
        quotation mark that closes no quotation, and no new attribution comes before it: the statement
        runs on to that mark (the writer closed a quotation of the statement he never opened). Returns
        the end of the content (after the mark), else None."""
        p = bisect.bisect_left(self.newlines, start)  # by bisection: a huge paragraph costs nothing
        end = self.newlines[p] if p < len(self.newlines) else len(self.text)
        k = end - 1
        while k > start and self.text[k] in " \t.":
            k -= 1
        if k <= start or self.text[k] not in '"”»':
            return None
        n = bisect.bisect_right(self.quoted_opens, k) - 1
        opens_nothing = n >= 0 and self.quoted[n].open == k and not self.quoted[n].closed
        if n >= 0 and not opens_nothing and self.quoted[n].close >= k and self.quoted[n].open >= start:
            return None  # it closes a quotation inside the content
        if n >= 0 and self.quoted[n].open < start < self.quoted[n].close:
            return None
        b = bisect.bisect_left(self.boundaries, start)
        if b < len(self.boundaries) and self.boundaries[b] < k:
            return None  # a new attribution before the mark
        if self.has_quote_inside(start, k):
            return None
        return k + 1

    def _new_clause_of_a_speaker(self, start: int, end: int) -> int:
        """``…، ودافع العطية عن …``: after a comma, a و-verb whose subject is a known speaker starts the
        journalist's next clause; the reported content ends at that comma. The و-words after a comma
        are found once (``_clause_verbs``); those whose next word names a known speaker are kept sorted
        (``_speaker_clauses``) as speakers become known, so each call is one bisection."""
        log = self.registry.key_log
        if not log:
            return end
        if self._clause_verbs is None:
            self._clause_verbs = self._find_clause_verbs()
        while self._keys_seen < len(log):
            for k in self._clause_verbs.get(log[self._keys_seen], ()):
                bisect.insort(self._speaker_clauses, k)
            self._keys_seen += 1
        k = self.token_at(start)
        last = min(len(self.tokens) - 1, k + 400)  # a clause is not longer
        n = bisect.bisect_left(self._speaker_clauses, k)
        if n < len(self._speaker_clauses):
            c = self._speaker_clauses[n]
            if c < last and self.tokens[c + 1].start < end:
                return self.tokens[c - 1].end
        return end

    def _find_clause_verbs(self) -> dict[str, list[int]]:
        """Token indices of و-words after a comma (ودافع، وأشاد) by the name key of the word after."""
        out: dict[str, list[int]] = {}
        tokens = self.tokens
        for k in range(len(tokens) - 1):
            f = tokens[k].fold
            if (
                f.startswith("و")
                and len(f) > 3
                and not f.startswith("وال")
                and f not in self.lx.FUNCTION_WORDS
                and any(c in COMMAS for c in self.gap(k))
            ):
                out.setdefault(name_key(self.lx, tokens[k + 1].fold), []).append(k)
        return out

    def _attribution_boundaries(self) -> list[int]:
        """Positions where reported content must end: a comma (or sentence start) before a cue, a cue
        participle or source phrase, a comma before a clause of the journalist's own (، قبل أن …)."""
        out = []
        tokens = self.tokens
        for i in self.marker_indices:
            tok = tokens[i]
            cue = self.lx.CUE_FORMS.get(tok.fold)
            nxt = tokens[i + 1].fold if i + 1 < len(tokens) else ""
            opener = (
                tok.fold in _CLAUSE_OPENERS
                or (tok.fold, nxt) in _CLAUSE_OPENER_PAIRS
                or (tok.fold in _CONJUNCTIONS_WITH_AN and nxt == "ان")
                # ، لكن وزير الخارجية …: a new subject with a title or a body opens the journalist's clause
                or (tok.fold in _BUT and (self.lx.is_title(nxt) or nxt in self.lx.ORG_HEADS))
            )
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
                after_quote = any(c in QUOTE_CHARS for c in gap)
                noun_like = cue.kind == "participle" and cue.feminine and not after_quote
                if noun_like and not self._participle_opens_content(i):
                    # … فإن الحكومة مطالبة بـ / ناقلة نفط / متابعة حالتها: a noun or predicate (after a
                    # closing mark it is the speaker's: تحوي "مادة مشعة" مؤكدة عدم …)
                    continue
                out.append(gap_start)
            elif cue.kind == "verb" and (b := self._connector_before(i)) is not None:
                out.append(b)
            elif cue.kind == "verb" and tok.fold[0] in "وف" and self._opens_own_content(i):
                out.append(gap_start)  # … قبل أسبوعين ووصفته بأنه "…": a new attribution, no comma
        return sorted(set(out))

    def _participle_opens_content(self, i: int) -> bool:
        """Participle i (with no comma before it) is followed within four words by what opens reported
        content: a complementizer (معربة عن الأمل في أن), a colon or a quotation mark, or right after it
        إلى (مشيرة إلى). A feminine or plural form without one is mostly a noun or a predicate inside
        the content (الحكومة مطالبة بـ، مذكرة تفاهم، ناقلة نفط، متابعة الحالة), not a new attribution."""
        if i + 1 < len(self.tokens) and self.tokens[i + 1].fold == "الي":
            return True
        for k in range(i + 1, min(i + 5, len(self.tokens))):
            if self.tokens[k].fold in self.lx.COMPLEMENTIZERS:
                return True
            if any(c == ":" or c in QUOTE_CHARS for c in self.gap(k)):
                return True
        return False

    def _contrast_at(self, k: int) -> int | None:
        """Token k ends a connector of contrast (لكن، لكنه، إلا أنه، في حين): the index of its first
        token, else None."""
        fold = self.tokens[k].fold
        if fold in _BUT or (fold.startswith(("لكن", "ولكن")) and fold.endswith(("ه", "ها", "هم"))):
            return k
        if k and fold in ("حين", "الوقت") and self.tokens[k - 1].fold == "في":
            return k - 1  # في حين / في الوقت (الذي)
        if k and fold in self.lx.COMPLEMENTIZERS and self.tokens[k - 1].fold == "الا":
            return k - 1  # إلا أنه
        return None

    def _opens_own_content(self, i: int) -> bool:
        """Cue verb i is followed within a few words by a complementizer or a quotation of its own."""
        for t in self.tokens[i + 1 : i + 5]:
            if t.fold in self.lx.COMPLEMENTIZERS or self.text[t.start - 1 : t.start] in QUOTE_CHARS:
                return True
        return False

    def _connector_before(self, i: int) -> int | None:
        """``…، ولكنه قال`` / ``…، لكن منتقدي القرار وصفوها`` / ``… فيما أوضحت``: a connector a few
        words before cue verb i opens a new attribution; the content before ends at its comma (or,
        for فيما / بينما right before the verb, at the connector). With no comma, a connector of
        contrast (لكن، إلا أن، في حين) ends it too when the cue verb opens content of its own (… أن
        منظمة التحرير بحاجة إلى التحسن لكنه قال إنها …، … في حين اعتبرت ميركل أن …)."""
        for k in range(i - 1, max(-1, i - 5), -1):
            gap = self.gap(k)
            fold = self.tokens[k].fold
            contrast = self._contrast_at(k)
            if fold in _CONNECTIVES or contrast is not None:
                if any(c in COMMAS for c in gap):
                    start = self.tokens[k - 1].end if k else 0
                    return start + min(gap.find(c) for c in COMMAS if c in gap)
                if k == i - 1 and fold in ("فيما", "بينما"):
                    return self.tokens[k - 1].end if k else 0
                if contrast is not None and self._opens_own_content(i):
                    before = self.gap(contrast)  # the content keeps a closing mark before it
                    return self.tokens[contrast].start - len(before) + len(before.rstrip())
                return None
            if any(c in COMMAS or c in ".!?؟:\n" or c in QUOTE_CHARS for c in gap):
                return None
        return None

    def punctuated(self, start: int, end: int) -> bool:
        """Whether a comma or a quotation opens between ``start`` and ``end`` (by bisection)."""
        k = bisect.bisect_left(self.commas, start)
        if k < len(self.commas) and self.commas[k] < end:
            return True
        k = bisect.bisect_left(self.quoted_opens, start)
        return k < len(self.quoted) and self.quoted_opens[k] < end

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

    def add(self, f: Found) -> None:
        if f.content[1] <= f.content[0]:
            return  # nothing inside the marks (" ")
        lo = min(f.cue[0], f.content[0], f.mention[0].start if f.mention else f.cue[0])
        hi = max(f.cue[1], f.content[1], f.mention[-1].end if f.mention else f.cue[1])
        k = bisect.bisect_left(self._claimed_starts, lo)
        self.claimed.insert(k, (lo, hi))
        self._claimed_starts.insert(k, lo)
        self.found.append(f)
