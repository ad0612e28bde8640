"""Where a person's name starts and ends, read from the lexicon's mined statistics (``Lexicon.
person_roles``: how often a word opens, continues or ends a name in the corpus' speaker phrases, or is
one alone; ``TITLE_WORDS``: how often it stands in a title). A word the corpus never saw in any role
gives no evidence, and the rules of ``speakers`` decide as before."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from worker.lexicon import Lexicon

_MIN_SEEN = 3  # a role seen fewer times than this says nothing
_MOSTLY = 3  # "mostly X": X at least this many times as often as the other roles
_SURE, _CLEARLY = 20, 5  # a name's last word for sure: seen so 20 times, 5 times as often as inside one


def is_name_word(lex: Lexicon, fold: str) -> bool:
    """Seen inside names often enough to count as a name word (بن، أحمد، ترامب)."""
    return lex.person_roles(fold).in_names >= _MIN_SEEN


def ends_names(lex: Lexicon, fold: str) -> bool:
    """Clearly the last word of a name (a family name: ترودو، أون، صلاح): what follows it is not part of
    the name unless it is a name word itself. (عبدالعزيز, often a father's name inside a chain, is not.)"""
    r = lex.person_roles(fold)
    return r.ends >= _SURE and r.ends + r.alone >= _CLEARLY * (r.opens + r.continues)


def opens_names(lex: Lexicon, fold: str) -> bool:
    """Mostly the first word of a name (a given name: أحمد، جاستن)."""
    r = lex.person_roles(fold)
    return r.opens >= _MIN_SEEN and r.opens >= _MOSTLY * (r.continues + r.ends)


def is_family_name(lex: Lexicon, fold: str) -> bool:
    """A family name the corpus knows (الدوسري), though it starts with ال like a common noun."""
    return fold in lex.FAMILY_NAMES or ends_names(lex, fold)


def never_a_name(lex: Lexicon, fold: str) -> bool:
    """A frequent word hardly ever seen in a name (مشروع، آخر): its corpus frequency dwarfs its
    name roles. (Title-word counts are no evidence: the miner reads names inside titles too.)"""
    r = lex.person_roles(fold)
    return r.freq >= 50 and r.in_names * 20 < r.freq


def possessed_noun(lex: Lexicon, fold: str) -> bool:
    """استقالتها، حكومته، دعوتهم: a feminine noun with a possessive suffix, never a speaker's first
    word (a kinship word is: والدتها، زينب أحمد)."""
    return (
        len(fold) >= 5
        and fold.endswith(("ته", "تها", "تهم", "تهما"))
        and not fold.startswith(lex.KINSHIP_STEMS)
    )
