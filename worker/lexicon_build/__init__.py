"""The lexicon builder: a lexicon folder (``worker/lexicon.py`` reads it) from an archive of articles.

``build(texts, out)`` copies the base lists (hand-edited word lists, ``worker/data/lexicon`` or another
lexicon folder) and adds the statistics mined from the texts (``mine.py``). The output is deterministic:
the same articles in the same order give the same bytes (sorted rows, no timestamps). It holds single
words and short names with counts, never sentences: a phrase is listed only when it is seen in several
articles. ``quote-worker lexicon build`` is its command line; docs/extraction.md ("Data resources")
says what each file decides.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from worker.lexicon import DEFAULT_DIR, MINED_FILES, Lexicon
from worker.lexicon_build import cues, mine, tags
from worker.lexicon_build.mine import Resources, Roles


@dataclass(frozen=True)
class BuildSummary:
    out: Path
    articles: int
    tokens: int
    seconds: float
    entries: dict[str, int]  # mined file -> rows


def _row(*fields: object) -> str:
    return "\t".join(str(f) for f in fields)


def _write(path: Path, header: str, rows: list[str]) -> int:
    lines = [f"# {h}" for h in header.strip().splitlines()]
    path.write_text("\n".join([*lines, *rows]) + "\n", encoding="utf-8")
    return len(rows)


def _roles(table: dict[str, Roles], freq: dict[str, int]) -> list[str]:
    order = sorted(table.items(), key=lambda kv: (-kv[1].total, kv[0]))
    return [_row(w, r.opens, r.continues, r.ends, r.alone, freq.get(w, 0)) for w, r in order]


def _by(table: Mapping[str, tuple[Any, ...]], column: int = 0) -> list[str]:
    """Rows of ``table`` (the key, then its fields), the largest ``column`` first, ties by key."""
    return [_row(k, *v) for k, v in sorted(table.items(), key=lambda kv: (-kv[1][column], kv[0]))]


_ROLES = (
    "word <TAB> opens <TAB> continues <TAB> ends (a name of two words or more) <TAB> alone\n"
    "<TAB> corpus frequency"
)
_FOLDED = "Words are folded (worker.text.fold); علي_ is the name علي, kept apart from the preposition على."
_INFO = "What the mined files were built from, and the thresholds used.\nkey <TAB> value"


def _by_evidence(kv: tuple[str, cues.LearnedCue]) -> tuple[str, int, str]:
    return kv[1].use, -kv[1].evidence, kv[0]


def write_resources(res: Resources, out: Path) -> dict[str, int]:
    """The mined files of ``res`` in folder ``out``: file name -> rows written."""
    f = res.freq
    title_words = {w: (h, n, f.get(w, 0)) for w, (h, n) in res.title_words.items()}
    files = {
        "person_name_words.tsv": (
            "How often each word opens, continues or ends a person's name, or is one alone, in speaker\n"
            f"phrases and titled noun phrases (mined).\n{_ROLES}\n{_FOLDED}",
            _roles(res.person_words, f),
        ),
        "given_names.tsv": (
            "Given names (mined): words that open at least 60% of the multi-word names they are in, or\n"
            "that stand before a mined family name in at least 30% of all their uses.\n"
            "word <TAB> opens <TAB> before a family name <TAB> occurrences in names",
            _by(res.given_names()),
        ),
        "family_names.tsv": (
            "Family names (mined): words that end at least 60% of the multi-word names they are in, or\n"
            "that follow a mined given name in at least 30% of all their uses. Short mentions: later uses\n"
            "alone in an article that gave the full name.\n"
            "word <TAB> ends <TAB> short mentions <TAB> after a given name <TAB> occurrences in names",
            _by(res.family_names()),
        ),
        "foreign_names.tsv": (
            "Transliterated foreign names: name words that titles with a foreign nationality introduce\n"
            "(الوزير الفرنسي …) at least 4 times as often as titles with an Arab one (mined).\n"
            "word <TAB> under foreign titles <TAB> under Arab titles",
            _by(res.foreign_names()),
        ),
        "person_names.tsv": (
            "Full names (two words or more), seen in at least 3 articles (mined).\n"
            "name <TAB> occurrences <TAB> articles",
            _by(res.person_names),
        ),
        "title_words.tsv": (
            "Words of the title part of phrases that name a person (mined).\n"
            "word <TAB> as the title's first word <TAB> anywhere in a title <TAB> corpus frequency",
            _by(title_words, 1),
        ),
        "title_phrases.tsv": (
            "Whole titles before a name (وزير الخارجية الروسي), seen in at least 3 articles (mined).\n"
            "title <TAB> occurrences <TAB> articles",
            _by(res.title_phrases),
        ),
        "org_name_words.tsv": (
            "How often each word opens, continues or ends an organisation's name, or is one alone\n"
            f"(mined).\n{_ROLES}",
            _roles(res.org_words, f),
        ),
        "org_name_heads.tsv": (
            "First words of organisation names after باسم and صادر عن (mined; no base list involved).\n"
            "head <TAB> occurrences <TAB> articles",
            _by(res.org_heads),
        ),
        "org_names.tsv": (
            "Organisation names (وزارة الخارجية الروسية), seen in at least 3 articles (mined).\n"
            "name <TAB> occurrences <TAB> articles",
            _by(res.org_names),
        ),
        "nationality_adjectives.tsv": (
            "Nisba adjectives after a title or organisation head whose country a place context names\n"
            "(mined).\nadjective (masc., no article) <TAB> place <TAB> uses in titles and names\n"
            "<TAB> place evidence",
            _by(res.nationality_adjectives, 1),
        ),
        "common_words.tsv": (
            f"Every word seen at least {mine.COMMON_MIN_FREQ} times in the corpus (mined), "
            "and how often one of\n"
            "the verb particles of mining_contexts.tsv (قد، لم، لن، سوف) stands right before it: a\n"
            "frequent word that names hardly use is a common word, one that follows verb particles a verb.\n"
            "word <TAB> corpus frequency <TAB> uses after a verb particle",
            _by(res.common_words()),
        ),
        "plural_subjects.tsv": (
            f"Words seen at least {mine.PLURAL_SUBJECT_MIN} times right before a verb of the plural's shape\n"
            "(الخبراء قالوا، العرب يقولون; mined): a word seldom before a feminine verb that often comes\n"
            "before a plural one names people, a broken plural included.\n"
            "word <TAB> before a plural verb <TAB> before a feminine past verb <TAB> corpus frequency",
            _by(res.plural_subjects()),
        ),
        "learned_cues.tsv": (
            "Cue verbs learned from the corpus (worker/lexicon_build/cues.py): third-person verb forms\n"
            f"the base lists lack, seen at least {cues.CUE_MIN_USES} times, with و / ف in "
            f"{mine.VERB_SHARE:.0%} of their uses.\n"
            f"clause: opens a finite content clause (أنه، بأن، أن ال…) in {cues.CLAUSE_SHARE:.0%} of its "
            f"uses, a person or body\nright after it in {cues.AGENT_SHARE:.0%} of those "
            f"(at least {cues.AGENT_MIN}).\n"
            f"fragment: ب with a quotation after it follows it at least {cues.FRAGMENT_MIN} times and in "
            f"{cues.FRAGMENT_SHARE:.0%} of its uses,\na person or body right after it in "
            f"{cues.FRAGMENT_AGENT_SHARE:.0%} of those.\n"
            "form <TAB> use (clause, fragment) <TAB> gender (m, f) <TAB> number (sg, pl) <TAB> uses\n"
            "<TAB> uses that way <TAB> of those with a person or body right after it",
            [
                _row(w, c.use, "f" if c.feminine else "m", "pl" if c.plural else "sg", *c[3:])
                for w, c in sorted(res.learned_cues.items(), key=_by_evidence)
            ],
        ),
        "colon_tags.tsv": (
            "Tags before a colon (worker/lexicon_build/tags.py): labels of one or two words that open lines\n"
            f"as LABEL: in at least {tags.TAG_MIN_ARTICLES} articles, no word of which is seen more than "
            f"{tags.TAG_NAME_USES} times in mined names\n"
            "nor is a title, organisation, unnamed-source or document head, a place or a cue form.\n"
            "label <TAB> articles",
            [_row(w, n) for w, n in sorted(res.colon_tags.items(), key=lambda kv: (-kv[1], kv[0]))],
        ),
    }
    assert set(files) | {"build_info.tsv"} == set(MINED_FILES), "MINED_FILES and the writer disagree"
    written = {name: _write(out / name, header, rows) for name, (header, rows) in files.items()}
    info = [
        _row("articles", res.articles),
        _row("tokens", res.tokens),
        _row("speaker_phrases", res.speaker_phrases),
        *(_row(k.lower(), getattr(mine, k)) for k in _THRESHOLDS),
        *(_row("cue_" + k.lower(), getattr(cues, k)) for k in _CUE_THRESHOLDS),
        *(_row(k.lower(), getattr(tags, k)) for k in _TAG_THRESHOLDS),
    ]
    _write(out / "build_info.tsv", _INFO, info)
    return written


_THRESHOLDS = (
    "MAX_PHRASE",
    "MAX_NAME",
    "MAX_ORG",
    "MIN_COUNT",
    "MIN_ARTICLES",
    "MIN_PHRASE_ARTICLES",
    "ROLE_SHARE",
    "FOREIGN_SHARE",
    "ARTICLE_SHARE",
    "ARTICLE_MIN_FREQ",
    "VERB_SHARE",
    "CONSTRUCT_SHARE",
    "TITLE_OVER_NAME",
    "PAIR_SHARE",
    "PAIR_MIN_COUNT",
    "SEED_MIN_COUNT",
    "SEED_SHARE",
    "COMMON_MIN_FREQ",
    "PLURAL_SUBJECT_MIN",
)


_CUE_THRESHOLDS = (
    "CUE_MIN_USES",
    "CLAUSE_SHARE",
    "AGENT_MIN",
    "AGENT_SHARE",
    "WINDOW",
    "FRAGMENT_MIN",
    "FRAGMENT_SHARE",
    "FRAGMENT_AGENT_SHARE",
)
_TAG_THRESHOLDS = ("TAG_MIN_ARTICLES", "TAG_NAME_USES")


def copy_base(base: Path, out: Path) -> None:
    """The hand-edited lists of lexicon folder ``base`` (not its mined files) into ``out``."""
    if base.resolve() == out.resolve():
        return
    for path in sorted(base.iterdir()):
        if path.is_file() and path.name not in MINED_FILES and path.suffix in (".txt", ".tsv", ".md"):
            shutil.copyfile(path, out / path.name)


def build(texts: Iterable[str], out: Path, base: Path = DEFAULT_DIR) -> BuildSummary:
    """Mine ``texts`` with the base lists of ``base`` and write a full lexicon folder to ``out``."""
    started = time.perf_counter()
    lexicon = Lexicon(base, mined=False)  # uncached: a base folder being edited is read as it is now
    res = mine.mine(texts, lexicon)
    out.mkdir(parents=True, exist_ok=True)
    copy_base(base, out)
    entries = write_resources(res, out)
    Lexicon(out)  # what was written loads
    return BuildSummary(out, res.articles, res.tokens, time.perf_counter() - started, entries)
