"""Unit tests of resolving implicit speakers (``worker/attribution/resolve.py``): which entity a cue
with no speaker of its own (وقال، وأضاف، مؤكدا) refers to, on sentences written for these tests."""

from __future__ import annotations

from rules_extractor import rules, speaker_name


def _speakers(text: str) -> list[str | None]:
    return [speaker_name(q) for q in rules().extract(text)]


# --- a new subject introduced by a verb that is no cue (issue 16, kind 2) ---------------------------
def test_a_negated_verb_opening_the_sentence_introduces_the_next_speaker() -> None:
    # ولم + a verb: the verb after the particle opens the clause, its subject speaks next
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. ولم يرغب ماتياس كورنفيلد في الحديث عن "
        "التفاصيل، وقال إن العمل سيستغرق شهرا."
    )
    assert _speakers(text) == ["يوسف العلي", "ماتياس كورنفيلد"]


def test_a_particle_before_a_feminine_verb_introduces_the_next_speaker() -> None:
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. وقد وافقت الحكومة على الخطة، وقالت إن "
        "التمويل متاح."
    )
    assert _speakers(text) == ["يوسف العلي", "الحكومة"]


def test_a_foreign_name_the_lexicon_does_not_know_is_the_subject_the_tagger_finds() -> None:
    # ينفي opened no quote of its own; its subject is a name no list knows: the learned tagger's PER
    text = (
        "قالت المتحدثة باسم الحكومة ليلى منصور إن الاجتماع تأجل. وينفي بيرغمولر الذي يقيم في فيينا أي "
        "دور له في التأجيل، ويقول إن القرار اتخذ دونه."
    )
    assert _speakers(text) == ["ليلى منصور", "بيرغمولر"]


def test_a_country_of_two_words_is_a_subject_that_speaks() -> None:
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. ورفضت الولايات المتحدة الخطة الجديدة، "
        "وقالت إنها لا تلبي الشروط."
    )
    assert _speakers(text) == ["يوسف العلي", "الولايات المتحدة"]


def test_the_object_of_a_cue_verb_with_no_subject_is_not_the_speaker() -> None:
    # ونفى إصدار …: the verb's subject is left implicit (the minister), its object names no one
    text = (
        "قال وزير المالية سامي كريم إن الميزانية جاهزة. ونفى إصدار أية سندات جديدة هذا العام، وأضاف "
        "أن العجز سينخفض."
    )
    assert _speakers(text) == ["سامي كريم", "سامي كريم"]
