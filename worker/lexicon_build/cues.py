"""Cue verbs learned from the corpus: written forms that introduce reported speech, by how they are used.

The base list (``speech_verbs.tsv``) holds the verbs every reader knows; news also reports with verbs it
lacks (كررت، بررت، تشتبه). A written form is learned as a cue when the unlabeled corpus shows all of:

- it opens a content clause: right after it (``وكرر أن``، ``ونوه إلى أن``) or after the words that name
  its subject (``وبرر الوزير قراره بأن``), a complementizer of a finite clause comes, with no comma,
  sentence end or quotation mark between (``CLAUSE_SHARE`` of its uses at least);
- someone speaks with it: a person or body (a title, an organisation head, an unnamed source's head, a
  place, a mined given or family name) stands right after it before such a clause at least
  ``AGENT_MIN`` times and in ``AGENT_SHARE`` of its clause uses; impersonal forms (يبدو، يشار،
  تبين، يقال) and conjunctions (رغم، بيد) never have one;
- it is a verb: its shape is that of a past or present verb of the third person, and it takes و / ف
  in ``mine.VERB_SHARE`` of its uses (names and nouns with ل / ب seldom do).

A complementizer of a finite clause: one with a pronoun (أنه، إنها), with ب (بأن), or bare أن / إن
before a word with the article (أن الحكومة). Bare أن before a verb is mostly the subjunctive (يجب أن
يكون، يمكن أن), which says nothing of speech.

A second use is learned the same way: verbs whose ب takes the words of their speaker (اتهم X
بـ"الكذب"، ندد بـ"…"، طالبت بـ"…"; GUIDELINES, Conventions: a quoted fragment is a direct quote
whatever the verb). A form is a fragment cue when ب with a quotation right after it follows it, within
``WINDOW`` words and no punctuation, at least ``FRAGMENT_MIN`` times and in ``FRAGMENT_SHARE`` of its
uses, with a person or body right after it in ``FRAGMENT_AGENT_SHARE`` of those (and ``AGENT_MIN``
times): naming verbs (يعرف بـ"…"، يلقب، يسمى) have the quotation but never an agent.

Counted per written form (كررت apart from كرر), like ``weak_cues.tsv``: a form that is another word
elsewhere (أبرز "most prominent", بين "between") falls below the shares by itself. The rules take a
learned form as a cue only when its content opens close, as a weak one (``speech.close_opener``), and
its speaker is named right after it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

from worker.lexicon import Lexicon

CUE_MIN_USES = 30  # fewer uses (bare, with و and with ف together) say nothing
CLAUSE_SHARE = 0.15  # a cue opens a clause in at least this share of its uses (قال: 0.2, أكد: 0.28)
AGENT_MIN = 5  # a person or body right after it, before its clause, at least this often ...
AGENT_SHARE = 0.2  # ... and in at least this share of its clause uses
WINDOW = 6  # words between a form and its complementizer: a subject of up to five words and إلى / على
FRAGMENT_MIN = 5  # uses before بـ"…" at least this often ...
FRAGMENT_SHARE = 0.02  # ... in this share of all uses (اتهم: 47 of 908) ...
FRAGMENT_AGENT_SHARE = 0.3  # ... and a person or body right after it in this share of those
_OPENING_MARKS = '"«“'
_BI = frozenset(("ب", "وب", "فب"))
_ENDS = '،,.!?؟؛;:\n"«»“”'
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")


def verb_shape(w: str) -> tuple[bool, bool] | None:
    """(feminine, plural) of a third-person verb's shape without و/ف, or None: a present يقول / تقول /
    يقولون, a past قال / قالت / قالوا; not a plural noun (ات), a feminine noun (ة) or a word with the
    article."""
    if not _ARABIC_WORD.fullmatch(w) or w.startswith("ال") or w.endswith(("ات", "ة", "ه")):
        return None
    if w[0] in "يت" and 4 <= len(w) <= 7:
        plural = w.endswith(("ون", "ان"))
        return (w[0] == "ت" and not plural), plural
    if 3 <= len(w) <= 6 and not (len(w) >= 5 and w[-2] == "ا"):  # افتعال، استقبال: verbal nouns
        plural = w.endswith(("وا", "تا"))
        return w.endswith(("ت", "تا")), plural
    return None


class CueMiner:
    """Reads the articles' words (``add``) and, once names are mined, picks the learned cues
    (``learned``). Deterministic: the counts depend only on the words and their order."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lx = lexicon
        self.prepositions = lexicon.COMPLEMENTIZER_PREPOSITIONS
        self.finite = frozenset(c for c in lexicon.COMPLEMENTIZERS if c not in ("ان", "وان") and c[0] != "ل")
        self.bare = frozenset(("ان", "وان"))
        self.right_after: Counter[str] = Counter()  # form -> uses with its clause right after it
        self.agent_after: Counter[tuple[str, str]] = Counter()  # (form, next word) -> clause uses
        self.fragment_after: Counter[tuple[str, str]] = Counter()  # (form, next word) -> uses before بـ"…"

    def add(self, folds: list[str], gaps: list[str]) -> None:
        """One article's folded words, and ``gaps[j]``: the text between word j-1 and word j."""
        n = len(folds)
        last = -1  # the previous complementizer: a window never reaches back past it
        last_fragment = -1
        for k in range(1, n):
            f = folds[k]
            if f in _BI and k + 1 < n and any(c in _OPENING_MARKS for c in gaps[k + 1]):
                for i in range(k - 1, max(last_fragment, k - 1 - WINDOW), -1):
                    if any(c in _ENDS for c in gaps[i + 1]):
                        break
                    self.fragment_after[(folds[i], folds[i + 1])] += 1
                last_fragment = k
                continue
            if f not in self.finite and not (f in self.bare and k + 1 < n and folds[k + 1].startswith("ال")):
                continue
            for i in range(k - 1, max(last, k - 1 - WINDOW), -1):
                if any(c in _ENDS for c in gaps[i + 1]):
                    break
                if i == k - 1 or (i == k - 2 and folds[k - 1] in self.prepositions):
                    self.right_after[folds[i]] += 1
                else:
                    self.agent_after[(folds[i], folds[i + 1])] += 1
            last = k

    def learned(
        self, freq: Counter[str], agent: Callable[[str], bool], verb_share: float
    ) -> dict[str, LearnedCue]:
        """form -> what was learned of it, for the forms that pass the tests of the module's doc;
        ``agent(word)``: a person or body."""
        clause: Counter[str] = Counter(self.right_after)
        clause_agent: Counter[str] = Counter()
        for (form, nxt), c in self.agent_after.items():
            clause[form] += c
            if agent(nxt):
                clause_agent[form] += c
        fragment: Counter[str] = Counter()
        fragment_agent: Counter[str] = Counter()
        for (form, nxt), c in self.fragment_after.items():
            fragment[form] += c
            if agent(nxt):
                fragment_agent[form] += c
        lx = self.lx
        base = lx.CUE_FORMS
        out = {}
        for form in {f[1:] if f[:1] in "وف" and freq.get(f[1:], 0) else f for f in (*clause, *fragment)}:
            shape = verb_shape(form)
            if shape is None or form in base or "و" + form in base or form in lx.FUNCTION_WORDS:
                continue
            clitic = freq.get("و" + form, 0) + freq.get("ف" + form, 0)
            uses = freq.get(form, 0) + clitic
            if uses < CUE_MIN_USES or clitic < verb_share * uses:
                continue

            def total(c: Counter[str], f: str = form) -> int:
                return c.get(f, 0) + c.get("و" + f, 0) + c.get("ف" + f, 0)

            opens, spoken = total(clause), total(clause_agent)
            if opens >= CLAUSE_SHARE * uses and spoken >= AGENT_MIN and spoken >= AGENT_SHARE * opens:
                out[form] = LearnedCue("clause", *shape, uses, opens, spoken)
                continue
            opens, spoken = total(fragment), total(fragment_agent)
            if (
                opens >= max(FRAGMENT_MIN, FRAGMENT_SHARE * uses)
                and spoken >= AGENT_MIN
                and spoken >= FRAGMENT_AGENT_SHARE * opens
            ):
                out[form] = LearnedCue("fragment", *shape, uses, opens, spoken)
        return out


class LearnedCue(NamedTuple):
    """A learned cue form: ``use`` is ``clause`` (it opens a content clause) or ``fragment`` (its ب
    takes the speaker's quoted words); ``evidence``: its uses that way, ``spoken``: those with a person
    or body right after it."""

    use: str
    feminine: bool
    plural: bool
    uses: int
    evidence: int
    spoken: int
