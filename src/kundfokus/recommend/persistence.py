"""Recommender model files: plain JSON of the coefficients and the per-situation table.

A model file holds no code and no pickle: loading it builds only lists, numbers and text. The file
is one JSON object with ``format: "kundfokus-recommender"`` and ``format_version``; a file of
another format or version is refused with a clear error.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kundfokus import __version__ as KUNDFOKUS_VERSION
from kundfokus.errors import InputError
from kundfokus.io import atomic_write
from kundfokus.recommend.model import Recommender
from kundfokus.serialize import records

__all__ = ["FORMAT", "FORMAT_VERSION", "load_recommender", "save_recommender"]

FORMAT = "kundfokus-recommender"
FORMAT_VERSION = 1

_FIELDS = (
    "situation", "features", "action", "outcome", "better", "actions", "levels", "bins",
    "outcome_coef", "outcome_intercept", "prop_coef", "prop_intercept", "propensity_column",
    "propensity_estimated", "min_propensity", "min_cases", "level", "alpha", "n_rows", "raw",
    "derive",
)  # fmt: skip


def model_dict(model: Recommender) -> dict[str, Any]:
    """The model as a JSON-ready dict (the content of a model file)."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kundfokus_version": KUNDFOKUS_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for k in _FIELDS:
        out[k] = getattr(model, k)
    out["cells"] = records(model.cells)
    return out


def save_recommender(model: Recommender, path: str | Path) -> Path:
    """Write ``model`` to ``path`` (JSON, atomically)."""
    from kundfokus.serialize import to_json

    return atomic_write(Path(path), to_json(model_dict(model)) + "\n")


def load_recommender(path: str | Path) -> Recommender:
    """Read a model file written by :func:`save_recommender`.

    Raises
    ------
    InputError
        When the file is missing, is not a recommender model file, or has another format version.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("no such model file", file=str(p), hint="fit one with 'recommend fit'")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(
            "not a kundfokus recommender model file (it is not JSON)",
            file=str(p),
            hint="fit one with 'kundfokus recommend fit'",
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(
            "not a kundfokus recommender model file",
            file=str(p),
            hint="fit one with 'kundfokus recommend fit'",
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"recommender model format {data.get('format_version')} cannot be read by this "
            f"version, which reads format {FORMAT_VERSION}",
            file=str(p),
            hint="fit the model again",
        )
    try:
        kwargs = {k: data[k] for k in _FIELDS}
        cells = pd.DataFrame(data["cells"])
    except KeyError as exc:
        raise InputError(f"the model file lacks {exc}", file=str(p)) from exc
    cols = [*kwargs["situation"], *kwargs["features"]]
    for c in cols:
        if c in cells:
            cells[c] = cells[c].astype(str)
    for c in ("expected", "ci_low", "ci_high", "propensity", "model_expected"):
        if c in cells:
            cells[c] = cells[c].astype(float)
    if "enough" in cells:
        cells["enough"] = cells["enough"].astype(bool)
    kwargs["bins"] = {k: [float(x) for x in v] for k, v in (kwargs["bins"] or {}).items()}
    return Recommender(cells=cells, **kwargs)
