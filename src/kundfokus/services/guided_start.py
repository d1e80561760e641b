"""The guided start: from "what is your challenge, what data do you have" to the analyses that fit.

:func:`plan_start` is pure (no I/O): it takes the organisation's challenge (``win`` more customers,
``keep`` the customers it has, or ``both``), the data it has (``surveys``, ``contacts``,
``purchases``, ``contracts``, ``journeys``) and the features and outcomes it names, and returns a
:class:`Plan`: the surveys to send (a Kano questionnaire drafted from the features, an ODI
questionnaire from the outcome statements, NPS and CES), the imports to run for the data that is
missing (and the step that would use it), the CPIs to define and the dashboard panels to show, each
with one sentence in Swedish or English saying why.

:func:`apply_plan` sets the plan up in a store: it creates the surveys (or reuses a survey that
asks the same already, so running it twice creates nothing twice), writes the chosen CPI
definitions (a subset of the bundled ``default_cpis.yaml``) to the setting ``cpi_definitions``, the
dashboard panels to ``dashboard_panels`` and the plan itself to ``guided_start``.

:func:`build_demo_here` builds the demo organisation into a fresh store for people who want to try
the platform first; :func:`demo_plan` is the plan that fits the demo's data.

>>> plan = plan_start("win", {"journeys"}, features=["chat on the web", "a call back"], lang="en")
>>> [s.key for s in plan.steps]
['kano', 'nps', 'cpis', 'panels']
>>> plan.steps[0].reason
'Kano shows which features are must-be before you promise more: you want to win customers and named 2 features.'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kundfokus.errors import InputError

__all__ = [
    "CHALLENGES",
    "DATA_KINDS",
    "PANEL_KEYS",
    "Applied",
    "AppliedSurvey",
    "Plan",
    "Step",
    "apply_plan",
    "build_demo_here",
    "demo_plan",
    "last_applied",
    "plan_from_dict",
    "plan_start",
    "store_data",
    "store_is_fresh",
]

CHALLENGES: tuple[str, ...] = ("win", "keep", "both")
DATA_KINDS: tuple[str, ...] = ("surveys", "contacts", "purchases", "contracts", "journeys")
PANEL_KEYS: tuple[str, ...] = (
    "kpis",
    "needs",
    "contacts",
    "cpis",
    "goals",
    "voice",
    "customers",
    "drivers",
    "recommendations",
)
STEP_KINDS: tuple[str, ...] = ("survey", "import", "cpis", "panels")
#: The settings (table ``review_settings``) the plan writes.
SETTING_CPIS = "cpi_definitions"
SETTING_PANELS = "dashboard_panels"
SETTING_PLAN = "guided_start"

MAX_ITEMS = 30
MAX_TEXT = 200

#: CPIs of the bundled set that follow the buying and onboarding journey (winning customers) ...
WIN_CPIS: tuple[str, ...] = (
    "time_to_first_answer",
    "self_service_success",
    "channel_switches",
    "goal_achieved",
)
#: ... and those that measure what makes customers leave (keeping them).
KEEP_CPIS: tuple[str, ...] = (
    "time_to_resolution",
    "contacts_per_errand",
    "first_contact_resolution",
    "agent_handovers",
    "effort_at_resolution",
)
WIN_PANELS: tuple[str, ...] = ("kpis", "needs", "cpis", "goals", "voice")
KEEP_PANELS: tuple[str, ...] = (
    "kpis",
    "contacts",
    "cpis",
    "goals",
    "voice",
    "customers",
    "drivers",
    "recommendations",
)

#: The command that imports each kind of data.
IMPORT_COMMANDS: dict[str, str] = {
    "contacts": "kundfokus contacts import FILE",
    "journeys": "kundfokus journeys import FILE",
    "contracts": "kundfokus customers import contracts FILE",
    "purchases": "kundfokus customers import purchases FILE",
}

_PANEL_NAMES: dict[str, dict[str, str]] = {
    "kpis": {"sv": "nyckeltal (NPS, CSAT, CES)", "en": "key figures (NPS, CSAT, CES)"},
    "needs": {"sv": "behov (Kano och ODI)", "en": "needs (Kano and ODI)"},
    "contacts": {"sv": "kontakter och kontaktorsaker", "en": "contacts and contact reasons"},
    "cpis": {"sv": "CPI:er", "en": "CPIs"},
    "goals": {"sv": "mål", "en": "goals"},
    "voice": {"sv": "kundens röst", "en": "the voice of the customer"},
    "customers": {"sv": "kundbortfall och kundvärde", "en": "churn and customer value"},
    "drivers": {"sv": "drivkrafter bakom bortfall", "en": "drivers of churn"},
    "recommendations": {"sv": "rekommendationer", "en": "recommendations"},
}

_SURVEY_TITLES: dict[str, dict[str, str]] = {
    "kano": {
        "sv": "Vad tycker du om de här egenskaperna?",
        "en": "What do you think of these features?",
    },
    "odi": {
        "sv": "Hur viktigt är det här för dig, och hur nöjd är du i dag?",
        "en": "How important is this to you, and how satisfied are you today?",
    },
    "nps": {"sv": "Skulle du rekommendera oss?", "en": "Would you recommend us?"},
    "ces": {"sv": "Hur lätt var det att få hjälp?", "en": "How easy was it to get help?"},
}

_WHAT: dict[str, dict[str, str]] = {
    "kano": {"sv": "Kano-enkät om {n} {things}", "en": "Kano survey about {n} {things}"},
    "odi": {"sv": "ODI-enkät om {n} {things}", "en": "ODI survey about {n} {things}"},
    "nps": {"sv": "NPS-enkät", "en": "NPS survey"},
    "ces": {"sv": "CES-enkät", "en": "CES survey"},
    "cpis": {"sv": "{n} CPI:er: {names}", "en": "{n} CPIs: {names}"},
    "panels": {"sv": "Översiktens paneler: {names}", "en": "Dashboard panels: {names}"},
    "import:contacts": {"sv": "Importera kontakter", "en": "Import contacts"},
    "import:journeys": {"sv": "Importera kundresehändelser", "en": "Import journey events"},
    "import:contracts": {
        "sv": "Importera avtal eller köp",
        "en": "Import contracts or purchases",
    },
}

#: The items of a Kano and an ODI survey in words: (one, several).
_THINGS: dict[str, dict[str, tuple[str, str]]] = {
    "kano": {"sv": ("egenskap", "egenskaper"), "en": ("feature", "features")},
    "odi": {"sv": ("utfall", "utfall"), "en": ("outcome", "outcomes")},
}

_GOAL: dict[str, dict[str, str]] = {
    "win": {"sv": "vinna kunder", "en": "win customers"},
    "keep": {"sv": "behålla kunder", "en": "keep customers"},
    "both": {"sv": "vinna och behålla kunder", "en": "win and keep customers"},
}

_REASONS: dict[str, dict[str, str]] = {
    "kano": {
        "sv": "Kano visar vilka egenskaper som är baskrav innan du lovar mer: du vill {goal} och "
        "nämnde {n} {things}.",
        "en": "Kano shows which features are must-be before you promise more: you want to {goal} "
        "and named {n} {things}.",
    },
    "odi": {
        "sv": "ODI visar vilka utfall som är viktiga men dåligt uppfyllda i dag, där ett nytt "
        "erbjudande kan vinna: du nämnde {n} {things}.",
        "en": "ODI shows which outcomes are important but badly served today, where a new offer "
        "can win: you named {n} {things}.",
    },
    "nps": {
        "sv": "NPS efter köp och uppstart visar om nya kunder skulle rekommendera er, och "
        "kommentarerna säger varför.",
        "en": "NPS after purchase and onboarding shows whether new customers would recommend you, "
        "and the comments say why.",
    },
    "ces": {
        "sv": "CES efter en kontakt mäter hur svårt det var att få hjälp; ansträngning förutsäger "
        "vilka som lämnar bättre än nöjdhet gör.",
        "en": "CES after a contact measures how hard it was to get help; effort predicts who "
        "leaves better than satisfaction does.",
    },
    "import:contacts": {
        "sv": "Kontaktorsaker och återkommande kontakter behöver kontakter: importera dem med "
        "`{command}`.",
        "en": "Contact reasons and repeat contacts need contacts: import them with `{command}`.",
    },
    "import:journeys": {
        "sv": "CPI:erna räknas från kundresehändelser: importera dem med `{command}`.",
        "en": "The CPIs are computed from journey events: import them with `{command}`.",
    },
    "import:contracts": {
        "sv": "Kundbortfall och kundvärde (CLV) behöver avtal eller köp: importera dem med "
        "`{command}`.",
        "en": "Churn and CLV need contracts or purchases: import them with `{command}`.",
    },
    "cpis:win": {
        "sv": "De här CPI:erna följer köp- och uppstartsresan i kundens egna enheter (tid, "
        "kanalbyten, lyckad självservice): de visar var nya kunder fastnar.",
        "en": "These CPIs follow the buying and onboarding journey in the customer's own units "
        "(time, channel switches, self-service success): they show where new customers get stuck.",
    },
    "cpis:keep": {
        "sv": "De här CPI:erna mäter det som får kunder att lämna: lång väntan på lösning, "
        "återkommande kontakter, överlämningar och ansträngning.",
        "en": "These CPIs measure what makes customers leave: a long wait for a resolution, "
        "repeat contacts, hand-overs and effort.",
    },
    "cpis:both": {
        "sv": "De här CPI:erna följer både köp- och uppstartsresan och det som får kunder att "
        "lämna (väntan, återkommande kontakter, ansträngning), i kundens egna enheter.",
        "en": "These CPIs follow both the buying and onboarding journey and what makes customers "
        "leave (waiting, repeat contacts, effort), in the customer's own units.",
    },
    "panels:win": {
        "sv": "Översikten visar de paneler som svarar på vad nya kunder behöver och var de "
        "fastnar.",
        "en": "The dashboard shows the panels that answer what new customers need and where they "
        "get stuck.",
    },
    "panels:keep": {
        "sv": "Översikten visar de paneler som svarar på vilka kunder som lämnar, vad de är värda "
        "och varför de hör av sig.",
        "en": "The dashboard shows the panels that answer which customers leave, what they are "
        "worth and why they get in touch.",
    },
    "panels:both": {
        "sv": "Översikten visar panelerna för båda frågorna: vad nya kunder behöver och varför "
        "kunder lämnar.",
        "en": "The dashboard shows the panels for both questions: what new customers need and why "
        "customers leave.",
    },
}

_NOTES: dict[str, dict[str, str]] = {
    "no_features": {
        "sv": "Nämn de egenskaper ni erbjuder eller planerar (en per rad) så skrivs en Kano-enkät "
        "om dem.",
        "en": "Name the features you offer or plan (one per line) to get a Kano questionnaire "
        "drafted from them.",
    },
    "no_outcomes": {
        "sv": 'Skriv de utfall kunderna vill nå (till exempel "Minimera tiden det tar att ...") '
        "så skrivs en ODI-enkät om dem.",
        "en": 'Write the outcomes customers want (for example "Minimize the time it takes '
        'to ...") to get an ODI questionnaire drafted from them.',
    },
    "drivers": {
        "sv": "Drivkrafterna bakom bortfall jämför kunder som lämnat med dem som stannat, så de "
        "behöver avtal och enkätsvar eller kontakter om samma kunder.",
        "en": "The drivers of churn compare customers who left with those who stayed, so they "
        "need contracts and survey answers or contacts about the same customers.",
    },
    "surveys": {
        "sv": "Enkätsvar ni redan har kan skickas till en enkäts API "
        "(`POST /api/v1/surveys/ID/responses`) så att översikten läser dem.",
        "en": "Survey answers you already have can be sent to a survey's API "
        "(`POST /api/v1/surveys/ID/responses`) so that the dashboard reads them.",
    },
}


# --------------------------------------------------------------------------------------------------
# The plan (pure)


@dataclass(frozen=True)
class Step:
    """One choice of the plan.

    ``kind`` is ``survey``, ``import``, ``cpis`` or ``panels``; ``key`` names the step (``kano``,
    ``odi``, ``nps``, ``ces``, ``import:contacts`` ..., ``cpis``, ``panels``); ``what`` says what it
    sets up and ``reason`` why, in one sentence in the plan's language; ``setup`` holds what
    :func:`apply_plan` needs (a survey definition, CPI ids, panel keys, or the import command and
    the steps that use the data).
    """

    kind: str
    key: str
    what: str
    reason: str
    setup: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "what": self.what,
            "reason": self.reason,
            "setup": self.setup,
        }


@dataclass(frozen=True)
class Plan:
    """What :func:`plan_start` chose: the answers it was given, its steps, and notes about what it
    could not set up (with what would make it possible)."""

    challenge: str
    data: tuple[str, ...]
    features: tuple[str, ...]
    outcomes: tuple[str, ...]
    lang: str
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = ()

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    @property
    def surveys(self) -> list[Step]:
        return [s for s in self.steps if s.kind == "survey"]

    @property
    def imports(self) -> list[Step]:
        return [s for s in self.steps if s.kind == "import"]

    @property
    def cpis(self) -> list[str]:
        step = self.step("cpis")
        return list(step.setup["cpis"]) if step else []

    @property
    def panels(self) -> list[str]:
        step = self.step("panels")
        return list(step.setup["panels"]) if step else []

    def to_dict(self) -> dict[str, Any]:
        return {
            "challenge": self.challenge,
            "data": list(self.data),
            "features": list(self.features),
            "outcomes": list(self.outcomes),
            "lang": self.lang,
            "steps": [s.to_dict() for s in self.steps],
            "notes": list(self.notes),
        }


def _check_lang(lang: Any) -> str:
    if lang not in ("sv", "en"):
        raise InputError("unknown language", column="lang", value=lang, hint="use sv or en")
    return lang


def _check_texts(values: Any, what: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InputError(f"the {what} are a list of texts", column=what, value=values)
    out: list[str] = []
    seen: set[str] = set()
    for i, value in enumerate(values, start=1):
        if not isinstance(value, str):
            raise InputError(f"each of the {what} is a text", row=i, column=what, value=value)
        if any(unicodedata.category(c) == "Cc" and c not in "\t\r\n" for c in value):
            raise InputError(
                f"a control character among the {what}", row=i, column=what, value=repr(value)
            )
        text = " ".join(value.split())
        if not text:
            raise InputError(
                f"an empty entry among the {what}",
                row=i,
                column=what,
                value=value,
                hint="write one per line and leave no entry blank",
            )
        if len(text) > MAX_TEXT:
            raise InputError(
                f"longer than {MAX_TEXT} characters", row=i, column=what, value=text[:60] + "..."
            )
        if text.casefold() in seen:
            raise InputError(f"named twice among the {what}", row=i, column=what, value=text)
        seen.add(text.casefold())
        out.append(text)
    if len(out) > MAX_ITEMS:
        raise InputError(
            f"at most {MAX_ITEMS} {what} in one questionnaire",
            column=what,
            value=len(out),
            hint="a Kano or ODI survey that long loses its respondents; split it",
        )
    return tuple(out)


def _check_data(data: Any) -> tuple[str, ...]:
    if data is None:
        return ()
    if isinstance(data, str):
        data = [d for d in (x.strip() for x in data.split(",")) if d]
    if not isinstance(data, Iterable):
        raise InputError("the data are a list", column="data", value=data)
    out = set()
    for value in data:
        if value not in DATA_KINDS:
            raise InputError(
                "unknown kind of data",
                column="data",
                value=value,
                hint="use " + ", ".join(DATA_KINDS),
            )
        out.add(value)
    return tuple(k for k in DATA_KINDS if k in out)


def item_id(text: str, taken: set[str], index: int, prefix: str = "f") -> str:
    """A short id for a feature or outcome (letters, digits, ``_``; unique ignoring case).

    >>> item_id("Logga in med BankID!", set(), 1)
    'logga_in_med_bankid'
    >>> item_id("???", set(), 3, "o")
    'o3'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40].strip("_")
    base = slug or f"{prefix}{index}"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate.casefold())
    return candidate


def _survey_spec(kind: str, lang: str, texts: Sequence[str]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "kind": kind,
        "title": {lang: _SURVEY_TITLES[kind][lang]},
        "languages": [lang],
    }
    taken: set[str] = set()
    if kind == "kano":
        spec["items"] = [
            {"id": item_id(t, taken, i), f"label_{lang}": t} for i, t in enumerate(texts, start=1)
        ]
        spec["importance"] = "1-9"
        spec["wording"] = "classic"
    elif kind == "odi":
        spec["items"] = [
            {
                "id": item_id(t, taken, i, "o"),
                "job": "main_job",
                "job_type": "functional",
                f"statement_{lang}": t,
            }
            for i, t in enumerate(texts, start=1)
        ]
    return spec


def _names(keys: Iterable[str], names: Mapping[str, Mapping[str, str]], lang: str) -> str:
    return ", ".join(names[k][lang] for k in keys)


def _cpi_names(ids: Sequence[str], lang: str) -> str:
    # the bundled set's names, in the plan's language (kept here so that planning reads no file)
    return ", ".join(_CPI_NAMES[i][lang] for i in ids)


_CPI_NAMES: dict[str, dict[str, str]] = {
    "time_to_first_answer": {"sv": "tid till första svar", "en": "time to first answer"},
    "self_service_success": {"sv": "lyckad självservice", "en": "self-service success"},
    "channel_switches": {"sv": "kanalbyten", "en": "channel switches"},
    "goal_achieved": {"sv": "fick det jag behövde", "en": "goal achieved"},
    "time_to_resolution": {"sv": "tid till lösning", "en": "time to resolution"},
    "contacts_per_errand": {"sv": "kontakter per ärende", "en": "contacts per errand"},
    "first_contact_resolution": {
        "sv": "lösta vid första kontakten",
        "en": "first-contact resolution",
    },
    "agent_handovers": {"sv": "överlämningar", "en": "hand-overs"},
    "effort_at_resolution": {"sv": "ansträngning vid lösning", "en": "effort at resolution"},
}


def plan_start(
    challenge: str,
    data: Iterable[str] | str | None = (),
    features: Iterable[str] | None = (),
    outcomes: Iterable[str] | None = (),
    lang: str = "sv",
) -> Plan:
    """The analyses that fit an organisation's challenge and data, each with one reason.

    Parameters
    ----------
    challenge:
        ``"win"`` (win more customers), ``"keep"`` (understand why customers leave) or ``"both"``.
    data:
        What the organisation has: any of ``surveys`` (survey answers), ``contacts``,
        ``purchases``, ``contracts``, ``journeys`` (journey events); a set or comma-separated text.
    features:
        Features it offers or plans (a Kano questionnaire is drafted from them when it wants to win
        customers).
    outcomes:
        Desired outcomes in the customer's words (an ODI questionnaire is drafted from them).
    lang:
        ``"sv"`` or ``"en"``: the language of the reasons and of the drafted questionnaires.

    Returns
    -------
    Plan
        Steps in the order surveys, imports, CPIs, panels.

    Raises
    ------
    InputError
        For an unknown challenge, kind of data or language, and an empty, duplicate or too long
        feature or outcome.

    Examples
    --------
    >>> p = plan_start("keep", set(), lang="en")
    >>> [s.key for s in p.steps]
    ['ces', 'import:contacts', 'import:contracts', 'import:journeys', 'cpis', 'panels']
    >>> p.step("import:contracts").reason
    'Churn and CLV need contracts or purchases: import them with `kundfokus customers import contracts FILE`.'
    >>> plan_start("grow")
    Traceback (most recent call last):
    ...
    kundfokus.errors.InputError: column 'challenge', value 'grow': unknown challenge (use win, keep or both)
    """
    if challenge not in CHALLENGES:
        raise InputError(
            "unknown challenge", column="challenge", value=challenge, hint="use win, keep or both"
        )
    lang = _check_lang(lang)
    have = _check_data(data)
    feats = _check_texts(features, "features")
    outs = _check_texts(outcomes, "outcomes")
    win = challenge in ("win", "both")
    keep = challenge in ("keep", "both")
    goal = _GOAL[challenge][lang]
    steps: list[Step] = []
    notes: list[str] = []

    def survey(kind: str, texts: Sequence[str] = ()) -> None:
        words = _THINGS.get(kind, {}).get(lang, ("", ""))
        things = words[0] if len(texts) == 1 else words[1]
        steps.append(
            Step(
                "survey",
                kind,
                _WHAT[kind][lang].format(n=len(texts), things=things),
                _REASONS[kind][lang].format(goal=goal, n=len(texts), things=things),
                {"survey": _survey_spec(kind, lang, texts)},
            )
        )

    if win:
        if feats:
            survey("kano", feats)
        else:
            notes.append(_NOTES["no_features"][lang])
        if outs:
            survey("odi", outs)
        else:
            notes.append(_NOTES["no_outcomes"][lang])
        survey("nps")
    elif outs:  # keeping customers: an ODI survey still says which outcomes are badly served
        survey("odi", outs)
    if keep:
        survey("ces")
    if "surveys" in have:
        notes.append(_NOTES["surveys"][lang])

    def needs(key: str, kind: str, used_by: list[str]) -> None:
        command = IMPORT_COMMANDS[kind]
        steps.append(
            Step(
                "import",
                key,
                _WHAT[key][lang],
                _REASONS[key][lang].format(command=command),
                {"data": kind, "command": command, "used_by": used_by},
            )
        )

    if keep and "contacts" not in have:
        needs("import:contacts", "contacts", ["contacts", "drivers", "recommendations"])
    if keep and not {"contracts", "purchases"} & set(have):
        needs("import:contracts", "contracts", ["customers", "drivers"])
    if "journeys" not in have:
        needs("import:journeys", "journeys", ["cpis"])
    if keep:
        notes.append(_NOTES["drivers"][lang])

    cpis = [
        c for c in (*WIN_CPIS, *KEEP_CPIS) if (win and c in WIN_CPIS) or (keep and c in KEEP_CPIS)
    ]
    steps.append(
        Step(
            "cpis",
            "cpis",
            _WHAT["cpis"][lang].format(n=len(cpis), names=_cpi_names(cpis, lang)),
            _REASONS[f"cpis:{challenge}"][lang],
            {"cpis": cpis},
        )
    )
    wanted = set(WIN_PANELS if win else ()) | set(KEEP_PANELS if keep else ())
    panels = [p for p in PANEL_KEYS if p in wanted]
    steps.append(
        Step(
            "panels",
            "panels",
            _WHAT["panels"][lang].format(names=_names(panels, _PANEL_NAMES, lang)),
            _REASONS[f"panels:{challenge}"][lang],
            {"panels": panels},
        )
    )
    return Plan(challenge, have, feats, outs, lang, tuple(steps), tuple(notes))


def plan_from_dict(value: Mapping[str, Any]) -> Plan:
    """The plan again from its :meth:`Plan.to_dict` (or from the answers alone): it is planned
    anew, so a changed or forged plan cannot set up anything :func:`plan_start` would not."""
    if not isinstance(value, Mapping):
        raise InputError("a plan is a JSON object", column="plan", value=type(value).__name__)
    return plan_start(
        value.get("challenge"),  # type: ignore[arg-type]
        value.get("data") or (),
        value.get("features") or (),
        value.get("outcomes") or (),
        value.get("lang") or "sv",
    )


# --------------------------------------------------------------------------------------------------
# The store: what it holds, and setting the plan up


def store_data(session: Session) -> set[str]:
    """The kinds of data the store holds (``surveys`` means complete survey answers)."""
    from kundfokus.store.models import (
        Contact,
        CustomerContract,
        CustomerPurchase,
        JourneyEvent,
        SurveyResponse,
    )

    def some(model, *where) -> bool:
        query = select(model.id).limit(1)
        for w in where:
            query = query.where(w)
        return session.scalar(query) is not None

    found = set()
    if some(SurveyResponse, SurveyResponse.complete.is_(True)):
        found.add("surveys")
    if some(Contact):
        found.add("contacts")
    if some(JourneyEvent):
        found.add("journeys")
    if some(CustomerContract):
        found.add("contracts")
    if some(CustomerPurchase):
        found.add("purchases")
    return found


def store_is_fresh(session: Session) -> bool:
    """No surveys, no contacts and no journey events yet: the store the guided start is for."""
    from kundfokus.store.models import Contact, JourneyEvent, Survey

    return all(
        session.scalar(select(func.count()).select_from(m)) == 0
        for m in (Survey, Contact, JourneyEvent)
    )


@dataclass(frozen=True)
class AppliedSurvey:
    key: str
    kind: str
    id: int
    public_id: str
    title: str
    created: bool

    @property
    def link(self) -> str:
        return f"/s/{self.public_id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "id": self.id,
            "public_id": self.public_id,
            "title": self.title,
            "created": self.created,
            "link": self.link,
            "page": f"/surveys/{self.id}",
        }


@dataclass(frozen=True)
class Applied:
    """What :func:`apply_plan` set up: the surveys (``created`` or reused), the CPI ids and panel
    keys written, and the imports still to run."""

    plan: Plan
    surveys: tuple[AppliedSurvey, ...]
    cpis: tuple[str, ...]
    panels: tuple[str, ...]
    imports: tuple[str, ...]
    demo: bool = False

    def cpi_names(self, lang: str) -> list[str]:
        return [_CPI_NAMES.get(c, {}).get(lang, c) for c in self.cpis]

    @property
    def n_created(self) -> int:
        return sum(s.created for s in self.surveys)

    def to_dict(self) -> dict[str, Any]:
        return {
            "surveys": [s.to_dict() for s in self.surveys],
            "cpis": list(self.cpis),
            "panels": list(self.panels),
            "imports": list(self.imports),
            "demo": self.demo,
            "plan": self.plan.to_dict(),
        }


def _texts_of(items: Sequence[Mapping[str, Any]], base: str) -> list[set[str]]:
    out = []
    for it in items:
        value = it.get(base) or {}
        if isinstance(value, str):
            value = {"": value}
        texts = {
            v.casefold() for k, v in it.items() if k.startswith(f"{base}_") and isinstance(v, str)
        }
        texts |= {str(v).casefold() for v in value.values()}
        out.append(texts)
    return out


def _same_questions(survey: Any, spec: Mapping[str, Any]) -> bool:
    """Whether a stored survey asks what ``spec`` would (the same features or outcomes, in any
    order and either language; any survey of the kind for NPS and CES)."""
    if survey.kind != spec["kind"]:
        return False
    if spec["kind"] not in ("kano", "odi"):
        return True
    base = "label" if spec["kind"] == "kano" else "statement"
    wanted = _texts_of(spec["items"], base)
    stored = _texts_of(survey.items, base)
    if len(wanted) != len(stored):
        return False
    return all(any(w & s for s in stored) for w in wanted)


def _pick(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or next(iter(texts.values()), "")


def _cpi_subset(ids: Sequence[str]) -> dict[str, Any]:
    from kundfokus.cpi import parse_definitions
    from kundfokus.cpi.definitions import default_yaml
    from kundfokus.io import read_yaml

    data = read_yaml(default_yaml().encode("utf-8"), name="default_cpis.yaml")
    by_id = {c["id"]: c for c in data["cpis"]}
    missing = [i for i in ids if i not in by_id]
    if missing:  # the bundled set lost a CPI the planner names: a bug, not the user's input
        raise RuntimeError(f"the bundled CPI set has no {', '.join(missing)}")
    value = {"cpis": [by_id[i] for i in ids]}
    parse_definitions(value, source="default_cpis.yaml")
    return value


def apply_plan(session: Session, plan: Plan, by: str | None, *, demo: bool = False) -> Applied:
    """Set ``plan`` up in the store (inside the caller's transaction).

    Surveys: a stored survey that asks the same (see :func:`_same_questions`) is reused, any other
    is created open, so running the plan twice creates nothing twice. Settings: the CPI definitions
    (``cpi_definitions``, ``{"cpis": [...]}`` as in ``default_cpis.yaml``), the dashboard panels
    (``dashboard_panels``, a list of panel keys) and the plan with the survey ids
    (``guided_start``).
    """
    from kundfokus.services import surveys as survey_service
    from kundfokus.store.models import Survey, utcnow
    from kundfokus.store.repositories import get_setting, put_setting

    if not isinstance(plan, Plan):
        raise InputError("apply_plan takes a Plan from plan_start", value=type(plan).__name__)
    before = get_setting(session, SETTING_PLAN, {}) or {}
    recorded = before.get("surveys", {}) if isinstance(before, Mapping) else {}
    done: list[AppliedSurvey] = []
    for step in plan.surveys:
        spec = step.setup["survey"]
        found = None
        known = recorded.get(step.key) if isinstance(recorded, Mapping) else None
        if isinstance(known, int):
            candidate = session.get(Survey, known)
            if candidate is not None and _same_questions(candidate, spec):
                found = candidate
        if found is None:
            found = next(
                (
                    s
                    for s in session.scalars(
                        select(Survey).where(Survey.kind == spec["kind"]).order_by(Survey.id)
                    )
                    if s.status == "open" and _same_questions(s, spec)
                ),
                None,
            )
        created = found is None
        if created:
            found = survey_service.create_survey(session, spec, created_by=by)
        done.append(
            AppliedSurvey(
                step.key,
                found.kind,
                found.id,
                found.public_id,
                _pick(found.title, plan.lang),
                created,
            )
        )
    put_setting(session, SETTING_CPIS, _cpi_subset(plan.cpis), who=by)
    put_setting(session, SETTING_PANELS, plan.panels, who=by)
    record = plan.to_dict() | {
        "surveys": {s.key: s.id for s in done},
        "created": [s.key for s in done if s.created],
        "demo": bool(demo),
        "applied_at": utcnow().isoformat(timespec="seconds") + "Z",
        "applied_by": by,
    }
    put_setting(session, SETTING_PLAN, record, who=by)
    return Applied(
        plan,
        tuple(done),
        tuple(plan.cpis),
        tuple(plan.panels),
        tuple(s.setup["command"] for s in plan.imports),
        bool(demo),
    )


def last_applied(session: Session) -> Applied | None:
    """What the guided start set up last (from the setting ``guided_start``), with the surveys as
    they are now (one deleted since is left out); ``None`` when it never ran."""
    from kundfokus.store.models import Survey
    from kundfokus.store.repositories import get_setting

    record = get_setting(session, SETTING_PLAN)
    if not isinstance(record, Mapping) or "challenge" not in record:
        return None
    try:
        plan = plan_from_dict(record)
    except InputError:
        return None
    created = set(record.get("created") or ())
    surveys = []
    for key, survey_id in (record.get("surveys") or {}).items():
        survey = session.get(Survey, survey_id) if isinstance(survey_id, int) else None
        if survey is not None:
            surveys.append(
                AppliedSurvey(
                    key,
                    survey.kind,
                    survey.id,
                    survey.public_id,
                    _pick(survey.title, plan.lang),
                    key in created,
                )
            )
    return Applied(
        plan,
        tuple(surveys),
        tuple(plan.cpis),
        tuple(plan.panels),
        tuple(s.setup["command"] for s in plan.imports),
        bool(record.get("demo")),
    )


# --------------------------------------------------------------------------------------------------
# The demo organisation


#: The data the demo organisation brings (answered surveys, contacts, contracts, purchases and
#: journeys), used to show its plan before it is built; setting it up uses what the store holds.
DEMO_DATA: tuple[str, ...] = DATA_KINDS


def demo_plan(lang: str = "sv", data: Iterable[str] | None = None) -> Plan:
    """The plan that fits the demo organisation: both challenges, its features and outcomes (so
    the plan reuses its Kano and ODI surveys), and its data (``data``, default :data:`DEMO_DATA`)."""
    from kundfokus.services.demo_org import KANO_FEATURES, ODI_OUTCOMES

    lang = _check_lang(lang)
    pick = 1 if lang == "sv" else 2
    features = [f[pick] for f in KANO_FEATURES]
    outcomes = [o[2] if lang == "sv" else o[3] for o in ODI_OUTCOMES]
    return plan_start("both", DEMO_DATA if data is None else data, features, outcomes, lang)


@dataclass(frozen=True)
class DemoHere:
    """What :func:`build_demo_here` did: whether it built the demo now, and whether the demo's
    people can sign in (only in a store that had no users of its own)."""

    created: bool
    logins_usable: bool
    n_surveys: int
    n_contacts: int


def build_demo_here(url: str, *, lang: str = "sv") -> DemoHere:
    """Build the demo organisation into the fresh store at ``url`` (its own transaction).

    Unlike :func:`~kundfokus.services.demo_org.build_demo_org` this accepts a store that has users
    already (the person who signed in to try it): its surveys, contacts and journeys are added, and
    the demo's own people, whose passwords are published, are added disabled and without passwords,
    so nobody can sign in with them. A store with surveys, contacts or journey events is refused.
    Building the demo twice returns what is there.
    """
    from kundfokus.services.demo_org import LOGINS, _build, find_demo_org
    from kundfokus.store.db import session_scope
    from kundfokus.store.models import User

    lang = _check_lang(lang)
    with session_scope(url) as s:
        found = find_demo_org(s, url)
        if found is not None:
            return DemoHere(False, False, len(found.surveys), found.n_contacts)
        if not store_is_fresh(s):
            raise InputError(
                "this store already holds surveys, contacts or journey events; the demo only "
                "builds into a fresh store",
                hint="try the demo in a store of its own: kundfokus demo --db kundfokus-demo.db",
            )
        had_users = s.scalar(select(func.count()).select_from(User)) > 0
        demo_emails = [x.email for x in LOGINS]
        if s.scalar(select(func.count()).select_from(User).where(User.email.in_(demo_emails))):
            raise InputError("this store has a user with a demo organisation e-mail address")
        _build(s, seed=0, lang=lang)
        if had_users:
            for user in s.scalars(select(User).where(User.email.in_(demo_emails))):
                user.active = False
                user.password_hash = None
        s.flush()
    with session_scope(url) as s:
        org = find_demo_org(s, url)
    assert org is not None
    return DemoHere(True, not had_users, len(org.surveys), org.n_contacts)
