"""Train the name tagger (``worker/attribution/name_tagger.py``) on NewsFANE Gold and report its figures.

    python train/name_tagger.py [--conll ../shared/ner/newsfane-gold.conll] [--cv] [--no-save]

The corpus is clitic-segmented (``و قال``، ``حكومت ها``); the worker's tokens are not (``وقال``،
``حكومتها``), so proclitic tokens (و، ف، ب، ل، ك، ال) are joined to the next word and pronoun suffixes
to the one before, the sentence is written out as text and tokenized by ``worker.text.tokenize``
exactly as an article is, and the punctuation between the words becomes the gap features. The fine
classes fold into coarse types as the corpus README says, except that its ``Group`` class (peoples,
followers: المسيحيين) is kept apart as GRP from persons (PER): a speaker's name is a person's.

Split: sentences in blocks of 20 (about one news story each; the corpus keeps its stories in order),
every tenth block held out (blocks 9, 19, …); ``--cv`` adds 5-fold cross-validation by block. Figures
are entity-level, exact span and type. Training is deterministic (L-BFGS, fixed parameters, data in
file order). The shipped model is the one trained on the nine tenths, so the held-out figures are its
own.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from worker.attribution.name_tagger import (  # noqa: E402
    WordFeatures,
    bio_spans,
    clusters_path,
    model_path,
    read_clusters,
)
from worker.lexicon import Lexicon  # noqa: E402
from worker.text import WORD, tokenize  # noqa: E402

COARSE = {
    "PER": "Politician Athlete Artist Other_PER Religious_PER Scientist Police Businessperson Lawyer "
    "Engineer",
    "GRP": "Group",
    "ORG": "Non-Governmental Sports Government Media Commercial Educational Medical-Science Entertainment "
    "Religious_ORG",
    "GPE": "Nation Population-Center State-or-Province GPE-Cluster Continent County-or-District",
    "LOC": "Water-Body Land-Region-Natural Celestial",
    "FAC": "Building-Grounds Path Airport Subarea-Facility",
    "MISC": "Book Movie Software Hardware Food Drug Plant Air Land Water Projectile Shooting",
}
FINE_TO_COARSE = {fine: coarse for coarse, fines in COARSE.items() for fine in fines.split()}
PROCLITIC_TOKENS = frozenset({"و", "ف", "ب", "ل", "ك", "ال", "لل", "وب", "ول", "فب", "فل"})
ENCLITIC_TOKENS = frozenset({"ه", "ها", "هم", "هما", "هن", "نا", "كم", "كما", "كن", "ي"})
PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
BLOCK = 20
CORPUS_NAME = "ant2-unlabeled.jsonl.gz"
MIN_CLUSTER_FREQ, MAX_CLUSTER_VOCAB, N_CONTEXTS, CLUSTER_DIMS = 5, 60000, 1000, 100


def build_clusters(corpus: Path, out: Path) -> None:
    """Word classes from the unlabeled corpus, for words the lexicon has no statistics of (most foreign
    names): each frequent word's left and right neighbours among the 1,000 most frequent words, as
    positive PMI, reduced to 100 dimensions (eigenvectors of the context Gram matrix), then k-means
    (cosine) into 1,024, 256 and 32 classes (Lloyd's algorithm, fixed seed: deterministic). Words that
    stand where names stand (after الرئيس، before قال) fall into the same classes, whatever their letters.
    """
    import gzip

    import numpy as np

    counts: Counter[str] = Counter()
    docs = []
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            words = [t.fold for t in tokenize(json.loads(line)["text"])]
            counts.update(words)
            docs.append(words)
    vocab = [w for w, c in counts.most_common() if c >= MIN_CLUSTER_FREQ][:MAX_CLUSTER_VOCAB]
    contexts = [w for w, _ in counts.most_common(N_CONTEXTS)]
    index = {w: k for k, w in enumerate(vocab)}
    cindex = {w: k for k, w in enumerate(contexts)}
    m = np.zeros((len(vocab), 2 * N_CONTEXTS), dtype=np.float32)
    for words in docs:
        ids = [index.get(w, -1) for w in words]
        cids = [cindex.get(w, -1) for w in words]
        for k in range(1, len(words) - 1):
            i = ids[k]
            if i < 0:
                continue
            if cids[k - 1] >= 0:
                m[i, cids[k - 1]] += 1
            if cids[k + 1] >= 0:
                m[i, N_CONTEXTS + cids[k + 1]] += 1
    del docs
    total = m.sum()
    pmi = np.log(np.maximum(m * total, 1e-9) / np.outer(m.sum(1) + 1e-9, m.sum(0) + 1e-9))
    ppmi = np.where(m > 0, np.maximum(pmi, 0), 0).astype(np.float32)
    ppmi /= np.linalg.norm(ppmi, axis=1, keepdims=True) + 1e-9
    _vals, vecs = np.linalg.eigh(ppmi.T @ ppmi)
    emb = ppmi @ vecs[:, -CLUSTER_DIMS:]
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9

    def kmeans(x: np.ndarray, k: int) -> np.ndarray:
        rng = np.random.default_rng(11)
        centres = x[rng.choice(len(x), k, replace=False)]
        for _ in range(25):
            assign = np.argmax(x @ centres.T, axis=1)
            sums = np.zeros_like(centres)
            np.add.at(sums, assign, x)
            used = np.bincount(assign, minlength=k) > 0
            centres[used] = sums[used] / (np.linalg.norm(sums[used], axis=1, keepdims=True) + 1e-9)
        return assign

    finest, fine, coarse_ = kmeans(emb, 1024), kmeans(emb, 256), kmeans(emb, 32)
    with out.open("w", encoding="utf-8") as fh:
        fh.write(
            "# Word classes from the unlabeled corpus (train/name_tagger.py --clusters): word <TAB> class of "
            "1024 <TAB> of 256 <TAB> of 32\n"
        )
        for w, a, b, c in zip(vocab, finest, fine, coarse_, strict=True):
            fh.write(f"{w}\t{a}\t{b}\t{c}\n")


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        word, tag = line.split("\t")
        current.append((word, tag))
    if current:
        sentences.append(current)
    return sentences


def with_words(sentences: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """The sentences with at least one word (not only punctuation): the ones the split counts."""
    return [s for s in sentences if any(WORD.search(w) for w, _ in s)]


def held_out(sentences: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """The held-out sentences of the default split: every tenth block of ``BLOCK``."""
    return [s for k, s in enumerate(with_words(sentences)) if (k // BLOCK) % 10 == 9]


def coarse(tag: str) -> str:
    if tag == "O":
        return "O"
    prefix, fine = tag.split("-", 1)
    return f"{prefix}-{FINE_TO_COARSE[fine]}"


def join_clitics(sentence: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Proclitic tokens onto the next word, pronoun suffixes onto the word before (its label kept)."""
    out: list[tuple[str, str]] = []
    pending = ""
    for word, tag in sentence:
        tag = coarse(tag)
        if word in PROCLITIC_TOKENS:
            pending += word
            continue
        if pending:
            if pending.endswith("ل") and word.startswith("ال") and pending != "ال":
                word = word[1:]  # ل + الحكومة = للحكومة
            word, pending = pending + word, ""
        if word in ENCLITIC_TOKENS and out and out[-1][0][-1:].isalpha():
            out[-1] = (out[-1][0] + word, out[-1][1])
            continue
        out.append((word, tag))
    if pending:
        out.append((pending, "O"))
    return out


def as_tokens(sentence: list[tuple[str, str]]) -> tuple[list[str], list[str], list[str]]:
    """The folded words the worker's tokenizer makes of the sentence, the gaps between them (the
    punctuation) and their labels."""
    text_parts, owners, pos = [], [], 0
    for word, tag in sentence:
        text_parts.append(word)
        owners.append((pos, pos + len(word), tag))
        pos += len(word) + 1
    text = " ".join(text_parts)
    tokens = tokenize(text)
    labels, k = [], 0
    for t in tokens:
        while owners[k][1] <= t.start:
            k += 1
        start, _end, tag = owners[k]
        if tag != "O" and t.start > start:
            tag = "I-" + tag[2:]  # a word the tokenizer split: its later parts continue the name
        labels.append(tag)
    gaps = [text[max(0, tokens[0].start - 3) : tokens[0].start]] if tokens else [""]
    gaps += [text[a.end : b.start] for a, b in itertools.pairwise(tokens)]
    gaps.append(text[tokens[-1].end : tokens[-1].end + 3] if tokens else "")
    return [t.fold for t in tokens], gaps, labels


def score(gold: list[list[str]], pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """Entity-level precision, recall and F1 per type (exact span and type); PER+GRP is the corpus
    README's PER."""
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        for merged in (False, True):

            def norm(labels: list[str], merged: bool = merged) -> set[tuple[int, int, str]]:
                spans = bio_spans(labels)
                if merged:
                    return {(s.start, s.end, "PER+GRP") for s in spans if s.type in ("PER", "GRP")}
                return {(s.start, s.end, s.type) for s in spans}

            gs, ps = norm(g), norm(p)
            for s in gs:
                n_gold[s[2]] += 1
            for s in ps:
                n_pred[s[2]] += 1
            for s in gs & ps:
                tp[s[2]] += 1
    out = {}
    for t in sorted(n_gold):
        p = tp[t] / n_pred[t] if n_pred[t] else 0.0
        r = tp[t] / n_gold[t]
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[t] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "n": n_gold[t]}
    return out


def train(featurizer: WordFeatures, data: list, out: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for folds, gaps, labels in data:
        trainer.append(featurizer.sequence(folds, gaps), labels)
    trainer.set_params(PARAMS)
    trainer.train(str(out))


def evaluate(model: Path, featurizer: WordFeatures, data: list) -> dict[str, dict[str, float]]:
    t = pycrfsuite.Tagger()
    t.open(str(model))
    pred = [t.tag(featurizer.sequence(f, g)) for f, g, _ in data]
    return score([lab for _, _, lab in data], pred)


def table(figures: dict[str, dict[str, float]]) -> str:
    rows = ["| type | gold spans | precision | recall | F1 |", "|---|---|---|---|---|"]
    for t in ("PER", "PER+GRP", "GRP", "ORG", "GPE", "LOC", "FAC", "MISC"):
        if t in figures:
            f = figures[t]
            rows.append(f"| {t} | {f['n']} | {f['p']:.3f} | {f['r']:.3f} | {f['f1']:.3f} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--conll",
        type=Path,
        default=ROOT.parent / "shared" / "ner" / "newsfane-gold.conll",
        help="NewsFANE Gold (token TAB tag lines)",
    )
    ap.add_argument("--cv", action="store_true", help="also 5-fold cross-validation by block")
    ap.add_argument(
        "--clusters", action="store_true", help="first rebuild the word classes from the unlabeled corpus"
    )
    ap.add_argument(
        "--corpus",
        type=Path,
        default=ROOT.parent / "shared" / "corpus" / CORPUS_NAME,
        help="unlabeled articles (gzip'd JSON lines) for --clusters",
    )
    ap.add_argument(
        "--split",
        choices=("block", "sentence"),
        default="block",
        help="hold out every tenth block of 20 sentences (default), or every tenth sentence (the corpus "
        "README's example; a story's names then also occur in training)",
    )
    ap.add_argument("--no-save", action="store_true", help="do not write the packaged model")
    args = ap.parse_args()
    if not args.conll.is_file():
        sys.exit(f"NewsFANE Gold not found: {args.conll}")
    if args.clusters:
        t0 = time.time()
        clusters_path().parent.mkdir(parents=True, exist_ok=True)
        build_clusters(args.corpus, clusters_path())
        print(f"word classes built in {time.time() - t0:.0f} s -> {clusters_path()}")
    data = [as_tokens(join_clitics(s)) for s in with_words(read_conll(args.conll))]
    featurizer = WordFeatures(Lexicon.load(), read_clusters())
    size = 1 if args.split == "sentence" else BLOCK
    block = [k // size for k in range(len(data))]
    train_set = [d for d, b in zip(data, block, strict=True) if b % 10 != 9]
    held_out = [d for d, b in zip(data, block, strict=True) if b % 10 == 9]
    out = model_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    target = out if not args.no_save else Path(f"/tmp/name_tagger_model.{os.getpid()}.crfsuite")
    t0 = time.time()
    train(featurizer, train_set, target)
    print(f"trained on {len(train_set)} sentences in {time.time() - t0:.0f} s -> {target}")
    figures = evaluate(target, featurizer, held_out)
    print(f"held out: {len(held_out)} sentences, {sum(len(d[0]) for d in held_out)} words")
    print(table(figures))
    report = {"held_out": figures, "params": PARAMS, "sentences": len(data)}
    if args.cv:
        cv: dict[str, list[float]] = {}
        for k in range(5):
            tr = [d for d, b in zip(data, block, strict=True) if b % 5 != k]
            te = [d for d, b in zip(data, block, strict=True) if b % 5 == k]
            tmp = Path(f"/tmp/name_tagger_cv{k}.{os.getpid()}.crfsuite")
            train(featurizer, tr, tmp)
            for t, f in evaluate(tmp, featurizer, te).items():
                cv.setdefault(t, []).append(f["f1"])
            print(f"fold {k}: " + ", ".join(f"{t} {v[-1]:.3f}" for t, v in cv.items()), flush=True)
        report["cv_f1"] = {t: [round(sum(v) / len(v), 3), v] for t, v in cv.items()}
        print("5-fold mean F1: " + ", ".join(f"{t} {v[0]:.3f}" for t, v in report["cv_f1"].items()))
    if not args.no_save:
        (out.parent / "figures.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
