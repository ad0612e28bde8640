"""Speakers: what a mention says (title, name, kind) and which mentions of an article are one entity.

A mention such as ``وزير الخارجية الروسي سيرجي لافروف`` splits into a title (``وزير الخارجية الروسي``)
and a name (``سيرجي لافروف``). The ``EntityRegistry`` of one article links later mentions to it by
name (``لافروف``), by title (``الوزير الروسي``) or by place alias (``موسكو`` ↔ ``روسيا``), and reports
the fullest name as canonical.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, KeysView
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from worker.attribution import name_tagger, names
from worker.lexicon import DataFolder, Lexicon
from worker.quotes import SpeakerKind
from worker.text import Token, fold, strip_al

_DATA = Path(__file__).parent / "data"


def word_list(name: str) -> frozenset[str]:
    """A word list of ``attribution/data/``: one word a line, ``#`` comments; folded."""
    return frozenset(fold(w) for w in DataFolder(_DATA).words(name))


# Quantity nouns that take a group after them (بعض المتظاهرين، عدد من العملاء): the group speaks.
PARTITIVE_HEADS = word_list("partitive_heads.txt")


# كل and جميع quantify every one of a set, mostly of things (كل العقوبات), and كل من X وY lists names:
# no share of a group.
_SHARE_HEADS = PARTITIVE_HEADS - {"كل", "جميع"}


def group_share_words(words: list[Token]) -> int:
    """How many words a quantity noun takes before the group it quantifies, when the words open so
    (بعض المتظاهرين: 1, عدد من المسؤولين: 2), else 0."""
    if len(words) < 2 or words[0].fold not in _SHARE_HEADS:
        return 0
    k = 2 if words[1].fold == "من" else 1
    return k if k < len(words) and words[k].fold.startswith("ال") else 0


def data_rows(name: str, columns: int) -> list[list[str]]:
    """The rows of a tab-separated file of ``attribution/data/``, each of ``columns`` fields."""
    return DataFolder(_DATA).rows(name, columns)


GENERIC_NOUNS = word_list("generic_nouns.txt")

# Words inside names after which the next word always belongs to the name: تركي آل الشيخ، حمد بن خليفة.
_NAME_LINKS = frozenset(
    {"ال", "آل", "بن", "ابن", "بنت", "ابو", "أبو", "عبد", "ابي", "أبي", "دي", "فان", "فون"}
)
NAME_LINKS = _NAME_LINKS


def words_besides_links(tokens: list[Token]) -> int:
    """How many of the words are not name links: a name's length in parts, since a link joins the word
    after it (عبد العزيز بن عبد الله آل الشيخ is three parts in seven words)."""
    return sum(t.fold not in _NAME_LINKS for t in tokens)


# Links that start a name (عبد الله، أبو بكر): the word before them is not in the name.
_NAME_OPENERS = frozenset({"عبد", "ابو", "أبو", "ابي", "أبي"})
# Prepositions that keep a title going: السفير الأميركي لدى المنظمة، المتحدث باسم الكرملين، مساعد الوزير
# لشؤون آسيا.
_TITLE_LINKS = frozenset({"لدي", "في", "باسم", "عن", "بوزارة", "ب", "لشؤون"})
# Title links after which a name is someone else's: المتحدث باسم الرئيس غني، السفير لدى …
_COMPLEMENT_LINKS = frozenset({"باسم", "لدي"})


@lru_cache(maxsize=1 << 14)
def name_key(lex: Lexicon, word: str) -> str:
    """Comparison form of a folded word: no article or possessive on a title, ة → ه."""
    return strip_al(lex.title_stem(word)).replace("ة", "ه")


@dataclass(slots=True)
class MentionInfo:
    title: list[Token]
    name: list[Token]
    kind: SpeakerKind


def _is_title_word(lex: Lexicon, fold: str, is_last: bool) -> bool:
    if fold in lex.TITLE_HEADS or fold in lex.TITLE_COMPLEMENTS or fold in lex.ORG_HEADS:
        return True
    rest = fold[1:]
    if fold.startswith("ل") and len(fold) > 3 and (rest in lex.ORG_HEADS or rest in lex.TITLE_COMPLEMENTS):
        return True
    if fold.startswith("ال") and not is_last:
        return True  # an unknown definite word in mid-title (… لدى المنظمة دنيس شيا)
    return fold.startswith("لل")


def analyse(lex: Lexicon, tokens: list[Token], text: str | None = None) -> MentionInfo:
    """Split a speaker mention into title and name and tell what kind of speaker it names. ``text``:
    the article the tokens index, read for the written shape of words (``hamza_initial``)."""
    bare = hamza_initial(text, tokens) if text is not None else ()
    title, name, kind = _analysed(lex, tuple(t.fold for t in tokens), bare)
    return MentionInfo([tokens[k] for k in title], [tokens[k] for k in name], kind)


_HAMZA_LAM = re.compile("[أإآ]ل")


def hamza_initial(text: str, tokens: list[Token]) -> tuple[int, ...]:
    """The positions of the words written with أل، إل or آل (ألكسندر، إلياس، آلان), which ``fold`` makes
    look like words with the article ال: the article is never written on a hamza, so these are no
    definite words (a given name, ألمانيا, ألف). ``آل`` alone is the family link, folded ال."""
    if not tokens or _HAMZA_LAM.search(text, tokens[0].start, tokens[-1].end) is None:
        return ()  # most mentions: one search instead of a look at every word
    return tuple(
        k
        for k, t in enumerate(tokens)
        if len(t.fold) > 2 and t.fold.startswith("ال") and text[t.start : t.start + 1] in ("أ", "إ", "آ")
    )


@lru_cache(maxsize=1 << 14)
def _analysed(
    lex: Lexicon, folds: tuple[str, ...], bare: tuple[int, ...] = ()
) -> tuple[tuple[int, ...], tuple[int, ...], SpeakerKind]:
    """``analyse`` on the words alone (it reads nothing but their folded forms and which of them are
    written with a hamza, ``bare``), kept per lexicon and word sequence: news names the same people in
    the same words again and again. The title and name come back as positions in the mention."""
    info = _analyse(lex, [Token(k, k, f) for k, f in enumerate(folds)], frozenset(bare))
    title, name = tuple(t.start for t in info.title), tuple(t.start for t in info.name)
    if info.kind == "person":  # where the rules' name is in doubt, the learned tagger decides its ends
        title, name = name_tagger.refine_person_name(lex, folds, title, name, bare)
    elif info.kind == "organization":
        name = name_tagger.refine_body_name(lex, folds, name)
    return title, name, info.kind


def _analyse(lex: Lexicon, tokens: list[Token], bare: frozenset[int] = frozenset()) -> MentionInfo:
    """``bare``: the positions (``Token.start`` here) of words written with a hamza (``hamza_initial``)."""
    if not tokens:
        return MentionInfo([], [], "unknown")
    first = tokens[0].fold
    if group_share_words(tokens):  # بعض المتظاهرين، عدد من المسؤولين: a share of a group
        return MentionInfo([], tokens, "group")
    if first in lex.ANONYMOUS_HEADS or (tokens[0].fold.isdigit() and len(tokens) > 1):
        kind: SpeakerKind = "group" if first in lex.GROUP_HEADS or first.isdigit() else "anonymous"
        # مسؤول مكافحة الإرهاب في الوزارة، سيغال ماندلكر: an indefinite office and its holder's name
        # (a definite one, المسؤول يون يونغ تشان, stays one unnamed-source mention that المسؤول takes up)
        indefinite = kind == "anonymous" and len(tokens) >= 4 and not first.startswith("ال")
        apposed = _apposed_name(lex, tokens, 1, []) if indefinite else 0
        if apposed:
            return MentionInfo(tokens[: len(tokens) - apposed], tokens[len(tokens) - apposed :], "person")
        return MentionInfo([], tokens, kind)
    if first in lex.ORG_HEADS or first in lex.PLACES or mined_body_head(lex, first):
        for k in range(1, len(tokens) - 1):
            if (
                tokens[k].fold in lex.PLACES
                and tokens[k + 1].fold.startswith("ال")
                and tokens[k + 1].fold not in lex.TITLE_COMPLEMENTS
            ):
                return MentionInfo([], tokens[: k + 1], "organization")  # حكومة إثيوبيا [الاجتماع]
        return MentionInfo([], tokens, "organization")
    if is_kinship(lex, first):
        if len(tokens) > 1 and first.endswith(("ه", "ها", "هم")):
            return MentionInfo(tokens[:1], _name_words(lex, tokens[1:], bare), "person")  # والدتها، زينب أحمد
        return MentionInfo([], tokens[:4], "person")  # والد نورا: the father, named by the relation
    indefinite_office = lex.is_title(first) and not first.startswith("ال") and 1 < len(tokens) <= 3
    if indefinite_office and all(_is_nisba(t.fold) for t in tokens[1:]):
        return MentionInfo([], tokens, "anonymous")  # قائد عسكري: an office, no name
    if 0 not in bare and _role_word(lex, first) and _role_named(lex, tokens):
        return MentionInfo(tokens[:1], _name_words(lex, tokens[1:], bare), "person")  # الطالب نادر X
    if not lex.is_title(first) and not opens_title(lex, [t.fold for t in tokens]):
        name = _name_words(lex, tokens, bare)
        rest = tokens[len(name) :]
        # An apposition title after the name (تركي آل الشيخ رئيس الهيئة …) is kept as its title.
        title = rest if rest and rest[0].fold in lex.TITLE_HEADS else []
        return MentionInfo(
            title, name if len(tokens) > 4 or title or _ends_before(lex, name, rest) else tokens, "person"
        )
    i = 1
    complemented = False  # a prepositional complement came in the title (``names.prepositional_complement``)
    while i < len(tokens):
        f = tokens[i].fold
        is_last = i == len(tokens) - 1
        if f in _TITLE_LINKS and not is_last:
            i += 2
            continue
        if f in _COMPLEMENT_LINKS and is_last:
            i += 1  # المتحدث باسم ["الجيش …"]: the body came in quotes, باسم is no given name here
            continue
        if not is_last and tokens[i + 1].fold in _NAME_LINKS and tokens[i + 1].fold not in _NAME_OPENERS:
            break  # الأمير الوليد بن طلال: a name, though it starts with ال (… المتحدة عبد الله: not)
        if f in lex.PLACES:
            i += 1  # رئيسة بلدية مدريد: a place completes the office, it is nobody's name
            continue
        prev = tokens[i - 1].fold
        if (
            not is_last
            and prev in lex.TITLE_HEADS
            and not prev.startswith("ال")
            and f not in _NAME_LINKS
            and _named_after(lex, tokens, i + 1)
        ):
            i += 1  # حاكم [زابلستان] X Y: a title noun without the article is in construct with the next word
            continue
        if (
            prev in lex.TITLE_HEADS
            and not prev.startswith("ال")
            and names.common_word(lex, f)
            and (not names.is_name_word(lex, f) or names.never_a_name(lex, f))
        ):
            i += 1  # عميد [كلية] …، أمين [سر] …: the common noun a title noun without the article governs
            continue
        if (
            _is_nisba(f)
            and not f.endswith("ة")
            and f in lex.TITLE_COMPLEMENTS
            and tokens[i - 1].fold.startswith("ال")
        ):
            break  # العقيد الركن [تركي] X: an indefinite adjective cannot qualify a definite title (a name)
        # وزير الطاقة [ألكسندر] نوفاك: a word written with a hamza is no definite word of the title
        if _is_title_word(lex, f, is_last or tokens[i].start in bare) or (
            not is_last and names.construct_title_word(lex, tokens[i - 1].fold, f)
        ):
            i += 1
            continue
        continued = not is_last and _continues_name(lex, tokens[i + 1].fold)
        if names.prepositional_complement(lex, f) and not continued:
            # الرئيس التنفيذي [لتويتر] جاك دورسي، السفير الروسي [بواشنطن]، قائد القوات [بالجيش اليمني]: the
            # body, place or field the office is for, with the definite words that qualify it
            i += 1
            construct = i < len(tokens) - 1 and _complement_construct(lex, f)
            if construct and not names.given_name(lex, tokens[i].fold):
                i += 1
            while i < len(tokens) and _qualifies_complement(lex, tokens[i], bare):
                i += 1
            complemented = True
            continue
        coordinated = f.startswith("وال") and len(f) > 4
        # و + a common noun in construct with a definite word; not a name that starts with و (وليد)
        coordinated_construct = (
            f[:1] == "و"
            and not is_last
            and tokens[i + 1].fold.startswith("ال")
            and names.common_word(lex, f[1:])
            and not names.is_name_word(lex, f)
        )
        if (coordinated or coordinated_construct) and _is_title_word(lex, tokens[i - 1].fold, False):
            # a coordinated complement (الاتحاد التونسي للفلاحة والصيد البحري، هيئة الاتصالات وتقنية
            # المعلومات), its definite words with it
            i += 1
            while i < len(tokens) and tokens[i].fold.startswith("ال"):
                i += 1
            continue
        break
    i = _name_start(lex, tokens, i, bare)
    title, name = tokens[:i], _name_words(lex, tokens[i:], bare)
    # A word written with a hamza (ألان: the counts are those of الان, now) before a person's name of two
    # words or more opens that name: ألان X Y is one name, not a title word before X Y.
    # (so is a name after a definite title word whose first word has no article: العدل [عمر X Y])
    after_definite = (
        i > 0 and tokens[i - 1].fold.startswith("ال") and bool(name) and _bare_word(lex, name[0].fold)
    )
    opened = after_definite and len(name) >= 3 and names.person_name(lex, name[1:])
    apposed = 0 if opened or _hamza_named(lex, name, bare) else _apposed_name(lex, tokens, i, name)
    if apposed:
        title, name = tokens[: len(tokens) - apposed], tokens[len(tokens) - apposed :]
    elif complemented and name:
        name = _person_after_complement(lex, name, bare)
        if not name:
            return MentionInfo(tokens, [], "person")  # الأمين العام لحلف [شمال الأطلسي]: the body's name
    head = title[-1].fold
    if name and head in lex.ORG_HEADS and not head.startswith("ال") and tokens[-1].fold.startswith("ال"):
        return MentionInfo(tokens, [], "person")  # قاضي محكمة ليفربول الملكية: the court's name, no person
    if len(name) == 1 and name[0] is tokens[-1] and _open_construct(lex, head):
        return MentionInfo(tokens, [], "person")  # أمير مكة، عميد كلية جندوبة: the word completes the office
    return MentionInfo(title, name, "person")


_TITLE_OPENER_MIN = 5  # seen first in a mined title at least this often


def opens_title(lex: Lexicon, folds: list[str]) -> bool:
    """The words open a title, though their first is no title head: a word the mined titles open with
    (``title_words.tsv``: مساعد، كبير) in construct with a title head without the article (مساعد مفوض
    الشرطة، كبير مستشاري الرئيس). A given name spelled the same (مساعد) is never in construct so."""
    if len(folds) < 2 or folds[1].startswith("ال") or folds[1] not in lex.TITLE_HEADS:
        return False
    seen = lex.TITLE_WORDS.get(folds[0])
    # (a common noun of the corpus: not عنها، عليه, which the miner also saw before titles)
    return seen is not None and seen.as_head >= _TITLE_OPENER_MIN and names.common_word(lex, folds[0])


def _role_word(lex: Lexicon, fold: str) -> bool:
    """A word with the article that the mined names do not use (القيادي، الطالب، المذيع): a person's name
    does not open with the article, so before a name it is the role the text gives that person."""
    return (
        fold.startswith("ال")
        and len(fold) >= 5
        and not names.is_name_word(lex, fold)
        and fold not in lex.FAMILY_NAMES
    )


def _role_named(lex: Lexicon, tokens: list[Token]) -> bool:
    """The words after a role word open with a given name the corpus knows and form a person's name."""
    rest = tokens[1:5]
    if len(rest) < 2 or rest[0].fold not in lex.GIVEN_NAMES:
        return False
    return any(names.person_name(lex, rest[:n]) for n in (4, 3, 2) if n <= len(rest))


def _open_construct(lex: Lexicon, fold: str) -> bool:
    """A title or body noun without the article (أمير، كلية، منطقة): it governs the word after it, so a
    lone word there completes the office (a place the lists lack, a body) and is no one's name."""
    if fold.startswith("ال") or len(fold) < 3 or fold in lex.TITLE_COMPLEMENTS:
        return False
    if _is_nisba(fold) and not fold.endswith("ة"):
        return False  # خبير اقتصادي: an adjective, the office is complete
    return (
        lex.is_title(fold)
        or fold in lex.ORG_HEADS
        or mined_body_head(lex, fold)
        or names.common_word(lex, fold)
    )


def _ends_before(lex: Lexicon, name: list[Token], rest: list[Token]) -> bool:
    """Whether a short mention's name (``_name_words``) ends before the words after it, by the corpus:
    the name is made of name words and can be a person's full name, and the next word is known as no
    part of names: a definite word that is no family name (X Y [البالغة] من العمر، X Y [المصنفة]
    الأولى), a frequent word names hardly ever use (X Y [غاضبا]، [مباريات] الأمس), or a known word with ل
    or ب (X Y [لموقع] …). A word the corpus does not know may be the family name (X Y لايتنر)."""
    if not rest or not name:
        return False
    if len(name) == 1:  # a family name the corpus knows, alone: فيدرر [مرة] أخرى
        if not names.ends_names(lex, name[0].fold):
            return False
    elif not names.person_name(lex, name):
        return False
    for w in name:  # each word a name word of the corpus, or one it does not know, bare (not مدربة الملاكمة)
        known = names.known_name_word(lex, w.fold)
        if not (known or w.fold in lex.FAMILY_NAMES or names.unknown_word(lex, w.fold)):
            return False
    nxt = rest[0].fold
    if nxt.startswith("ال"):
        return not names.is_family_name(lex, nxt) and not names.is_name_word(lex, nxt)
    if nxt[:1] in ("ل", "ب") and len(nxt) > 3:
        bare = nxt[1:]
        return bool(lex.word_use(bare).freq) and not names.is_name_word(lex, nxt)
    return names.seldom_named(lex, nxt)


_BODY_HEAD_ARTICLES = 5  # a mined first word of bodies' names, seen in this many articles at least


@lru_cache(maxsize=1 << 12)
def mined_body_head(lex: Lexicon, fold: str) -> bool:
    """A common noun that the corpus shows heading bodies' names (``org_name_heads.tsv``: after باسم and
    صادر عن) though no base list has it: جهاز، دائرة، مديرية، المعارضة. Names (ترامب، فيسبوك) are not
    common nouns and stay what the name rules make of them."""
    bare = strip_al(fold)
    seen = max(lex.ORG_NAME_HEADS.get(bare, 0), lex.ORG_NAME_HEADS.get("ال" + bare, 0))
    return seen >= _BODY_HEAD_ARTICLES and bare not in lex.PLACES and names.common_word(lex, bare)


_KIN_SUFFIXES = ("", "ه", "ها", "هم", "هما", "هن", "نا", "كم")


@lru_cache(maxsize=1 << 12)
def is_kinship(lex: Lexicon, fold: str) -> bool:
    """A kinship noun (``kinship.txt``), alone or with a possessive pronoun: والد، نجله، ابنته، والدتها،
    أخوه، أبيه. Not a word that only begins like one: عميد، أمين، خالد، جديد (the stems of two or
    three letters begin many nouns and names)."""
    for stem in lex.KINSHIP_STEMS:
        if not fold.startswith(stem[:-1] if stem.endswith("ة") else stem):
            continue
        if stem.endswith("ة"):  # زوجة، زوجته، والدتها
            rest = fold[len(stem) - 1 :]
            if rest == "ة" or (rest[:1] == "ت" and rest[1:] in _KIN_SUFFIXES):
                return True
            continue
        rest = fold[len(stem) :]
        if rest in _KIN_SUFFIXES or (rest[:1] in ("و", "ي", "ا", "ت") and rest[1:] in _KIN_SUFFIXES[1:]):
            return True  # نجله، أخوه، أبيه، أباها، ابنته
    return False


def _is_nisba(fold: str) -> bool:
    """عسكري، حكومية، بريطاني: a relative adjective (after an indefinite title it names no one)."""
    return len(fold) >= 4 and not fold.startswith("ال") and fold.endswith(("ي", "ية"))


def _apposed_name(lex: Lexicon, tokens: list[Token], i: int, name: list[Token]) -> int:
    """How many words at the end of a titled mention are its apposed name, where the title's words ran
    out at ``i`` before them and the name read from ``i`` is none (مديرة قسم الطوارئ [بالوكالة] في
    المنظمة، برايانكا موتابارثي): the longest tail of two to four words that can form a person's name
    after a title with no given name in it. 0 where the name read from ``i`` already is one."""
    if i >= len(tokens) - 1 or (name and names.person_name(lex, name)):
        return 0
    for k in range(min(4, len(tokens) - max(i, 1)), 1, -1):
        tail = tokens[len(tokens) - k :]
        before = tokens[: len(tokens) - k]
        if (
            names.person_name(lex, tail)
            # الأمير الوليد [بن طلال]: inside a name's chain; an opener starts one of two parts or more
            # (، أبو زرعة X; not [عبد الجبار] alone after a given name)
            and (
                tail[0].fold not in _NAME_LINKS
                or (tail[0].fold in _NAME_OPENERS and words_besides_links(tail) >= 2)
            )
            and before[-1].fold not in _NAME_LINKS
            and not _heads_construct(lex, before[-1].fold)
            and not any(_given_name(lex, t.fold) for t in before[:-1])
            and not names.opens_names(lex, before[-1].fold)  # (بارك [سانغ هاك]: right before it, any)
        ):
            return k
    return 0


def _qualifies_complement(lex: Lexicon, t: Token, bare: frozenset[int]) -> bool:
    """A definite word after a prepositional complement (بالجيش [اليمني]، لحقوق [الإنسان]، بالطب [النفسي]):
    its adjective or construct noun, not a family name (نائب وزير الخارجية للشؤون السياسية [الشامسي] is
    kept for the name) nor a word written with a hamza (ألكسندر)."""
    f = t.fold
    if not f.startswith("ال") or t.start in bare or f in _NAME_LINKS:
        return False
    if names.seldom_named(lex, f):
        return True  # بالأمن [الرقمي]: a frequent word names hardly use, though the corpus saw it in one
    return not names.is_family_name(lex, f) and not names.known_name_word(lex, f)


def _continues_name(lex: Lexicon, fold: str) -> bool:
    """A word that continues a given name rather than opens one: a link (عبد، بن), a family name, a name
    word the corpus sees more often alone or last than first (راضي), or a word it does not know (باك).
    Before it, a word that looks like ل / ب + a word is the given name (بسام راضي، لبنى عبد العزيز)."""
    if fold in _NAME_LINKS or names.unknown_word(lex, fold) or names.is_family_name(lex, fold):
        return True
    named = names.known_name_word(lex, fold)
    return named and not names.given_name(lex, fold)


def _person_after_complement(lex: Lexicon, name: list[Token], bare: frozenset[int]) -> list[Token]:
    """The person's name among the words after a prepositional complement: all of them when they can
    form a person's name, or a given name or a word written with a hamza opens them (… لتويتر [جاك
    دورسي]، … بالطب النفسي [طارق الحبيب]، … لكرة القدم [ألكسندر X]), or a name word of the corpus does and
    the rest are name words, words it does not know or definite words (… [حازم الشريف]); else the
    longest first two or three that can form a name (… لكرة القدم [X Y] بمثابة); one name word or family
    name alone; none for the body's name or the verb's object (… لمانشستر [يونايتد]، … لكرة القدم
    [هجوما لاذعا]، … بالرئيس التركي [مرات عدة])."""
    f = name[0].fold
    if len(name) == 1:
        known = names.known_name_word(lex, f)
        return name if known or names.is_family_name(lex, f) else []
    if names.given_name(lex, f) or name[0].start in bare or names.person_name(lex, name):
        return name
    if (
        names.known_name_word(lex, f)
        and not names.common_word(lex, f)
        and all(_name_part(lex, t.fold) for t in name[1:])
    ):
        return name
    return next((name[:k] for k in (3, 2) if k < len(name) and names.person_name(lex, name[:k])), [])


def _name_part(lex: Lexicon, fold: str) -> bool:
    """A name word, a word the corpus does not know, or a definite word that is no title, body or place
    word (a family name the lists lack: الشريف)."""
    if fold.startswith("ال"):
        return not (
            lex.is_title(fold) or fold in lex.ORG_HEADS or fold in lex.PLACES or fold in lex.TITLE_WORDS
        )
    return names.known_name_word(lex, fold) or names.unknown_word(lex, fold) or fold in _NAME_LINKS


def _complement_construct(lex: Lexicon, fold: str) -> bool:
    """A prepositional complement whose noun has no article and heads a construct (بجامعة [اسكتلندا]،
    لحلف [شمال] الأطلسي، لمنصب [نائب] الرئيس): the word after it is its complement too. (Not a name of
    its own: لتويتر، لترامب، بواشنطن.)"""
    rest = fold[1:]
    return not rest.startswith("ال") and (
        rest in lex.ORG_HEADS
        or lex.is_title(rest)
        or (names.common_word(lex, rest) and rest not in lex.PLACES)
    )


def _named_after(lex: Lexicon, tokens: list[Token], i: int) -> bool:
    """Whether the mention ends in a person's name (two to four words) that starts at ``i`` or later."""
    return any(
        names.person_name(lex, tokens[len(tokens) - k :]) for k in range(2, min(4, len(tokens) - i) + 1)
    )


def _hamza_named(lex: Lexicon, name: list[Token], bare: frozenset[int]) -> bool:
    """A name read from a word written with a hamza (``bare``) that a person's name of two words or more
    follows (ألان X Y; not ألوية الصمود)."""
    return len(name) >= 3 and name[0].start in bare and names.person_name(lex, name[1:])


def _bare_word(lex: Lexicon, fold: str) -> bool:
    """A word without the article, a proclitic or an adverbial ending (سابقا، حاليا) that is no verb,
    function or time word: a noun, or a name, standing on its own."""
    return (
        fold.isalpha()
        and not fold.startswith(("ال", "ب", "ل", "و", "ف", "ك"))
        and not fold.endswith("ا")
        and fold not in lex.FUNCTION_WORDS
        and fold not in lex.TIME_WORDS
        and not names.looks_verb(lex, fold)
    )


def _given_name(lex: Lexicon, fold: str) -> bool:
    """A word that opens names (``names.opens_names``) and is no frequent word that names hardly use: the
    miner also read title nouns as openers (رئيس [جهاز] الأمن، فاسيل X), which name nobody."""
    return names.opens_names(lex, fold) and not names.never_a_name(lex, fold)


def _heads_construct(lex: Lexicon, fold: str) -> bool:
    """جامعة، بجامعة، لمعهد: an organisation or title noun without the article, whose complement (the
    body's name: بجامعة ماريلاند) follows it and is nobody's name."""
    bare = fold[1:] if fold[:1] in ("ب", "ل") else fold
    return not bare.startswith("ال") and (
        bare in lex.ORG_HEADS or fold in lex.ORG_HEADS or fold in lex.TITLE_HEADS
    )


def _name_start(lex: Lexicon, tokens: list[Token], i: int, bare: frozenset[int] = frozenset()) -> int:
    """Where the name starts in a titled mention whose title words ran out at ``i``: at a given name a
    few words on (مدير مشروع الطرد الخيري أحمد راشد الدوسري) when the words before it are no name
    words, else at ``i``; at a word written with a hamza before a person's name (``_hamza_named``)."""
    if 0 < i < len(tokens) - 1 and tokens[i - 1].fold.startswith("ال") and _bare_word(lex, tokens[i].fold):
        nxt = tokens[i + 1].fold
        if names.is_name_word(lex, nxt) or names.unknown_word(lex, nxt):
            # وكيل وزارة العدل [عمر] X Y: an indefinite word right after a definite word of the title
            # is not the title's (its adjective would take ال, as العدل does): a given name
            return i
    for j in range(i, min(len(tokens) - 1, i + 4)):
        if tokens[j].start in bare and _hamza_named(lex, _name_words(lex, tokens[j:], bare), bare):
            return j
        if names.opens_names(lex, tokens[j].fold):
            return j
        if names.known_name_word(lex, tokens[j].fold):
            return i
        if names.unknown_word(lex, tokens[j].fold):
            return i  # الدكتور [سامر] نبيل …: a word the corpus does not know may be a given name
    return i


def _name_words(lex: Lexicon, tokens: list[Token], bare: frozenset[int] = frozenset()) -> list[Token]:
    """The proper name at the start of ``tokens``: up to four words besides the links (بن، آل، عبد),
    ending before an apposition (نظيره، رئيس …), an organisation or place word, or a function word.
    ``bare``: the positions of words written with a hamza (``hamza_initial``), which have no article."""
    out: list[Token] = []
    for t in tokens:
        f = t.fold
        if (
            f in lex.FUNCTION_WORDS
            or f in lex.COMPLEMENTIZERS
            or (f[:1] == "ف" and f[1:] in lex.COMPLEMENTIZERS)
        ):
            break  # a name never starts or runs into these: وزير المالية [فإن العجز …]
        if out and out[-1].fold in _NAME_LINKS:
            out.append(t)
            continue
        if words_besides_links(out) >= 2 and f not in _NAME_LINKS and names.ends_complete_name(lex, out, f):
            break  # رجب طيب أردوغان [قرار]: a full name the corpus knows, which it never continues so
        if words_besides_links(out) >= 2 and names.common_word(lex, f):
            break  # a common noun or adjective after a full name: ماركو فيلاني [كبير] مهندسي الشركة
        ended = out and (names.ends_names(lex, out[-1].fold) or names.never_a_name(lex, f))
        if ended and f not in _NAME_LINKS and not names.is_name_word(lex, f):
            break  # كيم جونغ أون [دعوة]، محمد صلاح [حوارا]: the name has ended
        if not out and names.possessed_noun(lex, f):
            break  # نائبة رئيس المعهد [استقالتها]: no name starts with a possessed noun
        # (an unknown word only shaped like مشيرا is a foreign name: ألكسندر ماتسيغورا)
        foreign = names.is_adverbial_participle(f) and names.unknown_word(lex, f)
        if out and names.not_in_name(f) and not (foreign and not f.endswith("ها")):
            break  # أرسنال لإظهاره …
        if out and is_kinship(lex, f) and f not in _NAME_LINKS:
            break  # عبدالله العودة نجل الداعية …
        if f.startswith("و") and (len(out) >= 2 or _is_known_word(lex, f[1:])):
            break  # a coordinated phrase after the name: فلاديمير بوتين ومسؤولين آخرين
        # أحمد راشد الدوسري; آل (folded ال) links a family name: حمد بن جاسم آل ثاني
        family = f in _NAME_LINKS or (f.startswith("ال") and names.is_family_name(lex, f))
        # (a word written with a hamza has no article: جون ماك [أليستر], folded الستر, ends the name)
        definite = f.startswith("ال") and t.start not in bare
        if len(out) >= 2 and not family and ((f.startswith(("ل", "بال")) and len(f) > 3) or definite):
            break  # after a full name: جواو ماركيش لموسمين، أندريا ليفسي المؤرخ، ماكرون الحادث
        if out and (
            f in lex.TITLE_HEADS
            or f in lex.ORG_HEADS
            or f in lex.FUNCTION_WORDS
            or f in lex.CUE_FORMS
            or f in lex.TITLE_COMPLEMENTS
            or f.startswith(("نظير", "لل"))
            or f in lex.PLACE_WORDS
        ):
            break
        out.append(t)
        if words_besides_links(out) == 4:
            break  # حمد بن جاسم بن جبر آل ثاني: four parts
    return out


@dataclass(slots=True)
class Entity:
    id: str
    kind: SpeakerKind
    name: str | None  # fullest proper name seen (or the organisation / source words)
    descriptor: str | None = None  # the words that describe a speaker with no name (المدرب، شقيق الزوج)
    name_keys: set[str] = field(default_factory=set)
    titles: set[frozenset[str]] = field(default_factory=set)  # the titles it was named by
    title_words: set[str] = field(default_factory=set)  # their words
    feminine: bool | None = None
    plural: bool | None = None
    agreement_named: bool = False  # gender / number came with a mention (قالت الوزيرة), not an implicit cue
    alias_of: Entity | None = None  # set when a later pass finds this is another entity
    last_spoke: int = -1  # position of its latest quote; -1 while it has only been mentioned
    order: int = 0  # its place among the article's entities (first seen first)
    head: str = ""  # name key of the first word of the mention that introduced it (مصدر، شرطه)

    def recency(self) -> tuple[int, int]:
        """Sort key: the latest speaker first, ties by order of appearance."""
        return (-self.last_spoke, self.order)


def canonical(entity: Entity) -> Entity:
    while entity.alias_of is not None:
        entity = entity.alias_of
    return entity


class EntityRegistry:
    """The speakers of one article. Built while the article is read, in text order.

    Entities are indexed by their name and title keys, so that finding the one a mention names looks
    only at entities that share a word with it: an article with thousands of speakers stays linear."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lx = lexicon
        self.entities: list[Entity] = []
        # Every name key of any entity, in the order first seen (append-only), so that a reader can
        # follow what became known without rescanning the entities.
        self.key_log: list[str] = []
        self._by_name_key: dict[str, list[Entity]] = {}
        self._by_title_key: dict[str, list[Entity]] = {}
        self._speakers: list[tuple[int, int]] = []  # recency() of the entities that spoke, sorted

    def resolve(
        self,
        text: str,
        tokens: list[Token],
        position: int,
        feminine: bool | None = None,
        *,
        speaks: bool = True,
        name_text: str | None = None,
        plural: bool | None = None,
    ) -> tuple[Entity, MentionInfo]:
        """The entity a mention names: a known one if the mention matches it, else a new one.
        ``speaks``: the mention is the speaker of a quote at ``position`` (not just a mention)."""
        tokens, shown = without_preposition(self.lx, text, tokens)
        info = analyse(self.lx, tokens, text)
        name_keys = {name_key(self.lx, t.fold) for t in info.name}
        title_keys = frozenset(name_key(self.lx, t.fold) for t in info.title)
        name = name_text or (_span_text(text, info.name, shown) if info.name else None)
        if (
            info.kind == "organization"
            and info.name
            and info.name[0].fold in self.lx.PLACES
            and len(info.name) == 1
        ):
            name = self.lx.PLACES[info.name[0].fold]
            name_keys = {name_key(self.lx, w) for w in name.split()} | name_keys
        entity = self._match(info, name_keys, title_keys)
        if entity is None and len(tokens) == 1 and tokens[0].fold in GENERIC_NOUNS:
            referent = self._referent(tokens[0].fold)
            if referent is not None:  # الوزارة → وزارة الداخلية: the same entity, its name unchanged
                if speaks:
                    self.spoke(referent, position)
                return referent, info
        if entity is None and tokens and (info.kind != "person" or self._unnamed_head(tokens[0].fold)):
            entity = self._antecedent(tokens)
            if entity is not None:  # المصدر → مصدر عسكري: the same source, its words unchanged
                if speaks:
                    self.spoke(entity, position)
                return entity, info
        if entity is None:
            descriptor = None if name else _span_text(text, tokens, shown)
            n = len(self.entities)
            entity = Entity(f"e{n + 1}", info.kind, name, descriptor, order=n)
            entity.head = name_key(self.lx, tokens[0].fold) if tokens else ""
            self.entities.append(entity)
        elif (
            name
            and info.kind == entity.kind
            and (entity.name is None or (len(name) > len(entity.name) and entity.name_keys <= name_keys))
        ):
            entity.name = name  # a fuller form of the same name: لافروف → سيرجي لافروف
        for k in name_keys - entity.name_keys:
            if k not in self._by_name_key:
                self.key_log.append(k)
            self._by_name_key.setdefault(k, []).append(entity)
        entity.name_keys |= name_keys
        self._add_title(entity, title_keys)
        if feminine is not None and entity.feminine is None:
            entity.feminine = feminine
            entity.agreement_named = True
        if plural is not None and entity.plural is None:
            entity.plural = plural
            entity.agreement_named = True
        if speaks:
            self.spoke(entity, position)
        return entity, info

    def add_title(self, entity: Entity, title: list[Token]) -> None:
        """Record a title the text gives ``entity`` apart from its name (a title and the name apposed
        to it, read as one mention, would not keep the name: ``المفوض السامي …، X Y``)."""
        self._add_title(entity, frozenset(name_key(self.lx, t.fold) for t in title))

    def _add_title(self, entity: Entity, title_keys: frozenset[str]) -> None:
        if title_keys and title_keys not in entity.titles:  # each title once: a title said often stays cheap
            for k in title_keys - entity.title_words:
                self._by_title_key.setdefault(k, []).append(entity)
            entity.title_words |= title_keys
            entity.titles.add(title_keys)

    def _antecedent(self, tokens: list[Token]) -> Entity | None:
        """The source or body a definite description takes up (المصدر، المصادر، الشرطة، المسؤولون): the
        latest one of the same kind whose mention was headed by the same noun, indefinite (مصدر عسكري،
        شرطة مدينة لندن، مسؤولون أميركيون)."""
        if not tokens or not all(t.fold.startswith("ال") for t in tokens):
            return None
        head = name_key(self.lx, tokens[0].fold)
        kind = "anonymous" if self._unnamed_head(tokens[0].fold) else analyse(self.lx, tokens).kind
        candidates = self._by_recency(self._by_name_key, (head,))
        return next(
            (e for e in candidates if _same_kind(e.kind, kind) and e.head == head and e.alias_of is None),
            None,
        )

    def _unnamed_head(self, fold: str) -> bool:
        """المسؤولون، المصدر: the definite form of a word that heads unnamed sources."""
        return fold.startswith("ال") and strip_al(fold) in self.lx.ANONYMOUS_HEADS

    def _referent(self, generic: str) -> Entity | None:
        """The named body a generic noun stands for: the latest organisation whose name has the same
        head (الوزارة → وزارة الداخلية); with none, the latest body that spoke (البيان، الشركة)."""
        head = name_key(self.lx, generic)
        named = [e for e in self._by_recency(self._by_name_key, self._by_name_key) if _is_named(e)]
        for e in named:
            if e.kind == "organization" and head in e.name_keys:
                return e
        return next((e for e in named if e.kind == "organization" and e.last_spoke >= 0), None)

    def names_body(self, generic: str) -> bool:
        """Whether the article has named an organisation whose name has the head of the generic noun
        ``generic`` (الوزارة: وزارة الداخلية), which that noun then stands for."""
        head = name_key(self.lx, generic)
        return any(e.kind == "organization" and _is_named(e) for e in self._by_name_key.get(head, ()))

    def spoke(self, entity: Entity, position: int) -> None:
        """Record that ``entity`` is the speaker of a quote at ``position``."""
        if entity.last_spoke >= 0:
            k = bisect.bisect_left(self._speakers, entity.recency())
            del self._speakers[k]
        entity.last_spoke = position
        bisect.insort(self._speakers, entity.recency())

    @staticmethod
    def _by_recency(index: dict[str, list[Entity]], keys: Iterable[str]) -> list[Entity]:
        """The entities that have one of ``keys``, the latest speaker first."""
        found = {id(e): e for k in keys for e in index.get(k, ())}
        return sorted(found.values(), key=Entity.recency)

    def _match(self, info: MentionInfo, name_keys: set[str], title_keys: frozenset[str]) -> Entity | None:
        if name_keys:
            for e in self._by_recency(self._by_name_key, name_keys):
                if e.kind != info.kind:
                    continue
                if info.kind == "person" and name_keys <= e.name_keys:
                    return e
                if info.kind == "person" and e.name_keys and e.name_keys <= name_keys:
                    return e
                if info.kind != "person" and name_keys == e.name_keys:
                    return e
            return None
        if title_keys:
            for e in self._by_recency(self._by_title_key, title_keys):
                if any(_same_title(self.lx, title_keys, info.title, t) for t in e.titles):
                    return e
        return None

    def recent(self, feminine: bool | None = None, plural: bool | None = None) -> Entity | None:
        """The most recently quoted entity, agreeing with the cue's gender and number when it tells."""
        ordered = [self.entities[order] for _, order in self._speakers[:3]]
        for e in ordered:
            if (feminine is None or e.feminine is None or e.feminine == feminine) and (
                plural is None or e.plural is None or e.plural == plural
            ):
                return e
        return ordered[0] if ordered else None

    def merge_titled(
        self,
        text: str,
        tokens: list[Token],
        in_quote: Callable[[int], bool],
        linkable: Callable[[Entity], bool] = lambda e: True,
    ) -> None:
        """Link each speaker known only by a title (المهاجم) to a named entity that the text puts
        beside that title somewhere (داني ويلباك مهاجم أرسنال); ``linkable``: which of them may be."""
        untitled = [
            e
            for e in self.entities
            if e.name is None and e.kind == "person" and e.titles and e.alias_of is None and linkable(e)
        ]
        if not untitled:
            return
        title_at: dict[str, list[int]] = {}  # where each title word stands (outside quotes)
        joined: set[int] = set()  # title words after و: a second person (X والرئيس الفرنسي Y)
        for k, tok in enumerate(tokens):
            f = tok.fold
            if f[:1] == "و" and not self.lx.is_title(f) and self.lx.is_title(f[1:]):
                joined.add(k)
                f = f[1:]
            elif not self.lx.is_title(f):
                continue
            if not in_quote(tok.start):
                title_at.setdefault(name_key(self.lx, f), []).append(k)
        for e in untitled:
            if e.alias_of is not None:
                continue
            heads = {h for t in e.titles for h in t}
            own = {n for t in e.titles for n in map(self._nisba, t) if n}
            at = sorted(
                k for h in heads for k in title_at.get(h, ()) if not self._other_nisba(tokens, k, own)
            )
            for k in at:
                other = self._named_beside(tokens, k, e, own, back=0 if k in joined else 2)
                if other is not None:
                    e.alias_of = other
                    break
            else:
                for k in at:
                    name = self._apposed_name(text, tokens, k)
                    if name:  # أعلنت هيذر نويرت، المتحدثة باسم الوزارة: the name the title stands beside
                        e.name = _span_text(text, name)
                        for t in name:
                            key = name_key(self.lx, t.fold)
                            self._by_name_key.setdefault(key, []).append(e)
                            e.name_keys.add(key)
                        break

    def _apposed_name(self, text: str, tokens: list[Token], k: int) -> list[Token] | None:
        """``VERB NAME NAME، TITLE``: the two words between a cue verb (or a sentence start) and a comma
        before the title word at ``k``, when neither is a title, body, place or function word."""
        if k < 3 or "،" not in text[tokens[k - 1].end : tokens[k].start]:
            return None
        words = tokens[k - 2 : k]
        if text[words[0].end : words[1].start].strip():
            return None
        before = tokens[k - 3]
        if before.fold not in self.lx.CUE_FORMS and not text[before.end : words[0].start].strip(" "):
            return None
        for w in words:
            f = w.fold
            if (
                f.startswith("ال")
                or self.lx.is_title(f)
                or f in self.lx.ORG_HEADS
                or f in self.lx.PLACES
                or f in self.lx.FUNCTION_WORDS
                or f in self.lx.CUE_FORMS
                or names.not_in_name(f)
            ):
                return None
        return words

    def _nisba(self, key: str) -> str:
        return nisba_key(self.lx, key)

    def _other_nisba(self, tokens: list[Token], k: int, own: set[str]) -> bool:
        """Whether the title at ``k`` names another country than the nationality words ``own`` of a
        title: الرئيس الفرنسي is not the الرئيس الأمريكي of X (a title with none may be either)."""
        if not own:
            return False
        for t in tokens[k + 1 : k + 4]:
            there = self._nisba(name_key(self.lx, t.fold))
            if there:
                return there not in own
            if not t.fold.startswith("ال"):
                return False  # مدرب باريس سان جيرمان الفرنسي: the nisba of a name, not of the title
        return False

    def _other_country(self, o: Entity, own: set[str]) -> bool:
        """Whether a title of ``o`` of a head and a nationality (الرئيس الأمريكي) names another country
        than the nationality words ``own``; longer titles are left out, where the nationality may be
        a club's or a body's (مدرب باريس سان جيرمان الفرنسي)."""
        if not own:
            return False
        theirs = {n for t in o.titles if len(t) == 2 for n in map(self._nisba, t) if n}
        return bool(theirs) and not theirs & own

    def _named_beside(
        self, tokens: list[Token], k: int, e: Entity, own: set[str], back: int = 2
    ) -> Entity | None:
        """The named person beside the title word at ``k`` (``back`` words before it, five after), the
        nearest first; not one named after باسم or لدى, whom the title holder speaks for or is posted
        to (المتحدث باسم غني)."""
        end = min(len(tokens), k + 6)
        for j in range(k + 1, end):
            if tokens[j].fold in _COMPLEMENT_LINKS:
                end = j
                break
        for j in sorted(range(max(0, k - back), end), key=lambda j: (abs(j - k), j)):
            w = name_key(self.lx, tokens[j].fold)
            if w in self.lx.FUNCTION_WORDS:
                continue
            for o in sorted(self._by_name_key.get(w, ()), key=lambda o: o.order):
                if o is not e and o.kind == "person" and o.name and o.alias_of is None:
                    if self._other_country(o, own):
                        continue  # الرئيس الفرنسي beside الرئيس ترامب: the president of another country
                    if self._goes_on_otherwise(tokens, j, o):
                        continue  # الرئيس الإيراني، حسن روحاني beside حسن نصرالله: another حسن
                    return o
        return None

    def _goes_on_otherwise(self, tokens: list[Token], j: int, o: Entity) -> bool:
        """The word at ``j`` is one of ``o``'s names, but the name word after it is none of them: the
        name written here is someone else's who shares that word."""
        if j + 1 >= len(tokens):
            return False
        after = tokens[j + 1].fold
        return name_key(self.lx, after) not in o.name_keys and names.is_name_word(self.lx, after)

    def lookup(self, tokens: list[Token]) -> Entity | None:
        """The known entity a mention would resolve to, without recording anything."""
        if not tokens:
            return None
        info = analyse(self.lx, tokens)
        return self._match(
            info,
            {name_key(self.lx, t.fold) for t in info.name},
            frozenset(name_key(self.lx, t.fold) for t in info.title),
        )

    def knows(self, token: Token) -> bool:
        """Whether the word is in the name of some entity."""
        return name_key(self.lx, token.fold) in self._by_name_key

    @property
    def name_keys(self) -> KeysView[str]:
        """The name key (``name_key``) of every word in an entity's name: a live view, for a loop that
        asks ``knows`` of many words."""
        return self._by_name_key.keys()

    def find_by_tokens(self, tokens: list[Token]) -> Entity | None:
        """An entity that these words name outright (used to spot a subject before a verb)."""
        if not tokens:
            return None
        first = self._by_name_key.get(name_key(self.lx, tokens[0].fold))
        if not first:
            return None
        keys = {name_key(self.lx, t.fold) for t in tokens}
        return min((e for e in first if keys <= e.name_keys), key=Entity.recency, default=None)


@lru_cache(maxsize=1 << 12)
def nisba_key(lex: Lexicon, key: str) -> str:
    """A nationality word's comparison form, from its ``name_key`` (اميركي، امريكي → امرك), "" for any
    other word."""
    form = key[:-1] + "ة" if key.endswith("ه") else key
    if form not in lex.FOREIGN_NATIONALITIES and form not in lex.ARAB_NATIONALITIES:
        return ""
    return strip_al(form).removesuffix("ة").replace("ي", "")


def _same_kind(a: SpeakerKind, b: SpeakerKind) -> bool:
    """Kinds one description can take up: the same, or an unnamed source and a group (مسؤولون
    أميركيون → المسؤولون)."""
    return a == b or {a, b} == {"anonymous", "group"}


def _is_named(e: Entity) -> bool:
    """An entity with a name of its own (not only a generic noun such as الشركة)."""
    return e.name is not None and fold(e.name) not in GENERIC_NOUNS


def _is_known_word(lex: Lexicon, fold: str) -> bool:
    return any(
        fold in words for words in (lex.TITLE_HEADS, lex.ORG_HEADS, lex.ANONYMOUS_HEADS, lex.FUNCTION_WORDS)
    )


def _same_title(lex: Lexicon, keys: frozenset[str], tokens: list[Token], other: frozenset[str]) -> bool:
    """Titles that name the same office: one holds the other (السفير الأميركي ⊂ السفير الأميركي لدى
    المنظمة), or they share the head noun and most words (رئيس الهيئة العامة للرياضة ~ رئيس مجلس إدارة
    الهيئة العامة); never two nationalities (وزير الخارجية الأمريكي, not السعودي)."""
    ours, theirs = ({n for n in (nisba_key(lex, k) for k in t) if n} for t in (keys, other))
    if ours and theirs and not ours & theirs:
        return False
    if keys <= other or (other <= keys and len(other) > 1):
        return True
    head = name_key(lex, tokens[0].fold) if tokens else ""
    shared = len(keys & other)
    return head in other and shared >= 2 and shared * 3 >= 2 * min(len(keys), len(other))


def _span_text(text: str, tokens: list[Token], shown: tuple[int, str] | None = None) -> str:
    """The words' text; ``shown``: the start and written form of a first word whose preposition was
    taken off (``without_preposition``)."""
    if shown is not None and tokens[0].start == shown[0]:
        return shown[1] + text[tokens[0].end : tokens[-1].end]
    return text[tokens[0].start : tokens[-1].end]


def without_preposition(
    lex: Lexicon, text: str, tokens: list[Token]
) -> tuple[list[Token], tuple[int, str] | None]:
    """A mention whose first word carries ل or ب before a source, a body, a person or a title (وفقا
    [للمصادر]، ووفقا [لرويترز]، وفقا [لمعاون] وزير الخارجية: ``names.prepositional_complement``) names
    that source without the preposition; the first word comes back as a token without it, and its
    written form (ل + ال is written لل: للمصادر → المصادر). A given name that only looks so (بسام
    راضي) is kept, as in ``analyse``."""
    if not tokens:
        return tokens, None
    first = tokens[0]
    rest = names.source_after_preposition(lex, first.fold, tokens[1].fold if len(tokens) > 1 else "")
    if rest is None or (len(tokens) > 1 and _continues_name(lex, tokens[1].fold)):
        return tokens, None
    written = text[first.start + 1 : first.end]
    if rest == "ال" + first.fold[1:]:
        shown = "ال" + written  # للجنة (الدولية) → اللجنة
    elif first.fold.startswith("لل") and rest.startswith("ال"):
        shown = "ا" + written  # للمصادر → المصادر (بالمسؤول → المسؤول as written)
    else:
        shown = written
    return [Token(first.start + 1, first.end, rest), *tokens[1:]], (first.start + 1, shown)
