"""`kundfokus start`: the guided start. Asks for the challenge, the data and the features and
outcomes (or takes them as options), prints the plan with one reason per choice, and sets it up."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer

from kundfokus.cli._common import Lang
from kundfokus.i18n import tr

DB_HELP = "SQLite file or database URL (default: $KUNDFOKUS_DB, else kundfokus.db)."


class Challenge(StrEnum):
    win = "win"
    keep = "keep"
    both = "both"


class StartFormat(StrEnum):
    text = "text"
    json = "json"


_H = {
    "ask_challenge": {
        "en": "What is the challenge: win more customers (win), understand why customers leave "
        "(keep), or both?",
        "sv": "Vad är utmaningen: vinna fler kunder (win), förstå varför kunder lämnar (keep) "
        "eller båda (both)?",
    },
    "ask_data": {
        "en": "Which data do you have? Comma-separated: surveys, contacts, purchases, contracts, "
        "journeys (empty: none)",
        "sv": "Vilka data har ni? Kommaseparerat: surveys, contacts, purchases, contracts, "
        "journeys (tomt: inga)",
    },
    "ask_features": {
        "en": "Features you offer or plan, one per line (an empty line ends)",
        "sv": "Egenskaper ni erbjuder eller planerar, en per rad (en tom rad avslutar)",
    },
    "ask_outcomes": {
        "en": "Outcomes customers want, one per line (an empty line ends)",
        "sv": "Utfall kunderna vill nå, en per rad (en tom rad avslutar)",
    },
    "need_challenge": {
        "en": "give --challenge win, keep or both (or run it in a terminal to be asked)",
        "sv": "ange --challenge win, keep eller both (eller kör i en terminal för att få frågan)",
    },
    "plan": {"en": "The plan", "sv": "Planen"},
    "demo_plan": {
        "en": "The plan for the demo organisation (Nordström Energi)",
        "sv": "Planen för demoorganisationen (Nordström Energi)",
    },
    "notes": {"en": "Not set up yet", "sv": "Inte uppsatt än"},
    "confirm": {"en": "Set it up?", "sv": "Sätta upp det?"},
    "not_applied": {
        "en": "Nothing was changed; run again with --yes to set it up.",
        "sv": "Inget ändrades; kör igen med --yes för att sätta upp det.",
    },
    "demo_built": {
        "en": "The demo organisation was built into the store.",
        "sv": "Demoorganisationen byggdes in i lagret.",
    },
    "demo_locked": {
        "en": "Its people were added disabled and without passwords, since the store has users "
        "of its own.",
        "sv": "Dess personer lades till avstängda och utan lösenord, eftersom lagret har egna "
        "användare.",
    },
    "demo_logins": {
        "en": "Sign in with one of the demo's people (demo passwords: never in a real store):",
        "sv": "Logga in som en av demons personer (demolösenord: aldrig i ett riktigt lager):",
    },
    "created": {"en": "Set up", "sv": "Uppsatt"},
    "survey_new": {
        "en": "survey {id} ({kind}) created: {title}, respondent link {link}",
        "sv": "enkät {id} ({kind}) skapad: {title}, länk för svar {link}",
    },
    "survey_reused": {
        "en": "survey {id} ({kind}) already there, used as it is: {title}, link {link}",
        "sv": "enkät {id} ({kind}) fanns redan och används: {title}, länk {link}",
    },
    "cpis": {"en": "CPI definitions (cpi_definitions): {ids}", "sv": "CPI-definitioner: {ids}"},
    "panels": {
        "en": "dashboard panels (dashboard_panels): {keys}",
        "sv": "översiktens paneler: {keys}",
    },
    "next": {"en": "Next", "sv": "Nästa steg"},
    "serve": {
        "en": "start the server and open /dashboard: kundfokus serve --db {db}",
        "sv": "starta servern och öppna /dashboard: kundfokus serve --db {db}",
    },
}
_KIND = {
    "survey": {"en": "survey", "sv": "enkät"},
    "import": {"en": "import", "sv": "import"},
    "cpis": {"en": "CPIs", "sv": "CPI:er"},
    "panels": {"en": "dashboard", "sv": "översikt"},
}


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask_lines(prompt: str) -> list[str]:
    typer.echo(prompt)
    lines: list[str] = []
    while True:
        line = typer.prompt(">", default="", show_default=False)
        if not line.strip():
            return lines
        lines.append(line.strip())


def _plan_text(plan, lang: str, head: str) -> str:
    out = [head, "=" * len(head)]
    for i, step in enumerate(plan.steps, start=1):
        out.append(f"{i}. [{tr(_KIND[step.kind], lang)}] {step.what}")
        out.append(f"   {step.reason}")
    if plan.notes:
        out += ["", tr(_H["notes"], lang) + ":"]
        out += [f"- {n}" for n in plan.notes]
    return "\n".join(out)


def _applied_text(applied, lang: str, db: str) -> str:
    head = tr(_H["created"], lang)
    out = [head, "=" * len(head)]
    for s in applied.surveys:
        key = "survey_new" if s.created else "survey_reused"
        out.append("- " + tr(_H[key], lang, id=s.id, kind=s.kind, title=s.title, link=s.link))
    out.append("- " + tr(_H["cpis"], lang, ids=", ".join(applied.cpis)))
    out.append("- " + tr(_H["panels"], lang, keys=", ".join(applied.panels)))
    out += ["", tr(_H["next"], lang) + ":"]
    out += [f"- {c}" for c in applied.imports]
    out.append("- " + tr(_H["serve"], lang, db=db))
    return "\n".join(out)


def start(
    db: str | None = typer.Option(None, "--db", help=DB_HELP, envvar="KUNDFOKUS_DB"),
    challenge: Challenge | None = typer.Option(
        None, "--challenge", help="win (more customers), keep (why customers leave) or both."
    ),
    data: str | None = typer.Option(
        None,
        "--data",
        help="The data you have, comma-separated: surveys, contacts, purchases, contracts, "
        "journeys (default: what the store holds).",
    ),
    feature: list[str] | None = typer.Option(
        None, "--feature", help="A feature you offer or plan (repeatable): drafts a Kano survey."
    ),
    outcome: list[str] | None = typer.Option(
        None, "--outcome", help="An outcome customers want (repeatable): drafts an ODI survey."
    ),
    lang: Lang = typer.Option(Lang.sv, "--lang", help="Language of the plan and the surveys."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Set the plan up without asking."),
    demo: bool = typer.Option(
        False,
        "--demo",
        help="Try it with the demo organisation: build it into this (fresh) store and set up "
        "the plan that fits its data.",
    ),
    fmt: StartFormat = typer.Option(StartFormat.text, "--format", help="text or json."),
) -> None:
    """Guided start: the analyses that fit your challenge and data, each with one reason, set up.

    Kom igång: analyserna som passar er utmaning och era data, var och en med ett skäl, uppsatta.
    """
    from kundfokus.services import guided_start as gs
    from kundfokus.store.db import open_store, session_scope

    lg = lang.value
    url = open_store(db)
    ask = _interactive()
    if demo:
        with session_scope(url) as s:
            has = gs.store_data(s) or set(gs.DEMO_DATA)
        plan = gs.demo_plan(lg, has)
        head = tr(_H["demo_plan"], lg)
    else:
        if challenge is None:
            if not ask:
                raise typer.BadParameter(tr(_H["need_challenge"], lg), param_hint="--challenge")
            challenge = Challenge(
                typer.prompt(
                    tr(_H["ask_challenge"], lg), type=typer.Choice(["win", "keep", "both"])
                )
            )
        if data is None:
            with session_scope(url) as s:
                held = sorted(gs.store_data(s))
            if ask:
                data = typer.prompt(
                    tr(_H["ask_data"], lg), default=",".join(held), show_default=True
                )
            else:
                data = ",".join(held)
        features = list(feature or [])
        outcomes = list(outcome or [])
        if ask and not features and challenge.value in ("win", "both"):
            features = _ask_lines(tr(_H["ask_features"], lg))
        if ask and not outcomes and challenge.value in ("win", "both"):
            outcomes = _ask_lines(tr(_H["ask_outcomes"], lg))
        plan = gs.plan_start(challenge.value, data, features, outcomes, lg)
        head = tr(_H["plan"], lg)
    if fmt is StartFormat.text:
        typer.echo(_plan_text(plan, lg, head))
    go = yes or (ask and typer.confirm(tr(_H["confirm"], lg), default=True))
    if not go:
        if fmt is StartFormat.json:
            typer.echo(json.dumps({"plan": plan.to_dict(), "applied": None}, ensure_ascii=False))
        else:
            typer.echo("\n" + tr(_H["not_applied"], lg))
        return
    built = None
    if demo:
        built = gs.build_demo_here(url, lang=lg)
        with session_scope(url) as s:
            plan = gs.demo_plan(lg, gs.store_data(s))
    with session_scope(url) as s:
        applied = gs.apply_plan(s, plan, by="kundfokus start")
    if fmt is StartFormat.json:
        out = {"plan": plan.to_dict(), "applied": applied.to_dict()}
        if built is not None:
            out["demo"] = {"created": built.created, "logins_usable": built.logins_usable}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    lines = []
    if built is not None and built.created:
        lines.append(tr(_H["demo_built"], lg))
        if not built.logins_usable:
            lines.append(tr(_H["demo_locked"], lg))
        else:
            from kundfokus.services.demo_org import LOGINS

            lines.append(tr(_H["demo_logins"], lg))
            lines += [f"- {x.role}: {x.email} / {x.password}" for x in LOGINS]
    shown = db or "kundfokus.db"
    typer.echo("\n" + "\n".join([*lines, _applied_text(applied, lg, shown)]).lstrip("\n"))


def register(root: typer.Typer) -> None:
    """Add ``kundfokus start`` to the root app."""
    root.command("start")(start)
