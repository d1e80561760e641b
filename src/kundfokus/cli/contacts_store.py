"""CLI commands over the contacts store: import, taxonomy, queue, correct, retrain, history,
situations.

Each command opens the store (``--db PATH`` or URL, else ``$KUNDFOKUS_DB``, else
``kundfokus.db``), brings its schema up to date with the shipped migrations, calls one service
function in one transaction and renders the result. No SQL and no statistics here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from pathlib import Path
from typing import Any

import typer

from kundfokus.cli._common import Format, emit, frame_text, naming, records, to_json
from kundfokus.errors import InputError
from kundfokus.i18n import tr
from kundfokus.serialize import to_csv

LANG_HELP = "Language of the output: en or sv. / Språk: en eller sv."

_MSG = {
    "imported": {
        "en": "imported {n} contacts (batch {batch}; {red})\nlanguages: {langs}\n"
        "channels: {chans}\nrule guesses: {rules}, labels: {labels}",
        "sv": "importerade {n} kontakter (import {batch}; {red})\nspråk: {langs}\n"
        "kanaler: {chans}\nregelgissningar: {rules}, etiketter: {labels}",
    },
    "redacted": {"en": "redacted", "sv": "maskerade"},
    "not_redacted": {"en": "NOT redacted", "sv": "INTE maskerade"},
    "corrected": {
        "en": "{id} {axis}: {before} -> {after} by {who}{note}",
        "sv": "{id} {axis}: {before} -> {after} av {who}{note}",
    },
    "nothing": {"en": "nothing", "sv": "ingenting"},
    "new_label": {
        "en": " (new label added to the taxonomy)",
        "sv": " (ny etikett tillagd i taxonomin)",
    },
    "retrained": {
        "en": "{axis}: model version {v} from {n} labelled contacts, {k} classes "
        "(label set {fp})\n{method}: accuracy {acc:.3f}, macro F1 {f1:.3f}\n"
        "re-inferred {inf} contacts",
        "sv": "{axis}: modellversion {v} från {n} etiketterade kontakter, {k} klasser "
        "(etikettmängd {fp})\n{method}: träffsäkerhet {acc:.3f}, makro-F1 {f1:.3f}\n"
        "nya gissningar för {inf} kontakter",
    },
    "same_set": {
        "en": "\nnote: same label set as version {v}",
        "sv": "\nobs: samma etikettmängd som version {v}",
    },
    "no_versions": {
        "en": "no model versions for {axis} yet (run: kundfokus contacts retrain --axis {axis})",
        "sv": "inga modellversioner för {axis} än (kör: kundfokus contacts retrain --axis {axis})",
    },
    "opinion": {
        "en": " (kept as a second opinion: the label in force is unchanged until a lead settles)",
        "sv": " (sparad som andra bedömning: gällande etikett oförändrad tills en ledare avgör)",
    },
    "changed": {
        "en": " ({n} contacts' current guess changed)",
        "sv": " ({n} kontakters aktuella gissning ändrades)",
    },
    "overlap_set": {
        "en": "overlap share set to {share} (by {who})",
        "sv": "överlappsandel satt till {share} (av {who})",
    },
    "agreement": {
        "en": "{axis}: {n} overlap contacts, Krippendorff's alpha {alpha}, Cohen's kappa {kappa}, "
        "{d} disagreements",
        "sv": "{axis}: {n} överlappskontakter, Krippendorffs alfa {alpha}, Cohens kappa {kappa}, "
        "{d} oenigheter",
    },
    "empty_queue": {"en": "the queue is empty", "sv": "kön är tom"},
    "none": {"en": "(none)", "sv": "(inga)"},
}


def _check_lang(value: str) -> str:
    if value not in ("en", "sv"):
        raise typer.BadParameter("use en or sv / använd en eller sv")
    return value


def _lang_option() -> Any:
    return typer.Option("en", "--lang", help=LANG_HELP, callback=_check_lang)


DB_HELP = "SQLite file or database URL (default: $KUNDFOKUS_DB, else kundfokus.db)."
AXIS_HELP = (
    "Axis: reason, purpose, urgency, treatment, mood, tags; or a group: need, situation, all."
)


def _db_option() -> Any:
    return typer.Option(None, "--db", help=DB_HELP, envvar="KUNDFOKUS_DB", show_envvar=False)


def _parse_pairs(values: list[str] | None, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        if "=" not in v:
            raise InputError(f"expected AXIS=COLUMN for {what}", column=what, value=v)
        k, col = v.split("=", 1)
        out[k.strip()] = col.strip()
    return out


def _inference_text(items: list[dict[str, Any]]) -> str:
    parts = []
    for it in items:
        src = it["source"] + (f" v{it['model_version']}" if it.get("model_version") else "")
        parts.append(f"{it['axis']}={it['label']} ({src}, {it['confidence']:.2f})")
    return "; ".join(parts)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app`` (the ``kundfokus contacts`` sub-app)."""

    @app.command("import")
    def import_cmd(
        file: Path = typer.Argument(..., help="CSV, Parquet or JSON-lines file of contacts."),
        db: str | None = _db_option(),
        id_col: str = typer.Option("id", "--id-col", help="Column with the contact id."),
        customer_col: str = typer.Option("customer_id", "--customer-col"),
        time_col: str = typer.Option("timestamp", "--time-col"),
        channel_col: str = typer.Option("channel", "--channel-col"),
        text_col: str = typer.Option("text", "--text-col"),
        label: list[str] | None = typer.Option(
            None,
            "--label",
            help="AXIS=COLUMN for files that already carry labels, e.g. reason=category "
            "(repeatable).",
        ),
        channels: str | None = typer.Option(
            None, "--channels", help="Only allow these channels (comma-separated)."
        ),
        no_redact: bool = typer.Option(
            False,
            "--no-redact",
            help="Administrators only: store texts without redacting personal data "
            "(recorded on the import batch; needs --by).",
        ),
        no_rules: bool = typer.Option(False, "--no-rules", help="Do not store rule guesses."),
        by: str | None = typer.Option(None, "--by", help="Who imports (recorded)."),
        fmt: Format = typer.Option(Format.text, "--format"),
        lang: str = _lang_option(),
    ) -> None:
        """Import contacts (all rows or none, personal data redacted). / Importera kontakter (allt eller inget, personuppgifter maskerade)."""
        from kundfokus.io import read_table
        from kundfokus.services.contacts_import import import_contacts
        from kundfokus.store.db import new_store_undone_on_error, session_scope

        if no_redact and not by:
            raise InputError("--no-redact needs --by NAME (the administrator who decides)")
        with naming(file):  # errors and warnings name the file
            frame = read_table(file)
            from kundfokus.cli._progress import working

            with (
                working("importing / importerar"),
                new_store_undone_on_error(db) as url,
                session_scope(url) as session,
            ):
                result = import_contacts(
                    session,
                    frame,
                    source=file.name,
                    columns={
                        "id": id_col,
                        "customer_id": customer_col,
                        "timestamp": time_col,
                        "channel": channel_col,
                        "text": text_col,
                    },
                    channels=[c.strip() for c in channels.split(",")] if channels else None,
                    label_columns=_parse_pairs(label, "--label"),
                    redact=not no_redact,
                    imported_by=by,
                    rules=not no_rules,
                )
        if fmt == Format.json:
            emit(to_json(result.to_dict()), None)
            return
        langs = ", ".join(f"{k} {v}" for k, v in result.languages.items())
        chans = ", ".join(f"{k} {v}" for k, v in result.channels.items())
        red = tr(_MSG["redacted" if result.redacted else "not_redacted"], lang)
        typer.echo(
            tr(_MSG["imported"], lang, n=result.n_rows, batch=result.batch_id, red=red,
               langs=langs, chans=chans, rules=result.n_rule_guesses, labels=result.n_labels)
        )  # fmt: skip

    @app.command("taxonomy")
    def taxonomy_cmd(
        file: Path | None = typer.Argument(
            None,
            help="YAML: {axis: [label, or {label, name_en, name_sv, description}, ...]} "
            "to add or update; without it, show the taxonomy.",
        ),
        db: str | None = _db_option(),
        axis: str | None = typer.Option(None, "--axis", help=AXIS_HELP),
        by: str | None = typer.Option(None, "--by"),
        fmt: Format = typer.Option(Format.text, "--format"),
    ) -> None:
        """Show or set the labels per axis. / Visa eller sätt etiketterna per axel."""
        from kundfokus.io import read_yaml
        from kundfokus.services.taxonomy import show_taxonomy, update_taxonomy
        from kundfokus.store.db import open_store, session_scope

        url = open_store(db, create=file is not None)
        with session_scope(url) as session:
            if file is not None:
                try:
                    update_taxonomy(session, read_yaml(file), who=by)
                except InputError as err:
                    raise err.with_file(str(file)) from None
            df = show_taxonomy(session, axis)
        _render(df, fmt, None)

    @app.command("queue")
    def queue_cmd(
        db: str | None = _db_option(),
        axis: str = typer.Option("need", "--axis", help=AXIS_HELP),
        limit: int = typer.Option(20, "--limit", min=1),
        measure: str = typer.Option(
            "margin", "--measure", help="Uncertainty: margin, least_confident or entropy."
        ),
        w_uncertainty: float = typer.Option(1.0, "--w-uncertainty"),
        w_disagreement: float = typer.Option(0.5, "--w-disagreement"),
        w_diversity: float = typer.Option(0.5, "--w-diversity"),
        channel: str | None = typer.Option(None, "--channel", help="Only this channel."),
        language: str | None = typer.Option(None, "--language", help="Only this language."),
        min_confidence: float | None = typer.Option(
            None, "--min-confidence", min=0.0, max=1.0, help="Lowest guess confidence at least."
        ),
        max_confidence: float | None = typer.Option(
            None, "--max-confidence", min=0.0, max=1.0, help="Lowest guess confidence at most."
        ),
        disagree: bool = typer.Option(
            False, "--disagree", help="Only where the model disagrees with the rules."
        ),
        search: str | None = typer.Option(None, "--search", help="Text or id contains this."),
        suspected: bool = typer.Option(
            False, "--suspected", help="Suspected mislabels first (a lead's queue)."
        ),
        reviewer: str | None = typer.Option(
            None, "--reviewer", help="Who reviews: overlap contacts for a second look first."
        ),
        lang: str = _lang_option(),
        fmt: Format = typer.Option(Format.text, "--format"),
        out: Path | None = typer.Option(None, "--out"),
    ) -> None:
        """Contacts to review next, and why. / Kontakter att granska härnäst, och varför."""
        from kundfokus.services.review import QueueFilters, QueueWeights, review_queue
        from kundfokus.store.db import open_store, session_scope

        url = open_store(db, create=False)
        filters = QueueFilters(
            channel=channel,
            language=language,
            min_confidence=min_confidence,
            max_confidence=max_confidence,
            disagree=disagree,
            search=search,
            suspected=suspected,
        )
        with session_scope(url) as session:
            q = review_queue(
                session,
                axis,
                limit=limit,
                measure=measure,
                lang=lang,
                weights=QueueWeights(w_uncertainty, w_disagreement, w_diversity),
                filters=filters,
                reviewer=reviewer,
            )
        if fmt == Format.json:
            emit(to_json(records(q)), out)
            return
        if q.empty:
            emit(tr(_MSG["empty_queue"], lang), out)
            return
        if fmt == Format.text:
            blocks = []
            for r in q.itertuples(index=False):
                blocks.append(
                    f"#{r.rank}  {r.id}  score {r.score:.3f}\n"
                    f"  text: {r.text}\n"
                    f"  now:  {_inference_text(r.inferences)}\n"
                    f"  why:  {r.why}"
                )
            emit("\n\n".join(blocks), out)
            return
        flat = q.assign(inferences=q["inferences"].map(_inference_text))
        _render(flat, fmt, out, title="Review queue")

    @app.command("correct")
    def correct_cmd(
        contact_id: str = typer.Argument(..., help="The contact's id (as imported)."),
        axis: str = typer.Option(..., "--axis", help="One axis, e.g. reason or urgency."),
        label: str = typer.Option(..., "--label", help="The right label (of the taxonomy)."),
        by: str = typer.Option(..., "--by", help="Who corrects."),
        reason: str | None = typer.Option(None, "--reason", help="Why (optional)."),
        new_label: bool = typer.Option(
            False, "--new-label", help="The label is new on purpose: add it to the taxonomy."
        ),
        db: str | None = _db_option(),
        fmt: Format = typer.Option(Format.text, "--format"),
        lang: str = _lang_option(),
    ) -> None:
        """Correct one axis of one contact (audited). / Rätta en axel för en kontakt (loggas)."""
        from kundfokus.services.review import UnknownLabel, correct
        from kundfokus.store.db import open_store, session_scope

        url = open_store(db, create=False)
        try:
            with session_scope(url) as session:
                res = correct(
                    session, contact_id, axis, label, by=by, reason=reason, allow_new=new_label
                )
        except UnknownLabel as err:
            typer.secho(f"error: {err}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None
        if fmt == Format.json:
            emit(to_json(res.to_dict()), None)
            return
        before = f"{res.before} ({res.before_source})" if res.before else tr(_MSG["nothing"], lang)
        note = tr(_MSG["new_label"], lang) if res.new_label else ""
        if not res.applied:
            note += tr(_MSG["opinion"], lang)
        typer.echo(
            tr(_MSG["corrected"], lang, id=res.contact_id, axis=res.axis, before=before,
               after=res.after, who=res.who, note=note)
        )  # fmt: skip

    @app.command("retrain")
    def retrain_cmd(
        axis: str = typer.Option(..., "--axis", help="One axis, e.g. reason."),
        db: str | None = _db_option(),
        by: str | None = typer.Option(None, "--by"),
        folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds."),
        fmt: Format = typer.Option(Format.text, "--format"),
        lang: str = _lang_option(),
    ) -> None:
        """Train a new model version from all current labels. / Träna en ny modellversion från alla etiketter."""
        from kundfokus.services.review import method_text, retrain
        from kundfokus.store.db import open_store, session_scope

        url = open_store(db, create=False)
        with session_scope(url) as session:
            res = retrain(session, axis, by=by, n_splits=folds)
        if fmt == Format.json:
            emit(to_json(res.to_dict()), None)
            return
        ev = res.evaluation
        same = tr(_MSG["same_set"], lang, v=res.unchanged_since) if res.unchanged_since else ""
        gate = "\n" + (res.reason_sv if lang == "sv" else res.reason)
        if res.promoted and res.n_inferred:
            gate += tr(_MSG["changed"], lang, n=res.n_changed)
        typer.echo(
            tr(_MSG["retrained"], lang, axis=res.axis, v=res.version, n=res.n_train,
               k=res.n_classes, fp=res.fingerprint[:12], method=method_text(ev, lang),
               acc=ev["accuracy"], f1=ev["macro_f1"], inf=res.n_inferred)
            + same + gate
        )  # fmt: skip

    @app.command("overlap")
    def overlap_cmd(
        share: float = typer.Argument(..., help="Share 0-1 of contacts a second reviewer labels."),
        by: str = typer.Option(..., "--by", help="Who sets it (an administrator)."),
        db: str | None = _db_option(),
        lang: str = _lang_option(),
    ) -> None:
        """Set the overlap share for agreement. / Sätt överlappsandelen för samstämmighet."""
        from kundfokus.services.agreement import set_overlap
        from kundfokus.store.db import open_store, session_scope

        url = open_store(db, create=False)
        with session_scope(url) as session:
            res = set_overlap(session, share, by=by)
        typer.echo(tr(_MSG["overlap_set"], lang, share=res["share"], who=res["updated_by"]))

    @app.command("agreement")
    def agreement_cmd(
        axis: str = typer.Option(..., "--axis", help="One axis, e.g. reason."),
        db: str | None = _db_option(),
        fmt: Format = typer.Option(Format.text, "--format"),
        out: Path | None = typer.Option(None, "--out"),
        lang: str = _lang_option(),
    ) -> None:
        """Agreement between reviewers on overlap contacts. / Samstämmighet mellan granskare."""
        from kundfokus.services.agreement import agreement
        from kundfokus.store.db import open_store, session_scope

        url = open_store(db, create=False)
        with session_scope(url) as session:
            res = agreement(session, axis)
        if fmt == Format.json:
            emit(to_json(res), out)
            return
        import pandas as pd

        def num(v: float | None) -> str:
            if v is None:
                return "-"
            return f"{v:.3f}".replace(".", ",") if lang == "sv" else f"{v:.3f}"

        head = tr(_MSG["agreement"], lang, axis=axis, n=res["n_overlap"], alpha=num(res["alpha"]),
                  kappa=num(res["kappa"]), d=res["n_disagreements"])  # fmt: skip
        if fmt == Format.text:
            table = pd.DataFrame(res["per_label"])
            emit(head + ("\n" + frame_text(table) if not table.empty else ""), out)
            return
        _render(pd.DataFrame(res["per_label"]), fmt, out, title=head)

    @app.command("settle")
    def settle_cmd(
        contact_id: str = typer.Argument(..., help="The contact's id (as imported)."),
        axis: str = typer.Option(..., "--axis", help="One axis, e.g. reason."),
        label: str = typer.Option(..., "--label", help="The lead's label (of the taxonomy)."),
        by: str = typer.Option(..., "--by", help="Who settles (a lead)."),
        reason: str | None = typer.Option(None, "--reason"),
        db: str | None = _db_option(),
        fmt: Format = typer.Option(Format.text, "--format"),
        lang: str = _lang_option(),
    ) -> None:
        """A lead settles a disagreement. / En ledare avgör en oenighet."""
        from kundfokus.services.agreement import settle
        from kundfokus.services.review import UnknownLabel
        from kundfokus.store.db import open_store, session_scope

        url = open_store(db, create=False)
        try:
            with session_scope(url) as session:
                res = settle(session, contact_id, axis, label, by=by, reason=reason)
        except UnknownLabel as err:
            typer.secho(f"error: {err}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None
        if fmt == Format.json:
            emit(to_json(res.to_dict()), None)
            return
        before = f"{res.before} ({res.before_source})" if res.before else tr(_MSG["nothing"], lang)
        typer.echo(
            tr(_MSG["corrected"], lang, id=res.contact_id, axis=res.axis, before=before,
               after=res.after, who=res.who, note="")
        )  # fmt: skip

    @app.command("history")
    def history_cmd(
        axis: str = typer.Option(..., "--axis", help="One axis, e.g. reason."),
        db: str | None = _db_option(),
        fmt: Format = typer.Option(Format.text, "--format"),
        out: Path | None = typer.Option(None, "--out"),
        lang: str = _lang_option(),
    ) -> None:
        """Model versions and their accuracy over time. / Modellversioner och träffsäkerhet över tid."""
        from kundfokus.services.review import evaluation_history, history, record_live_evaluations
        from kundfokus.store.db import open_store, session_scope

        url = open_store(db, create=False)
        with session_scope(url) as session:
            record_live_evaluations(session, axis)
            df = history(session, axis, lang=lang)
            evs = evaluation_history(session, axis)
        if fmt == Format.json:
            emit(to_json({"versions": records(df), "evaluations": records(evs)}), out)
            return
        if df.empty:
            emit(tr(_MSG["no_versions"], lang, axis=axis), out)
            return
        _render(df, fmt, out, title=f"Model history: {axis}")

    @app.command("situations")
    def situations_cmd(
        db: str | None = _db_option(),
        k: int | None = typer.Option(None, "--k", help="Number of situations (else silhouette)."),
        k_min: int = typer.Option(2, "--k-min"),
        k_max: int = typer.Option(8, "--k-max"),
        period: str = typer.Option("month", "--period", help="week or month"),
        lang: str = _lang_option(),
        fmt: Format = typer.Option(Format.text, "--format"),
        out: Path | None = typer.Option(None, "--out"),
    ) -> None:
        """Needs, reasons, channels and volumes per situation. / Behov, orsaker, kanaler och volym per situation."""
        from kundfokus.contacts.situations import situation_report_sections
        from kundfokus.services.situations import stored_situations
        from kundfokus.store.db import open_store, session_scope

        url = open_store(db, create=False)
        with session_scope(url) as session:
            res = stored_situations(session, k=k, k_range=(k_min, k_max), period=period, lang=lang)
        if fmt == Format.json:
            emit(to_json(res.to_dict()), out)
        elif fmt == Format.html:
            from kundfokus.reports import render_report

            title = {"en": "Situations", "sv": "Situationer"}[lang]
            emit(render_report(title, situation_report_sections(res, lang=lang), lang=lang), out)
        elif fmt == Format.csv:
            emit(to_csv(res.summary), out)
        else:
            emit(res.text(lang=lang), out)


def _render(df: pd.DataFrame, fmt: Format, out: Path | None, *, title: str = "") -> None:
    if fmt == Format.json:
        emit(to_json(records(df)), out)
    elif fmt == Format.csv:
        emit(to_csv(df), out)
    elif fmt == Format.html:
        from kundfokus.reports import Section, Table, render_report

        emit(render_report(title or "kundfokus", [Section(title, tables=[Table(df)])]), out)
    else:
        emit(frame_text(df) if not df.empty else "(none)", out)
