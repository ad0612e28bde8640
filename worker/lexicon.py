"""The word knowledge of the attribution rules, loaded from data files: cue verbs with their inflections,
adverbial participles, source phrases, complementizers, titles, organisation and group words, places.

The lists live in a lexicon folder (the shipped one is ``worker/data/lexicon``; its README says what
each file holds); ``Lexicon.load(path)`` reads one, once per process and folder. Everything derived
(inflections, forms with and without the article, folded sets) is computed here at load, never stored.
Lookups go through folded tokens (``worker.text.fold``), so spelling variants need no entries.

Cue verbs are given as (past 3rd masc. sing., present 3rd masc. sing.) and inflected here, so every
person, number and tense (with attached و / ف / س / ل) is recognised without listing each form.

The module-level names (``lexicon.TITLE_HEADS``, ``lexicon.is_title`` …) are those of the shipped
lexicon, for code that needs no other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from worker.text import fold

CueKind = Literal["verb", "participle", "source", "noun"]

#: The lexicon the package ships.
DEFAULT_DIR = Path(__file__).parent / "data" / "lexicon"
#: The files ``quote-worker lexicon build`` mines (``worker/lexicon_build``); the others are base lists.
MINED_FILES = (
    "person_name_words.tsv",
    "given_names.tsv",
    "family_names.tsv",
    "foreign_names.tsv",
    "person_names.tsv",
    "title_words.tsv",
    "title_phrases.tsv",
    "org_name_words.tsv",
    "org_name_heads.tsv",
    "org_names.tsv",
    "nationality_adjectives.tsv",
    "common_words.tsv",
    "plural_subjects.tsv",
    "learned_cues.tsv",
    "colon_tags.tsv",
    "build_info.tsv",
)


class LexiconError(ValueError):
    """A lexicon folder that cannot be used: a missing file or a malformed line (the message names it)."""


@dataclass(frozen=True, slots=True)
class CueForm:
    lemma: str
    kind: CueKind
    feminine: bool | None = None  # None: the form does not say
    plural: bool = False
    passive_subject: bool = False  # e.g. قوله: the speaker is named before (نقلت … عن X قوله)


class WordRoles(NamedTuple):
    """How often a word was seen opening, continuing or ending a name of two words or more, or as a
    name alone, in the mined speaker phrases; and how often it occurs at all."""

    opens: int
    continues: int
    ends: int
    alone: int
    freq: int

    @property
    def in_names(self) -> int:
        return self.opens + self.continues + self.ends + self.alone


class WordUse(NamedTuple):
    """How often a word occurs in the corpus, and how often right after a verb particle (قد، لم)."""

    freq: int
    after_verb_particle: int


NO_USE = WordUse(0, 0)


class TitleWord(NamedTuple):
    """How often a word was seen first in a title before a name, anywhere in one, and at all."""

    as_head: int
    in_titles: int
    freq: int


NO_ROLES = WordRoles(0, 0, 0, 0, 0)


class PluralSubject(NamedTuple):
    """How often a word was seen right before a verb of the plural's shape (الخبراء قالوا), right before
    a feminine past verb (قالت), and at all."""

    before_plural: int
    before_feminine: int
    freq: int


class DataFolder:
    """Reads the files of one data folder (a lexicon, ``attribution/data/``): comment lines (``#``) and
    blank lines are skipped."""

    def __init__(self, path: Path) -> None:
        if not path.is_dir():
            raise LexiconError(f"lexicon folder {path} does not exist or is not a folder")
        self.path = path

    def lines(self, name: str) -> Iterator[tuple[int, str]]:
        file = self.path / name
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise LexiconError(f"lexicon folder {self.path} lacks {name}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise LexiconError(f"cannot read lexicon file {file}: {exc}") from None
        for n, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if line and not line.startswith("#"):
                yield n, line

    def words(self, name: str) -> list[str]:
        """A list file: one entry a line, in file order."""
        return [line for _, line in self.lines(name)]

    def counts(self, name: str, columns: int) -> dict[str, tuple[int, ...]]:
        """A mined table: a key, then ``columns - 1`` counts (integers) a line."""
        out = {}
        for n, line in self.lines(name):
            key, *fields = line.split("\t")
            try:
                if len(fields) != columns - 1:
                    raise ValueError
                out[key] = tuple(int(f) for f in fields)
            except ValueError:
                raise LexiconError(
                    f"{self.path / name}:{n}: expected a key and {columns - 1} integer counts, tab-separated"
                ) from None
        return out

    def rows(self, name: str, columns: int) -> list[list[str]]:
        """A tab-separated file with exactly ``columns`` fields a line."""
        out = []
        for n, line in self.lines(name):
            fields = line.split("\t")
            if len(fields) != columns:
                raise LexiconError(
                    f"{self.path / name}:{n}: expected {columns} tab-separated fields, found {len(fields)}"
                )
            out.append(fields)
        return out


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


def _with_article(words: frozenset[str]) -> frozenset[str]:
    """Each noun with and without the article: وزير ↔ الوزير, so lists need only one form."""
    return (
        words
        | {w[2:] for w in words if w.startswith("ال") and len(w) > 4}
        | {"ال" + w for w in words if not w.startswith("ال")}
    )


def _nationality_forms(adjectives: Iterable[str]) -> frozenset[str]:
    """روسي → روسي، روسية، الروسي، الروسية (folded)."""
    return frozenset(fold(form) for n in adjectives for form in ("ال" + n, "ال" + n + "ة", n, n + "ة"))


def _past_forms(past: str) -> dict[str, tuple[bool | None, bool]]:
    """Past-tense forms with (feminine, plural). A dual (قالا، وأكدتا، نفيا) counts as plural: it speaks
    for more than one, and like a plural it never comes before its subject (وواصلا بقولهما: …)."""
    forms: dict[str, tuple[bool | None, bool]] = {past: (False, False)}
    if past.endswith("ى") or past.endswith("ا"):  # نفى → نفت، نفوا ; دعا → دعت، دعوا
        stem = past[:-1]
        forms.update({stem + "ت": (True, False), stem + "وا": (None, True), stem + "يا": (False, True)})
    else:
        forms.update({past + "ت": (True, False), past + "وا": (None, True), past + "ا": (False, True)})
        forms.update({past + "تا": (True, True), past + "ن": (True, True)})
    return forms


def _present_forms(present: str) -> dict[str, tuple[bool | None, bool]]:
    stem = present[1:]
    # No first-person forms (أقول، نرى): those stand inside a speaker's own words, not before them.
    forms: dict[str, tuple[bool | None, bool]] = {present: (False, False), "ت" + stem: (True, False)}
    plural_stem = stem[:-1] if stem.endswith(("ي", "ى", "و")) else stem
    forms.update({"ي" + plural_stem + "ون": (False, True), "ت" + plural_stem + "ون": (None, True)})
    # the dual (يقولان، تؤكدان) is plural too, as in _past_forms
    forms.update({"ي" + plural_stem + "ان": (False, True), "ت" + plural_stem + "ان": (True, True)})
    forms.update({"ي" + plural_stem + "ن": (True, True)})
    return forms


_GENDER = {"m": False, "f": True, "-": None}
_NUMBER = {"sg": False, "pl": True}


def agreement(gender: str, number: str) -> tuple[bool | None, bool] | None:
    """A data file's gender (m, f, -) and number (sg, pl) columns as (feminine, plural); None where
    either is not one of those."""
    if gender not in _GENDER or number not in _NUMBER:
        return None
    return _GENDER[gender], _NUMBER[number]


# Participle endings: (suffix, feminine, plural), added to the stem of the masculine form.
_PARTICIPLE_ENDINGS = (
    ("ا", False, False),
    ("ة", True, False),
    ("ين", None, True),
    ("ات", True, True),
    ("تين", True, False),
    ("ان", False, False),
)


class Lexicon:
    """One lexicon folder, loaded: the lists as read and the tables derived from them."""

    SPEECH_VERBS: tuple[tuple[str, str], ...]
    PARTICIPLES: tuple[tuple[str, str], ...]
    SOURCE_WORDS: dict[str, str]
    SPEECH_NOUNS: dict[str, str]
    COMPLEMENTIZERS: frozenset[str]
    COMPLEMENTIZER_PREPOSITIONS: frozenset[str]
    PROCLITICS: tuple[str, ...]
    CUE_FORMS: dict[str, CueForm]
    TITLE_HEADS: frozenset[str]
    TITLE_COMPLEMENTS: frozenset[str]
    NATIONALITIES: tuple[str, ...]
    ARAB_NATIONALITIES: frozenset[str]
    FOREIGN_NATIONALITIES: frozenset[str]
    KINSHIP_STEMS: tuple[str, ...]
    AUXILIARY_VERBS: frozenset[str]
    ORG_HEADS: frozenset[str]
    DOCUMENT_NOUNS: frozenset[str]
    ANONYMOUS_HEADS: frozenset[str]
    GROUP_HEADS: frozenset[str]
    PLACES: dict[str, str]
    PLACE_WORDS: frozenset[str]
    TIME_WORDS: frozenset[str]
    ADJUNCT_PREPOSITIONS: frozenset[str]
    SPEECH_EVENT_STEMS: tuple[str, ...]
    MEDIA_PREFIXED: tuple[str, ...]
    SPEAKER_BREAKERS: frozenset[str]
    LABELS: frozenset[str]
    PRONOUN_SUBJECTS: frozenset[str]
    FUNCTION_WORDS: frozenset[str]
    MINING_CONTEXTS: dict[str, frozenset[str]]
    NAME_PARTICLES: frozenset[str]
    # Mined from an archive (``quote-worker lexicon build``); keys are folded words or phrases.
    PERSON_NAME_WORDS: dict[str, WordRoles]
    ORG_NAME_WORDS: dict[str, WordRoles]
    GIVEN_NAMES: frozenset[str]
    FAMILY_NAMES: frozenset[str]
    FOREIGN_NAMES: frozenset[str]
    PERSON_NAMES: dict[str, int]  # full name -> articles it was seen in
    TITLE_WORDS: dict[str, TitleWord]
    TITLE_PHRASES: dict[str, int]  # whole title -> articles
    ORG_NAME_HEADS: dict[str, int]  # first word of organisation names -> articles
    ORG_NAMES: dict[str, int]  # organisation name -> articles
    NATIONALITY_ADJECTIVES: dict[str, str]  # nisba adjective (masc., no article) -> its place
    COMMON_WORDS: dict[str, WordUse]  # every frequent word -> its uses
    PLURAL_SUBJECTS: dict[str, PluralSubject]  # words seen before plural verbs -> how often
    # Cue forms learned from the corpus (with و / ف), apart from CUE_FORMS: a learned form is a cue
    # only where it opens a quote, and a word like any other everywhere else (clauses, speaker phrases).
    LEARNED_CUES: dict[str, CueForm]
    FRAGMENT_CUES: frozenset[str]  # those of them whose ب takes the speaker's quoted words (اتهم بـ"…")
    COLON_TAGS: frozenset[str]  # an outlet's labels before a colon (مباشر:، ريبورتاج:), folded
    BUILD_INFO: dict[str, str]

    def __init__(self, path: Path, *, mined: bool = True) -> None:
        """Reads folder ``path``; ``mined=False`` reads only its base lists (the builder's input)."""
        self.path = path
        src = DataFolder(path)
        self.SPEECH_VERBS = tuple((p, q) for p, q in src.rows("speech_verbs.tsv", 2))
        self.PARTICIPLES = tuple((p, q) for p, q in src.rows("participles.tsv", 2))
        self.SOURCE_WORDS = dict((w, lemma) for w, lemma in src.rows("source_words.tsv", 2))
        self.SPEECH_NOUNS = dict((w, lemma) for w, lemma in src.rows("speech_nouns.tsv", 2))
        pronouns = ("", *src.words("attached_pronouns.txt"))
        self.COMPLEMENTIZERS = frozenset(
            fold(base + p) for base in src.words("complementizers.txt") for p in pronouns
        )
        self.COMPLEMENTIZER_PREPOSITIONS = _folded(src.words("complementizer_prepositions.txt"))
        self.PROCLITICS = tuple(src.words("proclitics.txt"))
        self.CUE_FORMS = self._cue_forms(src)

        self.TITLE_HEADS = _with_article(_folded(src.words("title_heads.txt")))
        # every word is_title accepts, spelled out once: asked of nearly every word of an article
        self._TITLE_FORMS = self.TITLE_HEADS | frozenset(
            stem + suffix
            for head in self.TITLE_HEADS
            for stem in (head, head[:-1] + "ت" if head.endswith("ة") else head)
            if len(stem) >= 3
            for suffix in _TITLE_POSSESSIVES
        )
        regions = {w: region for w, region in src.rows("nationalities.tsv", 2)}
        if bad := sorted(set(regions.values()) - {"arab", "foreign", "scope"}):
            raise LexiconError(f"{path / 'nationalities.tsv'}: unknown region {bad[0]!r}")
        self.NATIONALITIES = tuple(regions)
        self.ARAB_NATIONALITIES = _nationality_forms(w for w, r in regions.items() if r == "arab")
        self.FOREIGN_NATIONALITIES = _nationality_forms(w for w, r in regions.items() if r == "foreign")
        self.TITLE_COMPLEMENTS = _folded(src.words("title_complements.txt")) | _nationality_forms(
            self.NATIONALITIES
        )
        self.KINSHIP_STEMS = tuple(fold(w) for w in src.words("kinship.txt"))
        self.AUXILIARY_VERBS = frozenset(
            fold(p + w) for w in src.words("auxiliary_verbs.txt") for p in ("", "و", "ف")
        )
        self.ORG_HEADS = _with_article(_folded(src.words("org_heads.txt")))
        self.DOCUMENT_NOUNS = _with_article(_folded(src.words("document_nouns.txt")))
        self.ANONYMOUS_HEADS = _folded(src.words("anonymous_heads.txt"))
        self.GROUP_HEADS = _folded(src.words("group_heads.txt"))
        self.PLACES = {fold(k): v for k, v in src.rows("places.tsv", 2)}
        # Every word of a place name, for telling where a personal name ends (… سليماني الولايات المتحدة).
        self.PLACE_WORDS = frozenset(w for k in self.PLACES for w in k.split()) | frozenset(
            w for v in self.PLACES.values() for w in fold(v).split()
        )
        self.TIME_WORDS = _folded(src.words("time_words.txt"))
        self.ADJUNCT_PREPOSITIONS = _folded(src.words("adjunct_prepositions.txt"))
        self.SPEECH_EVENT_STEMS = tuple(fold(s) for s in src.words("speech_event_stems.txt"))
        self.MEDIA_PREFIXED = tuple(fold(s) for s in src.words("media_prefixed.txt"))
        self.SPEAKER_BREAKERS = _folded(src.words("speaker_breakers.txt"))
        self.LABELS = _folded(src.words("labels.txt"))
        self.PRONOUN_SUBJECTS = _folded(src.words("pronoun_subjects.txt"))
        self.FUNCTION_WORDS = _folded(src.words("function_words.txt"))
        contexts: dict[str, set[str]] = {}
        for kind, word in src.rows("mining_contexts.tsv", 2):
            contexts.setdefault(kind, set()).add(fold(word))
        self.MINING_CONTEXTS = {kind: frozenset(words) for kind, words in contexts.items()}
        self.NAME_PARTICLES = self.MINING_CONTEXTS.get("particle", frozenset())

        self._title_stem = lru_cache(maxsize=1 << 14)(self._title_stem_uncached)
        self.LEARNED_CUES = {}
        self.FRAGMENT_CUES = self.COLON_TAGS = frozenset()
        if mined:
            self._load_mined(src)

    def _load_mined(self, src: DataFolder) -> None:
        self.PERSON_NAME_WORDS = {w: WordRoles(*c) for w, c in src.counts("person_name_words.tsv", 6).items()}
        self.ORG_NAME_WORDS = {w: WordRoles(*c) for w, c in src.counts("org_name_words.tsv", 6).items()}
        self.GIVEN_NAMES = frozenset(src.counts("given_names.tsv", 4))
        self.FAMILY_NAMES = frozenset(src.counts("family_names.tsv", 5))
        self.FOREIGN_NAMES = frozenset(src.counts("foreign_names.tsv", 3))
        self.PERSON_NAMES = {k: c[1] for k, c in src.counts("person_names.tsv", 3).items()}
        self.TITLE_WORDS = {w: TitleWord(*c) for w, c in src.counts("title_words.tsv", 4).items()}
        self.TITLE_PHRASES = {k: c[1] for k, c in src.counts("title_phrases.tsv", 3).items()}
        self.ORG_NAME_HEADS = {k: c[1] for k, c in src.counts("org_name_heads.tsv", 3).items()}
        self.ORG_NAMES = {k: c[1] for k, c in src.counts("org_names.tsv", 3).items()}
        self.NATIONALITY_ADJECTIVES = {a: p for a, p, _n, _e in src.rows("nationality_adjectives.tsv", 4)}
        self.COMMON_WORDS = {w: WordUse(*c) for w, c in src.counts("common_words.tsv", 3).items()}
        self.PLURAL_SUBJECTS = {w: PluralSubject(*c) for w, c in src.counts("plural_subjects.tsv", 4).items()}
        self.BUILD_INFO = {k: v for k, v in src.rows("build_info.tsv", 2)}
        learned: dict[str, CueForm] = {}
        fragment = set()
        for form, use, gender, number, *_counts in src.rows("learned_cues.tsv", 7):
            agrees = agreement(gender, number)
            if agrees is None or use not in ("clause", "fragment"):
                raise LexiconError(f"{src.path / 'learned_cues.tsv'}: bad use, gender or number in {form!r}")
            for clitic in ("", "و", "ف"):
                folded = fold(clitic + form)
                if folded not in self.CUE_FORMS:  # a base form is never replaced
                    learned[folded] = CueForm(fold(form), "verb", *agrees)
                    if use == "fragment":
                        fragment.add(folded)
        self.LEARNED_CUES = learned
        self.FRAGMENT_CUES = frozenset(fragment)
        self.COLON_TAGS = frozenset(src.counts("colon_tags.tsv", 2))

    def person_roles(self, word: str) -> WordRoles:
        """The mined name statistics of a folded word (all zero when it was never seen in a name)."""
        return self.PERSON_NAME_WORDS.get(word, NO_ROLES)

    def word_use(self, word: str) -> WordUse:
        """How often a folded word occurs in the mined corpus (all zero below ``common_words.tsv``'s
        threshold: a rare word)."""
        return self.COMMON_WORDS.get(word, NO_USE)

    def org_roles(self, word: str) -> WordRoles:
        """Like ``person_roles``, for organisation names."""
        return self.ORG_NAME_WORDS.get(word, NO_ROLES)

    @classmethod
    def load(cls, path: Path | str | None = None) -> Lexicon:
        """The lexicon of folder ``path`` (None: the shipped one), read once per process and folder."""
        return _load(Path(path).resolve() if path is not None else DEFAULT_DIR)

    def _cue_forms(self, src: DataFolder) -> dict[str, CueForm]:
        table: dict[str, CueForm] = {}

        def add(form: str, entry: CueForm, proclitics: tuple[str, ...]) -> None:
            for clitic in ("", *proclitics):
                table.setdefault(fold(clitic + form), entry)

        # Source words and nouns first: نقلا is a source phrase, not the dual of نقل.
        for word, lemma in self.SOURCE_WORDS.items():
            add(word, CueForm(lemma, "source"), ("و", "ف"))
        for word, lemma in self.SPEECH_NOUNS.items():
            add(word, CueForm(lemma, "noun", passive_subject=not word.endswith("القول")), ("و",))
        for past, present in self.SPEECH_VERBS:
            for form, (fem, plural) in _past_forms(past).items():
                add(form, CueForm(past, "verb", fem, plural), ("و", "ف"))
            for form, (fem, plural) in _present_forms(present).items():
                add(form, CueForm(past, "verb", fem, plural), self.PROCLITICS)
        for form, lemma, gender, number in src.rows("verb_forms.tsv", 4):
            agrees = agreement(gender, number)
            if agrees is None:
                raise LexiconError(f"{src.path / 'verb_forms.tsv'}: bad gender or number in {form!r}")
            add(form, CueForm(lemma, "verb", *agrees), ("و", "ف", "ومما", "مما"))
        for masc, lemma in self.PARTICIPLES:
            stem = masc[:-1] if masc.endswith(("ا", "ة")) else masc
            for suffix, fem, plural in _PARTICIPLE_ENDINGS:
                add(stem + suffix, CueForm(lemma, "participle", fem, plural), ("و",))
        return table

    def is_title(self, word: str) -> bool:
        """A title head, bare or with a possessive pronoun (مدربه البرتغالي، نظيره الأمريكي)."""
        return word in self._TITLE_FORMS

    def title_stem(self, word: str) -> str:
        """مدربه → مدرب when the stem is a title head; otherwise the word itself."""
        return self._title_stem(word)

    def _title_stem_uncached(self, word: str) -> str:
        for suffix in _TITLE_POSSESSIVES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                stem = word[: -len(suffix)]
                if stem.endswith("ت") and stem[:-1] + "ة" in self.TITLE_HEADS:
                    return stem[:-1] + "ة"
                if stem in self.TITLE_HEADS:
                    return stem
        return word


_TITLE_POSSESSIVES = ("هما", "هم", "ها", "ه")  # the pronouns a title takes (نظيرهما، مدربه)


@lru_cache(maxsize=8)
def _load(path: Path) -> Lexicon:
    return Lexicon(path)


# The shipped lexicon under the module's names, for code that needs no other.
DEFAULT = Lexicon.load()
SPEECH_VERBS = DEFAULT.SPEECH_VERBS
PARTICIPLES = DEFAULT.PARTICIPLES
SOURCE_WORDS = DEFAULT.SOURCE_WORDS
SPEECH_NOUNS = DEFAULT.SPEECH_NOUNS
COMPLEMENTIZERS = DEFAULT.COMPLEMENTIZERS
COMPLEMENTIZER_PREPOSITIONS = DEFAULT.COMPLEMENTIZER_PREPOSITIONS
PROCLITICS = DEFAULT.PROCLITICS
CUE_FORMS = DEFAULT.CUE_FORMS
TITLE_HEADS = DEFAULT.TITLE_HEADS
TITLE_COMPLEMENTS = DEFAULT.TITLE_COMPLEMENTS
NATIONALITIES = DEFAULT.NATIONALITIES
KINSHIP_STEMS = DEFAULT.KINSHIP_STEMS
AUXILIARY_VERBS = DEFAULT.AUXILIARY_VERBS
ORG_HEADS = DEFAULT.ORG_HEADS
DOCUMENT_NOUNS = DEFAULT.DOCUMENT_NOUNS
ANONYMOUS_HEADS = DEFAULT.ANONYMOUS_HEADS
GROUP_HEADS = DEFAULT.GROUP_HEADS
PLACES = DEFAULT.PLACES
PLACE_WORDS = DEFAULT.PLACE_WORDS
TIME_WORDS = DEFAULT.TIME_WORDS
ADJUNCT_PREPOSITIONS = DEFAULT.ADJUNCT_PREPOSITIONS
SPEECH_EVENT_STEMS = DEFAULT.SPEECH_EVENT_STEMS
MEDIA_PREFIXED = DEFAULT.MEDIA_PREFIXED
SPEAKER_BREAKERS = DEFAULT.SPEAKER_BREAKERS
LABELS = DEFAULT.LABELS
PRONOUN_SUBJECTS = DEFAULT.PRONOUN_SUBJECTS
FUNCTION_WORDS = DEFAULT.FUNCTION_WORDS
NAME_PARTICLES = DEFAULT.NAME_PARTICLES
PERSON_NAME_WORDS = DEFAULT.PERSON_NAME_WORDS
ORG_NAME_WORDS = DEFAULT.ORG_NAME_WORDS
GIVEN_NAMES = DEFAULT.GIVEN_NAMES
FAMILY_NAMES = DEFAULT.FAMILY_NAMES
FOREIGN_NAMES = DEFAULT.FOREIGN_NAMES
PERSON_NAMES = DEFAULT.PERSON_NAMES
TITLE_WORDS = DEFAULT.TITLE_WORDS
TITLE_PHRASES = DEFAULT.TITLE_PHRASES
ORG_NAME_HEADS = DEFAULT.ORG_NAME_HEADS
ORG_NAMES = DEFAULT.ORG_NAMES
NATIONALITY_ADJECTIVES = DEFAULT.NATIONALITY_ADJECTIVES
is_title = DEFAULT.is_title
title_stem = DEFAULT.title_stem
