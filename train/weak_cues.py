"""Cue verbs that are mostly another word: how often each cue verb of the lexicon opens reported content
right after it, mined without labels from the unlabeled corpus; writes
``worker/attribution/data/weak_cues.tsv``.

A use of a cue verb (any inflected form the lexicon reads) opens content when a complementizer, a colon
or a quotation mark comes within the next ``WINDOW`` words (the verb, a subject of up to four words, a
preposition such as إلى / على, then أن) with no comma or sentence end before it. Verbs that do so in under
one use in ``1 / SHARE`` are mostly another word or a verb of a plain object (زاد "exceeded", واصل
"continued", أعاد "returned", قدر "amount", تبلغ "reaches", ردا "in response"): counted per written form,
since one form of a verb may be another word where the others are not (أبلغ "informed" / تبلغ
"reaches"). The rules take these forms as cues only
when the content opens that close (``speech.close_opener``). The counts are written beside each verb.

    python train/weak_cues.py [--corpus ../shared/corpus/ant2-unlabeled.jsonl.gz] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # shared_data: where ../shared is

from shared_data import CORPUS

from worker.attribution.content import OBJECT_RELATIVES
from worker.lexicon import DEFAULT, Lexicon
from worker.lexicon_build.sources import read_file
from worker.text import tokenize

WINDOW = 6  # words after the verb within which its content opens
SHARE = 0.2  # a verb is weak when under this share of its uses opens content there
MIN_USES = 50  # fewer uses say nothing
OUT = Path(__file__).resolve().parents[1] / "worker" / "attribution" / "data" / "weak_cues.tsv"
_OPENING_MARKS = ':"«“'
_ENDS = "،,.!?؟\n"


def opener_shares(texts: Iterable[str], lex: Lexicon) -> tuple[Counter[str], Counter[str]]:
    """Per cue verb form (folded, clitics attached): its uses, and the uses whose content opens within
    ``WINDOW`` words. A use right after the relative ما (``data/object_relatives.txt``) is not counted."""
    uses: Counter[str] = Counter()
    opening: Counter[str] = Counter()
    for text in texts:
        tokens = tokenize(text)
        for i, tok in enumerate(tokens):
            cue = lex.CUE_FORMS.get(tok.fold)
            if cue is None or cue.kind != "verb" or (i and tokens[i - 1].fold in OBJECT_RELATIVES):
                continue  # ما قاله X: ما is the object, no content follows by construction
            uses[tok.fold] += 1
            for k in range(i + 1, min(len(tokens), i + 1 + WINDOW)):
                gap = text[tokens[k - 1].end : tokens[k].start]
                if any(c in gap for c in _OPENING_MARKS) or (
                    tokens[k].fold in lex.COMPLEMENTIZERS and not any(c in gap for c in _ENDS)
                ):
                    opening[tok.fold] += 1
                    break
                if any(c in gap for c in _ENDS):
                    break
    return uses, opening


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    uses, opening = opener_shares(read_file(args.corpus), DEFAULT)
    weak = sorted(
        (lemma for lemma, n in uses.items() if n >= MIN_USES and opening[lemma] < SHARE * n),
        key=lambda lemma: (opening[lemma] / uses[lemma], lemma),
    )
    lines = [
        "# Forms of cue verbs (folded) that open reported content within "
        f"{WINDOW} words in under {SHARE:.0%} of their uses (at least {MIN_USES} uses):",
        f"# mined from {args.corpus.name} by train/weak_cues.py; never edited by hand.",
        "# form <TAB> uses <TAB> uses with content opening within the window",
        *(f"{lemma}\t{uses[lemma]}\t{opening[lemma]}" for lemma in weak),
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(weak)} weak cue verbs written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
