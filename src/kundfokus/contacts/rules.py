"""Built-in Swedish and English rules: a first guess per axis before anyone has labelled anything.

Every contact brings a NEED (what it is about; here its *purpose type*: a problem, a need, an intent
or a question) and a SITUATION (how and how fast it should be handled: *urgency*, *mood* and
*treatment*). These rules give a first, transparent guess on each axis from cue words and
punctuation, so a new installation shows something useful on day one. They are heuristics and are
shown as such (``source="rules"``); once people have corrected a few hundred contacts, a trained
model (``kundfokus.contacts.classifier``) replaces them, and disagreement between rules and model is
one of the signals that fills the review queue.

How a guess is made, per axis:

1. every cue that matches adds its weight to its label (a cue is a phrase such as "fungerar inte",
   "charged twice", "jag vill", "?", "stulen"); mood cues preceded by a negation ("inte bra",
   "not happy") count for the opposite mood, and exclamation marks strengthen a mood that is there;
2. the label with the most weight wins; with no cue at all, the axis' default wins (``problem``:
   a statement to customer service with no cue is most often a problem; ``no_rush``, ``neutral``,
   ``quick``);
3. ``confidence`` is the winner's share of the total weight after adding a prior of weight 0.5
   spread over the labels (the default label holds most of it), so one weak cue gives a modest
   confidence and several agreeing cues a high one. It is a heuristic share, not a calibrated
   probability. ``RuleModel.predict_proba`` returns these shares and ``predict`` their argmax.

Examples
--------
>>> g = guess("Hej! Mitt kort är stulet, spärra det nu.")
>>> g["urgency"].label, g["mood"].label, g["purpose"].label
('now', 'negative', 'problem')
>>> g["urgency"].evidence
['stulet', 'spärra', 'nu']
>>> guess("How do I change my PIN?")["purpose"].label  # an action, asked as a question
'intent'
>>> guess("What is the fee for a transfer abroad?")["purpose"].label
'question'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kundfokus.base import Estimator
from kundfokus.errors import InputError

__all__ = [
    "AXES",
    "MOOD",
    "PURPOSE_TYPES",
    "TREATMENT",
    "URGENCY",
    "RuleGuess",
    "RuleModel",
    "guess",
    "guess_frame",
]

PURPOSE_TYPES: tuple[str, ...] = ("problem", "need", "intent", "question", "feedback")
#: The purpose types' names for people (a *feedback* contact asks for nothing: praise, or a
#: complaint that wants to be heard rather than handled).
PURPOSE_NAMES: dict[str, dict[str, str]] = {
    "problem": {"en": "Problem", "sv": "Problem"},
    "need": {"en": "Need", "sv": "Behov"},
    "intent": {"en": "Intent (an action to carry out)", "sv": "Avsikt (något som ska göras)"},
    "question": {"en": "Question", "sv": "Fråga"},
    "feedback": {"en": "Feedback (praise or complaint, nothing asked)",
                 "sv": "Synpunkt (beröm eller klagomål, ingen begäran)"},
}  # fmt: skip
URGENCY: tuple[str, ...] = ("now", "today", "no_rush")
MOOD: tuple[str, ...] = ("negative", "neutral", "positive")
TREATMENT: tuple[str, ...] = ("quick", "personal", "guided", "self_service")

#: The axes the rules guess, with their labels in a fixed order (the column order of
#: :meth:`RuleModel.predict_proba`). ``purpose`` is on the NEED axis, the others on the SITUATION axis.
AXES: dict[str, tuple[str, ...]] = {
    "purpose": PURPOSE_TYPES,
    "urgency": URGENCY,
    "mood": MOOD,
    "treatment": TREATMENT,
}

#: Prior share per label (sums to 1 per axis): the guess when no cue matches; it tempers confidences.
PRIORS: dict[str, dict[str, float]] = {
    # a text with no cue at all is a statement, and statements to customer service are mostly
    # problems ("My card isn't here yet."): 480 of the 642 cue-less BANKING77 train texts
    "purpose": {"problem": 0.34, "need": 0.2, "intent": 0.2, "question": 0.24, "feedback": 0.02},
    "urgency": {"now": 0.1, "today": 0.15, "no_rush": 0.75},
    "mood": {"negative": 0.15, "neutral": 0.7, "positive": 0.15},
    "treatment": {"quick": 0.4, "personal": 0.2, "guided": 0.2, "self_service": 0.2},
}
#: Total weight of the prior: one cue of weight >= 0.4 outweighs any default.
PRIOR_WEIGHT = 0.5


@dataclass(frozen=True)
class RuleGuess:
    """A rule-based first guess on one axis.

    ``evidence`` lists the cues that matched (for the winning label), in text order.
    """

    axis: str
    label: str
    confidence: float
    source: str = "rules"
    evidence: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# cues: (axis, label, weight, language, regex). Regexes are matched on the lower-cased text with
# word boundaries added; "*" language means both.

_CUES: list[tuple[str, str, float, str, str]] = []


def _cue(axis: str, label: str, weight: float, lang: str, *patterns: str) -> None:
    for p in patterns:
        _CUES.append((axis, label, weight, lang, p))


# ---- purpose. The four types follow kundfokus.contacts.taxonomies: a *problem* is something that
# went wrong; a *need* is something the customer wants to obtain from the organisation (a new card,
# a refund, a certificate); an *intent* is an action the customer wants carried out (cancel, change,
# transfer, link); a *question* asks for information before anything has gone wrong (fees, limits,
# times, rules). The form of the text (a question mark, "how do I") is weak evidence: "Why has my
# card still not come?" is a problem, "How do I link my card?" an intent. So content cues weigh
# more than question marks and interrogatives.

# question: the form (weak) ...
_cue("purpose", "question", 0.4, "*", r"\?")
_cue(
    "purpose", "question", 0.3, "en",
    r"^(?:how|what|why|when|where|which|who|is|are|does|do|can|could|will|would|should)",
)  # fmt: skip
_cue(
    "purpose", "question", 0.3, "sv",
    r"^(?:hur|vad|varför|när|var|vilken|vilket|vilka|vem|är|kan|går|finns|får|ska|måste)",
)  # fmt: skip
# ... and asking for information (strong)
_cue(
    "purpose", "question", 1.0, "en",
    r"fees?", r"costs?", r"price", r"rates?", r"limits?", r"how (?:long|much|many|often|soon)",
    r"is (?:it|there) (?:possible|a way|any)", r"are there", r"do you (?:offer|accept|support|have|allow|charge)",
    r"can (?:i|you) use", r"(?:which|what) (?:countries|currencies|cards|documents|kind|type)",
    r"what (?:is|are) the", r"i (?:was )?wonder(?:ing)?", r"(?:want|like|need) to know", r"curious",
    r"tell me (?:how|what|why|when|where|if|about)", r"explain", r"information", r"info",
    r"requirements?", r"allowed", r"age", r"policy", r"where (?:can|do) i find", r"how does",
    r"what happens", r"is it safe", r"do i have to", r"accepted",
)  # fmt: skip
_cue(
    "purpose", "question", 1.0, "sv",
    r"avgift(?:er|en)?", r"kostar", r"kostnad(?:en)?", r"pris(?:et)?", r"ränt(?:a|an)", r"gräns(?:en)?",
    r"hur (?:lång tid|länge|mycket|många|ofta|snart)", r"går det att", r"finns det",
    r"(?:erbjuder|accepterar|tar) ni", r"kan (?:jag|man) använda", r"vilka (?:länder|valutor|kort|dokument)",
    r"vad (?:är|gäller|innebär|händer)", r"undrar", r"vill veta", r"skulle vilja veta", r"nyfiken",
    r"förklara", r"information", r"info", r"krav(?:en)?", r"tillåtet", r"ålder(?:sgräns)?",
    r"regler(?:na)?", r"var hittar jag", r"hur fungerar", r"är det säkert", r"måste jag",
)  # fmt: skip

# problem: something went wrong (strong: it outweighs the question form)
_cue(
    "purpose", "problem", 1.5, "en",
    r"(?:is|are|was|were|it's|isn't|aren't|is not|still) not (?:working|arriving|showing|there|here|received|updated|going through)",
    r"(?:doesn't|does not|didn't|did not|won't|will not|isn't|aren't|wasn't|can't|cannot) (?:work|working|arrive|show|go through|load|accept|come|update|seem|recogni[sz]e)",
    r"not working", r"stopped working", r"broken", r"charged (?:me |us )?twice", r"double charged",
    r"charged (?:me )?(?:extra|more|wrong|again)", r"overcharged", r"wrong (?:amount|charge|rate|exchange)",
    r"(?:still )?(?:hasn't|has not|haven't|have not) (?:arrived|come|received|been|got|gotten|appeared|gone|shown|updated)",
    r"(?:didn't|did not|never) (?:get|receive|arrive|come|go)", r"not received", r"not (?:yet )?arrived",
    r"still (?:waiting|pending|not|hasn't|haven't|isn't|no)", r"missing", r"declined", r"rejected",
    r"failed", r"fail(?:s|ing)?", r"stuck", r"pending", r"stolen", r"lost", r"hacked", r"compromised",
    r"fraud(?:ulent)?", r"scam(?:med)?", r"(?:don't|do not|didn't) recogni[sz]e", r"unauthori[sz]ed",
    r"(?:can't|cannot|can not|unable to)", r"error", r"problem", r"issue", r"bug", r"incorrect",
    r"disappeared", r"locked out", r"blocked", r"frozen", r"delayed", r"damaged", r"complain(?:t)?",
    r"reverted", r"returned", r"wrong", r"twice", r"swallowed", r"why (?:was|were|did|is|am|has|have) (?:i|my|me|it|there|the)",
    r"(?:extra|additional|unexpected|strange|weird|random) (?:fee|charge|payment|transaction)",
    r"i (?:did not|didn't|never) (?:make|authori[sz]e|do|order)", r"where is my", r"where's my",
    r"not (?:show|showing|updated|update|go|gone|through)", r"been charged", r"got charged",
    r"was charged", r"were charged", r"(?:hasn't|has not|haven't|have not|didn't|did not|not) reached",
    r"keeps? (?:crashing|failing|freezing|logging|closing|declining|happening)", r"all the time",
    r"(?:unhappy|dissatisfied|disappointed)(?: with)?", r"two (?:times|invoices|bills|payments)",
    r"(?:duplicate|double) (?:payment|charge|invoice|bill)",
    r"(?:third|fourth|fifth|several|many) times?", r"again and again", r"over and over",
    r"never (?:arrived|came|got|received|showed up)", r"(?:isn't|is not|aren't|are not) (?:here|there)",
    r"(?:don't|do not|still don't) (?:have|see|think)", r"more than (?:i|we) (?:expected|anticipated|thought)",
)  # fmt: skip
_cue(
    "purpose", "problem", 1.5, "sv",
    r"fungerar inte", r"funkar inte", r"går inte(?: att)?", r"kan inte", r"kunde inte",
    # subordinate clauses put "inte" first: "att kortet inte fungerar", "fast paketet inte har kommit"
    r"inte (?:fungerar|funkar|fungerade|funkade|går att)", r"inte (?:har|hade) (?:kommit|fått|dykt upp)",
    r"inte kan (?:logga|betala|komma|använda|se|hitta|ta ut)",
    r"slutat (?:fungera|funka)", r"trasig(?:t|a)?", r"sönder", r"fel(?:et|aktig(?:t|a)?)?",
    r"felmeddelande", r"dragit (?:pengar )?dubbelt", r"dragits dubbelt", r"dubbeldrag(?:ning|it)",
    r"dragit för mycket", r"(?:har|hade) (?:fortfarande )?inte (?:kommit|fått|dykt upp|kommit fram|syns)",
    r"inte (?:fått|kommit|syns|dykt upp|gått igenom)", r"fortfarande (?:inte|inget|ingen|väntar)",
    r"saknas", r"fattas", r"nekad(?:es|e)?", r"nekas", r"misslyckade?s?", r"stulen", r"stulet",
    r"stulna", r"tappat", r"tappade", r"borttappad(?:e|t)?", r"förlorat", r"kapad(?:e|t)?",
    r"hackad(?:e|t)?", r"bedrägeri", r"bluff", r"(?:känner inte|inte känner) igen", r"obehörig(?:a|t)?",
    r"problem(?:et)?", r"strul", r"krånglar", r"försvunnit", r"utelåst", r"spärrad(?:e|t)?",
    r"låst(?:a)?", r"försenad(?:e|t)?", r"skadad(?:e|t)?", r"klagomål", r"reklamation",
    r"reklamera", r"dubbelt", r"varför (?:har|har ni|blev|är|drogs|fick)", r"var är mitt",
    r"var är min", r"(?:extra|konstig|okänd|oväntad) (?:avgift|dragning|betalning|transaktion)",
    r"jag har inte (?:gjort|beställt|godkänt)", r"blivit debiterad", r"debiterats",
    r"kommer inte (?:in|åt|fram)", r"hela tiden", r"missnöjd(?:a)?", r"besviken", r"besvikna",
    r"två (?:gånger|fakturor|räkningar|betalningar|dragningar)", r"(?:tredje|fjärde|femte) gången",
    r"flera gånger", r"gång på gång", r"dubbla (?:fakturor|räkningar|betalningar|dragningar)",
)  # fmt: skip

# need: something to obtain from the organisation
_cue(
    "purpose", "need", 1.2, "en",
    r"i need(?! to)", r"we need(?! to)", r"need(?:s|ed)? (?:a|an|some|help|my|the|new)", r"i must",
    r"i have to",
    r"i've got to", r"i require", r"i'm looking for", r"i am looking for", r"help me", r"need help",
    r"(?:a|my|the) new (?:card|one|pin|password|passcode|code)", r"replacement", r"replace",
    r"(?:can|could|may) i (?:get|have|obtain|receive|request)", r"how (?:do|can|would) i (?:get|obtain|receive|request)",
    r"where (?:can|do) i get", r"get (?:a|an|another|my|one)", r"give me", r"send me", r"request",
    r"refund", r"my money back", r"order (?:a|an|another|new|one)", r"virtual card", r"verif(?:y|ication)",
    r"expir(?:e|es|ed|ing)", r"statement", r"certificate",
)  # fmt: skip
_cue(
    "purpose", "need", 1.2, "sv",
    r"jag behöver", r"vi behöver", r"behöver (?:ett|en|hjälp|få|ha|byta|nytt|ny)", r"jag måste",
    r"vi måste", r"jag letar efter", r"hjälp mig", r"behöver hjälp", r"(?:ett|mitt) nytt (?:kort|lösenord)",
    r"(?:en|min) ny (?:kod|pinkod)", r"ersättningskort", r"ersätt(?:a|ning)", r"(?:kan|får) jag få",
    r"hur får jag", r"var får jag", r"få (?:ett|en|nytt|ny|tillbaka)", r"skicka (?:mig|ett|en|nytt|ny)",
    r"begära", r"återbetalning(?:en)?", r"pengarna tillbaka", r"beställa (?:ett|en|nytt|ny)",
    r"virtuellt kort", r"verifiera", r"verifiering", r"går ut", r"utgår", r"kontoutdrag", r"intyg",
)  # fmt: skip

# intent: an action the customer wants carried out
_cue(
    "purpose", "intent", 1.0, "en",
    r"i (?:want|wanna|wish) to", r"i'?d like to", r"i would like to", r"i'm trying to",
    r"i am trying to", r"please", r"(?:can|could|would) you(?! (?:please )?(?:tell|explain|help))",
    r"cancel", r"terminate", r"close (?:my|the)", r"block", r"freeze", r"change", r"update",
    r"transfer", r"top(?:-| )?up", r"apply for", r"book", r"upgrade", r"sign up", r"register",
    r"activate", r"reset", r"unblock", r"delete", r"remove", r"add", r"switch", r"withdraw",
    r"exchange", r"link", r"set up", r"edit", r"unlock", r"move", r"send (?:money|funds)",
    r"pay (?:with|by|using)", r"use (?:my|a|the)", r"deposit", r"make a",
)  # fmt: skip
_cue(
    "purpose", "intent", 1.0, "sv",
    r"jag vill", r"vi vill", r"jag skulle vilja", r"vill gärna", r"jag önskar", r"snälla",
    r"(?:kan|kunde|skulle) ni(?! (?:förklara|berätta))", r"säga upp", r"avsluta", r"avbeställa",
    r"avboka", r"stänga", r"spärra", r"ändra", r"byta", r"uppdatera", r"föra över",
    r"överföra", r"fylla på", r"ladda", r"ansöka", r"boka", r"returnera", r"uppgradera",
    r"registrera", r"aktivera", r"återställa", r"ta bort", r"lägga till", r"radera", r"ta ut",
    r"växla", r"koppla", r"låsa upp", r"flytta", r"skicka pengar", r"betala med", r"sätta in",
    r"använda (?:mitt|min|ett|en)",
)  # fmt: skip

# feedback: praise, or a complaint that asks for nothing. Strong enough to beat the prior and the
# weak question form, not a problem, need or intent cue: "Thanks, but my card still doesn't work"
# stays a problem, "Tack för hjälpen! Hur lång tid tar en överföring?" a question.
_cue(
    "purpose", "feedback", 1.2, "en",
    r"thank(?:s| you)(?: so much| very much| a lot)? for", r"many thanks", r"thanks a lot",
    r"(?:great|excellent|fantastic|amazing|brilliant|superb|outstanding|quick|fast|friendly|helpful) "
    r"(?:service|help|support|job|work|staff|experience)",
    r"(?:well|nicely) done", r"keep up the good work", r"you(?:'ve| have) been (?:very |so )?helpful",
    r"i(?:'m| am) (?:very |so |really )?(?:happy|pleased|satisfied|impressed) with",
    r"just wanted to (?:say|let you know|thank)", r"(?:everything|all) (?:works|is working|is fine) now",
    r"(?:worst|terrible|awful|horrible|appalling|lousy|poor) (?:customer )?(?:service|experience|support)",
    r"shame on you", r"never (?:again|recommend)", r"i will (?:never|not) recommend",
    r"(?:want|would like|wanted|wish) to (?:thank|say thank|compliment|praise)",
)  # fmt: skip
_cue(
    "purpose", "feedback", 1.2, "sv",
    r"tack för", r"tack så (?:mycket|jättemycket)", r"stort tack", r"tusen tack",
    r"(?:bra|snabb|fin|utmärkt|fantastisk|toppen|superb|trevlig|vänlig|hjälpsam) "
    r"(?:service|hjälp|support|bemötande|personal|kundtjänst|kundservice)",
    r"(?:jag är|vi är) (?:väldigt |mycket |jätte|så )?(?:nöjd|nöjda|imponerad|imponerade) (?:med|över)",
    r"ville bara (?:säga|tacka|berätta)", r"(?:allt|det) fungerar (?:nu|igen)", r"det löste sig",
    r"(?:usel|dålig|urusel|katastrofal|sämsta|bedrövlig) (?:service|kundservice|kundtjänst|hjälp|bemötande)",
    r"skäms på er", r"aldrig (?:mer|igen)", r"kommer inte (?:att )?rekommendera",
    r"vill (?:tacka|berömma|ge (?:beröm|en eloge))", r"tacka för",
)  # fmt: skip

# ---- urgency
_cue(
    "urgency", "now", 1.0, "en",
    r"right now", r"right away", r"immediately", r"at once", r"asap", r"a\.s\.a\.p",
    r"urgent(?:ly)?", r"emergency", r"straight away", r"this minute",
)  # fmt: skip
_cue(
    "urgency", "now", 1.0, "sv",
    r"genast", r"omedelbart", r"direkt", r"akut", r"brådskande", r"snabbt",
    r"så fort som möjligt", r"så snart som möjligt", r"nödläge",
)  # fmt: skip
# bare "now" / "nu" also means "currently" ("I live abroad now"): weaker, and not after "works"
_cue("urgency", "now", 0.6, "en", r"(?<!works )(?<!working )(?<!until )(?<!by )(?<!for )now")
_cue(
    "urgency", "now", 0.6, "sv",
    r"(?<!fungerar )(?<!funkar )(?<!till )(?<!för )(?<!hittills )nu", r"just nu",
)  # fmt: skip
_cue(
    "urgency", "now", 0.8, "en",
    r"stolen", r"hacked", r"fraud(?:ulent)?", r"compromised", r"someone (?:used|took|has)",
    r"unauthori[sz]ed", r"locked out",
)  # fmt: skip
_cue(
    "urgency", "now", 0.8, "sv",
    r"stulen", r"stulet", r"stulna", r"kapad(?:e|t)?", r"hackad(?:e|t)?", r"bedrägeri",
    r"obehörig(?:a|t)?", r"någon har (?:använt|tagit)", r"utelåst",
)  # fmt: skip
# possible fraud or theft: act before more money goes
_cue(
    "urgency", "now", 0.8, "en",
    r"(?:don't|do not|didn't|did not) recogni[sz]e", r"without my (?:permission|knowledge|consent)",
    r"someone (?:else )?(?:is|has|might be|may be|must have)? ?(?:using|used|taken|took|stole|stolen|got)",
    r"somebody (?:else )?(?:is|has)? ?(?:using|used|took|stole)", r"(?:stole|mugged|robbed)",
    r"(?:i |we )?(?:didn't|did not|never) (?:make|authori[sz]e|do|withdraw|take|approve)",
    r"not (?:made|done) by me", r"wasn't me", r"was not me", r"exposed", r"skimmed",
)  # fmt: skip
_cue(
    "urgency", "now", 0.8, "sv",
    r"(?:känner inte|inte känner) igen", r"utan (?:mitt|min) (?:tillstånd|godkännande|vetskap|vetande)",
    r"någon (?:annan )?(?:har )?(?:använt|använder|tagit|stulit|kommit åt)", r"rånad(?:e)?",
    r"(?:har inte|inte) (?:gjort|godkänt|tagit ut|beställt) (?:det|den|köpet|uttaget|betalningen)",
    r"inte jag", r"skimmad(?:e)?", r"läckt",
)  # fmt: skip
# blocking a card is urgent by nature
_cue("urgency", "now", 0.6, "en", r"(?:block|freeze|cancel|stop) (?:my|the|this) card")
_cue("urgency", "now", 0.6, "sv", r"spärra")
_cue("urgency", "now", 0.4, "en", r"lost", r"missing")
_cue("urgency", "now", 0.4, "sv", r"tappat", r"tappade", r"borttappad(?:e|t)?", r"försvunnit")
_cue(
    "urgency", "today", 1.0, "en",
    r"today", r"tonight", r"this (?:afternoon|evening|morning)", r"before tomorrow",
    r"by (?:tomorrow|the end of (?:the )?day|end of day|eod)", r"tomorrow", r"soon",
    r"within (?:the next )?(?:an hour|\d+ hours|hours)", r"deadline", r"in time for",
)  # fmt: skip
_cue(
    "urgency", "today", 1.0, "sv",
    r"idag", r"i dag", r"ikväll", r"i kväll", r"i eftermiddag", r"i förmiddag", r"i morse",
    r"innan imorgon", r"före imorgon", r"innan i morgon", r"imorgon", r"i morgon", r"snart",
    r"inom (?:en timme|\d+ timmar|några timmar)", r"senast", r"deadline", r"hinna",
)  # fmt: skip
_cue(
    "urgency", "no_rush", 1.0, "en",
    r"no rush", r"no hurry", r"not urgent", r"when(?:ever)? you (?:have|get) (?:the )?time",
    r"whenever", r"next (?:week|month|year)", r"at some point", r"in the future", r"eventually",
    r"planning to", r"thinking (?:of|about)", r"just (?:curious|wondering)", r"later",
)  # fmt: skip
_cue(
    "urgency", "no_rush", 1.0, "sv",
    r"ingen brådska", r"inte bråttom", r"ingen stress", r"inte akut", r"när ni har tid",
    r"nästa (?:vecka|månad|år)", r"någon gång", r"framöver", r"i framtiden", r"på sikt",
    r"planerar", r"funderar på", r"bara nyfiken", r"senare",
)  # fmt: skip

# ---- mood
_NEG_EN = (
    r"angry", r"furious", r"upset", r"annoyed", r"annoying", r"frustrat(?:ed|ing)", r"disappointed",
    r"disappointing", r"terrible", r"awful", r"horrible", r"worst", r"bad", r"unacceptable",
    r"ridiculous", r"useless", r"pathetic", r"disgusted", r"outrageous", r"scam", r"ugh", r"wtf",
    r"worried", r"stressed", r"scared", r"afraid", r"sad", r"fed up", r"sick of", r"tired of",
    r"complaint", r"never again", r"third time",
    r"hate", r"poor", r"rubbish", r"joke", r"nightmare", r"unhappy", r"confused",
)  # fmt: skip
_NEG_SV = (
    r"arg", r"förbannad", r"rasande", r"upprörd", r"irriterad", r"irriterande", r"frustrerad",
    r"frustrerande", r"besviken", r"besvikna", r"hemsk(?:t|a)?", r"fruktansvärd(?:a|t)?",
    r"sämst(?:a)?", r"dålig(?:t|a)?", r"oacceptabel(?:t)?", r"löjlig(?:t|a)?", r"värdelös(?:t|a)?",
    r"orolig", r"stressad", r"rädd", r"ledsen", r"trött på", r"less på", r"klagomål",
    r"aldrig mer", r"tredje gången", r"hatar", r"bedrövlig(?:t)?",
    r"skandal", r"katastrof", r"mardröm", r"missnöjd", r"förvirrad",
)  # fmt: skip
_POS_EN = (
    r"thank you so much", r"thanks a lot", r"great", r"good", r"excellent", r"fantastic", r"happy",
    r"love", r"perfect", r"awesome", r"amazing", r"helpful", r"appreciate(?:d)?", r"wonderful",
    r"smooth", r"pleased", r"satisfied", r"brilliant", r"nice", r"glad",
)  # fmt: skip
_POS_SV = (
    r"tack så mycket", r"stort tack", r"tusen tack", r"bra", r"jättebra", r"toppen", r"utmärkt",
    r"fantastisk(?:t|a)?", r"nöjd", r"nöjda", r"glad", r"älskar", r"perfekt", r"underbar(?:t|a)?",
    r"hjälpsam(?:t|ma)?", r"uppskattar", r"smidig(?:t|a)?", r"grym(?:t|ma)?", r"supertack",
    r"schysst", r"trevlig(?:t|a)?",
)  # fmt: skip
_cue("mood", "negative", 1.0, "en", *_NEG_EN)
_cue("mood", "negative", 1.0, "sv", *_NEG_SV)
_cue("mood", "negative", 0.6, "en", r"stolen", r"hacked", r"fraud", r"charged twice", r"lost")
_cue("mood", "negative", 0.6, "sv", r"stulen", r"stulet", r"stulna", r"kapad(?:e|t)?",
     r"bedrägeri", r"dragit (?:pengar )?dubbelt", r"tappat")  # fmt: skip
# repeat-contact and waiting markers: frustration, but weaker than an emotion word
_cue("mood", "negative", 0.5, "en", r"again", r"still", r"waited", r"waiting", r"yet again")
_cue("mood", "negative", 0.5, "sv", r"igen", r"fortfarande", r"väntat", r"väntar")
_cue("mood", "positive", 1.0, "en", *_POS_EN)
_cue("mood", "positive", 1.0, "sv", *_POS_SV)
_cue("mood", "positive", 0.4, "en", r"thanks", r"thank you")
_cue("mood", "positive", 0.4, "sv", r"tack")

# ---- treatment
_cue(
    "treatment", "quick", 1.0, "en",
    r"quick question", r"just (?:want|need|wanted) to", r"block", r"freeze", r"reset",
    r"top(?:-| )?up", r"balance", r"resend", r"activate", r"unblock",
)  # fmt: skip
_cue(
    "treatment", "quick", 1.0, "sv",
    r"snabb fråga", r"vill bara", r"behöver bara", r"spärra", r"återställa", r"fylla på",
    r"saldo", r"skicka om", r"aktivera", r"låsa upp",
)  # fmt: skip
_cue(
    "treatment", "personal", 1.0, "en",
    r"speak to (?:a|someone|a real)", r"talk to (?:a|someone|a real)", r"(?:real|human) person",
    r"call me", r"contact me", r"complaint", r"manager", r"passed away", r"died", r"deceased",
    r"bereavement", r"my situation", r"sick", r"hospital", r"divorce", r"fraud", r"stolen",
    r"hacked", r"unacceptable", r"third time",
)  # fmt: skip
_cue(
    "treatment", "personal", 1.0, "sv",
    r"prata med (?:en|någon|en riktig)", r"(?:riktig|verklig) människa", r"ring mig",
    r"kontakta mig", r"klagomål", r"chef", r"gått bort", r"avliden", r"dödsfall", r"dödsbo",
    r"min situation", r"sjuk", r"sjukhus", r"skilsmässa", r"bedrägeri", r"stulen", r"stulet",
    r"kapad(?:e|t)?", r"oacceptabel(?:t)?", r"tredje gången",
)  # fmt: skip
_cue(
    "treatment", "guided", 1.0, "en",
    r"how do i", r"how can i", r"how to", r"step by step", r"show me", r"walk me through",
    r"help me (?:to )?(?:set|get|understand|with)", r"first time", r"(?:don't|do not) understand",
    r"explain", r"set up", r"confused",
)  # fmt: skip
_cue(
    "treatment", "guided", 1.0, "sv",
    r"hur gör jag", r"hur kan jag", r"hur gör man", r"steg för steg", r"visa mig",
    r"hjälp mig (?:att|med)", r"första gången", r"förstår inte", r"förklara", r"ställa in",
    r"komma igång", r"förvirrad",
)  # fmt: skip
_cue(
    "treatment", "self_service", 1.0, "en",
    r"where (?:can|do) i find", r"in the app", r"online", r"website", r"opening hours",
    r"what (?:is|are) the (?:fee|fees|limit|limits|rate|rates)", r"how much does", r"faq",
    r"is it possible", r"do you (?:offer|accept|support)", r"which (?:countries|currencies)",
)  # fmt: skip
_cue(
    "treatment", "self_service", 1.0, "sv",
    r"var hittar jag", r"i appen", r"på nätet", r"hemsidan", r"webbplatsen", r"öppettider",
    r"vad kostar", r"vilka avgifter", r"går det att", r"erbjuder ni", r"vilka länder",
)  # fmt: skip

# a shouted word: four or more capitals, not a placeholder from redaction and not an acronym
_PLACEHOLDERS = re.compile(r"\[(?:PERSONNUMMER|PHONE|EMAIL|CARD|IBAN)\]")
_ACRONYMS = "IBAN|SWIFT|VISA|IMEI|BANKID|SEPA|FAQ|HTML|HTTP|HTTPS|GDPR|ATM|PIN|SMS|OCR|USD|EUR|SEK|GBP|NOK|DKK"
_SHOUT = re.compile(r"\b(?!(?:" + _ACRONYMS + r")\b)[A-ZÅÄÖ]{4,}\b")
_NEGATORS = re.compile(
    r"(?:\b(?:not|never|no|hardly|inte|ej|icke|aldrig|knappast|inget|ingen)\b|n't)\s+(?:\w+\s+)?$"
)
_OPPOSITE = {"negative": "positive", "positive": "negative"}


def _compile(lang: str) -> list[tuple[str, str, float, re.Pattern[str]]]:
    """One alternation per (axis, label, weight) so a text is scanned a few dozen times, not once
    per cue; longer phrases first so that "charged twice" wins over "twice"."""
    groups: dict[tuple[str, str, float, bool], list[str]] = {}
    for axis, label, weight, cue_lang, pattern in _CUES:
        if lang != "*" and cue_lang not in ("*", lang):
            continue
        anchored = pattern.startswith("^")
        groups.setdefault((axis, label, weight, anchored), []).append(pattern.lstrip("^"))
    out = []
    for (axis, label, weight, anchored), patterns in groups.items():
        alt = "|".join(sorted(set(patterns), key=len, reverse=True))
        # "don't", "don’t" and "dont" are the same cue
        alt = alt.replace("'", "['\u2019]?")
        if alt == r"\?":
            rx = re.compile(r"\?")
        elif anchored:
            rx = re.compile(r"^\W*(?:" + alt + r")(?!\w)")
        else:
            rx = re.compile(r"(?<!\w)(?:" + alt + r")(?!\w)")
        out.append((axis, label, weight, rx))
    return out


_COMPILED = {lang: _compile(lang) for lang in ("*", "sv", "en")}


def _scores(text: str, lang: str | None) -> dict[str, dict[str, list[tuple[int, str, float]]]]:
    """Per axis and label, the matched cues as (position, surface, weight)."""
    # placeholders from redaction ([PHONE], [CARD]) are no words: blank them, keeping positions
    low = _PLACEHOLDERS.sub(lambda m: " " * len(m.group()), text).lower()
    hits: dict[str, dict[str, list[tuple[int, str, float]]]] = {
        axis: {label: [] for label in labels} for axis, labels in AXES.items()
    }
    for axis, label, weight, rx in _COMPILED["*" if lang is None else lang]:
        for m in rx.finditer(low):
            target = label
            if (
                axis == "mood"
                and label in _OPPOSITE
                and _NEGATORS.search(low[max(0, m.start() - 40) : m.start()])
            ):
                # "inte bra", "not happy": the opposite mood; "not bad": only half as positive
                target = _OPPOSITE[label]
                weight = weight if label == "positive" else weight / 2
            surface = text[m.start() : m.end()].strip() or m.group(0)
            hits[axis][target].append((m.start(), surface, weight))
    # exclamation marks and shouting strengthen the mood that is already there
    bangs = min(text.count("!"), 3)
    shout = None if text.isupper() else _SHOUT.search(_PLACEHOLDERS.sub(" ", text))
    mood = hits["mood"]
    neg = sum(w for _, _, w in mood["negative"])
    pos = sum(w for _, _, w in mood["positive"])
    if (bangs or shout) and (neg or pos):
        label = "negative" if neg >= pos else "positive"
        pos_ = text.find("!")
        if bangs:
            mood[label].append((pos_, "!" * bangs, 0.3 * bangs))
        if shout and label == "negative":
            mood[label].append((shout.start(), shout.group(0), 0.5))
    return hits


def _proba(axis: str, cues: dict[str, list[tuple[int, str, float]]]) -> dict[str, float]:
    """Share of each label in cue weight plus a prior of total weight PRIOR_WEIGHT."""
    labels = AXES[axis]
    prior = PRIORS[axis]
    weight = {lab: sum(w for _, _, w in cues[lab]) for lab in labels}
    total = sum(weight.values()) + PRIOR_WEIGHT
    return {lab: (weight[lab] + PRIOR_WEIGHT * prior[lab]) / total for lab in labels}


def _decide(axis: str, cues: dict[str, list[tuple[int, str, float]]]) -> RuleGuess:
    proba = _proba(axis, cues)
    prior = PRIORS[axis]
    # the largest share wins (ties: the larger prior), so predict and predict_proba agree
    label = max(AXES[axis], key=lambda lab: (round(proba[lab], 12), prior[lab]))
    evidence = [s for _, s, _ in sorted(cues[label])]
    return RuleGuess(axis, label, round(proba[label], 4), "rules", evidence)


def _check_lang(lang: str | None) -> None:
    if lang is not None and lang not in ("sv", "en"):
        raise InputError("rule language must be 'sv', 'en' or None (both)", value=lang)


def _check_text(text: Any, row: int | None = None) -> str:
    if not isinstance(text, str):
        raise InputError("text must be a string", row=row, value=text)
    return text


def guess(text: str, lang: str | None = None) -> dict[str, RuleGuess]:
    """First guess on every axis for one contact text.

    Parameters
    ----------
    text:
        The contact text (redacted or not; placeholders are ignored).
    lang:
        ``"sv"`` or ``"en"`` to use only that language's cues, ``None`` (default) for both (the cue
        lists hardly overlap, so this is safe for mixed and unknown texts).

    Returns
    -------
    dict of str to RuleGuess
        Keyed by axis: ``purpose``, ``urgency``, ``mood``, ``treatment``.

    Examples
    --------
    >>> g = guess("My card still hasn't arrived, this is unacceptable!")
    >>> g["purpose"].label, g["mood"].label, g["mood"].evidence
    ('problem', 'negative', ['still', 'unacceptable', '!'])
    >>> g["purpose"].source
    'rules'
    >>> guess("Jag behöver ett nytt kort, ingen brådska")["urgency"].label
    'no_rush'
    """
    _check_lang(lang)
    hits = _scores(_check_text(text), lang)
    return {axis: _decide(axis, hits[axis]) for axis in AXES}


def guess_frame(texts: Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """Rule guesses for many texts as a tidy frame, one row per text and axis.

    Parameters
    ----------
    texts:
        The contact texts.
    lang:
        As in :func:`guess`.

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (1-based position of the text), ``axis``, ``label``, ``confidence``,
        ``source`` (always ``"rules"``) and ``evidence`` (the matched cues, joined by ``"; "``).

    Examples
    --------
    >>> guess_frame(["Spärra kortet nu!"]).loc[:, ["axis", "label"]].to_dict("list")
    {'axis': ['purpose', 'urgency', 'mood', 'treatment'], 'label': ['intent', 'now', 'neutral', 'quick']}
    """
    _check_lang(lang)
    rows = []
    for i, t in enumerate(texts, start=1):
        hits = _scores(_check_text(t, i), lang)
        for axis in AXES:
            g = _decide(axis, hits[axis])
            rows.append((i, axis, g.label, g.confidence, g.source, "; ".join(g.evidence)))
    return pd.DataFrame(
        rows, columns=["row", "axis", "label", "confidence", "source", "evidence"]
    ).astype({"row": "int64", "confidence": "float64"})


class RuleModel(Estimator):
    """The rules for one axis behind the scikit-learn classifier interface.

    Use it side by side with a trained model: same ``predict`` / ``predict_proba`` / ``score``, the
    same ``classes_`` order. ``fit`` learns nothing (the rules are fixed); it only checks its input.
    ``get_params`` / ``set_params`` come from :class:`kundfokus.base.Estimator` (so
    :func:`sklearn.base.clone` works without importing scikit-learn here). The rules need no
    training, so the model counts as fitted from the start: ``predict`` works before ``fit``, and
    scikit-learn's ``check_is_fitted`` accepts it.

    Parameters
    ----------
    axis : str
        ``"purpose"``, ``"urgency"``, ``"mood"`` or ``"treatment"``.
    lang : str or None
        As in :func:`guess`.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The axis' labels, in the column order of :meth:`predict_proba`.

    Examples
    --------
    >>> m = RuleModel("urgency")
    >>> list(m.classes_)
    ['now', 'today', 'no_rush']
    >>> list(m.predict(["Spärra kortet omedelbart", "Kan ni ringa mig idag?", "Hej"]))
    ['now', 'today', 'no_rush']
    >>> m.predict_proba(["Block my card now"]).round(2).tolist()
    [[0.74, 0.04, 0.22]]
    """

    def __init__(self, axis: str = "purpose", lang: str | None = None) -> None:
        self.axis = axis
        self.lang = lang

    def _validate(self) -> None:
        if self.axis not in AXES:
            raise InputError(f"unknown axis; use one of {', '.join(AXES)}", value=self.axis)
        _check_lang(self.lang)

    @property
    def classes_(self) -> np.ndarray:
        self._validate()
        return np.array(AXES[self.axis], dtype=object)

    def __sklearn_is_fitted__(self) -> bool:
        """Always fitted: the rules are fixed (scikit-learn's ``check_is_fitted`` protocol)."""
        return True

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's tags: a classifier of texts that needs no ``fit``. Only scikit-learn
        asks for them, so scikit-learn is imported here and not when the rules are loaded."""
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=False),
            classifier_tags=ClassifierTags(),
            input_tags=InputTags(one_d_array=True, two_d_array=False, string=True),
            requires_fit=False,
        )

    def fit(self, X: Sequence[str], y: Sequence[str] | None = None) -> RuleModel:
        """Nothing to learn; returns ``self`` (checks the axis, the language and ``y``'s labels)."""
        self._validate()
        if y is not None:
            for i, label in enumerate(y, start=1):
                if label not in AXES[self.axis]:
                    raise InputError(
                        f"unknown {self.axis} label", row=i, column=self.axis, value=label
                    )
        return self

    def _guesses(self, X: Iterable[str]) -> list[RuleGuess]:
        self._validate()
        if isinstance(X, str):
            raise InputError("predict takes a list of texts, not one string", value=X[:40])
        return [
            _decide(self.axis, _scores(_check_text(t, i), self.lang)[self.axis])
            for i, t in enumerate(X, start=1)
        ]

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The winning label per text."""
        return np.array([g.label for g in self._guesses(X)], dtype=object)

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Heuristic shares per label (rows sum to 1), columns in ``classes_`` order."""
        self._validate()
        labels = AXES[self.axis]
        out = []
        if isinstance(X, str):
            raise InputError("predict_proba takes a list of texts, not one string", value=X[:40])
        for i, t in enumerate(X, start=1):
            proba = _proba(self.axis, _scores(_check_text(t, i), self.lang)[self.axis])
            out.append([proba[lab] for lab in labels])
        return np.array(out, dtype=float).reshape(-1, len(labels))

    def score(self, X: Iterable[str], y: Sequence[str]) -> float:
        """Accuracy of :meth:`predict` against ``y``."""
        pred = self.predict(X)
        y = np.asarray(y, dtype=object)
        if len(y) != len(pred):
            raise InputError("X and y have different lengths", value=f"{len(pred)} != {len(y)}")
        return float(np.mean(pred == y)) if len(y) else float("nan")
