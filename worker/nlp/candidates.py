"""The cheap pre-filter: which parts of an article may hold a quote, so the parser sees only those.

``candidate_regions(text, lexicon)`` returns character regions (sentences, merged where a quotation runs
over several of them) that contain a quote mark, a colon, a cue word in any inflection, or a source
phrase. Cue words are those of the stem pattern (which over-matches, for verbs only the parse knows)
and every cue form of the lexicon the rules read, so a deployment's own verbs (``--lexicon DIR``) are
parsed too. It is designed not to drop a quote: a region with a quote mark that closes later extends to the
closing mark, and the regions of one quotation are merged into one.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from worker import lexicon as lx
from worker.nlp.doc import Region
from worker.nlp.speech import QUOTE_MARKS, TRIGGER_RE
from worker.text import WORD, fold

if TYPE_CHECKING:
    from worker.lexicon import Lexicon

# Sentence ends: . ! ? ؟ (not a decimal point), with any closing quotes/brackets after them; or a newline.
# A stop followed by a comma ends nothing: the clause goes on (`…ومدنيون.، حسبما قال المرصد`).
_SENT_END_RE = re.compile(r"(?:(?:(?<!\d)[.!?؟…]+|[.!?؟](?!\d))[\"”»’')\]]*(?![ \t]*[،,])|\n)")
_PAIRS = {"“": "”", "«": "»", "‘": "’", "„": "“"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_MARK_RE = re.compile("[\"'“”«»‘’„]")
_COLON_RE = re.compile(r"(?<!\d):(?!\d)")
# A colon that ends its paragraph (`النتائج التالية:-`) introduces the paragraphs after it ...
_COLON_AT_END_RE = re.compile(r"(?<!\d):[ \t\-–—.]*$", re.M)
# ... while each of them opens as a list item: a bullet, a number, or a short label and a colon.
_LIST_ITEM_RE = re.compile(r"[ \t]*(?:[-–—•*]|\d{1,3}[.)\-]|[^\s:]{1,12}[ \t]*:)")
_MAX_QUOTE = 6000  # an opening mark that never closes within this many characters ends at its paragraph


def sentence_spans(text: str) -> list[Region]:
    """Sentences of ``text`` split on . ! ? ؟ and newlines, trimmed of surrounding whitespace."""
    spans: list[Region] = []
    pos = 0
    for m in _SENT_END_RE.finditer(text):
        _add_trimmed(text, pos, m.end(), spans)
        pos = m.end()
    _add_trimmed(text, pos, len(text), spans)
    return spans


def _add_trimmed(text: str, start: int, end: int, out: list[Region]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def _toggle_role(text: str, i: int) -> str:
    """'O' opener, 'C' closer or 'A' ambiguous, for a symmetric mark at ``i``, from its neighbours."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    b_space = before.isspace() or before in "([{:،,؛"
    a_space = after.isspace() or after in ".،,:;؛!?؟)]}"
    if b_space and not a_space:
        return "O"
    if a_space and not b_space:
        return "C"
    return "A"


def _paragraph_end(text: str, i: int) -> int:
    nl = text.find("\n", i)
    return len(text) if nl < 0 else nl


def quote_spans(text: str) -> list[Region]:
    """(open, close+1) of quotations: paired “” «» ‘’ and symmetric " ' marks, whose role (opening or
    closing) is read from the neighbouring characters. A quotation may run over several paragraphs (the
    convention of re-opening the mark at each paragraph is followed); one left open ends at its
    paragraph's end."""
    spans: list[Region] = []
    stack: list[tuple[str, int]] = []
    open_at: dict[str, int] = {}
    para_start = scanned = 0  # the current mark's paragraph start, found without rescanning the text
    for m in _MARK_RE.finditer(text):
        ch, i = m.group(), m.start()
        nl = text.rfind("\n", scanned, i)
        if nl >= 0:
            para_start = nl + 1
        scanned = i
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == _CLOSERS[ch]:
                    spans.append((stack[k][1], i + 1))
                    del stack[k:]
                    break
            else:  # a closer with no opener: the quotation began earlier in its paragraph
                spans.append((para_start, i + 1))
        else:
            if ch == "'" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
                continue  # an apostrophe inside a word
            role = _toggle_role(text, i)
            if ch not in open_at:
                if role != "C":
                    open_at[ch] = i
                else:  # a closer with no opener: the quotation began earlier in its paragraph
                    spans.append((para_start, i + 1))
            elif role != "O":
                spans.append((open_at.pop(ch), i + 1))
            elif "\n" not in text[open_at[ch] : i]:
                # a second opener in the same paragraph: the first one was stray
                spans.append((open_at[ch], _paragraph_end(text, open_at[ch])))
                open_at[ch] = i
            # else: a paragraph re-opening a quotation that is still running; keep the first opener
    for i in [p for _, p in stack] + list(open_at.values()):
        spans.append((i, _paragraph_end(text, i)))
    # a colon that introduces unmarked speech: to the end of its paragraph
    for m in _COLON_RE.finditer(text):
        spans.append((m.start(), _paragraph_end(text, m.start())))
    for m in _COLON_AT_END_RE.finditer(text):
        end = _paragraph_end(text, m.end() + 1)  # the paragraph it introduces
        while end < len(text) and _LIST_ITEM_RE.match(text, end + 1):
            end = _paragraph_end(text, end + 1)
        spans.append((m.start(), end))
    return [(a, min(b, a + _MAX_QUOTE)) for a, b in sorted(spans)]


def _has_trigger(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """A quote mark, colon, cue word or source phrase; or a complementizer with ب (``بأن``، ``بأنها``),
    which opens the content of speech or belief after any verb or noun (``اتهامات من المعارضة بأنها``)."""
    if TRIGGER_RE.search(text, start, end) is not None:
        return True
    for m in WORD.finditer(text, start, end):
        word = fold(m.group())
        if (
            word in lex.CUE_FORMS
            or word in lex.LEARNED_CUES
            or (word[:1] == "ب" and word in lex.COMPLEMENTIZERS)
        ):
            return True
    return False


def _continues_previous(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """A sentence that opens with a source phrase (``… جنود. وفق ما أفادت الوزارة``) attributes the
    sentence before it; one that opens with a complementizer (a paragraph ``وأن …`` after ``وأشار إلى
    أن …``) goes on with its reported speech."""
    m = WORD.match(text, start, end)
    if m is None:
        return False
    first = fold(m.group())
    cue = lex.CUE_FORMS.get(first)
    return (cue is not None and cue.kind == "source") or first in lex.COMPLEMENTIZERS


def candidate_regions(text: str, lexicon: Lexicon | None = None) -> list[Region]:
    """Regions of ``text`` worth parsing, in text order, non-overlapping; ``lexicon``: the one the
    rules read (None: the shipped one)."""
    sents = sentence_spans(text)
    if not sents:
        return []
    lex = lexicon if lexicon is not None else lx.DEFAULT
    keep = [_has_trigger(text, s, e, lex) for s, e in sents]
    if not any(keep):
        return []
    group = list(range(len(sents)))
    # a sentence that continues the one before it is parsed with it
    for k in range(1, len(sents)):
        if _continues_previous(text, *sents[k], lex):
            group[k] = k - 1
            keep[k] = keep[k - 1] = keep[k] or keep[k - 1]
    # group sentences joined by a quotation that crosses their boundary
    if any(ch in text for ch in QUOTE_MARKS) or ":" in text:
        starts = [s for s, _ in sents]
        for qa, qb in quote_spans(text):
            i = max(bisect.bisect_right(starts, qa) - 1, 0)
            j = max(bisect.bisect_right(starts, qb - 1) - 1, 0)
            if j > i:
                for k in range(i + 1, j + 1):
                    group[k] = group[i]
                    keep[k] = keep[i] = True
    for k in range(1, len(group)):  # make chained groups transitive
        if group[k] != k:
            group[k] = group[group[k]]
    regions: list[Region] = []
    for k, (s, e) in enumerate(sents):
        if not keep[k]:
            continue
        joined = group[k] != k and group[k] == group[k - 1]
        # reported speech may run on over the sentences of its paragraph, so a paragraph's
        # consecutive candidate sentences are one region
        same_paragraph = "\n" not in text[regions[-1][1] : s] if regions else False
        if regions and keep[k - 1] and (joined or same_paragraph):
            regions[-1] = (regions[-1][0], e)
        else:
            regions.append((s, e))
    return regions


def kept_fraction(text: str, regions: list[Region] | None = None, lexicon: Lexicon | None = None) -> float:
    """Share of the characters of ``text`` that the regions keep."""
    if not text:
        return 0.0
    regions = candidate_regions(text, lexicon) if regions is None else regions
    return sum(e - s for s, e in regions) / len(text)
