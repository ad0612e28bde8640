"""Where a person's name starts and ends, read from the lexicon's mined statistics (``Lexicon.
person_roles``: how often a word opens, continues or ends a name in the corpus' speaker phrases, or is
one alone; ``TITLE_WORDS``: how often it stands in a title; ``Lexicon.word_use``: how often it occurs at
all, and right after a verb particle such as قد or لم). A word the corpus never saw in any role gives no
evidence, and the rules of ``speakers`` decide as before."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from worker.text import NAME_ALI

if TYPE_CHECKING:
    from worker.lexicon import Lexicon
    from worker.text import Token

_MIN_SEEN = 3  # a role seen fewer times than this says nothing
_MOSTLY = 3  # "mostly X": X at least this many times as often as the other roles
_SURE, _CLEARLY = 20, 5  # a name's last word for sure: seen so 20 times, 5 times as often as inside one
_FREQUENT, _RARELY_NAMED = 50, 20  # a common word: seen 50 times, in names under 1 use in 20
_ARTICLE_SHARE = 10  # … and with the article in at least 1 use in 10 (عملية 0.39، آخر 0.16; names 0)
# A verb follows a verb particle (قد قال، لم يعلن) in a few percent of its uses (قال 3%, أعلن 8%, تطلق
# 10%); nouns and names next to never. One use in 50 is well below the verbs and far above the nouns.
_VERB_SHARE = 50
_NAMED_SHARE = 10  # a word used in names once in 10 uses is a name as well as a verb (أشرف، صادق)


def is_name_word(lex: Lexicon, fold: str) -> bool:
    """Seen inside names often enough to count as a name word (بن، أحمد، ترامب)."""
    return lex.person_roles(fold).in_names >= _MIN_SEEN


def known_name_word(lex: Lexicon, fold: str) -> bool:
    """A name word that is no frequent common word seen in a few names by chance (``is_name_word`` and
    not ``never_a_name``)."""
    return is_name_word(lex, fold) and not never_a_name(lex, fold)


def ends_names(lex: Lexicon, fold: str) -> bool:
    """Clearly the last word of a name (a family name: ترودو، أون، صلاح): what follows it is not part of
    the name unless it is a name word itself. (عبدالعزيز, often a father's name inside a chain, is not.)"""
    r = lex.person_roles(fold)
    return r.ends >= _SURE and r.ends + r.alone >= _CLEARLY * (r.opens + r.continues)


def given_name(lex: Lexicon, fold: str) -> bool:
    """Seen opening names at least as often as in every other role together, alone included (جاك، روبرت;
    not راضي, seen alone 18 times and first 3): the first word of a person's full name."""
    r = lex.person_roles(fold)
    return r.opens >= _MIN_SEEN and r.opens >= r.continues + r.ends + r.alone


def opens_names(lex: Lexicon, fold: str) -> bool:
    """Mostly the first word of a name (a given name: أحمد، جاستن)."""
    r = lex.person_roles(fold)
    return r.opens >= _MIN_SEEN and r.opens >= _MOSTLY * (r.continues + r.ends)


def is_family_name(lex: Lexicon, fold: str) -> bool:
    """A family name the corpus knows (الدوسري), though it starts with ال like a common noun, or a
    rare word with the article that can be nothing else (``rare_definite``)."""
    return fold in lex.FAMILY_NAMES or ends_names(lex, fold) or rare_definite(lex, fold)


def never_a_name(lex: Lexicon, fold: str) -> bool:
    """A frequent word hardly ever seen in a name (مشروع، آخر): its corpus frequency dwarfs its
    name roles. (Title-word counts are no evidence: the miner reads names inside titles too.)"""
    r = lex.person_roles(fold)
    return r.freq >= _FREQUENT and r.in_names * _RARELY_NAMED < r.freq


def seldom_named(lex: Lexicon, fold: str) -> bool:
    """A frequent word of the corpus that names hardly ever use (غاضبا، مباريات), by its uses overall,
    not only those the miner read in speaker phrases (``never_a_name``): seen 50 times, in names under
    once in 20 uses."""
    freq = lex.word_use(fold).freq
    return freq >= _FREQUENT and lex.person_roles(fold).in_names * _RARELY_NAMED < freq


def common_word(lex: Lexicon, fold: str) -> bool:
    """A common noun or adjective of the corpus (عملية، مقترح، آخر، إشارة): frequent, used with the
    article in at least one use in 10 (a name hardly ever is: بشار، أنجيلا، منى 0), or an adverbial
    accusative whose noun is (عددا: العدد), and names, organisation names included, use it under once
    in 20 (حماس، سعيد are no common words). Not for a word with the article."""
    freq = lex.word_use(fold).freq
    if fold.startswith("ال") or freq < _FREQUENT:
        return False
    in_names = lex.person_roles(fold).in_names + lex.org_roles(fold).in_names
    takes_article = lex.word_use("ال" + fold).freq * _ARTICLE_SHARE >= freq or (
        fold.endswith("ا") and lex.word_use("ال" + fold[:-1]).freq >= _FREQUENT
    )
    return takes_article and in_names * _RARELY_NAMED < freq


def unknown_word(lex: Lexicon, fold: str) -> bool:
    """A word without the article that the corpus hardly uses and no mined table holds: no evidence
    that it is not a name (a rare given name: سامر)."""
    return (
        not fold.startswith("ال")
        and not lex.word_use(fold).freq
        and not lex.person_roles(fold).freq
        and fold not in lex.TITLE_WORDS
        and not lex.is_title(fold)
        and fold not in lex.ORG_HEADS
    )


def looks_verb(lex: Lexicon, fold: str) -> bool:
    """A verb by its corpus contexts (ألقى، تطلق، يواصل): it follows قد، لم، لن or سوف in at least one
    use in 50, and names use it seldom. What follows a name or title and looks like this is the
    verb of the next clause, not part of the name."""
    use = lex.word_use(fold)
    return (
        use.after_verb_particle >= _MIN_SEEN
        and use.after_verb_particle * _VERB_SHARE >= use.freq
        and lex.person_roles(fold).in_names * _NAMED_SHARE < use.freq
    )


# The object (or possessive) pronouns attached to a word, longest first (وانتقده، دعمها، نفاه).
OBJECT_PRONOUNS = ("هما", "هم", "ها", "ه")


def verb_with_clitics(lex: Lexicon, fold: str) -> bool:
    """``looks_verb`` of a word or of its stem without و before it and an object pronoun after it
    (وأطلق، وانتقده، فأكدها: a clause's verb, no subject). A name is left alone: one the lexicon knows
    (وليد), and one that is ف + a verb (فيصل: ف is stripped only before an object pronoun)."""
    if looks_verb(lex, fold):
        return True
    if is_name_word(lex, fold) or fold in lex.GIVEN_NAMES:
        return False
    stem = fold
    for pronoun in OBJECT_PRONOUNS:
        if stem.endswith(pronoun) and len(stem) - len(pronoun) >= 4:
            stem = stem[: -len(pronoun)]
            break
    if stem[:1] == "و" or (stem[:1] == "ف" and stem != fold):
        stem = stem[1:]
    return stem != fold and len(stem) >= 3 and looks_verb(lex, stem)


def rare_definite(lex: Lexicon, fold: str) -> bool:
    """A word with the article that the corpus hardly uses (under ``common_words.tsv``'s threshold) and
    that is no title word, and whose form without the article is no common noun either (الخدام، الزار:
    زار is a verb): after a given name, a family name, not the next phrase's noun (الحادث)."""
    if not fold.startswith("ال") or len(fold) < 5 or lex.word_use(fold).freq:
        return False
    if fold in lex.TITLE_WORDS or lex.is_title(fold) or fold in lex.ORG_HEADS or fold in lex.PLACE_WORDS:
        return False
    bare = fold[2:]
    return not lex.word_use(bare).freq or looks_verb(lex, bare)


def construct_title_word(lex: Lexicon, before: str, fold: str) -> bool:
    """A word the mined titles hold at least twice as often as the mined names, right after a title
    word without the article, whose complement it is (لاعب [خط] الوسط، مديرة [قسم] الاستجابة): part of
    the title, not the start of the name. (After a complete title, الرئيس السوري بشار, a word the
    miner also saw in titles starts the name.)"""
    t = lex.TITLE_WORDS.get(fold)
    return (
        t is not None
        and not before.startswith("ال")
        and lex.is_title(before)
        and t.in_titles >= _MIN_SEEN
        and t.in_titles >= 2 * lex.person_roles(fold).in_names
    )


def prepositional_complement(lex: Lexicon, fold: str) -> bool:
    """ل or ب attached to the name of a place, body or person, a title or a common noun (لتويتر، بواشنطن،
    بالجيش، لحقوق، لمنصب، لترامب): after a title word, the body, place or field the office is for, not
    the first word of a name. A word the corpus knows as a name, or whose rest is none of these, is left
    alone (بشار، ليونيل، لطيفة; لولا، ليلى). (A given name may still look like ب + a word, بروس، بسام:
    the caller looks at the word after it.)"""
    if fold[:1] not in ("ل", "ب") or len(fold) < 4 or not fold.isalpha():
        return False
    if is_name_word(lex, fold) or fold in lex.GIVEN_NAMES or fold in lex.FAMILY_NAMES or fold in lex.PLACES:
        return False
    if fold in lex.DOCUMENT_NOUNS or fold in lex.ORG_HEADS or lex.is_title(fold) or common_word(lex, fold):
        return False  # بيان، بلدية، لجنة: a word of its own
    if fold.endswith(OBJECT_PRONOUNS) and not fold.startswith("باسم"):
        return False  # احتفى X … [بلاعبه] المصري محمد صلاح: the verb's object; (المتحدثة باسمها is a post)
    rest = "ال" + fold[2:] if fold.startswith("لل") else fold[1:]
    if rest in lex.FUNCTION_WORDS or rest in lex.PRONOUN_SUBJECTS:
        return False
    return (
        rest.startswith("ال")
        or rest in lex.PLACES
        or rest in lex.ORG_HEADS
        or lex.is_title(rest)
        or lex.org_roles(rest).in_names >= _MIN_SEEN
        or common_word(lex, rest)
        # (ب + a name is the verb's object, not a post: احتفى X [بأوزيل] مرات عدة)
        or (fold[0] == "ل" and known_name_word(lex, rest))
    )


_NAMED_ENDS = 10  # ل + a name: the name seen last in mined names at least this often (ترامب، بوتين)


def source_after_preposition(lex: Lexicon, fold: str, after: str = "") -> str | None:
    """The word a source phrase's ل or ب governs, where it names a speaker (وفقا [للمصادر]، [لمصادر]
    عسكرية، [لمراسل] القناة، [للجنة] حماية الصحفيين، [لرويترز]، [لترامب]): an unnamed source or group, a
    title, a body or place, or after ل a name the corpus knows well as a family or body name. ل + ال is
    written لل (للمصادر → المصادر), and so is ل + a word that starts with ل (للجنة حماية → لجنة; before
    a nisba adjective, للجنة الدولية, it is اللجنة). None for a word of its own or a name that only
    looks so (بيان، باسم، بايدن، بليندا: ``prepositional_complement``), and for a common noun without the
    article (لوجود، لتحليل: no speaker either way). ``after``: the next word."""
    if not prepositional_complement(lex, fold) or lex.person_roles(fold).freq:
        return None
    rest = fold[1:]
    own_word = (  # لجنة، لائحة، ليبرمان
        rest in lex.ORG_HEADS or lex.is_title(rest) or common_word(lex, rest) or is_name_word(lex, rest)
    )
    if fold.startswith("لل") and not own_word:
        rest = "ال" + fold[2:]  # ل + المصادر
    elif fold.startswith("لل") and after.startswith("ال") and after.endswith(("ي", "ية")):
        rest = "ال" + rest  # ل + اللجنة الدولية: a definite adjective (لجنة التحقيق is a construct)
    bare = rest[2:] if rest.startswith("ال") else rest
    if fold.startswith("ب") and not rest.startswith("ال") and bare not in lex.ANONYMOUS_HEADS:
        return None  # ب + a bare word is mostly a name (بايدن، بولي، بويل); بمسؤول رفيع is a source
    if (
        bare in lex.ANONYMOUS_HEADS
        or bare in lex.GROUP_HEADS
        or lex.is_title(rest)
        or lex.is_title(bare)
        or rest in lex.ORG_HEADS
        or bare in lex.ORG_HEADS
        or rest in lex.PLACES
    ):
        return rest
    if not fold.startswith("ل") or common_word(lex, rest):
        return None
    named = lex.person_roles(rest).ends >= _NAMED_ENDS or lex.org_roles(rest).in_names >= _NAMED_ENDS
    return rest if named else None


def in_titles(lex: Lexicon, fold: str) -> bool:
    """Seen in the mined titles at least 3 times (مدينة، قسم): it may continue a title."""
    t = lex.TITLE_WORDS.get(fold)
    return t is not None and t.in_titles >= _MIN_SEEN


def possessed_noun(lex: Lexicon, fold: str) -> bool:
    """استقالتها، حكومته، دعوتهم: a feminine noun with a possessive suffix, never a speaker's first
    word (a kinship word is: والدتها، زينب أحمد)."""
    return (
        len(fold) >= 5
        and fold.endswith(("ته", "تها", "تهم", "تهما"))
        and not fold.startswith(lex.KINSHIP_STEMS)
    )


def possessed_common_noun(lex: Lexicon, fold: str) -> bool:
    """عزمه، دعمها، خطابهم: a common noun of the corpus with a possessive pronoun, the object after a
    speaker's words (وأعلن المبعوث الخاص عزمه …), never a name (a name's stem is no common noun: ديدييه)."""
    for suffix in OBJECT_PRONOUNS:
        if fold.endswith(suffix) and len(fold) - len(suffix) >= 3:
            return common_word(lex, fold[: -len(suffix)])
    return False


def is_adverbial_participle(fold: str) -> bool:
    """موجها، معربا: a circumstantial participle, never a speaker's first word."""
    return len(fold) >= 5 and fold.startswith("م") and fold.endswith("ا")


def not_in_name(fold: str) -> bool:
    """Words that cannot continue a person's name: a noun with a possessive suffix (دعمه، خطابه) or
    an adverbial participle (موجها، معربا). (Not for a first word: names end in ه too, ديدييه.)"""
    if len(fold) >= 4 and fold.endswith(("ه", "ها", "هم", "هما")) and not fold.endswith("الله"):
        return True
    return is_adverbial_participle(fold)


def person_name(lex: Lexicon, words: list[Token]) -> bool:
    """Two to four words that can form a person's name: each a name word of the mined names or a word
    the corpus does not know, or after the first a family name; none a title, organisation, place,
    function, time or common word, nor a verb (سيف السويدي، مايكل أوهانلون; not في مؤتمر صحفي، 28
    عاما، رفض الكشف عن اسمه)."""
    if not 2 <= len(words) <= 4:
        return False
    first = words[0].fold
    if first.startswith("ال"):
        return False
    if first[:1] == "و" and (lex.is_title(first[1:]) or lex.word_use(first[1:]).freq):
        return False  # وأستاذ محاضر: a coordinated title (وليد، وائل are names)
    for k, w in enumerate(words):
        f = w.fold
        if (
            f in lex.FUNCTION_WORDS
            or f in lex.TIME_WORDS
            or f in lex.ORG_HEADS
            or f in lex.PLACES
            or f in lex.CUE_FORMS
            or not (f.isalpha() or f == NAME_ALI)  # علي_ is the name علي (``worker.text.NAME_ALI``)
            or f.startswith(("بال", "لل", "وال", "فال", "كال"))  # بالإدارة الأميركية: a prepositional phrase
            or never_a_name(lex, f)
            or (f in lex.TITLE_HEADS and not is_name_word(lex, f))
            or looks_verb(lex, f)
            or common_word(lex, f)
            or (k and not_in_name(f) and not unknown_word(lex, f))  # دعمه; not بيرتيه
        ):
            return False
        family = k and f.startswith("ال") and (is_family_name(lex, f) or f in lex.TITLE_COMPLEMENTS)
        if not (family or unknown_word(lex, f) or known_name_word(lex, f)):
            return False
    return True


@lru_cache(maxsize=8)
def _complete_names(lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The mined full names (``person_names.tsv``) that the corpus mostly writes as they are, seen in
    more articles than all its longer names together (محمد بن سلمان 232 against محمد بن سلمان بن عبدالعزيز
    6; not رجب طيب 12 against رجب طيب اردوغان 306); and every word prefix of a mined name."""
    longer: dict[str, int] = {}
    for name, articles in lex.PERSON_NAMES.items():
        words = name.split()
        for n in range(2, len(words)):
            prefix = " ".join(words[:n])
            longer[prefix] = longer.get(prefix, 0) + articles
    names = lex.PERSON_NAMES.items()
    complete = frozenset(name for name, articles in names if articles > longer.get(name, 0))
    return complete, frozenset(longer)


def ends_complete_name(lex: Lexicon, words: list[Token], fold: str) -> bool:
    """Whether the words make a full name the corpus knows as complete and no mined name continues it
    with ``fold``: the name ends before it (رجب طيب أردوغان [قرار]، محمد بن سلمان [يحاور])."""
    complete, prefixes = _complete_names(lex)
    joined = " ".join(t.fold for t in words)
    return joined in complete and f"{joined} {fold}" not in prefixes and f"{joined} {fold}" not in complete
