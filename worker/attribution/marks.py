"""Quotation marks: pair them into quoted spans, across paragraphs where a quote runs on.

Handles «…», “…” (and ”…” used both ways), straight "…" and „…“. A quote left open at the end of a
paragraph continues when the next paragraph opens with a quote mark again (the news convention for
multi-paragraph quotes) or closes it; otherwise it ends with its paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MARK = re.compile("[«»“”\"„'\n]")
QUOTE_CHARS = "«»“”\"„'"
CLOSER = {"«": "»", "“": "”", '"': '"', "„": "“", "”": "”", "'": "'"}
OPENERS = frozenset('«“"„')
_OPEN_CONTEXT = frozenset(" \t\n:(،,")
_LOOKAHEAD_PARAGRAPHS = 3


@dataclass(frozen=True, slots=True)
class Quoted:
    """One quoted span: ``open`` is the index of the opening mark, ``close`` that of the closing mark
    (or the paragraph end, for a quote never closed); ``start``/``end`` bound the content."""

    open: int
    close: int
    start: int
    end: int
    closed: bool


def _next_visible(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _continues(text: str, newline: int, opener: str, closer: str) -> tuple[bool, int | None]:
    """At a paragraph break inside an open quote: does the quote go on into the next paragraph?
    Returns (continues, index of a re-opening mark to skip)."""
    nxt = _next_visible(text, newline)
    # The next paragraph re-opens (news style for a quote that runs on); with straight quotes, whose
    # opener is also the closer, an unclosed quote followed by a paragraph opening with " runs on too.
    if nxt < len(text) and text[nxt] in (opener, "“", "«") and (text[nxt] != closer or opener in "\"'"):
        return True, nxt
    # No re-opening mark: it continues only if the next paragraph closes it before opening another.
    end = text.find("\n", nxt)
    para = text[nxt : len(text) if end < 0 else end]
    close_at = para.find(closer)
    if close_at < 0:
        return False, None
    if opener != closer and opener in para[:close_at]:
        return False, None
    if opener == closer and para.count(closer) % 2 == 0:  # balanced straight quotes there: its own pairs
        return False, None
    return True, None


def _single_quote(text: str, pos: int, opening: bool) -> bool:
    """'…' counts only with a space or colon before the opening mark and a word right after it, and a
    word right before the closing one with no letter after it (so O'Brien stays a name)."""
    before = text[pos - 1] if pos else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if opening:
        return before in _OPEN_CONTEXT and not after.isspace()
    return not before.isspace() and not after.isalnum()


def _reopens(text: str, pos: int, straight: list[int]) -> bool:
    """A straight mark inside an open straight quote, after a sentence's end and a space and right
    before a word, re-opens the same quotation when the paragraph holds an odd number of marks after
    it: the writer closed nothing there (``قال "الأول انتهى. "والثاني بدأ" ...``, where closing at the
    second mark would leave the last one open and swallow the rest of the paragraph)."""
    if pos < 2 or not text[pos - 1].isspace() or pos + 1 >= len(text) or not text[pos + 1].isalpha():
        return False
    k = pos - 1
    while k > 0 and text[k].isspace() and text[k] != "\n":
        k -= 1
    if text[k] not in ".!?؟":
        return False
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    after = bisect.bisect_left(straight, end) - bisect.bisect_right(straight, pos)
    return after % 2 == 1


def _closer_shaped(text: str, pos: int) -> bool:
    """A straight mark right after a word and before no letter: shaped as a closing mark."""
    return pos > 0 and not text[pos - 1].isspace() and (pos + 1 >= len(text) or not text[pos + 1].isalpha())


def _nested_close(text: str, pos: int, straight: list[int]) -> int | None:
    """A straight mark inside an open straight quote, after a space and right before a word, whose
    next two marks in the paragraph are both shaped as closing ones, opens a quotation inside the
    quotation (``قال "دمرنا منظومة "سام-6" في صنعاء"``): the index of the inner closing mark."""
    n = bisect.bisect_right(straight, pos)
    if n + 1 >= len(straight):
        return None
    inner, outer = straight[n], straight[n + 1]
    if text.find("\n", pos, outer) >= 0 or not (_closer_shaped(text, inner) and _closer_shaped(text, outer)):
        return None
    return inner


def find_quoted(text: str) -> list[Quoted]:
    """Every quoted span of ``text``, in order, non-overlapping (nested marks stay inside the content)."""
    if not any(c in text for c in "«“”\"„'"):
        return []
    found: list[Quoted] = []
    open_at = -1
    opener = closer = ""
    depth = 0
    skip: int | None = None
    paragraphs_crossed = 0
    straight: list[int] | None = None
    inner_close = -1  # the closing mark of a quotation nested in the open straight one
    for m in MARK.finditer(text):
        pos, ch = m.start(), m.group()
        if ch == "'" and not _single_quote(text, pos, opening=open_at < 0):
            continue  # an apostrophe, not a quotation mark
        if open_at < 0:
            if (
                ch in OPENERS
                or ch == "'"
                or (ch == "”" and pos + 1 < len(text) and not text[pos + 1].isspace())
            ):
                open_at, opener, closer, depth, paragraphs_crossed = pos, ch, CLOSER[ch], 0, 0
            continue
        if pos == skip:
            continue
        if ch == "\n":
            if paragraphs_crossed < _LOOKAHEAD_PARAGRAPHS:
                goes_on, skip = _continues(text, pos, opener, closer)
            else:
                goes_on = False
            if goes_on:
                paragraphs_crossed += 1
                continue
            found.append(Quoted(open_at, pos, open_at + 1, pos, closed=False))
            open_at = -1
            continue
        if ch == opener and opener != closer:
            depth += 1
        elif ch == closer or (closer == "“" and ch == "”"):
            if ch == '"' and text[pos - 1 : pos].isspace():
                if straight is None:
                    straight = [i for i, c in enumerate(text) if c == '"']
                if _reopens(text, pos, straight):
                    continue
                if pos + 1 < len(text) and text[pos + 1].isalnum():
                    inner = _nested_close(text, pos, straight)
                    if inner is not None:
                        inner_close = inner
                        continue
            if pos == inner_close:
                continue
            if depth:
                depth -= 1
                continue
            found.append(Quoted(open_at, pos, open_at + 1, pos, closed=True))
            open_at = -1
    if open_at >= 0:
        found.append(Quoted(open_at, len(text), open_at + 1, len(text), closed=False))
    return [q for q in found if q.end > q.start]
