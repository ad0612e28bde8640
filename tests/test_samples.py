"""Hand-checked expectations on the sample articles (``samples/articles.jsonl``, written for this
project). Each expectation is what ../shared/eval/GUIDELINES.md says is right for that sentence, not
what the extractor happens to print; a case the rules get wrong is marked ``xfail(strict=True)`` with
the reason, so that a fix shows up as an unexpected pass.

A quote is found when a predicted quote's content span overlaps the expected one at IoU >= 0.8 (one of
the scorer's levels: a stray trailing period or attached و does not fail a case). The speaker is judged
as the scorer judges it (canonical name, or an alias / whole-word part of one that holds the key).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from worker.scoring import fold, overlap, speaker_correct

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles.jsonl"
MATCH_IOU = 0.8


def load_samples() -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["id"]: row for row in rows}


@cache
def extractor() -> Any:
    from worker.extractor import Extractor

    return Extractor("rules")


@cache
def predictions(article_id: str) -> tuple[dict[str, Any], ...]:
    """The records the product publishes for a sample article."""
    from worker.records import Article, article_records

    row = load_samples()[article_id]
    article = Article(id=row["id"], text=row["text"], title=row.get("title"))
    return tuple(article_records(article, extractor()))


@dataclass(frozen=True)
class Expect:
    article: str
    content: str
    type: str
    speaker: str
    aliases: tuple[str, ...] = ()
    key: str | tuple[str, ...] = ""
    cue: str | None = None  # None: not asserted (the guidelines leave it open)
    field: str = "text"

    @property
    def gold(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "speaker_aliases": list(self.aliases),
            "speaker_key": list(self.key) if isinstance(self.key, tuple) else self.key,
            "cue": self.cue,
        }

    def span(self) -> tuple[int, int]:
        source = load_samples()[self.article][self.field]
        start = source.index(self.content)
        assert source.find(self.content, start + 1) == -1, f"ambiguous expectation {self.content!r}"
        return start, start + len(self.content)

    def __str__(self) -> str:
        same = [e for e in EXPECTATIONS if e.article == self.article]
        return f"{self.article}#{same.index(self) + 1}"


AGRI = "sample-01-agriculture"
BANK = "sample-02-central-bank"
HEALTH = "sample-03-health"
AIR = "sample-04-airline"
PORTS = "sample-07-ports"
FOOT = "sample-08-football"

HALABI = {
    "speaker": "سامر الحلبي",
    "aliases": ("وزير الزراعة سامر الحلبي", "الحلبي", "الوزير"),
    "key": "الحلبي",
}
KHATIB = {
    "speaker": "نبيل الخطيب",
    "aliases": ("محافظ البنك المركزي نبيل الخطيب", "الخطيب", "المحافظ"),
    "key": "الخطيب",
}
MANSOUR = {
    "speaker": "هالة منصور",
    "aliases": ("وزيرة الصحة هالة منصور", "منصور", "وزيرة الصحة"),
    "key": "منصور",
}
SHAMI = {"speaker": "عادل الشامي", "aliases": ("رئيس النقابة عادل الشامي", "الشامي"), "key": "الشامي"}
ZEIN = {
    "speaker": "فؤاد الزين",
    "aliases": ("المدير العام لهيئة الموانئ فؤاد الزين", "الزين"),
    "key": "الزين",
}
MARQUES = {
    "speaker": "جواو ماركيش",
    "aliases": ("مدربه البرتغالي جواو ماركيش", "ماركيش", "المدرب البرتغالي"),
    "key": "ماركيش",
}

EXPECTATIONS: list[Expect] = [
    # direct, «…», cue before, colon after the speaker
    Expect(
        AGRI,
        "سنوفر البذور المحسنة بأسعار مدعومة لكل مزارع يملك أقل من خمسة هكتارات",
        "direct",
        **HALABI,
        cue="وقال",
    ),
    # direct "…", speaker by title only (resolved to the minister)
    Expect(AGRI, "لن نترك أي مزارع وحده في مواجهة الجفاف", "direct", **HALABI, cue="وأضاف"),
    # direct “…”, cue after the quote
    Expect(AGRI, "الموسم المقبل سيكون أفضل من سابقه", "direct", **HALABI, cue="قال"),
    Expect(
        AGRI,
        "الخطة خطوة في الاتجاه الصحيح، لكنها تحتاج إلى تمويل أكبر",
        "direct",
        "ليلى العبدالله",
        ("رئيسة اتحاد المزارعين ليلى العبدالله", "العبدالله"),
        "العبدالله",
        cue="قالت",
    ),
    # indirect after أن, then a participial continuation (مشيرا إلى أن) that is a quote of its own
    Expect(BANK, "معدلات التضخم بدأت تتراجع بشكل ملحوظ خلال الربع الأخير", "indirect", **KHATIB, cue="أكد"),
    Expect(BANK, "البنك سيواصل مراقبة الأسواق عن كثب", "indirect", **KHATIB, cue="مشيرا"),
    # indirect after إن, then مضيفا أن
    Expect(
        BANK,
        "قرار الإبقاء على أسعار الفائدة جاء بعد دراسة مستفيضة لمؤشرات النمو",
        "indirect",
        **KHATIB,
        cue="وقال",
    ),
    Expect(BANK, "القطاع المصرفي يتمتع بسيولة كافية", "indirect", **KHATIB, cue="مضيفا"),
    # a direct quote over two paragraphs is one quote
    Expect(
        BANK,
        "لقد واجهنا عاما صعبا على كل المستويات، وارتفعت الأسعار بشكل لم نشهده منذ عقد.\n\n"
        "لكننا اليوم في وضع أفضل، واحتياطياتنا من العملة الأجنبية في أعلى مستوياتها",
        "direct",
        **KHATIB,
        cue="وأوضح",
    ),
    # indirect after بأن, unnamed source
    Expect(
        BANK,
        "الحكومة تدرس إصدار سندات جديدة قبل نهاية العام",
        "indirect",
        "مصدر مسؤول في وزارة المالية",
        ("مصدر مسؤول",),
        "مصدر",
        cue="أفاد",
    ),
    # indirect after إلى أن
    Expect(
        BANK,
        "الأسواق استقبلت القرار بارتياح واضح",
        "indirect",
        "منير السالم",
        ("الخبير الاقتصادي منير السالم", "السالم"),
        "السالم",
        cue="ولفت",
    ),
    # headline SOURCE: statement (title field; the cue is the colon)
    Expect(HEALTH, "لا حاجة لإغلاق المدارس هذا الشتاء", "direct", **MANSOUR, cue=":", field="title"),
    # mixed: an indirect clause holding a quoted fragment
    Expect(HEALTH, 'الوضع الوبائي في البلاد "تحت السيطرة الكاملة"', "mixed", **MANSOUR, cue="أكدت"),
    # implicit speaker (وأضافت أن) resolved to the previous speaker
    Expect(
        HEALTH,
        "المستشفيات الحكومية جهزت ألف سرير إضافي تحسبا لارتفاع عدد الحالات",
        "indirect",
        **MANSOUR,
        cue="وأضافت",
    ),
    # source phrase بحسب … فإن
    Expect(
        HEALTH,
        "نسبة الإشغال في أقسام الطوارئ لم تتجاوز ستين في المئة خلال الأسبوع الماضي",
        "indirect",
        "وزارة الصحة",
        ("بيان صادر عن وزارة الصحة",),
        "الصحة",
        cue="وبحسب",
    ),
    # source phrase after the clause: وفقا لـ
    Expect(
        HEALTH,
        "ارتفع عدد متلقي اللقاح إلى مليوني شخص منذ بداية الحملة",
        "indirect",
        "المركز الوطني للإحصاء",
        (),
        "للإحصاء",
        cue="وفقا",
    ),
    # source phrase after the clause: نقلا عن, unnamed sources
    Expect(
        HEALTH,
        "تراجعت حالات الإصابة بالحصبة إلى النصف مقارنة بالعام الماضي",
        "indirect",
        "مصادر طبية",
        ("مصادر طبية في العاصمة",),
        "مصادر",
        cue="نقلا",
    ),
    # mixed quote relayed by a medium: the speaker is the executive, the medium phrase is not content
    Expect(
        AIR,
        'أسعار التذاكر ستكون "في متناول الجميع"',
        "mixed",
        "وليد قاسم",
        ("المدير التنفيذي للشركة وليد قاسم", "قاسم"),
        "قاسم",
        cue="وأكد",
    ),
    # colon after the speaker without quotation marks: indirect
    Expect(
        PORTS,
        "الاتفاق يضمن زيادة الأجور بنسبة خمسة عشر في المئة اعتبارا من الشهر المقبل",
        "indirect",
        **SHAMI,
        cue="وقال",
    ),
    # indirect after على أن
    Expect(PORTS, "العمال سيعودون إلى أرصفة الميناء صباح الغد", "indirect", **SHAMI, cue="وشدد"),
    # ومن جانبه، أكد … أن
    Expect(PORTS, "حركة السفن ستعود إلى طبيعتها خلال أيام", "indirect", **ZEIN, cue="أكد"),
    # implicit وأضاف أن after the director's quote
    Expect(PORTS, "الهيئة ستعوض الشركات المتضررة من التأخير", "indirect", **ZEIN, cue="وأضاف"),
    # «…»، قال X: cue after the quote
    Expect(PORTS, "كانت المفاوضات شاقة لكنها مثمرة", "direct", **ZEIN, cue="قال"),
    # على لسان: the minister is the speaker, not the agency that relays him
    Expect(
        PORTS,
        "الحكومة ستراقب تنفيذ بنود الاتفاق بدقة",
        "indirect",
        "رامي حداد",
        ("وزير النقل رامي حداد", "حداد"),
        "حداد",
    ),
    # mixed with an appositive speaker phrase (title، name،)
    Expect(
        FOOT,
        'الإدارة "راضية تماما" عن النتائج التي حققها الفريق هذا الموسم',
        "mixed",
        "سمير عوض",
        ("المتحدث الرسمي باسم النادي، سمير عوض", "المتحدث الرسمي باسم النادي"),
        "عوض",
        cue="وقال",
    ),
    # direct in '…' after قائلا:
    Expect(
        FOOT, "هذا النادي أصبح بيتي الثاني، وأريد أن أحقق معه لقب الدوري", "direct", **MARQUES, cue="قائلا"
    ),
    # indirect, speaker by title only (المدرب البرتغالي) resolved to the coach
    Expect(
        FOOT,
        "الفريق يحتاج إلى تعزيز خط الدفاع في فترة الانتقالات الشتوية",
        "indirect",
        **MARQUES,
        cue="وتابع",
    ),
    # list items of the form SOURCE: statement
    Expect(FOOT, "سنقاتل على كل الألقاب حتى الجولة الأخيرة", "direct", **MARQUES, cue=":"),
    Expect(
        FOOT,
        "لا نية لبيع أي لاعب أساسي",
        "direct",
        "رئيس نادي الشروق",
        (),
        "رئيس",
        cue=":",
    ),
]

# Articles whose every quote is listed above: anything else predicted there is spurious.
COMPLETE = (AGRI, BANK, HEALTH, AIR, PORTS, FOOT)
NO_QUOTES = ("sample-05-weather", "sample-06-english")


# Known failures of the rules (test kind, expectation id) -> reason; strict, so a fix shows up.
RULES_XFAIL: dict[tuple[str, str], str] = {}


def _params(kind: str, only_with_cue: bool = False) -> list[Any]:
    out = []
    for e in EXPECTATIONS:
        if only_with_cue and e.cue is None:
            continue
        reason = RULES_XFAIL.get((kind, str(e)))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(e, id=str(e), marks=marks))
    return out


def _found(e: Expect) -> dict[str, Any]:
    span = e.span()
    best: tuple[float, dict[str, Any] | None] = (0.0, None)
    for record in predictions(e.article):
        if record["field"] != e.field:
            continue
        o = overlap(span, record["span"])
        if o > best[0]:
            best = (o, record)
    o, record = best
    got = record["text"] if record else None
    assert record is not None and o >= MATCH_IOU, (
        f"no quote matches {e.content!r} (best IoU {o:.2f}: {got!r})"
    )
    return record


def test_samples_are_well_formed() -> None:
    rows = load_samples()
    assert 6 <= len(rows) <= 10
    for e in EXPECTATIONS:
        e.span()  # every expected content occurs exactly once in its article
        assert e.article in rows


@pytest.mark.parametrize("e", _params("found"))
def test_quote_found_with_type(e: Expect) -> None:
    record = _found(e)
    assert record["type"] == e.type, f"type {record['type']!r} for {record['text']!r}"


@pytest.mark.parametrize("e", _params("speaker"))
def test_speaker(e: Expect) -> None:
    record = _found(e)
    assert speaker_correct(record, e.gold), f"speaker {record['speaker']} for {record['text']!r}"


@pytest.mark.parametrize("e", _params("cue", only_with_cue=True))
def test_cue(e: Expect) -> None:
    record = _found(e)
    assert fold(record["cue"]["text"]) == fold(e.cue), f"cue {record['cue']} for {record['text']!r}"
    source = load_samples()[e.article][e.field]
    start, end = record["cue"]["span"]
    assert source[start:end] == record["cue"]["text"]


SPURIOUS_XFAIL: dict[str, str] = {}


@pytest.mark.parametrize(
    "article_id",
    [
        pytest.param(
            a, marks=[pytest.mark.xfail(strict=True, reason=SPURIOUS_XFAIL[a])] if a in SPURIOUS_XFAIL else []
        )
        for a in COMPLETE + NO_QUOTES
    ],
)
def test_no_spurious_quotes(article_id: str) -> None:
    """Every predicted quote is one of the expected ones (the «» around names, the noun-phrase objects
    of أعلن عن / دعا إلى / أعرب عن and the journalist's own sentences are not quotes)."""
    expected = [(e.field, e.span()) for e in EXPECTATIONS if e.article == article_id]
    spurious = [
        (r["field"], r["text"])
        for r in predictions(article_id)
        if not any(f == r["field"] and overlap(s, r["span"]) >= 0.5 for f, s in expected)
    ]
    assert not spurious, f"quotes nobody spoke: {spurious}"


def test_guillemets_around_names_are_not_quotes() -> None:
    texts = {fold(r["text"]) for r in predictions(AIR)}
    for name in ("النورس", "أطلس 300", "الحجز السريع", "المسافر"):
        assert fold(name) not in texts
    for r in predictions(AIR):
        assert "المسافر" not in r["text"], "the medium phrase is not part of the content"
        assert "المسافر" not in (r["speaker"]["name"] or ""), "the medium is not the speaker"


def test_implicit_speakers_have_no_mention_and_share_the_entity() -> None:
    by_text = {r["text"]: r for r in predictions(BANK)}
    explicit = next(r for t, r in by_text.items() if t.startswith("معدلات التضخم"))
    implicit = next(r for t, r in by_text.items() if t.startswith("البنك سيواصل"))
    assert implicit["speaker"]["mention"] is None
    assert implicit["speaker"]["id"] == explicit["speaker"]["id"]


def test_records_point_into_their_field() -> None:
    rows = load_samples()
    for article_id, row in rows.items():
        for r in predictions(article_id):
            source = row[r["field"]]
            start, end = r["span"]
            assert source[start:end] == r["text"]
