"""Statistics a speaker-phrase splitter needs, mined from unlabeled news without any labels.

Reading (one pass over the articles, ``Miner.add``): every word's corpus frequency; the words that
follow a place context (شمال، حكومة …) and a verb particle (قد، لم، لن، سوف: ``common_words.tsv``);
adjacent word pairs; and short phrases, each read from just
after its left anchor up to a right anchor (a punctuation mark, a complementizer, a time word, a cue form, a
speech-event adjunct such as في بيان):

- speaker phrases after a cue verb (وقال وزير الخارجية الروسي سيرغي لافروف إن), and noun phrases that
  start with a title head (التقى الرئيس المصري عبد الفتاح السيسي، …), which في or a relative may
  also end;
- organisation phrases after باسم (المتحدث باسم وزارة الخارجية) and after صادر عن.

A line already seen in an earlier article is skipped (boilerplate, republished pieces). A phrase that
meets a word no speaker phrase holds (a preposition, a relative, a pronoun) before its right anchor is
dropped: precision first, the corpus is large.

Splitting (``Miner.finish``): each speaker phrase is split into a title part and a name part. The
title part is the longest run of words that are titles: words with the article, title and organisation
heads, title complements, places, kinship nouns, unnamed-source heads; a title head without the
article takes the next word as its complement. The name part is the rest; its first word must look
like a name (no article, and none of the frequency contrasts of ``Miner._common_noun``); its later
words may carry the article (family names such as البرادعي) and run through name particles (بن، آل،
أبو). Inside it, a word with the article followed by a word without it (كبير المفاوضين صائب عريقات)
or a known title word moves the boundary: what comes before is title. Words that the first round
puts in title parts far more often than in names (كبير، مساعد) become title words for the second
round (bootstrapping).

Counting: for each name word, how often it opens, continues or ends a name or stands alone; how often
it is later used alone in an article that named the full name (a family name's short mention); how
often a title with an Arab or a foreign nationality introduces it; how often it stands beside a
strongly evidenced given or family name (محمد X، X ماكرون). Organisation names are counted the same
way. The thresholds are below, each with its reason; ``Resources`` is what ``finish`` returns.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from worker.lexicon import Lexicon
from worker.lexicon_build.cues import CueMiner, LearnedCue
from worker.lexicon_build.tags import TagMiner
from worker.text import NAME_ALI, tokenize

# Phrase lengths: a speaker phrase is a title (up to 6 words) and a name (up to 5: محمد بن راشد آل
# مكتوم); longer runs between a cue and an anchor are clauses, not speaker phrases.
MAX_PHRASE = 9
MAX_NAME = 5
MAX_ORG = 6
# Evidence: a resource lists an entry seen at least this often, in at least this many articles (one
# article repeating a phrase is not evidence of a general fact; this also keeps article text out).
MIN_COUNT = 3
MIN_ARTICLES = 2
MIN_PHRASE_ARTICLES = 3  # full names, title phrases, organisation names
# A role (given name, family name, foreign name, title word) needs this share of the word's evidence.
ROLE_SHARE = 0.6
FOREIGN_SHARE = 0.8  # foreign: seen with foreign nationalities at least 4 times as often as Arab ones
# A word used with the article at least as often as without it is a common noun or adjective.
ARTICLE_SHARE = 0.5
ARTICLE_MIN_FREQ = 20  # below this the contrasts say nothing
# A word that opens clauses with و at least a fifth as often as it stands bare is a verb (وأصيب،
# وتصدر); names seldom take و (the highest share among frequent given names is about 0.1).
VERB_SHARE = 0.2
# A word with ل or ب that is followed by a word with the article at least this share of its uses heads
# a construct (لكرة القدم). Only for those: given names before family names with the article (بشار
# الأسد، حيدر العبادي) do so just as often, so the share says nothing about other words.
CONSTRUCT_SHARE = 0.5
# Beside a known name: a word that follows a mined given name (محمد X) or precedes a mined family name
# without the article (X ماكرون) in at least this share of all its uses, and at least PAIR_MIN_COUNT
# times, is a family (given) name too: it extends the names of speaker phrases to all names in the news.
PAIR_SHARE = 0.3
PAIR_MIN_COUNT = 5
# Only names with strong phrase evidence lend theirs: seen this often, this much in the one role; a
# family name must also have short mentions (a unit such as مليار دولار never has).
SEED_MIN_COUNT = 10
SEED_SHARE = 0.8
# common_words.tsv lists every word seen at least this often (with how often a verb particle precedes
# it): below it a word is rare, which is itself evidence (a family name such as الخدام, not a noun).
COMMON_MIN_FREQ = 50
# plural_subjects.tsv lists every word seen at least this often right before a verb of the plural's
# shape (الخبراء قالوا، النشطاء يقولون): a subject of plural verbs names people (عرب، الآباء), which
# broken plurals do not show in their form.
PLURAL_SUBJECT_MIN = 5
# Round 2: a word is a title word when round 1 saw it in title parts twice as often as in names.
TITLE_OVER_NAME = 2.0

_ARABIC_WORD = re.compile("[\u0621-\u064a]+")
_EVENT_PREPOSITIONS = ("في", "وفي", "خلال", "عبر", "امام", "لدي", "عقب", "اثناء")
_PRONOUNS = ("هما", "هم", "ها", "ه")
_CLITICS = ("و", "ف", "ب", "ل", "ك")
# After a title (a noun phrase, not a cue verb's subject) these end the phrase too: الرئيس ترامب في …،
# الرئيس ترامب الذي …; other prepositions (من، على، إلى) more often follow a verb's object.
_NOUN_PHRASE_ENDS = frozenset({"في", "وفي", "الذي", "التي", "الذين"})


def _plural_verb_shape(w: str) -> bool:
    """A word shaped like a plural verb without و/ف: a past قالوا، a present يقولون."""
    return (len(w) >= 4 and w.endswith("وا") and w[0] != "و") or (
        len(w) >= 5 and w[0] == "ي" and w.endswith("ون")
    )


def _feminine_past_shape(w: str) -> bool:
    """A word shaped like a feminine past verb without و/ف (قالت), not a plural ات nor بيت، صوت."""
    return len(w) >= 4 and w.endswith("ت") and not w.endswith(("ات", "وت", "يت")) and w[0] != "و"


def _definite(w: str) -> bool:
    return w.startswith("ال") and len(w) > 3


@dataclass
class Roles:
    """How often a word opens, continues or ends a multi-word name, or is a name alone."""

    opens: int = 0
    continues: int = 0
    ends: int = 0
    alone: int = 0
    articles: int = 0
    last_article: int = -1

    @property
    def in_names(self) -> int:
        return self.opens + self.continues + self.ends

    @property
    def total(self) -> int:
        return self.in_names + self.alone

    def count(self, position: str, article: int) -> None:
        setattr(self, position, getattr(self, position) + 1)
        if article != self.last_article:
            self.articles += 1
            self.last_article = article


def _count_name(table: dict[str, Roles], name: tuple[str, ...], article: int) -> None:
    if len(name) == 1:
        table.setdefault(name[0], Roles()).count("alone", article)
        return
    for k, w in enumerate(name):
        position = "opens" if k == 0 else "ends" if k == len(name) - 1 else "continues"
        table.setdefault(w, Roles()).count(position, article)


class _Phrases:
    """Occurrences of phrases (word tuples), with the number of articles each is seen in."""

    def __init__(self) -> None:
        self.count: Counter[tuple[str, ...]] = Counter()
        self.articles: Counter[tuple[str, ...]] = Counter()
        self._last: dict[tuple[str, ...], int] = {}

    def add(self, phrase: tuple[str, ...], article: int) -> None:
        self.count[phrase] += 1
        if self._last.get(phrase) != article:
            self._last[phrase] = article
            self.articles[phrase] += 1

    def listed(self) -> dict[str, tuple[int, int]]:
        return {
            " ".join(p): (n, self.articles[p])
            for p, n in self.count.items()
            if n >= MIN_COUNT and self.articles[p] >= MIN_PHRASE_ARTICLES
        }


@dataclass
class Resources:
    """What one build mined; ``worker.lexicon_build.write_resources`` turns it into files."""

    articles: int
    tokens: int
    speaker_phrases: int
    person_words: dict[str, Roles]
    short_mentions: Counter[str]
    nationality_context: dict[str, tuple[int, int]]  # word -> (arab, foreign)
    person_names: dict[str, tuple[int, int]]  # name -> (count, articles)
    title_words: dict[str, tuple[int, int]]  # word -> (as title head, in title parts)
    title_phrases: dict[str, tuple[int, int]]
    org_words: dict[str, Roles]
    org_heads: dict[str, tuple[int, int]]  # head -> (count, articles), from باسم / صادر عن phrases
    org_names: dict[str, tuple[int, int]]
    nationality_adjectives: dict[str, tuple[str, int, int]]  # adjective -> (place, uses, place evidence)
    freq: Counter[str] = field(repr=False)
    after_verb_particle: Counter[str] = field(default_factory=Counter, repr=False)
    before_plural_verb: Counter[str] = field(default_factory=Counter, repr=False)
    before_feminine_verb: Counter[str] = field(default_factory=Counter, repr=False)
    before_family: Counter[str] = field(default_factory=Counter, repr=False)  # X before a family name
    after_given: Counter[str] = field(default_factory=Counter, repr=False)  # X after a given name
    learned_cues: dict[str, LearnedCue] = field(default_factory=dict, repr=False)  # ``cues.py``
    colon_tags: dict[str, int] = field(default_factory=dict, repr=False)  # ``tags.py``

    def _from_phrases(self, role: str, least: int = MIN_COUNT, share: float = ROLE_SHARE) -> set[str]:
        """Words whose name-phrase evidence makes them given (``opens``) or family (``ends``) names."""
        out = set()
        for w, r in self.person_words.items():
            n = r.opens if role == "opens" else r.ends + self.short_mentions.get(w, 0)
            in_role = (r.opens if role == "opens" else r.ends) >= share * r.in_names
            if n >= least and r.articles >= MIN_ARTICLES and in_role:
                out.add(w)
        return out

    def _beside(self, counts: Counter[str]) -> set[str]:
        return {w for w, n in counts.items() if n >= PAIR_MIN_COUNT and n >= PAIR_SHARE * self.freq.get(w, 0)}

    def given_names(self) -> dict[str, tuple[int, int, int]]:
        """Words that open names: word -> (opens, before a family name, occurrences in names)."""
        words = self._from_phrases("opens") | (self._beside(self.before_family) - self._from_phrases("ends"))
        return {
            w: (r.opens, self.before_family.get(w, 0), r.in_names)
            for w in words
            if not _definite(w)
            for r in (self.person_words.get(w, Roles()),)
        }

    def family_names(self) -> dict[str, tuple[int, int, int, int]]:
        """Words that end names: word -> (ends, short mentions, after a given name, occurrences in
        names)."""
        beside = self._beside(self.after_given) - self._from_phrases("opens")
        words = self._from_phrases("ends") | beside
        return {
            w: (r.ends, self.short_mentions.get(w, 0), self.after_given.get(w, 0), r.in_names)
            for w in words
            for r in (self.person_words.get(w, Roles()),)
        }

    def common_words(self) -> dict[str, tuple[int, int]]:
        """Every Arabic word seen at least ``COMMON_MIN_FREQ`` times: word -> (corpus frequency, uses
        right after a verb particle)."""
        return {
            w: (n, self.after_verb_particle.get(w, 0))
            for w, n in self.freq.items()
            if n >= COMMON_MIN_FREQ and _ARABIC_WORD.fullmatch(w)
        }

    def plural_subjects(self) -> dict[str, tuple[int, int, int]]:
        """Words seen at least ``PLURAL_SUBJECT_MIN`` times right before a plural verb: word -> (before a
        plural verb, before a feminine past verb, corpus frequency)."""
        return {
            w: (n, self.before_feminine_verb.get(w, 0), self.freq.get(w, 0))
            for w, n in self.before_plural_verb.items()
            if n >= PLURAL_SUBJECT_MIN and _ARABIC_WORD.fullmatch(w)
        }

    def foreign_names(self) -> dict[str, tuple[int, int]]:
        """Name words that titles with foreign nationalities introduce: word -> (foreign, arab)."""
        return {
            w: (foreign, arab)
            for w, (arab, foreign) in self.nationality_context.items()
            if foreign >= MIN_ARTICLES and foreign >= FOREIGN_SHARE * (foreign + arab)
        }


class Miner:
    """Reads articles (``add``), then splits and counts (``finish``). Deterministic: the result depends
    only on the articles and their order."""

    def __init__(self, lexicon: Lexicon) -> None:
        lx = self.lx = lexicon
        ctx = lexicon.MINING_CONTEXTS
        self.particles = ctx.get("particle", frozenset())
        self.compound_tails = ctx.get("compound_tail", frozenset())
        self.on_behalf = ctx.get("on_behalf", frozenset())
        self.issued_by = ctx.get("issued_by", frozenset())
        self.place_context = ctx.get("place_context", frozenset())
        self.verb_particles = frozenset(p + w for w in ctx.get("verb_particle", ()) for p in ("", "و", "ف"))
        # Cue verbs only: after بحسب / وفقا لـ come media and documents more often than people.
        self.left_anchors = frozenset(f for f, c in lx.CUE_FORMS.items() if c.kind == "verb")
        self.anchors = lx.COMPLEMENTIZERS | lx.TIME_WORDS | frozenset(lx.CUE_FORMS) | lx.ADJUNCT_PREPOSITIONS
        self.stop = (
            lx.FUNCTION_WORDS
            | lx.SPEAKER_BREAKERS
            | lx.LABELS
            | lx.PRONOUN_SUBJECTS
            | lx.AUXILIARY_VERBS
            | lx.DOCUMENT_NOUNS
        )
        self.seed_titles = (
            lx.TITLE_HEADS | lx.TITLE_COMPLEMENTS | lx.ORG_HEADS | lx.PLACE_WORDS | lx.ANONYMOUS_HEADS
        )
        self.kinship = frozenset(lx.KINSHIP_STEMS)
        self.freq: Counter[str] = Counter()
        self.place_ctx: Counter[str] = Counter()
        self.after_verb_particle: Counter[str] = Counter()  # w -> uses right after قد، لم، لن، سوف
        self.before_plural_verb: Counter[str] = Counter()  # w -> uses right before قالوا، يقولون
        self.before_feminine_verb: Counter[str] = Counter()  # w -> uses right before قالت
        self.pairs: Counter[str] = Counter()  # "w1 w2" of adjacent words, neither a function word
        self.before_definite: Counter[str] = Counter()  # w -> pairs whose second word has the article
        self._not_paired = self.stop | self.anchors
        self._lines_seen: set[bytes] = set()
        self.articles = 0
        self.speaker_phrases: list[tuple[int, tuple[str, ...]]] = []
        self.org_phrases: list[tuple[int, tuple[str, ...]]] = []
        self.cues = CueMiner(lexicon)
        self.tags = TagMiner(lexicon)

    # -- reading ------------------------------------------------------------------------------------
    def add(self, text: str) -> None:
        text = self._unseen_lines(text.replace("_", " "))  # linked tags join words with _ (دونالد_ترمب)
        toks = tokenize(text)
        if not toks:
            return
        article = self.articles
        self.articles += 1
        folds = [t.fold for t in toks]
        self.freq.update(folds)
        n = len(folds)
        gaps = ["", *(text[toks[j - 1].end : toks[j].start] for j in range(1, n))]
        # brk[j]: punctuation stands between word j-1 and word j
        brk = [True, *(not gaps[j].isspace() for j in range(1, n))]
        self.cues.add(folds, gaps)
        self.tags.add(text)
        place_context, left_anchors, on_behalf, issued_by = (
            self.place_context,
            self.left_anchors,
            self.on_behalf,
            self.issued_by,
        )
        not_paired = self._not_paired
        verb_particles = self.verb_particles
        self.after_verb_particle.update(
            folds[j] for j in range(1, n) if not brk[j] and folds[j - 1] in verb_particles
        )
        for j in range(1, n):
            if not brk[j]:
                plural = _plural_verb_shape(folds[j])
                if not plural and not _feminine_past_shape(folds[j]):
                    continue
                table = self.before_plural_verb if plural else self.before_feminine_verb
                table[folds[j - 1]] += 1
                if j > 1 and not brk[j - 1] and _definite(folds[j - 1]) and not _definite(folds[j - 2]):
                    table[folds[j - 2]] += 1  # قادة الدول قالوا: the construct's head is the subject
        self.pairs.update(
            folds[j] + " " + folds[j + 1]
            for j in range(n - 1)
            if not brk[j + 1] and folds[j] not in not_paired and folds[j + 1] not in not_paired
        )
        is_title = self.lx.is_title
        covered = -1  # the last word of the last phrase taken: phrases do not overlap
        for i, f in enumerate(folds):
            if f in left_anchors:
                phrase = self._phrase(folds, brk, i + 1)
                if phrase:
                    self.speaker_phrases.append((article, phrase))
                    covered = i + len(phrase)
            elif i > covered and is_title(f) and (brk[i] or not is_title(folds[i - 1])):
                phrase = self._phrase(folds, brk, i, noun_phrase=True)
                if phrase and len(phrase) > 1:  # a title and what follows it: نائب الرئيس مايك بنس
                    self.speaker_phrases.append((article, phrase))
                    covered = i + len(phrase) - 1
            elif (f in on_behalf and i and self.lx.is_title(folds[i - 1])) or (
                f in issued_by and i + 1 < n and folds[i + 1] == "عن"
            ):  # المتحدث باسم …، بيان صادر عن … (باسم alone is also a given name)
                phrase = self._phrase(folds, brk, i + 1 if f in on_behalf else i + 2)
                if phrase:
                    self.org_phrases.append((article, phrase))
            elif f in place_context and i + 1 < n and not brk[i + 1]:
                self.place_ctx[folds[i + 1]] += 1

    def _unseen_lines(self, text: str) -> str:
        """The text without the lines an earlier article already had: boilerplate (disclaimers, bylines,
        "read also") and republished pieces would otherwise count as often as they are repeated."""
        kept = []
        for line in text.split("\n"):
            key = hashlib.blake2b(line.strip().encode(), digest_size=12).digest()
            if key not in self._lines_seen:
                self._lines_seen.add(key)
                kept.append(line)
        return "\n".join(kept)

    def _phrase(
        self, folds: list[str], brk: list[bool], start: int, noun_phrase: bool = False
    ) -> tuple[str, ...] | None:
        """The words from ``start`` up to a right anchor; None when there is none within reach. After a
        cue verb or a title, a word no speaker phrase holds drops the phrase (it may be a verb's object:
        أعلن انسحاب بلاده من); a phrase that starts with a title also ends at في or a relative."""
        n = len(folds)
        if start >= n or brk[start]:
            return None
        stop_at = min(n, start + MAX_PHRASE + 1)
        k = start
        while k < stop_at:
            f = folds[k]
            if k > start and brk[k]:
                break
            if f in self.anchors or f.startswith(self.lx.MEDIA_PREFIXED):
                break
            if f in _EVENT_PREPOSITIONS and k + 1 < n and folds[k + 1].startswith(self.lx.SPEECH_EVENT_STEMS):
                break
            if noun_phrase and f in _NOUN_PHRASE_ENDS:
                break
            if f in self.stop:
                return None
            k += 1
        else:
            if k < n:  # ran out of reach without an anchor
                return None
        return tuple(folds[start:k]) if k > start else None

    # -- splitting ----------------------------------------------------------------------------------
    def _common_noun(self, w: str) -> bool:
        """Not a name word, by frequency contrast: used with the article at least as often as without
        (a common noun or adjective); a noun with an attached pronoun (بلاده، كتابها); a clitic on a
        word of its own (لكرة، بمجلس، للانتخابات); a verb (takes و as often as a fifth of its bare uses);
        an adverbial accusative (يوميا). Not used: how often a word heads a construct (عدد المسؤولين):
        given names before family names with the article (بشار الأسد، حيدر العبادي) do so just as often."""
        freq = self.freq
        plain = freq.get(w, 0)
        with_article = freq.get("ال" + w, 0)
        if plain + with_article >= ARTICLE_MIN_FREQ and with_article >= ARTICLE_SHARE * (
            plain + with_article
        ):
            return True
        for suffix in _PRONOUNS:
            if w.endswith(suffix) and len(w) - len(suffix) >= 2:
                stem = w[: -len(suffix)]
                if freq.get(stem, 0) + (freq.get(stem[:-1] + "ة", 0) if stem[-1] == "ت" else 0) >= MIN_COUNT:
                    return True
        if w.startswith(_CLITICS) and len(w) > 3:
            rest = "ال" + w[2:] if w.startswith("لل") else w[1:]  # للانتخابات: ل + الانتخابات
            rest_freq = freq.get(rest, 0)
            if rest_freq >= MIN_COUNT and (_definite(rest) or rest_freq >= plain):
                return True
            # ل / ب on a word of its own that heads a construct: لكرة القدم، لحقوق الإنسان
            heads = self.before_definite.get(w, 0) >= CONSTRUCT_SHARE * plain
            if w[0] in "لب" and rest_freq >= MIN_COUNT and plain >= ARTICLE_MIN_FREQ and heads:
                return True
        with_waw = freq.get("و" + w, 0)
        if plain + with_waw >= ARTICLE_MIN_FREQ and with_waw >= VERB_SHARE * plain:
            return True  # a verb
        # an adverbial accusative of an adjective or noun: يوميا، قدما (اليومي، القدم)
        return w.endswith("ا") and len(w) > 3 and freq.get("ال" + w[:-1], 0) >= MIN_COUNT

    def _common_definite(self, w: str) -> bool:
        """A word with the article that is as much used without it (الانسحاب، الاصابة): a common noun,
        not a family name such as الحريري (seldom حريري)."""
        return self.freq.get(w[2:], 0) >= ARTICLE_SHARE * self.freq.get(w, 0)

    def _kin(self, w: str) -> bool:
        if w in self.kinship:
            return True
        for suffix in _PRONOUNS:
            if w.endswith(suffix):
                stem = w[: -len(suffix)]
                if stem in self.kinship or (stem.endswith("ت") and stem[:-1] + "ة" in self.kinship):
                    return True
        return False

    def _title_like(self, w: str, learned: frozenset[str]) -> bool:
        return (
            _definite(w)
            or w in self.seed_titles
            or w in learned
            or w in self.on_behalf
            or self.lx.is_title(w)
            or self._kin(w)
            or w.startswith("لل")
        )

    def _name_word(self, w: str) -> bool:
        return (
            len(w) >= 2
            and (_ARABIC_WORD.fullmatch(w) is not None or w == NAME_ALI)
            and w not in self.stop
            and w not in self.anchors
            and w not in self.seed_titles
            and (w in self.particles or not self._common_noun(w) or _definite(w))
        )

    def _opener(self, w: str) -> bool:
        return (
            self._name_word(w)
            and not _definite(w)
            and w not in self.seed_titles
            and not self.lx.is_title(w)
            and (w not in self.particles or w in ("عبد", "ابو"))
        )

    def split(
        self, words: tuple[str, ...], learned: frozenset[str] = frozenset()
    ) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(title, name) of a speaker phrase; None when it names no person (an organisation, an unnamed
        source, a bare title)."""
        head = words[0]
        if head in self.lx.ANONYMOUS_HEADS or (head in self.lx.ORG_HEADS and not self.lx.is_title(head)):
            return None
        k = 0
        while k < len(words) and self._title_like(words[k], learned):
            w = words[k]
            construct = not _definite(w) and w in self.lx.TITLE_HEADS and k + 1 < len(words)
            # A title head without the article is in construct: the next word is its complement, never
            # the name (لاعب كرة القدم، مدرب برشلونة إرنستو فالفيردي).
            k += 2 if construct and not _definite(words[k + 1]) else 1
        rest = words[k:]
        cut = 0  # the boundary moves past the last title word inside what looked like a name
        for m, w in enumerate(rest):
            if w in self.seed_titles or w in learned or self.lx.is_title(w):
                cut = m + 1  # مساعد وزير الخارجية …; a name cannot end in a title complement
            elif (
                _definite(w)
                and m + 1 < len(rest)
                and not _definite(rest[m + 1])
                and rest[m + 1] not in self.particles
                and (m == 0 or rest[m - 1] not in self.particles)
                and w not in self.compound_tails
            ):
                cut = m + 1  # كبير المفاوضين صائب …: a construct title before the name
        title, name = words[: k + cut], rest[cut:]
        if not name or len(name) > MAX_NAME or not self._opener(name[0]):
            return None
        if title and title[-1] in self.lx.ORG_HEADS and not self.lx.is_title(title[-1]):
            return None  # مراسلو وكالة فرانس برس: the proper name of an organisation
        for m in range(1, len(name)):
            w = name[m]
            if not self._name_word(w):
                return None
            if _definite(w) and name[m - 1] not in self.particles and self._common_definite(w):
                return None  # الرئيس ترامب الانسحاب …: the name is followed by an object, not a family name
        return title, name

    def _org(self, words: tuple[str, ...], givens: frozenset[str]) -> tuple[str, ...] | None:
        """The organisation at the start of a باسم / صادر عن phrase: up to a title or a given name."""
        for m in range(1, len(words)):
            w = words[m]
            if not _definite(w) and (self.lx.is_title(w) or w in givens):
                words = words[:m]
                break
        return words if len(words) <= MAX_ORG and not self.lx.is_title(words[0]) else None

    # -- counting -----------------------------------------------------------------------------------
    def finish(self) -> Resources:
        for pair, n in self.pairs.items():
            first, second = pair.split(" ")
            if _definite(second):
                self.before_definite[first] += n
        learned: frozenset[str] = frozenset()
        for _round in (1, 2):
            split = [self.split(p, learned) for _a, p in self.speaker_phrases]
            names: Counter[str] = Counter()
            in_titles: Counter[str] = Counter()
            for s in split:
                if s is not None:
                    names.update(s[1])
                    in_titles.update(s[0])
            learned = frozenset(
                w
                for w, n in in_titles.items()
                if n >= MIN_COUNT and n >= TITLE_OVER_NAME * names.get(w, 0) and w not in self.seed_titles
            )
        person_words: dict[str, Roles] = {}
        person_names = _Phrases()
        title_phrases = _Phrases()
        title_words: dict[str, list[int]] = {}
        nationality: dict[str, list[int]] = {}
        short: Counter[str] = Counter()
        org_words: dict[str, Roles] = {}
        org_names = _Phrases()
        org_heads = _Phrases()
        arab, foreign = self.lx.ARAB_NATIONALITIES, self.lx.FOREIGN_NATIONALITIES

        by_article: dict[int, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for (article, words), s in zip(self.speaker_phrases, split, strict=True):
            if s is None:
                if words[0] in self.lx.ORG_HEADS and not self.lx.is_title(words[0]) and len(words) <= MAX_ORG:
                    org_names.add(words, article)  # وقالت وزارة الخارجية الروسية إن
                    _count_name(org_words, words, article)
                by_article.setdefault(article, []).append((words, ()))
                continue
            title, name = s
            by_article.setdefault(article, []).append((title, name))
            _count_name(person_words, name, article)
            if len(name) > 1:
                person_names.add(name, article)
            if title:
                title_phrases.add(title, article)
                for k, w in enumerate(title):
                    counts = title_words.setdefault(w, [0, 0])
                    counts[0] += k == 0
                    counts[1] += 1
            is_arab, is_foreign = any(w in arab for w in title), any(w in foreign for w in title)
            if is_arab != is_foreign:
                for w in name:
                    nationality.setdefault(w, [0, 0])[0 if is_arab else 1] += 1
        # Short mentions: a name's last word alone (or closing a title: الرئيس السيسي) in an article
        # that also names the full name.
        for mentions in by_article.values():
            last_words = {name[-1] for _title, name in mentions if len(name) > 1}
            for title, name in mentions:
                alone = name[0] if len(name) == 1 else (title[-1] if title and not name else None)
                if alone in last_words:
                    short[alone] += 1

        givens = frozenset(
            w for w, r in person_words.items() if r.opens >= MIN_COUNT and r.opens >= ROLE_SHARE * r.in_names
        )
        for article, words in self.org_phrases:
            org = self._org(words, givens)
            if org:
                org_heads.add(org[:1], article)
                org_names.add(org, article)
                _count_name(org_words, org, article)

        res = Resources(
            articles=self.articles,
            tokens=sum(self.freq.values()),
            speaker_phrases=len(self.speaker_phrases),
            person_words={
                w: r for w, r in person_words.items() if r.total >= MIN_COUNT and r.articles >= MIN_ARTICLES
            },
            short_mentions=short,
            nationality_context={w: (a, f) for w, (a, f) in nationality.items()},
            person_names=person_names.listed(),
            title_words={w: (h, n) for w, (h, n) in title_words.items() if n >= MIN_COUNT},
            title_phrases=title_phrases.listed(),
            org_words={
                w: r for w, r in org_words.items() if r.total >= MIN_COUNT and r.articles >= MIN_ARTICLES
            },
            org_heads={p: c for p, c in org_heads.listed().items()},
            org_names=org_names.listed(),
            nationality_adjectives=self._nationality_adjectives(title_phrases, org_names),
            freq=self.freq,
            after_verb_particle=self.after_verb_particle,
            before_plural_verb=self.before_plural_verb,
            before_feminine_verb=self.before_feminine_verb,
        )
        # Beside a known name: محمد X makes X a family name, X ماكرون makes X a given name.
        seed_givens = res._from_phrases("opens", SEED_MIN_COUNT, SEED_SHARE)
        seed_families = {
            w
            for w in res._from_phrases("ends", SEED_MIN_COUNT, SEED_SHARE)
            if res.short_mentions.get(w, 0) >= MIN_COUNT
        }
        for pair, n in self.pairs.items():
            first, second = pair.split(" ")
            if first in seed_givens and second not in self.particles and self._name_word(second):
                res.after_given[second] += n
            # not before family names with the article: ميليشيات الحوثي، معارضي الأسد are constructs
            if (
                second in seed_families
                and not _definite(second)
                and first not in seed_givens
                and self._opener(first)
            ):
                res.before_family[first] += n
        res.learned_cues = self.cues.learned(self.freq, self._speaks(res), VERB_SHARE)
        res.colon_tags = self.tags.learned(
            lambda w: res.person_words.get(w, Roles()).total + res.org_words.get(w, Roles()).total
        )
        return res

    def _speaks(self, res: Resources) -> Callable[[str], bool]:
        """A word that names a person or body: a title, an organisation head, an unnamed source, a place,
        a mined given or family name, the first word of a mined organisation name."""
        lx = self.lx
        names = frozenset(res.given_names()) | frozenset(res.family_names()) | frozenset(res.org_heads)
        bodies = lx.ORG_HEADS | lx.ANONYMOUS_HEADS | lx.GROUP_HEADS | frozenset(lx.PLACES) | names
        return lambda w: w in bodies or lx.is_title(w)

    def _nationality_adjectives(self, titles: _Phrases, orgs: _Phrases) -> dict[str, tuple[str, int, int]]:
        """Nisba adjectives after a title or organisation head (الرئيس الروسي، الخارجية الروسية) whose
        country a place context names (شمال روسيا، حكومة روسيا): adjective -> (place, uses, evidence)."""
        uses: Counter[str] = Counter()
        for table in (titles, orgs):
            for phrase, n in table.count.items():
                for w in phrase[1:]:
                    if _definite(w) and w.endswith(("ي", "ية")):
                        uses[w[2:-1] if w.endswith("ية") else w[2:]] += n
        out = {}
        for adjective, n in uses.items():
            if n < MIN_COUNT or len(adjective) < 3:
                continue
            stem = adjective[:-1]
            places = (stem, stem + "ا", stem + "يا", "ال" + stem, stem + "ستان", "ال" + stem + "ية")
            evidence, place = max(
                ((self.place_ctx.get(p, 0), p) for p in places if self._proper_noun(p)), default=(0, "")
            )
            if evidence >= MIN_COUNT:
                out[adjective] = (place, n, evidence)
        return out

    def _proper_noun(self, w: str) -> bool:
        """A place name keeps its form: العراق seldom loses its article, مصر seldom takes one (الدول،
        جنوب are common nouns that do both)."""
        plain = self.freq.get(w[2:] if _definite(w) else w, 0)
        with_article = self.freq.get(w if _definite(w) else "ال" + w, 0)
        return (with_article if _definite(w) else plain) > (plain + with_article) * ARTICLE_SHARE


def mine(texts: Iterable[str], lexicon: Lexicon) -> Resources:
    miner = Miner(lexicon)
    for text in texts:
        miner.add(text)
    return miner.finish()
