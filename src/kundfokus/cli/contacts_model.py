"""`kundfokus contacts train | classify | evaluate`: text models per axis, from and to files.

Thin commands: read the file, call :mod:`kundfokus.contacts.classifier` /
:mod:`kundfokus.contacts.evaluation` / :mod:`kundfokus.contacts.persistence`, render. Errors in the
data come back as :class:`kundfokus.errors.InputError` naming file, row, column and value (exit
status 2); output files are written whole or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

from pathlib import Path
from typing import Any

import typer

from kundfokus.cli._common import Format, emit, frame_text, to_json
from kundfokus.errors import InputError
from kundfokus.io import atomic_path, read_table
from kundfokus.serialize import to_csv


def _column(df: pl.DataFrame, col: str, path: Path) -> list[Any]:
    if col not in df.columns:
        raise InputError(
            "no such column", file=str(path), column=col, hint=f"columns: {', '.join(df.columns)}"
        )
    return df[col].to_list()


def _texts(df: pl.DataFrame, col: str, path: Path) -> list[str]:
    from kundfokus.contacts.features import texts_from

    values = _column(df, col, path)
    if df.height == 0:
        raise InputError(
            "the file holds no contacts", file=str(path), hint="it has a header but no rows"
        )
    try:
        texts = texts_from(values, column=col)
    except InputError as err:
        raise err.with_file(str(path)) from None
    from kundfokus.contacts.preparation import cap_texts

    return cap_texts(texts, column=col, file=str(path))


def _labels(df: pl.DataFrame, col: str, path: Path) -> list[str]:
    out = []
    for i, v in enumerate(_column(df, col, path), start=1):
        if v is None or not str(v).strip():
            raise InputError("the label is empty", file=str(path), row=i, column=col, value=v)
        out.append(str(v).strip())
    return out


def _write_like(df: pl.DataFrame, out: Path, like: Path) -> None:
    """Write ``df`` in the format of ``out``'s suffix (or of ``like``'s), atomically."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".tsv", ".txt", ".parquet", ".pq", ".json", ".jsonl", ".ndjson"):
        suffix = like.suffix.lower()
    with atomic_path(out) as tmp:
        if suffix in (".parquet", ".pq"):
            df.write_parquet(tmp)
        elif suffix in (".json", ".jsonl", ".ndjson"):
            df.write_ndjson(tmp)
        elif suffix == ".tsv":
            tmp.write_text(to_csv(df.to_pandas(), sep="\t"), encoding="utf-8")
        else:
            tmp.write_text(to_csv(df.to_pandas()), encoding="utf-8")


def train(
    file: Path = typer.Argument(..., help="Labelled contacts (CSV, Parquet or JSON lines)."),
    text_col: str = typer.Option("text", "--text-col", help="Column with the contact text."),
    label_col: str = typer.Option(..., "--label-col", help="Column with the label of this axis."),
    axis: str | None = typer.Option(
        None, "--axis", help="Axis name (default: the label column's name)."
    ),
    model: Path = typer.Option(..., "--model", help="Model file to write (e.g. reason.kfmodel)."),
    features: str = typer.Option("tfidf", "--features", help="tfidf, tfidf+embed or embed."),
    oos_label: str = typer.Option(
        "other", "--oos-label", help="Label meaning 'fits no known reason'."
    ),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
) -> None:
    """Train a classifier for one axis and save it. / Träna en modell för en axel och spara den."""
    from kundfokus.contacts.classifier import ContactClassifier
    from kundfokus.contacts.features import FEATURE_SETS
    from kundfokus.contacts.persistence import build_metadata, save_model

    if features not in FEATURE_SETS:
        raise InputError(
            f"unknown feature set {features!r}", hint=f"use one of {', '.join(FEATURE_SETS)}"
        )
    df = read_table(file)
    texts = _texts(df, text_col, file)
    labels = _labels(df, label_col, file)
    clf = ContactClassifier(axis=axis or label_col, features=features, oos_label=oos_label)
    try:
        clf.fit(texts, labels)
    except InputError as err:
        raise err.with_file(str(file)) from None
    meta = build_metadata(clf, texts, labels, source=str(file))
    save_model(clf, model, metadata=meta)
    summary = {
        "model": str(model),
        "axis": clf.axis,
        "training_size": clf.n_train_,
        "classes": meta["label_counts"],
        "cv_accuracy": clf.oof_accuracy_,
        "cv_ece": clf.oof_ece_,
        "oos_threshold": clf.threshold_,
        "training_fingerprint": meta["training_fingerprint"],
    }
    if fmt == Format.json:
        emit(to_json(summary), None)
        return
    acc = (
        "n/a (a class has fewer than 2 examples)"
        if clf.oof_accuracy_ is None
        else (
            f"{clf.oof_accuracy_:.3f} (out-of-fold, {min(3, min(meta['label_counts'].values()))}-fold)"
        )
    )
    lines = [
        f"wrote {model}",
        f"axis: {clf.axis}",
        f"training contacts: {clf.n_train_}",
        f"classes ({len(clf.classes_)}): "
        + ", ".join(f"{k} ({v})" for k, v in meta["label_counts"].items()),
        f"cross-validated accuracy: {acc}",
    ]
    if clf.oof_ece_ is not None:
        lines.append(f"cross-validated calibration error (ECE): {clf.oof_ece_:.3f}")
    if clf.threshold_ > 0:
        lines.append(
            f"out-of-scope threshold: confidence below {clf.threshold_:.3f} -> '{oos_label}'"
        )
    else:
        lines.append(
            f"out-of-scope threshold: none (no '{oos_label}' examples to learn it from; "
            f"every contact gets one of the classes)"
        )
    emit("\n".join(lines), None)


def classify(
    file: Path = typer.Argument(..., help="Contacts to classify (CSV, Parquet or JSON lines)."),
    model: Path = typer.Option(..., "--model", help="Model file from 'contacts train'."),
    text_col: str = typer.Option("text", "--text-col", help="Column with the contact text."),
    out: Path = typer.Option(..., "-o", "--out", help="Output file (same format as the input)."),
    redact: bool = typer.Option(
        False, "--redact", help="Redact personal data in the text column of the output."
    ),
    trust: bool = typer.Option(
        False,
        "--trust",
        help="Also load a model file written by kundfokus 0.1 (a pickle, which can run code): "
        "only for a file you wrote yourself. / Läs även en modellfil från kundfokus 0.1.",
    ),
) -> None:
    """Add `<axis>` and `<axis>_confidence` columns. / Lägg till predikterad etikett och säkerhet."""
    import polars as pl

    from kundfokus.contacts.classifier import classify_frame
    from kundfokus.contacts.persistence import load_model

    clf = load_model(model, trust=trust)
    df = read_table(file)
    texts = _texts(df, text_col, file)
    from kundfokus.cli._progress import track

    size = 5000  # batches, so that a terminal shows how far the classification has come
    starts = range(0, len(texts), size)
    parts = []
    try:
        for k in track(starts, total=len(starts), description="classifying / klassificerar"):
            frame = pl.DataFrame({text_col: texts[k : k + size]})
            parts.append(classify_frame(clf, frame, text_col=text_col))
    except InputError as err:
        raise err.with_file(str(file)) from None
    import pandas as pd

    pred = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    axis = clf.axis
    result = df.with_columns(
        pl.Series(axis, pred[axis].tolist(), dtype=pl.String),
        pl.Series(f"{axis}_confidence", pred[f"{axis}_confidence"].round(4).tolist()),
    )
    if redact:
        from kundfokus.contacts.redaction import redact_many

        result = result.with_columns(pl.Series(text_col, redact_many(texts), dtype=pl.String))
    _write_like(result, out, file)
    typer.echo(
        f"wrote {out} ({result.height} contacts, columns {axis}, {axis}_confidence)", err=True
    )


def evaluate(
    file: Path = typer.Argument(..., help="Labelled contacts to evaluate on."),
    model: Path = typer.Option(..., "--model", help="Model file from 'contacts train'."),
    text_col: str = typer.Option("text", "--text-col", help="Column with the contact text."),
    label_col: str = typer.Option(..., "--label-col", help="Column with the true label."),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    trust: bool = typer.Option(
        False,
        "--trust",
        help="Also load a model file written by kundfokus 0.1 (a pickle, which can run code): "
        "only for a file you wrote yourself. / Läs även en modellfil från kundfokus 0.1.",
    ),
) -> None:
    """Accuracy, macro F1, calibration and out-of-scope figures. / Träffsäkerhet och kalibrering."""
    from kundfokus.contacts.evaluation import evaluate as evaluate_method
    from kundfokus.contacts.persistence import load_model

    clf = load_model(model, trust=trust)
    df = read_table(file)
    texts = _texts(df, text_col, file)
    labels = _labels(df, label_col, file)
    proba = clf.predict_proba(texts)
    pred, _ = clf.predict_with_confidence(texts)
    ev = evaluate_method(labels, pred, proba=proba, classes=clf.classes_, oos_label=clf.oos_label)
    d = ev.to_dict()
    d["axis"] = clf.axis
    d["model"] = str(model)
    if fmt == Format.json:
        emit(to_json(d), out)
        return
    if fmt == Format.csv:
        emit(to_csv(ev.per_class), out)
        return
    head = [
        f"axis: {clf.axis}",
        f"contacts: {ev.n}",
        f"accuracy: {ev.accuracy:.4f}",
        f"macro F1: {ev.macro_f1:.4f}",
        f"expected calibration error (15 bins): {ev.ece:.4f}",
    ]
    if ev.oos_recall is not None:
        prec = "n/a" if ev.oos_precision is None else f"{ev.oos_precision:.4f}"
        head += [
            f"out-of-scope recall: {ev.oos_recall:.4f}",
            f"out-of-scope precision: {prec}",
            f"in-scope accuracy: {ev.in_scope_accuracy:.4f}",
        ]
    emit("\n".join(head) + "\n\n" + frame_text(ev.per_class), out)


def register(app: typer.Typer) -> None:
    """Add ``train``, ``classify`` and ``evaluate`` to ``kundfokus contacts``."""
    app.command("train")(train)
    app.command("classify")(classify)
    app.command("evaluate")(evaluate)
