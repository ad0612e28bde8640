"""``quote-worker lexicon build``: a lexicon folder mined from generated articles (invented names that no
list holds), loaded by the extractor; the same input gives the same bytes; bad input is a clear error;
a Kafka topic gives the same lexicon as a file of the same articles (real broker)."""

from __future__ import annotations

import gzip
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from shared_data import CORPUS, needs

from worker.cli import main
from worker.extractor import Extractor
from worker.lexicon import MINED_FILES, Lexicon
from worker.text import fold

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "articles.jsonl"

# Invented names: whatever the build finds about them it learned from the generated articles.
FOREIGN = [("زورفان", "كالدوريتش"), ("ميلوران", "برينوفسكي"), ("تاليسو", "فاردينكو"), ("كوريان", "دوماتسكي")]
ARAB = [("ساجور", "الحميداني"), ("نوفيران", "القرطاوي"), ("رزين", "بن شعلان"), ("مهيار", "العكرمي")]
TITLES_FOREIGN = ["وزير الخارجية الفنلندي", "الرئيس الروماني", "رئيس الوزراء البولندي", "المدرب الهولندي"]
TITLES_ARAB = ["وزير الخارجية التونسي", "الرئيس الموريتاني", "رئيس الوزراء الليبي", "المدرب الجزائري"]
ORGS = ["وزارة الزراعة الفنلندية", "هيئة الموانئ الليبية", "وزارة النقل التونسية"]
CLAUSES = [
    "المحادثات ستستمر حتى نهاية الشهر",
    "الحكومة لن تتراجع عن خططها",
    "الوضع الأمني تحسن بشكل ملحوظ",
    "الاتفاق يخدم مصالح البلدين",
]
FILLER = [
    "وشهدت العاصمة أمس احتجاجات واسعة على ارتفاع الأسعار.",
    "ويأتي ذلك بعد أسابيع من التوتر بين الجانبين.",
    "وكانت الأمطار الغزيرة قد تسببت في أضرار كبيرة بالطرق.",
]


def generated_articles(n: int = 300, seed: int = 7) -> list[dict[str, Any]]:
    """Articles that introduce the invented people with titles, then mention them by family name."""
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        foreign = i % 2 == 0
        given, family = rng.choice(FOREIGN if foreign else ARAB)
        title = rng.choice(TITLES_FOREIGN if foreign else TITLES_ARAB)
        org = rng.choice(ORGS)
        body = [
            f"وقال {title} {given} {family} إن {rng.choice(CLAUSES)}.",
            rng.choice(FILLER),
            f"وأضاف {family} أن {rng.choice(CLAUSES)}.",
            f"وقالت {org} في بيان إن {rng.choice(CLAUSES)}.",
            f"وأكد المتحدث باسم {org} أن {rng.choice(CLAUSES)}.",
        ]
        rng.shuffle(body[1:])
        # one paragraph: the builder reads a line repeated from an earlier article once (boilerplate)
        articles.append({"id": f"gen-{i}", "text": f"عنوان رقم {i}\n\n" + " ".join(body)})
    return articles


def write_jsonl(path: Path, articles: list[dict[str, Any]]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as fh:
        for a in articles:
            fh.write(orjson.dumps(a) + b"\n")
    return path


def build(source: str | Path, out: Path, *extra: str) -> int:
    return main(["lexicon", "build", "--from", str(source), "--out", str(out), "--quiet", *extra])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("lexicon")
    source = write_jsonl(tmp / "archive.jsonl.gz", generated_articles())
    assert build(source, tmp / "lexicon") == 0
    return tmp / "lexicon"


def test_build_mines_the_invented_names_and_the_extractor_loads_them(built: Path) -> None:
    lexicon = Extractor("rules", lexicon=built).lexicon
    for given, family in FOREIGN + ARAB:
        assert fold(given) in lexicon.GIVEN_NAMES, given
        assert fold(family.split()[-1]) in lexicon.FAMILY_NAMES, family
        assert fold(f"{given} {family}") in lexicon.PERSON_NAMES
        roles = lexicon.person_roles(fold(given))
        assert roles.opens > 0 and roles.ends == 0
        assert Lexicon.load().person_roles(fold(given)).opens == 0  # the shipped lexicon never saw them
    assert {fold(g) for g, _ in FOREIGN} <= lexicon.FOREIGN_NAMES
    assert not {fold(g) for g, _ in ARAB} & lexicon.FOREIGN_NAMES
    assert fold("رزين بن شعلان") in lexicon.PERSON_NAMES  # a name runs through بن
    assert lexicon.person_roles(fold("بن")).continues > 0
    for org in ORGS:
        assert fold(org) in lexicon.ORG_NAMES
    assert lexicon.org_roles(fold("وزارة")).opens > 0
    assert fold("وزير الخارجية الفنلندي") in lexicon.TITLE_PHRASES
    assert lexicon.TITLE_WORDS[fold("وزير")].as_head > 0
    assert lexicon.BUILD_INFO["articles"] == "300"
    # word uses: a verb after قد (… قد تسببت), a name never after a verb particle
    assert lexicon.word_use(fold("تسببت")).after_verb_particle > 0
    assert lexicon.word_use(fold("الحميداني")).after_verb_particle == 0
    assert (
        lexicon.word_use(fold("وزير")).freq >= 50 and lexicon.word_use(fold("وزير")).after_verb_particle == 0
    )
    # the base lists are copied: the folder is a whole lexicon, usable by every command
    assert lexicon.CUE_FORMS.keys() == Lexicon.load().CUE_FORMS.keys()


def test_every_command_takes_the_built_folder(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "quotes.jsonl"
    assert main(["extract", str(SAMPLES), "-o", str(out), "--lexicon", str(built)]) == 0
    assert out.read_bytes()


def test_no_article_text_in_the_output(built: Path) -> None:
    text = "\n".join(a["text"] for a in generated_articles())
    sentences = {fold(s.strip(" .")) for s in text.replace("\n", ".").split(".") if len(s.split()) > 5}
    for name in MINED_FILES:
        for line in (built / name).read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                key = line.split("\t")[0]
                assert len(key.split()) <= 6 and key not in sentences, (name, key)


def test_same_input_same_bytes_in_other_processes(built: Path, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", generated_articles())  # plain, not gzip'd
    for seed in ("1", "2"):  # str hashing differs between these processes
        env = {**os.environ, "PYTHONHASHSEED": seed}
        cmd = [sys.executable, "-m", "worker.cli", "lexicon", "build", "--quiet"]
        subprocess.run([*cmd, "--from", str(source), "--out", str(tmp_path / seed)], check=True, env=env)
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(p.name for p in (tmp_path / "1").iterdir())
    for name in names:
        first = (built / name).read_bytes()
        assert first == (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_bad_input_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(orjson.dumps({"id": "a", "text": "وقال أحد إن"}) + b"\n{not json\n")
    assert build(bad, tmp_path / "out") == 1
    assert f"{bad}:2: not JSON" in capsys.readouterr().err
    bad.write_bytes(orjson.dumps({"id": "a", "body": "…"}) + b"\n")
    assert build(bad, tmp_path / "out") == 1
    assert "not an article message" in capsys.readouterr().err
    assert build(tmp_path / "missing.jsonl", tmp_path / "out") == 1
    assert "cannot read" in capsys.readouterr().err
    assert build(bad, tmp_path / "out", "--base", str(tmp_path)) == 2
    assert "lacks speech_verbs.tsv" in capsys.readouterr().err


def test_a_topic_gives_the_lexicon_of_the_same_file(kafka: Any, built: Path, tmp_path: Path) -> None:
    topic = kafka.unique("archive")
    kafka.create_topics([topic], partitions=2)
    articles = generated_articles()
    producer = kafka.producer(linger_ms=5)
    try:
        # partition by partition, as the builder reads a topic: first partition 0, then 1
        for i, a in enumerate(articles):
            producer.send(topic, orjson.dumps(a), partition=0 if i < 200 else 1)
        producer.send(topic, b"not an article", partition=1)  # skipped, as a worker would dead-letter it
        producer.flush()
    finally:
        producer.close()
    out = tmp_path / "from-topic"
    assert build(topic, out, "--bootstrap-servers", kafka.bootstrap_servers) == 0
    for name in MINED_FILES:
        assert (out / name).read_bytes() == (built / name).read_bytes(), name
    assert build(kafka.unique("absent"), tmp_path / "x", "--bootstrap-servers", kafka.bootstrap_servers) == 1


def test_neither_file_nor_topic_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build("no-such-archive", tmp_path / "x", "--bootstrap-servers", "127.0.0.1:1") == 1
    assert "'no-such-archive' is no file, and as a topic" in capsys.readouterr().err


@needs(CORPUS)
@pytest.mark.timeout(300)
def test_the_shipped_mined_files_are_what_the_builder_makes_of_the_corpus(tmp_path: Path) -> None:
    # `make lexicon` must reproduce worker/data/lexicon: a change to the builder or to a base list it
    # reads is shipped together with the rebuilt statistics (about 25 s over the whole corpus).
    assert main(["lexicon", "build", "--quiet", "--from", str(CORPUS), "--out", str(tmp_path)]) == 0
    shipped = REPO / "worker" / "data" / "lexicon"
    for name in MINED_FILES:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), f"{name}: run `make lexicon`"


def test_a_verb_that_opens_clauses_after_its_speaker_is_learned_as_a_cue() -> None:
    """Made-up sentences: a verb the base lists lack (برر) that a person follows and a content clause
    comes after is learned; an impersonal verb right before أن (يتضح) and a noun are not; a verb whose
    ب takes a quotation after its speaker (اتهمت) is learned as a fragment cue."""
    from worker.lexicon import DEFAULT_DIR
    from worker.lexicon_build import cues
    from worker.lexicon_build.mine import VERB_SHARE
    from worker.text import tokenize

    miner = cues.CueMiner(Lexicon(DEFAULT_DIR, mined=False))
    sentences = [
        "وبررت الوزارة قرارها بأن الموازنة لا تكفي.",
        "وبررت الحكومة التأجيل بأنه ضروري.",
        "بررت الشرطة الإجراء بأن الوضع خطير.",
        "وبررت زيارتها للمدينة أمس.",
        "ويتضح أن المدينة تغيرت كثيرا.",
        "يتضح أن السوق هادئة.",
        "وتتضح الصورة أكثر كل يوم.",
        'واتهمت الوزارة المعارضة بـ"التضليل".',
        'اتهمت الحكومة الصحف بـ"الكذب".',
        'ويعرف الحي بـ"الحي القديم".',
        'ويعرف الشارع بـ"شارع الورد".',
    ]
    freq: dict[str, int] = {}
    for _ in range(20):
        for s in sentences:
            toks = tokenize(s)
            folds = [t.fold for t in toks]
            for f in folds:
                freq[f] = freq.get(f, 0) + 1
            miner.add(folds, ["", *(s[toks[j - 1].end : toks[j].start] for j in range(1, len(toks)))])
    learned = miner.learned(Counter(freq), lambda w: w in ("الوزارة", "الحكومة", "الشرطة"), VERB_SHARE)
    assert learned[fold("بررت")][:3] == ("clause", True, False)
    assert fold("يتضح") not in learned and fold("الموازنة") not in learned
    # a verb whose ب takes quoted words with a speaker before them, not a naming verb (يعرف بـ"…")
    assert learned[fold("اتهمت")].use == "fragment" and fold("يعرف") not in learned


def test_learned_cues_load_apart_from_the_base_cue_forms(tmp_path: Path) -> None:
    import shutil

    from worker.lexicon import DEFAULT_DIR

    folder = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_DIR, folder)
    with (folder / "learned_cues.tsv").open("a", encoding="utf-8") as fh:
        fh.write("همست\tclause\tf\tsg\t40\t10\t5\nقالت\tclause\tm\tpl\t40\t10\t5\n")
        fh.write("لامت\tfragment\tf\tsg\t400\t10\t5\n")
    lex = Lexicon.load(folder)
    assert lex.LEARNED_CUES[fold("وهمست")].feminine is True and fold("وهمست") not in lex.CUE_FORMS
    assert lex.CUE_FORMS[fold("قالت")].lemma == "قال" and fold("قالت") not in lex.LEARNED_CUES
    assert fold("ولامت") in lex.FRAGMENT_CUES and fold("همست") not in lex.FRAGMENT_CUES


def test_an_outlets_tag_before_a_colon_is_learned_and_read_as_nobodys_words(tmp_path: Path) -> None:
    """Made-up lines: ``نبض الشارع:`` (a section tag) opens lines in many articles and names nobody: a
    tag; a source that opens as many lines (a title, a name the mined names hold) is not."""
    import shutil

    from worker.lexicon import DEFAULT_DIR
    from worker.lexicon_build import tags

    miner = tags.TagMiner(Lexicon(DEFAULT_DIR, mined=False))
    for n in range(20):
        miner.add(f"نبض الشارع: انقطاع الكهرباء في الحي رقم {n}\nالوزير: الخطة جاهزة\nساجور: الموسم طويل")
    learned = miner.learned(lambda w: 40 if w == fold("ساجور") else 0)
    assert learned == {fold("نبض الشارع"): 20}

    folder = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_DIR, folder)
    text = "نبض الشارع: انقطاع الكهرباء في أحياء واسعة من المدينة\n\nوأعلنت الشركة أنها تعمل على الإصلاح."
    assert [q.cue.text for q in Extractor("rules", lexicon=folder).extract(text)][:1] == [":"]
    tagged = tmp_path / "tagged"  # another folder: a lexicon is read once per process and folder
    shutil.copytree(DEFAULT_DIR, tagged)
    with (tagged / "colon_tags.tsv").open("a", encoding="utf-8") as fh:
        fh.write(f"{fold('نبض الشارع')}\t20\n")
    assert [q.cue.text for q in Extractor("rules", lexicon=tagged).extract(text)] == ["وأعلنت"]
