"""Built-in first-guess rules: cues per axis, negation, confidences, the estimator interface."""

from __future__ import annotations

import numpy as np
import pytest

from kundfokus.contacts.rules import (
    AXES,
    MOOD,
    PURPOSE_TYPES,
    TREATMENT,
    URGENCY,
    RuleGuess,
    RuleModel,
    guess,
    guess_frame,
)
from kundfokus.errors import InputError


def test_label_constants():
    assert PURPOSE_TYPES == ("problem", "need", "intent", "question", "feedback")
    assert URGENCY == ("now", "today", "no_rush")
    assert MOOD == ("negative", "neutral", "positive")
    assert TREATMENT == ("quick", "personal", "guided", "self_service")
    assert list(AXES) == ["purpose", "urgency", "mood", "treatment"]


@pytest.mark.parametrize(
    "text, label",
    [
        # the form (a question) is weak evidence: the content decides
        ("Hur gör jag för att byta adress?", "intent"),
        ("How do I link my card to the app?", "intent"),
        ("Why has my card still not arrived?", "problem"),
        ("Varför har ni dragit en extra avgift?", "problem"),
        ("What are the fees for transfers abroad?", "question"),
        ("Vad kostar ett extrakort?", "question"),
        ("Hur lång tid tar en överföring?", "question"),
        ("Appen fungerar inte", "problem"),
        ("You charged me twice for the same order", "problem"),
        ("Ni har dragit pengar dubbelt", "problem"),
        ("My parcel still hasn't arrived", "problem"),
        ("Paketet har fortfarande inte kommit", "problem"),
        ("Jag vill säga upp mitt abonnemang", "intent"),
        ("I want to cancel my subscription", "intent"),
        ("Jag vill beställa ett nytt kort", "need"),
        ("Can I get a refund?", "need"),
        ("Jag behöver ett intyg till banken", "need"),
        ("I need a certificate for my landlord", "need"),
    ],
)
def test_purpose(text, label):
    g = guess(text)["purpose"]
    assert g.label == label, (text, g)
    assert g.evidence, "a cue-based guess names its evidence"


@pytest.mark.parametrize(
    "text, label",
    [
        ("Mitt kort är stulet", "now"),
        ("Block my card immediately", "now"),
        ("Det är akut", "now"),
        ("I need it asap", "now"),
        ("Kan ni fixa det idag?", "today"),
        ("I need the certificate before tomorrow", "today"),
        ("Ingen brådska, svara när ni har tid", "no_rush"),
        ("Vad kostar ett extrakort?", "no_rush"),
    ],
)
def test_urgency(text, label):
    assert guess(text)["urgency"].label == label


@pytest.mark.parametrize(
    "text, label",
    [
        ("Det här är helt oacceptabelt", "negative"),
        ("I'm really disappointed", "negative"),
        ("Tack så mycket, ni är fantastiska", "positive"),
        ("Great service, thank you so much", "positive"),
        ("Jag vill byta adress", "neutral"),
        ("Inte bra alls", "negative"),  # negation flips
        ("I'm not happy with this", "negative"),
        ("The app is not bad", "positive"),
    ],
)
def test_mood(text, label):
    assert guess(text)["mood"].label == label


def test_exclamation_strengthens_mood():
    calm = guess("Jag är besviken")["mood"]
    loud = guess("Jag är besviken!!!")["mood"]
    assert calm.label == loud.label == "negative"
    assert loud.confidence > calm.confidence
    # an exclamation alone is no mood
    assert guess("Hej!")["mood"].label == "neutral"


@pytest.mark.parametrize(
    "text, label",
    [
        ("Spärra mitt kort", "quick"),
        ("Hur gör jag för att komma igång med appen?", "guided"),
        ("I want to speak to a real person about my complaint", "personal"),
        ("Min man har gått bort och jag behöver hjälp med dödsboet", "personal"),
        ("Var hittar jag mina fakturor i appen?", "self_service"),
    ],
)
def test_treatment(text, label):
    assert guess(text)["treatment"].label == label


def test_no_cue_gives_default_with_low_confidence():
    g = guess("Hej")
    assert g["urgency"].label == "no_rush" and g["mood"].label == "neutral"
    assert g["purpose"].label == "problem" and g["purpose"].confidence <= 0.35
    assert all(x.evidence == [] for x in g.values())


def test_more_agreeing_cues_raise_confidence():
    one = guess("Spärra kortet nu")["urgency"]
    two = guess("Spärra kortet nu, det är akut, kortet är stulet")["urgency"]
    assert one.label == two.label == "now"
    assert 0.3 < one.confidence < two.confidence < 1


def test_lang_restricts_cues():
    assert guess("Jag vill säga upp", lang="en")["purpose"].evidence == []
    assert guess("Jag vill säga upp", lang="sv")["purpose"].label == "intent"
    with pytest.raises(InputError):
        guess("x", lang="de")


def test_swedish_contact_through_redaction_language_and_rules():
    from kundfokus.contacts.language import detect_language
    from kundfokus.contacts.redaction import redact

    text = (
        "Hej! Mitt kort är stulet, spärra det nu. Mitt personnummer är 19811218-9876, "
        "ring mig på 070-123 45 67"
    )
    clean = redact(text)
    assert "19811218-9876" not in clean and "070-123 45 67" not in clean
    assert "[PERSONNUMMER]" in clean and "[PHONE]" in clean
    assert detect_language(clean) == "sv"
    g = guess(clean, lang="sv")
    assert g["purpose"].label in ("problem", "intent")
    assert g["urgency"].label == "now"
    assert g["mood"].label == "negative"
    assert isinstance(g["purpose"], RuleGuess) and g["purpose"].source == "rules"


def test_english_contact_end_to_end():
    from kundfokus.contacts.language import detect_language
    from kundfokus.contacts.redaction import redact

    text = "I was charged twice!! Call me on +44 20 7946 0958 today, this is unacceptable."
    clean = redact(text)
    assert clean == "I was charged twice!! Call me on [PHONE] today, this is unacceptable."
    assert detect_language(clean) == "en"
    g = guess(clean)
    assert (g["purpose"].label, g["urgency"].label, g["mood"].label) == (
        "problem",
        "today",
        "negative",
    )


def test_rule_model_is_a_classifier():
    texts = ["Appen fungerar inte", "Jag vill säga upp", "Hur gör jag?", "Jag behöver hjälp"]
    m = RuleModel("purpose").fit(texts)
    assert list(m.classes_) == list(PURPOSE_TYPES)
    pred = m.predict(texts)
    assert list(pred) == ["problem", "intent", "question", "need"]
    proba = m.predict_proba(texts)
    assert proba.shape == (4, len(PURPOSE_TYPES))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (np.array(m.classes_)[proba.argmax(axis=1)] == pred).all()
    assert m.score(texts, ["problem", "intent", "question", "problem"]) == 0.75
    assert m.get_params() == {"axis": "purpose", "lang": None}


def test_rule_model_works_with_sklearn_tools():
    from sklearn.base import clone

    m = clone(RuleModel("mood", lang="sv"))
    assert m.axis == "mood" and m.lang == "sv"


def test_rule_model_errors():
    with pytest.raises(InputError):
        RuleModel("colour").predict(["x"])
    with pytest.raises(InputError) as err:
        RuleModel("urgency").fit(["a", "b"], ["now", "later"])
    assert err.value.row == 2 and err.value.value == "later"
    with pytest.raises(InputError):
        RuleModel().predict("a single string")
    with pytest.raises(InputError) as err:
        RuleModel().predict(["ok", None])
    assert err.value.row == 2


def test_guess_frame_is_tidy():
    df = guess_frame(["Spärra kortet nu!", "Hur gör jag?"])
    assert list(df.columns) == ["row", "axis", "label", "confidence", "source", "evidence"]
    assert len(df) == 8
    assert set(df["source"]) == {"rules"}
    assert df.loc[(df.row == 2) & (df.axis == "purpose"), "label"].item() == "question"
    assert df["confidence"].between(0, 1).all()


def test_purpose_rules_on_real_banking77_sample(test_data):
    """On 320 real BANKING77 queries (tests/data, CC BY 4.0; 6 problem and 2 question intents,
    mapped with kundfokus.contacts.taxonomies) the rules beat chance clearly on both classes.

    Measured when written: problem recall 0.625, question recall 0.825 (balanced 0.725), and a
    problem guess was right 150 of 152 times. The sample is from the train split, which the cues
    were developed on: the test-split figure is in benchmarks/rules_eval.py and docs/contact-rules.md.
    """
    import csv

    from kundfokus.contacts.taxonomies import banking77_purpose

    mapping = banking77_purpose()
    with open(test_data / "banking77_review_sample.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    y = np.array([mapping[r["category"]] for r in rows], dtype=object)
    pred = RuleModel("purpose", lang="en").predict([r["text"] for r in rows])
    recall = {c: float(np.mean(pred[y == c] == c)) for c in ("problem", "question")}
    assert recall["problem"] >= 0.6 and recall["question"] >= 0.8, recall
    assert (recall["problem"] + recall["question"]) / 2 >= 0.7
    assert np.mean(y[pred == "problem"] == "problem") >= 0.95


def test_shouting_strengthens_negative_mood_but_placeholders_and_acronyms_do_not():
    calm = guess("Jag är besviken, sluta dra pengar")["mood"]
    loud = guess("Jag är besviken, SLUTA dra pengar")["mood"]
    assert loud.confidence > calm.confidence and "SLUTA" in loud.evidence
    assert guess("Ring mig på [PHONE], jag är besviken")["mood"].confidence == calm.confidence
    assert guess("My IBAN is wrong and I am upset")["mood"].evidence == ["upset"]


@pytest.mark.parametrize(
    "text",
    [
        "Det finns ett köp jag inte känner igen",
        "Någon har använt mitt kort utan mitt tillstånd",
        "There is a payment I don't recognise on my statement",
        "Someone is using my card",
        "I didn't make this withdrawal",
    ],
)
def test_possible_fraud_is_urgent(text):
    assert guess(text)["urgency"].label == "now"


def test_informational_question_is_no_rush():
    for text in ("What is the exchange rate to euro?", "Vilka länder kan jag använda kortet i?"):
        assert guess(text)["urgency"].label == "no_rush"


@pytest.mark.parametrize(
    "text",
    [
        "Jag ringer för att kortet inte fungerar",
        "Jag undrar varför paketet inte har kommit",
        "Det är konstigt att jag inte kan logga in",
    ],
)
def test_swedish_subordinate_word_order(text):
    assert guess(text)["purpose"].label == "problem"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Tack för snabb hjälp igår, allt fungerar nu!", "feedback"),
        ("Thank you so much for the quick help, everything works now.", "feedback"),
        ("Jag vill tacka för ett trevligt bemötande", "feedback"),
        ("Worst customer service ever.", "feedback"),
        ("Usel service, aldrig mer.", "feedback"),
        # thanks beside a request: the request decides
        ("Thanks, but my card still does not work", "problem"),
        ("Tack för hjälpen! Hur lång tid tar en överföring?", "question"),
        ("Thanks for the info, can you please cancel my card?", "intent"),
        ("Tack, jag behöver ett nytt kort", "need"),
    ],
)
def test_feedback_is_praise_or_complaint_that_asks_for_nothing(text, label):
    assert guess(text)["purpose"].label == label
