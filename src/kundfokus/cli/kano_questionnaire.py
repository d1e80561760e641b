"""`kundfokus kano questionnaire`: a Kano questionnaire from a feature list."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from kundfokus.cli._common import Lang, emit, naming, to_json


class QuestionnaireFormat(StrEnum):
    html = "html"
    csv = "csv"
    json = "json"
    yaml = "yaml"
    text = "text"


class Wording(StrEnum):
    classic = "classic"
    short = "short"


_SUFFIX_FORMAT = {
    ".html": QuestionnaireFormat.html,
    ".htm": QuestionnaireFormat.html,
    ".csv": QuestionnaireFormat.csv,
    ".json": QuestionnaireFormat.json,
    ".yaml": QuestionnaireFormat.yaml,
    ".yml": QuestionnaireFormat.yaml,
    ".txt": QuestionnaireFormat.text,
}


def questionnaire(
    features: Path = typer.Argument(
        ...,
        help="Feature list: CSV (or other table) or YAML with id, label / label_en / label_sv, "
        "optional functional, dysfunctional, importance texts.",
    ),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the questionnaire."),
    wording: Wording = typer.Option(
        Wording.classic,
        "--wording",
        help="Answer wording: classic ('I like it that way', ...) or short ('I like it', ...).",
    ),
    importance: bool = typer.Option(
        True, "--importance/--no-importance", help="Ask how important each feature is."
    ),
    importance_scale: int = typer.Option(
        9, "--importance-scale", help="Importance scale: 9 (1-9) or 5 (1-5)."
    ),
    fmt: QuestionnaireFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="html (printable), csv (answer template for 'kano analyze'), json or yaml (for survey "
        "tools), text. Default: from the suffix of --output, else text.",
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    shuffle: bool = typer.Option(False, "--shuffle", help="Put the features in random order."),
    seed: int | None = typer.Option(
        None, "--seed", help="Seed for --shuffle (reproducible order)."
    ),
    title: str | None = typer.Option(None, "--title", help="Title of the questionnaire."),
    rows: int = typer.Option(
        0, "--rows", min=0, help="csv only: number of empty, numbered respondent rows."
    ),
) -> None:
    """Write a Kano questionnaire (paired functional/dysfunctional questions) in English or Swedish.

    Skriv en Kano-enkät (parade frågor: om tjänsten har / inte har egenskapen) på svenska eller engelska.
    """
    from kundfokus.kano import questionnaire as kq

    if importance_scale not in kq.IMPORTANCE_SCALES:
        raise typer.BadParameter("use 9 or 5", param_hint="--importance-scale")
    if seed is not None and not shuffle:
        raise typer.BadParameter("--seed only applies together with --shuffle", param_hint="--seed")
    if fmt is None:
        fmt = (
            _SUFFIX_FORMAT.get(output.suffix.lower(), QuestionnaireFormat.text)
            if output
            else (QuestionnaireFormat.text)
        )
    if rows and fmt is not QuestionnaireFormat.csv:
        raise typer.BadParameter("--rows only applies to --format csv", param_hint="--rows")
    with naming(features):
        q = kq.build_questionnaire(
            kq.load_features(features),
            lang=lang.value,
            wording=wording.value,
            importance=importance,
            importance_scale=importance_scale,
            shuffle=shuffle,
            seed=seed,
            title=title,
        )
    if fmt is QuestionnaireFormat.html:
        text = kq.to_html(q)
    elif fmt is QuestionnaireFormat.csv:
        text = kq.to_csv_template(q, rows=rows)
    elif fmt is QuestionnaireFormat.json:
        text = to_json(kq.to_dict(q))
    elif fmt is QuestionnaireFormat.yaml:
        text = kq.to_yaml(q)
    else:
        text = kq.to_text(q)
    emit(text.rstrip("\n"), output)
    if shuffle and seed is None:
        typer.echo(
            f"feature order shuffled with seed {q.seed} (use --seed {q.seed} to repeat)", err=True
        )


def register(app: typer.Typer) -> None:
    """Add the questionnaire command to the ``kano`` sub-app."""
    app.command("questionnaire")(questionnaire)
