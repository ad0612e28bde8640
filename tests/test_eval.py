"""``quote-worker eval`` and ``worker.scoring`` agree with the shared scorer (../shared/eval/score.py):
the same numbers on the dev set, and on perturbed predictions; plus the guideline rules of the scorer
on small hand-made cases (these need no shared files)."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from shared_data import DEV, SCORE_PY, needs

from worker.scoring import fold, greedy_pairs, overlap, score, speaker_correct, trim, without_article

ROOT = Path(__file__).resolve().parent.parent


def quote_worker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "worker.cli", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def reference_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", SCORE_PY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs(DEV)
@needs(SCORE_PY)
def test_eval_agrees_with_shared_scorer_on_dev(tmp_path: Path) -> None:
    pred = tmp_path / "predictions.jsonl"
    ours = quote_worker(
        "eval", "--gold", str(DEV), "--json", "--predictions", str(pred), "--backend", "rules"
    )
    assert ours.returncode == 0, ours.stderr
    mine = json.loads(ours.stdout)
    theirs_run = subprocess.run(
        [sys.executable, str(SCORE_PY), "--gold", str(DEV), "--pred", str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(theirs_run.stdout)
    assert set(theirs) <= set(mine)
    for key in theirs:
        assert mine[key] == theirs[key], key
    assert mine["predicted_quotes"] > 0
    assert mine["speed"]["articles_per_second"] > 0


@needs(DEV)
@needs(SCORE_PY)
def test_eval_prints_the_same_figures_as_the_shared_scorer(tmp_path: Path) -> None:
    pred = tmp_path / "predictions.jsonl"
    ours = quote_worker("eval", "--gold", str(DEV), "--errors", "15", "--predictions", str(pred))
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run(
        [sys.executable, str(SCORE_PY), "--gold", str(DEV), "--pred", str(pred), "--errors", "15"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    mine = ours.stdout.splitlines()
    speed = [line for line in mine if line.startswith("speed:")]
    assert len(speed) == 1 and "articles/s" in speed[0]
    assert [line for line in mine if not line.startswith("speed:")] == theirs


@needs(DEV)
@needs(SCORE_PY)
def test_scoring_agrees_with_shared_scorer_on_perturbed_predictions() -> None:
    """Predictions made from the gold quotes with shifted spans, dropped quotes, spurious spans, and
    speakers/cues drawn from right and wrong forms: every figure and error must be identical."""
    ref = reference_scorer()
    gold = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(20250301)
    for _ in range(40):
        preds: list[dict[str, Any]] = []
        for art in gold:
            n = len(art["text"])
            for q in art["quotes"]:
                if rng.random() < 0.15:
                    continue
                s, e = q["content_start"], q["content_end"]
                s = max(0, s + rng.choice([0, 0, -1, 1, rng.randint(-25, 25)]))
                e = min(n, max(s + 1, e + rng.choice([0, 0, -1, 1, rng.randint(-40, 40)])))
                key = q.get("speaker_key")
                forms = [
                    q["speaker"],
                    q.get("mention"),
                    "الرئيس",
                    "",
                    None,
                    *(q.get("speaker_aliases") or []),
                ]
                forms += key if isinstance(key, list) else [key]
                name = rng.choice(forms)
                speaker = {"name": name if rng.random() < 0.5 else None, "mention": rng.choice(forms)}
                cue = {"text": rng.choice([q.get("cue"), "قال", ":", "", None])}
                preds.append({"article_id": art["id"], "span": [s, e], "speaker": speaker, "cue": cue})
            for _ in range(rng.randint(0, 3)):
                s = rng.randrange(0, max(1, n - 1))
                preds.append(
                    {
                        "article_id": art["id"],
                        "span": [s, min(n, s + rng.randint(1, 150))],
                        "speaker": {"name": None, "mention": rng.choice([None, "مصدر", "الكرملين"])},
                        "cue": {"text": "قال"},
                    }
                )
        preds.append({"article_id": "not-in-gold", "span": [0, 5], "speaker": {}, "cue": {}})
        rng.shuffle(preds)
        assert score(gold, preds) == ref.score(gold, preds)


# --- the scorer's rules on hand-made cases (GUIDELINES.md) -----------------------------------------


def test_fold() -> None:
    assert fold("أَعْلَنَ إِيران") == "اعلن ايران"
    assert fold("مصطفى، الكرملينـــ") == "مصطفي الكرملين"
    assert fold("«وزارة الخارجية الروسية»") == "وزاره الخارجيه الروسيه"
    assert fold(None) == fold("") == fold("،.") == ""
    assert without_article("الكرملين القاضي ال الولايات") == "كرملين قاضي ال ولايات"


def test_overlap_and_trim() -> None:
    assert overlap((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert overlap((0, 10), (10, 20)) == 0.0
    assert overlap((3, 3), (3, 3)) == 0.0
    text = ' قال: "الفكرة صحيحة". '
    assert text[slice(*trim(text, (5, len(text))))] == "الفكرة صحيحة"


def test_greedy_pairs_are_one_to_one_largest_overlap_first() -> None:
    gold = [(0, 100), (100, 200)]
    pred = [(0, 150), (10, 100), (100, 190)]
    assert sorted(greedy_pairs(gold, pred, 0.5)) == [(0, 1), (1, 2)]
    assert greedy_pairs(gold, [(0, 10)], 0.5) == []


LAVROV = {
    "speaker": "سيرجي لافروف",
    "speaker_aliases": ["وزير الخارجية الروسي سيرجي لافروف", "لافروف", "الوزير الروسي"],
    "speaker_key": "لافروف",
}


@pytest.mark.parametrize(
    ("name", "mention", "right"),
    [
        ("سيرجي لافروف", None, True),  # the canonical name
        (None, "لافروف", True),  # an alias holding the key
        (None, "وزير الخارجية الروسي سيرجي لافروف", True),
        (None, "الخارجية الروسي سيرجي لافروف", True),  # a run of whole words inside an alias
        (None, "الوزير الروسي", False),  # a bare title: no key
        (None, "الرئيس", False),
        (None, "لافروف إن الحرب", False),  # runs past the name into the quote
        (None, None, False),
        ("", "لافروف", True),  # an empty name falls back to the mention
    ],
)
def test_speaker_rules(name: str | None, mention: str | None, right: bool) -> None:
    assert speaker_correct({"speaker": {"name": name, "mention": mention}}, LAVROV) is right


def test_speaker_keys_list_and_article() -> None:
    usa = {
        "speaker": "الولايات المتحدة",
        "speaker_aliases": ["واشنطن"],
        "speaker_key": ["الولايات المتحدة", "واشنطن"],
    }
    assert speaker_correct({"speaker": {"name": None, "mention": "واشنطن"}}, usa)
    kremlin = {"speaker": "الكرملين", "speaker_aliases": [], "speaker_key": "الكرملين"}
    assert speaker_correct({"speaker": {"name": "كرملين", "mention": None}}, kremlin)


def test_score_counts() -> None:
    text = 'قال لافروف: "الفكرة صحيحة". وأضاف أن الحرب ستنتهي.'
    s1 = text.index("الفكرة")
    s2 = text.index("الحرب")
    gold = [
        {
            "id": "g",
            "text": text,
            "quotes": [
                {"type": "direct", "content": "الفكرة صحيحة", "content_start": s1, "content_end": s1 + 12,
                 "cue": "قال", **LAVROV},
                {"type": "indirect", "content": "الحرب ستنتهي", "content_start": s2, "content_end": s2 + 12,
                 "cue": "وأضاف", **LAVROV},
            ],
        }
    ]  # fmt: skip
    preds = [
        {
            "article_id": "g",
            "span": [s1, s1 + 12],
            "speaker": {"name": "سيرجي لافروف"},
            "cue": {"text": "قال"},
        },
        {"article_id": "g", "span": [0, 3], "speaker": {"mention": "لافروف"}, "cue": {"text": ":"}},
        {"article_id": "other", "span": [0, 3], "speaker": {}, "cue": {}},
    ]
    result = score(gold, preds)
    assert (result["gold_quotes"], result["predicted_quotes"]) == (2, 2)
    main = result["iou>=0.5"]
    assert main["quote"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert main["attributed"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert main["speaker_accuracy"] == main["cue_accuracy"] == 1.0
    assert result["exact"]["quote"]["f1"] == 0.5
    assert result["recall_by_type"] == {"direct": 1.0, "indirect": 0.0}
    assert sorted(e["kind"] for e in result["errors"]) == ["missed", "spurious"]


def test_eval_reports_an_unreadable_gold_file_with_its_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "x", "quotes": []}\n\n{broken\n', encoding="utf-8")
    run = quote_worker("eval", "--gold", str(gold))
    assert run.returncode == 2
    assert f"{gold}:3: not JSON" in run.stderr
    missing = quote_worker("eval", "--gold", str(tmp_path / "missing.jsonl"))
    assert missing.returncode == 2 and "missing.jsonl: cannot read" in missing.stderr
