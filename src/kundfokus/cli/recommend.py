"""`kundfokus recommend fit|for|evaluate|override|outcome`: which service mode works best for which
situation, learnt from confounded history, with offline policy evaluation (see docs/recommend.md).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from kundfokus.cli._common import Format, Lang, emit, naming, to_json
from kundfokus.errors import InputError
from kundfokus.io import read_table

app = typer.Typer(
    no_args_is_help=True,
    help="Service recommendations per situation, with offline policy evaluation (IPS, SNIPS, DR). "
    "/ Tjänsterekommendationer per situation, med utvärdering i efterhand.",
)


class Better(StrEnum):
    higher = "higher"
    lower = "lower"


def _cols(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


_MODEL = typer.Option(..., "--model", help="Model file (JSON). / Modellfil.")
_LANG = typer.Option(Lang.en, "--lang", help="Language of the text. / Språk.")
_DB = typer.Option(None, "--db", help="Store: SQLite path or database URL.")


@app.command("fit")
def fit(
    history: Path = typer.Argument(..., help="History: CSV, Parquet, JSON lines or Excel."),
    situation: str = typer.Option(..., "--situation", help="Situation columns, comma-separated."),
    action: str = typer.Option(..., "--action", help="Column with the service mode used."),
    outcome: str = typer.Option(..., "--outcome", help="Outcome column (a CPI or KPI)."),
    model_path: Path = _MODEL,
    propensity: str | None = typer.Option(
        None, "--propensity", help="Column with the logging propensity of the mode used."
    ),
    features: str | None = typer.Option(
        None, "--features", help="Extra feature columns (e.g. the customer's earlier behaviour)."
    ),
    customer: str | None = typer.Option(
        None, "--customer", help="Customer id column: derive earlier-behaviour features."
    ),
    time: str | None = typer.Option(None, "--time", help="Timestamp column (with --customer)."),
    better: Better = typer.Option(Better.higher, "--better", help="Direction of the outcome."),
    min_propensity: float = typer.Option(
        0.05, "--min-propensity", help="Overlap: below this a mode lacks evidence."
    ),
    min_cases: int = typer.Option(5, "--min-cases", help="Overlap: fewer cases lack evidence."),
    db: str | None = _DB,
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
    lang: Lang = _LANG,
) -> None:
    """Learn which service mode works best for which situation. / Lär vilken tjänst som fungerar
    bäst i vilken situation."""
    from kundfokus.recommend import fit_recommender, save_recommender
    from kundfokus.recommend.cells import HISTORY_FEATURES, derive_history
    from kundfokus.recommend.report import fit_dict, fit_text

    if (customer is None) != (time is None):
        raise InputError("--customer and --time go together", value=customer or time)
    data = read_table(history)
    feats = _cols(features)
    derive = None
    with naming(history):
        if customer is not None:
            derive = {"customer": customer, "time": time, "action": action}
            data = derive_history(data, **derive)
            feats += [c for c in HISTORY_FEATURES[:2] if c not in feats]
        pcol = propensity
        if db is not None:
            from kundfokus.services.recommend_log import combine_history, load_log
            from kundfokus.store.db import open_store, session_scope

            url = open_store(db, create=False)
            with session_scope(url) as session:
                log = load_log(session)
            data, pcol = combine_history(
                data, log, columns=[*_cols(situation), *feats], action=action, outcome=outcome,
                propensity=propensity,
            )  # fmt: skip
        model = fit_recommender(
            data, _cols(situation), action, outcome, propensity=pcol, features=feats,
            better=better.value, min_propensity=min_propensity, min_cases=min_cases,
        )  # fmt: skip
    model.derive = derive
    replaced = model_path.is_file()
    save_recommender(model, model_path)
    from kundfokus.cli._common import wrote

    typer.echo(wrote(model_path, replaced), err=True)
    if fmt is Format.json:
        emit(to_json(fit_dict(model)), None)
    elif fmt is Format.text:
        emit(fit_text(model, lang.value), None)
    else:
        raise InputError("recommend fit writes text or json", value=fmt.value)


@app.command("for")
def recommend_cmd(
    file: Path = typer.Argument(..., help="Cases to recommend for: CSV, Parquet, JSON lines."),
    model_path: Path = _MODEL,
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    explore: float = typer.Option(
        0.05, "--explore", help="Share of cases offered a random mode (keeps propensities > 0)."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed of the exploration."),
    db: str | None = _DB,
    case: str | None = typer.Option(None, "--case", help="Case id column (for the log)."),
    customer: str | None = typer.Option(None, "--customer", help="Customer id column (log)."),
    fmt: Format = typer.Option(Format.csv, "--format", help="csv, json or text."),
    lang: Lang = _LANG,
) -> None:
    """Ranked modes per case with expected outcome, interval and evidence. / Rangordnade tjänster
    per ärende med förväntat utfall, intervall och underlag."""
    from kundfokus.recommend import load_recommender, recommend_for
    from kundfokus.serialize import to_csv

    data = read_table(file)
    model = load_recommender(model_path)
    with naming(file):
        rec = recommend_for(model, data, explore=explore, seed=seed)
        table = rec.table
        if db is not None:
            from kundfokus.services.recommend_log import log_recommendations
            from kundfokus.store.db import open_store, session_scope

            for c in (case, customer):
                if c is not None and c not in table.columns:
                    raise InputError("no such column", column=c)
            rows = []
            for i, r in enumerate(table.to_dict("records")):
                r["probabilities"] = rec.probabilities[i]
                r["case_id"] = r.get(case) if case else None
                r["customer_id"] = r.get(customer) if customer else None
                rows.append(r)
            url = open_store(db, create=True)
            with session_scope(url) as session:
                n = log_recommendations(session, rows, model=model_path.name,
                                        situation=model.columns)  # fmt: skip
            typer.echo(f"logged {n} recommendations with their propensities", err=True)
    if fmt is Format.json:
        text = to_json(table)
    elif fmt is Format.text:
        from kundfokus.recommend.report import CONFOUNDED
        from kundfokus.reports import frame_text

        text = CONFOUNDED[lang.value] + "\n" + frame_text(table)
    elif fmt is Format.csv:
        text = to_csv(table)
    else:
        raise InputError("recommend for writes csv, json or text", value=fmt.value)
    emit(text, out)
    if rec.n_without_evidence:
        typer.echo(
            f"warning: {rec.n_without_evidence} cases have no mode with enough evidence "
            "(usual practice shown)",
            err=True,
        )


@app.command("evaluate")
def evaluate(
    history: Path = typer.Argument(..., help="Logged cases with the mode used and the outcome."),
    model_path: Path = _MODEL,
    propensity: str | None = typer.Option(
        None, "--propensity", help="Column with the logging propensity (else estimated)."
    ),
    explore: float = typer.Option(0.0, "--explore", help="Evaluate the exploring policy."),
    level: float = typer.Option(0.95, "--level", help="Confidence level."),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    lang: Lang = _LANG,
) -> None:
    """Value of the learned policy against the logged one (IPS, SNIPS, DR, ESS). / Värdet av den
    inlärda policyn jämfört med den loggade."""
    from kundfokus.recommend import evaluate_policy, load_recommender
    from kundfokus.recommend.report import evaluation_dict, evaluation_text

    data = read_table(history)
    model = load_recommender(model_path)
    with naming(history):
        ev = evaluate_policy(model, data, propensity=propensity, explore=explore, level=level)
    if fmt is Format.json:
        emit(to_json(evaluation_dict(ev)), out)
    elif fmt is Format.text:
        emit(evaluation_text(ev, model.columns, lang.value), out)
    else:
        raise InputError("recommend evaluate writes text or json", value=fmt.value)


@app.command("override")
def override(
    db: str = typer.Option(..., "--db", help="Store: SQLite path or database URL."),
    case: str = typer.Option(..., "--case", help="Case id."),
    chosen: str = typer.Option(..., "--chosen", help="The mode actually chosen."),
    reason: str | None = typer.Option(None, "--reason", help="Why (free text)."),
    who: str | None = typer.Option(None, "--who", help="Agent or 'customer'."),
) -> None:
    """Log that another mode was chosen than recommended. / Logga att en annan tjänst valdes."""
    from kundfokus.services.recommend_log import log_override
    from kundfokus.store.db import open_store, session_scope

    url = open_store(db, create=False)
    with session_scope(url) as session:
        row = log_override(session, case, chosen, reason=reason, who=who)
        msg = (
            f"case {case}: override {row.recommended} -> {row.chosen} logged"
            if row.override
            else f"case {case}: the recommended {row.chosen} was chosen"
        )
    typer.echo(msg)


@app.command("outcome")
def outcome(
    db: str = typer.Option(..., "--db", help="Store: SQLite path or database URL."),
    case: str = typer.Option(..., "--case", help="Case id."),
    value: float = typer.Option(..., "--value", help="The outcome (same scale as the fit)."),
) -> None:
    """Log the outcome of a recommended case. / Logga utfallet för ett ärende."""
    from kundfokus.services.recommend_log import log_outcome
    from kundfokus.store.db import open_store, session_scope

    url = open_store(db, create=False)
    with session_scope(url) as session:
        log_outcome(session, case, value)
    typer.echo(f"case {case}: outcome {value:g} logged")
