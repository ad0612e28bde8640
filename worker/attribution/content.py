"""Reported content: what opens it after a cue (a complementizer, a colon, a quotation mark) and
where it ends, and so its type (direct, indirect, mixed)."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from worker.attribution.marks import QUOTE_CHARS, Quoted
from worker.attribution.names import OBJECT_PRONOUNS
from worker.attribution.speakers import word_list
from worker.quotes import QuoteType
from worker.text import COMMAS, fold_word, trim

if TYPE_CHECKING:
    from worker.attribution.article import Article
    from worker.lexicon import CueForm, Lexicon

# أن after these is a conjunction (بعد أن، إلا أن، بالنظر إلى أن), not reported speech.
_CONJUNCTION_HEADS = word_list("conjunction_heads.txt")
# The preposition of a prepositional conjunction (بالنظر إلى أن، فضلا عن أن، على الرغم من أن); after a
# cue (أشار إلى أن) it opens reported speech.
PREPOSITIONS = word_list("prepositions.txt")
# ما right before a cue verb is its object (وفق ما ذكر موقع "X"): no quotation after it is content,
# unless the verb takes a second object (ما تعتبره X "…").
OBJECT_RELATIVES = word_list("object_relatives.txt")
SECOND_OBJECT_VERBS = word_list("second_object_verbs.txt")
_MA_CONJUNCTION_HEADS = word_list("ma_conjunction_heads.txt")
# على حد تعبيره / قوله / وصفها at the end of content attributes it; it is not part of it.
_MANNER_NOUNS = tuple(sorted(word_list("manner_nouns.txt")))  # a tuple for startswith
_MANNER_NOUN_LONGEST = max(map(len, _MANNER_NOUNS)) + 2  # with a pronoun (تعبيرها)
# …، في إشارة إلى X: the journalist's gloss on what was said, after the last comma of the content.
_GLOSS_NOUNS = word_list("gloss_nouns.txt")
_GLOSS_CHARS = 300  # a gloss is shorter; the search stays bounded on a long clause
# The manner phrase ends the content: its noun, then a name of at most this many words.
_MANNER_TAIL_WORDS = 5
# A quoted name or term is at most this many words; a longer quotation is somebody's statement.
NAME_QUOTE_WORDS = 4
_MAX_LOOKAHEAD = 30
# News passes one or two quotations before its opener; a longer run (hostile text, a list of titles)
# opens nothing. This also bounds the look-ahead on text made of quotations.
_MAX_PASSED_QUOTES = 3
# The first character that is more than space, punctuation or a quotation mark.
_FILLER_END = re.compile("[^" + re.escape(" \t،,.:؛;!?؟-–—" + QUOTE_CHARS) + "]")


_NONE = 1 << 62  # the position of an event that does not occur


def _next(positions: list[int], pos: int) -> int:
    """The first of the sorted ``positions`` at or after ``pos`` (``_NONE`` if none)."""
    k = bisect.bisect_left(positions, pos)
    return positions[k] if k < len(positions) else _NONE


def find_opener(a: Article, i: int, limit: int) -> tuple[str, int, int] | None:
    """What opens the content after cue token i: ('comp', token, end of it) for a complementizer,
    ('colon', token after, pos of colon), ('quote', token after, pos of mark); None when the
    sentence ends, the look-ahead runs out or another cue takes over first. Each kind of event is
    found by bisection in precomputed positions, so a text full of cues stays linear."""
    n = len(a.tokens)
    last = min(n, i + _MAX_LOOKAHEAD + 1)
    horizon = min(limit + 1, a.tokens[last].start if last < n else len(a.text))
    skipped: tuple[str, int, int] | None = None  # a short quoted name passed on the way
    describing = _describing(a, i)  # a quotation right after its ب is the speaker's fragment
    object_taken = object_relative_before(a, i)  # وفق ما ذكر موقع "X"
    passed = 0  # quotations passed on the way; news passes one or two (مراسل "قناة X" لـ"وكالة Y")
    pos = a.tokens[i].end
    first_comma = _next(a.commas, pos)
    colon = comp = stop = -1
    k = bisect.bisect_left(a.quoted_opens, pos)
    while pos < horizon:
        # the next event of each kind; recomputed only once the look-ahead has passed it
        if colon < pos:
            colon = _next(a.colons, pos)
        if comp < pos:
            comp = _next(a.comp_starts, pos)
        if stop < pos:
            stop = _next(a.stop_starts, pos)
        while k < len(a.quoted) and (a.quoted[k].open < pos or a.is_claimed(a.quoted[k].open)):
            k += 1
        quote = a.quoted[k].open if k < len(a.quoted) else _NONE
        first = min(colon, quote, comp, stop)
        if first >= horizon or (first in (comp, stop) and first >= limit):
            return skipped
        j = a.token_at(first)
        if first == colon:
            return ("colon", j, colon)
        if first == quote:
            passed += 1
            if passed > _MAX_PASSED_QUOTES:
                return skipped  # a run of quotations with no opener: nothing opens here
            q = a.quoted[k]
            words = a.quote_words[k]
            far = j - i > 8 or first_comma < quote
            before = a.tokens[j - 1].fold if j - 1 > i else ""
            names_it = before in a.lx.ORG_HEADS or a.lx.is_title(before)  # مراسلة "قناة الحدث"
            named = j - 1 > i and a.tokens[j - 1].fold in NAMING_BEFORE_QUOTE  # تحالف باسم "…"
            if _titles_quote(a, k, j) or named or (object_taken and words <= NAME_QUOTE_WORDS):
                # فيلمه الجديد "…" / قال لـ"الشرق الأوسط" / باسم "…": a title, the medium or a name,
                # never the content;
                # حسبما أفادت مصادر "X": the verb's object is ما, a quoted name its subject
                pos = q.close + 1
                continue
            if ((words <= 2 and far) or is_name_quote(a, k)) and not (
                describing and _described_as(a, i, j, quote)
            ):
                # a quoted name on the way (حكومة «المدينة»); kept in case nothing else follows,
                # unless it is a word or two far from the cue, or the name of what precedes it
                if skipped is None and words > 1 and not far and not names_it:
                    skipped = ("quote", j, quote)
                pos = q.close + 1
                continue
            return ("quote", j, quote)
        if first == comp:
            b = j - 1
            if b - 1 > i and a.tokens[b].fold in PREPOSITIONS:
                b -= 1
            if b > i and a.tokens[b].fold in _CONJUNCTION_HEADS:
                return None
            if object_taken and _fact_subject(a, i, j):
                return None  # بما يشير إلى أن …: ما, the fact just told, is the subject; nobody speaks
            if _in_parentheses(a.text, a.tokens[i].end, first):
                pos = a.tokens[j].end  # (دويتشه بان ريجيو): a word of a name in brackets, not بأن
                continue
            return ("comp", j, a.tokens[j].end)
        return None  # a later cue (وأضاف، مشيرا) governs what follows
    return skipped


def object_relative_before(a: Article, i: int) -> bool:
    """Cue verb i follows the relative ما, its object (حسبما أفادت مصادر "X"، بحسب ما ذكر موقع "X"),
    and takes no second object: what follows it is its subject, not its content."""
    if i == 0 or a.tokens[i - 1].fold not in OBJECT_RELATIVES:
        return False
    if i > 1 and a.tokens[i - 1].fold == "ما" and a.tokens[i - 2].fold in _MA_CONJUNCTION_HEADS:
        return False  # وسرعان ما علق X: ما makes a conjunction, the verb's object is still open
    cue = a.lx.CUE_FORMS.get(a.tokens[i].fold)
    return cue is not None and cue.kind == "verb" and fold_word(cue.lemma) not in SECOND_OBJECT_VERBS


def _fact_subject(a: Article, i: int, j: int) -> bool:
    """Cue verb i after ما (object_relative_before) is a present-tense verb of the third person
    masculine singular with its complementizer j right after it (a preposition between at most): ما is its
    subject, the fact the sentence has just told (ارتفعت الأسعار، مما يؤكد أن الطلب قوي), not its
    object with a speaker after it (ما يقول الوزير إنه …), nor the plural of كثيرا ما يعلنون أن. قال is
    left out: ما يقول إنه … has an implicit speaker."""
    between = j - i - 1
    if between > 1 or (between == 1 and a.tokens[i + 1].fold not in PREPOSITIONS):
        return False
    cue = a.lx.CUE_FORMS.get(a.tokens[i].fold)
    return cue is not None and a.tokens[i].fold[:1] == "ي" and cue.lemma != "قال" and not cue.plural


_WORK_HEADS = word_list("work_heads.txt")
# Words that make the quotation after them a name or a label (يعرف بـ"…"، المعروف باسم "…"); not اسمه
# (naming_words.txt), which a cue's content follows (طلب عدم نشر اسمه "…")
NAMING_BEFORE_QUOTE = word_list("fragment_naming.txt")
_POSSESSIVES = ("هما", "هم", "ها", "ه", "ي")


def _titles_quote(a: Article, k: int, j: int) -> bool:
    """Quote k (opening before token j) names a titled thing or the medium; asked once per quote."""
    known = a.title_quotes.get(k)
    if known is None:
        opens_speech = j < len(a.tokens) and a.tokens[j].fold in a.lx.COMPLEMENTIZERS  # صحيفة "إن …"
        known = not opens_speech and (names_work(a, j) or _after_li(a.text, a.quoted[k].open))
        a.title_quotes[k] = known
    return known


def names_work(a: Article, j: int) -> bool:
    """The quotation opening before token j follows a noun of a titled thing (فيلم، حملة، برنامج …),
    perhaps with a pronoun, an attached preposition and one definite adjective: its name, not speech."""
    k = j - 1
    if k >= 0 and a.tokens[k].fold.startswith("ال") and k >= 1:
        k -= 1  # فيلمه الجديد "…"
    return k >= 0 and is_work_head(a.tokens[k].fold)


_FRAGMENT_VERBS = word_list("fragment_verbs.txt")


# The object pronouns of a plural or dual object; وصفه and وصفها are in the lexicon's own table.
_PLURAL_OBJECT_PRONOUNS = ("هما", "هم", "هن")


def describing_with_object(lex: Lexicon, word: str) -> CueForm | None:
    """The cue of a describing verb that carries the object pronoun of a plural or dual (ووصفهم،
    وصفتهم، وصفوهم، يصفونهم بأنهم "…"): the cue of the form without the pronoun; None for other words."""
    for pronoun in _PLURAL_OBJECT_PRONOUNS:
        if word.endswith(pronoun):
            stem = word[: -len(pronoun)]
            cue = lex.CUE_FORMS.get(stem) or (lex.CUE_FORMS.get(stem + "ا") if stem.endswith("و") else None)
            return cue if cue is not None and cue.kind == "verb" and cue.lemma in _FRAGMENT_VERBS else None
    return None


@lru_cache(maxsize=8)
def describing_with_object_words(lex: Lexicon) -> frozenset[str]:
    """Every word ``describing_with_object`` answers for (the attribution loop skips the rest)."""
    stems = [f for f, c in lex.CUE_FORMS.items() if c.kind == "verb" and c.lemma in _FRAGMENT_VERBS]
    stems += [f[:-1] for f in stems if f.endswith("وا")]  # وصفوا → وصفوهم
    return frozenset(s + p for s in stems for p in _PLURAL_OBJECT_PRONOUNS)


def _describing(a: Article, i: int) -> bool:
    """Cue i is a verb of describing (``data/fragment_verbs.txt``) that has a speaker: not a verbal
    noun after a preposition (وردا على وصفه بـ"…" من جانب X: said of him). Asked once per cue."""
    word = a.tokens[i].fold
    cue = a.lx.CUE_FORMS.get(word) or describing_with_object(a.lx, word)
    if word not in a.lx.FRAGMENT_CUES and (cue is None or cue.lemma not in _FRAGMENT_VERBS):
        return False
    return not (i and a.tokens[i - 1].fold in PREPOSITIONS)


def fragment_opens(a: Article, i: int, kind: str, j: int, pos: int) -> bool:
    """The content found for cue i is what its ب takes: a quotation right after the attached ب
    (اتهم X بـ"الكذب") or بأن (اتهم X بأنه). A learned fragment cue (``lexicon.FRAGMENT_CUES``: its ب
    takes the speaker's words, its other objects are no quote: طالب بحقوقه) opens nothing else."""
    if kind == "quote":
        return _described_as(a, i, j, pos)
    return kind == "comp" and a.tokens[j].fold.lstrip("وف").startswith("ب")


def _described_as(a: Article, i: int, j: int, mark: int) -> bool:
    """The quotation mark at ``mark`` (before token j) follows the attached ب of describing cue i a few
    words on (وصفه بـ"الكارثة" و"الفظيع"، واصفا إياه بـ«…»): the words its speaker used, a fragment of
    theirs even when more of the sentence follows."""
    before = a.text[max(0, mark - 3) : mark].rstrip("ـ")
    # the ب may stand inside the marks: وصف X "بـالمهزلة"، وتصفه "بالعنصري"
    inside = a.text.startswith(("بـ", "بال"), mark + 1)
    if not (inside or before.endswith("ب")) or (len(before) > 1 and before[-2].isalpha() and not inside):
        return False
    if j - i > 8:
        return False
    # وصف بـ"…" with nothing between: the passive (وُصف), nobody named as its speaker
    words_between = j - i - 1 - (a.tokens[j - 1].fold == "ب" and not inside)
    word = a.tokens[i].fold
    return words_between > 0 or not any(word in (v, "و" + v, "ف" + v) for v in _FRAGMENT_VERBS)


def _after_li(text: str, mark: int) -> bool:
    """The quotation mark at ``mark`` follows an attached ل (لـ"العربية"، للـ«وكالة»): the medium or
    addressee that a speaker talks to."""
    before = text[max(0, mark - 3) : mark].rstrip("ـ")
    return before.endswith("ل") and (len(before) < 2 or not before[-2].isalpha() or before[-2] == "ل")


@lru_cache(maxsize=1 << 14)
def is_work_head(word: str) -> bool:
    for w in (word, word[1:] if word[:1] in "وبلفك" else ""):
        if not w:
            continue
        if w in _WORK_HEADS or w.removeprefix("ال") in _WORK_HEADS:
            return True
        for suffix in _POSSESSIVES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                stem = w[: -len(suffix)]
                if stem in _WORK_HEADS or (stem.endswith("ت") and stem[:-1] + "ة" in _WORK_HEADS):
                    return True
    return False


def _in_parentheses(text: str, start: int, pos: int) -> bool:
    """Whether ``pos`` is inside a bracket opened after ``start``: reported content never opens there."""
    return text.count("(", start, pos) > text.count(")", start, pos)


def is_name_quote(a: Article, k: int) -> bool:
    """Quote k is short and closed, with more of the sentence after it: a quoted name or term
    (في حوار مع جريدة "لا غازيتا" الإيطالية: …), not the content. Every cue whose look-ahead passes
    the quote asks this; the answer holds until a new speaker is known (which can move a clause end)."""
    q = a.quoted[k]
    if not q.closed or a.quote_words[k] > NAME_QUOTE_WORDS:
        return False
    memo_key = (k, len(a.registry.key_log))
    known = a.name_quotes.get(memo_key)
    if known is None:
        known = _FILLER_END.search(a.text, q.close + 1, a.clause_end(q.close + 1)) is not None
        a.name_quotes[memo_key] = known
    return known


def _manner_noun(fold: str) -> bool:
    """تعبيره، قولها، وصف (before a name): a noun of على حد X, with or without a pronoun."""
    return fold.startswith(_MANNER_NOUNS) and len(fold) <= _MANNER_NOUN_LONGEST


_COMMENT_HEADS = word_list("comment_relatives.txt")  # ما، وهو ما، الأمر الذي …
_COMMENT_HEAD_WORDS = max(len(h.split()) for h in _COMMENT_HEADS)
_HEAD_FIRSTS = frozenset(h.split()[0] for h in _COMMENT_HEADS)  # ما، وهو، الامر …
_ABOUT_IT = frozenset(("عنه", "عنها", "عليه", "عليها"))


def _comment_verb(a: Article, verb: str, after: str) -> bool:
    """``verb`` (folded) is a cue verb taking the content as its object: a pronoun attached (نفاه،
    أكدته، تنفيه) or عنه after it (كشفت عنه)."""
    cues = a.lx.CUE_FORMS
    if after in _ABOUT_IT:
        c = cues.get(verb)
        return c is not None and c.kind == "verb"
    for suffix in OBJECT_PRONOUNS:
        if verb.endswith(suffix) and len(verb) - len(suffix) >= 2:
            stem = verb[: -len(suffix)]
            for form in (stem, stem[:-1] + "ي" if stem.endswith("ا") else ""):
                c = cues.get(form) if form else None
                if c is not None and c.kind == "verb":
                    return True
            return False
    return False


def comment_start(a: Article, start: int, end: int) -> int | None:
    """Content [start, end) closing on another source's comment on it (…، وهو ما نفاه كافانو / …،
    الأمر الذي أكدته مصادر طبية): the content ends before the comma of the comment."""
    k = bisect.bisect_left(a.commas, start)
    while k < len(a.commas) and a.commas[k] < end:
        comma = a.commas[k]
        k += 1
        t = a.token_at(comma + 1)
        if t >= len(a.tokens) or a.tokens[t].fold not in _HEAD_FIRSTS or a.in_quote(comma):
            continue  # most commas: the next word opens no head
        words = [w.fold for w in a.tokens[t : t + _COMMENT_HEAD_WORDS + 2] if w.start < end]
        for n in range(1, _COMMENT_HEAD_WORDS + 1):
            if len(words) >= n + 2 and " ".join(words[:n]) in _COMMENT_HEADS:
                if _comment_verb(a, words[n], words[n + 1]):
                    return comma
                break
    return None


def without_manner_tail(a: Article, start: int, end: int) -> int:
    """The end of content [start, end) without a closing على حد تعبيره (… قريبا، على حد قوله.), the
    journalist's "as he put it", or a closing gloss (…، في إشارة إلى قرار البنك.); a parenthetical
    one with content after it stays (… ، على حد قوله، تحسم …)."""
    k = bisect.bisect_left(a.starts, end) - 1  # the last token inside
    first = a.token_at(start)
    gloss = _gloss_start(a, start, end)
    if gloss is not None:
        return gloss
    comment = comment_start(a, start, end)
    if comment is not None:
        return comment
    for h in range(k, max(first, k - _MANNER_TAIL_WORDS - 2), -1):
        tok = a.tokens[h]
        if tok.fold == "حد" and h - 1 > first and a.tokens[h - 1].fold == "علي":
            noun = a.tokens[h + 1].fold if h + 1 <= k else ""
            # تعبيره closes the content; a bare تعبير takes a name (على حد تعبير الوزير), no comma
            bare = noun in _MANNER_NOUNS
            closing = "،" not in a.text[tok.end : a.tokens[k].end] if bare else h + 1 == k
            if noun and _manner_noun(noun) and closing:
                return a.tokens[h - 1].start
            return end
    return end


def _gloss_start(a: Article, start: int, end: int) -> int | None:
    """``…، في إشارة إلى X`` closing content [start, end) (no comma after it): where the content ends."""
    text = a.text
    comma = max(text.rfind(c, max(start, end - _GLOSS_CHARS), end) for c in "،,")
    if comma < 0:
        return None
    h = a.token_at(comma)
    if h + 1 >= len(a.tokens) or a.tokens[h].fold != "في" or a.tokens[h + 1].fold not in _GLOSS_NOUNS:
        return None
    return comma


def content_span(a: Article, kind: str, j: int, pos: int) -> tuple[QuoteType, tuple[int, int]] | None:
    text = a.text
    if kind == "quote":  # the cue (or its speaker) runs straight into a quotation: direct
        q = a.quoted_by_open[pos]
        qs, qe = trim(text, q.start, q.end)
        return ("direct", (qs, qe)) if qe > qs else None
    start = pos + 1 if kind == "colon" else pos
    while start < len(text) and text[start].isspace() and text[start] != "\n":
        start += 1
    colon_then_comp = kind == "colon" and j < len(a.tokens) and a.tokens[j].start == start
    if colon_then_comp and a.tokens[j].fold in a.lx.COMPLEMENTIZERS:  # وقال X: إن …: content after إن
        return content_span(a, "comp", j, a.tokens[j].end)
    if start < len(text) and start in a.quoted_by_open:
        if kind == "colon":
            return content_span(a, "quote", j, start)
        return direct_or_mixed(a, a.quoted_by_open[start], start + 1)
    if kind == "colon":  # an answer or statement after a colon may run over sentences
        k = bisect.bisect_right(a.boundaries, start)
        end = a.paragraph_end(start)
        if k < len(a.boundaries):
            end = min(end, a.boundaries[k])
    else:
        end = a.stray_close(start) or a.clause_end(start)
        end = without_manner_tail(a, start, end)
    s, e = trim(text, start, end, "،,:؛;-–—.")
    if e - s < 2 or (len(text[s:e].split()) < 2 and kind == "colon"):
        return None
    return ("mixed" if a.has_quote_inside(s, e) else "indirect"), (s, e)


def _second_complement(a: Article, pos: int) -> bool:
    """The first word after ``pos`` is a complementizer with و (إن "…"، وإن …، وأنه …): the speaker's
    reported clause goes on past the comma."""
    k = a.token_at(pos)
    fold = a.tokens[k].fold if k < len(a.tokens) else ""
    return fold[:1] == "و" and fold[1:] in a.lx.COMPLEMENTIZERS


def direct_or_mixed(a: Article, q: Quoted, content_start: int) -> tuple[QuoteType, tuple[int, int]] | None:
    """A quote right after its opener: direct if it fills the clause, else the start of a mixed one."""
    after = q.close + 1 if q.closed else q.close
    clause_end = a.clause_end(q.close)
    if after < clause_end:
        clause_end = max(after, without_manner_tail(a, after, clause_end))
    rest = a.text[after:clause_end].strip(" \t،,.:؛;!?؟-–—" + QUOTE_CHARS)
    # "…"، X: the quotation is the speaker's words and what follows the comma the journalist's (…،
    # مرفقة التغريدة بصور، …، في جنوب غرب البلاد); not after a one-word quotation, a name the clause goes
    # on about (إن "جيبي"، وهو الإعصار …، كان …), nor where another quotation follows in the clause: the
    # speaker's words go on after a parenthesis (من أن "المرحلة الثانية"، في حال …، ستكون "…")
    comma_after = (
        a.text[after:clause_end].lstrip(" \t")[:1] in COMMAS
        and len(a.text[q.start : q.end].split()) > 1
        and not a.has_quote_inside(after, clause_end)
        and not _second_complement(a, after)
    )
    if not q.closed or not rest or after >= clause_end or comma_after:
        s, e = trim(a.text, q.start, q.end)
        return ("direct", (s, e)) if e > s else None
    s, e = trim(a.text, content_start, clause_end, "،,:؛;")
    return ("mixed", (s, e)) if e > s else None
