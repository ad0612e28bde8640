"""One speaker across articles: a key from the canonical name that the extractor gives within an article.

* ``name_key``: the name's folded words (``worker.store.folding``: hamza seats, ى/ي, ة/ه, diacritics,
  tatweel), so spellings that differ only there are one name. Only named speakers get one (persons,
  organisations, groups); an anonymous source (``مصدر عسكري``) is no one across articles.
* Transliteration variants (``ترامب`` / ``ترمب``, ``نتانياهو`` / ``نتنياهو``): two words of the store's
  names that differ by one long vowel letter (ا، و، ي) inside the word, at least one of them a foreign
  name the lexicon mined from the corpus (``foreign_names.tsv``: names that foreign titles introduce),
  both of four letters or more. Arab names are left alone: ``سالم`` / ``سلم`` or ``محمد`` / ``محمود`` are
  different people more often than spellings. The spelling with the vowel is the canonical one, so the
  choice does not depend on which came first. Learned pairs are kept in ``name_variants``.
* A family name alone (``ترامب``, ``السيسي``) is merged with the full person name that ends with it,
  where the store knows exactly one such name; with none or several it stays a speaker of its own
  (merging two different people is worse than leaving one split).

The speaker key is the canonical name's words joined by ``-``. It is recomputed for the names a batch
touched (and the family names those may now resolve), in the batch's transaction, from what the store
holds then: the same store content gives the same keys whatever the order it arrived in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from worker.store.database import Database
from worker.store.folding import search_words

NAMED_KINDS = frozenset({"person", "organization", "group"})
VOWELS = "اوي"
MIN_VARIANT_LETTERS = 4


def name_key(name: str | None, kind: str | None) -> str | None:
    """The folded name of a named speaker, words joined by spaces; None for no one in particular: an
    anonymous or unknown source, a body named by its head noun alone (``الشرطة``، ``المحكمة``، ``السلطات``:
    the police of one article are not the police of the next), and one word given as a person's name
    that the lexicon does not know as a name word (``تقارير``: an extraction error, not a person)."""
    if not name or kind not in NAMED_KINDS:
        return None
    words = search_words(name)
    if len(words) == 1:
        if kind == "person" and words[0] not in name_words():
            return None
        if kind != "person" and words[0] in generic_heads():
            return None
    return " ".join(words) or None


def _search_forms(words: Iterable[str]) -> frozenset[str]:
    return frozenset(" ".join(search_words(w)) for w in words)


@cache
def foreign_names() -> frozenset[str]:
    """The lexicon's mined foreign (transliterated) name words, in the store's folding."""
    from worker.lexicon import Lexicon

    return _search_forms(Lexicon.load().FOREIGN_NAMES)


@cache
def name_words() -> frozenset[str]:
    """Words the lexicon mined as parts of persons' names (given, family, foreign, any name word)."""
    from worker.lexicon import Lexicon

    lx = Lexicon.load()
    words = set(lx.GIVEN_NAMES) | set(lx.FAMILY_NAMES) | set(lx.FOREIGN_NAMES) | set(lx.PERSON_NAME_WORDS)
    return _search_forms(w.rstrip("_") for w in words)


@cache
def generic_heads() -> frozenset[str]:
    """Head nouns of bodies and groups (``الشرطة``، ``الحكومة``، ``المحكمة``), which name no one alone."""
    from worker.attribution.speakers import GENERIC_NOUNS
    from worker.lexicon import Lexicon

    lx = Lexicon.load()
    return _search_forms(set(lx.ORG_HEADS) | set(lx.GROUP_HEADS) | set(GENERIC_NOUNS))


def vowel_variants(word: str) -> set[str]:
    """The spellings one long vowel letter away inside ``word`` (added or dropped, never the first or
    last letter, which carry the word's shape)."""
    out = set()
    for i in range(1, len(word) - 1):
        if word[i] in VOWELS:
            out.add(word[:i] + word[i + 1 :])
    for i in range(1, len(word)):
        for v in VOWELS:
            out.add(word[:i] + v + word[i:])
    out.discard(word)
    return {w for w in out if len(w) >= MIN_VARIANT_LETTERS}


def variant_pair(a: str, b: str) -> tuple[str, str] | None:
    """(variant, canonical) when ``a`` and ``b`` are one transliterated name spelt two ways."""
    if min(len(a), len(b)) < MIN_VARIANT_LETTERS or b not in vowel_variants(a):
        return None
    foreign = foreign_names()
    if a not in foreign and b not in foreign:
        return None
    return (a, b) if len(a) < len(b) else (b, a)


def _learn_variants(db: Database, names: list[str]) -> bool:
    """Find variant pairs between the words of ``names`` and the words the store's names already use;
    store the new ones. True when one was learned."""
    words = {w for n in names for w in n.split() if len(w) >= MIN_VARIANT_LETTERS}
    known = dict(db.query("SELECT variant, canonical FROM name_variants"))
    learned = False
    for word in sorted(words):
        candidates = sorted(vowel_variants(word))
        if not candidates or word in known:
            continue
        found: set[str] = set()
        for i in range(0, len(candidates), 400):
            chunk = candidates[i : i + 400]
            marks = ", ".join("?" * len(chunk))
            # A candidate is a word of the store when some name has it as its last word or as a word
            # of a longer name (last_word is indexed; other positions are rare for variants).
            for (w,) in db.query(
                f"SELECT DISTINCT last_word FROM speaker_names WHERE last_word IN ({marks})", chunk
            ):
                found.add(w)
        for other in sorted(found):
            pair = variant_pair(word, other)
            if pair and pair[0] not in known:
                db.execute(
                    "INSERT INTO name_variants (variant, canonical) VALUES (?, ?) "
                    "ON CONFLICT (variant) DO NOTHING",
                    pair,
                )
                known[pair[0]] = pair[1]
                learned = True
    return learned


def canonical_name(key: str, variants: dict[str, str]) -> str:
    return " ".join(variants.get(w, w) for w in key.split())


def _rows(db: Database, sql: str, keys: list[str]) -> list[tuple[Any, ...]]:
    """``sql`` with ``{marks}`` for an IN list, over ``keys`` in chunks."""
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        out += db.query(sql.format(marks=", ".join("?" * len(chunk))), chunk)
    return out


#: When quotes give one name different kinds, the first of these wins (an extractor's slip should not
#: make a person an organisation).
KIND_ORDER = ("person", "organization", "group")


def first_kind(*kinds: str | None) -> str:
    return min((k for k in kinds if k in KIND_ORDER), key=KIND_ORDER.index, default="person")


def refresh_speakers(db: Database, touched: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Bring ``speaker_names`` and ``quotes.speaker_key`` up to date for the names a batch touched
    (``name_key`` -> (a spelling, a kind) seen in the batch). Runs inside the caller's transaction.

    A name's display spelling is the least of the spellings ever seen and its kind the first of
    ``KIND_ORDER`` ever seen: both are the same whatever order the quotes came in. Returns the speaker
    key of each touched name, for the batch's quotes (written after this, with their key); stored
    quotes whose name's key changed are updated here."""
    if not touched:
        return {}
    keys = sorted(touched)
    have = {
        row[0]: row[1:]
        for row in _rows(
            db, "SELECT name_key, name, kind FROM speaker_names WHERE name_key IN ({marks})", keys
        )
    }
    variants_before = dict(db.query("SELECT variant, canonical FROM name_variants"))
    new = [k for k in keys if k not in have]
    updates: list[tuple[str, str, str]] = []
    inserts: list[tuple[Any, ...]] = []
    for key in keys:
        name, kind = touched[key]
        if key in have:
            old_name, old_kind = have[key]
            merged = (min(name, old_name), first_kind(kind, old_kind))
            if merged != (old_name, old_kind):
                updates.append((*merged, key))
            continue
        canon = canonical_name(key, variants_before)
        words = canon.split()
        inserts.append((key, "-".join(words), name, first_kind(kind), canon, words[-1], len(words)))
    db.executemany("UPDATE speaker_names SET name = ?, kind = ? WHERE name_key = ?", updates)
    db.executemany(
        "INSERT INTO speaker_names (name_key, speaker_key, name, kind, canonical, last_word, n_words) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        inserts,
    )
    changed = set(keys)
    if _learn_variants(db, new):
        variants = dict(db.query("SELECT variant, canonical FROM name_variants"))
        learned = set(variants) - set(variants_before)
        affected = [k for (k,) in db.query("SELECT name_key FROM speaker_names") if set(k.split()) & learned]
        for key in affected:
            canon = canonical_name(key, variants)
            db.execute(
                "UPDATE speaker_names SET canonical = ?, last_word = ?, n_words = ? WHERE name_key = ?",
                (canon, canon.split()[-1], len(canon.split()), key),
            )
        changed |= set(affected)
    # Family names alone that these names may resolve (or make ambiguous).
    lasts = sorted(
        {
            w
            for (w,) in _rows(
                db, "SELECT last_word FROM speaker_names WHERE name_key IN ({marks})", sorted(changed)
            )
        }
    )
    singles = {
        k
        for (k,) in _rows(
            db, "SELECT name_key FROM speaker_names WHERE n_words = 1 AND canonical IN ({marks})", lasts
        )
    }
    rows = _rows(
        db,
        "SELECT name_key, canonical, kind, n_words, speaker_key FROM speaker_names "
        "WHERE name_key IN ({marks})",
        sorted(changed | singles),
    )
    renamed: list[tuple[str, str]] = []
    resolved: dict[str, str] = {}
    for key, canon, kind, n_words, old in rows:
        speaker = canon
        if n_words == 1 and kind == "person":
            fulls = db.query(
                "SELECT DISTINCT canonical FROM speaker_names "
                "WHERE last_word = ? AND n_words > 1 AND kind = 'person'",
                (canon,),
            )
            if len(fulls) == 1:
                speaker = fulls[0][0]
        speaker_key = speaker.replace(" ", "-")
        if key in touched:
            resolved[key] = speaker_key
        if speaker_key != old:
            renamed.append((speaker_key, key))
    db.executemany("UPDATE speaker_names SET speaker_key = ? WHERE name_key = ?", renamed)
    db.executemany("UPDATE quotes SET speaker_key = ? WHERE name_key = ?", renamed)
    return resolved
