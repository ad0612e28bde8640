"""stanza backend: tokenize, mwt, pos, lemma, depparse (and ner where the model set has it), offline only.

Two ways to point at models (``StanzaParser(models)``):

* an explicit folder of model files, laid out like ``stanza-ar-small``: ``ar_tokenizer.pt``,
  ``ar_mwt.pt``, ``ar_pos.pt``, ``ar_lemma.pt``, ``ar_depparse.pt``, ``ar_pretrain.pt`` and optionally
  ``ar_ner.pt`` (with ``ar_forward_charlm.pt``/``ar_backward_charlm.pt`` if the NER model needs them);
* a stanza resources directory holding the official default Arabic package (``resources.json`` and
  ``ar/<processor>/<package>.pt``), as ``quote-worker models download`` writes it; ``None`` means
  stanza's own default (``$STANZA_RESOURCES_DIR`` or ``~/stanza_resources``).

Nothing is ever downloaded here (``download_method=None``); missing files raise ``StanzaModelsMissing``
naming them. stanza and torch are imported only when a parser is built, so the rules path never pays
for them. The pipeline is loaded once per process and shared by every parser with the same settings.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from worker.nlp.doc import Entity, Region, Sentence, Word, align_words

LANG = "ar"
BASE_PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse")
# explicit layout: processor -> file name (pretrain is shared by pos and depparse)
EXPLICIT_FILES = {
    "tokenize": "ar_tokenizer.pt",
    "mwt": "ar_mwt.pt",
    "pos": "ar_pos.pt",
    "lemma": "ar_lemma.pt",
    "depparse": "ar_depparse.pt",
    "pretrain": "ar_pretrain.pt",
}
EXPLICIT_NER = "ar_ner.pt"
EXPLICIT_CHARLM = ("ar_forward_charlm.pt", "ar_backward_charlm.pt")
HOW_TO_GET = (
    "Install the official Arabic models on a machine with internet access with "
    "`quote-worker models download [--dir DIR]` (then copy DIR to this machine and pass "
    "--stanza-models DIR), or point --stanza-models at a folder of explicit model files such as "
    "../shared/models/stanza-ar-small. `quote-worker models check` shows what is installed."
)

log = logging.getLogger(__name__)


class StanzaModelsMissing(FileNotFoundError):
    """The stanza Arabic models (or stanza itself) are not installed where we were told to look."""

    def __init__(self, where: str, missing: Sequence[str], detail: str = "") -> None:
        self.where = where
        self.missing = list(missing)
        listed = ", ".join(self.missing) if self.missing else "(see detail)"
        msg = f"stanza Arabic models not usable at {where}: missing {listed}."
        if detail:
            msg += f" {detail}"
        super().__init__(f"{msg} {HOW_TO_GET}")


def default_resources_dir() -> str:
    return os.environ.get("STANZA_RESOURCES_DIR") or os.path.join(os.path.expanduser("~"), "stanza_resources")


@dataclass(frozen=True, slots=True)
class ModelSet:
    """Where the models are and what they provide."""

    kind: str  # "explicit" | "resources"
    path: str
    processors: tuple[str, ...]  # what will be loaded
    files: dict[str, str]  # processor (or dependency) -> file
    missing: tuple[str, ...]  # files that are required and absent

    @property
    def complete(self) -> bool:
        return not self.missing


def _is_explicit(path: str) -> bool:
    return any(os.path.exists(os.path.join(path, f)) for f in EXPLICIT_FILES.values())


def locate_models(models: str | None) -> ModelSet:
    """Inspect ``models`` (explicit folder, resources dir, or None) without importing torch."""
    path = os.path.abspath(os.path.expanduser(models)) if models else default_resources_dir()
    if _is_explicit(path):
        files = {k: os.path.join(path, f) for k, f in EXPLICIT_FILES.items()}
        procs = list(BASE_PROCESSORS)
        if os.path.exists(os.path.join(path, EXPLICIT_NER)):
            procs.append("ner")
            files["ner"] = os.path.join(path, EXPLICIT_NER)
            for name, f in zip(("forward_charlm", "backward_charlm"), EXPLICIT_CHARLM, strict=True):
                if os.path.exists(os.path.join(path, f)):
                    files[name] = os.path.join(path, f)
        missing = tuple(os.path.basename(f) for f in files.values() if not os.path.exists(f))
        return ModelSet("explicit", path, tuple(procs), files, missing)
    return _locate_resources(path)


def _locate_resources(path: str) -> ModelSet:
    res_file = os.path.join(path, "resources.json")
    if not os.path.exists(res_file):
        return ModelSet(
            "resources", path, BASE_PROCESSORS, {}, ("resources.json", f"{LANG}/ (default package)")
        )
    try:
        with open(res_file, encoding="utf-8") as fh:
            resources = json.load(fh)
    except (OSError, ValueError):
        return ModelSet("resources", path, BASE_PROCESSORS, {}, ("resources.json (unreadable)",))
    lang = resources.get(LANG, {})
    defaults: dict[str, Any] = lang.get("default_processors", {})
    if not defaults:
        return ModelSet("resources", path, BASE_PROCESSORS, {}, (f"an entry for {LANG!r} in resources.json",))
    procs = list(BASE_PROCESSORS)
    files: dict[str, str] = {}
    for proc in BASE_PROCESSORS:
        if proc in defaults:
            files[proc] = os.path.join(path, LANG, proc, f"{defaults[proc]}.pt")
    ner_pkg = defaults.get("ner")
    ner_file = os.path.join(path, LANG, "ner", f"{ner_pkg}.pt") if ner_pkg else ""
    if ner_file and os.path.exists(ner_file):
        procs.append("ner")
        files["ner"] = ner_file
    # dependencies (pretrain, charlm) as resources.json lists them for the default packages
    for proc in procs:
        pkg = defaults.get(proc)
        info = lang.get(proc, {}).get(pkg, {}) if isinstance(pkg, str) else {}
        for dep in info.get("dependencies", []) or []:
            dproc, dmodel = dep.get("model"), dep.get("package")
            if dproc and dmodel:
                files[f"{proc}:{dproc}"] = os.path.join(path, LANG, dproc, f"{dmodel}.pt")
    missing = [p for p in BASE_PROCESSORS if p not in files and p != "mwt"]
    missing += [os.path.relpath(f, path) for f in files.values() if not os.path.exists(f)]
    return ModelSet("resources", path, tuple(procs), files, tuple(dict.fromkeys(missing)))


def models_available(path: str | None) -> bool:
    """True when stanza is importable and a complete Arabic model set is at ``path`` (None: stanza's
    default resources directory). Cheap: looks at files, loads nothing."""
    import importlib.util

    if importlib.util.find_spec("stanza") is None:
        return False
    return locate_models(path).complete


def _torch_threads(threads: int | None) -> int:
    if threads is None:
        env = os.environ.get("QUOTE_WORKER_TORCH_THREADS")
        # 1 by default: the worker parallelises with processes, and more torch threads per process
        # oversubscribe the CPUs (measured: 2 threads on a busy 2-CPU box ran slower than 1)
        threads = int(env) if env else 1
    return max(1, threads)


_PIPELINES: dict[tuple[Any, ...], Any] = {}
_LOCK = threading.Lock()


def _load_pipeline(ms: ModelSet, use_gpu: bool, threads: int) -> Any:
    key = (ms.kind, ms.path, ms.processors, use_gpu)
    with _LOCK:
        if key in _PIPELINES:
            return _PIPELINES[key]
        try:
            import stanza
            import torch
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise StanzaModelsMissing(
                ms.path, ["the stanza package"], "Install it with `pip install 'quote-worker[stanza]'`."
            ) from e
        if not use_gpu:
            torch.set_num_threads(threads)
        kwargs: dict[str, Any] = {
            "lang": LANG,
            "dir": ms.path,
            "download_method": None,
            "processors": ",".join(ms.processors),
            "use_gpu": use_gpu,
            "logging_level": "WARN",
        }
        if ms.kind == "explicit":
            f = ms.files
            kwargs.update(
                allow_unknown_language=True,
                tokenize_model_path=f["tokenize"],
                mwt_model_path=f["mwt"],
                pos_model_path=f["pos"],
                pos_pretrain_path=f["pretrain"],
                lemma_model_path=f["lemma"],
                depparse_model_path=f["depparse"],
                depparse_pretrain_path=f["pretrain"],
            )
            if "ner" in ms.processors:
                kwargs["ner_model_path"] = f["ner"]
                kwargs["ner_pretrain_path"] = f["pretrain"]
                if "forward_charlm" in f:
                    kwargs["ner_forward_charlm_path"] = f["forward_charlm"]
                if "backward_charlm" in f:
                    kwargs["ner_backward_charlm_path"] = f["backward_charlm"]
        try:
            nlp = stanza.Pipeline(**kwargs)
        except FileNotFoundError as e:
            raise StanzaModelsMissing(ms.path, [str(getattr(e, "filename", "") or e)], str(e)) from e
        except Exception as e:  # stanza raises ValueError/KeyError/RuntimeError for broken sets
            raise StanzaModelsMissing(
                ms.path, [], f"stanza could not load them: {type(e).__name__}: {e}"
            ) from e
        _PIPELINES[key] = nlp
        return nlp


class StanzaParser:
    """Dependency parses of candidate regions, with offsets into the original text.

    ``models``: explicit model folder or stanza resources directory (None: stanza's default).
    ``threads``: torch CPU threads (default ``$QUOTE_WORKER_TORCH_THREADS`` or 1, as suits one parser per
    process in a process pool; raise it for a single-process run on an idle machine).
    ``use_gpu``: run on CUDA when available (default False).
    """

    name = "stanza"

    def __init__(
        self,
        models: str | None = None,
        *,
        threads: int | None = None,
        use_gpu: bool = False,
        batch_size: int = 64,
    ) -> None:
        self.models = models
        self.threads = _torch_threads(threads)
        self.use_gpu = use_gpu
        self.batch_size = batch_size
        self.model_set = locate_models(models)
        if not self.model_set.complete:
            raise StanzaModelsMissing(self.model_set.path, self.model_set.missing)
        self._nlp = _load_pipeline(self.model_set, use_gpu, self.threads)

    @property
    def has_ner(self) -> bool:
        return "ner" in self.model_set.processors

    # pickling (process pools): ship the settings, reload (once per process) on the other side
    def __getstate__(self) -> dict[str, Any]:
        return {
            "models": self.models,
            "threads": self.threads,
            "use_gpu": self.use_gpu,
            "batch": self.batch_size,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["models"], threads=state["threads"], use_gpu=state["use_gpu"], batch_size=state["batch"]
        )

    def parse(self, text: str, regions: Sequence[Region]) -> list[Sentence]:
        """Parse only ``regions`` of ``text``; sentences (and words) carry offsets into ``text``."""
        return self.parse_many([(text, regions)])[0]

    def parse_many(self, items: Sequence[tuple[str, Sequence[Region]]]) -> list[list[Sentence]]:
        """Parse the regions of many articles in one batched stanza call."""
        import stanza

        pieces: list[tuple[int, int, str]] = []  # (item index, region start, region text)
        for i, (text, regions) in enumerate(items):
            for start, end in regions:
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    pieces.append((i, start, text[start:end]))
        out: list[list[Sentence]] = [[] for _ in items]
        if not pieces:
            return out
        docs = [stanza.Document([], text=piece) for _, _, piece in pieces]
        for k in range(0, len(docs), self.batch_size):
            self._nlp(docs[k : k + self.batch_size])
        for (i, offset, _), doc in zip(pieces, docs, strict=True):
            text = items[i][0]
            out[i].extend(_convert(sent, text, offset) for sent in doc.sentences)
        return out


def _convert(sent: Any, text: str, offset: int) -> Sentence:
    words: list[Word] = []
    for tok in sent.tokens:
        ts, te = offset + tok.start_char, offset + tok.end_char
        tws = tok.words
        spans = align_words(text[ts:te], ts, [w.text for w in tws])
        for w, (ws, we, exact) in zip(tws, spans, strict=True):
            words.append(
                Word(
                    index=w.id,
                    text=w.text,
                    start=ws,
                    end=we,
                    lemma=w.lemma,
                    upos=w.upos,
                    feats=w.feats,
                    head=w.head,
                    deprel=w.deprel,
                    token_start=ts,
                    token_end=te,
                    exact=exact,
                )
            )
    ents = tuple(
        Entity(
            offset + e.start_char,
            offset + e.end_char,
            e.type,
            text[offset + e.start_char : offset + e.end_char],
        )
        for e in getattr(sent, "ents", None) or ()
    )
    start = words[0].token_start if words else offset
    end = words[-1].token_end if words else offset
    return Sentence(start, end, tuple(words), ents)
