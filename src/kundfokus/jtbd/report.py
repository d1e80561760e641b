"""Plain-language report of a job inventory and of the opportunity scores, in Swedish and English.

:func:`jtbd_sections` turns an :func:`~kundfokus.jtbd.opportunity` result (and optionally the job
inventory) into :class:`kundfokus.reports.Section` objects: a summary a manager can act on (the most
under-served outcomes, one sentence each, and the over-served ones), the opportunity landscape, the
full table, how to read it, and the inventory. :func:`write_jtbd_report` writes them as one offline
HTML page.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from kundfokus.i18n import check_lang, tr
from kundfokus.jtbd.charts import LEVEL_NAMES, SERVED_NAMES, opportunity_landscape
from kundfokus.jtbd.inventory import JOB_TYPES, JobInventory, job_type_text
from kundfokus.jtbd.odi import RESULT_COLUMNS
from kundfokus.reports import Chart, Section, Table, frame_text, render_report, write_report

#: Below this many respondents a score is shown with a caution.
SMALL_N = 30

_T: dict[str, dict[str, str]] = {
    "title": {
        "en": "Jobs to be done: where are customers under-served?",
        "sv": "Jobb att utföra: var får kunderna för lite?",
    },
    "inventory_title": {"en": "Job inventory", "sv": "Jobbinventering"},
    "scores_heading": {
        "en": "Opportunity per desired outcome (0-10 importance and satisfaction, 0-20 opportunity)",
        "sv": "Möjlighet per önskat utfall (vikt och nöjdhet 0-10, möjlighet 0-20)",
    },
    "summary": {"en": "Summary", "sv": "Sammanfattning"},
    "what_to_do": {"en": "What to work on", "sv": "Vad ni bör arbeta med"},
    "overview": {
        "en": "Desired outcomes rated: {n_out}, by up to {n_resp} respondents. "
        "Under-served: {n_under}; over-served: {n_over}; appropriately served: {n_ok}.",
        "sv": "Skattade önskade utfall: {n_out}, av upp till {n_resp} svarande. "
        "Undertillgodosedda: {n_under}; övertillgodosedda: {n_over}; lagom tillgodosedda: "
        "{n_ok}.",
    },
    "overview_groups": {
        "en": "Scores are computed separately for each {by}: {groups}.",
        "sv": "Poängen räknas för varje {by} för sig: {groups}.",
    },
    "top_under": {
        "en": "Work on these first (the most under-served outcomes):",
        "sv": "Arbeta med dessa först (de mest undertillgodosedda utfallen):",
    },
    "none_under": {
        "en": "No outcome is under-served: no outcome has an opportunity of 10 or more with "
        "importance above satisfaction.",
        "sv": "Inget utfall är undertillgodosett: inget utfall har en möjlighet på 10 eller mer "
        "med vikt över nöjdhet.",
    },
    "under_sentence": {
        "en": "{where}{what}: {imp:.0f}% of customers rate it important but only {sat:.0f}% are "
        "satisfied today (opportunity {opp}, {level}). {action}",
        "sv": "{where}{what}: {imp:.0f} % av kunderna tycker att det är viktigt men bara "
        "{sat:.0f} % är nöjda i dag (möjlighet {opp}, {level}). {action}",
    },
    "action_extreme": {
        "en": "Act now: this is a clear unmet need.",
        "sv": "Agera nu: detta är ett tydligt ouppfyllt behov.",
    },
    "action_high": {
        "en": "Make this a priority for improvement.",
        "sv": "Prioritera detta i förbättringsarbetet.",
    },
    "action_solid": {
        "en": "Worth improving when the higher ones are handled.",
        "sv": "Värt att förbättra när de högre är omhändertagna.",
    },
    "over_intro": {
        "en": "Over-served (satisfaction above importance): room to simplify or save without "
        "hurting customers.",
        "sv": "Övertillgodosett (nöjdhet över vikt): utrymme att förenkla eller spara utan att "
        "kunderna blir lidande.",
    },
    "over_sentence": {
        "en": "{where}{what}: {sat:.0f}% are satisfied but only {imp:.0f}% find it important.",
        "sv": "{where}{what}: {sat:.0f} % är nöjda men bara {imp:.0f} % tycker att det är viktigt.",
    },
    "small_list": {
        "en": "Some of these outcomes were rated by fewer than {small} respondents (n = {ns}, "
        "shown on their lines): treat them as a hint.",
        "sv": "Några av de här utfallen skattades av färre än {small} svarande (n = {ns}, står på "
        "raden): se dem som en fingervisning.",
    },
    "small_n": {
        "en": " Only {n} respondents answered both questions: treat this as a hint.",
        "sv": " Bara {n} svarande besvarade båda frågorna: se detta som en fingervisning.",
    },
    "invalid": {
        "en": "{n} answers were not on the 1-5 scale and were treated as missing.",
        "sv": "{n} svar låg inte på skalan 1-5 och räknades som saknade.",
    },
    "unsurveyed": {
        "en": "Outcomes in the inventory that the survey did not ask about: {ids}.",
        "sv": "Utfall i inventeringen som enkäten inte frågade om: {ids}.",
    },
    "in_group": {"en": "In {g}: ", "sv": "I {g}: "},
    "landscape": {"en": "Opportunity landscape", "sv": "Möjlighetslandskap"},
    "landscape_caption": {
        "en": "Each point is a desired outcome. Points far to the right and low down are "
        "important and poorly satisfied: the biggest opportunities.",
        "sv": "Varje punkt är ett önskat utfall. Punkter långt till höger och långt ner är viktiga "
        "och dåligt tillgodosedda: de största möjligheterna.",
    },
    "table": {"en": "All outcomes", "sv": "Alla utfall"},
    "table_caption": {
        "en": "Importance and satisfaction: share of respondents answering 4 or 5, times 10. "
        "Low-high: 95% Wilson interval of that share. Opportunity = importance + "
        "max(importance - satisfaction, 0).",
        "sv": "Vikt och nöjdhet: andelen svarande som svarade 4 eller 5, gånger 10. Låg-hög: 95 % "
        "Wilson-intervall för andelen. Möjlighet = vikt + max(vikt - nöjdhet, 0).",
    },
    "how": {"en": "How to read this", "sv": "Så läser du rapporten"},
    "how_1": {
        "en": "Customers rated each desired outcome twice on a 1-5 scale: how important it is, and "
        "how satisfied they are with how well it gets done today.",
        "sv": "Kunderna skattade varje önskat utfall två gånger på en skala 1-5: hur viktigt det "
        "är och hur nöjda de är med hur väl det fungerar i dag.",
    },
    "how_2": {
        "en": "Opportunity above 15 is extreme, 12-15 high, 10-12 solid and below 10 low "
        "(Ulwick). An outcome is under-served when its opportunity is 10 or more and importance "
        "is above satisfaction, over-served when satisfaction is above importance.",
        "sv": "Möjlighet över 15 är extrem, 12-15 hög, 10-12 god och under 10 låg (Ulwick). Ett "
        "utfall är undertillgodosett när möjligheten är 10 eller mer och vikten är högre än "
        "nöjdheten, övertillgodosett när nöjdheten är högre än vikten.",
    },
    "how_3": {
        "en": "The scores count shares, not averages: a 4 and a 5 count the same. With few "
        "respondents the shares are uncertain; the low-high columns show how much.",
        "sv": "Poängen räknar andelar, inte medelvärden: en 4:a och en 5:a räknas lika. Med få "
        "svarande är andelarna osäkra; kolumnerna låg-hög visar hur mycket.",
    },
    # inventory
    "inv_overview": {
        "en": "{jobs} ({types}) with {outcomes}.",
        "sv": "{jobs} ({types}) med {outcomes}.",
    },
    "job_word": {"en": "job|jobs", "sv": "jobb|jobb"},
    "outcome_word": {
        "en": "desired outcome|desired outcomes",
        "sv": "önskat utfall|önskade utfall",
    },
    "by_type": {"en": "Jobs by type and situation", "sv": "Jobb per typ och situation"},
    "jobs_and_outcomes": {"en": "Jobs and their outcomes", "sv": "Jobben och deras utfall"},
    "situation": {"en": "Situation: {s}", "sv": "Situation: {s}"},
    "no_situation": {"en": "(no situation given)", "sv": "(ingen situation angiven)"},
    "job_heading": {"en": "{statement} ({type})", "sv": "{statement} ({type})"},
    "no_outcomes": {
        "en": "No desired outcomes written yet.",
        "sv": "Inga önskade utfall skrivna ännu.",
    },
    "grammar": {
        "en": "Statement remarks (not errors)",
        "sv": "Anmärkningar på formuleringar (inte fel)",
    },
    "grammar_intro": {
        "en": "Outcome statements normally start with a direction of improvement, a metric and "
        "an object: 'Minimize the time it takes to ...'.",
        "sv": "Utfallsformuleringar börjar normalt med en förbättringsriktning, ett mått och ett "
        "objekt: 'Minimera tiden det tar att ...'.",
    },
}

_COLUMN_NAMES: dict[str, dict[str, str]] = {
    "outcome": {"en": "outcome", "sv": "utfall"},
    "statement": {"en": "statement", "sv": "formulering"},
    "job": {"en": "job", "sv": "jobb"},
    "job_type": {"en": "job type", "sv": "jobbtyp"},
    "n": {"en": "n", "sv": "n"},
    "importance": {"en": "importance", "sv": "vikt"},
    "importance_low": {"en": "importance low", "sv": "vikt låg"},
    "importance_high": {"en": "importance high", "sv": "vikt hög"},
    "satisfaction": {"en": "satisfaction", "sv": "nöjdhet"},
    "satisfaction_low": {"en": "satisfaction low", "sv": "nöjdhet låg"},
    "satisfaction_high": {"en": "satisfaction high", "sv": "nöjdhet hög"},
    "opportunity": {"en": "opportunity", "sv": "möjlighet"},
    "opportunity_level": {"en": "level", "sv": "nivå"},
    "served": {"en": "served", "sv": "tillgodosett"},
    "situation": {"en": "situation", "sv": "situation"},
    "n_jobs": {"en": "jobs", "sv": "jobb"},
    "n_outcomes": {"en": "outcomes", "sv": "utfall"},
}


def _groups(result: pd.DataFrame) -> list[str]:
    return [c for c in result.columns if c not in RESULT_COLUMNS]


def _nan(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _count(n: int, words: dict[str, str], lang: str) -> str:
    """``n`` and the singular or plural word.

    >>> _count(1, {"en": "job|jobs", "sv": "jobb|jobb"}, "en"), _count(3, _T["outcome_word"], "sv")
    ('1 job', '3 önskade utfall')
    """
    one, many = tr(words, lang).split("|")
    return f"{n} {one if n == 1 else many}"


def _decimal(value: float, lang: str) -> str:
    """One decimal, with a decimal comma in Swedish.

    >>> _decimal(13.04, "sv"), _decimal(13.04, "en")
    ('13,0', '13.0')
    """
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "sv" else text


def _what(row: dict[str, Any]) -> str:
    statement = row.get("statement")
    if statement and not _nan(statement):
        return f"“{statement}” ({row['outcome']})"
    return str(row["outcome"])


def _where(row: dict[str, Any], groups: list[str], lang: str) -> str:
    if not groups:
        return ""
    g = " / ".join(str(row[c]) for c in groups)
    return tr(_T["in_group"], lang, g=g)


def _summary_rows(
    result: pd.DataFrame, top: int = 5
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows the summary speaks of: the ``top`` most under-served and most over-served."""
    rows = result.to_dict(orient="records")
    under = [r for r in rows if r["served"] == "under-served"]
    under.sort(key=lambda r: -r["opportunity"])
    over = [r for r in rows if r["served"] == "over-served"]
    over.sort(key=lambda r: r["importance"] - r["satisfaction"])
    return under[:top], over[:top]


def summary_sentences(
    result: pd.DataFrame, lang: str = "en", *, top: int = 5, caution: bool = True
) -> tuple[list[str], list[str]]:
    """One plain sentence per top under-served outcome and per over-served outcome.

    Returns ``(under, over)``: lists of sentences, the under-served ones in order of opportunity.
    With ``caution`` (the default) a sentence about fewer than ``SMALL_N`` respondents ends with a
    warning; without it, it ends with ``(n = ...)`` only and the caller says the warning once
    (the HTML report does, see :func:`jtbd_sections`).

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.jtbd import opportunity
    >>> res = opportunity(pd.DataFrame({
    ...     "wait_importance": [5, 5, 4, 4, 5, 4, 5, 4, 2, 3],
    ...     "wait_satisfaction": [1, 2, 2, 3, 4, 5, 4, 2, 1, 3]}))
    >>> under, over = summary_sentences(res, "sv")
    >>> print(under[0])
    wait: 80 % av kunderna tycker att det är viktigt men bara 30 % är nöjda i dag (möjlighet 13,0, hög). Prioritera detta i förbättringsarbetet. Bara 10 svarande besvarade båda frågorna: se detta som en fingervisning.
    """
    check_lang(lang)
    groups = _groups(result)
    under, over = _summary_rows(result, top)

    def note(r: dict[str, Any]) -> str:
        if not r["n"] < SMALL_N:
            return ""
        return tr(_T["small_n"], lang, n=int(r["n"])) if caution else f" (n = {int(r['n'])})"

    under_text = [
        tr(
            _T["under_sentence"],
            lang,
            where=_where(r, groups, lang),
            what=_what(r),
            imp=r["importance"] * 10,
            sat=r["satisfaction"] * 10,
            opp=_decimal(r["opportunity"], lang),
            level=tr(LEVEL_NAMES[r["opportunity_level"]], lang),
            action=tr(_T[f"action_{r['opportunity_level']}"], lang),
        )
        + note(r)
        for r in under
    ]
    over_text = [
        tr(
            _T["over_sentence"],
            lang,
            where=_where(r, groups, lang),
            what=_what(r),
            imp=r["importance"] * 10,
            sat=r["satisfaction"] * 10,
        )
        + note(r)
        for r in over
    ]
    return under_text, over_text


def summary_text(result: pd.DataFrame, lang: str = "en", *, top: int = 5) -> str:
    """The summary as plain text for a terminal: what to work on first, and what is over-served.

    >>> import pandas as pd
    >>> from kundfokus.jtbd import opportunity
    >>> res = opportunity(pd.DataFrame({"a_importance": [3, 3], "a_satisfaction": [4, 5]}))
    >>> print(summary_text(res))
    What to work on
    No outcome is under-served: no outcome has an opportunity of 10 or more with importance above satisfaction.
    Over-served
    - a: 100% are satisfied but only 0% find it important. Only 2 respondents answered both questions: treat this as a hint.
    """
    under, over = summary_sentences(result, lang, top=top)
    lines = [tr(_T["what_to_do"], lang)]
    if under:
        lines.extend(f"- {s}" for s in under)
    else:
        lines.append(tr(_T["none_under"], lang))
    if over:
        lines.append(tr(SERVED_NAMES["over-served"], lang).capitalize())
        lines.extend(f"- {s}" for s in over)
    return "\n".join(lines)


#: The columns of the short table for a terminal (after the group columns).
_BRIEF_COLUMNS = (
    "outcome",
    "job",
    "n",
    "importance",
    "satisfaction",
    "opportunity",
    "opportunity_level",
    "served",
)

#: The columns of the full table of the report (after the group columns).
_FULL_COLUMNS = (
    "outcome",
    "statement",
    "job",
    "n",
    "importance",
    "importance_low",
    "importance_high",
    "satisfaction",
    "satisfaction_low",
    "satisfaction_high",
    "opportunity",
    "opportunity_level",
    "served",
)


def display_table(
    result: pd.DataFrame, lang: str = "en", *, brief: bool = False, job: bool | None = None
) -> pd.DataFrame:
    """The result with translated labels and column names, for people to read.

    Parameters
    ----------
    result:
        The frame returned by :func:`kundfokus.jtbd.opportunity`.
    lang:
        ``"en"`` or ``"sv"``.
    brief:
        The short table for a terminal: no statements and no intervals, and the column names as
        they are in ``result`` (only the level and served labels are translated).
    job:
        Show the ``job`` column: always (True), never (False) or when some outcome has a job
        (None, the default).

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.jtbd import opportunity
    >>> res = opportunity(pd.DataFrame({"a_importance": [5, 4], "a_satisfaction": [1, 1]}))
    >>> list(display_table(res, "sv").columns)[:3], list(display_table(res, brief=True).columns)[:3]
    (['utfall', 'n', 'vikt'], ['outcome', 'n', 'importance'])
    """
    check_lang(lang)
    groups = _groups(result)
    cols = [*groups, *(_BRIEF_COLUMNS if brief else _FULL_COLUMNS)]
    if not brief and result["statement"].isna().all():
        cols.remove("statement")
    if job is False or (job is None and result["job"].isna().all()):
        cols.remove("job")
    out = result[cols].copy()
    out["opportunity_level"] = [
        tr(LEVEL_NAMES[v], lang) if v in LEVEL_NAMES else None for v in out["opportunity_level"]
    ]
    out["served"] = [
        tr(SERVED_NAMES[s], lang) if s in SERVED_NAMES else None for s in out["served"]
    ]
    if brief:
        return out
    return out.rename(columns={c: tr(_COLUMN_NAMES[c], lang) for c in cols if c in _COLUMN_NAMES})


def opportunity_text(result: pd.DataFrame, lang: str = "en", *, job: bool | None = None) -> str:
    """The opportunity scores for a terminal: a heading, the short table and the summary.

    ``job`` is as in :func:`display_table`.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.jtbd import opportunity
    >>> res = opportunity(pd.DataFrame({"a_importance": [5, 4], "a_satisfaction": [1, 1]}))
    >>> print(opportunity_text(res, "sv").splitlines()[0])
    Möjlighet per önskat utfall (vikt och nöjdhet 0-10, möjlighet 0-20)
    """
    lines = [
        tr(_T["scores_heading"], lang),
        frame_text(display_table(result, lang, brief=True, job=job), float_digits=1, lang=lang),
        "",
        summary_text(result, lang),
    ]
    return "\n".join(lines)


def jtbd_sections(
    result: pd.DataFrame, inventory: JobInventory | None = None, lang: str = "en"
) -> list[Section]:
    """Report sections for an opportunity result: summary, landscape, table, how to read, inventory.

    Parameters
    ----------
    result:
        The frame returned by :func:`kundfokus.jtbd.opportunity`.
    inventory:
        The job inventory, to add a section describing the jobs and their outcomes.
    lang:
        ``"en"`` or ``"sv"``.

    Returns
    -------
    list of kundfokus.reports.Section

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.jtbd import opportunity
    >>> res = opportunity(pd.DataFrame({"a_importance": [5, 4], "a_satisfaction": [1, 1]}))
    >>> [s.title for s in jtbd_sections(res, lang="sv")]
    ['Sammanfattning', 'Möjlighetslandskap', 'Alla utfall', 'Så läser du rapporten']
    """
    check_lang(lang)
    if inventory is not None:  # statements in the report's language, whatever the result holds
        texts = {o.id: o.text(lang) for o in inventory.outcomes}
        result = result.copy()
        result["statement"] = [
            texts.get(o, s) for o, s in zip(result["outcome"], result["statement"], strict=True)
        ]
    groups = _groups(result)
    scored = result[result["served"].notna()]
    summary = Section(title=tr(_T["summary"], lang))
    # respondents: the most answers any outcome got, added up over the groups
    answered = result[["n_importance", "n_satisfaction"]].max(axis=1)
    if groups and len(result):
        n_resp = int(answered.groupby([result[g] for g in groups], dropna=False).max().sum())
    else:
        n_resp = int(answered.max()) if len(result) else 0
    served = scored["served"].value_counts()
    summary.paragraphs.append(
        tr(
            _T["overview"],
            lang,
            n_out=result["outcome"].nunique(),
            n_resp=n_resp,
            n_under=int(served.get("under-served", 0)),
            n_over=int(served.get("over-served", 0)),
            n_ok=int(served.get("appropriately served", 0)),
        )
    )
    if groups:
        keys = result[groups].drop_duplicates().astype(str).agg(" / ".join, axis=1)
        summary.paragraphs.append(
            tr(_T["overview_groups"], lang, by=" / ".join(groups), groups=", ".join(keys))
        )
    # the small-sample warning once for the summary, not at the end of every sentence
    under, over = summary_sentences(result, lang, caution=False)
    under_rows, over_rows = _summary_rows(result)
    small = [int(r["n"]) for r in [*under_rows, *over_rows] if r["n"] < SMALL_N]
    summary.paragraphs.append(tr(_T["top_under" if under else "none_under"], lang))
    summary.bullets.extend(under)
    if small:
        ns = str(min(small)) if min(small) == max(small) else f"{min(small)}–{max(small)}"
        summary.paragraphs.append(tr(_T["small_list"], lang, small=SMALL_N, ns=ns))
    if over:
        summary.subsections.append(
            Section(
                title=tr(SERVED_NAMES["over-served"], lang).capitalize(),
                paragraphs=[tr(_T["over_intro"], lang)],
                bullets=over,
            )
        )
    n_invalid = int(result["n_invalid"].sum())
    if n_invalid:
        summary.paragraphs.append(tr(_T["invalid"], lang, n=n_invalid))
    unsurveyed = result.attrs.get("unsurveyed_outcomes") or []
    if unsurveyed:
        summary.paragraphs.append(tr(_T["unsurveyed"], lang, ids=", ".join(unsurveyed)))

    sections = [summary]
    if len(scored):
        sections.append(
            Section(
                title=tr(_T["landscape"], lang),
                charts=[
                    Chart(
                        spec=opportunity_landscape(result, lang=lang),
                        caption=tr(_T["landscape_caption"], lang),
                    )
                ],
            )
        )
    sections.append(
        Section(
            title=tr(_T["table"], lang),
            tables=[
                Table(
                    frame=display_table(result, lang),
                    caption=tr(_T["table_caption"], lang),
                    float_digits=1,
                )
            ],
        )
    )
    sections.append(
        Section(
            title=tr(_T["how"], lang),
            paragraphs=[tr(_T[k], lang) for k in ("how_1", "how_2", "how_3")],
        )
    )
    if inventory is not None:
        sections.extend(inventory_sections(inventory, lang))
    return sections


def inventory_sections(inventory: JobInventory, lang: str = "en") -> list[Section]:
    """Report sections describing a job inventory: jobs by type and situation, outcomes per job.

    Examples
    --------
    >>> from kundfokus.jtbd import JobInventory
    >>> inv = JobInventory.from_records([{"job_id": "pay", "job_type": "social",
    ...     "job_statement": "Look competent", "outcome_id": "late",
    ...     "outcome_statement": "Minimize the risk of paying late"}])
    >>> [s.title for s in inventory_sections(inv)]
    ['Job inventory']
    """
    check_lang(lang)
    jobs = inventory.jobs
    type_counts = {t: sum(j.type == t for j in jobs) for t in JOB_TYPES}
    types = ", ".join(f"{n} {job_type_text(t, lang)}" for t, n in type_counts.items() if n)
    main = Section(
        title=tr(_T["inventory_title"], lang),
        paragraphs=[
            tr(
                _T["inv_overview"],
                lang,
                jobs=_count(len(jobs), _T["job_word"], lang),
                types=types,
                outcomes=_count(len(inventory.outcomes), _T["outcome_word"], lang),
            )
        ],
    )
    counts = inventory.type_situation_counts(lang)
    counts["job_type"] = [job_type_text(t, lang) for t in counts["job_type"]]
    counts = counts.rename(columns={c: tr(_COLUMN_NAMES[c], lang) for c in counts.columns})
    main.subsections.append(Section(title=tr(_T["by_type"], lang), tables=[Table(frame=counts)]))
    per_job = Section(title=tr(_T["jobs_and_outcomes"], lang))
    for j in jobs:
        sit = j.situation_text(lang)
        per_job.subsections.append(
            Section(
                title=tr(
                    _T["job_heading"],
                    lang,
                    statement=j.text(lang),
                    type=job_type_text(j.type, lang),
                ),
                paragraphs=[
                    tr(_T["situation"], lang, s=sit) if sit else tr(_T["no_situation"], lang),
                    *([] if j.outcomes else [tr(_T["no_outcomes"], lang)]),
                ],
                bullets=[f"{o.text(lang)} ({o.id})" for o in j.outcomes],
            )
        )
    main.subsections.append(per_job)
    if inventory.warnings:
        main.subsections.append(
            Section(
                title=tr(_T["grammar"], lang),
                paragraphs=[tr(_T["grammar_intro"], lang)],
                bullets=list(inventory.warnings),
            )
        )
    return [main]


def inventory_text(inventory: JobInventory, lang: str = "en") -> str:
    """The inventory as indented plain text (for a terminal).

    >>> from kundfokus.jtbd import JobInventory
    >>> inv = JobInventory.from_records([{"job_id": "pay", "job_type": "social",
    ...     "job_statement": "Look competent", "situation": "Paying household bills",
    ...     "outcome_id": "late", "outcome_statement": "Minimize the risk of paying late"}])
    >>> print(inventory_text(inv, "sv"))
    Jobbinventering
    1 jobb (1 socialt) med 1 önskat utfall.
    <BLANKLINE>
    [pay] Look competent (socialt)
      Situation: Paying household bills
      - late: Minimize the risk of paying late
    """
    check_lang(lang)
    section = inventory_sections(inventory, lang)[0]
    lines = [section.title, *section.paragraphs]
    for j in inventory.jobs:
        lines.append("")
        lines.append(f"[{j.id}] {j.text(lang)} ({job_type_text(j.type, lang)})")
        sit = j.situation_text(lang)
        lines.append(
            "  " + (tr(_T["situation"], lang, s=sit) if sit else tr(_T["no_situation"], lang))
        )
        lines.extend(f"  - {o.id}: {o.text(lang)}" for o in j.outcomes)
    if inventory.warnings:
        lines.append("")
        lines.append(tr(_T["grammar"], lang))
        lines.extend(f"  ! {w}" for w in inventory.warnings)
    return "\n".join(lines)


def jtbd_report_html(
    result: pd.DataFrame,
    inventory: JobInventory | None = None,
    *,
    lang: str = "en",
    title: str | None = None,
) -> str:
    """The whole report as one HTML string."""
    return render_report(
        title or tr(_T["title"], lang), jtbd_sections(result, inventory, lang), lang=lang
    )


def inventory_report_html(inventory: JobInventory, *, lang: str = "en") -> str:
    """An HTML page describing the job inventory alone."""
    return render_report(
        tr(_T["inventory_title"], lang), inventory_sections(inventory, lang), lang=lang
    )


def write_jtbd_report(
    path: str | Path,
    result: pd.DataFrame,
    inventory: JobInventory | None = None,
    *,
    lang: str = "en",
    title: str | None = None,
) -> Path:
    """Write the opportunity report to ``path`` as offline HTML (whole or not at all).

    Parameters
    ----------
    path:
        The HTML file to write.
    result:
        The frame returned by :func:`kundfokus.jtbd.opportunity`.
    inventory:
        Optional job inventory (adds the inventory section).
    lang:
        ``"en"`` or ``"sv"``.
    title:
        Page title (default: "Jobs to be done: where are customers under-served?").

    Returns
    -------
    pathlib.Path
        The written file.
    """
    return write_report(
        path, title or tr(_T["title"], lang), jtbd_sections(result, inventory, lang), lang=lang
    )
