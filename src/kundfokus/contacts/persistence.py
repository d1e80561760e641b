"""Versioned model files: save a fitted classifier with its metadata, load it back safely.

File layout (format version 2)::

    b"KUNDFOKUS-MODEL\\n"          magic line
    one line of JSON               the header: format, versions, estimator, metadata
    skops archive of the model     the fitted estimator (skops.io)

Loading a model file runs no code from the file. The header is JSON, and the model is a skops
archive, which rebuilds only types on an explicit list: scikit-learn's, NumPy's and SciPy's own
(trusted by skops) and kundfokus's estimators (:data:`TRUSTED_TYPES`). A file that asks for any other
type is refused with an :class:`UntrustedModelError` naming the types, before anything is built.
The header is read and checked (format version, scikit-learn version) first, so an incompatible file
gives a clear :class:`IncompatibleModelError` instead of a model that behaves differently.

Files of format version 1 (kundfokus 0.1: a pickled header and a joblib pickle of the model) can run
code when loaded. They are read only with ``trust=True`` (``--trust`` on the command line), for a file
you wrote yourself; re-save them with this version to get a safe file.

Metadata (see :func:`build_metadata`): ``axis``, ``classes``, ``training_fingerprint`` (SHA-256
over the sorted hashes of the ``(text, label)`` rows, so the same training set in any order has the
same fingerprint), ``training_size``, ``label_counts``, ``created_at`` (UTC, ISO 8601),
``evaluation`` (figures such as out-of-fold accuracy and ECE) and ``version`` (the model version
number, kept by the store).
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sklearn

from kundfokus import __version__ as KUNDFOKUS_VERSION
from kundfokus.errors import InputError
from kundfokus.io import atomic_path

__all__ = [
    "FORMAT_VERSION",
    "TRUSTED_TYPES",
    "IncompatibleModelError",
    "UntrustedModelError",
    "build_metadata",
    "load_model",
    "read_metadata",
    "save_model",
    "training_fingerprint",
]

MAGIC = b"KUNDFOKUS-MODEL\n"
FORMAT_VERSION = 2
PICKLE_FORMAT_VERSION = 1

TRUSTED_TYPES: tuple[str, ...] = (
    "kundfokus.contacts.classifier.ContactClassifier",
    "kundfokus.contacts.classifier.TagClassifier",
    "kundfokus.contacts.features.TextFeatures",
    "kundfokus.contacts.features._FastTfidf",
    "kundfokus.contacts.features.normalise_text",
    "kundfokus.contacts.rules.RuleModel",
    "re.Pattern",
    "re.compile",
)
"""The kundfokus types a model file may contain, besides those skops trusts itself (scikit-learn,
NumPy, SciPy). Each rebuilds from plain data: none runs code of the file's when it is loaded."""


class IncompatibleModelError(InputError):
    """A model file that this installation cannot load safely (other format or library version)."""


class UntrustedModelError(IncompatibleModelError):
    """A model file that would need an untrusted type, or code execution (a pickle), to load."""


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def training_fingerprint(texts: Iterable[str], labels: Iterable[Any]) -> str:
    """Order-independent SHA-256 fingerprint of a training set of ``(text, label)`` rows.

    Parameters
    ----------
    texts, labels : iterables of the same length

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> a = training_fingerprint(["hej", "card lost"], ["greeting", "lost_card"])
    >>> b = training_fingerprint(["card lost", "hej"], ["lost_card", "greeting"])
    >>> a == b, len(a)
    (True, 64)
    >>> a == training_fingerprint(["hej", "card lost"], ["greeting", "other"])
    False
    """
    rows = sorted(
        hashlib.sha256(f"{t}\x1f{lab}".encode()).hexdigest()
        for t, lab in zip(texts, labels, strict=True)
    )
    h = hashlib.sha256()
    for r in rows:
        h.update(r.encode())
    return h.hexdigest()


def build_metadata(
    model: Any,
    texts: Iterable[str],
    labels: Iterable[Any],
    *,
    evaluation: dict[str, Any] | None = None,
    version: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The metadata dict for :func:`save_model`, computed from a fitted model and its training set.

    Parameters
    ----------
    model : fitted ContactClassifier (or any estimator with ``classes_``)
    texts, labels : the training rows
    evaluation : dict, optional
        Figures to keep with the model; by default the model's out-of-fold accuracy and ECE
        (``oof_accuracy_``, ``oof_ece_``) when it has them.
    version : int, optional
        Version number of the model (the store assigns it).
    **extra
        Any further JSON-ready values to keep.

    Returns
    -------
    dict
    """
    texts = list(texts)
    labels = [str(v) for v in labels]
    counts: dict[str, int] = {}
    for lab in labels:
        counts[lab] = counts.get(lab, 0) + 1
    if evaluation is None:
        evaluation = {
            k: getattr(model, attr)
            for k, attr in (
                ("oof_accuracy", "oof_accuracy_"),
                ("oof_ece", "oof_ece_"),
                ("threshold", "threshold_"),
                ("temperature", "temperature_"),
            )
            if getattr(model, attr, None) is not None
        }
    meta: dict[str, Any] = {
        "axis": getattr(model, "axis", None),
        "classes": [str(c) for c in getattr(model, "classes_", [])],
        "training_fingerprint": training_fingerprint(texts, labels),
        "training_size": len(texts),
        "label_counts": dict(sorted(counts.items())),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "evaluation": evaluation,
        "version": version,
    }
    if hasattr(model, "get_params"):
        meta["params"] = {k: _plain(v) for k, v in model.get_params(deep=False).items()}
    meta.update(extra)
    return meta


def _plain(v: Any) -> Any:
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    return str(v)


def save_model(model: Any, path: str | Path, *, metadata: dict[str, Any] | None = None) -> Path:
    """Write ``model`` and its metadata to ``path`` atomically (temporary file, then rename).

    Parameters
    ----------
    model : fitted estimator
    path : str or Path
        Target file (conventionally ``*.kfmodel``); parent folders are created.
    metadata : dict, optional
        From :func:`build_metadata` or your own; ``axis``, ``classes`` and ``created_at`` are
        filled in from the model when missing.

    Returns
    -------
    Path
        The written file.

    Examples
    --------
    >>> import tempfile
    >>> from kundfokus.contacts.classifier import ContactClassifier
    >>> clf = ContactClassifier(calibration_folds=0).fit(["a b", "c d"], ["x", "y"])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = save_model(clf, Path(d) / "m.kfmodel", metadata={"version": 3})
    ...     read_metadata(p)["version"], load_model(p).classes_.tolist()
    (3, ['x', 'y'])
    """
    p = Path(path)
    meta = dict(metadata or {})
    meta.setdefault("axis", getattr(model, "axis", None))
    meta.setdefault("classes", [str(c) for c in getattr(model, "classes_", [])])
    meta.setdefault("created_at", datetime.now(UTC).isoformat(timespec="seconds"))
    header = {
        "format": "kundfokus-model",
        "format_version": FORMAT_VERSION,
        "kundfokus_version": KUNDFOKUS_VERSION,
        "sklearn_version": sklearn.__version__,
        "estimator": type(model).__name__,
        "metadata": meta,
    }
    import skops.io as sio

    try:
        header_bytes = json.dumps(header, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise InputError(f"metadata cannot be stored: {exc}") from exc
    body = sio.dumps(model, compression=8)  # ZIP_DEFLATED
    untrusted = [t for t in sio.get_untrusted_types(data=body) if t not in TRUSTED_TYPES]
    if untrusted:
        raise InputError(
            f"this model holds types a model file may not contain: {', '.join(untrusted)}",
            hint="only kundfokus's own estimators and scikit-learn, NumPy and SciPy types are stored",
        )
    with atomic_path(p) as tmp, open(tmp, "wb") as fh:
        fh.write(MAGIC)
        fh.write(header_bytes + b"\n")
        fh.write(body)
    return p


def _read_header(fh: io.BufferedReader, path: Path, *, trust: bool = False) -> dict[str, Any]:
    magic = fh.read(len(MAGIC))
    if magic != MAGIC:
        raise IncompatibleModelError(
            "not a kundfokus model file",
            file=str(path),
            hint="train one with 'kundfokus contacts train'",
        )
    first = fh.peek(1)[:1]
    if first == b"{":
        line = fh.readline(1_000_000)
        try:
            header = json.loads(line)
        except ValueError as exc:
            raise IncompatibleModelError(
                f"the model file header is damaged: {exc}", file=str(path)
            ) from exc
    elif first == b"\x80":  # format 1: a pickled header
        if not trust:
            raise UntrustedModelError(
                "this model file was written by kundfokus 0.1 as a pickle, and loading a pickle "
                "can run any code it holds",
                file=str(path),
                hint="if you wrote the file yourself, load it with --trust (trust=True) and save "
                "it again to get a safe file",
            )
        try:
            header = pickle.load(fh)
        except Exception as exc:
            raise IncompatibleModelError(
                f"the model file header is damaged: {exc}", file=str(path)
            ) from exc
    else:
        raise IncompatibleModelError("the model file header is damaged", file=str(path))
    if not isinstance(header, dict) or header.get("format") != "kundfokus-model":
        raise IncompatibleModelError("not a kundfokus model file", file=str(path))
    return header


def _check_header(header: dict[str, Any], path: Path) -> None:
    fv = header.get("format_version")
    if fv not in (FORMAT_VERSION, PICKLE_FORMAT_VERSION):
        raise IncompatibleModelError(
            f"model file format {fv} cannot be read by kundfokus {KUNDFOKUS_VERSION}, "
            f"which reads format {FORMAT_VERSION}",
            file=str(path),
            hint="retrain the model with this version",
        )
    saved = str(header.get("sklearn_version"))
    if _minor(saved) != _minor(sklearn.__version__):
        raise IncompatibleModelError(
            f"the model was saved with scikit-learn {saved}, this installation has "
            f"{sklearn.__version__}; models are only loaded with the same minor version",
            file=str(path),
            hint=f"retrain the model, or install scikit-learn=={saved}",
        )


def read_metadata(path: str | Path, *, trust: bool = False) -> dict[str, Any]:
    """The metadata of a model file, plus ``format_version``, ``kundfokus_version``,
    ``sklearn_version`` and ``estimator``, without loading the model.

    A format-1 file (a pickle) is read only with ``trust=True``.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("no such model file", file=str(p))
    with open(p, "rb") as fh:
        header = _read_header(fh, p, trust=trust)
    out = dict(header.get("metadata") or {})
    for k in ("format_version", "kundfokus_version", "sklearn_version", "estimator"):
        out[k] = header.get(k)
    return out


def load_model(path: str | Path, *, trust: bool = False) -> Any:
    """Load a model written by :func:`save_model`, after checking that it is compatible and safe.

    Parameters
    ----------
    path : str or Path
    trust : bool, default False
        Also read a format-1 file (kundfokus 0.1), which is a pickle and can run code when loaded.
        Only for files you wrote yourself.

    Raises
    ------
    InputError
        When the file does not exist.
    IncompatibleModelError
        When the file is not a kundfokus model, has another format version, or was written with
        another scikit-learn minor version.
    UntrustedModelError
        When the file is a pickle and ``trust`` is not set, or holds a type that is not trusted.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("no such model file", file=str(p))
    with open(p, "rb") as fh:
        header = _read_header(fh, p, trust=trust)
        _check_header(header, p)
        if header.get("format_version") == PICKLE_FORMAT_VERSION:
            import joblib

            try:
                return joblib.load(fh)  # trusted explicitly by the caller
            except Exception as exc:
                raise IncompatibleModelError(
                    f"the model in the file cannot be loaded: {exc}", file=str(p)
                ) from exc
        body = fh.read()
    return _load_skops(body, p)


def _load_skops(body: bytes, path: Path) -> Any:
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        return sio.loads(body, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as exc:
        # skops checks every type of the archive before it builds anything
        raise UntrustedModelError(
            f"the model file asks for types that are not trusted: {exc}",
            file=str(path),
            hint="nothing was loaded; only kundfokus's own estimators and scikit-learn, NumPy and "
            "SciPy types are",
        ) from exc
    except Exception as exc:
        raise IncompatibleModelError(
            f"the model in the file cannot be loaded: {exc}", file=str(path)
        ) from exc
