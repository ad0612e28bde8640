"""A learned tagger of person, organisation and place names (PER / ORG / GPE spans), for short windows.

A linear-chain CRF (python-crfsuite) trained by ``train/name_tagger.py`` on NewsFANE Gold (hand-annotated
Arabic news, CC BY-SA 3.0; see ``worker/data/models/name_tagger/README.md``). Its features are the word's
folded form, its affixes and proclitics, its shape, the punctuation around it, the mined lexicon's
statistics of the word (how often the corpus saw it open, continue or end a name, in a title, in an
organisation's name, after a verb particle; given / family / foreign names, places, nationality
adjectives), a gazetteer mark for the lexicon's full names, and its word class learned from the corpus
(``clusters.tsv``), for the word and its neighbours. The rules call it only on short windows (a speaker
mention, about 4 words), never on a whole article: a call costs about 0.1-0.2 ms.

API (for the rules and the entity model):

- ``NameTagger.load(name="name_tagger", lexicon=None)``: the shipped model by name (one instance per
  process and lexicon; 0.06-0.3 s the first time: the model and its word classes); ``NameTaggerError``
  when the model file is missing or unreadable.
- ``tagger.tag(folds, gaps=None)``: one BIO label per word (``"B-PER"``, ``"I-ORG"``, ``"O"`` …) for
  folded words (``Token.fold``); ``gaps[k]`` is the text before word k and ``gaps[len(folds)]`` the
  text after the last word (the punctuation the tokenizer drops); None: plain spaces.
- ``tagger.spans(tokens, text=None)``: the names in a token window as ``Span(start, end, type)``,
  positions in ``tokens`` (end exclusive); with ``text`` (what the tokens index) the punctuation
  between them is read too.
- ``tagger.name_type(window, start, end, text=None)``: "is ``window[start:end]`` a PER / ORG / GPE
  name?": its type when the tagger, reading the whole window as context, finds exactly that name;
  else None. Give a few words each side as context, never a whole article.
- ``spans_between(tokens, text, lo, hi, lex)``: the spans of ``tokens[lo:hi]`` as positions in the
  article's ``tokens``, or None without a model: how the rules ask about a stretch of an article (an
  unknown subject in ``resolve``, an apposed name in ``entities``, a quoted fragment in ``fragments``).
- ``refine_person_name(lex, folds, title, name, bare)`` and ``refine_body_name(lex, folds, name)``: the
  rules' hooks (``speakers._analysed``), where a person's or a body's name starts and ends.

Types: PER (a person), GRP (a people or group: المسيحيون), ORG, GPE, LOC, FAC, MISC (works, products).
"""

from __future__ import annotations

import itertools
import math
import sys
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from worker.attribution.names import known_name_word, opens_names, unknown_word
from worker.lexicon import Lexicon
from worker.text import NAME_ALI, Token

MODELS_DIR = Path(__file__).resolve().parent.parent / "data" / "models"
TYPES = ("PER", "GRP", "ORG", "GPE", "LOC", "FAC", "MISC")

_PROCLITICS = ("وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")
_OPENERS, _CLOSERS = frozenset("([«“"), frozenset(")]»”")
_GAZ_LONGEST = 5  # words in the longest lexicon name looked up
_OFFSETS = (-2, -1, 1, 2)  # the neighbours a word's features look at
_EDGES = tuple((f"{d}edge",) for d in _OFFSETS)
# Words inside names after which the next word belongs to the name (as ``speakers._NAME_LINKS``, folded)
_NAME_LINKS = frozenset({"ال", "بن", "ابن", "بنت", "ابو", "عبد", "ابي", "دي", "فان", "فون"})


class NameTaggerError(RuntimeError):
    """The model cannot be loaded: a missing or unreadable model file (the message names it)."""


class Span(NamedTuple):
    start: int  # first token, a position in the window
    end: int  # one past the last token
    type: str  # PER, GRP, ORG, GPE, LOC, FAC, MISC


def _bucket(n: int) -> str:
    """A count in a few log-scale bins: 0, 1, 2-3, 4-7, … 64+."""
    return str(min(int(math.log2(n)) + 1, 7)) if n > 0 else "0"


def _share(part: int, whole: int) -> str:
    """A share in five bins, or "n" when the whole is too small to say."""
    if whole < 5:
        return "n"
    return str(min(4, part * 5 // whole))


def _base(lex: Lexicon, fold: str) -> str:
    """The word without a proclitic (و، ف، ب، ل، ك and their pairs) and without the article: بالرئيس
    → رئيس, للحكومة → حكومة, وأحمد → احمد. Only where at least three letters remain, and not for a word
    the corpus knows as it is (فؤاد، كمال)."""
    w = fold
    known = lex.word_use(fold).freq or lex.person_roles(fold).in_names
    for p in () if known else _PROCLITICS:
        if w.startswith(p) and len(w) - len(p) >= 3:
            w = w[len(p) :]
            if p.endswith("ل") and w.startswith("ل") and len(w) >= 4:
                w = "ال" + w[1:]  # للحكومة: ل + الحكومة
            break
    if w.startswith("ال") and len(w) >= 5:
        w = w[2:]
    return w


class WordFeatures:
    """The features of a word by itself and those its neighbours see of it (its form and a few classes,
    prefixed with their offset), kept per folded word: news repeats its words."""

    def __init__(self, lex: Lexicon, clusters: dict[str, tuple[str, str, str]]) -> None:
        self.lex = lex
        self.clusters = clusters
        # 8,192 words (the names and titles of the news of the day), about 2 KB each: at most 15 MB
        self.word = lru_cache(maxsize=1 << 13)(self._word)

    def sequence(self, folds: Sequence[str], gaps: Sequence[str] | None = None) -> list[list[str]]:
        """The feature lists of a word sequence (what the model was trained on)."""
        word = self.word
        n = len(folds)
        own = [word(f) for f in folds]
        gaz = self.gazetteer(folds)
        out: list[list[str]] = []
        for k in range(n):
            feats = list(own[k][0])
            for i, d in enumerate(_OFFSETS):
                j = k + d
                feats += own[j][1][i] if 0 <= j < n else _EDGES[i]
            if gaz[k]:
                feats.append(gaz[k])
            if k > 0:
                feats.append("bi=" + folds[k - 1] + "|" + folds[k])
            if k < n - 1:
                feats.append("bn=" + folds[k] + "|" + folds[k + 1])
            if gaps is not None:
                feats += ["gb_" + g for g in _gap_features(gaps[k])]
                feats += ["ga_" + g for g in _gap_features(gaps[k + 1])]
            out.append(feats)
        return out

    def gazetteer(self, folds: Sequence[str]) -> list[str]:
        """Where the words spell a full name the mined lexicon knows (a person's, ``person_names.tsv``; an
        organisation's, ``org_names.tsv``; a place, ``places.tsv``), longest first: "gB-PER", "gI-ORG" …"""
        lex = self.lex
        out = [""] * len(folds)
        k = 0
        while k < len(folds):
            for n in range(min(_GAZ_LONGEST, len(folds) - k), 0, -1):
                phrase = " ".join(folds[k : k + n])
                kind = (
                    "PER"
                    if n > 1 and phrase in lex.PERSON_NAMES
                    else "ORG"
                    if phrase in lex.ORG_NAMES
                    else "GPE"
                    if phrase in lex.PLACES
                    else ""
                )
                if kind:
                    out[k] = "gB-" + kind
                    for j in range(k + 1, k + n):
                        out[j] = "gI-" + kind
                    k += n
                    break
            else:
                k += 1
        return out

    def _lexical(self, w: str, tag: str) -> list[str]:
        lex = self.lex
        out: list[str] = []
        r = lex.person_roles(w)
        if r.freq or r.in_names:
            out += [
                f"{tag}po={_bucket(r.opens)}",
                f"{tag}pc={_bucket(r.continues)}",
                f"{tag}pe={_bucket(r.ends)}",
                f"{tag}pa={_bucket(r.alone)}",
            ]
        o = lex.org_roles(w)
        if o.in_names:
            out.append(f"{tag}org={_bucket(o.in_names)}")
        use = lex.word_use(w)
        out.append(f"{tag}f={_bucket(use.freq)}")
        if use.freq:
            out.append(f"{tag}ns={_share(r.in_names + o.in_names, use.freq)}")
            if use.after_verb_particle * 50 >= use.freq and use.after_verb_particle >= 3:
                out.append(f"{tag}verb")
        t = lex.TITLE_WORDS.get(w)
        if t is not None:
            out += [f"{tag}ti={_bucket(t.in_titles)}", f"{tag}th={_bucket(t.as_head)}"]
        for name, table in (
            ("given", lex.GIVEN_NAMES),
            ("family", lex.FAMILY_NAMES),
            ("foreign", lex.FOREIGN_NAMES),
            ("place", lex.PLACES),
            ("placew", lex.PLACE_WORDS),
            ("nat", lex.NATIONALITY_ADJECTIVES),
            ("comp", lex.TITLE_COMPLEMENTS),
            ("orghead", lex.ORG_HEADS),
            ("orgnamehead", lex.ORG_NAME_HEADS),
            ("titlehead", lex.TITLE_HEADS),
            ("func", lex.FUNCTION_WORDS),
            ("time", lex.TIME_WORDS),
            ("cue", lex.CUE_FORMS),
        ):
            if w in table:
                out.append(tag + name)
        return out

    def _word(self, fold: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        w = "علي" if fold == NAME_ALI else fold
        base = _base(self.lex, w)
        own = [
            "w=" + w,
            "b=" + base,
            "p2=" + w[:2],
            "p3=" + w[:3],
            "s2=" + w[-2:],
            "s3=" + w[-3:],
            "bp2=" + base[:2],
            "bs2=" + base[-2:],
            "len=" + str(min(len(w), 8)),
        ]
        if w.isdigit():
            own.append("digit")
        elif not w.isalpha():
            own.append("mixed")
        if w != base:
            own.append("pre=" + w[: len(w) - len(base)] if w.endswith(base) else "pre=other")
        own += self._lexical(w, "")
        if base != w:
            own += self._lexical(base, "b")
            # the word without its conjunction or preposition, article kept (والصربية → الصربية)
            stem = w[len(w) - len(base) - 2 :] if w[len(w) - len(base) - 2 : -len(base)] == "ال" else base
            if stem != base:
                own += self._lexical(stem, "s")
        cl = self.clusters.get(w) or self.clusters.get(base)
        if cl is not None:
            own += ["k=" + cl[0], "c=" + cl[1], "C=" + cl[2]]
        else:
            own.append("c=none")
        # what a neighbour sees of this word: a few classes, not the whole bag
        cls = [
            f
            for f in own
            if f.startswith(("pe=", "po=", "ti=", "f=", "ns=", "given", "family", "place", "c=", "C="))
        ]
        cls += [f for f in own if f in ("verb", "func", "cue", "orghead", "titlehead", "nat", "digit")]
        cls.append("al" if w.startswith("ال") else "nal")
        # … as the word 2 before, 1 before, 1 after and 2 after the one tagged: built once per word
        seen = tuple(
            tuple(
                map(
                    sys.intern,
                    (
                        f"{d}w=" + fold,
                        *((f"{d}s2=" + fold[-2:],) if d in (-1, 1) else ()),
                        *(f"{d}{c}" for c in cls),
                    ),
                )
            )
            for d in _OFFSETS
        )
        # interned: most features (f=7، -1ns=0) are shared by thousands of words
        return tuple(map(sys.intern, own)), seen


def _gap_features(gap: str) -> list[str]:
    """The punctuation between two words, as features (none for a plain space)."""
    g = gap.strip()
    if not g:
        return []
    out = []
    if any(c in "،,؛;" for c in g):
        out.append("comma")
    if any(c in ".!?؟:" for c in g):
        out.append("stop")
    if any(c in "\"'«»“”" for c in g):
        out.append("quote")
    if any(c in _OPENERS or c in _CLOSERS for c in g):
        out.append("paren")
    if "-" in g or "–" in g:
        out.append("dash")
    return out or ["punct"]


class NameTagger:
    """A loaded name-tagging model (``pycrfsuite.Tagger``) and the feature extraction it was trained
    with. Tagging is thread-safe (one lock: the crfsuite tagger keeps state between calls)."""

    def __init__(self, path: Path, lexicon: Lexicon | None = None) -> None:
        try:
            import pycrfsuite
        except ImportError as e:  # pragma: no cover - a declared dependency
            raise NameTaggerError("the name tagger needs python-crfsuite: pip install python-crfsuite") from e
        if not path.is_file():
            raise NameTaggerError(f"name tagger model not found: {path} (build it with train/name_tagger.py)")
        self.path = path
        self.features = WordFeatures(lexicon if lexicon is not None else Lexicon.load(), read_clusters())
        self._tagger = pycrfsuite.Tagger()
        try:
            self._tagger.open(str(path))
        except Exception as e:  # crfsuite raises a bare ValueError/OSError on a bad file
            raise NameTaggerError(f"cannot read the name tagger model {path}: {e}") from e
        self._lock = threading.Lock()

    @classmethod
    def load(cls, name: str = "name_tagger", lexicon: Lexicon | None = None) -> NameTagger:
        """The model ``worker/data/models/<name>/model.crfsuite`` of the package, read once per process
        and lexicon."""
        return _load(name, lexicon if lexicon is not None else Lexicon.load())

    def sequence_features(self, folds: Sequence[str], gaps: Sequence[str] | None = None) -> list[list[str]]:
        """The feature lists of a word sequence (what the model was trained on)."""
        return self.features.sequence(folds, gaps)

    def tag(self, folds: Sequence[str], gaps: Sequence[str] | None = None) -> list[str]:
        """One BIO label per folded word."""
        if not folds:
            return []
        xseq = self.sequence_features(folds, gaps)
        with self._lock:
            return list(self._tagger.tag(xseq))

    def spans(self, tokens: Sequence[Token], text: str | None = None) -> list[Span]:
        """The names in a token window, as positions in it."""
        gaps = _gaps(text, tokens) if text is not None else None
        return bio_spans(self.tag([t.fold for t in tokens], gaps))

    def name_type(self, window: Sequence[Token], start: int, end: int, text: str | None = None) -> str | None:
        """The coarse type (PER, ORG, GPE …) of the name that ``window[start:end]`` is, tagged with the
        rest of the window as its context; None when the tagger finds no name there that starts at
        ``start`` and ends at ``end`` exactly (part of a longer name, two names, or none)."""
        for s in self.spans(window, text):
            if s.start == start and s.end == end:
                return s.type
        return None


def spans_between(tokens: Sequence[Token], text: str, lo: int, hi: int, lex: Lexicon) -> list[Span] | None:
    """The names the shipped tagger finds in ``tokens[lo:hi]`` (a window of an article, read with its
    punctuation), as positions in ``tokens`` itself; None without a model, where the rules answer alone.
    The one way the attribution rules ask the tagger about a stretch of an article."""
    try:
        tagger = NameTagger.load(lexicon=lex)
    except NameTaggerError:
        return None
    lo, hi = max(0, lo), min(len(tokens), hi)
    return [Span(s.start + lo, s.end + lo, s.type) for s in tagger.spans(tokens[lo:hi], text)]


def bio_spans(labels: Sequence[str]) -> list[Span]:
    """The spans of a BIO label sequence (an I- that follows nothing of its type opens a span)."""
    out: list[Span] = []
    start, kind = -1, ""
    for k, lab in enumerate([*labels, "O"]):
        if lab.startswith("I-") and start >= 0 and lab[2:] == kind:
            continue
        if start >= 0:
            out.append(Span(start, k, kind))
            start = -1
        if lab != "O":
            start, kind = k, lab[2:]
    return out


def _gaps(text: str, tokens: Sequence[Token]) -> list[str]:
    """The text between consecutive tokens (and a little before the first and after the last)."""
    if not tokens:
        return [""]
    out = [text[max(0, tokens[0].start - 3) : tokens[0].start]]
    out += [text[a.end : b.start] for a, b in itertools.pairwise(tokens)]
    out.append(text[tokens[-1].end : tokens[-1].end + 3])
    return out


def model_path(name: str = "name_tagger") -> Path:
    """Where the packaged model ``name`` lies (it may be missing)."""
    return MODELS_DIR / name / "model.crfsuite"


def clusters_path(name: str = "name_tagger") -> Path:
    """The word classes the model ``name`` was trained with (``train/name_tagger.py --clusters``)."""
    return MODELS_DIR / name / "clusters.tsv"


@lru_cache(maxsize=4)
def read_clusters(name: str = "name_tagger") -> dict[str, tuple[str, str, str]]:
    """word -> (class of 1024, of 256, of 32); empty when the file is missing (a model trained without)."""
    path = clusters_path(name)
    if not path.is_file():
        return {}
    out: dict[str, tuple[str, str, str]] = {}
    shared: dict[tuple[str, str, str], tuple[str, str, str]] = {}  # one tuple per class triple: less memory
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            w, finest, fine, coarse = line.rstrip("\n").split("\t")
            key = (finest, fine, coarse)
            out[w] = shared.setdefault(key, key)
    return out


@lru_cache(maxsize=4)
def _load(name: str, lexicon: Lexicon) -> NameTagger:
    return NameTagger(model_path(name), lexicon)


def refine_person_name(
    lex: Lexicon,
    folds: Sequence[str],
    title: tuple[int, ...],
    name: tuple[int, ...],
    bare: frozenset[int] | tuple[int, ...] = (),
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where the rules' person name in a mention (positions in ``folds``: the title's, the name's)
    starts or ends on a word the corpus hardly ever sees in names, or stops short of the mention's end
    before a word that may continue it, the tagger's PER span decides (issue 16, kind 3):

    - a name that runs on into words the tagger leaves out of every name ends before them
      (``X آنذاك``، ``X وكالة``);
    - a name that starts on such a word starts at the tagger's name (``[المخرجة] لبكي``), the words
      before it going to the title, where the last of them is definite or a word for speech (not
      after a construct head: ``زوجة X`` is X's wife);
    - a name the rules stopped before a word that the tagger continues it with takes it
      (``محمد جمال [الدين مظلوم]``، a family name that is also a common word, ``أحمد [الطبيب]``).

    The tagger is asked only in those cases, so most mentions cost nothing. Returns the new positions
    (the same tuples where nothing changes)."""
    if not name or name != tuple(range(name[0], name[-1] + 1)):
        return title, name
    start, end = name[0], name[-1] + 1
    # a word moved to the title must be no name word (تركي), no hamza-initial word (ألان: ``bare``), and
    # end a definite title or be a word for speech (كلام): after an indefinite construct head the name is
    # someone else's relative or friend (زوجة X، صديق X), not the speaker
    doubt_start = (
        end - start >= 2
        and start not in bare
        and _seldom_named(lex, folds[start])
        and lex.person_roles(folds[start]).in_names < 3
        and any(_title_end(lex, f) for f in folds[start : end - 1])
    )
    # (a word written with a hamza is not the common word its folded form spells: مك [ألفين] ≠ الفين)
    doubt_end = (
        end - start >= 2
        and end - 1 not in bare
        and _mostly_unnamed(lex, folds[end - 1])
        and any(_name_like(lex, f) for f in folds[start : end - 1])  # else the tagger finds no name to end
    )
    # after a given name alone, a definite title word may be the family name (أحمد الطبيب، سامي الخطيب)
    lone_given = end - start == 1 and opens_names(lex, folds[start])
    may_continue = (
        end < len(folds)
        and _continues(lex, folds[end], lone_given)
        and (folds[end].startswith("ال") or _name_like(lex, folds[end]))  # a family name or another part
    )
    # a name of words the corpus seldom sees in names, with name words after it (القيادي بحزب X محمد
    # عبو): the rules took an office for the name, and the person it names may come later
    misplaced = (
        end < len(folds)
        and not _names_relation(lex, folds[0])
        and not any(_name_like(lex, f) for f in folds[start:end])
        and any(_name_like(lex, f) for f in folds[end:])
    )
    if not (doubt_start or doubt_end or may_continue or misplaced):
        return title, name
    try:
        tagger = NameTagger.load(lexicon=lex)
    except NameTaggerError:
        return title, name  # no model shipped: the rules alone
    labels = tagger.tag(folds)
    spans = [s for s in bio_spans(labels) if s.type == "PER"]
    inside = [s for s in spans if s.start < end and start < s.end]
    later = [s for s in spans if s.start >= end]
    if misplaced and not inside and len(later) == 1 and later[0].end - later[0].start >= 2:
        s = later[0]  # the words before the tagger's name, the rules' "name" among them, are its title
        # a word names mostly do without ends it (… محمد عبو [ضيف] برنامج X), unless names use it often
        # too (حسن نصر الله)
        last = next((k for k in range(s.start + 2, s.end) if _ends_tagged_name(lex, folds[k])), s.end)
        return tuple(range(s.start)), tuple(range(s.start, last))
    if len(inside) != 1:
        return title, name
    s = inside[0]
    new_start, new_end = start, end
    if (
        doubt_start
        and s.start > start
        and all(lab == "O" for lab in labels[start : s.start])
        and _title_end(lex, folds[s.start - 1])
    ):
        new_start = s.start
    if (
        doubt_end
        and s.end < end
        and folds[s.end - 1] not in _NAME_LINKS  # محمد آل [خليفة]: a link never ends a name
        and all(lab == "O" for lab in labels[s.end : end])
    ):
        new_end = s.end
    if may_continue and s.end > end and s.start <= end - 1:
        new_end = s.end
        for k in range(end, s.end):
            # (a frequent indefinite word names hardly use is the next phrase: X Y [اتهامات]; a definite
            # one may be a family name: أحمد [الطبيب])
            if not _continues(lex, folds[k], lone_given and k == end) or (
                folds[k][:2] != "ال" and _seldom_named(lex, folds[k])
            ):
                new_end = k
                break
    if (new_start, new_end) == (start, end) or new_end - new_start < 1:
        return title, name
    if new_start > start:
        title = tuple(sorted({*title, *range(start, new_start)}))
    title = tuple(k for k in title if not new_start <= k < new_end)
    return title, tuple(range(new_start, new_end))


def _ends_tagged_name(lex: Lexicon, fold: str) -> bool:
    """A word after which a name the tagger ran on stops: used mostly outside names, and in names fewer
    than 20 times in the corpus (الله and الدين, common words that many names hold, go on)."""
    return _mostly_unnamed(lex, fold) and lex.person_roles(fold).in_names < 20


def _names_relation(lex: Lexicon, fold: str) -> bool:
    """An indefinite noun in construct that is no title (عائلة X، أسرة X): the mention names somebody
    by their relation to the person named in it, not that person."""
    return not fold.startswith("ال") and fold.endswith("ة") and not lex.is_title(fold)


def _seldom_named(lex: Lexicon, fold: str) -> bool:
    """A frequent word that names hardly ever use (كلام، آنذاك، وكالة): seen 50 times, in names under
    once in 20 uses (as ``names.seldom_named``)."""
    freq = lex.word_use(fold).freq
    return freq >= 50 and lex.person_roles(fold).in_names * 20 < freq


def _name_like(lex: Lexicon, fold: str) -> bool:
    """A name word of the mined names that is no frequent word names hardly use, or a word the corpus
    does not know (a rare or foreign name)."""
    return known_name_word(lex, fold) or unknown_word(lex, fold)


def _title_end(lex: Lexicon, fold: str) -> bool:
    """A word that can end what stands before a name: a definite word (المخرجة، القدم) or a word for
    speech (كلمة، تصريحات: ``speech_event_stems.txt``)."""
    return fold.startswith("ال") or fold.startswith(lex.SPEECH_EVENT_STEMS)


def _mostly_unnamed(lex: Lexicon, fold: str) -> bool:
    """A frequent word that the corpus uses outside names at least four times as often as in them
    (آنذاك: the miner read ``X آنذاك`` as a name 65 times in 426 uses): a name's last word only if
    the tagger says so."""
    freq = lex.word_use(fold).freq
    return freq >= 50 and lex.person_roles(fold).in_names * 5 < freq


def _continues(lex: Lexicon, fold: str, after_given: bool = False) -> bool:
    """A word that could go on a name: no function, time, cue, title-head, organisation-head or place
    word, and no conjunction-prefixed word (وشيراك is another person). Right after a given name alone
    (``after_given``) a definite title head may: the family name الطبيب، الخطيب."""
    return not (
        fold in lex.FUNCTION_WORDS
        or fold in lex.TIME_WORDS
        or fold in lex.CUE_FORMS
        or (fold in lex.TITLE_HEADS and not (after_given and fold.startswith("ال")))
        or fold in lex.ORG_HEADS
        or fold in lex.PLACE_WORDS
        or fold[:1] == "و"
        or not fold.isalpha()
    )


def refine_body_name(lex: Lexicon, folds: Sequence[str], name: tuple[int, ...]) -> tuple[int, ...]:
    """An organisation's mention that runs on past the body's name into the next phrase (``الخارجية
    المصرية [الرفض الكامل …]``، ``شركة X [بعنوان]``): where a later word is a frequent word that
    names of people and bodies hardly use, and the tagger's ORG / GPE name from the mention's first
    word ends before it with nothing but unnamed words between, the mention ends with that name."""
    if len(name) < 2 or name != tuple(range(name[0], name[-1] + 1)) or name[0] != 0:
        return name
    doubt = next((k for k in name[1:] if _outside_bodies(lex, folds[k])), None)
    if doubt is None:
        return name
    try:
        tagger = NameTagger.load(lexicon=lex)
    except NameTaggerError:
        return name
    labels = tagger.tag(folds[: name[-1] + 1])
    spans = bio_spans(labels)
    if not spans or spans[0].start != 0 or spans[0].type not in ("ORG", "GPE") or spans[0].end > doubt:
        return name
    if any(lab != "O" for lab in labels[spans[0].end : doubt + 1]):
        return name
    return tuple(range(spans[0].end))


def _outside_bodies(lex: Lexicon, fold: str) -> bool:
    """A frequent word that names of people and bodies use in under one use in 5 and that no body's name
    is made of (no organisation head, title complement, nationality or place word), nor a function word
    or a word with و، ب or ل: a body's name goes on over those (وزارة الصحة في غزة، وكالة غوث وتشغيل …)."""
    freq = lex.word_use(fold).freq
    return (
        freq >= 50
        and (lex.person_roles(fold).in_names + lex.org_roles(fold).in_names) * 5 < freq
        and fold[:1] not in ("و", "ب", "ل")  # a coordinated or prepositional complement (في غزة، وتشغيل)
        and fold not in lex.FUNCTION_WORDS
        and fold not in lex.ORG_HEADS
        and fold not in lex.TITLE_COMPLEMENTS
        and fold not in lex.PLACE_WORDS
        and fold not in lex.TITLE_WORDS
    )
